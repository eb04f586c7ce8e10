"""Putting a salvaged record in the damaged file's place, the damaged file kept beside it.

The salvaged rows are written into a new file next to the record (`NAME.salvaged`),
synced, and only then swapped in: the damaged file gets a second name first
(`NAME.corrupt-YYYYMMDD-HHMMSS`, a hard link, so the record's name never points at
nothing), its WAL and shared-memory files follow it, and the new file is renamed over
the record's name in one step. The caller holds the opening lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from tutor.progress.rows import TABLE
from tutor.progress.salvage import Salvaged
from tutor.progress.schema import migrate


def aside_name(path: Path) -> Path:
    """`NAME.corrupt-YYYYMMDD-HHMMSS` (with a number when taken) beside `path`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return target


def fill(conn: sqlite3.Connection, salvaged: Salvaged) -> int:
    """Insert the salvaged rows into an empty store at the current schema; rows inserted.

    A row whose key is already taken (a key damaged into another's) is skipped.
    """
    inserted = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name, rows in salvaged.rows.items():
            table = TABLE[name]
            columns = table.names
            sql = (
                f"INSERT OR IGNORE INTO {name} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            values = [[row[c] for c in columns] for row in rows]
            if name == "position":
                values = [[1, *v[1:]] for v in values[:1]]
            before = conn.total_changes
            conn.executemany(sql, values)
            inserted += conn.total_changes - before
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return inserted


def rebuild(path: Path, salvaged: Salvaged) -> tuple[Path, int]:
    """Write `salvaged` into a new file beside `path`, synced: (its path, rows saved)."""
    fresh = path.with_name(path.name + ".salvaged")
    for leftover in (fresh, Path(f"{fresh}-journal"), Path(f"{fresh}-wal")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn)
        saved = fill(conn, salvaged)
    except BaseException:
        conn.close()
        fresh.unlink(missing_ok=True)
        raise
    conn.close()
    with open(fresh, "rb") as handle:
        os.fsync(handle.fileno())
    return fresh, saved


def swap_in(path: Path, fresh: Path) -> Path:
    """Put `fresh` in the place of `path`; returns where the damaged file is kept."""
    kept = aside_name(path)
    try:
        os.link(path, kept)
    except FileNotFoundError:
        kept = path  # nothing to keep (moved away meanwhile)
    except OSError:
        os.rename(path, kept)  # a file system without hard links: a moment without a file
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            if kept == path:
                side.unlink()
            else:
                os.rename(side, Path(f"{kept}{suffix}"))
    os.replace(fresh, path)
    _sync_folder(path.parent)
    return kept


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
