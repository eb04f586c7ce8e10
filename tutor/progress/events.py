"""What the store tells its frontends: events as they happen and its health right now.

The store never raises at the learner; instead it keeps a `StoreHealth` (is saving
working, and if not, why and what is waiting) and announces `StoreEvent`s to its
listeners: a write that failed, saving that works again, a damaged file repaired or
set aside. Frontends put them in words with `tutor.progress.words`.

Events that happen to the file itself (a repair, a file set aside, events lost when a
tutor closed) are also kept on disk until a session shows them
(`tutor.progress.noticeboard`), so whichever program opened the store first, the
learner hears of it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, cast

from tutor.progress.causes import Cause

#: One thing the learner did that the store records.
Change = Literal[
    "pass", "attempt", "reveal", "answer", "cell", "history", "setting", "position", "reset"
]

EventKind = Literal[
    "not-saved",  # a write failed: what waits is kept in memory and retried
    "saved-again",  # what was waiting is saved now
    "lost",  # events that could not be kept (the tutor closed, or too many waited)
    "repaired",  # a damaged file: its readable records were saved into a fresh file
    "set-aside",  # an unusable file was moved aside and a fresh record started
    "not-persistent",  # nothing this session does will be saved
    "read-failed",  # the record could not be read: what is shown may be incomplete
    "moved",  # the file was deleted or moved while the tutor ran; a new one was started
    "position-shared",  # another tutor moved the saved position since this one did
]

#: Kinds that describe the file, kept on disk until a session has shown them.
LASTING: frozenset[EventKind] = frozenset({"repaired", "set-aside", "lost", "moved"})


@dataclass(frozen=True)
class Unsaved:
    """A tally of changes: those waiting to be saved, saved at last, or lost."""

    passes: int = 0
    attempts: int = 0
    reveals: int = 0
    answers: int = 0
    cells: int = 0
    history: int = 0
    settings: int = 0
    resets: int = 0
    position: bool = False

    def add(self, change: Change, n: int = 1) -> Unsaved:
        """This tally with `n` more of `change`."""
        if change == "position":
            return replace(self, position=True)
        name = _TALLY[change]
        return replace(self, **{name: getattr(self, name) + n})

    def __add__(self, other: Unsaved) -> Unsaved:
        counts = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "position"
        }
        return Unsaved(**counts, position=self.position or other.position)

    @property
    def count(self) -> int:
        """How many changes, the position counting as one."""
        return (
            self.passes
            + self.attempts
            + self.reveals
            + self.answers
            + self.cells
            + self.history
            + self.settings
            + self.resets
            + int(self.position)
        )

    def __bool__(self) -> bool:
        return self.count > 0


_TALLY: dict[str, str] = {
    "pass": "passes",
    "attempt": "attempts",
    "reveal": "reveals",
    "answer": "answers",
    "cell": "cells",
    "history": "history",
    "setting": "settings",
    "reset": "resets",
}


@dataclass(frozen=True)
class StoreEvent:
    """Something the learner should hear about their record."""

    kind: EventKind
    path: Path | None = None
    cause: Cause | None = None
    #: not-saved: what is waiting; saved-again: what was saved; lost: what was lost.
    unsaved: Unsaved = field(default_factory=Unsaved)
    #: repaired / set-aside: the name the damaged file is kept under, beside the record.
    kept_as: str | None = None
    #: repaired: records saved into the fresh file, and those that could not be read.
    records: int = 0
    unreadable: int = 0
    #: The technical reason, in English (for tutor.log and `tutor progress`).
    detail: str = ""
    #: Whether to interrupt the learner (a toast, a line); else only the status bar changes.
    tell: bool = True

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path) if self.path is not None else None
        return data

    @classmethod
    def from_json(cls, data: Any) -> StoreEvent | None:
        """The event saved by `to_json`, or None when `data` is not one."""
        try:
            kind = data["kind"]
            if kind not in LASTING:
                return None
            unsaved = Unsaved(**{k: v for k, v in data.get("unsaved", {}).items()})
            return cls(
                kind=cast(EventKind, kind),
                path=Path(data["path"]) if data.get("path") else None,
                cause=data.get("cause"),
                unsaved=unsaved,
                kept_as=data.get("kept_as"),
                records=int(data.get("records", 0)),
                unreadable=int(data.get("unreadable", 0)),
                detail=str(data.get("detail", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class StoreHealth:
    """Whether what the learner does is being saved right now."""

    #: False: an in-memory store (nothing is saved this session; said when it opened).
    persistent: bool = True
    #: Why the last write failed, or None while saving works.
    cause: Cause | None = None
    #: What is waiting in memory to be saved (retried with every change and at exit).
    unsaved: Unsaved = field(default_factory=Unsaved)
    path: Path | None = None

    @property
    def saving(self) -> bool:
        return self.persistent and self.cause is None
