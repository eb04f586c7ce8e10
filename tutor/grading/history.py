"""What the learner ran in their kernel, and the program a check re-runs from it.

The history of one kernel, in order: where givens were bound (the lesson's setup when the
kernel started; an exercise's givens each time its step opened) and every cell that ran
without error. A check re-runs the learner's answer in a clean fork (DESIGN.md,
"Grading"): the program is the slice of this history the answer needs —
- the exercise's givens, bound where its step last opened (re-drawn for `fresh` draws);
- the cells after that which bind or change the exercise's names, or names those read;
- before the step opened, the cells that bind or change names the program still needs
  and the givens do not provide (a helper function of an earlier step), found the same way.
So the answer sees exactly the names it saw in the learner's kernel, and cells that only
explored (printed, plotted, tried something else) are left out and cannot fail it.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

from tutor.grading.names import (
    names_bound_by,
    names_changed_by,
    names_needed_by,
    names_read_when_called,
)

#: Names every namespace has (and Python's builtins): never searched for in the history.
_ALWAYS_THERE = frozenset({"tf", "np", "plot", "_"}) | frozenset(dir(builtins))


@dataclass(frozen=True)
class Givens:
    """Givens bound into the namespace: the lesson's setup, or an exercise's givens."""

    code: str
    seed: int
    #: The exercise whose step opened; None for the lesson's setup.
    exercise: str | None = None
    #: The exercise's `fresh` code (re-draws for the check's other draws).
    fresh: str | None = None
    #: Only missing names were bound (a replay restoring earlier steps' names).
    fill_only: bool = False

    @property
    def names(self) -> set[str]:
        return names_bound_by(self.code)

    def to_wire(self, *, current: bool) -> dict[str, Any]:
        return {
            "givens": self.code,
            "seed": self.seed,
            "fresh": self.fresh,
            "current": current,
            "fill_only": self.fill_only,
        }


@dataclass(frozen=True)
class Cell:
    """A cell the learner ran (it finished without error)."""

    code: str

    def to_wire(self) -> dict[str, Any]:
        return {"cell": self.code}


Entry = Givens | Cell


@dataclass(frozen=True)
class AnswerProgram:
    """What a check re-runs: the entries in order, and facts about them."""

    entries: tuple[Entry, ...]

    @property
    def code(self) -> str:
        """The learner's cells of the program, joined (scanned for `forbid`, `require`...)."""
        return "\n".join(e.code for e in self.entries if isinstance(e, Cell))

    def to_wire(self, exercise_id: str) -> list[dict[str, Any]]:
        current = self._current_index(exercise_id)
        return [
            e.to_wire(current=i == current) if isinstance(e, Givens) else e.to_wire()
            for i, e in enumerate(self.entries)
        ]

    def _current_index(self, exercise_id: str) -> int:
        for index in range(len(self.entries) - 1, -1, -1):
            entry = self.entries[index]
            if isinstance(entry, Givens) and entry.exercise == exercise_id:
                return index
        return -1


class AnswerHistory:
    """The history of the learner's current kernel."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def reset(self) -> None:
        """A new kernel: nothing ran in it yet."""
        self.entries.clear()

    def add_givens(self, givens: Givens) -> None:
        self.entries.append(givens)

    def add_cell(self, code: str) -> None:
        if code.strip():
            self.entries.append(Cell(code))

    def program(
        self, names: tuple[str, ...] | list[str], current: Givens, *, extra: str | None = None
    ) -> AnswerProgram:
        """The slice of the history that computes `names` (see the module's docstring).

        `current` is the exercise's givens; when its step never opened in this history
        (a check from the command line), they are taken as bound before the first cell.
        `extra` is a cell judged as if it had just run (the validator's candidates).
        """
        entries: list[Entry] = list(self.entries)
        if extra is not None:
            entries.append(Cell(extra))
        opened = _last_index(entries, current.exercise)
        if opened < 0:
            first_cell = next(
                (i for i, e in enumerate(entries) if isinstance(e, Cell)), len(entries)
            )
            entries.insert(first_cell, current)
            opened = first_cell
        opening = entries[opened]
        given = opening.names if isinstance(opening, Givens) else set()
        wanted = set(names) - _ALWAYS_THERE
        while True:  # until the functions kept find the globals they read when called
            kept, late = _slice(entries, opened, given, wanted)
            if late <= wanted:
                break
            wanted |= late
        return AnswerProgram(tuple(kept))


def _slice(
    entries: list[Entry], opened: int, given: set[str], wanted: set[str]
) -> tuple[list[Entry], set[str]]:
    """One backward walk: the entries that compute `wanted`, in order, and the globals the
    functions among them read when called (needed as of the end, not of the definition)."""
    needed = set(wanted)
    kept: list[Entry] = []
    late: set[str] = set()
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if index == opened:
            kept.append(entry)
            needed -= given
            continue
        if isinstance(entry, Givens):
            if entry.names & needed:
                kept.append(entry)
                if not entry.fill_only:
                    needed -= entry.names
            continue
        bound = names_bound_by(entry.code)
        if not (bound | names_changed_by(entry.code)) & needed:
            continue
        kept.append(entry)
        late |= names_read_when_called(entry.code)
        needed = ((needed - bound) | names_needed_by(entry.code)) - _ALWAYS_THERE
    kept.reverse()
    return kept, late - _ALWAYS_THERE - given


def _last_index(entries: list[Entry], exercise: str | None) -> int:
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if isinstance(entry, Givens) and exercise is not None and entry.exercise == exercise:
            return index
    return -1
