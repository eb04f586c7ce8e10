"""The security review's attacks, each run as a learner's cell in the real sandboxed kernel.

Every test here reproduces one thing a hostile cell did (issue 12) and checks that it no
longer works: the kernel changes, signals, traces or limits no process but itself,
changes no file's metadata outside its scratch, holds no memory outside the ceiling,
leaves nothing running or growing between cells unnoticed, and reaches neither its fork
server nor its sibling kernels. A passing cell is the failure: most assertions look at
the state outside the kernel (limits, modes, pids alive) rather than at the cell alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kernel_alive import assert_alive

from tutor.kernel.client import KernelClient
from tutor.kernel.errors import KernelDied
from tutor.words import tell

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def victim() -> Iterator[subprocess.Popen[bytes]]:
    """An unrelated process of the same user."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


# --- 1. other processes' limits -------------------------------------------------------------


async def test_prlimit_on_other_processes_is_refused(
    kernel: KernelClient, victim: subprocess.Popen[bytes]
) -> None:
    supervisor = os.getpid()
    before = {
        "cpu": resource.getrlimit(resource.RLIMIT_CPU),
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE),
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE),
    }
    victim_nofile = resource.prlimit(victim.pid, resource.RLIMIT_NOFILE)
    for target in (supervisor, victim.pid, "os.getppid()"):
        for limit, value in (("RLIMIT_CPU", "(1, 1)"), ("RLIMIT_FSIZE", "(0, 0)")):
            r = await kernel.run_cell(
                f"import os, resource\nresource.prlimit({target}, resource.{limit}, {value})"
            )
            assert r.outcome == "error" and r.error is not None, (target, limit, r)
            assert r.error.type == "PermissionError"
        r = await kernel.run_cell(
            f"import os, resource\nresource.prlimit({target}, resource.RLIMIT_NOFILE, (5, 5))"
        )
        assert r.outcome == "error", (target, r)
    assert resource.getrlimit(resource.RLIMIT_CPU) == before["cpu"]
    assert resource.getrlimit(resource.RLIMIT_FSIZE) == before["fsize"]
    assert resource.getrlimit(resource.RLIMIT_NOFILE) == before["nofile"]
    assert resource.prlimit(victim.pid, resource.RLIMIT_NOFILE) == victim_nofile
    # Its own limits stay its own to read (and to lower).
    r = await kernel.run_cell("import resource\nresource.prlimit(0, resource.RLIMIT_NOFILE)[0] > 0")
    assert r.outcome == "ok" and r.value == "True", r


async def test_scheduling_of_other_processes_is_refused(
    kernel: KernelClient, victim: subprocess.Popen[bytes]
) -> None:
    before = os.getpriority(os.PRIO_PROCESS, victim.pid)
    affinity = os.sched_getaffinity(victim.pid)
    for cell in (
        f"import os\nos.setpriority(os.PRIO_PROCESS, {victim.pid}, 19)",
        f"import os\nos.sched_setaffinity({victim.pid}, {{0}})",
        "import os\nos.setpriority(os.PRIO_PROCESS, os.getppid(), 19)",
    ):
        r = await kernel.run_cell(cell)
        assert r.outcome == "error", (cell, r)
    assert os.getpriority(os.PRIO_PROCESS, victim.pid) == before
    assert os.sched_getaffinity(victim.pid) == affinity


# --- 2. the fork server ---------------------------------------------------------------------

_FORGE_EVENTS = """
import os, json
forged = json.dumps({{"event": "spawned", "pid": {victim}}}).encode() + b"\\n"
reached = []
for n in range(64):
    try:
        fd = os.open(f"/proc/{{os.getppid()}}/fd/{{n}}", os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        continue
    try:
        os.write(fd, forged)
        reached.append(n)
    except OSError:
        pass
    os.close(fd)
reached
"""


