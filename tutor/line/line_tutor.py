"""`LineTutor`: one line of input in, plain text out, through the shared `Session`.

Both the interactive prompt and script mode hand every complete input to
`LineTutor.handle`; it runs the cell or the command on the session and prints what
came back. It holds no tutoring logic of its own: where the learner is, checks,
hints, solutions, answers and replays are all the session's.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TextIO

from tutor.cell_rules import answers_question
from tutor.kernel.protocol import VariableView
from tutor.line.commands import Command, is_command, parse_command
from tutor.line.lesson_text import markdown_lines, step_lines
from tutor.line.prediction_text import prediction_lines
from tutor.line.result_text import cell_lines, check_lines, variable_detail, variables_table
from tutor.line.strings import language_name, languages, say, say_count
from tutor.recent_names import changed_names, recent_first
from tutor.textflow import display_width, plain_inline, wrap

if TYPE_CHECKING:
    from tutor.curriculum.model import Course
    from tutor.progress.events import StoreEvent
    from tutor.session import Session

CourseLoader = Callable[[str], "Course"]
#: Ask a yes/no question: (the question, the answer an empty reply gives).
Confirm = Callable[[str, bool], Awaitable[bool]]

#: Columns of the command names in `:help`.
HELP_NAMES = 22


async def _always(question: str, default: bool = True) -> bool:
    return True


def help_lines(lang: str, width: int) -> list[str]:
    """`:help` laid out for `width` columns: each command's words wrapped beside it."""
    lines = wrap(say(lang, "help-intro"), width)
    lines.append(say(lang, "help-commands"))
    room = max(width - HELP_NAMES - 2, 20)
    for row in say(lang, "help-table", choices="|".join(languages())).split("\n"):
        name, _, words = row.partition("\t")
        wrapped = wrap(words, room) or [""]
        pad = " " * max(HELP_NAMES - display_width(name), 1)
        lines.append("  " + name + pad + wrapped[0])
        lines += [" " * (HELP_NAMES + 2) + more for more in wrapped[1:]]
    lines += wrap(say(lang, "help-end"), width)
    return lines


def terminal_width() -> int:
    """Columns to wrap prose to: the terminal's, at most 100 (long lines read badly)."""
    return min(shutil.get_terminal_size((80, 24)).columns, 100)


