"""What both frontends show of where the learner is: a step, and a hint asked for.

`Session.step_view()` and `Session.next_hint()` build these, so that the Textual tutor
and `tutor --plain` number lessons, steps and hints the same way and name the same
status; each frontend only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tutor.curriculum.model import Exercise, Lesson, Question, Step

#: What a step asks of the learner: to read, to solve an exercise, to answer a question.
StepKind = Literal["reading", "exercise", "question"]


@dataclass(frozen=True)
class StepView:
    """A step as the learner meets it: lesson n of N, step n of N, its task and status."""

    lesson: Lesson
    #: The lesson's place in the course (1-based) and the course's length.
    lesson_number: int
    lesson_total: int
    #: The step's place in the lesson (0-based).
    step_index: int
    #: The status of the step's exercise or question ("attempted", "passed",
    #: "revealed"), None while the learner has not tried it (or the step has no task).
    status: str | None
    #: "Given: `A` (5, 4) float32" for an exercise with givens, else None.
    givens: str | None

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.step_index]

    @property
    def step_number(self) -> int:
        """The step's place in the lesson (1-based)."""
        return self.step_index + 1

    @property
    def step_total(self) -> int:
        return len(self.lesson.steps)

    @property
    def exercise(self) -> Exercise | None:
        return self.step.exercise

    @property
    def question(self) -> Question | None:
        return self.step.question

    @property
    def kind(self) -> StepKind:
        if self.step.exercise is not None:
            return "exercise"
        return "question" if self.step.question is not None else "reading"


@dataclass(frozen=True)
class Hint:
    """A hint asked for: the `number`th of the task's `total` hints."""

    number: int
    total: int
    text: str
