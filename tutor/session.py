"""The engine: one learner, one lesson, one kernel, one progress store.

Both frontends (Textual and `--plain`) are thin views over a `Session`: every piece of
tutoring logic (which exercise a cell touches, when to check, what a hint or a
solution costs, what to replay after a restart) lives here, once.

The frontends call the async methods from their event loop and show what comes back;
they subscribe to `Session.listen` for kernel status changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tutor import words
from tutor.curriculum.model import GIVENS_SEED, Course, Exercise, Lesson, Question, Step
from tutor.grading.history import AnswerHistory, Givens
from tutor.grading.names import names_bound_by, names_read_by
from tutor.kernel.protocol import CellResult, CheckResult, GivenView, VariableView
from tutor.prediction_verdict import PredictionFacts, judge_prediction
from tutor.step_view import Hint, StepView
from tutor.words import N_, tell

if TYPE_CHECKING:
    from collections.abc import Callable

    from tutor.kernel.api import Kernel, StatusListener
    from tutor.options import Options
    from tutor.progress import ProgressStore
    from tutor.progress.events import StoreEvent

log = logging.getLogger(__name__)

ExerciseStatus = Literal["attempted", "passed", "revealed"]

#: Which of two records of one item counts (an item that moved keeps its best).
_STATUS_RANK: dict[str | None, int] = {"attempted": 0, "revealed": 1, "passed": 2}

#: Cells that took longer than this are not replayed (and the learner is told).
REPLAY_SLOW_MS = 2000.0

#: A key `_word` is given names the catalog's message "session." + key.
_PREFIX = "session."
#: Every message of the session (so the catalog's test sees each one said).
_MESSAGES = (
    N_("session.bad-choice"),
    N_("session.bad-number"),
    N_("session.correct"),
    N_("session.failed"),
    N_("session.function"),
    N_("session.givens"),
    N_("session.givens-failed"),
    N_("session.no-question"),
    N_("session.rebound"),
    N_("session.rebound-many"),
    N_("session.slow"),
    N_("session.wrong-choice"),
    N_("session.wrong-number"),
)


def _word(lang: str, key: str, **values: Any) -> str:
    return words.say(lang, _PREFIX + key, **values)


#: Outcomes after which the kernel's namespace may be gone (see `names_lost_by`).
LOST_OUTCOMES = ("timeout", "killed", "crashed", "interrupted")


def names_lost_by(result: CellResult) -> bool:
    """Whether the kernel was replaced during the cell, taking the learner's names with it.

    A cell stopped by the time limit or an interrupt usually keeps them (the kernel
    answers, with an In number); when the kernel had to be killed, the supervisor
    made the result and it has no In number.
    """
    return result.outcome in LOST_OUTCOMES and not result.execution_count


@dataclass(frozen=True)
class CellReport:
    """A cell's result and, when the cell touched the current exercise, its check."""

    result: CellResult
    check: CheckResult | None = None
    #: The exercise the check was for.
    exercise_id: str | None = None

    @property
    def names_lost(self) -> bool:
        """The kernel lost the learner's names during the cell (`Session.replay_offer`
        says whether a replay can bring them back)."""
        return names_lost_by(self.result)


@dataclass(frozen=True)
class QuestionVerdict:
    """The answer to a question, judged."""

    correct: bool
    feedback: str
    explanation: str = ""
    #: A predict question's prediction and truth (None otherwise, or when unreadable).
    prediction: PredictionFacts | None = None


@dataclass(frozen=True)
class LessonSummary:
    """How a lesson went, for the moment it ends: what passed, what help was used."""

    passed: int
    total: int
    #: Hints shown for the lesson's exercises and questions (in this session).
    hints: int
    #: Exercises whose solution was revealed.
    revealed: int


@dataclass(frozen=True)
class ReplayReport:
    """What replaying the lesson's earlier cells did."""

    replayed: int
    skipped: int
    failed: int
    elapsed_ms: float
    notes: tuple[str, ...] = ()


