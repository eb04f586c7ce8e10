"""The help screen: every key of the tutor, in the learner's language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.tui.keys import help_rows
from tutor.tui.strings import UiStrings


def help_table(strings: UiStrings) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for keys, words in help_rows(strings):
        table.add_row(Text(keys), Text(words))
    return table


class HelpScreen(ModalScreen[None]):
    """Closes with Escape, F1 or q."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", show=False)]

    def __init__(self, strings: UiStrings) -> None:
        super().__init__()
        self.strings = strings

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = self.strings.help_keys_heading
        with scroll:
            yield Static(help_table(self.strings))
