"""One answer checked from scratch, as `tutor check` does it: the lesson opened at the
exercise's step (its setup and givens bound), the code run as a cell, then judged.

The verdict comes from the same place as the tutor's (`Session.check`, clean forks), so
it never depends on who asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.curriculum.model import Course
from tutor.kernel.protocol import CellResult, CheckResult
from tutor.session import Session

if TYPE_CHECKING:
    from tutor.curriculum.model import Exercise, Lesson
    from tutor.kernel.api import Kernel


@dataclass(frozen=True)
class AnswerRun:
    """What checking one piece of code produced."""

    #: The learner's code, run as one cell in a fresh kernel.
    cell: CellResult
    check: CheckResult

    @property
    def cells(self) -> tuple[CellResult, ...]:
        """The learner's cell."""
        return (self.cell, *self.check.cells)


async def check_answer(kernel: Kernel, lesson: Lesson, exercise: Exercise, code: str) -> AnswerRun:
    """Open the exercise's step in `kernel`, run `code`, and judge it."""
    session = Session(Course(lesson.lang, (lesson,)), kernel, None, lesson=lesson.id)
    step = session.step_of(lesson.id, exercise.id)
    await session.goto(lesson.id, step or 0)
    report = await session.run_cell(code, auto_check=False)
    check = await (session.check() if report.result.ok else session.judge(code))
    assert check is not None
    return AnswerRun(report.result, check)
