"""Where things are in a lesson's files, for messages: the line of an exercise, a wrong answer.

The loader keeps lines for examples only; exercises and questions are found again here
by reading the text, which is cheap and needs nothing from the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_TABLE = re.compile(r"^\s*\[\[\s*(exercise|question|exercise\.wrong|exercise\.mistake)\s*\]\]")
_ID = re.compile(r"""^\s*id\s*=\s*["']([^"']+)["']""")
_KEY = re.compile(r"^\s*(solution|starter|setup|fresh)\s*=")
_BLOCK = re.compile(r"^:::\s*(exercise|question)\s+(\S+)")


@dataclass
class ExercisePlace:
    """Lines of one `[[exercise]]` table of lesson.toml."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)
    wrong: list[int] = field(default_factory=list)


@dataclass
class TomlPlaces:
    """Lines of the exercises and questions of one lesson.toml, by id."""

    exercises: dict[str, ExercisePlace] = field(default_factory=dict)
    questions: dict[str, int] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> int:
        place = self.exercises.get(exercise_id)
        return place.line if place else 0

    def key(self, exercise_id: str, key: str) -> int:
        place = self.exercises.get(exercise_id)
        return place.keys.get(key, place.line) if place else 0

    def wrong(self, exercise_id: str, index: int) -> int:
        place = self.exercises.get(exercise_id)
        if place is None:
            return 0
        return place.wrong[index] if index < len(place.wrong) else place.line


def toml_places(path: Path) -> TomlPlaces:
    """Read lesson.toml's tables; an unreadable file gives no places (messages say line 0)."""
    places = TomlPlaces()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return places
    table: str | None = None
    start = 0
    current: ExercisePlace | None = None
    for number, text in enumerate(lines, start=1):
        header = _TABLE.match(text)
        if header:
            table, start = header.group(1), number
            if table == "exercise":
                current = ExercisePlace(line=number)
            elif table == "exercise.wrong" and current is not None:
                current.wrong.append(number)
            continue
        ident = _ID.match(text)
        if ident and table == "exercise" and current is not None:
            places.exercises[ident.group(1)] = current
        elif ident and table == "question":
            places.questions[ident.group(1)] = start
        key = _KEY.match(text)
        if key and table == "exercise" and current is not None:
            current.keys[key.group(1)] = number
    return places


def block_lines(path: Path) -> dict[str, int]:
    """The line of every `::: exercise ID` and `::: question ID` of a .md file, by id."""
    found: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for number, text in enumerate(lines, start=1):
        match = _BLOCK.match(text.strip())
        if match:
            found.setdefault(match.group(2), number)
    return found
