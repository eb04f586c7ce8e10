"""The current exercise: its prompt, its status, the hints asked for, the last diagnosis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from tutor.tui.strings import UiStrings

if TYPE_CHECKING:
    from tutor.curriculum.model import Exercise

_STATUS_STYLE = {
    "new": "dim",
    "attempted": "yellow",
    "passed": "bold green",
    "revealed": "magenta",
}


class ExerciseCard(Vertical):
    """Shown under the step's prose when the step has an exercise."""

    DEFAULT_CSS = """
    ExerciseCard {
        height: auto;
        border: round $secondary;
        border-title-color: $secondary;
        padding: 0 1;
        display: none;
    }
    ExerciseCard.-shown {
        display: block;
    }
    ExerciseCard.-passed {
        border: round $success;
    }
    ExerciseCard > Markdown {
        margin: 0;
        padding: 0;
    }
    ExerciseCard > Markdown > MarkdownParagraph:last-child {
        margin-bottom: 0;
    }
    ExerciseCard > #exercise-notes {
        height: auto;
        display: none;
    }
    ExerciseCard > #exercise-notes.-filled {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hints: list[RenderableType] = []
        self._verdict: RenderableType | None = None
        self._solution: RenderableType | None = None
        self._title = ""

    def compose(self) -> ComposeResult:
        yield Markdown(id="exercise-prompt")
        yield Static(id="exercise-givens")
        yield Static(id="exercise-notes")

    def set_givens(self, line: str | None) -> None:
        """The exercise's givens with their shapes and dtypes ("Given: `A` (5, 4) float32")."""
        givens = self.query_one("#exercise-givens", Static)
        givens.update(Text(line or "", style="dim"))
        givens.display = bool(line)

    def show(self, exercise: Exercise | None, status: str, strings: UiStrings) -> None:
        """Show an exercise (or hide the card), forgetting the notes of the previous one."""
        self.set_class(exercise is not None, "-shown")
        self._hints, self._verdict, self._solution = [], None, None
        self._render_notes()
        if exercise is None:
            return
        self._title = strings.exercise
        self.border_subtitle = exercise.id
        self.query_one("#exercise-prompt", Markdown).update(exercise.prompt)
        self.set_status(status, strings)

    def set_status(self, status: str, strings: UiStrings) -> None:
        """The status rides on the card's border: no line of a small screen spent on it."""
        self.set_class(status == "passed", "-passed")
        word = strings.exercise_status.get(status, status)
        self.border_title = Text.assemble(self._title, " · ", (word, _STATUS_STYLE.get(status, "")))

    def add_hint(self, hint: RenderableType) -> None:
        """Hints accumulate, one at a time, while the step is shown."""
        self._hints.append(hint)
        self._render_notes()

    def set_verdict(self, verdict: RenderableType) -> None:
        """The latest check's verdict replaces the previous one."""
        self._verdict = verdict
        self._render_notes()

    def set_solution(self, solution: RenderableType) -> None:
        self._solution = solution
        self._render_notes()

    def _render_notes(self) -> None:
        notes = [*self._hints]
        if self._verdict is not None:
            notes.append(self._verdict)
        if self._solution is not None:
            notes.append(self._solution)
        shown = self.query_one("#exercise-notes", Static)
        shown.update(Group(*notes) if notes else "")
        shown.set_class(bool(notes), "-filled")