class LineTutor:
    """Runs inputs on a session and prints the results as plain text."""

    def __init__(
        self,
        session: Session,
        out: TextIO,
        *,
        width: int = 80,
        color: bool = False,
        load_course: CourseLoader | None = None,
        confirm: Confirm = _always,
    ) -> None:
        self.session = session
        self.out = out
        self.width = width
        self.color = color
        self._load_course = load_course
        self._confirm = confirm
        #: The inspector's rows after the last cell.
        self.variables: tuple[VariableView, ...] = ()
        #: Set when a `:check` did not pass (script mode exits with 1).
        self.check_failed = False
        #: Set by `:quit`.
        self.done = False
        #: Code for the prompt to start with (a fix-the-code exercise's broken code).
        self.pending_input = ""
        #: What happened to the learner's record during the current input (told after it).
        self._store_news: list[StoreEvent] = []
        session.listen_store(self._store_news.append)
        #: Whether "TensorFlow is starting" was said (once is enough).
        self._told_start = False

    @property
    def lang(self) -> str:
        return self.session.course.lang

    def say(self, key: str, **values: object) -> None:
        """Print one of the tutor's phrases, wrapped to the width (Chinese too)."""
        for paragraph in say(self.lang, key, **values).split("\n"):
            self.print(*wrap(paragraph, max(self.width, 20)))

    def echo(self, text: str) -> None:
        """An input as the prompt showed it (`>>> `, `... `): a script's transcript reads
        as a dialogue."""
        for i, line in enumerate(text.split("\n")):
            self.print(("... " if i else ">>> ") + line)

    def tell_start(self) -> None:
        """Say that TensorFlow is starting when what comes next waits for it."""
        kernel = self.session.kernel
        if self._told_start or (kernel.info is not None and kernel.status != "starting"):
            return
        self._told_start = True
        self.say("starting")

    def print(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def set_confirm(self, confirm: Confirm) -> None:
        """How to ask the learner a yes/no question (script mode: always yes)."""
        self._confirm = confirm

    # -- input ---------------------------------------------------------------------------
    async def handle(self, text: str) -> None:
        """Run one complete input: a `:command`, an answer, or a cell; then say what
        happened to the learner's record meanwhile (a change not saved, saved again)."""
        try:
            await self._handle(text)
        finally:
            self.tell_store()

    async def _handle(self, text: str) -> None:
        if not text.strip():
            return
        if is_command(text):
            await self.command(parse_command(text))
            return
        question = self.session.question
        kind, ask = (question.kind, question.ask) if question is not None else (None, None)
        if answers_question(text, kind, ask):
            await self.answer(text.strip())
            return
        await self.run_cell(text)

    def tell_store(self, events: list[StoreEvent] | None = None) -> None:
        """A paragraph for each store event worth telling (default: those since the last
        input, the changes not saved told once with all of them); the learner always
        hears when their work is not being saved."""
        news = list(self._store_news) if events is None else events
        if events is None:
            self._store_news.clear()
        unsaved = [e for e in news if e.kind == "not-saved"]
        for event in news:
            if event.kind == "not-saved":
                if event is not unsaved[-1] or not any(e.tell for e in unsaved):
                    continue
            elif not event.tell:
                continue
            self.print(*wrap(self.session.store_message(event), self.width))

    async def run_cell(self, code: str) -> None:
        self.tell_start()
        report = await self.session.run_cell(code)
        result = report.result
        if result.variables or result.ok:
            changed = changed_names(self.variables, result.variables, code)
            self.variables = recent_first(result.variables, changed)
        self.print(*cell_lines(result, self.lang, self.width, color=self.color))
        if report.check is not None:
            self.print(*check_lines(report.check, self.lang, self.width))
        self.print_notices()
        if report.names_lost:
            self.offer_replay()

    def offer_replay(self) -> None:
        """When the kernel lost the learner's names and a replay can bring them back."""
        count = self.session.replay_offer
        if count:
            self.say("replay-offer", cells=say_count(self.lang, "earlier-cells", count))

    def print_notices(self) -> None:
        """What the session has to tell (givens rebound, a lesson fault)."""
        for notice in self.session.take_notices():
            self.print(*wrap(plain_inline(notice), max(self.width, 20)))

    # -- commands ------------------------------------------------------------------------
    async def command(self, command: Command) -> None:
        handlers: dict[str, Callable[[str], Awaitable[None]]] = {
            "next": self._next,
            "prev": self._prev,
            "step": self._step,
            "lessons": self._lessons,
            "goto": self._goto,
            "hint": self._hint,
            "solution": self._solution,
            "check": self._check,
            "answer": self._answer,
            "vars": self._vars,
            "restart": self._restart,
            "replay": self._replay,
            "reset": self._reset,
            "lang": self._lang,
            "help": self._help,
            "quit": self._quit,
        }
        if command.name is None:
            self.say("unknown-command", name=command.typed)
            if command.suggestion:
                self.say("did-you-mean", suggestion=command.suggestion)
            self.say("help-hint")
            return
        await handlers[command.name](command.argument)

    def show_step(self) -> None:
        session = self.session
        view = session.step_view()
        self.print(
            *step_lines(
                lesson=view.lesson,
                lesson_number=view.lesson_number,
                lesson_total=view.lesson_total,
                step_index=view.step_index,
                status=view.status,
                width=self.width,
            )
        )
        if view.givens:
            self.print(*wrap(plain_inline(view.givens), max(self.width, 20)))
        self.print_notices()
        starter = session.take_starter()
        if starter is not None:  # fix-the-code: shown, and typed at the next prompt
            self.say("starter")
            self.print(*("    " + line for line in starter.splitlines()))
            self.pending_input = starter

    def take_pending_input(self) -> str:
        """What the next prompt starts with (once), for the interactive prompt."""
        text, self.pending_input = self.pending_input, ""
        return text

    async def _next(self, _: str) -> None:
        session = self.session
        if session.at_lesson_end and not await self._end_lesson():
            return
        self.tell_start()
        if await session.next_step():
            self.show_step()
        else:
            self.say("end-of-course")

    async def _end_lesson(self) -> bool:
        """How the lesson went; then whether to go on (False: the learner stays)."""
        session = self.session
        lesson, upcoming = session.lesson, session.next_lesson
        summary = session.lesson_summary()
        self.say("lesson-end", number=session.lesson_number, title=lesson.title)
        self.say("lesson-end-passed", passed=summary.passed, total=summary.total)
        if summary.hints:
            self.print(say_count(self.lang, "lesson-end-hints", summary.hints))
        if summary.revealed:
            self.print(say_count(self.lang, "lesson-end-revealed", summary.revealed))
        if upcoming is None:
            return True  # the course's end says so itself
        number = session.lesson_number + 1
        question = say(self.lang, "lesson-end-next", number=number, title=upcoming.title)
        if await self._confirm(question, True):
            return True
        self.say("lesson-end-stay")
        return False

    async def _prev(self, _: str) -> None:
        self.tell_start()
        if await self.session.prev_step():
            self.show_step()
        else:
            self.say("start-of-course")

    async def _step(self, _: str) -> None:
        self.show_step()

    async def _lessons(self, _: str) -> None:
        session = self.session
        lessons = session.course.lessons
        totals = [session.lesson_done(lesson.id) for lesson in lessons]
        done, total = session.course_done()
        self.say("lessons-title", done=done, total=total)
        for number, (lesson, (done, total)) in enumerate(zip(lessons, totals, strict=True), 1):
            here = f"  <- {say(self.lang, 'here')}" if lesson.id == session.lesson.id else ""
            self.print(f"{number:>3}. {lesson.id:<24} {lesson.title} ({done}/{total}){here}")

    async def _goto(self, argument: str) -> None:
        parts = argument.split()
        if not parts or len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
            self.say("goto-usage")
            return
        lesson_id, _, item_id = parts[0].partition("/")
        if self.session.course.lesson(lesson_id) is None:
            self.say("unknown-lesson", id=lesson_id)
            return
        step = int(parts[1]) - 1 if len(parts) == 2 else 0
        if item_id:  # `:goto tensors/matrix-from-range` opens that exercise's step
            found = self.session.step_of(lesson_id, item_id)
            if found is None:
                self.say("unknown-lesson", id=parts[0])
                return
            step = found
        self.tell_start()
        await self.session.goto(lesson_id, max(step, 0))
        self.variables = ()
        self.show_step()

    async def _hint(self, _: str) -> None:
        hint = self.session.next_hint()
        if hint is None:
            any_hints = self.session.hint_count()[1] > 0
            self.say("no-hint" if any_hints else "no-hints")
            return
        text = " ".join(markdown_lines(hint.text, self.width - 8))
        self.print(*wrap(say(self.lang, "hint", n=hint.number, text=text), self.width, "", "  "))

    async def _solution(self, _: str) -> None:
        if self.session.exercise is None:
            self.say("no-solution")
            return
        if not await self._confirm(say(self.lang, "confirm-solution"), False):
            self.say("not-shown")
            return
        solution = self.session.reveal_solution()
        if solution is None:
            self.say("no-solution")
            return
        self.say("solution")
        self.print(*("    " + line for line in solution.splitlines()))

    async def _check(self, _: str) -> None:
        self.tell_start()
        check = await self.session.check()
        if check is None:
            self.say("no-exercise")
            return
        if not check.passed:
            self.check_failed = True
        self.print(*check_lines(check, self.lang, self.width))

    async def _answer(self, argument: str) -> None:
        if not argument:
            self.say("answer-usage")
            return
        await self.answer(argument)

    async def answer(self, text: str) -> None:
        if self.session.question is None:
            self.say("no-question")
            return
        verdict = self.session.answer(text)
        feedback = verdict.feedback
        if not verdict.correct and self.session.hints_left():
            feedback += " " + say(self.lang, "hint-offer")
        self.print(*wrap(feedback, self.width))
        if verdict.prediction is not None:  # the truth, run, beside the prediction
            result = await self.session.run_prediction()
            if result is not None and (result.variables or result.ok):
                self.variables = result.variables
            self.print(*prediction_lines(verdict.prediction, result, self.lang, self.width))
        if verdict.explanation:
            self.print(*markdown_lines(verdict.explanation, self.width))

    async def _vars(self, argument: str) -> None:
        if not self.variables:
            self.say("no-variables")
            return
        if any(v.state == "stale" for v in self.variables):
            # Rows the last cell's time budget left: shown now, so filled in now.
            self.variables = await self.session.refresh_variables()
        if argument:
            view = next((v for v in self.variables if v.name == argument.strip()), None)
            if view is None:
                self.say("no-such-variable", name=argument.strip())
                return
            self.print(*variable_detail(view, self.lang, self.width))
            return
        self.say("vars-title")
        self.print(*variables_table(self.variables, self.lang, self.width))

    async def _restart(self, _: str) -> None:
        await self.session.restart_kernel()
        self.variables = ()
        self.say("restarted")
        self.offer_replay()

    async def _reset(self, _: str) -> None:
        if not await self._confirm(say(self.lang, "confirm-reset"), False):
            return
        self.tell_start()
        await self.session.reset_lesson()
        self.variables = ()
        self.say("lesson-reset")
        self.show_step()

    async def _replay(self, _: str) -> None:
        self.tell_start()
        report = await self.session.replay()
        cells = say_count(self.lang, "cells", report.replayed)
        self.say("replayed", cells=cells, failed=report.failed, skipped=report.skipped)
        for note in report.notes:
            self.print("  " + note)

    async def _lang(self, argument: str) -> None:
        lang = argument.strip().lower()
        if lang not in languages() or self._load_course is None:
            self.say("lang-usage", choices="|".join(languages()))
            return
        try:
            course = self._load_course(lang)
        except Exception as exc:  # a broken lesson folder must not end the session
            self.say("lang-missing", language=lang, error=exc)
            return
        if not course.lessons:
            self.say("lang-missing", language=lang, error=say(self.lang, "no-lessons"))
            return
        self.session.set_language(course)
        self.say("lang-set", name=language_name(lang))
        self.show_step()

    async def _help(self, _: str) -> None:
        self.print(*help_lines(self.lang, self.width))

    async def _quit(self, _: str) -> None:
        self.done = True
