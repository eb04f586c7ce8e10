"""The evaluator's multi-line input: Enter runs a complete cell, history, Tab completion."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea

from tutor.cell_rules import INDENT, is_complete, next_line_indent
from tutor.tui.completion import completion_insert, token_before, wants_completion
from tutor.tui.input_history import InputHistory

#: Keys that always insert a new line (shift+enter rarely reaches a terminal app).
NEWLINE_KEYS = frozenset({"ctrl+j", "alt+enter", "shift+enter", "ctrl+enter"})


def python_highlighting() -> str | None:
    """ "python" when tree-sitter and its Python grammar are installed, else None.

    Textual raises for a language tree-sitter does not know, and warns without
    tree-sitter; either way the input must still work, as plain text.
    """
    if find_spec("tree_sitter") is None or find_spec("tree_sitter_python") is None:
        return None
    return "python"


class CellInput(TextArea):
    """Where the learner types Python; posts `Submitted` and `CompletionRequested`."""

    DEFAULT_CSS = """
    CellInput {
        height: auto;
        min-height: 3;
        max-height: 12;
        border: tall $primary 40%;
        padding: 0 1;
    }
    CellInput:focus {
        border: tall $primary;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "newline", "New line", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """The learner ran a cell."""

        input: CellInput
        code: str

        @property
        def control(self) -> CellInput:
            return self.input

    @dataclass
    class LogScrollRequested(Message):
        """PageUp / PageDown in the input: scroll the log by a page (-1 up, 1 down)."""

        input: CellInput
        direction: int

        @property
        def control(self) -> CellInput:
            return self.input

    @dataclass
    class CompletionRequested(Message):
        """Tab after a name: complete `text`, the input's text before the cursor."""

        input: CellInput
        text: str

        @property
        def control(self) -> CellInput:
            return self.input

    def __init__(
        self,
        history: InputHistory | None = None,
        *,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        # Highlighting comes after the first frame (`on_mount`): loading the grammar and
        # its queries is the slowest part of starting the app, and keys typed meanwhile
        # land in the input all the same.
        super().__init__(
            "",
            language=None,
            theme="monokai",
            soft_wrap=True,
            tab_behavior="indent",
            show_line_numbers=False,
            placeholder=placeholder,
            id=id,
        )
        self.cell_history = history or InputHistory()
        #: Code put here whole (an example, a solution): Enter runs it as it is.
        self._loaded: str | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._highlight)  # once the first frame is painted

    def _highlight(self) -> None:
        # Setting the language rebuilds the document and puts the cursor at the start:
        # keys typed before this moment would have the next ones land before them.
        selection = self.selection
        self.language = python_highlighting()
        self.selection = selection

    # -- keys -----------------------------------------------------------------------------
    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        handled = True
        if key == "enter":
            self._enter()
        elif key in NEWLINE_KEYS:
            self.action_newline()
        elif key == "escape":
            pass  # the input is where Escape leads: it stays here
        elif key in ("pageup", "pagedown"):
            self.post_message(self.LogScrollRequested(self, -1 if key == "pageup" else 1))
        elif key == "backspace" and not self.selected_text and self._in_indent():
            self._dedent()
        elif key == "tab" and wants_completion(self.text_before_cursor):
            self.post_message(self.CompletionRequested(self, self.text_before_cursor))
        elif key == "up" and self.cursor_location[0] == 0 and not self.selected_text:
            handled = self._browse(self.cell_history.previous(self.text))
        elif (
            key == "down"
            and self.cursor_location[0] == self.document.line_count - 1
            and not self.selected_text
        ):
            handled = self._browse(self.cell_history.next())
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    @property
    def text_before_cursor(self) -> str:
        row, column = self.cursor_location
        return self.document.get_text_range((0, 0), (row, column))

    def press_enter(self) -> None:
        """What Enter does: run the cell when it is complete, else a new line."""
        self._enter()

    def _enter(self) -> None:
        code = self.text
        single_line = "\n" not in code
        at_end = self.cursor_location == self.document.end
        # An example put here whole runs as it is (its last line may be indented: a
        # typed block would wait for an empty line, a copied one is complete).
        whole = code == self._loaded
        if (single_line or at_end) and (whole or is_complete(code)):
            self.submit()
        else:
            self.action_newline()

    def _in_indent(self) -> bool:
        """The cursor is after nothing but spaces on its line (and after some)."""
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        return column > 0 and before.strip(" ") == ""

    def _dedent(self) -> None:
        """Backspace in the indentation removes one level, as editors do."""
        row, column = self.cursor_location
        width = len(INDENT)
        target = (column - 1) // width * width
        self.delete((row, target), (row, column))

    def action_newline(self) -> None:
        """Insert a new line, indented like the REPL would."""
        row, _ = self.cursor_location
        indent = next_line_indent(self.document.get_line(row))
        self.insert("\n" + indent)

    def submit(self) -> None:
        """Send the cell, remember it, and empty the input."""
        code = self.text.rstrip()
        if not code.strip():
            return
        self.cell_history.add(code)
        self._loaded = None
        self.clear()
        self.post_message(self.Submitted(self, code))

    def _browse(self, entry: str | None) -> bool:
        if entry is None:
            return False
        self.load_text(entry)
        self.move_cursor(self.document.end)
        return True

    # -- what the screen asks of it ---------------------------------------------------------
    def complete_with(self, match: str) -> None:
        """Extend the name before the cursor to `match`."""
        token = token_before(self.text_before_cursor)
        self.insert(completion_insert(token, match))

    def put(self, code: str) -> None:
        """Replace the input with `code` (an example, a solution) and focus it."""
        self.load_text(code)
        self._loaded = code
        self.move_cursor(self.document.end)
        self.focus()
