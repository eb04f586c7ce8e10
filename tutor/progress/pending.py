"""Changes the store could not save yet: kept in memory, in order, and tried again.

When a write fails (a full disk, a lock held too long), the change is not dropped: it
waits here and every later change first retries everything waiting, in one transaction
(each change is a replayable statement with its own time, so a retry records exactly
what happened, when it happened). Closing the store tries one last time.

Memory is bounded: past `MAX_BYTES` or `MAX_ITEMS` the oldest cells and input lines
are dropped first (they are replay aids, not the learner's record), and the caller is
told what was dropped so the learner can be.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from tutor.progress.events import Change, Unsaved

MAX_BYTES = 8 * 1024 * 1024
MAX_ITEMS = 10_000
#: What goes first when too much waits.
_EXPENDABLE: frozenset[Change] = frozenset({"cell", "history"})

Work = Callable[[sqlite3.Connection], object]


@dataclass(frozen=True)
class Waiting:
    """One change: what it is, the statement(s) that record it, its size in memory."""

    change: Change
    work: Work
    size: int = 0
    #: Changes with the same key replace each other (only the latest position matters).
    key: str | None = None


class PendingWrites:
    """The changes waiting to be saved, oldest first."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS) -> None:
        self._items: list[Waiting] = []
        self._bytes = 0
        self._max_bytes = max_bytes
        self._max_items = max_items

    def add(self, item: Waiting) -> Unsaved:
        """Queue `item`; returns the tally of older changes dropped to make room."""
        if item.key is not None:
            self._items = [i for i in self._items if i.key != item.key]
        self._items.append(item)
        self._bytes = sum(i.size for i in self._items)
        dropped = Unsaved()
        while len(self._items) > 1 and (
            self._bytes > self._max_bytes or len(self._items) > self._max_items
        ):
            victim = next((i for i in self._items if i.change in _EXPENDABLE), self._items[0])
            self._items.remove(victim)
            self._bytes -= victim.size
            dropped = dropped.add(victim.change)
        return dropped

    def items(self) -> list[Waiting]:
        return list(self._items)

    def remove(self, done: list[Waiting]) -> None:
        """Forget `done` (saved, or given up on)."""
        gone = {id(i) for i in done}
        self._items = [i for i in self._items if id(i) not in gone]
        self._bytes = sum(i.size for i in self._items)

    def tally(self) -> Unsaved:
        return tally_of(self._items)

    def __len__(self) -> int:
        return len(self._items)


def tally_of(items: list[Waiting]) -> Unsaved:
    tally = Unsaved()
    for item in items:
        tally = tally.add(item.change)
    return tally
