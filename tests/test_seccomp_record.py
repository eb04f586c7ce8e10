"""The allow-list, recorded: what a real TensorFlow kernel calls, under strace.

strace follows the fork server while its kernels run (1) the hostile suite's cells and
(2) every lesson as the validator walks it (examples, exercises, solutions and wrong
answers, both languages). Every call a kernel makes after its filter is installed must
be one the table allows; the only refusals allowed are the hostile cells' own attempts
and clone3's ENOSYS (the C library then uses clone). `-s` prints the recorded table.

Needs strace and ptrace; skipped otherwise. The lessons take minutes under strace, so
they are recorded when TUTOR_RECORD_LESSONS=1 (`tutor lessons check` runs them under the
filter in every full run anyway: a refused call there fails a lesson).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from syscall_trace import KernelCalls, read_log

from tutor.kernel.client import KernelClient
from tutor.kernel.worker import seccomp

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed"),
    pytest.mark.skipif(seccomp.current_arch() is None, reason="no seccomp filter here"),
]

#: Cells of the hostile suite, each with the calls it makes on purpose (refused).
HOSTILE: list[tuple[str, tuple[str, ...]]] = [
    ("import os\npid = os.fork()", ("clone", "fork")),
    ("import subprocess\nsubprocess.run(['true'])", ("clone", "vfork", "pipe2", "execve")),
    ("import socket\nsocket.socket()", ("socket",)),
    ("import os, signal\nos.kill(os.getppid(), signal.SIGTERM)", ("kill",)),
    (
        "import resource, os\nresource.prlimit(os.getppid(), resource.RLIMIT_CPU, (1, 1))",
        ("prlimit64",),
    ),
    ("import os\nos.chmod('/etc/passwd', 0)", ("chmod", "fchmodat")),
    ("import os\nos.utime('/etc/passwd', (0, 0))", ("utimensat",)),
    ("import os\nos.setxattr('/etc/passwd', 'user.x', b'1')", ("setxattr",)),
    ("import os\nos.memfd_create('x')", ("memfd_create",)),
    (
        "import os, fcntl\nr, w = os.pipe()\nfcntl.fcntl(r, fcntl.F_SETOWN, os.getppid())",
        ("fcntl",),
    ),
    ("open('/etc/passwd').read()", ()),
    ("import mmap\nm = mmap.mmap(-1, 2**20)\nm[0] = 1", ()),
    (
        "import threading\nts = [threading.Thread(target=lambda: None) for _ in range(20)]\n"
        "[t.start() for t in ts]\n[t.join() for t in ts]",
        (),
    ),
    ("import time\ntime.sleep(0.2)\nprint('x' * 100_000)", ()),
    ("open('a.txt', 'w').write('x')\nimport os\nos.rename('a.txt', 'b.txt')\nos.listdir('.')", ()),
    ("import numpy as np\nnp.save('a.npy', np.ones(10))\nnp.load('a.npy').sum()", ()),
    ("import asyncio\nasyncio.run(asyncio.sleep(0.01))", ()),
    ("def f(n):\n    return f(n + 1)\nf(0)", ()),
    ("t = tf.zeros((10_000_000_000,))", ()),
    (
        "x = tf.Variable(tf.random.normal((64, 64)))\nwith tf.GradientTape() as g:\n"
        "    y = tf.reduce_sum(tf.linalg.matmul(x, x))\ng.gradient(y, x).shape",
        (),
    ),
    ("raise SystemExit", ()),
    ("import sys\nsys.stdout.close()", ()),
]


class Tracer:
    """strace attached to a fork server until `stop`."""

    def __init__(self, server: int, log: Path) -> None:
        self.server = server
        self.log = log
        self.process = subprocess.Popen(
            ["strace", "-f", "-qq", "-s", "0", "-o", str(log), "-p", str(server)],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self._attached():
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                pytest.skip(f"strace cannot attach here: {err.strip()[:200]}")
            time.sleep(0.05)

    def _attached(self) -> bool:
        try:
            status = Path(f"/proc/{self.server}/status").read_text()
        except OSError:
            return False
        tracer = next(line for line in status.splitlines() if line.startswith("TracerPid:"))
        return tracer.split()[1] != "0"

    def stop(self) -> KernelCalls:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return read_log(self.log, self.server)


def _allowed() -> set[str]:
    """Calls the filter lets through (clone3 is refused with ENOSYS on purpose: the C
    library falls back to clone)."""
    return set(seccomp.allowed_names()) | set(seccomp.ARGUMENT_RULES) | {"clone3"}


def _report(title: str, calls: KernelCalls) -> None:
    print(f"\n{title}: {calls.kernels} kernels")
    for name, count in sorted(calls.calls.items(), key=lambda item: -item[1]):
        mark = "" if name in _allowed() else "   <- not in the allow-list"
        print(f"  {name:<24} {count}{mark}")
    for (name, code), count in sorted(calls.refused.items()):
        print(f"  refused: {name} {code} x{count}")


def _server_pid(kernel: KernelClient) -> int:
    assert kernel._server is not None and kernel._server.process is not None
    return kernel._server.process.pid


async def test_the_hostile_suite_needs_only_allowed_calls(tmp_path: Path) -> None:
    kernel = KernelClient(device="cpu", timeout=30, memory_limit=2 * 2**30)
    await kernel.start()
    tracer = Tracer(_server_pid(kernel), tmp_path / "hostile.log")
    deliberate: set[str] = set()
    try:
        await kernel.restart()  # a fork traced from its first instruction
        for cell, calls in HOSTILE:
            deliberate.update(calls)
            await kernel.run_cell(cell)
        running = asyncio.create_task(kernel.run_cell("while True:\n    pass"))
        while kernel.status != "busy":
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        await kernel.interrupt()
        await running
    finally:
        calls = tracer.stop()
        await kernel.close()
    _report("hostile suite", calls)
    assert calls.kernels >= 1 and calls.calls["futex"] > 0
    unexpected = set(calls.calls) - _allowed() - deliberate
    assert not unexpected, f"calls outside the allow-list: {sorted(unexpected)}"
    refused = {name for name, code in calls.refused if code == "EPERM"}
    assert refused <= deliberate, sorted(refused - deliberate)


@pytest.mark.skipif(
    os.environ.get("TUTOR_RECORD_LESSONS") != "1", reason="set TUTOR_RECORD_LESSONS=1"
)
async def test_every_lesson_needs_only_allowed_calls(tmp_path: Path) -> None:
    from tutor.validate import validate

    kernel = KernelClient(device="cpu", timeout=120, memory_limit=4 * 2**30)
    await kernel.start()
    tracer = Tracer(_server_pid(kernel), tmp_path / "lessons.log")
    try:
        await kernel.restart()
        tally = await validate([], workers=1, make_kernel=lambda: kernel)
    finally:
        calls = tracer.stop()
        await kernel.close()
    _report("lessons", calls)
    assert not tally.failures, tally.failures[:5]
    assert calls.kernels >= 1 and calls.calls["futex"] > 0
    outside = set(calls.calls) - _allowed()
    assert not outside, f"the lessons need calls outside the allow-list: {sorted(outside)}"
    refused = {(name, code) for name, code in calls.refused}
    assert refused <= {("clone3", "ENOSYS")}, sorted(refused)
