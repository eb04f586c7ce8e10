"""`kind = "function"`: the learner defines one function; its results are compared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tutor.curriculum.kinds.base import ExerciseKind, KindProblem

if TYPE_CHECKING:
    from tutor.curriculum.model import ExerciseSpec


class FunctionKind(ExerciseKind):
    """The one function `names` names, called on the argument tuples `inputs` gives
    (evaluated with the grader's seeds), each result compared with the solution's; a
    name bound to something else is `not-callable`."""

    def toml_problems(self, table: Mapping[str, Any], names: tuple[str, ...]) -> list[KindProblem]:
        problems: list[KindProblem] = []
        if len(names) > 1:
            problems.append(("names", "a function exercise names exactly one function"))
        if "inputs" not in table:
            problems.append(
                (None, "a function exercise needs 'inputs' (a list of argument tuples)")
            )
        return problems

    def spec_problems(self, spec: ExerciseSpec) -> list[KindProblem]:
        if not (spec.inputs or "").strip():
            return [(None, "is a function exercise without `inputs`")]
        return []
