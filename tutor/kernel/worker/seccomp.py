"""seccomp: a kernel process may compute, use its own files and threads, and nothing else.

A classic BPF filter, built here with ctypes (no libseccomp), installed in each forked
kernel before learner code runs (the fork server itself must still fork). It is
inherited by every thread and cannot be removed.

Why an allow-list (default deny): a deny-list names what its author thought of, and the
security review found three holes it did not name (`prlimit64` on other processes,
`memfd_create` outside the memory ceiling, `chmod`/`utime`/`setxattr` outside the
scratch). A TensorFlow kernel needs few system calls: `ALLOWED` lists each with why, and
tests/test_seccomp_policy.py records what a real kernel calls while it runs lessons and
the hostile suite (under strace) and fails when it needs a call this table refuses.

What a refused call returns:
- EPERM for a call the table knows (a clear `PermissionError` in the learner's cell);
- ENOSYS for a call newer than this table (numbers past `KNOWN_UP_TO`) and for clone3:
  the C library then falls back to the older call this filter can judge (clone3's flags
  sit in memory a filter cannot read; clone's are in a register);
- the process is killed for a call from another ABI (i386 via int 0x80, x32): the
  numbers below would mean something else there.

Calls allowed only with certain arguments (`ARGUMENT_RULES`): clone only for threads;
signals, rlimits and scheduling changes only for this process; fcntl and ioctl without the
commands that make the kernel send signals to another process (F_SETOWN, F_SETSIG,
FIOSETOWN...) or push input into a terminal (TIOCSTI); prctl without the options that
would let a kernel outlive its fork server or change who may trace it; personality only
to query.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
from dataclasses import dataclass

from tutor.kernel.worker.syscall_numbers import NUMBERS

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JA = 0x05  # BPF_JMP | BPF_JA (32-bit offset in k)
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET = 0x06  # BPF_RET | BPF_K

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6];
_OFFSET_NR = 0
_OFFSET_ARCH = 4
_OFFSET_ARGS = 16  # little-endian: args[i]'s low 32 bits at 16 + 8 * i

CLONE_THREAD = 0x00010000
_X32_SYSCALL_BIT = 0x40000000
_PERSONALITY_QUERY = 0xFFFFFFFF

#: Every system call a kernel may make, grouped by why. Names are the kernel's (x86_64
#: spelling); a name an architecture lacks is skipped there.
ALLOWED: dict[str, tuple[str, ...]] = {
    # Hot paths first (the filter tests in this order): thread pools wait on futexes,
    # the channel and output capture read and write, tensors come and go as mappings.
    "threads waiting and waking": ("futex", "futex_waitv", "sched_yield"),
    "reading and writing open files, the channel and pipes": (
        "read",
        "write",
        "recvfrom",
        "sendto",
        "readv",
        "writev",
        "pread64",
        "pwrite64",
        "preadv",
        "pwritev",
        "preadv2",
        "pwritev2",
        "lseek",
        "close",
        "shutdown",
        "getsockname",
        "getsockopt",
    ),
    "memory (counted by RLIMIT_DATA and the supervisor's watch)": (
        "mmap",
        "munmap",
        "mremap",
        "mprotect",
        "madvise",
        "brk",
        "msync",
        "mincore",
        "membarrier",
        "get_mempolicy",
        "set_mempolicy",
        "mbind",
    ),
    "time and sleeping": (
        "clock_gettime",
        "clock_getres",
        "clock_nanosleep",
        "nanosleep",
        "gettimeofday",
        "time",
        "getitimer",
        "setitimer",
        "alarm",
        "timer_create",
        "timer_settime",
        "timer_gettime",
        "timer_getoverrun",
        "timer_delete",
        "timerfd_create",
        "timerfd_settime",
        "timerfd_gettime",
    ),
    "threads of this process (clone: threads only, see ARGUMENT_RULES)": (
        "set_robust_list",
        "set_tid_address",
        "rseq",
        "gettid",
        "exit",
        "exit_group",
        "restart_syscall",
        "arch_prctl",
    ),
    "signals within this process (Ctrl-C stops a cell; faulthandler)": (
        "rt_sigaction",
        "rt_sigprocmask",
        "rt_sigreturn",
        "rt_sigpending",
        "rt_sigsuspend",
        "rt_sigtimedwait",
        "sigaltstack",
        "pause",
        "signalfd",
        "signalfd4",
    ),
    "waiting on several descriptors (asyncio and selectors in a cell)": (
        "poll",
        "ppoll",
        "select",
        "pselect6",
        "epoll_create",
        "epoll_create1",
        "epoll_ctl",
        "epoll_wait",
        "epoll_pwait",
        "epoll_pwait2",
        "eventfd",
        "eventfd2",
        # asyncio's self-pipe: a connected pair inside this process, it reaches nothing
        "socketpair",
    ),
    "files: opening, reading, listing (Landlock decides which paths)": (
        "open",
        "openat",
        "openat2",
        "stat",
        "fstat",
        "lstat",
        "newfstatat",
        "statx",
        "statfs",
        "fstatfs",
        "access",
        "faccessat",
        "faccessat2",
        "readlink",
        "readlinkat",
        "getdents",
        "getdents64",
        "getcwd",
        "chdir",
        "fchdir",
        "dup",
        "dup2",
        "dup3",
        "pipe",
        "pipe2",
        "close_range",
        "flock",
        "fadvise64",
        "umask",
        "getxattr",
        "lgetxattr",
        "fgetxattr",
        "listxattr",
        "llistxattr",
        "flistxattr",
    ),
    "files: writing in the scratch (Landlock refuses every other path)": (
        "mkdir",
        "mkdirat",
        "rmdir",
        "unlink",
        "unlinkat",
        "rename",
        "renameat",
        "renameat2",
        "link",
        "linkat",
        "symlink",
        "symlinkat",
        "creat",
        "truncate",
        "ftruncate",
        "fallocate",
        "fsync",
        "fdatasync",
        "sync_file_range",
        "sendfile",
        "copy_file_range",
    ),
    "facts about this process and the machine": (
        "getpid",
        "getppid",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "getresuid",
        "getresgid",
        "getgroups",
        "getpgrp",
        "getpgid",
        "getsid",
        "uname",
        "sysinfo",
        "getrusage",
        "times",
        "getrandom",
        "getcpu",
        "getrlimit",
        "getpriority",
        "sched_getaffinity",
        "sched_getparam",
        "sched_getscheduler",
        "sched_getattr",
        "sched_get_priority_max",
        "sched_get_priority_min",
        "sched_rr_get_interval",
        "capget",
    ),
    "limits of this process only (lowering them is allowed; raising needs a capability)": (
        "setrlimit",
    ),
}


@dataclass(frozen=True)
class ArgumentRule:
    """A call allowed only when one argument (its low 32 bits) passes a test."""

    #: Index of the argument looked at.
    arg: int
    #: Allowed values ("self" is this process's pid); mutually exclusive with the others.
    allowed: tuple[int | str, ...] = ()
    #: Refused values (anything else is allowed).
    refused: tuple[int, ...] = ()
    #: Allowed when every bit of this mask is set.
    all_bits: int = 0
    #: Why, for the table in the docs.
    why: str = ""


_F_SETOWN, _F_SETSIG, _F_SETOWN_EX = 8, 10, 15
_FIOSETOWN, _SIOCSPGRP, _TIOCSTI, _TIOCLINUX = 0x8901, 0x8902, 0x5412, 0x541C
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_MM, _PR_SET_CHILD_SUBREAPER = 1, 4, 35, 36
_PR_SET_PTRACER = 0x59616D61

ARGUMENT_RULES: dict[str, ArgumentRule] = {
    "clone": ArgumentRule(0, all_bits=CLONE_THREAD, why="threads only, never a new process"),
    "kill": ArgumentRule(0, allowed=("self",), why="signals to this process only"),
    "tkill": ArgumentRule(0, allowed=("self",), why="signals to this process only"),
    "tgkill": ArgumentRule(0, allowed=("self",), why="signals to this process only"),
    "rt_sigqueueinfo": ArgumentRule(0, allowed=("self",), why="signals to this process only"),
    "rt_tgsigqueueinfo": ArgumentRule(0, allowed=("self",), why="signals to this process only"),
    "prlimit64": ArgumentRule(0, allowed=(0, "self"), why="this process's limits only"),
    "setpriority": ArgumentRule(1, allowed=(0, "self"), why="this process's priority only"),
    "sched_setaffinity": ArgumentRule(0, allowed=(0, "self"), why="this process only"),
    "sched_setparam": ArgumentRule(0, allowed=(0, "self"), why="this process only"),
    "sched_setscheduler": ArgumentRule(0, allowed=(0, "self"), why="this process only"),
    "sched_setattr": ArgumentRule(0, allowed=(0, "self"), why="this process only"),
    "fcntl": ArgumentRule(
        1,
        refused=(_F_SETOWN, _F_SETSIG, _F_SETOWN_EX),
        why="no SIGIO owner: it would signal another process",
    ),
    "ioctl": ArgumentRule(
        1,
        refused=(_FIOSETOWN, _SIOCSPGRP, _TIOCSTI, _TIOCLINUX),
        why="no SIGIO owner, no typing into a terminal",
    ),
    "prctl": ArgumentRule(
        0,
        refused=(
            _PR_SET_PDEATHSIG,
            _PR_SET_DUMPABLE,
            _PR_SET_MM,
            _PR_SET_CHILD_SUBREAPER,
            _PR_SET_PTRACER,
        ),
        why="a kernel must die with its fork server and stay untraceable",
    ),
    "personality": ArgumentRule(0, allowed=(_PERSONALITY_QUERY,), why="query only"),
}

#: Calls refused with ENOSYS rather than EPERM, so the C library falls back.
ENOSYS_CALLS = ("clone3",)

#: The highest system call number this table was written against (Linux 6.x headers):
#: a larger number is a call it does not know, refused with ENOSYS.
KNOWN_UP_TO = 451

#: The hottest calls, tested first (a linear filter's cost is the position of the match).
_HOT = ("futex", "read", "write", "recvfrom", "sendto", "mmap", "munmap", "madvise")


@dataclass(frozen=True)
class Arch:
    """One architecture's audit id and how to find its system call numbers."""

    name: str
    audit_arch: int
    #: Index into `NUMBERS` values.
    column: int

    def number(self, name: str) -> int | None:
        entry = NUMBERS.get(name)
        return None if entry is None else entry[self.column]


