"""Reading an `strace -f` log of a fork server: which system calls its kernels made.

`strace -f -qq -o LOG -p SERVER` follows every fork the server makes from then on; each
log line starts with the thread id. This module rebuilds which threads belong to which
process (clone with CLONE_THREAD makes a thread, anything else a process), takes the
fork server's child processes as its kernels, and counts their calls made after their
seccomp filter was installed (the calls before it, such as Landlock's, are not subject
to the filter). Calls refused by the filter show as `= -1 EPERM`/`ENOSYS`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_LINE = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\()")
_RESULT = re.compile(r"= (-?\d+)(?: (E[A-Z]+))?")


@dataclass
class KernelCalls:
    """What the kernels in one log did after their filter was installed."""

    calls: Counter[str] = field(default_factory=Counter)
    #: (call, errno name) for calls that failed with EPERM or ENOSYS.
    refused: Counter[tuple[str, str]] = field(default_factory=Counter)
    kernels: int = 0


def read_log(path: Path, server: int) -> KernelCalls:
    """The calls of `server`'s child processes (its kernels) and their threads."""
    lines = path.read_text(errors="replace").splitlines()
    thread_parent: dict[int, int] = {}
    process_parent: dict[int, int] = {}
    pending: dict[int, str] = {}
    parsed: list[tuple[int, str, str]] = []  # (tid, call, text of the finished call)
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        tid = int(match.group(1))
        if match.group(3):
            name = match.group(3)
            if "<unfinished ...>" in line:
                pending[tid] = line
                continue
            text = line
        else:
            name = match.group(2)
            text = pending.pop(tid, "") + line
        parsed.append((tid, name, text))
        if name in ("clone", "clone3", "fork", "vfork"):
            child = re.search(r"= (\d+)\s*$", line)
            if child:
                target = thread_parent if "CLONE_THREAD" in text else process_parent
                target[int(child.group(1))] = tid

    def process_of(tid: int) -> int:
        while tid in thread_parent:
            tid = thread_parent[tid]
        return tid

    kernels = {pid for pid, parent in process_parent.items() if process_of(parent) == server}
    filtered: set[int] = set()
    result = KernelCalls(kernels=len(kernels))
    for tid, name, text in parsed:
        process = process_of(tid)
        if process not in kernels:
            continue
        if process not in filtered:
            if name == "seccomp" and "SECCOMP_SET_MODE_FILTER" in text and "= 0" in text:
                filtered.add(process)
            continue
        result.calls[name] += 1
        outcome = _RESULT.search(text.rsplit(")", 1)[-1])
        if outcome and outcome.group(2) in ("EPERM", "ENOSYS"):
            result.refused[(name, outcome.group(2))] += 1
    return result
