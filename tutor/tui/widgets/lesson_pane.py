"""The lesson pane: where the learner is, the step's prose, its exercise or question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.lazy import Lazy
from textual.widgets import Markdown, Static

from tutor.textflow import wrap_cjk_markdown
from tutor.tui.strings import UiStrings
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.lesson_markdown import LessonMarkdown
from tutor.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from tutor.curriculum.model import Lesson


def step_heading(lesson: Lesson, step_index: int) -> Text:
    """`2 · Derivatives — 3/5 The chain rule`."""
    step = lesson.steps[step_index]
    return Text.assemble(
        (f"{lesson.number} · {lesson.title}", "bold"),
        ("  —  ", "dim"),
        (f"{step_index + 1}/{len(lesson.steps)} ", "dim"),
        (step.title, "bold italic"),
    )


class LessonPane(VerticalScroll):
    """Scrollable; in a narrow terminal it collapses to the heading and the exercise
    or question (class `-collapsed`) until it has the focus."""

    DEFAULT_CSS = """
    LessonPane {
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    LessonPane > #step-heading {
        height: auto;
        margin: 0 0 1 0;
    }
    LessonPane > #step-text {
        margin: 0;
        padding: 0;
    }
    /* Code and its output wrap rather than run off the pane's edge, with less padding
       than Textual's default (a 24-row terminal has few lines to spare). */
    LessonPane MarkdownFence {
        margin: 0 0 1 0;
        overflow-x: hidden;
    }
    LessonPane MarkdownFence > Label {
        width: 1fr;
        padding: 0 1;
        text-wrap: wrap;
    }
    /* Drawn math keeps its lines (wrapping would tear a fraction apart): it scrolls. */
    LessonPane MarkdownFence.-math {
        overflow-x: auto;
    }
    LessonPane MarkdownFence.-math > Label {
        width: auto;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-collapsed", can_focus=True)
        #: The step's Markdown as written (re-wrapped for Chinese when the width changes).
        self._markdown = ""
        self._wrapped_for = 0

    def compose(self) -> ComposeResult:
        yield Static(id="step-heading")
        yield LessonMarkdown(id="step-text")
        # Hidden until a step has an exercise or a question: mounted after the first frame.
        yield Lazy(ExerciseCard(id="exercise"))
        yield Lazy(QuestionCard(id="question"))

    def show_step(self, lesson: Lesson, step_index: int, status: str, strings: UiStrings) -> None:
        """Show a step from the top."""
        step = lesson.steps[step_index]
        self.query_one("#step-heading", Static).update(step_heading(lesson, step_index))
        self._markdown = step.text
        self._wrapped_for = 0
        self._show_text()
        self.query_one(ExerciseCard).show(step.exercise, status, strings)
        self.query_one(QuestionCard).show(step.question, strings)
        self.set_class(step.exercise is not None or step.question is not None, "-has-task")
        self.scroll_home(animate=False)

    def _text_width(self) -> int:
        text = self.query_one("#step-text", Markdown)
        return (text.content_region.width or self.content_region.width) - 1

    def _show_text(self) -> None:
        """The step's text, Chinese paragraphs wrapped to the width they are shown at."""
        width = self._text_width()
        self._wrapped_for = width
        self.query_one("#step-text", Markdown).update(wrap_cjk_markdown(self._markdown, width))

    def on_resize(self) -> None:
        if self._markdown and self._text_width() != self._wrapped_for:
            self._show_text()

    def show_message(self, text: str) -> None:
        """A line instead of a lesson (loading, nothing found)."""
        self.query_one("#step-heading", Static).update(Text(text, style="italic"))
