"""The evaluator's history of cells: Up/Down through earlier cells, kept across restarts.

Pure and in memory; a store (the progress store's `history` / `add_history`, when the
session has one) is read once and written on every new cell, and any failure of the
store only costs persistence, never the cell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

#: Kept in memory; the store decides what it keeps on disk.
MAX_ENTRIES = 1000


class InputHistory:
    """Earlier cells, newest last, with a browsing position and the draft being typed."""

    def __init__(
        self,
        entries: Sequence[str] = (),
        save: Callable[[str], object] | None = None,
    ) -> None:
        self._entries: list[str] = [e for e in entries if e.strip()][-MAX_ENTRIES:]
        self._save = save
        self._position: int | None = None
        self._draft = ""

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def add(self, code: str) -> None:
        """Remember a submitted cell (not a repeat of the last one) and stop browsing."""
        self._position = None
        self._draft = ""
        if not code.strip() or (self._entries and self._entries[-1] == code):
            return
        self._entries.append(code)
        del self._entries[:-MAX_ENTRIES]
        if self._save is not None:
            try:
                self._save(code)
            except Exception:  # the store is optional; the cell still runs
                log.exception("could not save a history entry")

    def previous(self, current: str) -> str | None:
        """The cell before the one shown (the draft is kept); None at the oldest."""
        if not self._entries:
            return None
        if self._position is None:
            self._draft = current
            self._position = len(self._entries)
        if self._position == 0:
            return None
        self._position -= 1
        return self._entries[self._position]

    def next(self) -> str | None:
        """The cell after the one shown, then the draft; None when not browsing."""
        if self._position is None:
            return None
        self._position += 1
        if self._position >= len(self._entries):
            self._position = None
            return self._draft
        return self._entries[self._position]


def history_from_store(store: object, *, write: bool = False) -> InputHistory:
    """A history read from a progress store's `history()`; written through its
    `add_history(text)` only when `write` (the session already records every cell)."""
    entries: list[str] = []
    load = getattr(store, "history", None)
    if callable(load):
        try:
            loaded = load()
            entries = [e for e in loaded if isinstance(e, str)]
        except Exception:
            log.exception("could not read the input history")
    save = getattr(store, "add_history", None)
    return InputHistory(entries, save if write and callable(save) else None)
