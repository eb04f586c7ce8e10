"""The evaluator's history on screen: one entry per cell, updated when its result comes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from tutor.kernel.protocol import PlotData

#: Older entries are dropped beyond this, so a long session does not grow without end.
MAX_ENTRIES = 300


class CellEntry(Vertical):
    """One cell: its echo first, then echo and result together, then its plots."""

    DEFAULT_CSS = """
    CellEntry {
        height: auto;
        margin: 0 0 1 0;
    }
    CellEntry > Static {
        height: auto;
    }
    """

    def __init__(self, echo: RenderableType, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.echo = echo

    def compose(self) -> ComposeResult:
        yield Static(self.echo)

    def finish(
        self,
        echo: RenderableType,
        result: RenderableType | None,
        plots: Sequence[PlotData] = (),
        lang: str = "en",
    ) -> None:
        """Show the numbered echo, what the cell produced, and its pictures (their words
        said in `lang`)."""
        self.echo = echo
        self.query_one(Static).update(echo if result is None else Group(echo, result))
        if plots:
            from tutor.tui.widgets.plot_view import PlotView  # not needed for the first frame

            self.mount_all(PlotView(plot, lang=lang) for plot in plots)


class CellLog(VerticalScroll):
    """The cells of this session, newest at the bottom; notes in between."""

    DEFAULT_CSS = """
    CellLog {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    CellLog > .note {
        margin: 0 0 1 0;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self._next_id = 0
        #: Whether the newest entry is in view (then a resize keeps it in view).
        self._following = True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._following = new >= self.max_scroll_y - 1

    def on_resize(self) -> None:
        # A smaller window must not leave the log showing an old cell.
        if self._following:
            self.call_after_refresh(self.scroll_end, animate=False)

    def add_cell(self, echo: RenderableType) -> CellEntry:
        """Append a submitted cell's echo; returns the entry to finish later."""
        self._next_id += 1
        entry = CellEntry(echo, self._next_id)
        self._append(entry)
        return entry

    def entry(self, entry_id: int) -> CellEntry | None:
        return next((e for e in self.query(CellEntry) if e.entry_id == entry_id), None)

    def add_note(self, renderable: RenderableType) -> None:
        """A line from the tutor (a check's verdict, a hint, a kernel event)."""
        self._append(Static(renderable, classes="note"))

    def _append(self, widget: Static | CellEntry) -> None:
        self.mount(widget)
        children = list(self.children)
        for old in children[: max(0, len(children) - MAX_ENTRIES)]:
            old.remove()
        self.call_after_refresh(self.scroll_end, animate=False)
