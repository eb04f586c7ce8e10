"""The current exercise: its prompt, its status, the hints asked for, the last diagnosis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text

from tutor.tui.strings import UiStrings
from tutor.tui.widgets.task_card import TaskCard

if TYPE_CHECKING:
    from tutor.curriculum.model import Exercise

_STATUS_STYLE = {
    "new": "dim",
    "attempted": "yellow",
    "passed": "bold green",
    "revealed": "magenta",
}


class ExerciseCard(TaskCard):
    """Shown under the step's prose when the step has an exercise."""

    DEFAULT_CSS = """
    ExerciseCard.-passed {
        border: round $success;
    }
    """

    KIND = "exercise"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._verdict: RenderableType | None = None
        self._title = ""

    def set_givens(self, line: str | None) -> None:
        """The exercise's givens with their shapes and dtypes ("Given: `A` (5, 4) float32"),
        part of the task shown whole under its prompt."""
        self.show_body(Text(line, style="dim") if line else None)

    def show(self, exercise: Exercise | None, status: str, strings: UiStrings) -> None:
        """Show an exercise (or hide the card), forgetting the notes of the previous one."""
        self.shown(exercise is not None)
        self._verdict = None
        if exercise is None:
            return
        self._title = strings.exercise
        self.border_subtitle = strings.exercise_keys
        self.set_status(status, strings)
        self.show_prompt(exercise.prompt)

    def set_status(self, status: str, strings: UiStrings) -> None:
        """The status rides on the card's border: no line of a small screen spent on it."""
        self.set_class(status == "passed", "-passed")
        word = strings.exercise_status.get(status, status)
        self.border_title = Text.assemble(self._title, " · ", (word, _STATUS_STYLE.get(status, "")))

    def add_hint(self, hint: RenderableType) -> None:
        """Hints accumulate, one at a time, while the step is shown."""
        self.add_note(hint)

    def set_verdict(self, verdict: RenderableType) -> None:
        """The latest check's verdict replaces the previous one."""
        self.replace_note(self._verdict, verdict)
        self._verdict = verdict

    def set_solution(self, solution: RenderableType) -> None:
        self.add_note(solution)
