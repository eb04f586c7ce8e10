"""One answer checked from scratch: the lesson's setup, the exercise's setup, the code, the check.

`tutor check` and the validator both go through `check_answer`, and the tutor sends the
same request (`check_request`), so a verdict never depends on who asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.kernel.protocol import CellResult, CheckResult

if TYPE_CHECKING:
    from tutor.curriculum.model import ExerciseSpec
    from tutor.kernel.api import Kernel


def check_request(lesson_setup: str, spec: ExerciseSpec) -> dict[str, Any]:
    """The kernel's `check` request for an exercise, exactly as the tutor's session sends it.

    The lesson's setup travels inside the spec (`ExerciseSpec.to_wire(lesson_setup)`):
    the kernel needs it to compute the solution's value on the data the learner saw.
    """
    return spec.to_wire(lesson_setup)


@dataclass(frozen=True)
class AnswerRun:
    """What checking one piece of code produced."""

    #: The lesson's and the exercise's setup cells (a failure there is the lesson's fault).
    setup: tuple[CellResult, ...]
    #: The learner's code, run as one cell.
    cell: CellResult
    check: CheckResult

    @property
    def cells(self) -> tuple[CellResult, ...]:
        """The learner's cell and whatever the check printed."""
        return (self.cell, *self.check.cells)


async def check_answer(
    kernel: Kernel, lesson_setup: str, spec: ExerciseSpec, code: str
) -> AnswerRun:
    """Run the setups and `code` in `kernel` (a fresh one), then the exercise's check."""
    setup: list[CellResult] = []
    source = "\n".join(part for part in (lesson_setup, spec.setup) if part.strip())
    if source:
        # One cell for both setups: a cell costs tens of milliseconds, the validator runs hundreds.
        result = await kernel.run_cell(source)
        setup.append(result)
        if not result.ok:
            error = result.error
            message = f"{error.type}: {error.message}" if error else result.outcome
            broken = CheckResult(
                passed=False,
                feedback="",
                diagnosis="check-error",
                details={"message": f"the setup failed: {message}"},
            )
            return AnswerRun(tuple(setup), CellResult(outcome="ok"), broken)
    cell = await kernel.run_cell(code)
    check = await kernel.check(check_request(lesson_setup, spec), code)
    return AnswerRun(tuple(setup), cell, check)
