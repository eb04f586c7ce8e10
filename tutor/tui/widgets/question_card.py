"""The current question: its prompt, its options or what to type, the verdicts and hints.

The learner answers in the evaluator's input (its number, then Enter: see
`cell_rules.answers_question`), so the focus never has to leave the input and no
key meant for Python is taken as an answer. A learner who moves the focus to the
card (F6, or a click) may also answer a choice with a single key, 1-9 or a-i.

Each kind of question has its own body under the prompt (`question_body`): a new
kind adds a branch there, and a line saying how to answer it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.message import Message

from tutor.curriculum.model import Question
from tutor.tui.prose import prose_text
from tutor.tui.strings import UiStrings
from tutor.tui.widgets.task_card import TaskCard

LETTERS = "abcdefghi"


def choice_from_key(key: str, options: int) -> str | None:
    """The answer text for a key: "1".."9" or "a".."i" within the options; else None."""
    if len(key) != 1:
        return None
    if key.isdigit() and 1 <= int(key) <= options:
        return key
    if key in LETTERS and LETTERS.index(key) < options:
        return str(LETTERS.index(key) + 1)
    return None


def option_label(index: int) -> str:
    """`1/a` for the first option: its number and its letter."""
    return f"{index + 1}/{LETTERS[index]}" if index < len(LETTERS) else f"{index + 1}"


def question_body(question: Question, strings: UiStrings, tried: frozenset[int]) -> RenderableType:
    """The options (those tried and wrong marked ✗) and how to answer, per kind."""
    body = Text()
    if question.kind == "choice":
        for i, option in enumerate(question.options):
            wrong = i in tried
            body.append(f"{option_label(i):<4} ", style="dim strike" if wrong else "bold")
            body.append_text(prose_text(option, "dim" if wrong else ""))
            if wrong:
                body.append(" ✗", style="yellow")
            body.append("\n")
        n = min(len(question.options), len(LETTERS))
        how = strings.choice_keys.format(n=n, letter=LETTERS[max(n - 1, 0)])
    elif question.kind == "predict":
        from tutor.prediction_verdict import howto
        from tutor.tui.cell_text import code_renderable

        # the code to predict, a blank line, then how to answer
        return Group(
            code_renderable(question.code),
            Text(),
            Text(howto(question, strings.lang), style="dim italic"),
        )
    else:
        how = strings.number_prompt
    body.append(how, style="dim italic")
    return body


class QuestionCard(TaskCard, can_focus=True):
    """Shown when the step asks a question; posts `Answered` for a key pressed on it."""

    DEFAULT_CSS = """
    QuestionCard:focus {
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
    }
    """

    KIND = "question"

    @dataclass
    class Answered(Message):
        """The learner answered on the card: an option number (1-based)."""

        card: QuestionCard
        text: str

        @property
        def control(self) -> QuestionCard:
            return self.card

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: Question | None = None
        self._tried: set[int] = set()
        self._strings: UiStrings | None = None
        self._verdict: Text | None = None

    def show(self, question: Question | None, strings: UiStrings) -> None:
        """Show a question (or hide the card)."""
        self.question = question
        self.shown(question is not None)
        self._tried = set()
        self._verdict = None
        self._strings = strings
        if question is None:
            return
        self.border_title = strings.question
        self.border_subtitle = strings.question_keys if question.hints else ""
        self._show_body()
        self.show_prompt(question.prompt)

    def _show_body(self) -> None:
        if self.question is not None and self._strings is not None:
            self.show_body(question_body(self.question, self._strings, frozenset(self._tried)))

    def mark_tried(self, index: int) -> None:
        """An option answered and found wrong: struck through, so the next try is another."""
        self._tried.add(index)
        self._show_body()

    def show_verdict(self, text: Text) -> None:
        """The latest verdict replaces the previous one."""
        self.replace_note(self._verdict, text)
        self._verdict = text

    def add_hint(self, hint: Text) -> None:
        self.add_note(hint)

    def show_truth(self, beside: RenderableType) -> None:
        """A prediction beside what TensorFlow gave (after the code ran), as the card's
        newest note (the verdict was said just before)."""
        self.add_note(beside)

    def on_key(self, event: events.Key) -> None:
        if self.question is None or self.question.kind != "choice":
            return
        answer = choice_from_key(event.key, len(self.question.options))
        if answer is not None:
            event.stop()
            event.prevent_default()
            self.post_message(self.Answered(self, answer))
