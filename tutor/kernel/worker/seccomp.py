"""seccomp: a kernel process may compute, use its own files and threads, and nothing else.

A classic BPF filter, built here with ctypes (no libseccomp), installed in each forked
kernel just before learner code runs (the fork server itself must still fork). It is
inherited by every thread and cannot be removed. Denied system calls fail with EPERM (a
clear Python PermissionError), except clone3 which fails with ENOSYS so that glibc falls
back to clone, where thread creation can be told apart from process creation.

Denied, and why:

- execve, execveat: no running other programs (a shell, curl, a compiler).
- fork, vfork, clone without CLONE_THREAD: no new processes (subprocess, os.system,
  os.fork, multiprocessing); threads stay allowed, TensorFlow starts its pools after fork.
- clone3 -> ENOSYS: its flags sit in memory a filter cannot read; glibc retries with clone.
- socket, socketpair: no network, no D-Bus or X11; descriptors inherited from the
  supervisor (the kernel's channel) keep working.
- io_uring_setup/enter/register: io_uring performs opens and connects without system
  calls that this filter could see.
- kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo: allowed only when the target
  is this process (own_pid); kill(0) and kill(-pgid) would reach the fork server and its
  other kernels, so they are refused. pidfd_open, pidfd_send_signal, pidfd_getfd refused.
- ptrace, process_vm_readv, process_vm_writev, kcmp: no reading or steering other processes.
- setsid, setpgid: the kernel stays in the session and group its supervisor signals.
- personality (except the query 0xffffffff): no changing the execution domain.
- keyctl, add_key, request_key: the kernel keyring is shared by the user's processes.
- mount, umount2, pivot_root, chroot, unshare, setns, open_tree, move_mount, fsopen,
  fsconfig, fsmount, fspick, mount_setattr: no namespaces or mounts (escape routes).
- bpf, perf_event_open, userfaultfd, fanotify_init: large kernel attack surface, no use here.
- name_to_handle_at, open_by_handle_at: file handles bypass path-based rules (Landlock).
- init_module, finit_module, delete_module, kexec_load, kexec_file_load, reboot, swapon,
  swapoff, acct, quotactl, syslog, iopl, ioperm, lookup_dcookie: administration.

A system call from another ABI (i386 via int 0x80, x32) kills the process: the numbers
above would mean something else there.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
from dataclasses import dataclass

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RET = 0x06  # BPF_RET | BPF_K

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6];
_OFFSET_NR = 0
_OFFSET_ARCH = 4
_OFFSET_ARG0_LOW = 16  # little-endian: the low 32 bits of args[0]

CLONE_THREAD = 0x00010000
_X32_SYSCALL_BIT = 0x40000000
_PERSONALITY_QUERY = 0xFFFFFFFF


@dataclass(frozen=True)
class Arch:
    """One architecture's audit id and the system call numbers the filter names."""

    name: str
    audit_arch: int
    seccomp: int
    denied: dict[str, int]
    clone: int
    clone3: int
    personality: int
    #: Calls allowed only when args[0] is this process's pid.
    own_pid_only: dict[str, int]


# Numbers shared by both (the newer calls have one table across architectures).
_COMMON_NEW = {
    "pidfd_send_signal": 424,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_open": 434,
    "pidfd_getfd": 438,
    "mount_setattr": 442,
}

X86_64 = Arch(
    name="x86_64",
    audit_arch=0xC000003E,
    seccomp=317,
    clone=56,
    clone3=435,
    personality=135,
    own_pid_only={
        "kill": 62,
        "tkill": 200,
        "tgkill": 234,
        "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297,
    },
    denied={
        "socket": 41,
        "socketpair": 53,
        "fork": 57,
        "vfork": 58,
        "execve": 59,
        "ptrace": 101,
        "syslog": 103,
        "setpgid": 109,
        "setsid": 112,
        "pivot_root": 155,
        "chroot": 161,
        "acct": 163,
        "mount": 165,
        "umount2": 166,
        "swapon": 167,
        "swapoff": 168,
        "reboot": 169,
        "iopl": 172,
        "ioperm": 173,
        "init_module": 175,
        "delete_module": 176,
        "quotactl": 179,
        "lookup_dcookie": 212,
        "kexec_load": 246,
        "add_key": 248,
        "request_key": 249,
        "keyctl": 250,
        "unshare": 272,
        "perf_event_open": 298,
        "fanotify_init": 300,
        "name_to_handle_at": 303,
        "open_by_handle_at": 304,
        "setns": 308,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "kcmp": 312,
        "finit_module": 313,
        "kexec_file_load": 320,
        "bpf": 321,
        "execveat": 322,
        "userfaultfd": 323,
        **_COMMON_NEW,
    },
)

