"""The engine: one learner, one lesson, one kernel, one progress store.

Both frontends (Textual and `--plain`) are thin views over a `Session`: every piece of
tutoring logic (which exercise a cell touches, when to check, what a hint or a
solution costs, what to replay after a restart) lives here, once.

The frontends call the async methods from their event loop and show what comes back;
they subscribe to `Session.listen` for kernel status changes.
"""

from __future__ import annotations

import ast
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tutor.curriculum.model import Course, Exercise, Lesson, Question, Step
from tutor.kernel.protocol import CellResult, CheckResult, VariableView
from tutor.setup_code import filling_setup

if TYPE_CHECKING:
    from tutor.kernel.api import Kernel, StatusListener
    from tutor.options import Options
    from tutor.progress import ProgressStore

log = logging.getLogger(__name__)

ExerciseStatus = Literal["attempted", "passed", "revealed"]

#: Cells that took longer than this are not replayed (and the learner is told).
REPLAY_SLOW_MS = 2000.0

_WORDS = {
    "en": {
        "correct": "Correct.",
        "wrong-choice": "Not ({letter}) {option}. Try another option.",
        "wrong-number": "Not quite: {got} is not the expected value. Try again.",
        "bad-choice": "Answer with an option's number (1-{n}) or letter (a-{last}).",
        "bad-number": "Answer with a number, e.g. 0.25.",
        "no-question": "There is no question on this step.",
        "slow": "skipped a cell that took {s:.1f} s: {code}",
        "failed": "a replayed cell failed: {code} ({why})",
    },
    "zh": {
        "correct": "回答正确。",
        "wrong-choice": "不是（{letter}）{option}。再试另一个选项。",
        "wrong-number": "还不对：{got} 不是预期的值。再试一次。",
        "bad-choice": "请用选项的编号（1-{n}）或字母（a-{last}）作答。",
        "bad-number": "请输入一个数，例如 0.25。",
        "no-question": "这一步没有问题。",
        "slow": "跳过了一个耗时 {s:.1f} 秒的单元：{code}",
        "failed": "重放的单元出错：{code}（{why}）",
    },
}


def _word(lang: str, key: str, **values: Any) -> str:
    words = _WORDS.get(lang, _WORDS["en"])
    return words[key].format(**values)


@dataclass(frozen=True)
class CellReport:
    """A cell's result and, when the cell touched the current exercise, its check."""

    result: CellResult
    check: CheckResult | None = None
    #: The exercise the check was for.
    exercise_id: str | None = None


@dataclass(frozen=True)
class QuestionVerdict:
    """The answer to a question, judged."""

    correct: bool
    feedback: str
    explanation: str = ""


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


