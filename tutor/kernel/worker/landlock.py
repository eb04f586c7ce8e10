"""Landlock: the worker sees only the files it needs, no TCP, no signals outside itself.

Landlock (Linux 5.13+) lets an unprivileged process restrict itself and every process it
later forks, for good. This module speaks to it with ctypes (syscalls 444-446, the same
numbers on x86_64 and aarch64), probes the ABI and handles every access right the running
kernel knows:

- ABI 1: file system reads, writes, directory changes, exec, device nodes;
- ABI 2: REFER (linking or renaming a file into another directory);
- ABI 3: TRUNCATE;
- ABI 4: TCP bind and connect (denied entirely: no rule allows a port);
- ABI 5: IOCTL_DEV (ioctl on device files; granted only on GPU devices);
- ABI 6: scoping: no connecting to abstract UNIX sockets and no signals to processes
  outside this Landlock domain (the supervisor, the rest of the machine).

Every handled right is denied except where a rule grants it: read-only rules for the
interpreter, libraries, /proc and /sys; read-write for the scratch directory. Executing
files is never granted. Landlock needs no_new_privs (set here) unless CAP_SYS_ADMIN is
held. It is inherited across fork, so it must be applied before TensorFlow starts threads.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import site
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# File system rights (ABI in which each appeared).
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
# Network rights (ABI 4).
NET_BIND_TCP = 1 << 0
NET_CONNECT_TCP = 1 << 1
# Scopes (ABI 6).
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
#: Rights that make sense on a regular file (a rule on a file may grant only these).
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV

READ_ONLY = READ_FILE | READ_DIR
READ_WRITE = (
    READ_FILE
    | READ_DIR
    | WRITE_FILE
    | REMOVE_DIR
    | REMOVE_FILE
    | MAKE_DIR
    | MAKE_REG
    | MAKE_SOCK
    | MAKE_FIFO
    | MAKE_SYM
    | REFER
    | TRUNCATE
)
DEVICE = READ_FILE | WRITE_FILE | IOCTL_DEV

#: System paths that dynamic loading, locale, time zones and TensorFlow's import read.
SYSTEM_LIBRARIES = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SYSTEM_READ_ONLY = (*SYSTEM_LIBRARIES, "/proc", "/sys")
#: What a kernel's own layer leaves readable of /proc besides its own /proc/<pid>
#: (measured under strace over the lessons and the test suite: CPU features, memory size;
#: /proc/driver/nvidia for CUDA). Never another process's entries, never /proc/sys.
PROC_SYSTEM_FILES = ("/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/driver/nvidia")
#: What a CPU kernel's own layer leaves readable of /sys (CPU count and topology, NUMA).
SYS_CPU = ("/sys/devices/system/cpu", "/sys/devices/system/node")
#: The /etc files needed (measured: importing TensorFlow opens ld.so.cache and localtime);
#: never /etc/passwd, /etc/shadow, /etc/ssh, resolver or network files.
ETC_READ_ONLY = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/locale.alias",
)
DEVICES_READ_ONLY = ("/dev/urandom", "/dev/random")
DEVICES_READ_WRITE = ("/dev/null", "/dev/zero", "/dev/full")


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi_version() -> int:
    """The Landlock ABI of the running kernel; 0 when Landlock is missing or disabled."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    libc = _libc()
    version = libc.syscall(
        ctypes.c_long(_SYS_CREATE_RULESET),
        ctypes.c_void_p(None),
        ctypes.c_long(0),
        ctypes.c_long(_CREATE_RULESET_VERSION),
    )
    return max(0, int(version))


def default_readable() -> list[Path]:
    """The interpreter's prefixes and site-packages (real paths), for read-only rules."""
    candidates: list[str] = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    candidates += site.getsitepackages()
    candidates.append(os.path.dirname(os.__file__))
    candidates.append(os.path.dirname(os.path.realpath(sys.executable)))
    return _unique(Path(c) for c in candidates)


def nvidia_devices() -> list[Path]:
    """GPU device nodes, when the machine has them."""
    dev = Path("/dev")
    try:
        return sorted(p for p in dev.iterdir() if p.name.startswith("nvidia"))
    except OSError:
        return []


