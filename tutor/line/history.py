"""The input history of `--plain`, kept in the progress store (shared with the TUI).

`Session.run_cell` already records every cell in the store, so this history only
adds the lines that are not cells (`:commands`, answers); it reads all of them back
for Up/Down and Ctrl-R. Without a usable store, a plain file in the data directory
(`tutor.paths.history_file()`) keeps it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

if TYPE_CHECKING:
    from tutor.progress import ProgressStore

#: Lines read back at start.
HISTORY_LINES = 1000


class StoreHistory(History):
    """A prompt_toolkit history backed by `ProgressStore.history` / `add_history`."""

    def __init__(self, store: ProgressStore, *, cells_recorded_elsewhere: bool = True) -> None:
        super().__init__()
        self._store = store
        self._cells_elsewhere = cells_recorded_elsewhere

    def load_history_strings(self) -> Iterable[str]:
        # prompt_toolkit wants the newest first; the store gives the oldest first.
        return list(reversed(self._store.history(HISTORY_LINES)))

    def store_string(self, string: str) -> None:
        if (self._cells_elsewhere and not _is_cell(string)) or not self._cells_elsewhere:
            self._store.add_history(string)


def _is_cell(line: str) -> bool:
    """Whether `Session.run_cell` records this line itself (anything but a command)."""
    return not line.lstrip().startswith(":")


def history_for(store: ProgressStore | None) -> History:
    """The store's history when it saves to disk, else a file, else memory."""
    if store is not None and getattr(store, "persistent", False):
        return StoreHistory(store)
    try:
        from tutor.paths import data_dir, history_file

        data_dir(create=True)
        return FileHistory(str(history_file()))
    except OSError:
        return InMemoryHistory()
