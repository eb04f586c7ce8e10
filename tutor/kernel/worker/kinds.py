"""What grading does for each exercise kind, keyed by the names of tutor.curriculum.kinds.

The worker imports nothing of the curriculum: it runs in the sandbox, and the spec it
grades arrives as plain data whose `kind` names one of these rows. The curriculum's kind
classes say what a lesson may write and how the validator proves it; a row here says the
two things the grader does differently. A test keeps both tables' names equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grading:
    """How the grader treats one kind of exercise."""

    #: The answer is a function: the grader computes the solution's results on the
    #: exercise's `inputs` (reference), the answer fork calls the learner's function on
    #: the same arguments (answer), and each call's result is compared (judge). Otherwise
    #: the values of the exercise's names are compared, and a mistake's `got` is the
    #: first name's value.
    calls: bool = False
    #: The values are gradients: a None among them is `grad-none` with the reason the
    #: answer fork finds, and `constant` on a fresh re-draw.
    gradients: bool = False


#: Every kind the grader knows, by the name the spec gives.
GRADING: dict[str, Grading] = {
    "value": Grading(),
    "function": Grading(calls=True),
    "gradient": Grading(gradients=True),
}


def grading_of(kind: object) -> Grading:
    """The row of `kind` (a spec without a kind, or with one the worker does not know, is
    graded as a value exercise: the reader already rejects unknown kinds)."""
    return GRADING.get(str(kind or "value"), GRADING["value"])
