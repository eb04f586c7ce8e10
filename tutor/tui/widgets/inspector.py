"""The inspector: the namespace's tensors, their shapes, values, gradients and pictures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from tutor.tui.inspector_picture import has_picture
from tutor.tui.inspector_table import inspector_table

if TYPE_CHECKING:
    from tutor.kernel.protocol import VariableView

#: Pictures are on by default when the inspector has at least this many columns and
#: rows (a wide terminal); in a small one they would push the other names out of view.
AUTO_PICTURE_SIZE = (40, 20)


class Inspector(VerticalScroll):
    """Shows the latest namespace snapshot; re-lays its table out when resized.

    Small matrices can be drawn as heatmaps: `pictures` is None to decide by size
    (`AUTO_PICTURE_SIZE`), or True / False once the learner chose (`toggle_pictures`).
    While they are off and a matrix could be drawn, a line says which key draws it.
    """

    DEFAULT_CSS = """
    Inspector {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        /* The table is laid out for a width: a scrollbar appearing later must not cut it. */
        scrollbar-gutter: stable;
    }
    Inspector > #inspector-table {
        width: 1fr;
    }
    """

    def __init__(
        self,
        *,
        empty: str,
        heading: Sequence[str],
        pictures_hint: str = "",
        lang: str = "en",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, can_focus=True)
        self._variables: tuple[VariableView, ...] = ()
        self._changed: frozenset[str] = frozenset()
        self._empty = empty
        self._heading = tuple(heading)
        self._pictures_hint = pictures_hint
        #: The learner's language, for the words the kernel sent with the rows.
        self.lang = lang
        self.pictures: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(self._empty, style="dim"), id="inspector-table")

    @property
    def variables(self) -> tuple[VariableView, ...]:
        return self._variables

    @property
    def drawable(self) -> bool:
        """Whether some name of the snapshot can be drawn as a picture."""
        return any(has_picture(view) for view in self._variables)

    @property
    def showing_pictures(self) -> bool:
        """Pictures as chosen, or by size while the learner has not chosen."""
        if self.pictures is not None:
            return self.pictures
        if not self.is_mounted:
            return False
        region = self.scrollable_content_region
        columns, rows = AUTO_PICTURE_SIZE
        return region.width >= columns and region.height >= rows

    def toggle_pictures(self) -> bool:
        """Draw matrices as pictures, or stop; returns whether they are now drawn."""
        self.pictures = not self.showing_pictures
        self._render_table()
        return self.pictures

    def show(self, variables: Sequence[VariableView], changed: Sequence[str] = ()) -> None:
        """Show a new snapshot (the kernel sends the whole namespace after every cell), in
        the order given; the `changed` names (the last cell's) are marked, and the top of
        the list, where they are, comes into view."""
        self._variables = tuple(variables)
        self._changed = frozenset(changed)
        self._render_table()
        if self.is_mounted:
            self.scroll_home(animate=False)

    def relabel(
        self,
        *,
        empty: str,
        heading: Sequence[str],
        pictures_hint: str | None = None,
        lang: str | None = None,
    ) -> None:
        """New words after a language switch (the kernel's words said again in `lang`)."""
        if lang is not None:
            self.lang = lang
        self._empty = empty
        self._heading = tuple(heading)
        if pictures_hint is not None:
            self._pictures_hint = pictures_hint
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
        pictures = self.showing_pictures
        table = inspector_table(
            self._variables,
            width,
            heading=self._heading,
            pictures=pictures,
            changed=self._changed,
            lang=self.lang,
        )
        shown: RenderableType = table
        if not pictures and self._pictures_hint and self.drawable:
            shown = Group(table, Text(self._pictures_hint, style="dim italic"))
        static.update(shown)
