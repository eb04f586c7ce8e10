"""The learner's record in one SQLite file: every event committed when it happens.

Each method that records something is one short `BEGIN IMMEDIATE ... COMMIT`
transaction, so a `kill -9` loses at most the event in flight, and two tutors on the same
file (two SSH sessions) queue for the write lock (the busy timeout) instead of losing each
other's updates; counters are incremented in SQL (`attempts = attempts + 1`), never read
into Python and written back.

The store never raises at the learner, and never fails in silence:
- a file it cannot use is handled when it opens (`tutor.progress.opening`);
- a write that fails later (a full disk, a lock held too long) keeps the change in memory,
  retries it with every later change and at close, and the store's `health` and its
  listeners say what is waiting and why; damage met while in use is repaired on the spot;
  a file deleted or replaced underneath is reopened (`tutor.progress.record_file`).
See `tutor.progress.events` for what listeners hear.

The saved position is one per record: two tutors open on it both move it, the latest
move wins, and the first time this tutor finds the other one moved it, it says so.

`reset` forgets exercises, answers, cells and the position; the input history and the
preferences are settings of the tutor, not the record, and stay.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tutor.progress.causes import DamagedRow, cause_of
from tutor.progress.events import StoreEvent, StoreHealth, Unsaved
from tutor.progress.opening import Opened, open_progress
from tutor.progress.record_file import DEFAULT_BUSY_TIMEOUT, Listener, RecordFile, empty_memory
from tutor.progress.records import (
    AnswerRecord,
    CellRecord,
    ExerciseRecord,
    ImportReport,
    utc_stamp,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The input history keeps this many lines (the newest).
HISTORY_CAP = 5000

_EXERCISE_COLUMNS = (
    "lesson, exercise, status, attempts, first_passed_at, last_attempt_at, last_code, revealed_at"
)
_ANSWER_COLUMNS = "lesson, question, answer, correct, attempts, first_correct_at, last_answered_at"


class ProgressStore:
    """Where the learner is and what they have done, saved as it happens."""

    def __init__(self, opened: Opened, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self._file = RecordFile(opened, busy_timeout=busy_timeout)
        #: The saved position as this tutor last read or wrote it (to see another's move).
        self._position_mark: tuple[Any, ...] | None = None
        self._position_moved = False
        self._position_told = False

    @classmethod
    def open(
        cls, path: Path | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> ProgressStore:
        """Open the learner's store (default `tutor.paths.progress_file()`); never raises."""
        if path is None:
            from tutor.paths import progress_file

            path = progress_file()
        try:
            opened = open_progress(path, busy_timeout)
        except Exception as exc:  # the promise: whatever the file, the tutor runs
            log.exception("progress store failed to open %s", path)
            opened = empty_memory()
            opened.cause = cause_of(exc, path)
            opened.events = [
                StoreEvent("not-persistent", path, opened.cause, detail=f"cannot open: {exc}")
            ]
        opened.path = path
        return cls(opened, busy_timeout=busy_timeout)

    @classmethod
    def in_memory(cls) -> ProgressStore:
        """A store that saves nothing, on purpose (for tests and throwaway sessions)."""
        return cls(empty_memory())

    def close(self) -> None:
        """Save what is still waiting (one last try), then close the file."""
        self._file.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- health and listeners ------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The file (even when it could not be used), or None for `in_memory()`."""
        return self._file.path

    @property
    def persistent(self) -> bool:
        """Whether events reach the disk (False: an in-memory store, see `warning`)."""
        return self._file.persistent

    @property
    def health(self) -> StoreHealth:
        """Whether saving works right now, and if not why and what is waiting."""
        return self._file.health

    @property
    def warning(self) -> str | None:
        """What the learner should be told about this store, in English, or None."""
        return self._file.warning

    @property
    def write_failures(self) -> int:
        """Events that could not be saved since the store opened."""
        return self._file.write_failures

    def add_listener(self, listener: Listener) -> None:
        """Call `listener` with every later event (a failed write, a repair...)."""
        self._file.add_listener(listener)

    def drop_waiting(self) -> Unsaved:
        """Forget the changes waiting to be saved (the caller tells the learner); what they were."""
        return self._file.drop_waiting()

    def take_notices(self) -> list[StoreEvent]:
        """The events of opening this store and those kept from earlier runs, once."""
        return self._file.take_notices()

    # -- position ------------------------------------------------------------------------
    def position(self) -> tuple[str, int] | None:
        """The lesson and step where the learner stopped, or None before any."""
        row = self._file.read(
            lambda c: c.execute(
                "SELECT lesson, step, updated_at FROM position WHERE id = 1"
            ).fetchone(),
            None,
        )
        if row is None:
            return None
        if self._position_mark is None:
            self._position_mark = tuple(row)
        return (str(row[0]), _int(row[1]))

    def set_position(self, lesson: str, step: int) -> None:
        mark = (lesson, int(step), utc_stamp())

        def work(c: sqlite3.Connection) -> None:
            found = c.execute(
                "SELECT lesson, step, updated_at FROM position WHERE id = 1"
            ).fetchone()
            if found is not None and self._position_mark not in (None, tuple(found)):
                self._position_moved = True
            c.execute(
                "INSERT INTO position (id, lesson, step, updated_at) VALUES (1, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET lesson = excluded.lesson, step = excluded.step, "
                "updated_at = excluded.updated_at",
                mark,
            )
            self._position_mark = mark

        self._position_moved = False
        self._file.record("position", work, key="position")
        if self._position_moved and not self._position_told:
            self._position_told = True
            log.warning("progress: another tutor moved the saved position of %s", self.path)
            self._file.announce(StoreEvent("position-shared", self.path))

    # -- exercises -----------------------------------------------------------------------
    def record_attempt(self, lesson: str, exercise: str, *, code: str, passed: bool) -> None:
        """An attempt at an exercise was checked; a pass is for good."""
        now = utc_stamp()
        values = (
            lesson,
            exercise,
            "passed" if passed else "attempted",
            now if passed else None,
            now,
            code,
        )
        self._file.record(
            "pass" if passed else "attempt",
            lambda c: c.execute(
                f"INSERT INTO exercises ({_EXERCISE_COLUMNS}) VALUES (?, ?, ?, 1, ?, ?, ?, NULL) "
                "ON CONFLICT (lesson, exercise) DO UPDATE SET "
                "attempts = attempts + 1, "
                "status = CASE WHEN excluded.status = 'passed' THEN 'passed' ELSE status END, "
                "first_passed_at = coalesce(first_passed_at, excluded.first_passed_at), "
                "last_attempt_at = excluded.last_attempt_at, "
                "last_code = excluded.last_code",
                values,
            ),
            size=len(code),
        )

    def record_revealed(self, lesson: str, exercise: str) -> None:
        """The solution was shown: "revealed" unless already passed (the time is kept)."""
        values = (lesson, exercise, utc_stamp())
        self._file.record(
            "reveal",
            lambda c: c.execute(
                f"INSERT INTO exercises ({_EXERCISE_COLUMNS}) "
                "VALUES (?, ?, 'revealed', 0, NULL, NULL, '', ?) "
                "ON CONFLICT (lesson, exercise) DO UPDATE SET "
                "status = CASE WHEN status = 'passed' THEN 'passed' ELSE 'revealed' END, "
                "revealed_at = coalesce(revealed_at, excluded.revealed_at)",
                values,
            ),
        )

    def exercise(self, lesson: str, exercise: str) -> ExerciseRecord | None:
        return self._file.read(
            lambda c: _maybe(
                _exercise_record,
                c.execute(
                    f"SELECT {_EXERCISE_COLUMNS} FROM exercises WHERE lesson = ? AND exercise = ?",
                    (lesson, exercise),
                ).fetchone(),
            ),
            None,
        )

    def exercises(self, lesson: str | None = None) -> dict[tuple[str, str], ExerciseRecord]:
        """Every exercise record (of one lesson), keyed by (lesson, exercise)."""

        def read(c: sqlite3.Connection) -> dict[tuple[str, str], ExerciseRecord]:
            rows = _select(c, f"SELECT {_EXERCISE_COLUMNS} FROM exercises", lesson, "exercise")
            return {(r[0], r[1]): _exercise_record(r) for r in rows}

        return self._file.read(read, {})

    # -- questions -----------------------------------------------------------------------
    def record_answer(self, lesson: str, question: str, *, answer: str, correct: bool) -> None:
        now = utc_stamp()
        values = (lesson, question, answer, int(correct), now if correct else None, now)
        self._file.record(
            "answer",
            lambda c: c.execute(
                f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (lesson, question) DO UPDATE SET "
                "answer = excluded.answer, correct = excluded.correct, attempts = attempts + 1, "
                "first_correct_at = coalesce(first_correct_at, excluded.first_correct_at), "
                "last_answered_at = excluded.last_answered_at",
                values,
            ),
            size=len(answer),
        )

    def answers(self, lesson: str | None = None) -> dict[tuple[str, str], AnswerRecord]:
        def read(c: sqlite3.Connection) -> dict[tuple[str, str], AnswerRecord]:
            rows = _select(c, f"SELECT {_ANSWER_COLUMNS} FROM answers", lesson, "question")
            return {(r[0], r[1]): _answer_record(r) for r in rows}

        return self._file.read(read, {})

    # -- cells -----------------------------------------------------------------------------
    def record_cell(self, lesson: str, code: str, *, outcome: str, elapsed_ms: float) -> None:
        """A cell ran in a lesson (kept to replay the lesson's names after a restart)."""
        values = (lesson, code, outcome, float(elapsed_ms), utc_stamp())
        self._file.record(
            "cell",
            lambda c: c.execute(
                "INSERT INTO cells (lesson, code, outcome, elapsed_ms, ran_at) "
                "VALUES (?, ?, ?, ?, ?)",
                values,
            ),
            size=len(code),
        )

    def cells(self, lesson: str) -> list[CellRecord]:
        """The lesson's cells in the order they ran."""

        def read(c: sqlite3.Connection) -> list[CellRecord]:
            rows = c.execute(
                "SELECT code, outcome, elapsed_ms, ran_at FROM cells WHERE lesson = ? ORDER BY id",
                (lesson,),
            ).fetchall()
            return [CellRecord(_str(r[0]), _str(r[1]), _float(r[2]), _str(r[3])) for r in rows]

        return self._file.read(read, [])

    # -- input history -----------------------------------------------------------------------
    def add_history(self, line: str) -> None:
        """Remember an input line (not a blank one, not the same as the one before)."""
        if not line.strip():
            return
        now = utc_stamp()
        self._file.record("history", lambda c: _add_history(c, line, now), size=len(line))

    def history(self, limit: int = 1000) -> list[str]:
        """The newest `limit` input lines, oldest first."""

        def read(c: sqlite3.Connection) -> list[str]:
            rows = c.execute(
                "SELECT line FROM (SELECT line, added_at, id FROM history "
                "ORDER BY added_at DESC, id DESC LIMIT ?) ORDER BY added_at, id",
                (max(0, limit),),
            ).fetchall()
            return [_str(r[0]) for r in rows]

        return self._file.read(read, [])

    # -- preferences -------------------------------------------------------------------------
    def preference(self, key: str) -> str | None:
        return self._file.read(
            lambda c: _maybe(
                lambda r: _str(r[0]),
                c.execute("SELECT value FROM preferences WHERE key = ?", (key,)).fetchone(),
            ),
            None,
        )

    def set_preference(self, key: str, value: str) -> None:
        self._file.record(
            "setting",
            lambda c: c.execute(
                "INSERT INTO preferences (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            ),
            key=f"preference:{key}",
        )

    # -- the whole record ----------------------------------------------------------------------
    def reset(self, lesson: str | None = None) -> None:
        """Forget the record: all of it, or one lesson's (history and preferences stay)."""

        def forget(c: sqlite3.Connection) -> None:
            if lesson is None:
                for table in ("exercises", "answers", "cells", "position"):
                    c.execute(f"DELETE FROM {table}")
                return
            for table in ("exercises", "answers", "cells"):
                c.execute(f"DELETE FROM {table} WHERE lesson = ?", (lesson,))
            c.execute("UPDATE position SET step = 0 WHERE lesson = ?", (lesson,))

        self._file.record("reset", forget)

    def export(self) -> dict[str, Any]:
        """The whole record as the documented JSON-ready dict (see `tutor.progress.transfer`).

        A damaged file is repaired first; one that cannot be repaired is exported as far
        as it can be read. Raises sqlite3.Error only when even that fails.
        """
        from tutor.progress.transfer import export_record

        def snapshot(conn: sqlite3.Connection) -> dict[str, Any]:
            # One read transaction: a consistent snapshot while another tutor writes.
            conn.execute("BEGIN")
            try:
                return export_record(conn)
            finally:
                conn.execute("COMMIT")

        return self._file.with_repair(snapshot)

    def import_(self, data: Any) -> ImportReport:
        """Merge an exported record into this one, in one transaction.

        Raises `InvalidProgressFile` (nothing changed) when `data` is not a valid export,
        and `sqlite3.Error` when the merge cannot be written (nothing changed either).
        """
        from tutor.progress.transfer import merge_record, parse_record

        parsed = parse_record(data)

        def merge(conn: sqlite3.Connection) -> ImportReport:
            self._file.follow_file()
            with self._file.shared_lock(), self._file.transaction() as current:
                return merge_record(current, parsed, history_cap=HISTORY_CAP)

        return self._file.with_repair(merge)


def _select(
    conn: sqlite3.Connection, query: str, lesson: str | None, item: str
) -> list[tuple[Any, ...]]:
    if lesson is None:
        return conn.execute(f"{query} ORDER BY lesson, {item}").fetchall()
    return conn.execute(f"{query} WHERE lesson = ? ORDER BY {item}", (lesson,)).fetchall()


def _maybe(build: Callable[[Any], T], row: Any) -> T | None:
    return build(row) if row is not None else None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise DamagedRow(f"expected text, found {type(value).__name__}")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise DamagedRow(f"expected an integer, found {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DamagedRow(f"expected a number, found {type(value).__name__}")
    return float(value)


def _exercise_record(row: tuple[Any, ...]) -> ExerciseRecord:
    status = _str(row[2])
    if status not in ("attempted", "passed", "revealed"):
        raise DamagedRow(f"status {status!r}")
    return ExerciseRecord(
        lesson=_str(row[0]),
        exercise=_str(row[1]),
        status=status,  # type: ignore[arg-type]
        attempts=_int(row[3]),
        first_passed_at=_opt_str(row[4]),
        last_attempt_at=_opt_str(row[5]),
        last_code=_str(row[6]),
        revealed_at=_opt_str(row[7]),
    )


def _answer_record(row: tuple[Any, ...]) -> AnswerRecord:
    return AnswerRecord(
        _str(row[0]),
        _str(row[1]),
        _str(row[2]),
        bool(_int(row[3])),
        _int(row[4]),
        _opt_str(row[5]),
        _opt_str(row[6]),
    )


def _add_history(conn: sqlite3.Connection, line: str, now: str) -> None:
    last = conn.execute(
        "SELECT line FROM history ORDER BY added_at DESC, id DESC LIMIT 1"
    ).fetchone()
    if last and last[0] == line:
        return
    conn.execute("INSERT INTO history (line, added_at) VALUES (?, ?)", (line, now))
    trim_history(conn, HISTORY_CAP)


def trim_history(conn: sqlite3.Connection, cap: int) -> None:
    """Drop the oldest lines beyond `cap`."""
    (count,) = conn.execute("SELECT count(*) FROM history").fetchone()
    if count > cap:
        conn.execute(
            "DELETE FROM history WHERE id IN "
            "(SELECT id FROM history ORDER BY added_at, id LIMIT ?)",
            (count - cap,),
        )
