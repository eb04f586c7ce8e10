"""Gradient tapes used the wrong way (a None gradient is explained in the inspector:
tutor/kernel/worker/tape_answers.py)."""

from __future__ import annotations

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context


def tape_used_twice(c: Context) -> Said | None:
    if "non-persistent GradientTape" not in c.message and (
        "can only be called once on non-persistent tapes" not in c.message
    ):
        return None
    return Said("hint.tape-used-twice")
