"""How fast the progress store records events and opens (figures, no assertions).

Every event is its own transaction with `synchronous = FULL` (an fsync per event), so
the figures mostly measure the disk; a learner makes a few events a minute.

    uv run python bench/bench_progress.py [--events N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tutor.progress import ProgressStore


def rate(store: ProgressStore, events: int, event: Callable[[ProgressStore, int], None]) -> float:
    start = time.perf_counter()
    for i in range(events):
        event(store, i)
    return events / (time.perf_counter() - start)


def open_ms(path: Path, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        store = ProgressStore.open(path)
        times.append((time.perf_counter() - start) * 1000)
        store.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        path = Path(folder) / "progress.sqlite3"
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} cpus, python {platform.python_version()}, sqlite {sqlite3.sqlite_version}"
        )
        print(f"file: {path}")
        start = time.perf_counter()
        store = ProgressStore.open(path)
        print(f"open, new file (create + migrate): {(time.perf_counter() - start) * 1000:8.2f} ms")
        figures = {
            "record_attempt": rate(
                store,
                args.events,
                lambda s, i: s.record_attempt(
                    "01", f"e{i % 20}", code=f"x = {i}", passed=i % 3 == 0
                ),
            ),
            "record_cell": rate(
                store,
                args.events,
                lambda s, i: s.record_cell(
                    "01", f"x{i} = tf.ones(({i}, 3))", outcome="ok", elapsed_ms=1.5
                ),
            ),
            "add_history": rate(store, args.events, lambda s, i: s.add_history(f"line {i}")),
            "set_position": rate(store, args.events, lambda s, i: s.set_position("01", i)),
        }
        for name, value in figures.items():
            print(f"{name:<15} {value:10.0f} events/s  ({1000 / value:6.3f} ms each)")
        start = time.perf_counter()
        cells = store.cells("01")
        print(f"cells('01'), {len(cells)} cells:  {(time.perf_counter() - start) * 1000:8.2f} ms")
        start = time.perf_counter()
        store.export()
        print(f"export:                            {(time.perf_counter() - start) * 1000:8.2f} ms")
        store.close()
        print(f"open, existing file (median of 20): {open_ms(path):8.2f} ms")
        print(f"file size: {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
