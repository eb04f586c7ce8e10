"""What the progress store hands out: plain, frozen records and the time format.

Times are UTC ISO 8601 strings of one fixed width (`2026-11-27T04:15:00.123456Z`), so
SQLite compares them correctly as text, `min`/`max` work on them, and an exported file
carries exactly what the store holds (a round trip never changes a time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

ExerciseStatus = Literal["attempted", "passed", "revealed"]
STATUSES: tuple[ExerciseStatus, ...] = ("attempted", "revealed", "passed")
#: Import keeps the better status of the two; a pass beats a revealed solution.
STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(STATUSES)}

_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_STAMP_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def utc_stamp(moment: datetime | None = None) -> str:
    """`moment` (default: now) as the store's fixed-width UTC text."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP_FORMAT)


def is_stamp(text: object) -> bool:
    """Whether `text` is a time in the store's format (and a real date)."""
    if not isinstance(text, str) or not _STAMP_PATTERN.fullmatch(text):
        return False
    try:  # the fields by position (the pattern fixed them): much faster than strptime
        datetime(
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
        )
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise as the learner has done it so far."""

    lesson: str
    exercise: str
    #: "passed" once passed (for good); "revealed" if the solution was shown before any
    #: pass; else "attempted".
    status: ExerciseStatus
    attempts: int
    first_passed_at: str | None
    last_attempt_at: str | None
    #: The code of the latest attempt ("" before any).
    last_code: str
    #: When the solution was first shown, or None.
    revealed_at: str | None = None

    @property
    def revealed(self) -> bool:
        """Whether the solution was ever shown (even after a pass)."""
        return self.revealed_at is not None

    @property
    def passed_unaided(self) -> bool:
        """Passed before the solution was shown."""
        return self.first_passed_at is not None and (
            self.revealed_at is None or self.first_passed_at < self.revealed_at
        )


@dataclass(frozen=True)
class AnswerRecord:
    """A question as the learner has answered it so far."""

    lesson: str
    question: str
    #: The latest answer, as typed.
    answer: str
    #: Whether the latest answer was correct.
    correct: bool
    attempts: int
    first_correct_at: str | None
    last_answered_at: str | None

    @property
    def ever_correct(self) -> bool:
        return self.first_correct_at is not None


@dataclass(frozen=True)
class CellRecord:
    """A cell the learner ran in a lesson: enough to replay it."""

    code: str
    #: The kernel's outcome: ok, error, interrupted, timeout, killed, crashed.
    outcome: str
    elapsed_ms: float
    ran_at: str


@dataclass(frozen=True)
class ImportReport:
    """What merging an exported record changed."""

    exercises_added: int = 0
    exercises_merged: int = 0
    answers_added: int = 0
    answers_merged: int = 0
    cells_added: int = 0
    history_added: int = 0
    preferences_added: int = 0
    position_changed: bool = False

    def summary(self) -> str:
        """One line for a person."""
        parts = [
            f"{self.exercises_added} exercises added, {self.exercises_merged} merged",
            f"{self.answers_added} answers added, {self.answers_merged} merged",
            f"{self.cells_added} cells",
            f"{self.history_added} history lines",
            f"{self.preferences_added} preferences",
        ]
        if self.position_changed:
            parts.append("position updated")
        return "; ".join(parts)