AARCH64 = Arch(
    name="aarch64",
    audit_arch=0xC00000B7,
    seccomp=277,
    clone=220,
    clone3=435,
    personality=92,
    own_pid_only={
        "kill": 129,
        "tkill": 130,
        "tgkill": 131,
        "rt_sigqueueinfo": 138,
        "rt_tgsigqueueinfo": 240,
    },
    denied={
        "lookup_dcookie": 18,
        "umount2": 39,
        "mount": 40,
        "pivot_root": 41,
        "chroot": 51,
        "quotactl": 60,
        "acct": 89,
        "unshare": 97,
        "kexec_load": 104,
        "init_module": 105,
        "delete_module": 106,
        "syslog": 116,
        "ptrace": 117,
        "reboot": 142,
        "setpgid": 154,
        "setsid": 157,
        "socket": 198,
        "socketpair": 199,
        "add_key": 217,
        "request_key": 218,
        "keyctl": 219,
        "execve": 221,
        "swapon": 224,
        "swapoff": 225,
        "perf_event_open": 241,
        "fanotify_init": 262,
        "name_to_handle_at": 264,
        "open_by_handle_at": 265,
        "setns": 268,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "kcmp": 272,
        "finit_module": 273,
        "bpf": 280,
        "execveat": 281,
        "userfaultfd": 282,
        "kexec_file_load": 294,
        **_COMMON_NEW,
    },
)

ARCHITECTURES = {"x86_64": X86_64, "aarch64": AARCH64}


class _SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter)))


# An instruction before assembly: (code, k, jump-if-true label, jump-if-false label).
_Instruction = tuple[int, int, str | None, str | None]


def build_filter(arch: Arch, own_pid: int) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions, for `arch` and this process's pid."""
    program: list[_Instruction | str] = [
        (_LD_W_ABS, _OFFSET_ARCH, None, None),
        (_JEQ, arch.audit_arch, None, "kill"),
        (_LD_W_ABS, _OFFSET_NR, None, None),
    ]
    if arch is X86_64:
        program.append((_JGE, _X32_SYSCALL_BIT, "kill", None))
    for number in sorted(arch.denied.values()):
        program.append((_JEQ, number, "eperm", None))
    program += [
        (_JEQ, arch.clone3, "enosys", None),
        (_JEQ, arch.clone, "clone", None),
        (_JEQ, arch.personality, "personality", None),
    ]
    for number in sorted(arch.own_pid_only.values()):
        program.append((_JEQ, number, "own_pid", None))
    program += [
        (_RET, _RET_ALLOW, None, None),
        "clone",
        (_LD_W_ABS, _OFFSET_ARG0_LOW, None, None),
        (_JSET, CLONE_THREAD, "allow", "eperm"),
        "own_pid",
        (_LD_W_ABS, _OFFSET_ARG0_LOW, None, None),
        (_JEQ, own_pid & 0xFFFFFFFF, "allow", "eperm"),
        "personality",
        (_LD_W_ABS, _OFFSET_ARG0_LOW, None, None),
        (_JEQ, _PERSONALITY_QUERY, "allow", "eperm"),
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
    """Resolve labels into the forward jump offsets classic BPF uses."""
    labels: dict[str, int] = {}
    position = 0
    for item in program:
        if isinstance(item, str):
            labels[item] = position
        else:
            position += 1
    assembled: list[tuple[int, int, int, int]] = []
    for item in program:
        if isinstance(item, str):
            continue
        code, k, when_true, when_false = item
        here = len(assembled)
        jt = labels[when_true] - here - 1 if when_true else 0
        jf = labels[when_false] - here - 1 if when_false else 0
        if not (0 <= jt <= 255 and 0 <= jf <= 255):
            raise ValueError("seccomp filter jump out of range")
        assembled.append((code, jt, jf, k))
    return assembled


def current_arch() -> Arch | None:
    """The filter tables for this machine, or None when there are none."""
    return ARCHITECTURES.get(platform.machine()) if platform.system() == "Linux" else None


def apply_seccomp(own_pid: int) -> dict[str, object]:
    """Install the filter on this process (all threads); never raises.

    `own_pid` is the pid signals may still be sent to (the kernel's own, for interrupting
    itself and for raise/abort). Returns {"seccomp": True, "arch", "denied", "tsync"} or
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
    result = libc.syscall(
        ctypes.c_long(arch.seccomp),
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
    return {
        "seccomp": True,
        "arch": arch.name,
        "denied": len(arch.denied) + 1,
        "tsync": tsync,
    }


def _errno_text() -> str:
    code = ctypes.get_errno()
    return f"{errno.errorcode.get(code, code)} ({os.strerror(code)})"
