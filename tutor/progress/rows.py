"""What a good row of each table looks like: checked strictly, or mended when salvaging.

SQLite's `quick_check` verifies the file's structure and the CHECK constraints, not
that a text is valid UTF-8 or that an `attempts` column holds a number (the tables are
not STRICT). A single bad byte in a row can break either, so opening the store reads
every row of the record's own tables (`check_tables`; the cells and history are
checked as they are read) and a damaged file is salvaged; salvaging reads each row
through `mend_row`, which keeps everything that can be kept (a bad character becomes
U+FFFD, a bad time is dropped or set to the epoch) and drops only rows without a key.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutor.progress.causes import DamagedRow
from tutor.progress.records import STATUS_RANK, is_stamp

#: A required time that was unreadable: the earliest possible, so it sorts first.
EPOCH_STAMP = "1970-01-01T00:00:00.000000Z"


@dataclass(frozen=True)
class Column:
    name: str
    #: ident (non-empty text, part of the key), text, stamp, int, real, flag, status
    kind: str
    optional: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: Whether the first column is an `INTEGER PRIMARY KEY` (the rowid itself).
    rowid_alias: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, kind: str, optional: bool = False) -> Column:
    return Column(name, kind, optional)


#: The tables as the current schema has them, columns in their stored order.
TABLES: tuple[Table, ...] = (
    Table(
        "position",
        (_c("id", "int"), _c("lesson", "ident"), _c("step", "int"), _c("updated_at", "stamp")),
        rowid_alias=True,
    ),
    Table(
        "exercises",
        (
            _c("lesson", "ident"),
            _c("exercise", "ident"),
            _c("status", "status"),
            _c("attempts", "int"),
            _c("first_passed_at", "stamp", True),
            _c("last_attempt_at", "stamp", True),
            _c("last_code", "text"),
            _c("revealed_at", "stamp", True),
        ),
    ),
    Table(
        "answers",
        (
            _c("lesson", "ident"),
            _c("question", "ident"),
            _c("answer", "text"),
            _c("correct", "flag"),
            _c("attempts", "int"),
            _c("first_correct_at", "stamp", True),
            _c("last_answered_at", "stamp", True),
        ),
    ),
    Table("history", (_c("id", "int"), _c("line", "text"), _c("added_at", "stamp")), True),
    Table("preferences", (_c("key", "ident"), _c("value", "text"))),
    Table(
        "cells",
        (
            _c("id", "int"),
            _c("lesson", "ident"),
            _c("code", "text"),
            _c("outcome", "ident"),
            _c("elapsed_ms", "real"),
            _c("ran_at", "stamp"),
        ),
        rowid_alias=True,
    ),
)

TABLE = {table.name: table for table in TABLES}


# -- strict -------------------------------------------------------------------------------------
#: The tables that grow with every cell and line typed: checked as they are read (by the
#: store's reads and by export), not all at every open.
LOGS = ("cells", "history")


def check_tables(conn: sqlite3.Connection, *, skip: tuple[str, ...] = ()) -> None:
    """Check every row of every table (but `skip`); raise at the first one that is not good.

    The kinds are checked in SQL (one pass per table, in SQLite), and the texts are read
    in batches so sqlite3 decodes them (in C). Raises DamagedRow, or
    sqlite3.OperationalError for text that is not UTF-8.
    """
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in TABLES:
        if table.name in present and table.name not in skip:
            check_kinds(conn, table)
            texts = [c.name for c in table.columns if c.kind in ("ident", "text", "stamp")]
            cursor = conn.execute(f"SELECT {', '.join(texts)} FROM {table.name}")
            while cursor.fetchmany(1000):
                pass


def check_kinds(conn: sqlite3.Connection, table: Table) -> None:
    """Raise DamagedRow when a row of `table` holds a value of the wrong kind (in SQL)."""
    bad = conn.execute(
        f"SELECT rowid FROM {table.name} WHERE NOT ({good_row_sql(table)}) LIMIT 1"
    ).fetchone()
    if bad is not None:
        raise DamagedRow(f"{table.name} row {bad[0]} holds a value of the wrong kind")


def good_row_sql(table: Table) -> str:
    """An SQL condition true of a row whose every value is of its column's kind."""
    checked = table.columns[1:] if table.rowid_alias else table.columns
    good = " AND ".join(f"({_GOOD_SQL[c.kind](c)})" for c in checked)
    if table.name == "exercises":  # a status that agrees with the times (as mending makes it)
        good += (
            " AND (first_passed_at IS NULL OR status = 'passed')"
            " AND (revealed_at IS NULL OR status != 'attempted')"
        )
    return good


