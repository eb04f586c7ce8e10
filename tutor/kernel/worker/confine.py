"""Confinement of the fork server and of each kernel, layer by layer, never fatal.

The fork server calls `confine_fork_server` first thing, before `import tensorflow`
(thread pools started later inherit every layer): rlimits, capabilities, parent-death
signal, Landlock. Each forked kernel calls `confine_kernel` before learner code runs:
parent-death signal again (its parent is the fork server) and seccomp (which the fork
server cannot carry: it must fork). A layer that fails is reported and the kernel runs
with weaker isolation; the returned dicts go into `KernelInfo.isolation`, so their values
are booleans, integers or short strings.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from tutor.kernel.environment import leaked_names
from tutor.kernel.worker.capabilities import drop_capabilities, running_as_root
from tutor.kernel.worker.landlock import apply_landlock, nvidia_devices
from tutor.kernel.worker.rlimits import apply_rlimits
from tutor.kernel.worker.seccomp import apply_seccomp

_PR_SET_PDEATHSIG = 1

#: Largest file a kernel may write (a learner saving a tensor is fine; filling the disk is not).
FILE_BYTES = 64 * 1024 * 1024
OPEN_FILES = 256


def set_parent_death_signal(expected_parent: int | None = None) -> bool:
    """Ask for SIGKILL when the parent dies; True when the request holds.

    If the parent is already gone (the process was reparented, so the signal will never
    come) this process kills itself at once, as the signal would have. `expected_parent`
    is the parent's pid as the caller knew it before forking or starting; without it,
    only the prctl is done.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    ulong = ctypes.c_ulong
    held = bool(
        libc.prctl(
            ctypes.c_int(_PR_SET_PDEATHSIG), ulong(signal.SIGKILL), ulong(0), ulong(0), ulong(0)
        )
        == 0
    )
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return held


def confine_fork_server(
    *,
    scratch: Path,
    readable_extra: Sequence[Path],
    memory_bytes: int,
    expected_parent: int | None = None,
) -> dict[str, object]:
    """Apply the fork server's layers; return the isolation report.

    `scratch` is the only writable directory; `readable_extra` are read-only additions to
    the interpreter and system paths (the `tutor` package directory, nothing more);
    `memory_bytes` bounds RLIMIT_DATA (0: no bound). GPU device nodes get read, write and
    ioctl rights when CUDA is not hidden. Call it while the process has a single thread.
    """
    report: dict[str, object] = {"session": os.getsid(0) == os.getpid()}
    if threading.active_count() > 1:
        report["threads_before_confinement"] = threading.active_count()
    leaks = leaked_names(os.environ)
    report["environment"] = "allow-listed" if not leaks else "leaks " + ", ".join(leaks)[:150]

    try:
        limits = apply_rlimits(
            memory_bytes=memory_bytes, file_bytes=FILE_BYTES, open_files=OPEN_FILES
        )
        failed = [k for k in limits if k.endswith("_error")]
        report["rlimits"] = not failed
        if failed:
            report["rlimits_error"] = "; ".join(f"{k}: {limits[k]}" for k in failed)[:200]
        elif limits.get("data"):
            report["memory_limit"] = limits["data"]
    except Exception as exc:
        report["rlimits"] = False
        report["rlimits_error"] = repr(exc)[:200]

    try:
        report["parent_death_signal"] = set_parent_death_signal(expected_parent)
    except Exception as exc:
        report["parent_death_signal"] = False
        report["parent_death_signal_error"] = repr(exc)[:200]

    report.update(_landlock(scratch, readable_extra))

    try:
        dropped = drop_capabilities()
        if not running_as_root():
            report["capabilities"] = "none held" if dropped else "some held"
        else:
            report["capabilities"] = "dropped" if dropped else "NOT dropped (root)"
    except Exception as exc:
        report["capabilities"] = f"error: {exc!r}"[:200]
    return report


def _landlock(scratch: Path, readable_extra: Sequence[Path]) -> dict[str, object]:
    devices = nvidia_devices() if os.environ.get("CUDA_VISIBLE_DEVICES") != "-1" else []
    gpu_libraries = [
        Path(p) for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p.startswith("/")
    ]
    try:
        result = apply_landlock([*readable_extra, *gpu_libraries], [scratch], devices=devices)
    except Exception as exc:
        return {"landlock": False, "landlock_error": repr(exc)[:200], "network": "allowed"}
    if not result.get("landlock"):
        return {
            "landlock": False,
            "landlock_error": str(result.get("reason"))[:200],
            "network": "allowed",
        }
    report: dict[str, object] = {
        "landlock": f"abi {result['abi']}",
        "files": "scratch only",
        "network": "denied" if result.get("net") else "allowed (Landlock ABI < 4)",
        "scope": "signals, abstract sockets" if result.get("scope") else False,
    }
    return report


def confine_kernel(own_pid: int, *, expected_parent: int | None = None) -> dict[str, object]:
    """Apply a forked kernel's layers (parent-death signal, seccomp); return the report.

    `own_pid` is this kernel's pid (os.getpid() after the fork); `expected_parent` is the
    fork server's pid, taken before forking, so a kernel whose server died in between
    does not linger.
    """
    report: dict[str, object] = {}
    try:
        report["parent_death_signal"] = set_parent_death_signal(expected_parent)
    except Exception as exc:
        report["parent_death_signal"] = False
        report["parent_death_signal_error"] = repr(exc)[:200]
    try:
        result = apply_seccomp(own_pid)
    except Exception as exc:
        result = {"seccomp": False, "reason": repr(exc)}
    report["seccomp"] = bool(result.get("seccomp"))
    if not result.get("seccomp"):
        report["seccomp_error"] = str(result.get("reason"))[:200]
    else:
        report["processes"] = "denied"
        report["sockets"] = "denied"
    return report
