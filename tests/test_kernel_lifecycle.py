"""The kernel's life cycle across processes: dying with the tutor, surviving its server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.kernel.client import KernelClient
from tutor.kernel.scratch import remove_stale
from tutor.words import tell

SUPERVISOR = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from tutor.kernel.client import KernelClient

    async def main():
        kernel = KernelClient(device="cpu")
        await kernel.start()
        server = kernel._server.process.pid
        await kernel.run_cell("open('left-behind.txt', 'w').write('x')")
        scratch = str(kernel._server.area.root)
        print(json.dumps({"server": server, "kernel": kernel.pid, "scratch": scratch}), flush=True)
        await asyncio.sleep(600)  # until the test kills the tutor with SIGKILL

    asyncio.run(main())
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_worker_processes_and_scratch_die_with_the_tutor(shared_kernel: KernelClient) -> None:
    tutor = subprocess.Popen([sys.executable, "-c", SUPERVISOR], stdout=subprocess.PIPE, text=True)
    assert tutor.stdout is not None
    try:
        facts = json.loads(tutor.stdout.readline())
    finally:
        tutor.kill()  # kill -9: no cleanup of any kind
        tutor.wait()
    pids = {k: v for k, v in facts.items() if k in ("server", "kernel")}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids.values()):
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids.values()), pids
    # Its scratch is still there (nothing could remove it) until the next tutor starts,
    # which removes it; a living tutor's scratch (this test's own kernel) is kept.
    scratch = Path(facts["scratch"])
    assert any(scratch.rglob("left-behind.txt"))
    removed = remove_stale(scratch.parent)
    assert scratch in removed and not scratch.exists()
    assert shared_kernel._server is not None
    assert shared_kernel._server.area.root.exists()


@pytest.mark.slow
async def test_a_dead_fork_server_is_replaced(shared_kernel: KernelClient) -> None:
    await shared_kernel.restart()
    server = shared_kernel._server
    assert server is not None and server.process is not None
    os.killpg(server.process.pid, signal.SIGKILL)
    result = await shared_kernel.run_cell("1 + 1")
    if result.outcome == "crashed":  # the kernel died with its server: told, then replaced
        assert result.error is not None and "restarted" in tell("en", result.error.message)
        result = await shared_kernel.run_cell("1 + 1")
    assert result.outcome == "ok" and result.value == "2"
    assert shared_kernel._server is not server


async def test_a_crash_loop_stops_restarting_until_the_learner_asks(
    shared_kernel: KernelClient,
) -> None:
    from tutor.kernel import client as client_module

    await shared_kernel.restart()
    shared_kernel._restarts.clear()
    statuses: list[str] = []
    shared_kernel.add_listener(lambda status, detail: statuses.append(status))
    crash = "import os\nos._exit(1)"
    results = [await shared_kernel.run_cell(crash) for _ in range(client_module.MAX_RESTARTS + 1)]
    assert all(r.outcome == "crashed" for r in results)
    last = results[-1]
    assert last.error is not None and last.error.hint is not None
    assert "keeps stopping" in tell("en", last.error.hint)
    assert shared_kernel.status == "dead"
    # the learner's next cell is their consent: a fresh kernel starts
    result = await shared_kernel.run_cell("1 + 1")
    assert result.outcome == "ok" and shared_kernel.status == "ready"
    shared_kernel._restarts.clear()
