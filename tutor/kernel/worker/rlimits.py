"""Resource limits for the worker: no core dumps, bounded files, descriptors and heap.

Soft and hard limits are set to the same value, so once capabilities are dropped
(CAP_SYS_RESOURCE gone) learner code cannot raise them again. Two limits are left alone
on purpose: RLIMIT_AS (TensorFlow and CUDA reserve huge virtual ranges they never touch)
and RLIMIT_NPROC (counted per user: on a box where everything runs as root it would
count every process on the machine; seccomp stops forks instead).
"""

from __future__ import annotations

import resource

_LIMITS = {
    "core": resource.RLIMIT_CORE,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "data": resource.RLIMIT_DATA,
}


def apply_rlimits(*, memory_bytes: int, file_bytes: int, open_files: int) -> dict[str, object]:
    """Set CORE=0, FSIZE, NOFILE and DATA; return what holds now, by limit name.

    `memory_bytes` bounds the data segment (heap and private writable mappings, which is
    where tensors live); 0 or less leaves DATA as it is. A limit is never raised above the
    hard limit already in force. A limit that cannot be set is reported as an error string
    under "<name>_error" rather than raised: a weaker sandbox still runs.
    """
    wanted = {"core": 0, "fsize": file_bytes, "nofile": open_files, "data": memory_bytes}
    report: dict[str, object] = {}
    for name, value in wanted.items():
        limit = _LIMITS[name]
        if value <= 0 and name != "core":
            report[name] = _current(limit)
            continue
        try:
            _soft, hard = resource.getrlimit(limit)
            target = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (target, target))
        except (OSError, ValueError) as exc:
            report[f"{name}_error"] = str(exc)
        report[name] = _current(limit)
    return report


def _current(limit: int) -> int | None:
    """The hard limit in force (None for unlimited)."""
    hard = resource.getrlimit(limit)[1]
    return None if hard == resource.RLIM_INFINITY else hard