def apply_landlock(
    readable: Sequence[Path],
    writable: Sequence[Path],
    *,
    devices: Sequence[Path] = (),
    include_system: bool = True,
    system_paths: Sequence[str] = SYSTEM_READ_ONLY,
) -> dict[str, object]:
    """Restrict this process (and all it forks later) to `readable` and `writable`.

    `readable` get read-only rules, `writable` read-write rules (no exec anywhere),
    `devices` read, write and ioctl (GPU nodes). With `include_system`, the interpreter
    (`default_readable`), `system_paths` (system libraries, /proc, /sys), a few /etc
    files and the random and null devices are added. Missing paths are skipped. TCP
    bind/connect are denied where the ABI can (4+); signals and abstract sockets are
    scoped where it can (6+).

    Applied again in a process that already has a layer, it starts a nested domain: the
    process keeps only what both layers allow, and it can no longer signal, trace or
    read the memory of the processes of the outer domain (its fork server, its siblings).
    It restricts the calling thread only: call it before any thread is started.

    Returns {"landlock": True, "abi", "fs", "net", "scope", "rules", "skipped"} or
    {"landlock": False, "reason"}; never raises for a kernel without Landlock.
    """
    abi = abi_version()
    if abi <= 0:
        return {"landlock": False, "reason": "the kernel has no Landlock (or it is disabled)"}

    fs_rights = _FS_BY_ABI[max(a for a in _FS_BY_ABI if a <= abi)]
    attr = _RulesetAttr(
        handled_access_fs=fs_rights,
        handled_access_net=(NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    libc = _libc()
    ruleset = int(
        libc.syscall(
            ctypes.c_long(_SYS_CREATE_RULESET),
            ctypes.byref(attr),
            ctypes.c_long(size),
            ctypes.c_long(0),
        )
    )
    if ruleset < 0:
        return {"landlock": False, "reason": f"create_ruleset: {_errno_text()}"}

    rules: list[tuple[Path, int]] = []
    if include_system:
        rules += [(p, READ_ONLY) for p in default_readable()]
        rules += [(Path(p), READ_ONLY) for p in (*system_paths, *ETC_READ_ONLY)]
        rules += [(Path(p), READ_FILE) for p in DEVICES_READ_ONLY]
        rules += [(Path(p), READ_FILE | WRITE_FILE) for p in DEVICES_READ_WRITE]
    rules += [(Path(p), READ_ONLY) for p in readable]
    rules += [(Path(p), READ_WRITE) for p in writable]
    rules += [(Path(p), DEVICE) for p in devices]

    added: list[str] = []
    skipped: list[str] = []
    try:
        for path, rights in rules:
            problem = _add_rule(libc, ruleset, path, rights & fs_rights)
            (skipped if problem else added).append(f"{path}: {problem}" if problem else str(path))
        if _set_no_new_privs(libc) != 0:
            return {"landlock": False, "reason": f"no_new_privs: {_errno_text()}"}
        if (
            libc.syscall(
                ctypes.c_long(_SYS_RESTRICT_SELF), ctypes.c_long(ruleset), ctypes.c_long(0)
            )
            != 0
        ):
            return {"landlock": False, "reason": f"restrict_self: {_errno_text()}"}
    finally:
        os.close(ruleset)
    return {
        "landlock": True,
        "abi": abi,
        "fs": True,
        "net": abi >= 4,
        "scope": abi >= 6,
        "rules": added,
        "skipped": skipped,
    }


def _add_rule(libc: ctypes.CDLL, ruleset: int, path: Path, rights: int) -> str | None:
    """Add one path-beneath rule; return why it was skipped, or None."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError as exc:
        return exc.strerror or "cannot open"
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        result = libc.syscall(
            ctypes.c_long(_SYS_ADD_RULE),
            ctypes.c_long(ruleset),
            ctypes.c_long(_RULE_PATH_BENEATH),
            ctypes.byref(rule),
            ctypes.c_long(0),
        )
        return _errno_text() if result != 0 else None
    finally:
        os.close(fd)


def _set_no_new_privs(libc: ctypes.CDLL) -> int:
    """prctl(PR_SET_NO_NEW_PRIVS, 1): exec can never grant privileges again."""
    long = ctypes.c_ulong
    return int(libc.prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), long(1), long(0), long(0), long(0)))


def _errno_text() -> str:
    code = ctypes.get_errno()
    return f"{errno.errorcode.get(code, code)} ({os.strerror(code)})"


def _unique(paths: Iterable[Path]) -> list[Path]:
    seen: dict[str, Path] = {}
    for path in paths:
        seen.setdefault(os.path.realpath(path), path)
    return list(seen.values())