X86_64 = Arch(name="x86_64", audit_arch=0xC000003E, column=0)
AARCH64 = Arch(name="aarch64", audit_arch=0xC00000B7, column=1)
ARCHITECTURES = {"x86_64": X86_64, "aarch64": AARCH64}


def allowed_names() -> list[str]:
    """Every allowed call's name, hottest first, without duplicates."""
    names = list(_HOT)
    for group in ALLOWED.values():
        names += [n for n in group if n not in names]
    return names


class _SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter)))


# An instruction before assembly: (code, k, jump-if-true label, jump-if-false label); for
# _JA the label is the first one and k is filled in.
_Instruction = tuple[int, int, str | None, str | None]


def build_filter(arch: Arch, own_pid: int) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions, for `arch` and this process's pid."""
    # Conditional jumps reach 255 instructions ahead at most; far targets go through
    # an unconditional _JA, whose offset is 32 bits. BPF jumps only forward, so every
    # return sits at the end.
    program: list[_Instruction | str] = [
        (_LD_W_ABS, _OFFSET_ARCH, None, None),
        (_JEQ, arch.audit_arch, "+1", None),
        (_JA, 0, "kill", None),
        (_LD_W_ABS, _OFFSET_NR, None, None),
    ]
    if arch is X86_64:
        program += [(_JGE, _X32_SYSCALL_BIT, None, "+1"), (_JA, 0, "kill", None)]
    for name in allowed_names():
        number = arch.number(name)
        if number is not None and name not in ARGUMENT_RULES:
            # "if nr == number: allow" as two instructions, so no jump is ever long.
            program += [(_JEQ, number, None, "+1"), (_RET, _RET_ALLOW, None, None)]
    for name in ENOSYS_CALLS:
        number = arch.number(name)
        if number is not None:
            program.append((_JEQ, number, "enosys", None))
    for name in ARGUMENT_RULES:
        number = arch.number(name)
        if number is not None:
            program += [(_JEQ, number, None, "+1"), (_JA, 0, f"rule:{name}", None)]
    program.append((_JGE, KNOWN_UP_TO + 1, "enosys", "eperm"))
    for name, rule in ARGUMENT_RULES.items():
        if arch.number(name) is None:
            continue
        program.append(f"rule:{name}")
        program.append((_LD_W_ABS, _OFFSET_ARGS + 8 * rule.arg, None, None))
        if rule.all_bits:
            # JSET tests "any bit": one bit per rule is all the filter needs here.
            program.append((_JSET, rule.all_bits, "allow", "eperm"))
            continue
        good, verdict = (rule.allowed, "allow") if rule.allowed else (rule.refused, "eperm")
        other = "eperm" if verdict == "allow" else "allow"
        values = [own_pid if v == "self" else int(v) for v in good]
        for value in values:
            program.append((_JEQ, value & 0xFFFFFFFF, verdict, None))
        program.append((_JA, 0, other, None))
    program += [
        "allow",
        (_RET, _RET_ALLOW, None, None),
        "eperm",
        (_RET, _RET_ERRNO | errno.EPERM, None, None),
        "enosys",
        (_RET, _RET_ERRNO | errno.ENOSYS, None, None),
        "kill",
        (_RET, _RET_KILL_PROCESS, None, None),
    ]
    return _assemble(program)


