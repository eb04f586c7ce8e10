"""The current question, answered in place: a key for a choice, a typed number or prediction.

A predict question shows its code and a field for the prediction; after the verdict it
shows the prediction beside what TensorFlow gave when the code ran (`show_truth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Markdown, Static

from tutor.curriculum.model import Question
from tutor.prediction_verdict import howto
from tutor.tui.cell_text import code_renderable
from tutor.tui.prose import prose_text
from tutor.tui.strings import UiStrings

if TYPE_CHECKING:
    from tutor.curriculum.model import Question

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


class QuestionCard(Vertical, can_focus=True):
    """Shown when the step asks a question; posts `Answered` with the learner's answer."""

    DEFAULT_CSS = """
    QuestionCard {
        height: auto;
        border: round $secondary;
        border-title-color: $secondary;
        padding: 0 1;
        display: none;
    }
    QuestionCard.-shown {
        display: block;
    }
    QuestionCard:focus, QuestionCard:focus-within {
        border: round $accent;
    }
    QuestionCard > Markdown {
        margin: 0;
        padding: 0;
    }
    QuestionCard > Markdown > MarkdownParagraph:last-child {
        margin-bottom: 0;
    }
    QuestionCard > Static {
        height: auto;
    }
    QuestionCard > Input {
        display: none;
    }
    QuestionCard.-number > #question-number {
        display: block;
    }
    QuestionCard > #question-code {
        display: none;
        margin: 1 0;
    }
    QuestionCard.-predict > #question-code, QuestionCard.-predict > #question-prediction {
        display: block;
    }
    """

    @dataclass
    class Answered(Message):
        """The learner answered: an option number (1-based), or a number or prediction as typed."""

        card: QuestionCard
        text: str

        @property
        def control(self) -> QuestionCard:
            return self.card

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question: Question | None = None

    def compose(self) -> ComposeResult:
        yield Markdown(id="question-prompt")
        yield Static(id="question-code")
        yield Static(id="question-options")
        yield Input(id="question-number", type="number")
        yield Input(id="question-prediction")
        yield Static(id="question-truth")
        yield Static(id="question-verdict")

    def show(self, question: Question | None, strings: UiStrings) -> None:
        """Show a question (or hide the card)."""
        self.question = question
        self.set_class(question is not None, "-shown")
        self.set_class(question is not None and question.kind == "number", "-number")
        self.set_class(question is not None and question.kind == "predict", "-predict")
        self.query_one("#question-verdict", Static).update("")
        truth = self.query_one("#question-truth", Static)
        truth.update("")
        truth.display = False
        if question is None:
            return
        self.border_title = strings.question
        self.query_one("#question-prompt", Markdown).update(question.prompt)
        options = Text()
        for i, option in enumerate(question.options):
            key = f"{i + 1}/{LETTERS[i]}  " if i < len(LETTERS) else "     "
            options.append(key, style="bold")
            options.append(prose_text(option))
            options.append("\n")
        if question.kind == "choice":
            n = min(len(question.options), 9)
            options.append(
                strings.choice_keys.format(n=n, letter=LETTERS[max(n - 1, 0)]), style="dim"
            )
        elif question.kind == "predict":
            options.append(howto(question, strings.lang), style="dim")
        else:
            options.append(strings.number_prompt, style="dim")
        self.query_one("#question-options", Static).update(options)
        code = code_renderable(question.code) if question.kind == "predict" else ""
        self.query_one("#question-code", Static).update(code)
        number = self.query_one("#question-number", Input)
        number.value = ""
        self.query_one("#question-prediction", Input).value = ""

    def take_focus(self) -> None:
        """Focus where the answer is typed: the number field, or the card for choice keys."""
        if self.question is not None and self.question.kind == "number":
            self.query_one("#question-number", Input).focus()
        elif self.question is not None and self.question.kind == "predict":
            self.query_one("#question-prediction", Input).focus()
        else:
            self.focus()
        # in a collapsed 80x24 lesson pane the question sits below the prose: bring it up
        self.call_after_refresh(self.scroll_visible, top=True, animate=False)

    def show_verdict(self, text: Text) -> None:
        verdict = self.query_one("#question-verdict", Static)
        verdict.update(text)
        self.call_after_refresh(verdict.scroll_visible, animate=False)

    def show_truth(self, beside: RenderableType) -> None:
        """The prediction beside what TensorFlow gave (after the code ran)."""
        truth = self.query_one("#question-truth", Static)
        truth.update(beside)
        truth.display = True
        # the verdict sits below the truth: keep both in view, the verdict last
        self.call_after_refresh(truth.scroll_visible, animate=False)
        verdict = self.query_one("#question-verdict", Static)
        self.call_after_refresh(verdict.scroll_visible, animate=False)

    def on_key(self, event: events.Key) -> None:
        if self.question is None or self.question.kind != "choice":
            return
        answer = choice_from_key(event.key, len(self.question.options))
        if answer is not None:
            event.stop()
            self.post_message(self.Answered(self, answer))

    @on(Input.Submitted, "#question-number, #question-prediction")
    def _number(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Answered(self, event.value.strip()))
