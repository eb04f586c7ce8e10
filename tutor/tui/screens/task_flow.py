"""The step's tasks on the main screen: examples, hints, checks, the solution, questions.

The tutoring itself (which hint is next, whether an answer is right, what is recorded)
is the `Session`'s; this puts its answers on screen — the log, the exercise and question
cards, the progress in the status line — in the learner's language.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from tutor.kernel.protocol import CellResult, CheckResult
from tutor.tui.cell_text import check_entry, code_renderable
from tutor.tui.prediction_view import prediction_beside
from tutor.tui.prose import prose_text
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from tutor.prediction_verdict import PredictionFacts
    from tutor.session import QuestionVerdict
    from tutor.tui.screens.tutor_screen import TutorScreen


class TaskFlow:
    """Shows the results of the learner's work on the current step's exercise or question."""

    def __init__(self, screen: TutorScreen) -> None:
        self.screen = screen
        self._example_index = 0

    def step_shown(self) -> None:
        """A new step: its first example comes first again."""
        self._example_index = 0

    def _card_status(self, fallback: str) -> None:
        screen = self.screen
        session = screen.session
        if session is None or session.exercise is None:
            return
        status = session.status_of(session.lesson.id, session.exercise.id)
        screen.query_one(ExerciseCard).set_status(status or fallback, screen.strings)

    # -- checks --------------------------------------------------------------------------
    def show_check(self, check: CheckResult | None) -> None:
        """A check's verdict in the log and on the exercise card (None: nothing to check)."""
        screen = self.screen
        if check is None:
            screen.note(Text(screen.strings.no_exercise, style="dim"))
            return
        words = random.choice(screen.strings.encouragement)
        verdict = check_entry(check, screen.strings, words)
        screen.note(verdict)
        screen.query_one(ExerciseCard).set_verdict(verdict)
        self._card_status("passed" if check.passed else "attempted")
        screen.update_progress()
        screen.call_after_refresh(screen.lay_out)

    # -- questions -----------------------------------------------------------------------
    def answer(self, text: str) -> QuestionVerdict | None:
        """The learner answered the step's question: the verdict, and the way on if right."""
        screen = self.screen
        session = screen.session
        if session is None or session.question is None:
            return None
        s = screen.strings
        question = session.question
        verdict = session.answer(text)
        style = "bold green" if verdict.correct else "bold yellow"
        line = Text.assemble(
            (s.answer_right if verdict.correct else s.answer_wrong, style),
            " ",
            prose_text(verdict.feedback, style),
        )
        if not verdict.correct and session.hints_left():
            line.append(" " + s.hint_offer, style="yellow")
        if verdict.explanation:  # a wrong prediction has one too: the truth is shown
            line.append("\n")
            line.append_text(prose_text(verdict.explanation))
        if verdict.correct:
            line.append("\n" + s.way_on, style="green")
        from tutor.session import parse_choice

        card = screen.query_one(QuestionCard)
        chosen = parse_choice(text, len(question.options)) if question.kind == "choice" else None
        if not verdict.correct and chosen is not None:
            card.mark_tried(chosen)
        card.show_verdict(line)
        screen.note(line)
        screen.update_progress()
        screen.call_after_refresh(screen.lay_out)
        if verdict.prediction is not None:  # the code runs next: the prediction waits beside it
            self.show_prediction(verdict.prediction, None)
        return verdict

    def show_prediction(self, facts: PredictionFacts, result: CellResult | None) -> None:
        """The learner's prediction beside what TensorFlow gave, on the question card."""
        beside = prediction_beside(facts, result, self.screen.strings.lang)
        self.screen.query_one(QuestionCard).show_truth(beside)

    # -- help on the way -----------------------------------------------------------------
    def hint(self) -> None:
        """The next hint, in the log and on the exercise's or the question's card."""
        screen = self.screen
        session = screen.session
        if session is None:
            return
        hint = session.next_hint()
        if hint is None:
            any_hints = session.hint_count()[1] > 0
            words = screen.strings.no_more_hints if any_hints else screen.strings.no_hints
            note: Text = Text(words, style="dim")
        else:
            title = screen.strings.hint_title.format(n=hint.number, total=hint.total)
            note = Text.assemble((title, "bold cyan"), prose_text(hint.text))
        screen.note(note)
        if session.step.exercise is not None:
            screen.query_one(ExerciseCard).add_hint(note)
        elif session.step.question is not None:
            screen.query_one(QuestionCard).add_hint(note)
        screen.call_after_refresh(screen.lay_out)

    # -- the end of a lesson ---------------------------------------------------------------
    def end_lesson(self, go_on: Callable[[], None]) -> None:
        """How the lesson went (the session's summary) and a question before the next
        lesson begins; `go_on` moves on if the learner says so."""
        screen = self.screen
        session = screen.session
        if session is None:
            return
        from tutor.tui.screens.lesson_end import LessonEndScreen, summary_lines

        s = screen.strings
        lesson, upcoming = session.lesson, session.next_lesson
        number = session.lesson_number
        title = s.lesson_end_title.format(number=number, title=lesson.title)
        lines = summary_lines(session.lesson_summary(), s)
        if upcoming is None:
            question, go = s.course_end, None
        else:
            question = s.lesson_end_next.format(number=number + 1, title=upcoming.title)
            go = s.lesson_end_go

        def chosen(yes: bool | None) -> None:
            if yes:
                go_on()

        screen.app.push_screen(
            LessonEndScreen(title, lines, question, go, s.lesson_end_stay), chosen
        )

    def example(self) -> None:
        """Copy the step's next example into the input (they come round in turn)."""
        screen = self.screen
        session = screen.session
        if session is None:
            return
        examples = session.step.examples
        if not examples:
            screen.notify(screen.strings.no_more_examples, markup=False)
            return
        index = self._example_index % len(examples)
        self._example_index += 1
        screen.query_one("#input", CellInput).put(examples[index].code.rstrip("\n"))
        screen.notify(
            screen.strings.example_copied.format(n=index + 1, total=len(examples)),
            markup=False,
            timeout=1.5,  # brief: at 80 columns a toast covers the evaluator's last lines
        )

    def solution(self) -> None:
        """Ask first (it is recorded), then show the solution and put it in the input."""
        screen = self.screen
        s = screen.strings

        def confirmed(yes: bool | None) -> None:
            session = screen.session
            if not yes or session is None:
                return
            code = session.reveal_solution()
            if code is None:
                return
            note = Group(Text(s.solution_revealed, style="bold magenta"), code_renderable(code))
            screen.note(note)
            screen.query_one(ExerciseCard).set_solution(note)
            self._card_status("revealed")
            screen.query_one("#input", CellInput).put(code)
            screen.update_progress()
            screen.call_after_refresh(screen.lay_out)

        screen.app.push_screen(
            ConfirmScreen(s.solution_confirm_title, s.solution_confirm_body, s.yes, s.no),
            confirmed,
        )
