"""An exception raised by a learner's code while it was re-run for grading, as facts.

The same words as a cell's error (tutor.kernel.worker.cell.describe_error: the type, the
message without TensorFlow's internal prefix, the learner's own lines, a hint) plus the
phase it happened in: "code" (on the data shown), "fresh" (on re-drawn data) or
"function" (calling the learner's function).
"""

from __future__ import annotations

from typing import Any


def error_details(
    exc: BaseException, phase: str, namespace: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`{"type", "message", "hint", "line", "phase"}` for `exc`."""
    from tutor.kernel.worker.cell import describe_error

    try:
        described = describe_error(exc, namespace or {})
    except Exception:  # describing must never hide the learner's error
        described = {"type": type(exc).__name__, "message": str(exc)[:500]}
    details = {
        "type": str(described.get("type") or type(exc).__name__),
        "message": str(described.get("message") or "")[:500],
        "phase": phase,
    }
    if described.get("hint"):
        details["hint"] = described["hint"]
    if isinstance(described.get("line"), int):
        details["line"] = described["line"]
    return details
