"""The small list of completions shown above the input when a name has several."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

#: More than this is not a choice but a flood: the list shows the first ones.
MAX_SHOWN = 50


class CompletionMenu(OptionList):
    """Completions to choose from; Enter or Tab takes one, Escape closes."""

    DEFAULT_CSS = """
    CompletionMenu {
        display: none;
        height: auto;
        max-height: 8;
        border: round $accent;
        padding: 0;
    }
    CompletionMenu.-open {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "select", "Take", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """A completion was taken (None: the menu was closed without one)."""

        menu: CompletionMenu
        match: str | None

        @property
        def control(self) -> CompletionMenu:
            return self.menu

    def open_with(self, matches: list[str]) -> None:
        """Show `matches` and take the focus."""
        self.clear_options()
        self.add_options(Option(Text(m), id=m) for m in matches[:MAX_SHOWN])
        self.highlighted = 0
        self.add_class("-open")
        self.focus()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Chosen(self, None))

    @on(OptionList.OptionSelected)
    def _taken(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.remove_class("-open")
        self.post_message(self.Chosen(self, event.option.id))
