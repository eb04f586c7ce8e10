"""The lesson pane: the step's prose, and under it, pinned, its exercise or question.

The prose scrolls (`LessonText`, a focus stop for reading); the cards do not, so the
task is always on screen in full. In a small terminal the screen caps the prose's
height (`fit_prose`) so that the cards and the evaluator keep their room, and the
heading moves onto the pane's border (`heading_on_border`) to save a line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import Markdown, Static

from tutor.tui.strings import UiStrings
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.lesson_markdown import LessonMarkdown
from tutor.tui.widgets.question_card import QuestionCard
from tutor.tui.widgets.task_card import TaskCard

if TYPE_CHECKING:
    from tutor.step_view import StepView


def step_heading(view: StepView) -> Text:
    """`2 · Derivatives — 3/5 The chain rule`."""
    return Text.assemble(
        (f"{view.lesson_number} · {view.lesson.title}", "bold"),
        ("  —  ", "dim"),
        (f"{view.step_number}/{view.step_total} ", "dim"),
        (view.step.title, "bold italic"),
    )


class LessonText(VerticalScroll):
    """The step's heading and prose; scrolls, and takes the focus to be read."""

    DEFAULT_CSS = """
    LessonText {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    LessonText > #step-heading {
        height: auto;
        margin: 0 0 1 0;
    }
    LessonText > #step-text {
        margin: 0;
        padding: 0;
    }
    LessonText > #step-text > *:last-child {
        margin-bottom: 0;
    }
    /* Code and its output wrap rather than run off the pane's edge, with less padding
       than Textual's default (a 24-row terminal has few lines to spare). */
    LessonText MarkdownFence {
        margin: 0 0 1 0;
        overflow-x: hidden;
    }
    LessonText MarkdownFence > Label {
        width: 1fr;
        padding: 0 1;
        text-wrap: wrap;
    }
    /* Drawn math keeps its lines (wrapping would tear a fraction apart): it scrolls. */
    LessonText MarkdownFence.-math {
        overflow-x: auto;
    }
    LessonText MarkdownFence.-math > Label {
        width: auto;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)

    def compose(self) -> ComposeResult:
        yield Static(id="step-heading")
        yield LessonMarkdown(id="step-text")


class LessonPane(Vertical):
    """The step: prose (scrolling) above its exercise or question card (pinned)."""

    DEFAULT_CSS = """
    LessonPane > TaskCard {
        margin: 0 1;
    }
    LessonPane.-heading-on-border > LessonText > #step-heading {
        display: none;
    }
    """

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = Text()
        self._prose = False
        #: The pane's name ("Lesson"), its title while the heading is inside it.
        self.pane_title = title
        self.border_title = title

    def compose(self) -> ComposeResult:
        yield LessonText(id="lesson-text")
        yield Lazy(ExerciseCard(id="exercise"))
        yield Lazy(QuestionCard(id="question"))

    class Shown(Message):
        """A step's prose or a card's prompt was rendered (sizes are known after a refresh)."""

    def show_step(self, view: StepView, strings: UiStrings) -> None:
        """Show a step from the top; posts `Shown` as its Markdown is rendered."""
        step = view.step
        status = view.status or "new"
        self.heading = step_heading(view)
        self._prose = bool(step.text.strip())
        self.pane_title = strings.lesson_pane
        self.query_one("#step-heading", Static).update(self.heading)
        self.query_one("#step-text", LessonMarkdown).update(step.text)
        self.query_one(ExerciseCard).show(step.exercise, status, strings)
        self.query_one(QuestionCard).show(step.question, strings)
        self.set_class(step.exercise is not None or step.question is not None, "-has-task")
        self._title()
        text = self.query_one(LessonText)
        text.display = True  # measured at the next layout (`rows_for` may hide it again)
        text.scroll_home(animate=False)

    @on(Markdown.TableOfContentsUpdated)
    def _rendered(self, event: Markdown.TableOfContentsUpdated) -> None:
        """Each Markdown (the prose, a card's prompt) says when it is rendered."""
        event.stop()
        self.post_message(self.Shown())

    def heading_on_border(self, on: bool) -> None:
        """In a small terminal the heading is the pane's title (one line saved)."""
        self.set_class(on, "-heading-on-border")
        self._title()

    def _title(self) -> None:
        on_border = self.has_class("-heading-on-border") and bool(self.heading)
        self.border_title = self.heading if on_border else self.pane_title

    def cards_height(self) -> int:
        """Rows the shown cards take at the pane's width."""
        width = max(self.size.width - 2, 10)  # the cards' margin, a cell each side
        return sum(card.needed_height(width) for card in self.query(TaskCard))

    def fit_cards(self, rows: int | None) -> None:
        """Keep the cards within `rows` (None: no limit): the task is always whole, its
        notes give way first."""
        width = max(self.size.width - 2, 10)
        for card in self.query(TaskCard):
            if rows is None or not card.has_class("-shown"):
                card.limit_notes(None)
                continue
            tasks = card.needed_height(width, notes=False)
            if card.needed_height(width) > rows:
                card.limit_notes(rows - tasks)
            else:
                card.limit_notes(None)

    def prose_height(self) -> int:
        """Rows the heading and prose take, unscrolled (after the last layout)."""
        if not self._prose and self.has_class("-heading-on-border"):
            return 0  # an exercise-only step: nothing above the card
        text = self.query_one(LessonText)
        # Measured for the width, not read off the last layout (the text may have had
        # no room at all then).
        width = max(self.size.width - 4, 10)  # borders of the pane, the text's padding
        size = Size(width, 1000)
        return sum(
            child.get_content_height(size, size, width)
            for child in text.children
            if child.styles.display != "none"
        )

    def rows_for(self, prose_rows: int) -> int:
        """The pane's height for `prose_rows` lines of prose (fewer, if it is shorter)
        and the cards in full."""
        prose = self.prose_height()
        rows = max(min(prose_rows, prose), 1 if prose else 0)
        self.query_one(LessonText).display = rows > 0  # an exercise-only step: no blank line
        border = 2
        return rows + self.cards_height() + border

    def full_height(self) -> None:
        """The pane takes the height the layout gives it (side by side with the others)."""
        self.query_one(LessonText).display = True

    def set_compact(self, compact: bool) -> None:
        """Small terminal: the cards keep only their newest note."""
        self.query_one(ExerciseCard).compact = compact
        self.query_one(QuestionCard).compact = compact

    def show_message(self, text: str) -> None:
        """A line instead of a lesson (loading, nothing found)."""
        self.heading = Text(text, style="italic")
        self.query_one("#step-heading", Static).update(self.heading)
        self._title()
