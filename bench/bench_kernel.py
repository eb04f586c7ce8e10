"""Kernel figures, each against a baseline measured in the same run.

    uv run python bench/bench_kernel.py [--cells 1000]

- ready: `KernelClient.start()` (cold: fork server imports TensorFlow, forks a kernel)
  vs a plain `python -c "import tensorflow"`;
- restart: `KernelClient.restart()` (a fork) vs the cold start;
- round trip: `tf.reduce_sum(A)` with the namespace snapshot vs the same work in-process;
- RSS of the supervisor (this process) and of the kernel;
- RSS growth of the kernel over N cells;
- the first result end to end: `tutor eval -c "tf.reduce_sum(tf.ones((3, 3)))"` vs
  `python -c "import tensorflow as tf; print(tf.reduce_sum(tf.ones((3, 3))))"`
  (alternated, median of --runs each; goal <= 1.0x).

The namespace's effect on a cell's cost is bench_cell_cost.py.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tutor.kernel.client import KernelClient, _rss_bytes


def _mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def bare_import_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import tensorflow"],
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
    )
    return time.perf_counter() - started


FIRST_CELL = "tf.reduce_sum(tf.ones((3, 3)))"


def first_result_seconds(runs: int) -> tuple[float, float]:
    """(median `tutor eval` of FIRST_CELL, median plain `python -c` of the same), alternated."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    tutor = [sys.executable, "-m", "tutor", "eval", "--device", "cpu", "-c", FIRST_CELL]
    plain = [sys.executable, "-c", f"import tensorflow as tf; print({FIRST_CELL})"]
    times: dict[str, list[float]] = {"tutor": [], "plain": []}
    for _ in range(runs):
        for key, command in (("tutor", tutor), ("plain", plain)):
            started = time.perf_counter()
            subprocess.run(command, check=True, env=env, capture_output=True)
            times[key].append(time.perf_counter() - started)
    return statistics.median(times["tutor"]), statistics.median(times["plain"])


def in_process_round_trip(samples: int) -> list[float]:
    """The same work as the kernel cell, run here (imports tensorflow in this process)."""
    import numpy as np
    import tensorflow as tf

    A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        value = tf.reduce_sum(A)
        repr(value)
        np.asarray(A)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def kernel_figures(cells: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    kernel = KernelClient(device="cpu", timeout=30)
    started = time.perf_counter()
    await kernel.start()
    figures["ready_s"] = time.perf_counter() - started
    restarts = []
    for _ in range(10):
        started = time.perf_counter()
        await kernel.restart()
        restarts.append(time.perf_counter() - started)
    figures["restart_s"] = statistics.median(restarts)
    await kernel.run_cell("A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))")
    trips = []
    for _ in range(200):
        started = time.perf_counter()
        await kernel.run_cell("tf.reduce_sum(A)")
        trips.append((time.perf_counter() - started) * 1000)
    figures["round_trip_ms"] = statistics.median(trips)
    figures["round_trip_p95_ms"] = sorted(trips)[int(len(trips) * 0.95)]
    pid = kernel.pid or 0
    figures["kernel_rss_start"] = _rss_bytes(pid)
    for i in range(cells):
        await kernel.run_cell(f"v{i % 50} = tf.random.normal((10, 10))\ntf.reduce_sum(v{i % 50})")
    figures["kernel_rss_end"] = _rss_bytes(pid)
    figures["supervisor_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    await kernel.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each first-result command")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    bare = bare_import_seconds()
    first_tutor, first_plain = first_result_seconds(args.runs)
    figures = asyncio.run(kernel_figures(args.cells))
    local = statistics.median(in_process_round_trip(200))
    print(f"bare `import tensorflow`:        {bare:6.2f} s")
    print(
        f"kernel ready (cold):             {figures['ready_s']:6.2f} s  ({figures['ready_s'] / bare:.2f}x bare import)"
    )
    print(
        f"kernel restart (fork, median):   {figures['restart_s'] * 1000:6.1f} ms ({figures['restart_s'] / figures['ready_s']:.3f}x cold start; goal <= 0.2x)"
    )
    print(
        f"round trip tf.reduce_sum(A):     {figures['round_trip_ms']:6.2f} ms median, {figures['round_trip_p95_ms']:.2f} ms p95"
    )
    print(
        f"same work in-process:            {local:6.2f} ms median (overhead {figures['round_trip_ms'] - local:.2f} ms; goal <= 5 ms)"
    )
    print(
        f"first result, `tutor eval`:      {first_tutor:6.2f} s  ({first_tutor / first_plain:.2f}x "
        f"`python -c` importing TensorFlow, {first_plain:.2f} s; goal <= 1.0x)"
    )
    print(
        f"supervisor RSS (max):            {_mib(figures['supervisor_rss'])} (before the in-process baseline imported TensorFlow)"
    )
    print(
        f"kernel RSS:                      {_mib(figures['kernel_rss_start'])} -> {_mib(figures['kernel_rss_end'])} after {args.cells} cells (growth {_mib(figures['kernel_rss_end'] - figures['kernel_rss_start'])})"
    )


if __name__ == "__main__":
    main()
