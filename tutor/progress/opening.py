"""Opening the progress file, whatever state it is in, without ever raising.

The outcomes, best first:
- the file is ours (or new): opened read-write, WAL, migrated to the current schema;
- the file is damaged (SQLite's errors, a bad byte in the header, the schema text or a
  row, a broken constraint): its readable rows are salvaged into a fresh file, and the
  damaged file is kept beside it (`progress.sqlite3.corrupt-20261127-041500`);
- the file is not ours, or nothing in it can be read: moved aside the same way and a
  fresh file takes its place;
- the file is from a newer tutor: left untouched, read into memory;
- the file or its folder cannot be written: read into memory if it can be read at all.
Each outcome but the first comes with a `StoreEvent` for the learner; in the last two
the store is not persistent.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tutor.progress.causes import Cause, DamagedRow, cause_of
from tutor.progress.events import StoreEvent
from tutor.progress.repair import aside_name, fill, rebuild, swap_in
from tutor.progress.rows import LOGS, check_tables
from tutor.progress.salvage import salvage
from tutor.progress.schema import (
    APPLICATION_ID,
    COLUMNS,
    CURRENT_VERSION,
    SchemaError,
    application_id,
    check_columns,
    migrate,
    user_version,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
#: A version this far past ours is taken for a newer tutor's; beyond it, for a bad byte.
NEWER_SPAN = 20


@dataclass
class Opened:
    """A ready connection and what the learner should be told about it."""

    conn: sqlite3.Connection
    persistent: bool
    path: Path | None
    events: list[StoreEvent] = field(default_factory=list)
    #: Why the store is not persistent (None when it is, or is in memory on purpose).
    cause: Cause | None = None


class _Damaged(Exception):
    """The file cannot be used as it is: the reason, in English for the log."""

    def __init__(self, reason: str, *, foreign: bool = False) -> None:
        super().__init__(reason)
        #: Another program's file: set aside without trying to salvage it.
        self.foreign = foreign


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
        detail = f"cannot create the folder {path.parent}: {exc}"
        return _fallback(path, cause_of(exc, path), detail, copy=False)
    with opening_lock(path):
        try:
            return _open_file(path, busy_timeout)
        except _Damaged as exc:
            return _repair_or_set_aside(path, exc, busy_timeout)


def reopen_damaged(path: Path, reason: str, busy_timeout: float) -> Opened:
    """A file found damaged while in use: repair it (or set it aside) and open the result."""
    with opening_lock(path):
        return _repair_or_set_aside(path, _Damaged(reason), busy_timeout)


@contextlib.contextmanager
def opening_lock(path: Path, *, shared: bool = False) -> Iterator[None]:
    """Tutors take turns to open (create, migrate, judge, repair) the file.

    Without it, one could judge the other's half-made file, or lose the race to switch a
    new file to WAL and fall back to memory. Writers hold it shared, so a repair (which
    swaps the file) never happens in the middle of another tutor's transaction.
    """
    try:
        handle = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115
    except OSError:
        yield  # a folder we cannot write: the open below reports it
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


# -- a file as it is ----------------------------------------------------------------------------
def _open_file(path: Path, busy_timeout: float) -> Opened:
    """Open an existing or new file; raise _Damaged when it cannot be used as it is."""
    try:
        header = _header(path)
    except OSError as exc:
        return _fallback(path, cause_of(exc, path), f"cannot read {path}: {exc}", copy=False)
    if header and not header.startswith(SQLITE_HEADER):
        raise _Damaged("it is not a SQLite database")
    conn: sqlite3.Connection | None = None
    try:
        _judge_version(path, _header_version(header))
        conn = connect(path, busy_timeout)
        app, version = application_id(conn), user_version(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if app != APPLICATION_ID and not (app == 0 and version == 0 and not tables):
            if len(tables & set(COLUMNS)) >= 2:
                raise _Damaged("its application id is damaged")
            raise _Damaged("it is a SQLite file of another program", foreign=True)
        _judge_version(path, version)
        if tables:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise _Damaged(f"the database is damaged: {verdict}")
            check_columns(conn, all_tables=False)
            check_tables(conn, skip=LOGS)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        # Deleted rows are zeroed, so salvaging a damaged file never brings them back.
        conn.execute("PRAGMA secure_delete = ON")
        migrate(conn)
        check_columns(conn)
        return Opened(conn, True, path)
    except _Newer as newer:
        _close(conn)
        return _fallback(path, "newer", f"{path} was written by a newer tutor (schema {newer})")
    except _Damaged:
        _close(conn)
        raise
    except SchemaError as exc:
        _close(conn)
        raise _Damaged(f"its tables are not the tutor's: {exc}") from exc
    except (sqlite3.Error, UnicodeDecodeError, DamagedRow, OSError) as exc:
        _close(conn)
        cause = cause_of(exc, path)
        if cause == "damaged":
            raise _Damaged(f"the database is damaged: {_text(exc)}") from exc
        return _fallback(path, cause, f"cannot use {path}: {_text(exc)}")


class _Newer(Exception):
    """The file's schema version is a newer tutor's."""


def _judge_version(path: Path, version: int) -> None:
    if version < 0 or version > CURRENT_VERSION + NEWER_SPAN:
        raise _Damaged(f"its schema version ({version}) is impossible")
    if version > CURRENT_VERSION:
        # Decided before SQLite reads a page: a newer tutor's file is never written.
        raise _Newer(version)


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


# -- a damaged file -------------------------------------------------------------------------------
def _repair_or_set_aside(path: Path, problem: _Damaged, busy_timeout: float) -> Opened:
    log.warning("progress file %s cannot be used as it is: %s", path, problem)
    if not problem.foreign:
        repaired = _repair(path, str(problem), busy_timeout)
        if repaired is not None:
            return repaired
    return _set_aside(path, str(problem), busy_timeout)


def _repair(path: Path, problem: str, busy_timeout: float) -> Opened | None:
    """Salvage the readable rows into a fresh file; None when nothing could be salvaged."""
    try:
        salvaged = salvage(path)
    except Exception:  # salvage reads damaged bytes: whatever it meets, set aside instead
        log.exception("salvaging %s failed", path)
        return None
    if not salvaged.ours or not salvaged.records:
        return None
    try:
        fresh, saved = rebuild(path, salvaged)
        kept = swap_in(path, fresh)
    except (OSError, sqlite3.Error) as exc:
        # No room or no right to write a new file: keep what was read, in memory.
        cause = cause_of(exc, path)
        log.warning("cannot write the salvaged record of %s: %s", path, exc)
        conn = connect(":memory:", busy_timeout)
        migrate(conn)
        read = fill(conn, salvaged)
        detail = f"{path} is damaged ({problem}) and the repaired copy cannot be written ({exc})"
        damaged = StoreEvent(
            "repaired",
            path,
            "damaged",
            records=read,
            unreadable=salvaged.unreadable,
            detail=problem,
        )
        return Opened(conn, False, path, [damaged, _not_persistent(path, cause, detail)], cause)
    log.warning(
        "progress file %s repaired: %d records saved, %d unreadable, %d mended; kept as %s",
        path,
        saved,
        salvaged.unreadable,
        salvaged.mended,
        kept,
    )
    event = StoreEvent(
        "repaired",
        path,
        "damaged",
        kept_as=kept.name,
        records=saved,
        unreadable=salvaged.unreadable,
        detail=problem,
    )
    try:
        opened = _open_file(path, busy_timeout)
    except _Damaged as exc:
        detail = f"the repaired {path} failed too ({exc})"
        return _fallback(path, "damaged", detail, event, copy=False)
    opened.events.insert(0, event)
    return opened


def _set_aside(path: Path, problem: str, busy_timeout: float) -> Opened:
    try:
        target = set_aside(path)
    except OSError as exc:
        detail = f"{path} is unusable ({problem}) and could not be moved ({exc})"
        return _fallback(path, cause_of(exc, path), detail, copy=False)
    log.warning("progress file %s set aside as %s: %s", path, target, problem)
    event = StoreEvent("set-aside", path, "damaged", kept_as=target.name, detail=problem)
    try:
        opened = _open_file(path, busy_timeout)
    except _Damaged as exc:
        return _fallback(path, "damaged", f"the new {path} failed too ({exc})", event, copy=False)
    opened.events.insert(0, event)
    return opened


def set_aside(path: Path) -> Path:
    """Rename the file (and its -wal/-shm) to `NAME.corrupt-YYYYMMDD-HHMMSS`; never delete."""
    target = aside_name(path)
    os.rename(path, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.rename(side, Path(f"{target}{suffix}"))
    return target


# -- not persistent ---------------------------------------------------------------------------------
def _not_persistent(path: Path | None, cause: Cause, detail: str) -> StoreEvent:
    return StoreEvent("not-persistent", path, cause, detail=detail)


def _fallback(
    path: Path, cause: Cause, detail: str, *earlier: StoreEvent, copy: bool = True
) -> Opened:
    """An in-memory store: a read-only copy of `path` when it can be read (and `copy`),
    else empty."""
    log.warning("progress store not persistent: %s", detail)
    conn = memory_copy(path) if copy else None
    if conn is None:
        conn = connect(":memory:", 5.0)
        migrate(conn)
    return Opened(conn, False, path, [*earlier, _not_persistent(path, cause, detail)], cause)


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
        except (sqlite3.Error, SchemaError, UnicodeDecodeError):
            continue
    memory.close()
    return None


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _text(exc: BaseException) -> str:
    """The error's message (SQLite's may hold undecodable bytes from a damaged schema)."""
    if isinstance(exc, UnicodeDecodeError):
        return exc.object.decode("utf-8", "replace") if isinstance(exc.object, bytes) else str(exc)
    return str(exc)