async def test_the_fork_server_is_out_of_reach(
    kernel: KernelClient, victim: subprocess.Popen[bytes]
) -> None:
    r = await kernel.run_cell(_FORGE_EVENTS.format(victim=victim.pid))
    assert r.outcome == "ok" and r.value == "[]", r
    for cell in (
        "import os\nopen(f'/proc/{os.getppid()}/cmdline', 'rb').read()",
        "import os\nos.listdir(f'/proc/{os.getppid()}/fd')",
        "import os\nf = open(f'/proc/{os.getppid()}/mem', 'rb')",
        "import os, signal\nos.kill(os.getppid(), 0)",
        "import os, fcntl\nr, w = os.pipe()\nfcntl.fcntl(r, fcntl.F_SETOWN, os.getppid())",
        "import os, fcntl\nr, w = os.pipe()\nfcntl.fcntl(r, fcntl.F_SETSIG, 9)",
    ):
        r = await kernel.run_cell(cell)
        assert r.outcome == "error", (cell, r)
    # The next restart goes through the fork server as usual, and the victim lives.
    await kernel.restart()
    await assert_alive(kernel)
    assert victim.poll() is None


async def test_the_supervisor_trusts_no_pid_the_worker_reports(
    kernel: KernelClient, victim: subprocess.Popen[bytes]
) -> None:
    server = kernel._server
    assert server is not None
    # A pid the fork server "reported" that the kernel's credentials do not confirm, or
    # that is not the fork server's child, never becomes a fork.
    real = kernel.pid
    assert real is not None
    with pytest.raises(KernelDied):
        server._verified(victim.pid, victim.pid, server.area.forks / "forged")
    with pytest.raises(KernelDied):
        server._verified(victim.pid, real, server.area.forks / "forged")
    assert server.fork(victim.pid) is None
    assert server.signal(victim.pid, signal.SIGKILL) is False
    # A forged "spawned" waiting in the queue is not taken for the next fork.
    server._spawned.put_nowait(victim.pid)
    await kernel.restart()
    assert kernel.pid != victim.pid
    await assert_alive(kernel)
    assert victim.poll() is None


async def test_sibling_forks_cannot_reach_each_other(kernel: KernelClient) -> None:
    """Every fork (the learner's kernel, grading forks) has its own domain and scratch."""
    server = kernel._server
    assert server is not None
    first, second = await server.connect(), await server.connect()
    try:
        for channel in (first, second):
            await channel.handshake(timeout=60)
        assert first.fork is not None and second.fork is not None
        assert first.fork.scratch != second.fork.scratch

        async def run(channel: object, code: str) -> dict[str, object]:
            reply = await channel.request({"op": "run", "code": code})  # type: ignore[attr-defined]
            return reply["result"]  # type: ignore[no-any-return]

        other = second.fork.scratch
        for code in (
            f"import os, signal\nos.kill({second.pid}, signal.SIGKILL)",
            f"open('/proc/{second.pid}/cmdline', 'rb').read()",
            f"import os\nos.listdir({str(other)!r})",
            f"open({str(other / 'x.txt')!r}, 'w').write('x')",
        ):
            result = await run(first, code)
            assert result["outcome"] == "error", (code, result)
        result = await run(first, "import os\nos.getcwd()")
        assert result["value"] == repr(str(first.fork.scratch))
        result = await run(second, "1 + 1")
        assert result["value"] == "2"
    finally:
        first.close()
        second.close()


# --- 3. file metadata -------------------------------------------------------------------------


