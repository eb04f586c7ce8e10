"""Every way a learner's cell can go wrong ends with a clear result and a living tutor.

Each test runs the bad cell in a real sandboxed kernel, checks what came back, and then
checks the kernel still answers (`1 + 1`), restarted if it had to be.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kernel_alive import assert_alive

from tutor.kernel.client import KernelClient
from tutor.words import tell


@pytest.mark.slow
@pytest.mark.parametrize(
    "code",
    [
        "while True:\n    pass",
        "import time\ntime.sleep(1e9)",
        "@tf.function\ndef forever(i):\n    return tf.while_loop(lambda i: True, lambda i: i + 1, [i])\nforever(tf.constant(0))",
    ],
    ids=["python-loop", "sleep", "tf-while-loop"],
)
async def test_endless_cells_time_out(kernel: KernelClient, code: str) -> None:
    kernel.timeout = 2.0
    r = await kernel.run_cell(code)
    assert r.outcome == "timeout"
    assert r.error is not None and "longer than 2 s" in tell("en", r.error.message)
    await assert_alive(kernel)


async def test_interrupt_stops_a_running_cell(kernel: KernelClient) -> None:
    import asyncio

    kernel.timeout = 30
    running = asyncio.create_task(kernel.run_cell("x = 5\nwhile True:\n    pass"))
    while kernel.status != "busy":
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    await kernel.interrupt()
    r = await running
    assert r.outcome == "interrupted"
    r = await kernel.run_cell("x")
    assert r.value == "5"  # a Python loop yields to SIGINT: names are kept


async def test_huge_tensor_is_refused_not_fatal(kernel: KernelClient) -> None:
    r = await kernel.run_cell("t = tf.zeros((10_000_000_000,))")
    assert r.outcome == "error"
    assert r.error is not None and r.error.type == "ResourceExhaustedError"
    await assert_alive(kernel)


@pytest.mark.slow
async def test_memory_leak_is_stopped(kernel: KernelClient) -> None:
    kernel.timeout = 30
    r = await kernel.run_cell("keep = []\nwhile True:\n    keep.append(np.ones(10_000_000))")
    assert r.outcome in ("error", "killed"), r
    await assert_alive(kernel)


async def test_deep_recursion(kernel: KernelClient) -> None:
    r = await kernel.run_cell("def f(n):\n    return f(n + 1)\nf(0)")
    assert r.outcome == "error" and r.error is not None and r.error.type == "RecursionError"
    await assert_alive(kernel)


@pytest.mark.slow
async def test_huge_and_endless_print_are_capped(kernel: KernelClient) -> None:
    r = await kernel.run_cell("print('x' * 10_000_000)")
    assert r.outcome == "ok" and len(r.stdout) < 30_000 and "not shown" in r.stdout
    kernel.timeout = 2.0
    r = await kernel.run_cell("while True:\n    print('spam')")
    assert r.outcome == "timeout" and len(r.stdout) < 30_000
    await assert_alive(kernel)


async def test_terminal_escapes_and_markup_are_defused(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "print('\\x1b[2J\\x1b]0;pwned\\x07[bold red]hi[/]\\x07')\n'\\x1b[31mred'"
    )
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "[bold red]hi[/]" in r.stdout  # shown literally; frontends never parse it as markup
    assert r.value is not None and "\x1b" not in r.value


async def test_invalid_utf8_output(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "import os\nos.write(1, b'caf\\xe9 \\xff\\xfe\\n')\nimport time\ntime.sleep(0.2)"
    )
    assert r.outcome == "ok"
    await assert_alive(kernel)


@pytest.mark.parametrize(
    "code",
    ["exit()", "quit()", "import sys\nsys.exit(3)", "raise SystemExit"],
)
async def test_exit_does_not_end_the_kernel(kernel: KernelClient, code: str) -> None:
    await kernel.run_cell("kept = 1")
    r = await kernel.run_cell(code)
    assert r.outcome == "error" and r.error is not None and r.error.type == "SystemExit"
    assert (await kernel.run_cell("kept")).value == "1"


@pytest.mark.parametrize(
    "code",
    [
        "import os\nos._exit(0)",
        "import ctypes\nctypes.string_at(0)",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    ],
    ids=["os-exit", "segfault", "self-kill"],
)
async def test_a_dying_kernel_is_restarted(kernel: KernelClient, code: str) -> None:
    r = await kernel.run_cell(code)
    assert r.outcome == "crashed"
    assert r.error is not None and "restarted" in tell("en", r.error.message)
    # how it ended, as the fork server saw it
    assert any(
        how in tell("en", r.error.message) for how in ("exit code 0", "SIGSEGV", "SIGKILL")
    ), r.error
    await assert_alive(kernel)


async def test_closing_stdout_and_stderr(kernel: KernelClient) -> None:
    r = await kernel.run_cell("import sys, os\nsys.stdout.close()\nos.close(1)\nos.close(2)")
    assert r.outcome in ("ok", "error")
    r = await kernel.run_cell("print('still here')\n7")
    assert r.value == "7"


async def test_background_thread_printing(kernel: KernelClient) -> None:
    code = (
        "import threading, time\n"
        "def spam():\n"
        "    while True:\n"
        "        print('bg')\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=spam, daemon=True).start()\n"
        "time.sleep(0.1)"
    )
    r = await kernel.run_cell(code)
    assert r.outcome == "ok" and "bg" in r.stdout
    r = await kernel.run_cell("import time\ntime.sleep(0.3)\n'done'")
    assert r.value == "'done'" and len(r.stdout) < 30_000


# -- what the sandbox forbids ------------------------------------------------------------


def _host_supports(layer: str) -> bool:
    """Whether this Linux kernel offers the layer at all (then the sandbox must use it)."""
    try:
        if layer == "landlock":
            return "landlock" in Path("/sys/kernel/security/lsm").read_text()
        if layer == "seccomp":
            return "Seccomp:" in Path("/proc/self/status").read_text()
    except OSError:
        return False
    return False


def _isolated(kernel: KernelClient, layer: str) -> bool:
    """True when the layer holds; a layer the host offers but the kernel lacks is a failure."""
    held = bool(kernel.info and kernel.info.isolation.get(layer))
    assert held or not _host_supports(layer), f"{layer} is available here but did not hold"
    return held


@pytest.mark.parametrize(
    "code",
    [
        "import os\nos.system('touch /tmp/tutor-escaped')",
        "import subprocess\nsubprocess.run(['touch', '/tmp/tutor-escaped'])",
        "import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)",
    ],
    ids=["os-system", "subprocess", "fork"],
)
async def test_no_new_programs(kernel: KernelClient, code: str) -> None:
    if not _isolated(kernel, "seccomp"):
        pytest.skip("seccomp is not available on this kernel")
    Path("/tmp/tutor-escaped").unlink(missing_ok=True)
    r = await kernel.run_cell(code)
    # os.system reports the failure as a non-zero status (sh could not be started)
    assert r.outcome == "error" or (r.outcome == "ok" and r.value not in ("0", None))
    assert not Path("/tmp/tutor-escaped").exists()
    await assert_alive(kernel)


async def test_no_sockets(kernel: KernelClient) -> None:
    if not _isolated(kernel, "seccomp"):
        pytest.skip("seccomp is not available on this kernel")
    r = await kernel.run_cell(
        "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)"
    )
    assert r.outcome == "error" and r.error is not None
    assert r.error.type in ("PermissionError", "OSError")


@pytest.mark.parametrize(
    "reader",
    [
        "open({path!r}).read()",
        "tf.io.read_file({path!r})",
        "tf.io.gfile.GFile({path!r}).read()",
    ],
    ids=["python", "tf-io", "gfile"],
)
async def test_private_files_are_unreadable(
    kernel: KernelClient, tutor_home: Path, reader: str
) -> None:
    if not _isolated(kernel, "landlock"):
        pytest.skip("Landlock is not available on this kernel")
    tutor_home.mkdir(parents=True, exist_ok=True)
    store = tutor_home / "progress.sqlite3"
    store.write_text("private")
    for path in (str(store), "/etc/passwd", str(Path.home() / ".bashrc")):
        r = await kernel.run_cell(reader.format(path=path))
        assert r.outcome == "error", (path, r.value)


@pytest.mark.parametrize(
    "writer",
    [
        "open({path!r}, 'a').write('x')",
        "tf.io.write_file({path!r}, 'x')",
        "import sqlite3\nsqlite3.connect({path!r}).execute('create table t(x)')",
    ],
    ids=["python", "tf-io", "sqlite"],
)
async def test_the_progress_store_cannot_be_written(
    kernel: KernelClient, tutor_home: Path, writer: str
) -> None:
    if not _isolated(kernel, "landlock"):
        pytest.skip("Landlock is not available on this kernel")
    tutor_home.mkdir(parents=True, exist_ok=True)
    store = tutor_home / "progress.sqlite3"
    store.write_text("private")
    r = await kernel.run_cell(writer.format(path=str(store)))
    assert r.outcome == "error"
    assert store.read_text() == "private"


async def test_writes_outside_scratch_are_refused(kernel: KernelClient, tmp_path: Path) -> None:
    if not _isolated(kernel, "landlock"):
        pytest.skip("Landlock is not available on this kernel")
    target = tmp_path / "written.txt"
    r = await kernel.run_cell(f"open({str(target)!r}, 'w').write('x')")
    assert r.outcome == "error" and not target.exists()
    r = await kernel.run_cell("open('scratch.txt', 'w').write('ok')")
    assert r.outcome == "ok"


async def test_signals_to_the_parent_are_refused(kernel: KernelClient) -> None:
    if not _isolated(kernel, "seccomp"):
        pytest.skip("seccomp is not available on this kernel")
    parent = os.getpid()
    r = await kernel.run_cell(f"import os, signal\nos.kill({parent}, signal.SIGTERM)")
    assert r.outcome == "error"
    r = await kernel.run_cell("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    assert r.outcome == "error"
    r = await kernel.run_cell("import os, signal\nos.kill(0, signal.SIGKILL)")
    assert r.outcome == "error"
    await assert_alive(kernel)
