"""The inspector: the namespace's tensors, their shapes, values and gradients."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from tutor.kernel.protocol import VariableView
from tutor.tui.inspector_table import inspector_table


class Inspector(VerticalScroll):
    """Shows the latest namespace snapshot; re-lays its table out when resized."""

    DEFAULT_CSS = """
    Inspector {
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    Inspector > #inspector-table {
        width: 1fr;
    }
    """

    def __init__(self, *, empty: str, heading: Sequence[str], id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self._variables: tuple[VariableView, ...] = ()
        self._empty = empty
        self._heading = tuple(heading)

    def compose(self) -> ComposeResult:
        yield Static(Text(self._empty, style="dim"), id="inspector-table")

    @property
    def variables(self) -> tuple[VariableView, ...]:
        return self._variables

    def show(self, variables: Sequence[VariableView]) -> None:
        """Show a new snapshot (the kernel sends the whole namespace after every cell)."""
        self._variables = tuple(variables)
        self._render_table()

    def relabel(self, *, empty: str, heading: Sequence[str]) -> None:
        """New words after a language switch."""
        self._empty = empty
        self._heading = tuple(heading)
        self._render_table()

    def on_resize(self, event: Resize) -> None:
        self._render_table()

    def _render_table(self) -> None:
        if not self.is_mounted:
            return
        static = self.query_one("#inspector-table", Static)
        if not self._variables:
            static.update(Text(self._empty, style="dim"))
            return
        width = max(self.scrollable_content_region.width, 20)
        static.update(inspector_table(self._variables, width, heading=self._heading))
