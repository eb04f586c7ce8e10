"""The store's schema and its forward migrations.

The version lives in `PRAGMA user_version`, the owner in `PRAGMA application_id`. A file
is brought up to `CURRENT_VERSION` one step at a time, each step in its own transaction
together with its new version number, so a crash mid-migration leaves the file at the
previous version, intact. A fresh file is built by the same steps from version 0, so
every path through the migrations is the one real users take.

Never edit a step that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tutor.progress.rows import TABLES

#: "TUTR": marks a SQLite file as ours (`PRAGMA application_id`).
APPLICATION_ID = 0x54555452


@dataclass(frozen=True)
class Migration:
    """One step: the statements that take the schema from `version - 1` to `version`."""

    version: int
    why: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "the first schema: position, exercises, answers, input history, preferences",
        (
            f"PRAGMA application_id = {APPLICATION_ID}",
            """CREATE TABLE position (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                lesson TEXT NOT NULL,
                step INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE exercises (
                lesson TEXT NOT NULL,
                exercise TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('attempted', 'revealed', 'passed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                first_passed_at TEXT,
                last_attempt_at TEXT,
                last_code TEXT NOT NULL DEFAULT '',
                revealed_at TEXT,
                PRIMARY KEY (lesson, exercise)
            )""",
            """CREATE TABLE answers (
                lesson TEXT NOT NULL,
                question TEXT NOT NULL,
                answer TEXT NOT NULL,
                correct INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                first_correct_at TEXT,
                last_answered_at TEXT,
                PRIMARY KEY (lesson, question)
            )""",
            """CREATE TABLE history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                line TEXT NOT NULL,
                added_at TEXT NOT NULL
            )""",
            """CREATE TABLE preferences (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "the cells run in each lesson (to replay them after a restart); history by time",
        (
            """CREATE TABLE cells (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                lesson TEXT NOT NULL,
                code TEXT NOT NULL,
                outcome TEXT NOT NULL,
                elapsed_ms REAL NOT NULL,
                ran_at TEXT NOT NULL
            )""",
            "CREATE INDEX cells_by_lesson ON cells (lesson, id)",
            # Imports merge two histories by time; the trim keeps the newest lines.
            "CREATE INDEX history_by_time ON history (added_at, id)",
        ),
    ),
)

CURRENT_VERSION = MIGRATIONS[-1].version

#: Every column the store reads or writes, per table: a file that claims to be ours but
#: lacks one of these is damaged (or from an incompatible future) and is not used.
COLUMNS: dict[str, tuple[str, ...]] = {table.name: table.names for table in TABLES}


class SchemaError(Exception):
    """The file's schema is not one this code can use."""


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = CURRENT_VERSION) -> int:
    """Apply the missing steps up to `target`; returns the version the file had.

    `conn` must be in autocommit mode (`isolation_level=None`). Each step takes the write
    lock first (`BEGIN IMMEDIATE`) and re-reads the version under it, so two tutors
    opening the same old file at once migrate it exactly once.
    """
    found = user_version(conn)
    for step in MIGRATIONS:
        if step.version > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) >= step.version:
                conn.execute("COMMIT")
                continue
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


def check_columns(conn: sqlite3.Connection, *, all_tables: bool = True) -> None:
    """Raise SchemaError unless every table and column the store uses is there (of the
    tables present only, with `all_tables=False`: an older file lacks the later ones)."""
    for table, columns in COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in present]
        if not present:
            if not all_tables:
                continue
            raise SchemaError(f"table {table!r} is missing")
        if missing:
            raise SchemaError(f"table {table!r} lacks {', '.join(missing)}")