def names_bound_by(code: str) -> set[str]:
    """The names a cell binds at any depth (assignments, defs, imports, for targets)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def names_read_by(code: str) -> set[str]:
    """The names a cell reads (loads) at any depth."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def slice_cells(cells: list[str], targets: set[str]) -> list[str]:
    """The cells that compute `targets`: the last cell binding each, and what those read.

    The check re-runs the learner's answer on fresh data; cells that only explored
    (printed, inspected, used names from other steps) are left out so they cannot make a
    correct answer fail.
    """
    needed = set(targets)
    kept: list[str] = []
    for code in reversed(cells):
        bound = names_bound_by(code)
        if bound & needed:
            kept.append(code)
            needed = (needed - bound) | names_read_by(code)
    return list(reversed(kept))


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
        kernel.lang = course.lang
        self.store = store
        saved = store.position() if store is not None else None
        lesson_id, step = (lesson, 0) if lesson else (saved or (course.lessons[0].id, 0))
        index = course.index(lesson_id)
        if index < 0:
            index, step = 0, 0
        self._lesson_index = index
        self._step = max(0, min(step, len(course.lessons[index].steps) - 1))
        self._prepared_pid: int | None = None
        self._prepared_setups: set[str] = set()
        self._exercise_cells: list[str] = []
        self._hints: dict[str, int] = {}
        #: The namespace as the inspector shows it, after the last thing that ran.
        self.variables: tuple[VariableView, ...] = ()

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
            self._prepared_setups.clear()
            self.variables = ()
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
            self._exercise_cells = []
        self._step = step
        if self.store is not None:
            self.store.set_position(self.lesson.id, step)

    def set_language(self, course: Course) -> None:
        """Switch to the same lesson and step in another language's course."""
        lesson_id, step = self.lesson.id, self._step
        index = course.index(lesson_id)
        self._course = course
        self.kernel.lang = course.lang
        self._lesson_index = max(index, 0)
        self._step = max(0, min(step, len(self.lesson.steps) - 1))
        if self.store is not None:
            self.store.set_preference("lang", course.lang)

    async def prepare(self) -> None:
        """Run the lesson's setup and the current exercise's setup in the kernel, once each.

        Called on every move and before every cell; cheap when nothing is to do. A new
        kernel (after a restart or crash) gets the setups again.
        """
        info = self.kernel.info
        pid = info.pid if info is not None else None
        if pid is None or pid != self._prepared_pid:
            self._prepared_setups.clear()
            self._prepared_pid = pid
        wanted = []
        if self.lesson.setup.strip():
            wanted.append(("lesson", self.lesson.setup))
        exercise = self.exercise
        if exercise is not None and exercise.spec.setup.strip():
            wanted.append((f"exercise:{exercise.id}", filling_setup(exercise.spec.setup)))
        for key, code in wanted:
            if key in self._prepared_setups:
                continue
            result = await self._run(code)
            info = self.kernel.info
            self._prepared_pid = info.pid if info is not None else None
            if result.ok:
                self._prepared_setups.add(key)
            else:
                log.error("setup %s of %s failed: %s", key, self.lesson.id, result.error)

    # -- the evaluator ------------------------------------------------------------------
    async def run_cell(self, code: str) -> CellReport:
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
            self._prepared_pid = None  # a new kernel: setups must run again
        exercise = self.exercise
        if exercise is None or not result.ok:
            return CellReport(result)
        self._exercise_cells.append(code)
        if not names_bound_by(code) & set(exercise.spec.names):
            return CellReport(result)
        check = await self.check()
        return CellReport(result, check, exercise.id)

    async def check(self) -> CheckResult | None:
        """Check the current exercise on demand (None when the step has none)."""
        exercise = self.exercise
        if exercise is None:
            return None
        await self.prepare()
        code = "\n".join(slice_cells(self._exercise_cells, set(exercise.spec.names)))
        raw = await self.kernel.check(exercise.spec.to_wire(self.lesson.setup), code)
        result = CheckResult(
            passed=raw.passed,
            feedback=self._feedback(raw, exercise),
            diagnosis=raw.diagnosis,
            details=raw.details,
            cells=raw.cells,
        )
        if self.store is not None:
            self.store.record_attempt(self.lesson.id, exercise.id, code=code, passed=raw.passed)
        return result

    async def _run(self, code: str) -> CellResult:
        """Run code in the kernel and keep its namespace snapshot for the inspector."""
        result = await self.kernel.run_cell(code)
        if result.outcome in ("crashed", "killed") or result.execution_count:
            self.variables = result.variables
        return result

    def _feedback(self, check: CheckResult, exercise: Exercise) -> str:
        try:
            from tutor.feedback import feedback_for
        except ImportError:
            return check.feedback or ("" if check.passed else str(check.diagnosis))
        return feedback_for(check, exercise, self.lang)

    async def complete(self, text: str) -> list[str]:
        return await self.kernel.complete(text)

    async def interrupt(self) -> None:
        await self.kernel.interrupt()

    async def restart_kernel(self) -> None:
        self._prepared_pid = None
        self.variables = ()
        await self.kernel.restart()
        await self.prepare()

    async def close(self) -> None:
        """Stop the kernel and close the store (the learner's record is already saved)."""
        await self.kernel.close()
        if self.store is not None:
            self.store.close()

    def replayable_cells(self) -> int:
        """How many earlier cells of this lesson a replay would run."""
        if self.store is None:
            return 0
        return sum(1 for c in self.store.cells(self.lesson.id) if c.outcome == "ok")

    async def replay(self) -> ReplayReport:
        """Re-run the lesson's earlier successful cells to restore the learner's names."""
        started = time.perf_counter()
        await self.prepare()
        # the names earlier steps' exercises provided (the replayed cells may use them)
        for step in self.lesson.steps[: self._step + 1]:
            if step.exercise is not None and step.exercise.spec.setup.strip():
                await self._run(filling_setup(step.exercise.spec.setup))
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
                replayed += 1
            else:
                failed += 1
                why = f"{result.error.type}: {result.error.message}" if result.error else ""
                notes.append(_word(self.lang, "failed", code=first_line, why=why[:120]))
        return ReplayReport(
            replayed, skipped, failed, (time.perf_counter() - started) * 1000, tuple(notes)
        )

    # -- help, answers, records ---------------------------------------------------------
    def next_hint(self) -> str | None:
        """The next hint of the current exercise or question, or None when all are shown."""
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
        return hints[shown]

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
        """An exercise's status, or for a question "passed" once answered correctly."""
        if self.store is None:
            return None
        record = self.store.exercise(lesson_id, exercise_id)
        if record is not None:
            status = str(record.status)
            return status if status in ("attempted", "passed", "revealed") else None  # type: ignore[return-value]
        answer = self.store.answers(lesson_id).get((lesson_id, exercise_id))
        if answer is not None:
            return "passed" if answer.correct else "attempted"
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

    def listen(self, listener: StatusListener) -> None:
        self.kernel.add_listener(listener)

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
