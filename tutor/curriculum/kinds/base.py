"""What an exercise kind is: the one class that says what the learner binds, what its
`[[exercise]]` table needs, how it is graded and how the validator proves it.

A kind says *what is compared*. Everything else an exercise can carry — a `starter` to fix
(fix-the-code), `fresh` re-draws, `dtype`, tolerances, `forbid`, `require`, its own
mistakes, `skill = "tape"`, `[exercise.beside]`, `[exercise.random]` — is an option any
kind takes: it changes what is checked around the comparison, not the comparison, so it
lives on `ExerciseSpec` and is read by the grader whatever the kind.

Grading runs in the sandboxed worker, which imports nothing of the curriculum (this layer
imports nothing above it, and the worker must stay small): the spec travels as plain data
naming its kind, and `tutor.kernel.worker.kinds` holds the worker's row for each name —
what the grader computes and what an answer fork collects. A test keeps the two tables'
names equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.curriculum.model import ExerciseSpec

#: A problem a kind finds: the `lesson.toml` key it is about (None: the whole
#: `[[exercise]]` table) and the message.
KindProblem = tuple[str | None, str]


@dataclass(frozen=True)
class Proof:
    """One answer the validator runs on an exercise, and what it must come to."""

    #: The `lesson.toml` key the answer comes from (where a failure points).
    key: str
    #: 0-based among the answers of its key (a key may list several).
    index: int
    #: How messages name it: "the solution", "wrong answer 2".
    label: str
    code: str
    #: True: must pass; False: must fail (with `diagnosis`, when one is named).
    passes: bool
    diagnosis: str | None = None
    #: The `Tally` count a proof that holds adds to.
    counts: str = "solutions"


class ExerciseKind:
    """One kind of exercise. Each kind is a subclass in its own module, listed in
    `tutor.curriculum.kinds.KINDS`; the defaults here fit a kind that compares values."""

    def toml_problems(self, table: Mapping[str, Any], names: tuple[str, ...]) -> list[KindProblem]:
        """What is wrong with an `[[exercise]]` table of this kind (read by the TOML reader;
        the keys every kind shares are checked there)."""
        return []

    def spec_problems(self, spec: ExerciseSpec) -> list[KindProblem]:
        """What the validator proves of a loaded spec without running it; a message
        follows "exercise `id`"."""
        return []

    def proofs(self, spec: ExerciseSpec) -> list[Proof]:
        """The answers the validator runs, in order: the solution and every right answer
        pass, the starter (fix-the-code) and every wrong answer fail, each wrong answer
        with the diagnosis it names."""
        proofs = [Proof("solution", 0, "the solution", spec.solution, passes=True)]
        if spec.starter is not None and spec.starter.strip():
            proofs.append(
                Proof("starter", 0, "the starter", spec.starter, passes=False, counts="starters")
            )
        proofs.extend(
            Proof("right", i, f"right answer {i + 1}", r.code, passes=True)
            for i, r in enumerate(spec.right)
        )
        proofs.extend(
            Proof(
                "wrong",
                i,
                f"wrong answer {i + 1}",
                w.code,
                passes=False,
                diagnosis=w.diagnosis,
                counts="wrong_answers",
            )
            for i, w in enumerate(spec.wrong)
        )
        return proofs