async def test_no_metadata_change_outside_scratch(kernel: KernelClient, tmp_path: Path) -> None:
    target = tmp_path / "progress.sqlite3"
    target.write_text("the learner's own data")
    target.chmod(0o644)
    os.utime(target, (1_700_000_000, 1_700_000_000))
    before = target.stat()
    readable = PROJECT / "tutor" / "__init__.py"
    readable_before = readable.stat()
    path = str(target)
    for cell in (
        f"import os\nos.chmod({path!r}, 0)",
        f"import os\nos.chmod({path!r}, 0o777, follow_symlinks=False)",
        f"import os\nos.chmod({str(tmp_path)!r}, 0)",
        f"import os\nos.utime({path!r}, (0, 0))",
        f"import os\nos.utime({path!r}, ns=(0, 0), follow_symlinks=False)",
        f"import os\nos.setxattr({path!r}, 'user.pwned', b'1')",
        f"import os\nos.chown({path!r}, os.getuid(), os.getgid())",
        f"import os\nos.lchown({path!r}, os.getuid(), os.getgid())",
        # the f* forms, through a file the kernel may read
        f"import os\nfd = os.open({str(readable)!r}, os.O_RDONLY)\n"
        f"os.fchmod(fd, {readable_before.st_mode & 0o7777})",
        f"import os\nfd = os.open({str(readable)!r}, os.O_RDONLY)\nos.utime(fd)",
        f"import os\nfd = os.open({str(readable)!r}, os.O_RDONLY)\n"
        "os.setxattr(fd, 'user.pwned', b'1')",
    ):
        r = await kernel.run_cell(cell)
        assert r.outcome == "error" and r.error is not None, (cell, r)
        assert r.error.type in ("PermissionError", "OSError"), (cell, r.error)
    after = target.stat()
    assert (after.st_mode, after.st_mtime_ns, after.st_atime_ns) == (
        before.st_mode,
        before.st_mtime_ns,
        before.st_atime_ns,
    )
    assert tmp_path.stat().st_mode & 0o777 != 0
    assert readable.stat().st_mtime_ns == readable_before.st_mtime_ns
    with pytest.raises(OSError):
        os.getxattr(readable, "user.pwned")


# --- 4. memory outside the ceiling ---------------------------------------------------------


async def test_memfd_is_refused(kernel: KernelClient) -> None:
    r = await kernel.run_cell("import os\nos.memfd_create('hidden')")
    assert r.outcome == "error" and r.error is not None and r.error.type == "PermissionError"
    await assert_alive(kernel)


@pytest.mark.slow
async def test_shared_memory_counts_against_the_ceiling(kernel: KernelClient) -> None:
    """A shared mapping escapes RLIMIT_DATA; the watch counts it (RssShmem in RSS)."""
    kernel.timeout = 60
    gib = kernel.memory_limit / 2**30
    r = await kernel.run_cell(
        "import mmap\n"
        f"m = mmap.mmap(-1, {int(kernel.memory_limit * 1.25)})\n"
        "for i in range(0, len(m), 4096):\n"
        "    m[i] = 1\n"
    )
    assert r.outcome == "killed", r
    assert r.error is not None and r.error.type == "MemoryError"
    assert f"{gib:.1f} GiB" in tell("en", r.error.message)
    await assert_alive(kernel)


# --- 5. between cells -------------------------------------------------------------------------


async def _wait_until(condition: object, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.05)


@pytest.mark.slow
async def test_a_kernel_growing_while_idle_is_restarted_and_told(kernel: KernelClient) -> None:
    await kernel.run_cell("kept = 1")
    r = await kernel.run_cell(
        "import mmap, threading, time\n"
        "def grow():\n"
        "    time.sleep(0.3)\n"
        f"    m = mmap.mmap(-1, {int(kernel.memory_limit * 1.25)})\n"
        "    for i in range(0, len(m), 4096):\n"
        "        m[i] = 1\n"
        "    time.sleep(60)\n"
        "threading.Thread(target=grow, daemon=True).start()\n"
        "'started'"
    )
    assert r.outcome == "ok" and r.value == "'started'", r
    await _wait_until(lambda: kernel.status == "dead")
    assert kernel.status == "dead"
    # The next cell is not blamed: it is told what happened, and not run.
    r = await kernel.run_cell("1 + 1")
    assert r.outcome == "killed" and r.error is not None, r
    assert "While no cell was running" in tell("en", r.error.message)
    assert "GiB" in tell("en", r.error.message) and "run it again" in tell("en", r.error.message)
    await assert_alive(kernel)
    r = await kernel.run_cell("kept")
    assert r.outcome == "error"  # a new kernel: the names went with the old one


async def test_a_thread_computing_while_idle_is_stopped(kernel: KernelClient) -> None:
    server = kernel._server
    assert server is not None
    limits = server.limits
    server.limits = dataclasses.replace(limits, idle_cpu_seconds=1.0)
    try:
        r = await kernel.run_cell(
            "import threading\n"
            "def spin():\n"
            "    while True:\n"
            "        pass\n"
            "threading.Thread(target=spin, daemon=True).start()"
        )
        assert r.outcome == "ok", r
        await _wait_until(lambda: kernel.status == "dead")
        r = await kernel.run_cell("1 + 1")
        assert r.outcome == "killed" and r.error is not None, r
        assert "CPU time" in tell("en", r.error.message)
    finally:
        server.limits = limits
    await assert_alive(kernel)


