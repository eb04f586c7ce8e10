"""The words the kernel has for the inspector, as message ids and facts (`Said`).

The tutor's automatic gradient is labelled as the tutor's ("auto ∂y/∂x"); what the
learner's own tape answered is labelled with the learner's call ("t.gradient(y, x) =");
a None answer comes with the reason TensorFlow gave None. A row not refreshed yet, or
one that could not be shown, says so in place of its value. The frontend says them in
the learner's language (catalog ids "kernel.inspector-…", "kernel.tape-…").
"""

from __future__ import annotations

from typing import Any

from tutor.kernel.protocol import Said

#: Why a tape answered None (the reasons of gradient_reasons.py and tape_answers.py).
_TAPE_REASONS = {
    "not-watched": Said("kernel.tape-not-watched"),
    "not-watched-variable": Said("kernel.tape-not-watched-variable"),
    "integer": Said("kernel.tape-integer"),
    "not-trainable": Said("kernel.tape-not-trainable"),
    "not-a-tensor": Said("kernel.tape-not-a-tensor"),
    "outside-tape": Said("kernel.tape-outside"),
    "left-tensorflow": Said("kernel.tape-left-tensorflow"),
    "not-connected": Said("kernel.tape-not-connected"),
}


def tape_reason(reason: str, **facts: Any) -> Said:
    """Why the learner's tape answered None (`reason` one of `_TAPE_REASONS`)."""
    words = _TAPE_REASONS.get(reason, _TAPE_REASONS["not-connected"])
    return Said(words.id, {"source": "?", "tape": "?", "target": "?", **facts})


def tutor_gradient(label: str) -> Said:
    """The label of the tutor's own gradient: "auto ∂y/∂x"."""
    return Said("kernel.inspector-auto", {"label": label})


def not_refreshed() -> Said:
    return Said("kernel.inspector-stale")


def not_shown(why: str | Said) -> Said:
    """A row that could not be shown, and why (an exception's class name, or a time)."""
    return Said("kernel.inspector-failed", {"note": why})


def took_too_long(seconds: float) -> Said:
    return Said("kernel.inspector-took-too-long", {"seconds": seconds})
