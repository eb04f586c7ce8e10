"""The lesson list: every lesson with its completion mark, to jump anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.curriculum.model import Course


def lesson_line(number: int, title: str, done: int, total: int, current: bool) -> Text:
    """`✓ 3  Derivatives  4/4`: a mark, the number, the title, the count."""
    if total and done >= total:
        mark = ("✓ ", "bold green")
    elif done:
        mark = ("◐ ", "yellow")
    else:
        mark = ("· ", "dim")
    line = Text.assemble(mark, (f"{number:>2}  ", "dim"), (title, "bold" if current else ""))
    if total:
        line.append(f"  {done}/{total}", style="dim")
    if current:
        line.append("  ◀", style="bold")
    return line


class LessonListScreen(ModalScreen[str | None]):
    """Dismisses with the chosen lesson's id, or None (Escape)."""

    DEFAULT_CSS = """
    LessonListScreen {
        align: center middle;
    }
    LessonListScreen > OptionList {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-align: center;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f2", "dismiss_none", show=False)]

    def __init__(
        self,
        course: Course,
        current: str,
        done_of: Callable[[str], tuple[int, int]],
        title: str,
    ) -> None:
        super().__init__()
        self.course = course
        self.current = current
        self.done_of = done_of
        self.title_text = title

    def compose(self) -> ComposeResult:
        options = []
        for lesson in self.course.lessons:
            done, total = self.done_of(lesson.id)
            line = lesson_line(lesson.number, lesson.title, done, total, lesson.id == self.current)
            options.append(Option(line, id=lesson.id))
        menu = OptionList(*options)
        menu.border_title = self.title_text
        yield menu

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = max(self.course.index(self.current), 0)
        menu.focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
