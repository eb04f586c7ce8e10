"""The exercise kinds: one class per kind, one module each, and the table of them.

A new kind is a module here and a line in `KINDS` (plus, when the grader must compare
something new, a row in `tutor.kernel.worker.kinds`).
"""

from __future__ import annotations

from tutor.curriculum.kinds.base import ExerciseKind, KindProblem, Proof
from tutor.curriculum.kinds.function import FunctionKind
from tutor.curriculum.kinds.gradient import GradientKind
from tutor.curriculum.kinds.value import ValueKind

#: Every exercise kind by the name lesson.toml (`kind = "..."`) and the grader's wire give
#: it, in the order messages list them.
KINDS: dict[str, ExerciseKind] = {
    "value": ValueKind(),
    "function": FunctionKind(),
    "gradient": GradientKind(),
}


def kind_named(name: str) -> ExerciseKind:
    """The kind called `name` (KeyError for a name no kind has: the reader rejects those)."""
    return KINDS[name]


__all__ = ["KINDS", "ExerciseKind", "KindProblem", "Proof", "kind_named"]
