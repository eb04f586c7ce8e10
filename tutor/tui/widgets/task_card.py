"""What the exercise and question cards share: a prompt, a body, and notes under them.

A card sits pinned under the lesson's prose, so the task is always on screen in full
while the learner types in the input. Its notes (hints asked for, the latest verdict,
a revealed solution) accumulate under the prompt; in a small terminal (`compact`)
only the newest note is kept on the card, since the log below holds all of them.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Markdown, Static


class TaskCard(Vertical):
    """A bordered card: `#<kind>-prompt` (Markdown), `#<kind>-body`, `#<kind>-notes`."""

    DEFAULT_CSS = """
    TaskCard {
        height: auto;
        border: round $secondary;
        border-title-color: $secondary;
        border-subtitle-color: $foreground 60%;
        padding: 0 1;
        display: none;
    }
    TaskCard.-shown {
        display: block;
    }
    TaskCard > Markdown {
        margin: 0;
        padding: 0;
    }
    TaskCard > Markdown > MarkdownParagraph:last-child {
        margin-bottom: 0;
    }
    TaskCard > .task-body, TaskCard > .task-notes {
        height: auto;
    }
    TaskCard > .task-body.-empty, TaskCard > .task-notes.-empty {
        display: none;
    }
    """

    #: The prefix of the ids of the card's parts (`exercise`, `question`).
    KIND = "task"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._notes: list[RenderableType] = []
        self._compact = False

    def compose(self) -> ComposeResult:
        yield Markdown(id=f"{self.KIND}-prompt")
        yield Static(id=f"{self.KIND}-body", classes="task-body -empty")
        yield Static(id=f"{self.KIND}-notes", classes="task-notes -empty")

    # -- the parts ------------------------------------------------------------------------
    def show_prompt(self, markdown: str) -> None:
        """The task's words (Markdown)."""
        self.query_one(f"#{self.KIND}-prompt", Markdown).update(markdown)

    def show_body(self, body: RenderableType | None) -> None:
        """What follows the prompt (a question's options and how to answer)."""
        shown = self.query_one(f"#{self.KIND}-body", Static)
        shown.update(body if body is not None else "")
        shown.set_class(body is None, "-empty")

    def shown(self, visible: bool) -> None:
        """Show or hide the card; a new task starts without notes."""
        self.set_class(visible, "-shown")
        self._notes = []
        self._render_notes()

    def needed_height(self, width: int, *, notes: bool = True) -> int:
        """Rows the card takes at `width` columns (outer), measured now rather than read
        off the last layout (a note just added is not laid out yet); without its notes
        if `notes` is False (the task itself, which is always shown whole)."""
        if not self.has_class("-shown"):
            return 0
        chrome = 2  # the border, top and bottom
        inner = max(width - chrome - 2, 10)  # the border and the padding each side
        size = Size(inner, 1000)
        return chrome + sum(
            child.get_content_height(size, size, inner)
            for child in self.children
            if child.styles.display != "none" and (notes or not child.has_class("task-notes"))
        )

    def limit_notes(self, rows: int | None) -> None:
        """Show at most `rows` lines of notes (the start of the newest; the log has them
        all), or all of them (None)."""
        shown = self.query_one(f"#{self.KIND}-notes", Static)
        shown.styles.max_height = None if rows is None else max(rows, 1)

    # -- notes ----------------------------------------------------------------------------
    @property
    def notes(self) -> tuple[RenderableType, ...]:
        return tuple(self._notes)

    def add_note(self, note: RenderableType) -> None:
        """A hint asked for (they accumulate while the step is shown)."""
        self._notes.append(note)
        self._render_notes()

    def replace_note(self, old: RenderableType | None, new: RenderableType) -> None:
        """Put `new` where `old` was (the latest verdict replaces the previous one)."""
        if old is not None and old in self._notes:
            self._notes.remove(old)
        self._notes.append(new)
        self._render_notes()

    @property
    def compact(self) -> bool:
        return self._compact

    @compact.setter
    def compact(self, compact: bool) -> None:
        if compact != self._compact:
            self._compact = compact
            self._render_notes()

    def _render_notes(self) -> None:
        notes = self._notes[-1:] if self._compact else self._notes
        shown = self.query_one(f"#{self.KIND}-notes", Static)
        shown.update(Group(*notes) if notes else "")
        shown.set_class(not notes, "-empty")