def _assemble(program: list[_Instruction | str]) -> list[tuple[int, int, int, int]]:
    """Resolve labels into the forward jump offsets classic BPF uses ("+1": skip one)."""
    labels: dict[str, int] = {}
    position = 0
    for item in program:
        if isinstance(item, str):
            labels[item] = position
        else:
            position += 1
    assembled: list[tuple[int, int, int, int]] = []

    def offset(label: str | None, here: int) -> int:
        if label is None:
            return 0
        if label.startswith("+"):
            return int(label[1:])
        return labels[label] - here - 1

    for item in program:
        if isinstance(item, str):
            continue
        code, k, when_true, when_false = item
        here = len(assembled)
        if code == _JA:
            assembled.append((code, 0, 0, offset(when_true, here)))
            continue
        jt, jf = offset(when_true, here), offset(when_false, here)
        if not (0 <= jt <= 255 and 0 <= jf <= 255):
            raise ValueError("seccomp filter jump out of range")
        assembled.append((code, jt, jf, k))
    if len(assembled) > 4096:
        raise ValueError("seccomp filter too long")
    return assembled


def current_arch() -> Arch | None:
    """The filter tables for this machine, or None when there are none."""
    return ARCHITECTURES.get(platform.machine()) if platform.system() == "Linux" else None


