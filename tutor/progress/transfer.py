"""Export and import of the learner's record: a stable JSON file.

The file (UTF-8 JSON, one object)::

    {
      "format": "tutor-progress",          # always this
      "version": 1,                         # this layout; a reader refuses a higher one
      "exported_at": "2026-11-27T04:15:00.123456Z",
      "position": {"lesson": "01-tensors", "step": 3, "updated_at": TIME} | null,
      "exercises": [{"lesson", "exercise", "status": "attempted"|"revealed"|"passed",
                     "attempts": int >= 0, "first_passed_at": TIME|null,
                     "last_attempt_at": TIME|null, "revealed_at": TIME|null, "last_code": str}],
      "answers":   [{"lesson", "question", "answer": str, "correct": bool, "attempts": int >= 0,
                     "first_correct_at": TIME|null, "last_answered_at": TIME|null}],
      "cells":     [{"lesson", "code", "outcome", "elapsed_ms": number >= 0, "ran_at": TIME}],
      "history":   [{"line", "added_at": TIME}],
      "preferences": {"key": "value"}
    }

TIME is UTC, fixed width, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Lists are sorted (exercises and
answers by lesson then id, cells in the order they ran, history oldest first). Unknown keys
are ignored, so later tutors may add keys without a new version; a missing list is empty.

Import validates the whole file first and refuses it, changing nothing, on the first
problem (with where it is). Then it merges, in one transaction, so importing the same file
twice changes nothing the second time:
- exercise status: the better of the two, passed > revealed > attempted (a pass is a pass,
  even after a revealed solution; the earliest `revealed_at` is kept, so it stays known);
  attempts: the larger; first pass: the earlier; last attempt: the later, and its code;
- answers: the later answer (and whether it was correct); attempts: the larger; first
  correct: the earlier;
- cells and history lines: appended unless already there (same lesson, time and code; same
  time and line); the history is then trimmed to its cap;
- preferences: yours win; the file's only fill keys you do not have;
- position: the more recently updated one.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tutor.progress.records import STATUS_RANK, ImportReport, is_stamp, utc_stamp
from tutor.progress.rows import TABLE, check_kinds

FORMAT = "tutor-progress"
VERSION = 1
MAX_ID = 200
MAX_TEXT = 1_000_000
MAX_ITEMS = 200_000


class InvalidProgressFile(ValueError):
    """The data is not a progress export this tutor can read; the message says why."""


@dataclass
class ParsedRecord:
    """A validated export, as rows ready for the merge."""

    position: dict[str, Any] | None = None
    exercises: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    cells: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    preferences: dict[str, str] = field(default_factory=dict)


# -- export -----------------------------------------------------------------------------------
def export_record(conn: sqlite3.Connection) -> dict[str, Any]:
    """The store's content in the file format above.

    Every row is checked as it is read: a damaged one raises `DamagedRow` (the store
    then repairs the file and exports again), never a file that cannot be imported back.
    """
    position = _checked(conn, "position", "id")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_stamp(),
        "position": _without(position[0], "id") if position else None,
        "exercises": _checked(conn, "exercises", "lesson, exercise"),
        "answers": [
            {**r, "correct": bool(r["correct"])}
            for r in _checked(conn, "answers", "lesson, question")
        ],
        "cells": [_without(r, "id") for r in _checked(conn, "cells", "id")],
        "history": [_without(r, "id") for r in _checked(conn, "history", "added_at, id")],
        "preferences": {r["key"]: r["value"] for r in _checked(conn, "preferences", "key")},
    }


def _checked(conn: sqlite3.Connection, name: str, order: str) -> list[dict[str, Any]]:
    """The rows of a table as dicts, in `order`, checked (`tutor.progress.rows`)."""
    table = TABLE[name]
    check_kinds(conn, table)
    cursor = conn.execute(f"SELECT {', '.join(table.names)} FROM {name} ORDER BY {order}")
    return [dict(zip(table.names, row, strict=True)) for row in cursor]


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != key}


# -- validation --------------------------------------------------------------------------------
def parse_record(data: Any) -> ParsedRecord:
    """Check every part of `data`; raise InvalidProgressFile naming the first problem."""
    if not isinstance(data, dict):
        raise InvalidProgressFile("the file is not a JSON object")
    if data.get("format") != FORMAT:
        raise InvalidProgressFile(f'"format" is not "{FORMAT}": this is not a tutor progress file')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidProgressFile('"version" must be a positive integer')
    if version > VERSION:
        raise InvalidProgressFile(
            f"the file is format version {version}, from a newer tutor (this one reads {VERSION})"
        )
    parsed = ParsedRecord()
    position = data.get("position")
    if position is not None:
        where = "position"
        parsed.position = {
            "lesson": _ident(position, "lesson", where),
            "step": _count(position, "step", where),
            "updated_at": _time(position, "updated_at", where, optional=True) or "",
        }
    parsed.exercises = [
        {
            "lesson": _ident(item, "lesson", where),
            "exercise": _ident(item, "exercise", where),
            "status": _choice(item, "status", where, tuple(STATUS_RANK)),
            "attempts": _count(item, "attempts", where),
            "first_passed_at": _time(item, "first_passed_at", where, optional=True),
            "last_attempt_at": _time(item, "last_attempt_at", where, optional=True),
            "revealed_at": _time(item, "revealed_at", where, optional=True),
            "last_code": _text(item, "last_code", where, default=""),
        }
        for where, item in _items(data, "exercises")
    ]
    parsed.answers = [
        {
            "lesson": _ident(item, "lesson", where),
            "question": _ident(item, "question", where),
            "answer": _text(item, "answer", where),
            "correct": _flag(item, "correct", where),
            "attempts": _count(item, "attempts", where),
            "first_correct_at": _time(item, "first_correct_at", where, optional=True),
            "last_answered_at": _time(item, "last_answered_at", where, optional=True),
        }
        for where, item in _items(data, "answers")
    ]
    parsed.cells = [
        {
            "lesson": _ident(item, "lesson", where),
            "code": _text(item, "code", where),
            "outcome": _ident(item, "outcome", where),
            "elapsed_ms": _duration(item, "elapsed_ms", where),
            "ran_at": _time(item, "ran_at", where),
        }
        for where, item in _items(data, "cells")
    ]
    parsed.history = [
        {"line": _text(item, "line", where), "added_at": _time(item, "added_at", where)}
        for where, item in _items(data, "history")
    ]
    preferences = data.get("preferences", {})
    if not isinstance(preferences, dict):
        raise InvalidProgressFile('"preferences" must be an object')
    for key, value in preferences.items():
        if not isinstance(value, str) or len(value) > MAX_ID or len(key) > MAX_ID:
            raise InvalidProgressFile(f"preferences.{key}: must be a short string")
    parsed.preferences = dict(preferences)
    return parsed


def _items(data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    items = data.get(name, [])
    if not isinstance(items, list):
        raise InvalidProgressFile(f'"{name}" must be a list')
    if len(items) > MAX_ITEMS:
        raise InvalidProgressFile(f'"{name}" has more than {MAX_ITEMS} entries')
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidProgressFile(f"{name}[{i}]: must be an object")
        out.append((f"{name}[{i}]", item))
    return out


def _field(item: Any, key: str, where: str) -> Any:
    if not isinstance(item, dict):
        raise InvalidProgressFile(f"{where}: must be an object")
    if key not in item:
        raise InvalidProgressFile(f'{where}: "{key}" is missing')
    return item[key]


def _bad(where: str, key: str, what: str) -> InvalidProgressFile:
    return InvalidProgressFile(f"{where}.{key}: {what}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ident(item: Any, key: str, where: str) -> str:
    value = _field(item, key, where)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID:
        raise _bad(where, key, f"must be a non-empty string of at most {MAX_ID} characters")
    return value


def _text(item: Any, key: str, where: str, default: str | None = None) -> str:
    if default is not None and isinstance(item, dict) and key not in item:
        return default
    value = _field(item, key, where)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise _bad(where, key, f"must be a string of at most {MAX_TEXT} characters")
    return value


def _count(item: Any, key: str, where: str) -> int:
    value = _field(item, key, where)
    if not _is_int(value) or value < 0 or value > 2**62:
        raise _bad(where, key, "must be a non-negative integer")
    return int(value)


def _flag(item: Any, key: str, where: str) -> bool:
    value = _field(item, key, where)
    if not isinstance(value, bool):
        raise _bad(where, key, "must be true or false")
    return value


def _duration(item: Any, key: str, where: str) -> float:
    value = _field(item, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(where, key, "must be a number")
    if not math.isfinite(value) or value < 0:
        raise _bad(where, key, "must be a finite number >= 0")
    return float(value)


def _choice(item: Any, key: str, where: str, choices: tuple[str, ...]) -> str:
    value = _field(item, key, where)
    if value not in choices:
        raise _bad(where, key, f"must be one of {', '.join(choices)}")
    return str(value)


def _time(item: Any, key: str, where: str, *, optional: bool = False) -> str | None:
    if optional and isinstance(item, dict) and item.get(key) is None:
        return None
    value = _field(item, key, where)
    if not is_stamp(value):
        raise _bad(where, key, "must be a UTC time like 2026-11-27T04:15:00.000000Z")
    return str(value)


# -- merge --------------------------------------------------------------------------------------
def merge_record(
    conn: sqlite3.Connection, parsed: ParsedRecord, *, history_cap: int
) -> ImportReport:
    """Merge `parsed` into the store; the caller holds the write transaction."""
    from tutor.progress.store import trim_history

    counts = {name: 0 for name in ImportReport.__dataclass_fields__ if name != "position_changed"}
    for row in parsed.exercises:
        key = (row["lesson"], row["exercise"])
        ours = _fetch(conn, "exercises", "exercise", key)
        if ours is None:
            _insert(conn, "exercises", _exercise_consistent(row))
            counts["exercises_added"] += 1
        elif (merged := _merge_exercise(ours, row)) != ours:
            _replace(conn, "exercises", merged)
            counts["exercises_merged"] += 1
    for row in parsed.answers:
        key = (row["lesson"], row["question"])
        ours = _fetch(conn, "answers", "question", key)
        theirs = {**row, "correct": int(row["correct"])}
        if ours is None:
            _insert(conn, "answers", theirs)
            counts["answers_added"] += 1
        elif (merged := _merge_answer(ours, theirs)) != ours:
            _replace(conn, "answers", merged)
            counts["answers_merged"] += 1
    for row in parsed.cells:
        seen = conn.execute(
            "SELECT 1 FROM cells WHERE lesson = ? AND ran_at = ? AND code = ?",
            (row["lesson"], row["ran_at"], row["code"]),
        ).fetchone()
        if not seen:
            _insert(conn, "cells", row)
            counts["cells_added"] += 1
    for row in parsed.history:
        seen = conn.execute(
            "SELECT 1 FROM history WHERE added_at = ? AND line = ?", (row["added_at"], row["line"])
        ).fetchone()
        if not seen:
            _insert(conn, "history", row)
            counts["history_added"] += 1
    trim_history(conn, history_cap)
    for name, value in parsed.preferences.items():
        cursor = conn.execute(
            "INSERT INTO preferences (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (name, value),
        )
        counts["preferences_added"] += cursor.rowcount
    return ImportReport(**counts, position_changed=_merge_position(conn, parsed.position))


def _fetch(
    conn: sqlite3.Connection, table: str, item: str, key: tuple[str, str]
) -> dict[str, Any] | None:
    cursor = conn.execute(f"SELECT * FROM {table} WHERE lesson = ? AND {item} = ?", key)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


def _replace(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(
        f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({marks})", tuple(row.values())
    )


def _earliest(a: str | None, b: str | None) -> str | None:
    return min((t for t in (a, b) if t), default=None)


def _latest(a: str | None, b: str | None) -> str | None:
    return max((t for t in (a, b) if t), default=None)


def _exercise_consistent(row: dict[str, Any]) -> dict[str, Any]:
    """A status that agrees with the times (a first pass means passed, a reveal revealed)."""
    status = row["status"]
    if row["first_passed_at"]:
        status = "passed"
    elif row["revealed_at"] and status == "attempted":
        status = "revealed"
    return {**row, "status": status}


def _merge_exercise(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    newer = theirs if (theirs["last_attempt_at"] or "") > (ours["last_attempt_at"] or "") else ours
    merged = {
        "lesson": ours["lesson"],
        "exercise": ours["exercise"],
        "status": max(ours["status"], theirs["status"], key=STATUS_RANK.__getitem__),
        "attempts": max(ours["attempts"], theirs["attempts"]),
        "first_passed_at": _earliest(ours["first_passed_at"], theirs["first_passed_at"]),
        "last_attempt_at": _latest(ours["last_attempt_at"], theirs["last_attempt_at"]),
        "last_code": newer["last_code"] or ours["last_code"] or theirs["last_code"],
        "revealed_at": _earliest(ours["revealed_at"], theirs["revealed_at"]),
    }
    return _exercise_consistent(merged)


def _merge_answer(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    newer = (
        theirs if (theirs["last_answered_at"] or "") > (ours["last_answered_at"] or "") else ours
    )
    return {
        "lesson": ours["lesson"],
        "question": ours["question"],
        "answer": newer["answer"],
        "correct": int(newer["correct"]),
        "attempts": max(ours["attempts"], theirs["attempts"]),
        "first_correct_at": _earliest(ours["first_correct_at"], theirs["first_correct_at"]),
        "last_answered_at": _latest(ours["last_answered_at"], theirs["last_answered_at"]),
    }


def _merge_position(conn: sqlite3.Connection, theirs: dict[str, Any] | None) -> bool:
    if theirs is None:
        return False
    ours = conn.execute("SELECT lesson, step, updated_at FROM position").fetchone()
    if ours is not None and (
        theirs["updated_at"] <= ours[2] or (theirs["lesson"], theirs["step"]) == ours[:2]
    ):
        return False
    conn.execute(
        "INSERT OR REPLACE INTO position (id, lesson, step, updated_at) VALUES (1, ?, ?, ?)",
        (theirs["lesson"], theirs["step"], theirs["updated_at"] or utc_stamp()),
    )
    return True
