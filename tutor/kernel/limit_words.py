"""What the learner is told when the watch stopped a kernel for going past a limit.

Words to say (`Said`, ids "limit.…" in the catalog, tutor/words), picked for a `Breach`
with the numbers of the limit that was passed; the frontend says them in the learner's
language.
"""

from __future__ import annotations

from typing import Any

from tutor.kernel.protocol import CellResult, ErrorInfo, Said
from tutor.kernel.watch import Breach, Limits
from tutor.words import N_

#: The Python exception type each kind of breach is reported as.
_TYPES = {
    "memory": "MemoryError",
    "threads": "RuntimeError",
    "scratch-bytes": "OSError",
    "scratch-files": "OSError",
    "idle-cpu": "TimeoutError",
}

#: What a kernel stopped while a cell ran is told: (message, hint) ids per kind.
_BUSY = {
    "memory": (N_("limit.memory"), N_("limit.memory-hint")),
    "threads": (N_("limit.threads"), N_("limit.threads-hint")),
    "scratch-bytes": (N_("limit.scratch-bytes"), N_("limit.scratch-hint")),
    "scratch-files": (N_("limit.scratch-files"), N_("limit.scratch-hint")),
}

#: What the kernel did, said inside another message ("While no cell was running, the
#: kernel grew past 2.0 GiB of memory, …").
_WHAT = {
    "memory": N_("limit.idle-memory"),
    "threads": N_("limit.idle-threads"),
    "scratch-bytes": N_("limit.idle-scratch-bytes"),
    "scratch-files": N_("limit.idle-scratch-files"),
    "idle-cpu": N_("limit.idle-idle-cpu"),
}


def _numbers(breach: Breach, memory_limit: int) -> dict[str, Any]:
    limits = Limits.for_memory(memory_limit)
    files = breach.kind == "scratch-files"
    return {
        "gib": limits.memory_bytes / 2**30,
        "n": limits.scratch_files if files else limits.threads,
        "mib": limits.scratch_bytes // 2**20,
        "s": limits.idle_cpu_seconds,
    }


def _what(breach: Breach, memory_limit: int) -> Said:
    return Said(_WHAT.get(breach.kind, "limit.idle-idle-cpu"), _numbers(breach, memory_limit))


def busy_words(breach: Breach, memory_limit: int) -> tuple[str, Said, Said]:
    """(exception type, message, hint) for a kernel stopped while a cell ran."""
    kind = breach.kind
    if kind in _BUSY:
        message, hint = _BUSY[kind]
        return _TYPES[kind], Said(message, _numbers(breach, memory_limit)), Said(hint)
    # CPU while idle cannot be a busy breach; say what is true anyway.
    what = _what(breach, memory_limit)
    return (
        _TYPES.get(kind, "RuntimeError"),
        Said("limit.idle", {"what": what}),
        Said("limit.idle-hint"),
    )


def restart_detail(breach: Breach, memory_limit: int) -> Said:
    """The status detail while a kernel stopped for `breach` restarts."""
    if breach.kind == "memory":
        return Said("kernel.status-killed")
    return Said("limit.status", {"what": _what(breach, memory_limit)})


def idle_status(breach: Breach, memory_limit: int = 0) -> Said:
    """The status bar's detail after an idle kernel was stopped."""
    return Said("limit.idle-status", {"what": _what(breach, memory_limit)})


def idle_result(breach: Breach, memory_limit: int) -> CellResult:
    """The result of the first cell after an idle kernel was stopped (the cell did not run)."""
    message = Said("limit.idle", {"what": _what(breach, memory_limit)})
    error = ErrorInfo(
        type=_TYPES.get(breach.kind, "RuntimeError"), message=message, hint=Said("limit.idle-hint")
    )
    return CellResult(outcome="killed", error=error)
