"""What the learner is told when the watch stopped a kernel for going past a limit.

The words live in `words.py` (English and Chinese); this module picks them for a
`Breach` and fills in the numbers of the limit that was passed.
"""

from __future__ import annotations

from typing import Any

from tutor.kernel.protocol import CellResult, ErrorInfo
from tutor.kernel.watch import Breach, Limits
from tutor.kernel.words import say

#: The Python exception type each kind of breach is reported as.
_TYPES = {
    "memory": "MemoryError",
    "threads": "RuntimeError",
    "scratch-bytes": "OSError",
    "scratch-files": "OSError",
    "idle-cpu": "TimeoutError",
}


def _numbers(memory_limit: int) -> dict[str, Any]:
    limits = Limits.for_memory(memory_limit)
    return {
        "gib": limits.memory_bytes / 2**30,
        "n": limits.threads,
        "mib": limits.scratch_bytes // 2**20,
        "s": limits.idle_cpu_seconds,
    }


def busy_words(lang: str, breach: Breach, memory_limit: int) -> tuple[str, str, str]:
    """(exception type, message, hint) for a kernel stopped while a cell ran."""
    numbers = _numbers(memory_limit)
    kind = breach.kind
    if kind == "memory":
        return _TYPES[kind], say(lang, "memory", **numbers), say(lang, "memory-hint")
    if kind == "threads":
        return _TYPES[kind], say(lang, "threads", **numbers), say(lang, "threads-hint")
    if kind in ("scratch-bytes", "scratch-files"):
        limits = Limits.for_memory(memory_limit)
        numbers["n"] = limits.scratch_files
        return _TYPES[kind], say(lang, kind, **numbers), say(lang, "scratch-hint")
    # CPU while idle cannot be a busy breach; say what is true anyway.
    what = say(lang, "idle-idle-cpu", **numbers)
    return _TYPES[kind], say(lang, "idle", what=what), say(lang, "idle-hint")


def _what(lang: str, breach: Breach, memory_limit: int) -> str:
    numbers = _numbers(memory_limit)
    if breach.kind == "scratch-files":
        numbers["n"] = Limits.for_memory(memory_limit).scratch_files
    return say(lang, f"idle-{breach.kind}", **numbers)


def restart_detail(breach: Breach, lang: str, memory_limit: int) -> str:
    """The status detail while a kernel stopped for `breach` restarts ("killed" is the
    frontends' own word for memory)."""
    if breach.kind == "memory":
        return "killed"
    return say(lang, "limit-status", what=_what(lang, breach, memory_limit))


def idle_status(lang: str, breach: Breach, memory_limit: int = 0) -> str:
    """The status bar's detail after an idle kernel was stopped."""
    return say(lang, "idle-status", what=_what(lang, breach, memory_limit))


def idle_result(lang: str, breach: Breach, memory_limit: int) -> CellResult:
    """The result of the first cell after an idle kernel was stopped (the cell did not run)."""
    message = say(lang, "idle", what=_what(lang, breach, memory_limit))
    error = ErrorInfo(type=_TYPES[breach.kind], message=message, hint=say(lang, "idle-hint"))
    return CellResult(outcome="killed", error=error)
