"""The engine: one learner, one lesson, one kernel, one progress store.

Both frontends (Textual and `--plain`) are thin views over a `Session`: every piece of
tutoring logic (which exercise a cell touches, when to check, what a hint or a
solution costs, what to replay after a restart) lives here, once.

The frontends call the async methods from their event loop and show what comes back;
they subscribe to `Session.listen` for kernel status changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from tutor.curriculum.model import Course, Exercise, Lesson, Question, Step
from tutor.kernel.protocol import CellResult, CheckResult

if TYPE_CHECKING:
    from tutor.kernel.api import Kernel, StatusListener
    from tutor.progress import ProgressStore

ExerciseStatus = Literal["attempted", "passed", "revealed"]


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
class ReplayReport:
    """What replaying the lesson's earlier cells did."""

    replayed: int
    skipped: int
    failed: int
    elapsed_ms: float
    notes: tuple[str, ...] = ()


@dataclass
class Position:
    """Where the learner is: a lesson and a step in it."""

    lesson: str
    step: int = 0


@dataclass
class _LessonState:
    hints_shown: dict[str, int] = field(default_factory=dict)


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
        raise NotImplementedError  # filled in by the session work; see the docstrings

    # -- where the learner is ---------------------------------------------------------
    @property
    def course(self) -> Course: ...
    @property
    def lesson(self) -> Lesson: ...
    @property
    def step_index(self) -> int: ...
    @property
    def step(self) -> Step: ...
    @property
    def exercise(self) -> Exercise | None:
        """The current step's exercise."""
        ...

    @property
    def question(self) -> Question | None: ...

    async def goto(self, lesson_id: str, step: int = 0) -> None:
        """Open a lesson (running its setup in the kernel) at a step."""
        ...

    async def next_step(self) -> bool:
        """Move on (into the next lesson after the last step); False at the very end."""
        ...

    async def prev_step(self) -> bool: ...

    def set_language(self, course: Course) -> None:
        """Switch to the same lesson and step in another language's course."""
        ...

    # -- the evaluator ------------------------------------------------------------------
    async def run_cell(self, code: str) -> CellReport:
        """Run a cell; check the current exercise when the cell assigned one of its names."""
        ...

    async def check(self) -> CheckResult | None:
        """Check the current exercise on demand (None when the step has none)."""
        ...

    async def complete(self, text: str) -> list[str]: ...

    async def interrupt(self) -> None: ...

    async def restart_kernel(self) -> None: ...

    async def replay(self) -> ReplayReport:
        """Re-run the lesson's earlier successful cells to restore the learner's names."""
        ...

    # -- help, answers, records ---------------------------------------------------------
    def next_hint(self) -> str | None:
        """The next hint of the current exercise or question, or None when all are shown."""
        ...

    def reveal_solution(self) -> str | None:
        """The solution's code (recorded as revealed); None when the step has no exercise."""
        ...

    def answer(self, text: str) -> QuestionVerdict:
        """Answer the current question: an option number (1-based) or letter, or a number."""
        ...

    def status_of(self, lesson_id: str, exercise_id: str) -> ExerciseStatus | None: ...

    def lesson_done(self, lesson_id: str) -> tuple[int, int]:
        """(exercises and questions passed, their total) for a lesson."""
        ...

    def listen(self, listener: StatusListener) -> None: ...
