"""The progress file kept usable while a tutor runs: writes that fail, damage, files moved.

`RecordFile` holds the store's one connection and does everything the store's record
methods must not think about:
- a change that cannot be saved waits in memory (`tutor.progress.pending`) and is
  retried with every later change and at close; `health` says what waits and why;
- a read or write that meets a damaged file repairs it on the spot and carries on;
- a file deleted, replaced (another tutor's repair) or robbed of its WAL is reopened;
- listeners hear every event (`tutor.progress.events`); an event about the file that
  nobody hears is kept for the next session (`tutor.progress.noticeboard`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from tutor.progress import noticeboard
from tutor.progress.causes import ENVIRONMENT, DamagedRow, cause_of
from tutor.progress.events import LASTING, Change, StoreEvent, StoreHealth, Unsaved
from tutor.progress.opening import Opened, connect, open_progress, opening_lock, reopen_damaged
from tutor.progress.pending import PendingWrites, Waiting, Work, tally_of
from tutor.progress.schema import migrate
from tutor.progress.words import describe

log = logging.getLogger(__name__)
T = TypeVar("T")
Listener = Callable[[StoreEvent], object]

DEFAULT_BUSY_TIMEOUT = 5.0
#: Repairs one store attempts while open (a file that keeps breaking is not looped on).
MAX_REPAIRS = 2
#: Changes that are the learner's record itself: each failed one is told, not only the first.
_RECORD: frozenset[Change] = frozenset({"pass", "attempt", "reveal", "answer", "reset"})
#: What a read raising these met may be a damaged file (`cause_of` decides).
_READ_ERRORS = (sqlite3.Error, UnicodeDecodeError, DamagedRow)


class RecordFile:
    """The connection to the learner's file, and what happens when using it fails."""

    def __init__(self, opened: Opened, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self._lock = threading.RLock()
        self._busy_timeout = busy_timeout
        self._listeners: list[Listener] = []
        self._pending = PendingWrites()
        self._repairs = 0
        self._closed = False
        self._conn: sqlite3.Connection
        self._persistent = False
        self._identity: tuple[int, int] | None = None
        self._wal_identity: tuple[int, int] | None = None
        self._health = StoreHealth()
        self._read_told = False
        #: Events of opening, for `take_notices` and `warning`.
        self._notices: list[StoreEvent] = []
        self._opening: list[StoreEvent] = []
        #: Changes that could not be saved since the file opened.
        self.write_failures = 0
        #: The file (even when it could not be used), or None for a store in memory.
        self.path = opened.path
        self._adopt(opened)

    def close(self) -> None:
        """Save what is still waiting (one last try), then close the file."""
        with self._lock:
            if len(self._pending):
                self._flush(None)
            if len(self._pending):
                lost = self._pending.tally()
                log.warning("progress: closing with %d changes not saved", lost.count)
                self._pending.remove(self._pending.items())
                self.announce(StoreEvent("lost", self.path, self.health.cause, unsaved=lost))
            with suppress(sqlite3.Error):
                self._conn.close()
            self._closed = True

    # -- health and listeners ------------------------------------------------------------------
    @property
    def persistent(self) -> bool:
        """Whether events reach the disk (False: an in-memory store, see `warning`)."""
        return self._persistent

    @property
    def health(self) -> StoreHealth:
        """Whether saving works right now, and if not why and what is waiting."""
        return self._health

    @property
    def warning(self) -> str | None:
        """What the learner should be told about this store, in English, or None."""
        parts = [describe(event, "en") for event in self._opening]
        if self._persistent and self._health.cause is not None:
            waiting = StoreEvent(
                "not-saved", self.path, self._health.cause, unsaved=self._health.unsaved
            )
            parts.append(describe(waiting, "en"))
        return " ".join(parts) or None

    def add_listener(self, listener: Listener) -> None:
        """Call `listener` with every later event (a failed write, a repair...)."""
        self._listeners.append(listener)

    def drop_waiting(self) -> Unsaved:
        """Forget the changes waiting to be saved (the caller tells the learner); what they were."""
        with self._lock:
            dropped = self._pending.tally()
            self._pending.remove(self._pending.items())
            self._health = replace(self._health, unsaved=Unsaved())
            return dropped

    def take_notices(self) -> list[StoreEvent]:
        """The events of opening this store and those kept from earlier runs, once."""
        earlier = noticeboard.read(self.path) if self.path is not None else []
        if self.path is not None:
            noticeboard.clear(self.path)
        taken = [*earlier, *(e for e in self._notices if e not in earlier)]
        self._notices = []
        return taken

    # -- writing ----------------------------------------------------------------------------------
    def record(self, change: Change, work: Work, *, size: int = 0, key: str | None = None) -> None:
        """Save one change, after whatever is still waiting; keep it waiting if that fails."""
        with self._lock:
            if self._closed:
                self.write_failures += 1
                log.warning("progress: a %s change after the store was closed", change)
                return
            dropped = self._pending.add(Waiting(change, work, size, key))
            if dropped:
                log.warning("progress: %d waiting changes dropped (memory)", dropped.count)
                self.announce(StoreEvent("lost", self.path, self._health.cause, unsaved=dropped))
            self._flush(change)

    def _flush(self, newest: Change | None) -> None:
        waiting = self._pending.items()
        if not waiting:
            return
        try:
            self._save(waiting)
        except Exception as exc:
            self._failed(exc, newest)
            return
        self._pending.remove(waiting)
        if self._persistent and self._health.cause is not None:
            log.warning(
                "progress saving works again (%s): %d changes saved", self.path, len(waiting)
            )
            self._health = replace(self._health, cause=None, unsaved=Unsaved())
            self.announce(StoreEvent("saved-again", self.path, unsaved=tally_of(waiting)))

    def _save(self, items: list[Waiting]) -> None:
        """Run the changes in one transaction, on the file as it is now."""
        self.follow_file()
        with self.shared_lock(), self.transaction() as conn:
            for item in items:
                item.work(conn)

    def _failed(self, exc: Exception, newest: Change | None) -> None:
        cause = cause_of(exc, self.path)
        if cause == "damaged" and self._repair(exc):
            self._flush(newest)
            return
        if cause not in ENVIRONMENT and len(self._pending) > 1:
            self._one_at_a_time()
            if not len(self._pending):
                return
        self.write_failures += 1
        first = self._health.cause != cause
        unsaved = self._pending.tally()
        self._health = replace(self._health, cause=cause, unsaved=unsaved)
        (log.warning if first else log.info)(
            "progress not saved (%s, %s): %s; %d changes waiting",
            self.path,
            cause,
            exc,
            unsaved.count,
        )
        tell = first or newest in _RECORD
        self.announce(
            StoreEvent("not-saved", self.path, cause, unsaved=unsaved, detail=str(exc), tell=tell)
        )

    def _one_at_a_time(self) -> None:
        """After an error that is not the machine's, save what can be and drop what cannot,
        so one bad change does not hold back the others."""
        lost: list[Waiting] = []
        for item in self._pending.items():
            try:
                self._save([item])
            except Exception as exc:
                if cause_of(exc, self.path) in ENVIRONMENT:
                    return
                log.warning("progress: a %s change cannot be saved: %s", item.change, exc)
                lost.append(item)
            self._pending.remove([item])
        if lost:
            self.announce(
                StoreEvent("lost", self.path, "unknown", unsaved=tally_of(lost), detail="")
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the file's write lock from its start."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT leaves the transaction open: end it, or every later
                # BEGIN fails too.
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def shared_lock(self) -> Iterator[None]:
        """Hold the opening lock shared while writing: a repair waits for the transaction."""
        if not self._persistent or self.path is None:
            yield
            return
        with opening_lock(self.path, shared=True):
            yield

    # -- reading -----------------------------------------------------------------------------------
    def read(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        if self._closed:
            return default
        try:
            return self.with_repair(work)
        except Exception as exc:
            cause = cause_of(exc, self.path)
            log.warning("progress could not be read (%s, %s): %s", self.path, cause, exc)
            if not self._read_told:
                self._read_told = True
                self.announce(StoreEvent("read-failed", self.path, cause, detail=str(exc)))
            return default

    def with_repair(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(conn)`; when it meets a damaged file, repair the file and do it again."""
        with self._lock:
            try:
                return work(self._conn)
            except _READ_ERRORS as exc:
                if cause_of(exc, self.path) != "damaged" or not self._repair(exc):
                    raise
            return work(self._conn)

    # -- the file underneath -------------------------------------------------------------------------
    def _repair(self, exc: BaseException) -> bool:
        """The file is damaged: salvage it into a fresh one (or, when that cannot be written,
        into memory) and use that; False when no repair was tried."""
        if not self._persistent or self.path is None or self._repairs >= MAX_REPAIRS:
            return False
        self._repairs += 1
        log.warning("progress file %s found damaged while in use: %s", self.path, exc)
        with suppress(sqlite3.Error):
            self._conn.close()
        self._adopt(reopen_damaged(self.path, str(exc), self._busy_timeout))
        return True

    def follow_file(self) -> None:
        """Reopen the file when it was deleted, replaced, or lost its WAL while in use."""
        if not self._persistent or self.path is None:
            return
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            log.warning("progress file %s was deleted while in use: starting a new one", self.path)
            self._reopen(StoreEvent("moved", self.path, "moved"))
            return
        except OSError:
            return  # the write reports it
        if (stat.st_dev, stat.st_ino) != self._identity:
            # Another tutor repaired it, or the learner restored a copy: use the file there.
            log.warning("progress file %s was replaced while in use: reopening it", self.path)
            self._reopen(None)
        elif self._wal_identity != _identity(Path(f"{self.path}-wal")):
            # The WAL this connection writes to was deleted (or replaced): what it holds goes
            # into the file first, then a new connection starts a new WAL everyone sees.
            log.warning("the WAL of %s was deleted while in use: reopening", self.path)
            with suppress(sqlite3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._reopen(None)

    def _reopen(self, event: StoreEvent | None) -> None:
        if self.path is None:
            return
        with suppress(sqlite3.Error):
            self._conn.close()
        self._adopt(open_progress(self.path, self._busy_timeout))
        if event is not None:
            self.announce(event, pin=True)

    def _adopt(self, opened: Opened) -> None:
        """Use `opened` from now on, and announce what opening it found."""
        self._conn = opened.conn
        self._persistent = opened.persistent
        self._identity = self._wal_identity = None
        if opened.persistent and opened.path is not None:
            self._identity = _identity(opened.path)
            self._wal_identity = _identity(Path(f"{opened.path}-wal"))
        old = self._health
        self._health = StoreHealth(
            opened.persistent,
            opened.cause if not opened.persistent else old.cause,
            old.unsaved,
            opened.path,
        )
        self._opening.extend(opened.events)
        for event in opened.events:
            self._notices.append(event)
            self.announce(event)

    def announce(self, event: StoreEvent, *, pin: bool = False) -> None:
        """Tell the listeners; an event about the file that nobody hears is kept for later."""
        if event.kind in LASTING and self.path is not None and (pin or not self._listeners):
            noticeboard.pin(self.path, event)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a progress listener failed on %s", event.kind)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def empty_memory() -> Opened:
    conn = connect(":memory:", DEFAULT_BUSY_TIMEOUT)
    migrate(conn)
    return Opened(conn, False, None)