def _sql_stamp(column: Column) -> str:
    """A time in the store's format, its fields in range (compared as text: cheap)."""
    name = column.name
    good = (
        f"(typeof({name}) = 'text' AND length({name}) = 27 AND {name} GLOB "
        "'[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
        ".[0-9][0-9][0-9][0-9][0-9][0-9]Z' "
        f"AND substr({name}, 6, 2) BETWEEN '01' AND '12' "
        f"AND substr({name}, 9, 2) BETWEEN '01' AND '31' AND substr({name}, 12, 2) < '24')"
    )
    return f"{name} IS NULL OR {good}" if column.optional else good


_GOOD_SQL: dict[str, Callable[[Column], str]] = {
    "ident": lambda c: f"typeof({c.name}) = 'text' AND trim({c.name}) != ''",
    "text": lambda c: f"typeof({c.name}) = 'text'",
    "stamp": _sql_stamp,
    "int": lambda c: f"typeof({c.name}) = 'integer' AND {c.name} >= 0",
    "real": lambda c: (
        f"typeof({c.name}) IN ('integer', 'real') AND {c.name} >= 0 AND {c.name} < 1e308"
    ),
    "flag": lambda c: f"typeof({c.name}) = 'integer' AND {c.name} IN (0, 1)",
    "status": lambda c: f"{c.name} IN ('attempted', 'revealed', 'passed')",
}


# -- mending -----------------------------------------------------------------------------------
def mend_row(table: Table, typed: list[tuple[str, Any]]) -> tuple[dict[str, Any] | None, bool]:
    """A row read as (SQLite type, raw value) pairs, made good: (row or None, mended?).

    None when the row has no usable key (an empty lesson or exercise id, no id).
    """
    row: dict[str, Any] = {}
    mended = False
    for column, (kind, value) in zip(table.columns, typed, strict=True):
        good, changed = _mend(column, kind, value)
        if good is None and column.kind == "ident":
            return None, True
        row[column.name] = good
        mended = mended or changed
    if table.name == "exercises":
        status = _status(row)
        mended = mended or status != row["status"]
        row["status"] = status
    return row, mended


def _mend(column: Column, kind: str, value: Any) -> tuple[Any, bool]:
    """(the good value, whether it differs from what was stored); `kind` is SQLite's type."""
    changed = False
    if isinstance(value, bytes):
        text = value.decode("utf-8", "replace")
        changed = kind != "text" or text.encode("utf-8") != value
        value = text
    good = _MENDERS[column.kind](value, column.optional)
    return good, changed or good != value


def _text(value: Any, optional: bool) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _ident(value: Any, optional: bool) -> str | None:
    text = _text(value, optional)
    return text if text.strip() else None


def _stamp(value: Any, optional: bool) -> str | None:
    if is_stamp(value):
        return str(value)
    return None if optional else EPOCH_STAMP


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _int(value: Any, optional: bool) -> int:
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if _is_int(value) else 0


def _real(value: Any, optional: bool) -> float:
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return float(value)
    return 0.0


def _flag(value: Any, optional: bool) -> int:
    return 1 if isinstance(value, int | float) and value else 0


def _status_value(value: Any, optional: bool) -> str:
    return str(value) if value in STATUS_RANK else ""


_MENDERS: dict[str, Callable[[Any, bool], Any]] = {
    "ident": _ident,
    "text": _text,
    "stamp": _stamp,
    "int": _int,
    "real": _real,
    "flag": _flag,
    "status": _status_value,
}


def _status(row: dict[str, Any]) -> str:
    """A status that agrees with the times (an unreadable one is worked out from them)."""
    status = row["status"] or "attempted"
    if row["first_passed_at"]:
        return "passed"
    if row["revealed_at"] and status == "attempted":
        return "revealed"
    if status == "passed":  # passed without a time: the time was unreadable
        return "passed"
    return status
