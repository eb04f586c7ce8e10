"""The seccomp allow-list as a program: every decision, on both architectures, without a
kernel (a small classic-BPF interpreter runs the filter), and its numbers against the
kernel headers. tests/test_seccomp_record.py checks the table against what a real
TensorFlow kernel calls.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from tutor.kernel.worker import seccomp
from tutor.kernel.worker.syscall_numbers import NUMBERS

ALLOW, EPERM, ENOSYS, KILL = 0x7FFF0000, 0x00050001, 0x00050026, 0x80000000
ARCHES = [seccomp.X86_64, seccomp.AARCH64]


def run_filter(program: list[tuple[int, int, int, int]], data: bytes) -> int:
    """A classic BPF interpreter for the instructions the filter uses."""
    accumulator = 0
    pc = 0
    steps = 0
    while True:
        steps += 1
        assert steps < 10_000, "the filter loops"
        code, jt, jf, k = program[pc]
        if code == 0x20:
            accumulator = struct.unpack_from("<I", data, k)[0]
            pc += 1
        elif code == 0x05:
            pc += 1 + k
        elif code in (0x15, 0x35, 0x45):
            taken = {
                0x15: accumulator == k,
                0x35: accumulator >= k,
                0x45: bool(accumulator & k),
            }[code]
            pc += 1 + (jt if taken else jf)
        elif code == 0x06:
            return k
        else:
            raise AssertionError(f"unexpected instruction {code:#x}")


def seccomp_data(arch: seccomp.Arch, nr: int, *args: int, audit_arch: int | None = None) -> bytes:
    audit = arch.audit_arch if audit_arch is None else audit_arch
    values = [*args, *([0] * (6 - len(args)))]
    return struct.pack("<iIQ6Q", nr, audit, 0, *(v & 0xFFFFFFFFFFFFFFFF for v in values))


OWN = 4242


def decider(arch: seccomp.Arch):  # type: ignore[no-untyped-def]
    program = seccomp.build_filter(arch, OWN)

    def decide(name: str, *args: int, audit_arch: int | None = None) -> int:
        number = arch.number(name)
        assert number is not None, name
        return run_filter(program, seccomp_data(arch, number, *args, audit_arch=audit_arch))

    return decide


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_every_allowed_call_is_allowed(arch: seccomp.Arch) -> None:
    decide = decider(arch)
    for name in seccomp.allowed_names():
        if arch.number(name) is not None:
            assert decide(name) == ALLOW, name


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_everything_else_is_refused(arch: seccomp.Arch) -> None:
    """Default deny: every call the table does not allow is refused, EPERM when known."""
    decide = decider(arch)
    allowed = set(seccomp.allowed_names()) | set(seccomp.ARGUMENT_RULES)
    for name in NUMBERS:
        if name in allowed or arch.number(name) is None:
            continue
        expected = ENOSYS if name in seccomp.ENOSYS_CALLS else EPERM
        assert decide(name) == expected, name


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_the_holes_of_the_review_are_closed(arch: seccomp.Arch) -> None:
    """The calls the deny-list did not name: limits, memfds, file metadata."""
    decide = decider(arch)
    for name in (
        "memfd_create",
        "memfd_secret",
        "chmod",
        "fchmod",
        "fchmodat",
        "chown",
        "fchown",
        "lchown",
        "fchownat",
        "utime",
        "utimes",
        "futimesat",
        "utimensat",
        "setxattr",
        "lsetxattr",
        "fsetxattr",
        "removexattr",
        "lremovexattr",
        "fremovexattr",
        "shmget",
        "shmat",
        "process_madvise",
        "process_mrelease",
        "migrate_pages",
        "move_pages",
        "get_robust_list",
        "ioprio_set",
        "pidfd_open",
        "pidfd_send_signal",
        "pidfd_getfd",
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "kcmp",
        "execve",
        "execveat",
        "fork",
        "vfork",
        "socket",
        "connect",
        "sendmsg",
        "io_uring_setup",
        "setsid",
        "setpgid",
        "unshare",
        "setns",
        "mount",
        "bpf",
        "perf_event_open",
        "userfaultfd",
        "keyctl",
        "name_to_handle_at",
        "open_by_handle_at",
        "landlock_restrict_self",
    ):
        if arch.number(name) is not None:
            assert decide(name) == EPERM, name


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_calls_allowed_only_for_this_process(arch: seccomp.Arch) -> None:
    decide = decider(arch)
    for name in ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        assert decide(name, OWN) == ALLOW, name
        for other in (1, 0, -1, -OWN, OWN + 1):
            assert decide(name, other) == EPERM, (name, other)
    for name in (
        "prlimit64",
        "sched_setaffinity",
        "sched_setparam",
        "sched_setscheduler",
        "sched_setattr",
    ):
        assert decide(name, 0) == ALLOW, name
        assert decide(name, OWN) == ALLOW, name
        assert decide(name, 1) == EPERM, name
        assert decide(name, OWN + 1) == EPERM, name
    assert decide("setpriority", 0, 0) == ALLOW
    assert decide("setpriority", 0, 1) == EPERM  # PRIO_PROCESS, pid 1


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_calls_allowed_without_some_arguments(arch: seccomp.Arch) -> None:
    decide = decider(arch)
    assert decide("clone", seccomp.CLONE_THREAD | 0x00000F00) == ALLOW
    assert decide("clone", 0x11) == EPERM  # SIGCHLD: what fork() passes
    assert decide("clone3") == ENOSYS
    for command in (0, 1, 2, 3, 4, 1030):  # F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL...
        assert decide("fcntl", 3, command) == ALLOW, command
    for command in (8, 10, 15):  # F_SETOWN, F_SETSIG, F_SETOWN_EX
        assert decide("fcntl", 3, command) == EPERM, command
    for command in (0x5401, 0x5413, 0x5421):  # TCGETS, TIOCGWINSZ, FIONBIO
        assert decide("ioctl", 3, command) == ALLOW, command
    for command in (0x8901, 0x8902, 0x5412):  # FIOSETOWN, SIOCSPGRP, TIOCSTI
        assert decide("ioctl", 3, command) == EPERM, command
    assert decide("prctl", 15) == ALLOW  # PR_SET_NAME
    for option in (1, 4, 36, 0x59616D61):  # PDEATHSIG, DUMPABLE, SUBREAPER, PTRACER
        assert decide("prctl", option) == EPERM, option
    assert decide("personality", 0xFFFFFFFF) == ALLOW
    assert decide("personality", 0x0040000) == EPERM


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_other_abis_are_killed_and_unknown_calls_say_enosys(arch: seccomp.Arch) -> None:
    program = seccomp.build_filter(arch, OWN)
    assert run_filter(program, seccomp_data(arch, 0, audit_arch=0x40000003)) == KILL
    if arch is seccomp.X86_64:
        assert run_filter(program, seccomp_data(arch, 0x40000000 + 59)) == KILL  # x32
    newer = seccomp.KNOWN_UP_TO + 1
    assert run_filter(program, seccomp_data(arch, newer)) == ENOSYS
    assert run_filter(program, seccomp_data(arch, 1023)) == ENOSYS


def test_every_call_is_in_one_table_with_a_reason() -> None:
    seen: set[str] = set()
    for reason, names in seccomp.ALLOWED.items():
        assert reason
        for name in names:
            assert name in NUMBERS, name
            assert name not in seen, f"{name} twice"
            assert name not in seccomp.ARGUMENT_RULES, f"{name} is also argument-checked"
            seen.add(name)
    for name, rule in seccomp.ARGUMENT_RULES.items():
        assert name in NUMBERS and rule.why, name


def _header_numbers(path: Path) -> dict[str, int]:
    """`__NR_name` values, following `__NR3264_*` aliases (aarch64's 64-bit calls)."""
    values: dict[str, int] = {}
    aliases: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = re.match(r"#define __NR(3264)?_(\w+)\s+(\S+)", line)
        if not match:
            continue
        key = ("3264_" if match.group(1) else "") + match.group(2)
        if match.group(3).isdigit():
            values[key] = int(match.group(3))
        else:
            aliases[key] = match.group(3).replace("__NR3264_", "3264_").replace("__NR_", "")
    for key, target in aliases.items():
        if not key.startswith("3264_") and target in values:
            values.setdefault(key, values[target])
    return values


@pytest.mark.parametrize(
    ("column", "header"),
    [
        (0, "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
        (1, "/usr/include/asm-generic/unistd.h"),
    ],
    ids=["x86_64", "aarch64"],
)
def test_syscall_numbers_match_the_kernel_headers(column: int, header: str) -> None:
    path = Path(header)
    if not path.exists():
        pytest.skip(f"{header} not installed")
    numbers = _header_numbers(path)
    for name, pair in NUMBERS.items():
        if pair[column] is not None:
            assert numbers.get(name) == pair[column], name
    assert max(v for v in numbers.values()) <= seccomp.KNOWN_UP_TO + 1
