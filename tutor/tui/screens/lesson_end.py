"""The end of a lesson: how it went, and whether to go on to the next one."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.session import LessonSummary
from tutor.tui.strings import UiStrings


def summary_lines(summary: LessonSummary, strings: UiStrings) -> list[str]:
    """ "4 of 6 exercises and questions passed." and the help used, if any."""
    lines = [strings.lesson_end_passed.format(passed=summary.passed, total=summary.total)]
    if summary.hints:
        lines.append(strings.count(strings.lesson_end_hints, summary.hints))
    if summary.revealed:
        lines.append(strings.count(strings.lesson_end_revealed, summary.revealed))
    return lines


class LessonEndScreen(ModalScreen[bool]):
    """Dismisses with True to go on to the next lesson, False to stay (Escape)."""

    DEFAULT_CSS = """
    LessonEndScreen {
        align: center middle;
    }
    LessonEndScreen > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        border: thick $success;
        background: $surface;
        padding: 1 2;
    }
    LessonEndScreen #lesson-end-title {
        text-style: bold;
        margin-bottom: 1;
    }
    LessonEndScreen #lesson-end-question {
        margin-top: 1;
    }
    LessonEndScreen Horizontal {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    LessonEndScreen Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer(False)", show=False)]

    def __init__(
        self, title: str, summary: list[str], question: str, go: str | None, stay: str
    ) -> None:
        """`go` is None at the end of the course: there is nowhere to go on to."""
        super().__init__()
        self._title, self._summary, self._question = title, summary, question
        self._go, self._stay = go, stay

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, id="lesson-end-title", markup=False)
            yield Static("\n".join(self._summary), id="lesson-end-summary", markup=False)
            yield Static(self._question, id="lesson-end-question", markup=False)
            with Horizontal():
                yield Button(self._stay, id="stay")
                if self._go is not None:
                    yield Button(self._go, id="go", variant="success")

    def on_mount(self) -> None:
        self.query_one("#go" if self._go is not None else "#stay", Button).focus()

    def action_answer(self, go: bool) -> None:
        self.dismiss(go)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "go")
