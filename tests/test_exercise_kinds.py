"""The exercise kinds: one class each in tutor.curriculum.kinds, one grading row each in
the worker, the same names in both, and the rules each kind owns."""

from __future__ import annotations

import subprocess
import sys

from tutor.curriculum.kinds import KINDS, Proof, kind_named
from tutor.curriculum.model import ExerciseSpec, RightAnswer, WrongAnswer
from tutor.kernel.worker.kinds import GRADING, grading_of


def test_the_worker_grades_every_kind_the_curriculum_has() -> None:
    assert list(GRADING) == list(KINDS)


def test_each_kind_says_what_it_compares() -> None:
    assert grading_of("function").calls and not grading_of("function").gradients
    assert grading_of("gradient").gradients and not grading_of("gradient").calls
    assert grading_of("value") == grading_of(None) == grading_of("unknown")


def test_the_kinds_import_nothing_above_the_curriculum() -> None:
    code = (
        "import sys, tutor.curriculum.kinds, tutor.curriculum.model;"
        "print(' '.join(m for m in sys.modules if m.startswith(('tutor', 'tensorflow'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "tutor.curriculum.kinds.function" in loaded
    assert all(m.split(".")[:2] in (["tutor"], ["tutor", "curriculum"]) for m in loaded), loaded


def test_a_function_exercise_names_one_function_and_has_inputs() -> None:
    function = kind_named("function")
    assert function.toml_problems({"inputs": "[(1,)]"}, ("f",)) == []
    keys = [key for key, _ in function.toml_problems({}, ("f", "g"))]
    assert keys == ["names", None]
    spec = ExerciseSpec(id="f", kind="function", names=("f",), solution="def f(x): return x")
    assert [m for _, m in function.spec_problems(spec)] == [
        "is a function exercise without `inputs`"
    ]
    assert kind_named("value").toml_problems({}, ("a", "b")) == []


def test_the_validator_runs_every_listed_answer_in_order() -> None:
    spec = ExerciseSpec(
        id="c",
        kind="gradient",
        names=("g",),
        solution="g = 1",
        starter="g = None",
        right=(RightAnswer("g = 1.0"),),
        wrong=(WrongAnswer("g = 2", "factor"), WrongAnswer("g = -1", "sign")),
    )
    proofs = spec.exercise_kind.proofs(spec)
    assert [(p.key, p.index, p.passes, p.diagnosis) for p in proofs] == [
        ("solution", 0, True, None),
        ("starter", 0, False, None),
        ("right", 0, True, None),
        ("wrong", 0, False, "factor"),
        ("wrong", 1, False, "sign"),
    ]
    assert proofs[3] == Proof(
        "wrong", 0, "wrong answer 1", "g = 2", passes=False, diagnosis="factor",
        counts="wrong_answers",
    )  # fmt: skip
