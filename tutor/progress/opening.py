"""Opening the progress file, whatever state it is in, without ever raising.

The outcomes, best first:
- the file is ours (or new): opened read-write, WAL, migrated to the current schema;
- the file is damaged or someone else's: moved aside with a timestamp
  (`progress.sqlite3.corrupt-20261127-041500`) and a fresh file takes its place;
- the file is from a newer tutor: left untouched, read into memory;
- the file or its folder cannot be written: read into memory if it can be read at all.
In the last two cases the store is not persistent and says so in its warning.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tutor.progress.schema import (
    APPLICATION_ID,
    CURRENT_VERSION,
    SchemaError,
    application_id,
    check_columns,
    migrate,
    user_version,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
NOT_SAVED = "nothing you do in this session will be saved"
#: SQLite error names that mean the bytes are bad (everything else is about access).
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


@dataclass
class Opened:
    """A ready connection and what the learner should be told about it."""

    conn: sqlite3.Connection
    persistent: bool
    warning: str | None
    path: Path | None


class _Unusable(Exception):
    """The file must be set aside: the reason, in words for the learner."""


def connect(path: Path | str, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (the store opens its own transactions)."""
    conn = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return conn


def open_progress(path: Path, busy_timeout: float) -> Opened:
    """Open `path` as the progress store; see the module docstring for the outcomes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fallback(None, f"cannot create the folder {path.parent} ({_why(exc)}); {NOT_SAVED}")
    with _opening_lock(path):
        return _open_or_replace(path, busy_timeout)


@contextlib.contextmanager
def _opening_lock(path: Path) -> Iterator[None]:
    """Two tutors starting at once take turns to open (create, migrate, judge) the file.

    Without it, one could judge the other's half-made file, or lose the race to switch a
    new file to WAL and fall back to memory. Once open, SQLite's own locks take over.
    """
    try:
        handle = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115
    except OSError:
        yield  # a folder we cannot write: the open below reports it
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


def _open_or_replace(path: Path, busy_timeout: float) -> Opened:
    try:
        return _open_file(path, busy_timeout)
    except _Unusable as exc:
        problem = str(exc)
    try:
        target = set_aside(path)
    except OSError as exc:
        return _fallback(
            None,
            f"{path} is unusable ({problem}) and could not be moved ({_why(exc)}); {NOT_SAVED}",
        )
    log.info("progress file %s set aside as %s: %s", path, target, problem)
    notice = (
        f"{path} was unusable ({problem}); it was moved to {target.name} and a fresh record starts"
    )
    try:
        opened = _open_file(path, busy_timeout)
    except (_Unusable, sqlite3.Error) as exc:
        return _fallback(None, f"{notice}, but the new file failed too ({exc}); {NOT_SAVED}")
    opened.warning = notice + "."
    return opened


def _open_file(path: Path, busy_timeout: float) -> Opened:
    """Open an existing or new file; raise _Unusable when it must be set aside."""
    try:
        header = _header(path)
    except OSError as exc:
        return _fallback(None, f"cannot read {path} ({_why(exc)}); {NOT_SAVED}")
    if header and not header.startswith(SQLITE_HEADER):
        raise _Unusable("it is not a SQLite database")
    if _header_version(header) > CURRENT_VERSION:
        # Decided from the raw bytes: a newer tutor's file is never opened for writing.
        return _newer(path, _header_version(header))
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path, busy_timeout)
        app, version = application_id(conn), user_version(conn)
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app != APPLICATION_ID and not (app == 0 and version == 0 and tables == 0):
            raise _Unusable("it is a SQLite file of another program")
        if version > CURRENT_VERSION:
            conn.close()
            return _newer(path, version)
        if tables:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise _Unusable(f"the database is damaged: {verdict}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn)
        check_columns(conn)
        return Opened(conn, True, None, path)
    except _Unusable:
        _close(conn)
        raise
    except SchemaError as exc:
        _close(conn)
        raise _Unusable(f"its tables are not the tutor's: {exc}") from exc
    except sqlite3.Error as exc:
        _close(conn)
        if getattr(exc, "sqlite_errorname", "").startswith(_DAMAGE):
            raise _Unusable(f"the database is damaged: {exc}") from exc
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return _fallback(path, f"{path} is locked by another program ({exc}); {NOT_SAVED}")
        return _fallback(path, f"cannot write {path} ({exc}); {NOT_SAVED}")


def _header(path: Path) -> bytes:
    """The SQLite header (first 100 bytes) of the file; b"" when it is missing or empty."""
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except FileNotFoundError:
        return b""


def _header_version(header: bytes) -> int:
    """`PRAGMA user_version` as stored at offset 60 of the header (0 if too short)."""
    return int.from_bytes(header[60:64], "big", signed=True) if len(header) >= 64 else 0


def _newer(path: Path, version: int) -> Opened:
    return _fallback(
        path,
        f"{path} was written by a newer tutor (schema {version}; this one knows "
        f"{CURRENT_VERSION}); it is left untouched and {NOT_SAVED}",
    )


def _fallback(path: Path | None, warning: str) -> Opened:
    """An in-memory store: a read-only copy of `path` when it can be read, else empty."""
    log.info("progress store not persistent: %s", warning)
    conn = memory_copy(path) if path is not None else None
    if conn is None:
        conn = connect(":memory:", 5.0)
        migrate(conn)
    return Opened(conn, False, warning, path)


def memory_copy(path: Path) -> sqlite3.Connection | None:
    """The file's content in memory, read without writing a byte to it; None if unusable."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    memory = connect(":memory:", 5.0)
    for query in ("", "&immutable=1"):
        try:
            source = sqlite3.connect(uri + query, uri=True)
            try:
                source.backup(memory)
            finally:
                source.close()
            check_columns(memory)
            return memory
        except (sqlite3.Error, SchemaError):
            continue
    memory.close()
    return None


def set_aside(path: Path) -> Path:
    """Rename the file (and its -wal/-shm) to `NAME.corrupt-YYYYMMDD-HHMMSS`; never delete."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.rename(path, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.rename(side, Path(f"{target}{suffix}"))
    return target


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