def _option_text(option: str, limit: int = 60) -> str:
    """An option as one plain line (Markdown marks read), cut at `limit` characters."""
    from tutor.textflow import plain_inline

    text = " ".join(plain_inline(option).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def parse_choice(text: str, options: int) -> int | None:
    """A 0-based option index from "2", "b", "(b)", "B." — None when it is not one."""
    cleaned = text.strip().strip("().").strip().lower()
    if cleaned.isdigit():
        index = int(cleaned) - 1
    elif len(cleaned) == 1 and "a" <= cleaned <= "z":
        index = ord(cleaned) - ord("a")
    else:
        return None
    return index if 0 <= index < options else None


class Session:
    """The tutor's state and its operations, shared by both frontends."""

    def __init__(
        self,
        course: Course,
        kernel: Kernel,
        store: ProgressStore | None = None,
        *,
        lesson: str | None = None,
    ) -> None:
        if not course.lessons:
            raise ValueError("the course has no lessons")
        self._course = course
        self.kernel = kernel
        self.store = store
        saved = store.position() if store is not None else None
        lesson_id, step = (lesson, 0) if lesson else (saved or (course.lessons[0].id, 0))
        index = course.index(lesson_id)
        if index < 0:
            index, step = 0, 0
        self._lesson_index = index
        self._step = max(0, min(step, len(course.lessons[index].steps) - 1))
        #: The kernel (pid) whose history `history` is; None: not known yet.
        self._prepared_pid: int | None = None
        #: The (pid, lesson, step) whose exercise givens were last bound.
        self._opened: tuple[int | None, str, int] | None = None
        self._hints: dict[str, int] = {}
        #: What the learner ran in the current kernel, for re-running answers.
        self.history = AnswerHistory()
        self._starters_given: set[str] = set()
        #: The namespace as the inspector shows it, after the last thing that ran.
        self.variables: tuple[VariableView, ...] = ()
        #: The current exercise's givens, as its card names them (kind, shape, dtype).
        self.givens: tuple[GivenView, ...] = ()
        self._notices: list[str] = []
        #: Why the lesson's setup or the exercise's givens could not be bound (a fault of
        #: the lesson), or None.
        self.setup_error: str | None = None
        #: Cells a replay would run to bring back names the kernel lost (see `replay_offer`);
        #: a resumed lesson's names are not in the new kernel either.
        self._replay_offer = self.replayable_cells()
        #: What `close` found it could not save; None until the session is closed.
        self._closed: list[StoreEvent] | None = None

    # -- where the learner is ---------------------------------------------------------
    @property
    def course(self) -> Course:
        return self._course

    @property
    def lang(self) -> str:
        return self._course.lang

    @property
    def lesson(self) -> Lesson:
        return self._course.lessons[self._lesson_index]

    @property
    def lesson_number(self) -> int:
        """1-based position of the lesson in the course."""
        return self._lesson_index + 1

    @property
    def lesson_total(self) -> int:
        """How many lessons the course has."""
        return len(self._course.lessons)

    @property
    def step_index(self) -> int:
        return self._step

    @property
    def step(self) -> Step:
        return self.lesson.steps[self._step]

    @property
    def exercise(self) -> Exercise | None:
        """The current step's exercise."""
        return self.step.exercise

    @property
    def question(self) -> Question | None:
        return self.step.question

    def step_view(self) -> StepView:
        """The current step as both frontends show it (lesson and step numbers, status,
        givens)."""
        item = self.exercise or self.question
        return StepView(
            lesson=self.lesson,
            lesson_number=self.lesson_number,
            lesson_total=self.lesson_total,
            step_index=self._step,
            status=self.status_of(self.lesson.id, item.id) if item is not None else None,
            givens=self.givens_line(),
        )

    async def goto(self, lesson_id: str, step: int = 0) -> None:
        """Open a lesson (a fresh namespace, its setup run) at a step."""
        index = self._course.index(lesson_id)
        if index < 0:
            raise KeyError(lesson_id)
        changed = index != self._lesson_index
        self._lesson_index = index
        self._set_step(step)
        if changed:
            self._prepared_pid = None
            self.variables = ()
            self._replay_offer = self.replayable_cells()  # a new kernel, for this lesson
            if self.kernel.info is not None:
                await self.kernel.restart()
        await self.prepare()

    def step_of(self, lesson_id: str, item_id: str) -> int | None:
        """The step (0-based) holding an exercise or question of a lesson, or None."""
        lesson = self._course.lesson(lesson_id)
        if lesson is None:
            return None
        for index, step in enumerate(lesson.steps):
            item = step.exercise or step.question
            if item is not None and item.id == item_id:
                return index
        return None

    async def next_step(self) -> bool:
        """Move on (into the next lesson after the last step); False at the very end."""
        if self._step + 1 < len(self.lesson.steps):
            self._set_step(self._step + 1)
            await self.prepare()
            return True
        if self._lesson_index + 1 < len(self._course.lessons):
            await self.goto(self._course.lessons[self._lesson_index + 1].id, 0)
            return True
        return False

    async def prev_step(self) -> bool:
        if self._step > 0:
            self._set_step(self._step - 1)
            await self.prepare()
            return True
        if self._lesson_index > 0:
            previous = self._course.lessons[self._lesson_index - 1]
            await self.goto(previous.id, len(previous.steps) - 1)
            return True
        return False

    def _set_step(self, step: int) -> None:
        step = max(0, min(step, len(self.lesson.steps) - 1))
        if step != self._step:
            self._opened = None  # the step opens again: its givens are bound again
            self.givens = ()
        self._step = step
        if self.store is not None:
            self.store.set_position(self.lesson.id, step)

    def set_language(self, course: Course) -> None:
        """Switch to the same lesson and step in another language's course."""
        lesson_id, step = self.lesson.id, self._step
        index = course.index(lesson_id)
        self._course = course
        self._lesson_index = max(index, 0)
        self._step = max(0, min(step, len(self.lesson.steps) - 1))
        if self.store is not None:
            self.store.set_preference("lang", course.lang)

    async def prepare(self) -> None:
        """Bind what the learner's namespace must hold here; cheap when nothing is to do.

        Called on every move and before every cell. A new kernel (the first, or after a
        restart or crash) gets the lesson's setup; a step with an exercise gets the
        exercise's givens each time it opens (DESIGN.md, "Grading": a name holding other
        data is rebound, and the learner told).
        """
        if self._pid() is None or self._pid() != self._prepared_pid:
            await self._new_kernel()
        exercise = self.exercise
        key = (self._pid(), self.lesson.id, self._step)
        if exercise is None or self._opened == key:
            return
        givens = self._givens_of(exercise)
        result = await self.kernel.bind_givens(
            givens.code, givens.seed, show=self._shown_givens(exercise)
        )
        if result.error:
            log.error("the givens of %s/%s failed: %s", self.lesson.id, exercise.id, result.error)
            self.setup_error = f"the setup of `{exercise.id}` fails: {result.error}"
            self._notices.append(
                _word(self.lang, "givens-failed", why=tell(self.lang, result.error))
            )
            return
        self.setup_error = None
        self.history.add_givens(givens)
        self._opened = key
        self.givens = result.shown
        if result.variables:
            self.variables = result.variables
        if len(result.rebound) == 1:
            r = result.rebound[0]
            self._notices.append(_word(self.lang, "rebound", name=r.name, was=r.was, now=r.now))
        elif result.rebound:
            names = ", ".join(f"`{r.name}`" for r in result.rebound)
            self._notices.append(_word(self.lang, "rebound-many", names=names))
        self.kernel.prefetch_grading(exercise.spec.to_wire(self.lesson.setup))

    def _pid(self) -> int | None:
        info = self.kernel.info
        return info.pid if info is not None else None

    async def _new_kernel(self) -> None:
        """A kernel whose history is unknown to us: it starts over with the lesson's setup."""
        self.history.reset()
        self._opened = None
        lesson_setup = Givens(self.lesson.setup, GIVENS_SEED)
        if self.lesson.setup.strip():
            result = await self.kernel.bind_givens(lesson_setup.code, lesson_setup.seed)
            if result.error:
                log.error("the setup of %s failed: %s", self.lesson.id, result.error)
                self.setup_error = f"the lesson's setup fails: {result.error}"
                self._notices.append(
                    _word(self.lang, "givens-failed", why=tell(self.lang, result.error))
                )
                self._prepared_pid = self._pid()  # told once, not before every cell
                return
            if result.variables:
                self.variables = result.variables
            self.history.add_givens(lesson_setup)
        else:
            try:
                await self.kernel.start()
            except Exception:  # the cell that follows reports an unavailable kernel
                return
        self._prepared_pid = self._pid()

    def _givens_of(self, exercise: Exercise, *, fill_only: bool = False) -> Givens:
        spec = exercise.spec
        return Givens(
            spec.givens_source(self.lesson.setup),
            GIVENS_SEED,
            exercise=exercise.id,
            fresh=spec.fresh,
            fill_only=fill_only,
        )

    def _shown_givens(self, exercise: Exercise) -> tuple[str, ...]:
        """The givens the card names: what the exercise's setup binds and the solution reads."""
        spec = exercise.spec
        wanted = names_bound_by(spec.setup) | (
            names_bound_by(self.lesson.setup) & names_read_by(spec.solution)
        )
        order = [n for n in _bound_in_order(spec.givens_source(self.lesson.setup)) if n in wanted]
        return tuple(n for n in order if n not in spec.names)

    def givens_line(self) -> str | None:
        """ "Given: `A` (5, 4) float32, `f` a function" for the exercise card; None without givens."""
        if self.exercise is None or not self.givens:
            return None
        parts = []
        for given in self.givens:
            if given.kind == "function":
                parts.append(f"`{given.name}` {_word(self.lang, 'function')}")
            elif given.shape is not None and given.dtype:
                shape = (
                    "("
                    + ", ".join(str(d) for d in given.shape)
                    + ("," if len(given.shape) == 1 else "")
                    + ")"
                )
                parts.append(f"`{given.name}` {shape} {given.dtype}")
            else:
                parts.append(f"`{given.name}` {given.kind}")
        return _word(self.lang, "givens", names=", ".join(parts))

    def take_notices(self) -> list[str]:
        """What the learner should be told since the last call (givens rebound, ...)."""
        notices, self._notices = self._notices, []
        return notices

    # -- the evaluator ------------------------------------------------------------------
    async def run_cell(self, code: str, *, auto_check: bool = True) -> CellReport:
        """Run a cell; check the current exercise when the cell bound one of its names."""
        if self.store is not None and code.strip():
            self.store.add_history(code)
        await self.prepare()
        result = await self._run(code)
        if self.store is not None:
            self.store.record_cell(
                self.lesson.id, code, outcome=result.outcome, elapsed_ms=result.elapsed_ms
            )
        if result.outcome in ("crashed", "killed") or (
            result.outcome in ("timeout", "interrupted") and not result.variables
        ):
            self._prepared_pid = None  # a new kernel: its history starts over
            return CellReport(result)
        if result.ok:
            self.history.add_cell(code)
        exercise = self.exercise
        if exercise is None or not result.ok or not auto_check:
            return CellReport(result)
        if not names_bound_by(code) & set(exercise.spec.names):
            return CellReport(result)
        check = await self.check()
        return CellReport(result, check, exercise.id)

    async def check(self) -> CheckResult | None:
        """Check the current exercise on demand (None when the step has none)."""
        return await self._grade(None)

    async def judge(self, code: str) -> CheckResult | None:
        """Judge `code` as the exercise's answer, as if it had just run (it does not run
        in the learner's kernel): `tutor check` and the validator ask this."""
        return await self._grade(code)

    async def _grade(self, extra: str | None) -> CheckResult | None:
        exercise = self.exercise
        if exercise is None:
            return None
        await self.prepare()
        program = self.history.program(exercise.spec.names, self._givens_of(exercise), extra=extra)
        raw = await self.kernel.grade(
            exercise.spec.to_wire(self.lesson.setup),
            program.to_wire(exercise.id),
            program.code,
        )
        result = CheckResult(
            passed=raw.passed,
            feedback=self._feedback(raw, exercise),
            diagnosis=raw.diagnosis,
            details=raw.details,
            cells=raw.cells,
        )
        if self.store is not None and raw.diagnosis != "check-error":
            self.store.record_attempt(
                self.lesson.id, exercise.id, code=program.code, passed=raw.passed
            )
        return result

    async def _run(self, code: str) -> CellResult:
        """Run code in the kernel and keep its namespace snapshot for the inspector."""
        result = await self.kernel.run_cell(code)
        if result.outcome in ("crashed", "killed") or result.execution_count:
            self.variables = result.variables
        if names_lost_by(result):
            self._replay_offer = self.replayable_cells()
        return result

    def _feedback(self, check: CheckResult, exercise: Exercise) -> str:
        from tutor.feedback import feedback_for

        text = feedback_for(check, exercise, self.lang)
        rebound = [n for n in str(check.details.get("rebound") or "").split(", ") if n]
        if not check.passed and rebound:
            names = ", ".join(f"`{n}`" for n in rebound)
            note = words.say_count(self.lang, "session.rebound-note", len(rebound), names=names)
            text = f"{text}\n{note}"
        return text

    async def complete(self, text: str) -> list[str]:
        return await self.kernel.complete(text)

    async def refresh_variables(self) -> tuple[VariableView, ...]:
        """The inspector's rows with those "not refreshed" after the last cell filled in
        (a frontend asks when it shows them); the cell's result never waited for them."""
        from tutor.kernel.namespace_view import refreshed

        before = self.variables
        after = await refreshed(self.kernel.refresh, before)
        if self.variables is before:  # no cell replaced the snapshot meanwhile
            self.variables = after
        return self.variables

    async def interrupt(self) -> None:
        await self.kernel.interrupt()

    async def restart_kernel(self) -> None:
        """A fresh kernel (the lesson's setup and the step's givens bound again); the
        learner's names are gone, and a replay is offered (`replay_offer`)."""
        self._prepared_pid = None
        self.variables = ()
        self.givens = ()
        self._replay_offer = self.replayable_cells()
        await self.kernel.restart()
        await self.prepare()

    async def reset_lesson(self) -> None:
        """Start the current lesson afresh: its record forgotten (exercises, answers,
        cells), its hints and starters given again, a fresh kernel at its first step."""
        lesson_id = self.lesson.id
        # The first step is saved as this tutor's place before the record is reset (which
        # puts the saved place at the lesson's first step too): the other way round, the
        # store would take the reset for another tutor moving the learner's place.
        self._set_step(0)
        if self.store is not None:
            try:
                self.store.reset(lesson_id)
            except Exception:  # the store tells its own failures (`listen_store`)
                log.exception("could not reset the record of %s", lesson_id)
        mine = f"{lesson_id}/"
        self._hints = {k: n for k, n in self._hints.items() if not k.startswith(mine)}
        self._starters_given = {k for k in self._starters_given if not k.startswith(mine)}
        await self.restart_kernel()

    async def close(self, *, kernel_wait: float | None = None) -> list[StoreEvent]:
        """Close the store (one last try at saving what waits) and stop the kernel,
        waiting at most `kernel_wait` seconds for it (it dies with the tutor anyway).

        Returns what could not be saved, for the frontend to tell as the tutor exits.
        Closing again does nothing more and returns the same.
        """
        if self._closed is not None:
            return self._closed
        try:
            self._closed = self._close_store()
        except Exception:
            log.exception("the store did not close cleanly")
            self._closed = []
        try:
            await asyncio.wait_for(self.kernel.close(), kernel_wait)
        except TimeoutError:  # it dies with the tutor
            log.warning("the kernel did not close within %s s", kernel_wait)
        except Exception:
            log.exception("the kernel did not close cleanly")
        return self._closed

    @property
    def closed(self) -> bool:
        return self._closed is not None

    def replayable_cells(self) -> int:
        """How many earlier cells of this lesson a replay would run."""
        if self.store is None:
            return 0
        return sum(1 for c in self.store.cells(self.lesson.id) if c.outcome == "ok")

    @property
    def replay_offer(self) -> int:
        """How many earlier cells of this lesson a replay would run to bring back the
        names the kernel lost (a crash, a kill, a restart, a lesson resumed); 0 when
        nothing was lost since the last replay, or nothing can bring it back."""
        return self._replay_offer

    @property
    def names_lost(self) -> bool:
        """Whether the kernel lost names that a replay would bring back (it is offered)."""
        return self._replay_offer > 0

    async def replay(self) -> ReplayReport:
        """Re-run the lesson's earlier successful cells to restore the learner's names."""
        started = time.perf_counter()
        if self._pid() is None or self._pid() != self._prepared_pid:
            await self._new_kernel()
        # the names earlier steps' exercises provided (the replayed cells may use them);
        # the current step's givens are bound again after the cells (and rebinding told)
        for step in self.lesson.steps[: self._step + 1]:
            if step.exercise is not None and step.exercise.spec.setup.strip():
                givens = self._givens_of(step.exercise, fill_only=True)
                bound = await self.kernel.bind_givens(givens.code, givens.seed, fill_only=True)
                if not bound.error:
                    self.history.add_givens(givens)
        cells = self.store.cells(self.lesson.id) if self.store is not None else []
        replayed = skipped = failed = 0
        notes: list[str] = []
        for cell in cells:
            if cell.outcome != "ok":
                continue
            first_line = cell.code.strip().splitlines()[0][:50] if cell.code.strip() else ""
            if cell.elapsed_ms > REPLAY_SLOW_MS:
                skipped += 1
                notes.append(_word(self.lang, "slow", s=cell.elapsed_ms / 1000, code=first_line))
                continue
            result = await self._run(cell.code)
            if result.ok:
                self.history.add_cell(cell.code)
                replayed += 1
            else:
                failed += 1
                error = result.error
                why = f"{error.type}: {tell(self.lang, error.message)}" if error else ""
                notes.append(_word(self.lang, "failed", code=first_line, why=why[:120]))
        self._opened = None
        self._replay_offer = 0
        await self.prepare()
        return ReplayReport(
            replayed, skipped, failed, (time.perf_counter() - started) * 1000, tuple(notes)
        )

    # -- help, answers, records ---------------------------------------------------------
    def next_hint(self) -> Hint | None:
        """The next hint of the current exercise or question (its number and the total
        with it), or None when all are shown (`hint_count` tells whether there were any)."""
        hints: tuple[str, ...] = ()
        key = ""
        if self.exercise is not None:
            hints, key = self.exercise.hints, f"{self.lesson.id}/{self.exercise.id}"
        elif self.question is not None:
            hints, key = self.question.hints, f"{self.lesson.id}/{self.question.id}"
        shown = self._hints.get(key, 0)
        if shown >= len(hints):
            return None
        self._hints[key] = shown + 1
        return Hint(shown + 1, len(hints), hints[shown])

    def hint_count(self) -> tuple[int, int]:
        """(hints shown, hints in all) for the current exercise or question."""
        return self._hint_total() - self.hints_left(), self._hint_total()

    def _hint_total(self) -> int:
        if self.exercise is not None:
            return len(self.exercise.hints)
        return len(self.question.hints) if self.question is not None else 0

    def hints_left(self) -> int:
        if self.exercise is not None:
            hints, key = self.exercise.hints, f"{self.lesson.id}/{self.exercise.id}"
        elif self.question is not None:
            hints, key = self.question.hints, f"{self.lesson.id}/{self.question.id}"
        else:
            return 0
        return len(hints) - self._hints.get(key, 0)

    def take_starter(self) -> str | None:
        """The broken code a fix-the-code exercise starts from, for the frontend's input.

        Given once per exercise and session, so that a learner's own edits are never
        written over, and not once the exercise is passed.
        """
        exercise = self.exercise
        if exercise is None or not (exercise.spec.starter or "").strip():
            return None
        key = f"{self.lesson.id}/{exercise.id}"
        if key in self._starters_given or self.status_of(self.lesson.id, exercise.id) == "passed":
            return None
        self._starters_given.add(key)
        return (exercise.spec.starter or "").strip("\n")

    def reveal_solution(self) -> str | None:
        """The solution's code (recorded as revealed); None when the step has no exercise."""
        exercise = self.exercise
        if exercise is None:
            return None
        if self.store is not None:
            self.store.record_revealed(self.lesson.id, exercise.id)
        return exercise.spec.solution.strip()

    def answer(self, text: str) -> QuestionVerdict:
        """Answer the current question: an option number (1-based) or letter, or a number."""
        question = self.question
        if question is None:
            return QuestionVerdict(False, _word(self.lang, "no-question"))
        if question.kind == "predict":
            return self._answer_prediction(question, text)
        if question.kind == "choice":
            index = parse_choice(text, len(question.options))
            if index is None:
                last = chr(ord("a") + max(len(question.options) - 1, 0))
                return QuestionVerdict(
                    False, _word(self.lang, "bad-choice", n=len(question.options), last=last)
                )
            correct = index == int(question.answer)
            feedback = _word(
                self.lang,
                "correct" if correct else "wrong-choice",
                letter=chr(ord("a") + index),
                option=_option_text(question.options[index]),
            )
        else:
            try:
                value = float(text.strip().replace(",", "."))
            except ValueError:
                return QuestionVerdict(False, _word(self.lang, "bad-number"))
            correct = abs(value - float(question.answer)) <= question.tolerance
            feedback = _word(self.lang, "correct" if correct else "wrong-number", got=text.strip())
        if self.store is not None:
            self.store.record_answer(self.lesson.id, question.id, answer=text, correct=correct)
        return QuestionVerdict(correct, feedback, question.explanation if correct else "")

    def status_of(self, lesson_id: str, exercise_id: str) -> ExerciseStatus | None:
        """An exercise's status, or for a question "passed" once answered correctly.

        An item that moved from another lesson (`Lesson.moved_from`) keeps the record made
        under its old lesson: the better of the two counts (a pass is never lost).
        """
        status = self._recorded_status(lesson_id, exercise_id)
        lesson = self._course.lesson(lesson_id)
        former = lesson.moved_from.get(exercise_id) if lesson is not None else None
        if former is not None:
            before = self._recorded_status(former, exercise_id)
            status = max(status, before, key=lambda s: _STATUS_RANK.get(s, -1))
        return status

    def _recorded_status(self, lesson_id: str, exercise_id: str) -> ExerciseStatus | None:
        if self.store is None:
            return None
        record = self.store.exercise(lesson_id, exercise_id)
        if record is not None:
            status = str(record.status)
            return status if status in ("attempted", "passed", "revealed") else None  # type: ignore[return-value]
        answer = self.store.answers(lesson_id).get((lesson_id, exercise_id))
        if answer is not None:  # answered right once: passed, whatever came after
            return "passed" if answer.correct or answer.first_correct_at else "attempted"
        return None

    def lesson_done(self, lesson_id: str) -> tuple[int, int]:
        """(exercises and questions passed, their total) for a lesson."""
        lesson = self._course.lesson(lesson_id)
        if lesson is None:
            return (0, 0)
        ids = [e.id for e in lesson.exercises] + [q.id for q in lesson.questions]
        done = sum(1 for i in ids if self.status_of(lesson_id, i) == "passed")
        return done, len(ids)

    def course_done(self) -> tuple[int, int]:
        """(passed, total) over the whole course."""
        pairs = [self.lesson_done(lesson.id) for lesson in self._course.lessons]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def _answer_prediction(self, question: Question, text: str) -> QuestionVerdict:
        """Judge a prediction against the stored answer; the explanation comes either way
        (the learner is about to see the truth run)."""
        judged = judge_prediction(question, text, self.lang)
        facts = judged.facts
        if facts is None:
            return QuestionVerdict(False, judged.feedback)
        if self.store is not None:
            self.store.record_answer(
                self.lesson.id, question.id, answer=text, correct=facts.correct
            )
        return QuestionVerdict(facts.correct, judged.feedback, question.explanation, facts)

    async def run_prediction(self) -> CellResult | None:
        """Run the current predict question's code in the learner's kernel, after a verdict.

        Display only: the verdict came from the stored answer. The code is self-contained
        (the validator proves it), so TensorFlow's output here is the truth the verdict
        named. Recorded like a cell, so a replay restores any name it binds.
        """
        question = self.question
        if question is None or question.kind != "predict":
            return None
        await self.prepare()
        result = await self._run(question.code)
        if self.store is not None:
            self.store.record_cell(
                self.lesson.id, question.code, outcome=result.outcome, elapsed_ms=result.elapsed_ms
            )
        return result

    def listen(self, listener: StatusListener) -> None:
        self.kernel.add_listener(listener)

    # -- the learner's record itself -----------------------------------------------------
    def listen_store(self, listener: Callable[[StoreEvent], object]) -> None:
        """Hear what happens to the learner's record as it happens: a change not saved
        (and why), saving working again, a damaged file repaired. Called on the thread
        that made the change; `store_message` puts an event in the learner's words."""
        if self.store is not None:
            self.store.add_listener(listener)

    def store_notices(self) -> list[StoreEvent]:
        """What happened to the record before this session could say it (repaired, set
        aside, saving nothing), once: the frontend shows these when it opens."""
        return self.store.take_notices() if self.store is not None else []

    def _close_store(self) -> list[StoreEvent]:
        """Close the store, after one last try at saving what waits; returns what could
        not be saved."""
        if self.store is None:
            return []
        heard: list[StoreEvent] = []
        self.store.add_listener(heard.append)
        self.store.close()
        return [event for event in heard if event.kind == "lost"]

    def store_message(self, event: StoreEvent) -> str:
        """A store event as the learner reads it, in the session's language."""
        from tutor.progress.words import describe

        return describe(event, self.lang)

    def store_status(self) -> str | None:
        """A few words for a status bar while the record is not being saved, else None."""
        if self.store is None:
            return None
        from tutor.progress.words import health_label

        return health_label(self.store.health, self.lang)

    # -- the end of a lesson (both frontends show it before moving on) -------------------
    @property
    def at_lesson_end(self) -> bool:
        """Whether the current step is the lesson's last (moving on leaves the lesson)."""
        return self._step == len(self.lesson.steps) - 1

    @property
    def next_lesson(self) -> Lesson | None:
        """The lesson after this one, None at the end of the course."""
        index = self._lesson_index + 1
        return self._course.lessons[index] if index < len(self._course.lessons) else None

    def lesson_summary(self, lesson_id: str | None = None) -> LessonSummary:
        """What passed in a lesson (the current one by default) and the help used."""
        lesson_id = lesson_id or self.lesson.id
        passed, total = self.lesson_done(lesson_id)
        hints = sum(n for key, n in self._hints.items() if key.split("/", 1)[0] == lesson_id)
        lesson = self._course.lesson(lesson_id)
        exercises = lesson.exercises if lesson is not None else ()
        revealed = sum(1 for e in exercises if self.status_of(lesson_id, e.id) == "revealed")
        return LessonSummary(passed, total, hints, revealed)


def open_session(options: Options) -> Session:
    """The real session for a frontend: the course, the learner's store, a kernel (not started)."""
    from tutor.curriculum.loader import load_course
    from tutor.kernel.client import KernelClient
    from tutor.progress import ProgressStore

    store = ProgressStore.open()
    lang = options.lang
    course = load_course(lang)
    kernel = KernelClient(device=options.device, timeout=options.timeout)
    return Session(course, kernel, store, lesson=options.lesson)


def _bound_in_order(code: str) -> list[str]:
    """Top-level names in the order the code binds them (for the card's list of givens)."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    order: list[str] = []
    for node in tree.body:
        for child in ast.walk(node):
            name = None
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                name = child.id
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = child.name
            if name is not None and name not in order:
                order.append(name)
    return order
