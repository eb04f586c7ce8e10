"""The learner's record in one SQLite file: every event committed when it happens.

Each method that records something is one short `BEGIN IMMEDIATE ... COMMIT`
transaction, so a `kill -9` loses at most the event in flight, and two tutors on the same
file (two SSH sessions) queue for the write lock (the busy timeout) instead of losing each
other's updates; counters are incremented in SQL (`attempts = attempts + 1`), never read
into Python and written back.

The store never raises at the learner: a file it cannot use is handled when it opens (see
`tutor.progress.opening`), and a write that fails later (disk full, a lock held too long)
is logged, counted in `write_failures` and described in `warning`.

`reset` forgets exercises, answers, cells and the position; the input history and the
preferences are settings of the tutor, not the record, and stay.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from tutor.progress.opening import Opened, connect, open_progress
from tutor.progress.records import (
    AnswerRecord,
    CellRecord,
    ExerciseRecord,
    ImportReport,
    utc_stamp,
)
from tutor.progress.schema import migrate

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The input history keeps this many lines (the newest).
HISTORY_CAP = 5000
DEFAULT_BUSY_TIMEOUT = 5.0

_EXERCISE_COLUMNS = (
    "lesson, exercise, status, attempts, first_passed_at, last_attempt_at, last_code, revealed_at"
)
_ANSWER_COLUMNS = "lesson, question, answer, correct, attempts, first_correct_at, last_answered_at"


class ProgressStore:
    """Where the learner is and what they have done, saved as it happens."""

    def __init__(self, opened: Opened) -> None:
        self._conn = opened.conn
        self._lock = threading.RLock()
        #: Whether events reach the disk (False: an in-memory store, see `warning`).
        self.persistent = opened.persistent
        #: What the learner should be told about this store, or None.
        self.warning = opened.warning
        #: The file (even when it could not be used), or None for `in_memory()`.
        self.path = opened.path
        #: Events that could not be saved since the store opened.
        self.write_failures = 0

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
            opened = _empty_memory(f"cannot open {path} ({exc}); nothing will be saved")
        opened.path = path
        return cls(opened)

    @classmethod
    def in_memory(cls) -> ProgressStore:
        """A store that saves nothing (for tests and throwaway sessions)."""
        return cls(_empty_memory(None))

    def close(self) -> None:
        with self._lock, suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- position ------------------------------------------------------------------------
    def position(self) -> tuple[str, int] | None:
        """The lesson and step where the learner stopped, or None before any."""
        row = self._read(
            lambda c: c.execute("SELECT lesson, step FROM position WHERE id = 1").fetchone(), None
        )
        return (str(row[0]), int(row[1])) if row else None

    def set_position(self, lesson: str, step: int) -> None:
        self._write(
            lambda c: c.execute(
                "INSERT INTO position (id, lesson, step, updated_at) VALUES (1, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET lesson = excluded.lesson, step = excluded.step, "
                "updated_at = excluded.updated_at",
                (lesson, int(step), utc_stamp()),
            )
        )

    # -- exercises -----------------------------------------------------------------------
    def record_attempt(self, lesson: str, exercise: str, *, code: str, passed: bool) -> None:
        """An attempt at an exercise was checked; a pass is for good."""
        now = utc_stamp()
        self._write(
            lambda c: c.execute(
                f"INSERT INTO exercises ({_EXERCISE_COLUMNS}) VALUES (?, ?, ?, 1, ?, ?, ?, NULL) "
                "ON CONFLICT (lesson, exercise) DO UPDATE SET "
                "attempts = attempts + 1, "
                "status = CASE WHEN excluded.status = 'passed' THEN 'passed' ELSE status END, "
                "first_passed_at = coalesce(first_passed_at, excluded.first_passed_at), "
                "last_attempt_at = excluded.last_attempt_at, "
                "last_code = excluded.last_code",
                (
                    lesson,
                    exercise,
                    "passed" if passed else "attempted",
                    now if passed else None,
                    now,
                    code,
                ),
            )
        )

    def record_revealed(self, lesson: str, exercise: str) -> None:
        """The solution was shown: "revealed" unless already passed (the time is kept)."""
        self._write(
            lambda c: c.execute(
                f"INSERT INTO exercises ({_EXERCISE_COLUMNS}) "
                "VALUES (?, ?, 'revealed', 0, NULL, NULL, '', ?) "
                "ON CONFLICT (lesson, exercise) DO UPDATE SET "
                "status = CASE WHEN status = 'passed' THEN 'passed' ELSE 'revealed' END, "
                "revealed_at = coalesce(revealed_at, excluded.revealed_at)",
                (lesson, exercise, utc_stamp()),
            )
        )

    def exercise(self, lesson: str, exercise: str) -> ExerciseRecord | None:
        row = self._read(
            lambda c: c.execute(
                f"SELECT {_EXERCISE_COLUMNS} FROM exercises WHERE lesson = ? AND exercise = ?",
                (lesson, exercise),
            ).fetchone(),
            None,
        )
        return _exercise_record(row) if row else None

    def exercises(self, lesson: str | None = None) -> dict[tuple[str, str], ExerciseRecord]:
        """Every exercise record (of one lesson), keyed by (lesson, exercise)."""
        rows: list[Any] = self._read(
            lambda c: _select(c, f"SELECT {_EXERCISE_COLUMNS} FROM exercises", lesson, "exercise"),
            [],
        )
        return {(r[0], r[1]): _exercise_record(r) for r in rows}

    # -- questions -----------------------------------------------------------------------
    def record_answer(self, lesson: str, question: str, *, answer: str, correct: bool) -> None:
        now = utc_stamp()
        self._write(
            lambda c: c.execute(
                f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (lesson, question) DO UPDATE SET "
                "answer = excluded.answer, correct = excluded.correct, attempts = attempts + 1, "
                "first_correct_at = coalesce(first_correct_at, excluded.first_correct_at), "
                "last_answered_at = excluded.last_answered_at",
                (lesson, question, answer, int(correct), now if correct else None, now),
            )
        )

    def answers(self, lesson: str | None = None) -> dict[tuple[str, str], AnswerRecord]:
        rows: list[Any] = self._read(
            lambda c: _select(c, f"SELECT {_ANSWER_COLUMNS} FROM answers", lesson, "question"), []
        )
        return {
            (r[0], r[1]): AnswerRecord(r[0], r[1], r[2], bool(r[3]), int(r[4]), r[5], r[6])
            for r in rows
        }

    # -- cells -----------------------------------------------------------------------------
    def record_cell(self, lesson: str, code: str, *, outcome: str, elapsed_ms: float) -> None:
        """A cell ran in a lesson (kept to replay the lesson's names after a restart)."""
        self._write(
            lambda c: c.execute(
                "INSERT INTO cells (lesson, code, outcome, elapsed_ms, ran_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (lesson, code, outcome, float(elapsed_ms), utc_stamp()),
            )
        )

    def cells(self, lesson: str) -> list[CellRecord]:
        """The lesson's cells in the order they ran."""
        rows: list[Any] = self._read(
            lambda c: c.execute(
                "SELECT code, outcome, elapsed_ms, ran_at FROM cells WHERE lesson = ? ORDER BY id",
                (lesson,),
            ).fetchall(),
            [],
        )
        return [CellRecord(r[0], r[1], float(r[2]), r[3]) for r in rows]

    def clear_cells(self, lesson: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM cells WHERE lesson = ?", (lesson,)))

    # -- input history -----------------------------------------------------------------------
    def add_history(self, line: str) -> None:
        """Remember an input line (not a blank one, not the same as the one before)."""
        if not line.strip():
            return
        self._write(lambda c: _add_history(c, line, utc_stamp()))

    def history(self, limit: int = 1000) -> list[str]:
        """The newest `limit` input lines, oldest first."""
        rows: list[Any] = self._read(
            lambda c: c.execute(
                "SELECT line FROM (SELECT line, added_at, id FROM history "
                "ORDER BY added_at DESC, id DESC LIMIT ?) ORDER BY added_at, id",
                (max(0, limit),),
            ).fetchall(),
            [],
        )
        return [r[0] for r in rows]

    # -- preferences -------------------------------------------------------------------------
    def preference(self, key: str) -> str | None:
        row = self._read(
            lambda c: c.execute("SELECT value FROM preferences WHERE key = ?", (key,)).fetchone(),
            None,
        )
        return str(row[0]) if row else None

    def set_preference(self, key: str, value: str) -> None:
        self._write(
            lambda c: c.execute(
                "INSERT INTO preferences (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        )

    # -- the whole record ----------------------------------------------------------------------
    def recorded_lessons(self) -> list[str]:
        """Every lesson id with a record (exercises, answers, cells or the position)."""
        rows: list[Any] = self._read(
            lambda c: c.execute(
                "SELECT lesson FROM exercises UNION SELECT lesson FROM answers "
                "UNION SELECT lesson FROM cells UNION SELECT lesson FROM position ORDER BY 1"
            ).fetchall(),
            [],
        )
        return [r[0] for r in rows]

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

        self._write(forget)

    def export(self) -> dict[str, Any]:
        """The whole record as the documented JSON-ready dict (see `tutor.progress.transfer`)."""
        from tutor.progress.transfer import export_record

        with self._lock:
            # One read transaction: a consistent snapshot while another tutor writes.
            self._conn.execute("BEGIN")
            try:
                return export_record(self._conn)
            finally:
                self._conn.execute("COMMIT")

    def import_(self, data: Any) -> ImportReport:
        """Merge an exported record into this one, in one transaction.

        Raises `InvalidProgressFile` (nothing changed) when `data` is not a valid export,
        and `sqlite3.Error` when the merge cannot be written (nothing changed either).
        """
        from tutor.progress.transfer import merge_record, parse_record

        parsed = parse_record(data)
        with self._transaction() as conn:
            return merge_record(conn, parsed, history_cap=HISTORY_CAP)

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the file's write lock from its start."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> None:
        try:
            with self._transaction() as conn:
                work(conn)
        except sqlite3.Error as exc:
            self.write_failures += 1
            log.info("progress event not saved (%s): %s", self.path, exc)
            self.warning = f"progress could not be saved ({exc}); the latest events may be lost"

    def _read(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        try:
            with self._lock:
                return work(self._conn)
        except sqlite3.Error as exc:
            log.info("progress could not be read (%s): %s", self.path, exc)
            return default


def _empty_memory(warning: str | None) -> Opened:
    conn = connect(":memory:", DEFAULT_BUSY_TIMEOUT)
    migrate(conn)
    return Opened(conn, False, warning, None)


def _select(
    conn: sqlite3.Connection, query: str, lesson: str | None, item: str
) -> list[tuple[Any, ...]]:
    if lesson is None:
        return conn.execute(f"{query} ORDER BY lesson, {item}").fetchall()
    return conn.execute(f"{query} WHERE lesson = ? ORDER BY {item}", (lesson,)).fetchall()


def _exercise_record(row: tuple[Any, ...]) -> ExerciseRecord:
    return ExerciseRecord(
        lesson=row[0],
        exercise=row[1],
        status=row[2],
        attempts=int(row[3]),
        first_passed_at=row[4],
        last_attempt_at=row[5],
        last_code=row[6],
        revealed_at=row[7],
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
