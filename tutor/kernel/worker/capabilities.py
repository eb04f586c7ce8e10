"""Drop every Linux capability, so a worker running as root is an ordinary owner.

On machines where everything runs as root, uid 0 with full capabilities could raise its
rlimits again (CAP_SYS_RESOURCE), read any file whatever its mode (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH), signal or trace any process (CAP_KILL, CAP_SYS_PTRACE), mount,
load modules... After `drop_capabilities` the uid is still 0 (the interpreter may live
under /root, mode 700, reachable only by its owner), but the capability sets are empty,
the bounding set is empty (an exec cannot bring them back) and the securebits are locked
so that uid 0 never regains them.

What this does NOT stop, and which layer does: root-owned files stay readable by their
owner (Landlock), and other root processes can still be signalled (seccomp, Landlock
scoping). Capabilities are per thread: call this before any thread is started.
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path

_PR_CAPBSET_DROP = 24
_PR_SET_SECUREBITS = 28
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

# securebits: NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE, each with its lock, and the
# lock of KEEP_CAPS (left off): uid 0 gets no capabilities from exec or setuid ever again.
_SECURE_BITS = 0b1110_1111

_CAP_FIELDS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = (
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    )


def capability_sets() -> dict[str, int]:
    """This thread's capability sets as /proc reports them ("CapEff": 0, ...)."""
    sets: dict[str, int] = {}
    status = Path(f"/proc/self/task/{threading.get_native_id()}/status")
    for line in status.read_text().splitlines():
        key, _, value = line.partition(":")
        if key in _CAP_FIELDS:
            sets[key] = int(value.strip(), 16)
    return sets


def holds_no_capabilities(*, bounding: bool = False) -> bool:
    """Whether this thread's capability sets are empty (and the bounding set, if asked).

    The bounding set only limits what an exec could grant; an unprivileged process cannot
    empty it and, with no_new_privs set (Landlock, seccomp), exec grants nothing anyway.
    """
    try:
        sets = capability_sets()
    except (OSError, ValueError):
        return False
    if not bounding:
        sets.pop("CapBnd", None)
    return not any(sets.values())


def drop_capabilities() -> bool:
    """Empty every capability set of this thread; True when all are verified empty.

    A process that holds no capability has nothing to drop: True (its bounding set may
    stay full, see `holds_no_capabilities`). A process holding some also empties its
    bounding set and must then hold none at all. Nothing is raised: a failure leaves the
    process as it was and returns False.
    """
    if holds_no_capabilities():
        return True
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0)
    # While CAP_SETPCAP is still held: lock uid 0 out of capabilities for good.
    libc.prctl(_PR_SET_SECUREBITS, _SECURE_BITS, 0, 0)
    for cap in range(_last_capability() + 1):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0)
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        return False
    return holds_no_capabilities(bounding=True)


def _last_capability() -> int:
    try:
        return int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        return 63


def running_as_root() -> bool:
    """Whether the effective uid is 0 (capabilities matter most then)."""
    return os.geteuid() == 0