def apply_seccomp(own_pid: int) -> dict[str, object]:
    """Install the filter on this process (all threads); never raises.

    `own_pid` is the pid signals may still be sent to (the kernel's own, for interrupting
    itself and for raise/abort). Returns {"seccomp": True, "arch", "allowed", "tsync"} or
    {"seccomp": False, "reason"}.
    """
    arch = current_arch()
    if arch is None:
        return {"seccomp": False, "reason": f"no filter for {platform.machine()}"}
    instructions = build_filter(arch, own_pid)
    array = (_SockFilter * len(instructions))(*(_SockFilter(*i) for i in instructions))
    program = _SockFprog(len(instructions), array)

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    ulong = ctypes.c_ulong
    if libc.prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ulong(1), ulong(0), ulong(0), ulong(0)):
        return {"seccomp": False, "reason": f"no_new_privs: {_errno_text()}"}
    tsync = True
    seccomp_number = arch.number("seccomp")
    assert seccomp_number is not None
    result = libc.syscall(
        ctypes.c_long(seccomp_number),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(program),
    )
    if result != 0:
        tsync = False
        result = libc.prctl(
            ctypes.c_int(_PR_SET_SECCOMP),
            ulong(_SECCOMP_MODE_FILTER),
            ctypes.byref(program),
            ulong(0),
            ulong(0),
        )
    if result != 0:
        return {"seccomp": False, "reason": _errno_text()}
    allowed = sum(1 for n in allowed_names() if arch.number(n) is not None)
    return {
        "seccomp": True,
        "arch": arch.name,
        "policy": "allow-list",
        "allowed": allowed + len(ARGUMENT_RULES),
        "tsync": tsync,
    }


def _errno_text() -> str:
    code = ctypes.get_errno()
    return f"{errno.errorcode.get(code, code)} ({os.strerror(code)})"
