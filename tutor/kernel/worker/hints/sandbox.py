"""What the sandbox refuses: files outside the scratch folder, programs, the network."""

from __future__ import annotations

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context


def refused(c: Context) -> Said | None:
    if c.error_type == "PermissionError" or (
        c.error_type == "OSError" and ("[Errno 1]" in c.message or "[Errno 13]" in c.message)
    ):
        return Said("hint.sandbox")
    return None
