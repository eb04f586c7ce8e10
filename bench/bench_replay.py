"""Resume: how long replaying a typical lesson's cells takes after a restart.

    uv run python bench/bench_replay.py

A typical lesson = the 20 cells below (lesson 1's examples and a learner's tries),
recorded in a real progress store, then replayed by `Session.replay()` into a fresh
kernel. Baselines in the same run: the kernel restart it follows, and the cold start a
learner would otherwise wait for. Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tutor.curriculum.model import Course, Lesson, Step
from tutor.kernel.client import KernelClient
from tutor.progress import ProgressStore
from tutor.session import Session

CELLS = [
    "x = tf.range(12)",
    "x.shape",
    "tf.size(x)",
    "X = tf.reshape(x, (3, 4))",
    "tf.zeros((2, 3, 4))",
    "tf.random.normal(shape=[3, 4])",
    "u = tf.constant([1.0, 2, 4, 8])\nv = tf.constant([2.0, 2, 2, 2])\nu + v, u - v, u * v, u / v, u ** v",
    "tf.exp(u)",
    "X = tf.reshape(tf.range(12, dtype=tf.float32), (3, 4))\nY = tf.constant([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])",
    "tf.concat([X, Y], axis=0), tf.concat([X, Y], axis=1)",
    "X == Y",
    "tf.reduce_sum(X)",
    "a = tf.reshape(tf.range(3), (3, 1))\nb = tf.reshape(tf.range(2), (1, 2))\na + b",
    "X[-1], X[1:3]",
    "X_var = tf.Variable(X)\nX_var[1, 2].assign(9)",
    "X_var[0:2, :].assign(tf.ones(X_var[0:2, :].shape, dtype=tf.float32) * 12)",
    "before = id(Y)\nY = Y + X\nid(Y) == before",
    "A = X.numpy()\nB = tf.constant(A)\ntype(A), type(B)",
    "a = tf.constant([3.5]).numpy()\na, a.item(), float(a[0]), int(a[0])",
    "A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))",
]


async def measure(rounds: int = 5) -> None:
    course = Course("en", (Lesson("bench", 1, "Bench", "en", (Step("All", ""),)),))
    with tempfile.TemporaryDirectory() as home:
        store = ProgressStore.open(Path(home) / "progress.sqlite3")
        kernel = KernelClient(device="cpu", timeout=30)
        started = time.perf_counter()
        await kernel.start()
        cold = time.perf_counter() - started
        session = Session(course, kernel, store, lesson="bench")
        for code in CELLS:
            await session.run_cell(code)
        restarts, replays = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            await session.restart_kernel()
            restarts.append(time.perf_counter() - started)
            report = await session.replay()
            replays.append(report.elapsed_ms / 1000)
        check = await session.run_cell("A.shape")
        await kernel.close()
        store.close()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(
        f"cells replayed:            {report.replayed} ({report.skipped} skipped, {report.failed} failed)"
    )
    print(f"replay (median of {rounds}):     {statistics.median(replays) * 1000:7.1f} ms")
    print(f"restart before it:         {statistics.median(restarts) * 1000:7.1f} ms")
    print(
        f"cold kernel start:         {cold * 1000:7.1f} ms  (replay = {statistics.median(replays) / cold:.3f}x)"
    )
    print(f"names back after replay:   A.shape -> {check.result.value}")


if __name__ == "__main__":
    asyncio.run(measure())
