"""Confinement of the fork server and of each kernel, layer by layer, never fatal.

The fork server calls `confine_fork_server` first thing, before `import tensorflow`
(thread pools started later inherit every layer): rlimits, capabilities, parent-death
signal, not dumpable, Landlock. Each forked kernel then adds its own layers:
`confine_kernel_files` right after the fork, while it has one thread (a Landlock domain
of its own: only its own scratch directory is writable, only its own /proc entries are
readable, and it can no longer signal, trace or read the fork server or its sibling
kernels), and `confine_kernel` before learner code runs (parent-death signal, seccomp,
which the fork server cannot carry: it must fork). A layer that fails is reported and
the kernel runs with weaker isolation; the returned dicts go into `KernelInfo.isolation`,
so their values are booleans, integers or short strings.
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
from tutor.kernel.worker.landlock import (
    PROC_SYSTEM_FILES,
    SYS_CPU,
    SYSTEM_LIBRARIES,
    apply_landlock,
    nvidia_devices,
)
from tutor.kernel.worker.rlimits import apply_rlimits
from tutor.kernel.worker.seccomp import apply_seccomp

_PR_SET_PDEATHSIG = 1
_PR_GET_DUMPABLE = 3
_PR_SET_DUMPABLE = 4

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


def set_not_dumpable() -> bool:
    """prctl(PR_SET_DUMPABLE, 0): no process without CAP_SYS_PTRACE may trace this one,
    read its memory (/proc/<pid>/mem) or reopen its descriptors (/proc/<pid>/fd/N).
    Inherited by every fork; True when it holds."""
    libc = ctypes.CDLL(None, use_errno=True)
    ulong = ctypes.c_ulong
    if libc.prctl(ctypes.c_int(_PR_SET_DUMPABLE), ulong(0), ulong(0), ulong(0), ulong(0)):
        return False
    return bool(
        libc.prctl(ctypes.c_int(_PR_GET_DUMPABLE), ulong(0), ulong(0), ulong(0), ulong(0)) == 0
    )


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

    report.update(_parent_death_signal(expected_parent))

    try:
        report["dumpable"] = not set_not_dumpable()
    except Exception as exc:
        report["dumpable"] = f"error: {exc!r}"[:200]

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


def _gpu_paths() -> tuple[list[Path], list[Path]]:
    """(device nodes, library directories) a kernel that may use a GPU needs."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") == "-1":
        return [], []
    libraries = [
        Path(p) for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p.startswith("/")
    ]
    return nvidia_devices(), libraries


def _landlock(scratch: Path, readable_extra: Sequence[Path]) -> dict[str, object]:
    devices, gpu_libraries = _gpu_paths()
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


def kernel_system_paths(own_pid: int, *, gpu: bool) -> list[str]:
    """What a kernel's own Landlock layer leaves readable of the system: libraries, its
    own /proc/<pid> and the few /proc and /sys files TensorFlow reads (all of /sys when a
    GPU may be used: CUDA walks the PCI tree)."""
    sys_paths = ["/sys"] if gpu else list(SYS_CPU)
    return [*SYSTEM_LIBRARIES, f"/proc/{own_pid}", *PROC_SYSTEM_FILES, *sys_paths]


def confine_kernel_files(
    own_pid: int, scratch: Path, readable_extra: Sequence[Path]
) -> dict[str, object]:
    """A forked kernel's own Landlock layer: `scratch` (its own directory) is all it may
    write, its own /proc entries are all it may read of /proc, and its domain is nested in
    the fork server's, so signals, ptrace and abstract sockets cannot leave it.

    Call it right after the fork, before any thread starts (Landlock binds the calling
    thread and what it starts later). `readable_extra` is the fork server's list.
    """
    devices, gpu_libraries = _gpu_paths()
    try:
        result = apply_landlock(
            [*readable_extra, *gpu_libraries],
            [scratch],
            devices=devices,
            system_paths=kernel_system_paths(own_pid, gpu=bool(devices)),
        )
    except Exception as exc:
        return {"kernel_domain": False, "kernel_domain_error": repr(exc)[:200]}
    if not result.get("landlock"):
        return {"kernel_domain": False, "kernel_domain_error": str(result.get("reason"))[:200]}
    return {
        "kernel_domain": "own",
        "files": "own scratch only",
        "proc": "own entries only",
        "scope": "signals, abstract sockets" if result.get("scope") else False,
    }


def confine_kernel(own_pid: int, *, expected_parent: int | None = None) -> dict[str, object]:
    """Apply a forked kernel's layers (parent-death signal, seccomp); return the report.

    `own_pid` is this kernel's pid (os.getpid() after the fork); `expected_parent` is the
    fork server's pid, taken before forking, so a kernel whose server died in between
    does not linger.
    """
    report = _parent_death_signal(expected_parent)
    try:
        result = apply_seccomp(own_pid)
    except Exception as exc:
        result = {"seccomp": False, "reason": repr(exc)}
    report["seccomp"] = bool(result.get("seccomp"))
    if not result.get("seccomp"):
        report["seccomp_error"] = str(result.get("reason"))[:200]
    else:
        report["seccomp_policy"] = str(result.get("policy"))
        report["processes"] = "denied"
        report["sockets"] = "denied"
    return report


def _parent_death_signal(expected_parent: int | None) -> dict[str, object]:
    """The report of the layer that kills this process when its parent dies."""
    try:
        return {"parent_death_signal": set_parent_death_signal(expected_parent)}
    except Exception as exc:
        return {"parent_death_signal": False, "parent_death_signal_error": repr(exc)[:200]}
