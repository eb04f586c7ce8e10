"""What a forked kernel uses, measured from outside, and the limits it must stay within.

The supervisor cannot trust a kernel to count its own memory, threads or files, so it
reads them from /proc and from the kernel's scratch directory, for every fork it has,
all the time (between cells too: a thread left running by an earlier cell must not make
the next innocent cell look guilty). Standard library only: the UI process uses it.

Memory is charged as the kernel's resident set (VmRSS: private memory, file pages it
maps, and shared memory it maps: RssShmem) plus the bytes its scratch directory holds
(the scratch may be a tmpfs, where files are memory). Shared memory a kernel could hold
without mapping it (memfd_create, SysV shm, /dev/shm) is refused by seccomp and Landlock,
so it cannot hide outside this sum. A cgroup would count the same thing in the kernel;
see `accounting()` for which of the two holds.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: Threads one kernel may have. TensorFlow's pools on a small machine take 10 to 30;
#: a learner's thread pool a few more.
MAX_THREADS = 256
#: Files and directories one kernel's scratch may hold.
SCRATCH_FILES = 10_000
#: Bytes one kernel's scratch may hold (never more than a quarter of the memory ceiling).
SCRATCH_BYTES = 512 * 2**20
#: CPU seconds a kernel may spend while no request is running (a thread left behind).
IDLE_CPU_SECONDS = 30.0

#: What a kernel can break: memory, threads, scratch bytes or files, CPU while idle.
BreachKind = Literal["memory", "threads", "scratch-bytes", "scratch-files", "idle-cpu"]


@dataclass(frozen=True)
class Limits:
    """The ceilings one fork lives under."""

    memory_bytes: int
    threads: int = MAX_THREADS
    scratch_bytes: int = SCRATCH_BYTES
    scratch_files: int = SCRATCH_FILES
    idle_cpu_seconds: float = IDLE_CPU_SECONDS

    @classmethod
    def for_memory(cls, memory_bytes: int) -> Limits:
        """The default limits under a memory ceiling of `memory_bytes`."""
        return cls(
            memory_bytes=memory_bytes,
            scratch_bytes=min(SCRATCH_BYTES, max(memory_bytes // 4, 1)),
        )

    def describe(self) -> dict[str, object]:
        """The limits for the kernel's isolation report."""
        return {
            "threads_max": self.threads,
            "scratch_quota": f"{self.scratch_bytes // 2**20} MiB, {self.scratch_files} files",
            "memory_accounting": accounting(),
        }


@dataclass(frozen=True)
class Usage:
    """One look at a kernel: what it holds now."""

    rss: int
    shmem: int
    threads: int
    cpu_seconds: float
    #: None when the scratch was not looked at this time.
    scratch_bytes: int | None = None
    scratch_files: int | None = None

    @property
    def memory(self) -> int:
        """What counts against the memory ceiling: resident memory plus scratch bytes."""
        return self.rss + (self.scratch_bytes or 0)


@dataclass(frozen=True)
class Breach:
    """A limit a kernel went past, and whether a request was running at the time."""

    kind: BreachKind
    idle: bool
    usage: Usage


def accounting() -> str:
    """Which memory accounting holds, for the isolation report."""
    return "supervisor watch: resident memory (shared memory included) + scratch"


def measure(pid: int) -> Usage | None:
    """The kernel's memory, threads and CPU time from /proc; None once it is gone.

    /proc/<pid>/status and /proc/<pid>/stat are readable for a process that is not
    dumpable too, so this works for the confined kernels.
    """
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            status = f.read()
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat_line = f.read()
    except OSError:
        return None
    fields = _status_fields(status)
    try:
        after_name = stat_line.rsplit(b")", 1)[1].split()
        ticks = int(after_name[11]) + int(after_name[12])  # utime + stime
    except (IndexError, ValueError):
        return None
    if after_name[0] in (b"Z", b"X"):
        return None
    return Usage(
        rss=fields.get(b"VmRSS", 0) * 1024,
        shmem=fields.get(b"RssShmem", 0) * 1024,
        threads=fields.get(b"Threads", 0),
        cpu_seconds=ticks / _CLOCK_TICKS,
    )


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _status_fields(status: bytes) -> dict[bytes, int]:
    fields: dict[bytes, int] = {}
    for line in status.splitlines():
        key, _, value = line.partition(b":")
        if key in (b"VmRSS", b"RssShmem", b"Threads"):
            with contextlib.suppress(ValueError, IndexError):
                fields[key] = int(value.split()[0])
    return fields


def parent_pid(pid: int) -> int | None:
    """The parent of `pid` as /proc says, or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def scratch_usage(path: Path, *, max_files: int) -> tuple[int, int]:
    """(bytes allocated, files and directories) under `path`, not following links.

    Stops counting past `max_files` entries, so a directory of a million files costs no
    more than the quota. A directory the kernel made unreadable (mode 0300) is made
    readable again first: the owner may, and the quota must see inside.
    """
    total_bytes = 0
    entries = 0
    stack = [path]
    while stack and entries <= max_files:
        directory = stack.pop()
        for entry in _listing(directory):
            entries += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total_bytes += info.st_blocks * 512
            if stat.S_ISDIR(info.st_mode):
                stack.append(Path(entry.path))
            if entries > max_files:
                break
    return total_bytes, entries


def _listing(directory: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            return list(it)
    except PermissionError:
        try:
            os.chmod(directory, 0o700)
            with os.scandir(directory) as it:
                return list(it)
        except OSError:
            return []
    except OSError:
        return []


def over(usage: Usage, limits: Limits, *, idle_cpu: float | None) -> BreachKind | None:
    """The first limit `usage` is past, or None. `idle_cpu` is the CPU time spent since
    the kernel last became idle (None while a request runs)."""
    if usage.scratch_files is not None and usage.scratch_files > limits.scratch_files:
        return "scratch-files"
    if usage.scratch_bytes is not None and usage.scratch_bytes > limits.scratch_bytes:
        return "scratch-bytes"
    if usage.memory > limits.memory_bytes:
        return "memory"
    if usage.threads > limits.threads:
        return "threads"
    if idle_cpu is not None and idle_cpu > limits.idle_cpu_seconds:
        return "idle-cpu"
    return None
