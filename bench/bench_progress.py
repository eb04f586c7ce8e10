"""How fast the progress store records events, opens and repairs (figures, no assertions).

Every event is its own transaction with `synchronous = FULL` (an fsync per event), so
the figures mostly measure the disk; a learner makes a few events a minute. Baselines
in the same run: a bare sqlite3 transaction of the same kind (what the store's retry
queue, file checks and shared lock add to it), and `PRAGMA quick_check` alone (what
the row checks add to opening a large record).

    uv run python bench/bench_progress.py [--events N] [--dir DIR] [--cells N]
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
    parser.add_argument("--cells", type=int, default=20_000, help="cells in the large record")
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
        figures["bare sqlite3 (baseline)"] = bare_rate(Path(folder) / "bare.sqlite3", args.events)
        for name, value in figures.items():
            print(f"{name:<24} {value:10.0f} events/s  ({1000 / value:6.3f} ms each)")
        start = time.perf_counter()
        cells = store.cells("01")
        print(f"cells('01'), {len(cells)} cells:  {(time.perf_counter() - start) * 1000:8.2f} ms")
        start = time.perf_counter()
        store.export()
        print(f"export:                            {(time.perf_counter() - start) * 1000:8.2f} ms")
        store.close()
        print(f"open, existing file (median of 20): {open_ms(path):8.2f} ms")
        print(f"file size: {path.stat().st_size / 1024:.0f} KiB")
        large_record(Path(folder) / "large.sqlite3", args.cells)
    return 0


def bare_rate(path: Path, events: int) -> float:
    """A plain sqlite3 upsert per transaction, WAL and FULL sync like the store's."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, code TEXT)")
    start = time.perf_counter()
    for i in range(events):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO t VALUES (?, 1, ?) ON CONFLICT (k) DO UPDATE SET n = n + 1, code = ?",
            (f"e{i % 20}", f"x = {i}", f"x = {i}"),
        )
        conn.execute("COMMIT")
    rate = events / (time.perf_counter() - start)
    conn.close()
    return rate


def large_record(path: Path, cells: int) -> None:
    """Opening a large record (every row checked) and repairing it after one bad byte."""
    from tutor.progress.records import utc_stamp
    from tutor.progress.rows import LOGS, check_tables

    with ProgressStore.open(path) as store:
        for i in range(300):
            store.record_attempt(f"l{i % 12}", f"e{i}", code=f"x = {i}\n" * 5, passed=i % 2 == 0)
    now = utc_stamp()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO cells (lesson, code, outcome, elapsed_ms, ran_at) VALUES (?, ?, ?, ?, ?)",
            [
                (f"l{i % 12}", f"y{i} = tf.ones(({i}, 3))  # a cell", "ok", 1.5, now)
                for i in range(cells)
            ],
        )
        conn.executemany(
            "INSERT INTO history (line, added_at) VALUES (?, ?)",
            [(f"y{i} = tf.ones(({i}, 3))", now) for i in range(5000)],
        )
    conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = path.stat().st_size
    print(f"large record: {cells} cells, 5000 history lines, 300 exercises, {size / 2**20:.1f} MiB")
    conn = sqlite3.connect(path)
    quick = median_ms(lambda: conn.execute("PRAGMA quick_check").fetchone())
    rows = median_ms(lambda: check_tables(conn, skip=LOGS))
    every = median_ms(lambda: check_tables(conn))
    conn.close()
    print(f"  PRAGMA quick_check (baseline):    {quick:8.2f} ms")
    print(f"  row checks at open (no logs):     {rows:8.2f} ms")
    print(f"  row checks of every table:        {every:8.2f} ms  (not done at open)")
    print(f"  open (median of 5):               {open_ms(path, repeat=5):8.2f} ms")
    with ProgressStore.open(path) as store:
        exported = median_ms(store.export, repeat=3)
    print(f"  export, every row checked:        {exported:8.2f} ms")
    data = bytearray(path.read_bytes())
    at = bytes(data).find(b"y777 = tf.ones")
    data[at + 1] = 0xFF  # not UTF-8: passes quick_check, caught when the cells are read
    damaged = path.with_name("damaged.sqlite3")
    damaged.write_bytes(bytes(data))
    store = ProgressStore.open(damaged)
    start = time.perf_counter()
    store.cells("l9")
    repaired = (time.perf_counter() - start) * 1000
    [notice] = store.take_notices()
    store.close()
    print(
        f"  read + repair after one bad byte: {repaired:8.2f} ms ({notice.records} records saved)"
    )


def median_ms(work: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