# --- 6. threads and scratch -------------------------------------------------------------------


async def test_threads_are_capped(kernel: KernelClient) -> None:
    kernel.timeout = 60
    r = await kernel.run_cell(
        "import threading, time\n"
        "threading.stack_size(64 * 1024)\n"
        "stop = threading.Event()\n"
        "for _ in range(1000):\n"
        "    threading.Thread(target=stop.wait, daemon=True).start()\n"
        "time.sleep(5)"
    )
    assert r.outcome == "killed", r
    assert r.error is not None and "threads" in tell("en", r.error.message)
    await assert_alive(kernel)


async def test_scratch_bytes_are_capped(kernel: KernelClient) -> None:
    kernel.timeout = 120
    r = await kernel.run_cell(
        "import time\n"
        "block = b'x' * (16 * 2**20)\n"
        "for i in range(48):\n"
        "    with open(f'f{i}', 'wb') as f:\n"
        "        f.write(block)\n"
        "time.sleep(5)"
    )
    assert r.outcome == "killed", r
    assert r.error is not None and "MiB of files" in tell("en", r.error.message)
    await assert_alive(kernel)


async def test_scratch_files_are_capped(kernel: KernelClient) -> None:
    kernel.timeout = 120
    r = await kernel.run_cell(
        "import time\nfor i in range(12_000):\n    open(f'n{i}', 'w').close()\ntime.sleep(5)"
    )
    assert r.outcome == "killed", r
    assert r.error is not None and "files" in tell("en", r.error.message)
    await assert_alive(kernel)


async def test_scratch_is_emptied_on_restart(kernel: KernelClient) -> None:
    r = await kernel.run_cell("import os\nopen('kept.txt', 'w').write('x')\nos.getcwd()")
    assert r.outcome == "ok" and r.value is not None
    old = Path(eval(r.value))
    assert (old / "kept.txt").exists()
    await kernel.restart()
    r = await kernel.run_cell("import os\nsorted(os.listdir('.'))")
    assert r.value == "[]", r
    await _wait_until(lambda: not old.exists(), 10)
    assert not old.exists()


# --- 8. smaller leaks -------------------------------------------------------------------------


async def test_other_processes_command_lines_are_unreadable(kernel: KernelClient) -> None:
    for path in ("/proc/1/cmdline", f"/proc/{os.getpid()}/cmdline", f"/proc/{os.getpid()}/environ"):
        r = await kernel.run_cell(f"open({path!r}, 'rb').read()")
        assert r.outcome == "error", (path, r)
    r = await kernel.run_cell("import os\nos.listdir('/proc')")
    assert r.outcome == "error"
    r = await kernel.run_cell("len(open('/proc/self/status').read()) > 0")
    assert r.value == "True", r


async def test_bidi_controls_never_reach_the_terminal(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "print('user\\u202egnp.exe \\u2066x\\u2069 \\u200b')\n'abc\\u202edef'"
    )
    for text in (r.stdout, r.value or ""):
        for control in ("\u202e", "\u2066", "\u2069", "\u200b"):
            assert control not in text
    assert "\\u202e" in r.stdout and "\\u202e" in (r.value or "")


async def test_a_huge_namespace_is_not_a_dead_kernel(kernel: KernelClient) -> None:
    r = await kernel.run_cell("globals()['x' * 9_000_000] = 1\nbig = 'y' * 9_000_000\n1")
    assert r.outcome == "ok" and r.value == "1", r
    await assert_alive(kernel)
    assert kernel.status == "ready"


async def test_an_overlong_forged_line_ends_the_kernel_with_a_reason(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "import os, socket, stat\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        if stat.S_ISSOCK(os.fstat(fd).st_mode):\n"
        "            os.write(fd, b'x' * (9 * 2**20))\n"
        "    except OSError:\n"
        "        pass\n"
        "import time\ntime.sleep(5)"
    )
    assert r.outcome == "killed", r
    assert r.error is not None and "larger than the tutor accepts" in tell("en", r.error.message)
    await assert_alive(kernel)
