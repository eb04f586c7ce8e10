"""A trivial cell's round trip as the namespace grows, against the same cell in-process.

    uv run python bench/bench_cell_cost.py [--samples 30]

The cell `r = 1 + 1` is sent through the project's own `KernelClient` (the namespace
snapshot included) after each step below adds to the namespace; the baseline is the
same cell `exec`'d in this process in a namespace holding the same objects. Goal: each
row <= in-process + 5 ms (median). Rows the kernel's time budget left "not refreshed"
after a setup cell are filled in first (`KernelClient.refresh`), as the inspector would.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tutor.kernel.client import KernelClient
from tutor.kernel.namespace_view import refreshed, stale_names

CELL = "r = 1 + 1"

#: (row label, the cell that grows the namespace)
STEPS = [
    ("one small tensor", "A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))"),
    ("+ a 4000x4000 float32 tensor", "big = tf.random.normal((4000, 4000))"),
    (
        "+ a 2000x2000 Variable, target L = sum(W @ W)",
        "W = tf.Variable(tf.random.normal((2000, 2000)))\nL = tf.reduce_sum(W @ W)",
    ),
    (
        "+ 300 small tensors",
        "for _i in range(300):\n    globals()[f's{_i:03d}'] = tf.random.normal((3, 3))",
    ),
    (
        "+ 3,000 more",
        "for _i in range(3000):\n    globals()[f'm{_i:04d}'] = tf.random.normal((3, 3))",
    ),
]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def kernel_rows(samples: int) -> list[dict[str, Any]]:
    kernel = KernelClient(device="cpu", timeout=120)
    await kernel.start()
    rows = []
    try:
        await kernel.run_cell(CELL)  # warm: the first cell pays one-off costs
        for label, setup in STEPS:
            started = time.perf_counter()
            result = await kernel.run_cell(setup)
            setup_s = time.perf_counter() - started
            stale = len(stale_names(result.variables))
            started = time.perf_counter()
            await refreshed(kernel.refresh, result.variables)
            refresh_s = time.perf_counter() - started
            trips = []
            for _ in range(samples):
                started = time.perf_counter()
                result = await kernel.run_cell(CELL)
                trips.append(time.perf_counter() - started)
                assert result.ok, result.error
            rows.append(
                {
                    "label": label,
                    "kernel_ms": median_ms(trips),
                    "p95_ms": sorted(trips)[int(len(trips) * 0.95)] * 1000,
                    "setup_ms": setup_s * 1000,
                    "stale": stale,
                    "refresh_ms": refresh_s * 1000,
                    "names": len(result.variables),
                }
            )
    finally:
        await kernel.close()
    return rows


def in_process_rows(samples: int) -> list[float]:
    """The same cell exec'd here, in a namespace grown by the same steps."""
    import numpy as np
    import tensorflow as tf

    namespace: dict[str, Any] = {"tf": tf, "np": np}
    code = compile(CELL, "<cell>", "exec")
    medians = []
    for _label, setup in STEPS:
        exec(setup, namespace)
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            exec(code, namespace)
            times.append(time.perf_counter() - started)
        medians.append(median_ms(times))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    rows = asyncio.run(kernel_rows(args.samples))
    local = in_process_rows(args.samples)
    print(f"round trip of `{CELL}` (median of {args.samples}, the namespace snapshot included)")
    print()
    print("| namespace | round trip | p95 | in-process | overhead (goal <= 5 ms) |")
    print("| --- | --- | --- | --- | --- |")
    for row, base in zip(rows, local, strict=True):
        over = row["kernel_ms"] - base
        print(
            f"| {row['label']} | {row['kernel_ms']:.2f} ms | {row['p95_ms']:.2f} ms "
            f"| {base:.3f} ms | {over:.2f} ms {'ok' if over <= 5 else 'OVER'} |"
        )
    print()
    print("the setup cells themselves (each summarises what it added once):")
    for row in rows:
        print(
            f"  {row['label']:<46} {row['setup_ms']:8.1f} ms; {row['stale']} rows not "
            f"refreshed, filled in {row['refresh_ms']:.1f} ms later; {row['names']} rows shown"
        )


if __name__ == "__main__":
    main()
