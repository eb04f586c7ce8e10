"""Grading in-process with real TensorFlow, on real exercise specs.

Each test plays the three processes of a check (DESIGN.md, "Grading"): the grader's
reference values (`Reference`), the answer fork's re-run of the learner's code after the
exercise's givens (`run_answer`, its report checked as data as the supervisor does), and
the grader's verdict (`judge`). The forks themselves are tested in test_grading_forks.py.
"""

from __future__ import annotations

from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")
np = pytest.importorskip("numpy")

from tutor.kernel.grading import checked_answer  # noqa: E402
from tutor.kernel.worker.answer import run_answer  # noqa: E402
from tutor.kernel.worker.judge import judge  # noqa: E402
from tutor.kernel.worker.reference import LessonBroken, Reference  # noqa: E402

MATMUL: dict[str, Any] = {
    "id": "matmul",
    "kind": "value",
    "names": ["C"],
    "lesson_setup": "A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))\n",
    "setup": "B = tf.constant([[1.0, 0, 2], [0, 1, 1], [3, 1, 0], [1, 1, 1]])\n",
    "solution": "C = A @ B\n",
    "fresh": "A = tf.random.normal((5, 4))\nB = tf.random.normal((4, 3))\n",
    "dtype": None,
    "rtol": 1e-5,
    "atol": 1e-6,
    "inputs": None,
    "forbid": [],
    "mistakes": [],
}


def check(spec: dict[str, Any], code: str, **changes: Any) -> dict[str, Any]:
    """The grader's reference, the answer's re-run after the givens, then the verdict."""
    spec = {**spec, **changes}
    givens = (spec.get("lesson_setup") or "") + (spec.get("setup") or "")
    wire = {**spec, "givens": givens, "seed": 7}
    reference = Reference(wire)
    try:
        reference.prepare()
    except LessonBroken as broken:
        return {"passed": False, "diagnosis": "check-error", "details": {"message": str(broken)}}
    program = [
        {"givens": givens, "seed": 7, "fresh": spec.get("fresh"), "current": True},
        {"cell": code},
    ]
    answer = run_answer(
        {
            "program": program,
            "names": spec["names"],
            "kind": spec["kind"],
            "draws": reference.to_wire()["draws"],
        }
    )
    return judge(reference, checked_answer(answer), code)


def values_of(spec: dict[str, Any], code: str) -> dict[str, Any]:
    """The learner's values as the grader computes them on the givens (for typed-in answers)."""
    namespace = {"tf": tf, "np": np}
    tf.random.set_seed(7)
    np.random.seed(7)
    exec((spec.get("lesson_setup") or "") + (spec.get("setup") or "") + code, namespace)
    return namespace


@pytest.mark.parametrize(
    "code",
    [
        "C = A @ B",
        "C = tf.matmul(A, B)",
        "C = tf.tensordot(A, B, axes=1)",
        "C = tf.einsum('ij,jk->ik', A, B)",
        "C = tf.Variable(tf.matmul(A, B))",
        "C = (A @ B).numpy()",
        "C = A.numpy().astype('float64') @ B.numpy().astype('float64')",
        "C = tf.reduce_sum(A[:, :, None] * B[None, :, :], axis=1)",
    ],
)
def test_every_correct_way_passes(code: str) -> None:
    result = check(MATMUL, code)
    assert result["passed"], result
    assert result["diagnosis"] is None


@pytest.mark.parametrize(
    ("code", "diagnosis"),
    [
        ("C = tf.transpose(A @ B)", "transposed"),
        ("C = tf.cast(A @ B, tf.int32)", "dtype"),
        ("C = -(A @ B)", "sign"),
        ("C = 2 * (A @ B)", "factor"),
        ("C = (A @ B)[:, :2]", "shape"),
        ("C = tf.reshape(A @ B, (1, 5, 3))", "keepdims"),
        ("C = A @ B + 1", "values"),
        ("C = 'A @ B'", "type"),
        ("D = A @ B", "missing"),
        ("C = A @ tf.transpose(B)", "error"),
    ],
)
def test_wrong_answers_are_diagnosed(code: str, diagnosis: str) -> None:
    result = check(MATMUL, code)
    assert not result["passed"]
    assert result["diagnosis"] == diagnosis, result
    assert result["details"]["name"] == "C"


def test_details_carry_the_shapes_and_the_error() -> None:
    result = check(MATMUL, "C = (A @ B)[:, :2]")
    assert result["details"]["got_shape"] == [5, 2]
    assert result["details"]["expected_shape"] == [5, 3]
    error = check(MATMUL, "C = A @ tf.transpose(B)")
    assert error["details"]["type"] == "InvalidArgumentError"
    assert "{{" not in error["details"]["message"]


def test_elementwise_instead_of_matrix_product() -> None:
    spec = {
        **MATMUL,
        "lesson_setup": "",
        "setup": "A = tf.random.normal((3, 3))\nB = tf.random.normal((3, 3))\n",
    }
    result = check(spec, "C = A * B", fresh=None)
    assert result["diagnosis"] == "elementwise"
    assert result["details"]["got_op"] == "*"


def test_random_givens_are_the_same_draw_everywhere() -> None:
    spec = {
        **MATMUL,
        "lesson_setup": "",
        "setup": "A = tf.random.normal((5, 4))\nB = tf.random.normal((4, 3))\n",
    }
    assert check(spec, "C = tf.matmul(A, B)")["passed"]
    assert check(spec, "C = tf.matmul(A, B) * 3")["diagnosis"] == "factor"


def test_a_constant_typed_in_fails_after_fresh() -> None:
    typed = "C = tf.constant(" + repr(values_of(MATMUL, "C = A @ B")["C"].numpy().tolist()) + ")"
    result = check(MATMUL, typed)
    assert result["diagnosis"] == "constant", result
    assert check({**MATMUL, "fresh": None}, typed)["passed"]


def test_fresh_rerun_that_raises_is_an_error_in_the_fresh_phase() -> None:
    result = check(MATMUL, "C = A @ B\nassert float(A[0, 0]) == 0.0")
    assert result["diagnosis"] == "error"
    assert result["details"]["phase"] == "fresh"


WRONG_AXIS: dict[str, Any] = {
    **MATMUL,
    "names": ["col_sums"],
    "setup": "",
    "solution": "col_sums = tf.reduce_sum(A, axis=0)\n",
    "fresh": None,
}


def test_wrong_axis_names_the_axes() -> None:
    result = check(WRONG_AXIS, "col_sums = tf.reduce_sum(A, axis=1)")
    assert result["diagnosis"] == "wrong-axis"
    assert result["details"]["got_axis"] == 1
    assert result["details"]["expected_axis"] == 0
    assert result["details"]["op"] == "sum"


def test_missing_keepdims() -> None:
    result = check(WRONG_AXIS, "col_sums = tf.reduce_sum(A, axis=0, keepdims=True)")
    assert result["diagnosis"] == "keepdims"
    assert result["details"]["kept"] is True


def test_an_exercise_mistake_comes_before_the_built_in_diagnosis() -> None:
    spec = {
        **WRONG_AXIS,
        "mistakes": [
            {"id": "never", "when": "close(got, A)"},
            {"id": "summed-rows", "when": "close(got, tf.reduce_sum(A, axis=1))"},
        ],
    }
    assert check(spec, "col_sums = tf.reduce_sum(A, axis=1)")["diagnosis"] == "summed-rows"
    assert check(spec, "col_sums = tf.reduce_max(A, axis=0)")["diagnosis"] == "values"
    assert check(spec, "col_sums = tf.reduce_sum(A, axis=0)")["passed"]


def test_a_broken_mistake_expression_is_skipped() -> None:
    spec = {**WRONG_AXIS, "mistakes": [{"id": "broken", "when": "undefined_name > 1"}]}
    assert check(spec, "col_sums = tf.reduce_sum(A, axis=1)")["diagnosis"] == "wrong-axis"


SYMMETRIC: dict[str, Any] = {
    **MATMUL,
    "kind": "function",
    "names": ["is_symmetric"],
    "lesson_setup": "",
    "setup": "",
    "fresh": None,
    "solution": "def is_symmetric(M):\n    return tf.reduce_all(M == tf.transpose(M))\n",
    "inputs": (
        "[(m,) for m in (tf.random.normal((3, 3)), tf.random.normal((4, 4)))]"
        " + [(m + tf.transpose(m),) for m in (tf.random.normal((3, 3)),)]"
    ),
}


@pytest.mark.parametrize(
    "code",
    [
        "def is_symmetric(M):\n    return tf.reduce_all(M == tf.transpose(M))",
        "def is_symmetric(M):\n    return bool(np.array_equal(M.numpy(), M.numpy().T))",
        "is_symmetric = lambda M: tf.reduce_all(tf.equal(M, tf.transpose(M))).numpy()",
    ],
)
def test_function_passes_on_fresh_inputs(code: str) -> None:
    assert check(SYMMETRIC, code)["passed"]


def test_function_always_true_fails_on_a_random_input() -> None:
    result = check(SYMMETRIC, "def is_symmetric(M):\n    return True")
    assert result["diagnosis"] == "values"
    assert result["details"]["call"].startswith("is_symmetric(")


def test_function_that_returns_nothing_is_a_type_mistake() -> None:
    result = check(SYMMETRIC, "def is_symmetric(M):\n    M == tf.transpose(M)")
    assert result["diagnosis"] == "type"
    assert result["details"]["got_type"] == "NoneType"


def test_function_raising_and_not_callable() -> None:
    raising = check(SYMMETRIC, "def is_symmetric(M):\n    return M.T == M")
    assert raising["diagnosis"] == "error"
    assert raising["details"]["phase"] == "function"
    assert check(SYMMETRIC, "is_symmetric = True")["diagnosis"] == "not-callable"


DERIVATIVE: dict[str, Any] = {
    **MATMUL,
    "kind": "gradient",
    "names": ["dy"],
    "lesson_setup": "",
    "setup": "x = tf.Variable(0.7)\n",
    "fresh": "x = tf.Variable(tf.random.uniform(()) * 3)\n",
    "solution": "with tf.GradientTape() as t:\n    y = tf.sin(x)\ndy = t.gradient(y, x)\n",
    "forbid": ["cos"],
}


def test_gradient_computed_with_a_tape_passes() -> None:
    assert check(DERIVATIVE, DERIVATIVE["solution"])["passed"]


def test_forbidden_call_is_caught() -> None:
    result = check(DERIVATIVE, "dy = tf.math.cos(x)")
    assert result["diagnosis"] == "forbidden"
    assert result["details"]["forbidden"] == "cos"


def test_constant_derivative_fails_after_fresh() -> None:
    result = check(DERIVATIVE, f"dy = tf.constant({float(np.cos(0.7))!r})", forbid=[])
    assert result["diagnosis"] == "constant"


@pytest.mark.parametrize(
    ("setup", "code", "reason"),
    [
        (
            "x = tf.constant(0.7)\n",
            "with tf.GradientTape() as t:\n    y = tf.sin(x)\ndy = t.gradient(y, x)",
            "not-watched",
        ),
        (
            "x = tf.Variable(1)\n",
            "with tf.GradientTape() as t:\n    y = x * x\ndy = t.gradient(y, x)",
            "integer",
        ),
        (
            "x = tf.Variable(0.7)\n",
            "y = tf.sin(x)\nwith tf.GradientTape() as t:\n    z = 1.0\ndy = t.gradient(y, x)",
            "outside-tape",
        ),
        (
            "x = tf.Variable(0.7)\n",
            "with tf.GradientTape() as t:\n    y = tf.constant(np.sin(x.numpy()))\ndy = t.gradient(y, x)",
            "left-tensorflow",
        ),
    ],
)
def test_gradient_none_gives_the_likely_reason(setup: str, code: str, reason: str) -> None:
    result = check(
        DERIVATIVE, code, setup=setup, fresh=None, solution="dy = tf.cos(tf.cast(x, tf.float32))"
    )
    assert result["diagnosis"] == "grad-none", result
    assert result["details"]["reason"] == reason


def test_tape_used_twice_is_a_gradient_mistake() -> None:
    code = (
        "with tf.GradientTape() as t:\n    y = tf.sin(x)\n"
        "first = t.gradient(y, x)\ndy = t.gradient(y, x)"
    )
    result = check(DERIVATIVE, code)
    assert result["diagnosis"] == "grad-none"
    assert result["details"]["reason"] == "tape-used-twice"


def test_a_broken_solution_is_reported_as_the_lessons_fault() -> None:
    result = check(MATMUL, "C = A @ B", solution="C = A @ undefined")
    assert result["diagnosis"] == "check-error"
    assert "NameError" in result["details"]["message"]


def test_code_that_raised_after_binding_the_name_is_an_error() -> None:
    spec = {
        **MATMUL,
        "names": ["X_var"],
        "solution": "X_var = tf.Variable(A)\nX_var[1, 2].assign(9.0)\n",
        "fresh": None,
    }
    result = check(spec, "X_var = A\nX_var[1, 2] = 9.0")
    assert result["diagnosis"] == "error"
    assert result["details"]["type"] == "TypeError"


def test_a_mistake_sees_the_first_name_as_got() -> None:
    spec = {
        **MATMUL,
        "names": ["C", "D"],
        "solution": "C = A @ B\nD = C + 1\n",
        "fresh": None,
        "mistakes": [
            {"id": "forgot-one", "when": "close(got, A @ B) and close(answers['D'], got)"}
        ],
    }
    assert check(spec, "C = A @ B\nD = C")["diagnosis"] == "forgot-one"
    assert check(spec, "C = A @ B\nD = C + 2")["diagnosis"] == "values"


def test_forbid_sees_getattr_but_not_a_printed_word() -> None:
    assert check(DERIVATIVE, "dy = getattr(tf, 'cos')(x)")["diagnosis"] == "forbidden"
    passing = DERIVATIVE["solution"] + "print('cos')\n"
    assert check(DERIVATIVE, passing)["passed"]


DIE: dict[str, Any] = {
    **MATMUL,
    "id": "die",
    "names": ["freqs"],
    "lesson_setup": "",
    "setup": "",
    "fresh": None,
    "solution": (
        "rolls = tf.random.uniform((10000,), 0, 6, dtype=tf.int32)\n"
        "freqs = tf.reduce_mean(tf.one_hot(rolls, 6), axis=0)\n"
    ),
    "atol": 0.05,
    "rtol": 0.0,
    "require": ["random"],
}


def test_a_random_answer_must_be_simulated_not_typed_in() -> None:
    typed = check(DIE, "freqs = tf.constant([1 / 6] * 6)")
    assert not typed["passed"] and typed["diagnosis"] == "constant"
    assert typed["details"]["required"] == "random"
    simulated = check(
        DIE, "r = np.random.randint(0, 6, 10000)\nfreqs = np.bincount(r, minlength=6) / 10000"
    )
    assert simulated["passed"], simulated


def test_computed_but_only_right_for_the_data_shown_is_not_called_typed_in() -> None:
    partial = check(MATMUL, "C = A @ tf.constant([[1.0, 0, 2], [0, 1, 1], [3, 1, 0], [1, 1, 1]])")
    assert not partial["passed"] and partial["diagnosis"] == "constant"
    assert partial["details"].get("followed_data") is True
    a = np.arange(20, dtype=np.float32).reshape(5, 4)
    b = np.array([[1.0, 0, 2], [0, 1, 1], [3, 1, 0], [1, 1, 1]], dtype=np.float32)
    typed = check(MATMUL, f"C = tf.constant({(a @ b).tolist()})")
    assert typed["diagnosis"] == "constant" and "followed_data" not in typed["details"]


# -- exercises check the skill they name (issue 11, item 5) -------------------------------

SIN_WITH_A_TAPE: dict[str, Any] = {**DERIVATIVE, "skill": "tape", "forbid": ["cos"]}


@pytest.mark.parametrize(
    "code",
    [
        "dy = tf.sin(x + np.pi / 2)",
        "dy = tf.sin(tf.constant(np.pi / 2) + x)",
        "dy = tf.math.sin(x + 1.5707963267948966)",
    ],
)
def test_an_answer_without_the_tape_asked_for_fails_and_says_so(code: str) -> None:
    result = check(SIN_WITH_A_TAPE, code)
    assert not result["passed"] and result["diagnosis"] == "tape-required", result


def test_hand_derivatives_fail_where_a_tape_is_asked_for() -> None:
    spec = {
        **MATMUL,
        "kind": "gradient",
        "names": ["x_grad"],
        "lesson_setup": "",
        "setup": "x = tf.Variable(tf.range(4, dtype=tf.float32))\n",
        "fresh": "x = tf.Variable(tf.random.normal((4,)))\n",
        "solution": "with tf.GradientTape() as t:\n    y = 2 * tf.tensordot(x, x, axes=1)\nx_grad = t.gradient(y, x)\n",
        "skill": "tape",
    }
    assert check(spec, "x_grad = 4 * x")["diagnosis"] == "tape-required"
    assert check(spec, spec["solution"])["passed"]


# -- random answers: tolerances from the standard error (item 5) ----------------------------

DIE_RANDOM: dict[str, Any] = {
    **DIE,
    "require": ["random"],
    "random": {
        "expected": "tf.ones(6) / 6",
        "stderr": "tf.sqrt(expected * (1 - expected) / 10000)",
    },
}


def test_a_fair_simulation_passes_and_a_biased_die_fails() -> None:
    fair = "r = np.random.randint(0, 6, 10000)\nfreqs = np.bincount(r, minlength=6) / 10000"
    assert check(DIE_RANDOM, fair)["passed"]
    biased = (
        "p = np.array([0.21, 0.21, 0.145, 0.145, 0.145, 0.145])\n"
        "r = np.random.choice(6, size=10000, p=p)\n"
        "freqs = np.bincount(r, minlength=6) / 10000"
    )
    result = check(DIE_RANDOM, biased)
    assert result["diagnosis"] == "random", result
    assert result["details"]["index"] in ([0], [1])


def test_the_random_rule_fails_a_fair_die_less_than_once_in_10000_checks() -> None:
    """Drawn, not assumed: 200,000 fair simulations of 10,000 rolls, judged by the rule."""
    from tutor.kernel.worker.judge import random_tolerance

    rng = np.random.default_rng(2026)
    p = np.full(6, 1 / 6)
    allowed = random_tolerance(np.sqrt(p * (1 - p) / 10_000))
    checks = 200_000
    freqs = rng.multinomial(10_000, p, size=checks) / 10_000
    failures = int(np.count_nonzero(np.any(np.abs(freqs - p) > allowed, axis=1)))
    assert failures <= 2 * checks / 10_000, failures  # expected ≤ 20: the rule's own bound
    biased = rng.multinomial(10_000, [0.21, 0.21, 0.145, 0.145, 0.145, 0.145], size=10_000)
    caught = np.any(np.abs(biased / 10_000 - p) > allowed, axis=1)
    assert caught.all()


# -- a diagnosis names the real mistake or none (item 6) ------------------------------------

POWER_RULE: dict[str, Any] = {
    **MATMUL,
    "names": ["slope"],
    "lesson_setup": "",
    "setup": "x0 = 4.0\n",
    "fresh": None,
    "solution": "slope = 0.5 * x0 ** -0.5\n",
}


def words(result: dict[str, Any]) -> str:
    from tutor.feedback import builtin_words

    return builtin_words(result["diagnosis"], result["details"], "en")


def test_precedence_is_not_called_a_factor() -> None:
    result = check(POWER_RULE, "slope = 0.5 * x0 ** -1/2")
    assert result["diagnosis"] == "values", result
    said = words(result)
    assert "0.0625" in said and "0.25" in said and "mean" not in said


def test_dividing_by_the_l1_norm_is_not_a_factor() -> None:
    spec = {**POWER_RULE, "names": ["g"], "setup": "x = tf.constant([3.0, 4.0])\n",
            "solution": "g = x / tf.norm(x)\n"}  # fmt: skip
    result = check(spec, "g = x / tf.reduce_sum(tf.abs(x))")
    assert result["diagnosis"] == "values", result


def test_bayes_without_the_false_positives_shows_the_expected_value() -> None:
    spec = {
        **POWER_RULE,
        "names": ["post"],
        "setup": "p_d = 0.0015\np_pos_given_d = 1.0\np_pos_given_healthy = 0.01\n",
        "solution": (
            "post = p_pos_given_d * p_d / (p_pos_given_d * p_d + p_pos_given_healthy * (1 - p_d))\n"
        ),
    }
    result = check(spec, "post = p_pos_given_d * p_d / (p_pos_given_d * p_d)")
    assert result["diagnosis"] == "values", result
    assert "0.1306" in words(result) or "0.130" in words(result)
    joint = check(spec, "post = p_pos_given_d * p_d")
    assert joint["diagnosis"] == "conditional"  # the joint where the conditional is asked


@pytest.mark.parametrize("code", ["o = tf.ones(2, 2)", "o = 1"])
def test_shape_and_dtype_both_wrong_are_both_said(code: str) -> None:
    spec = {**POWER_RULE, "names": ["o"], "setup": "", "solution": "o = tf.ones((2, 2))\n",
            "dtype": "float32"}  # fmt: skip
    result = check(spec, code)
    assert result["diagnosis"] == "dtype"
    said = words(result)
    assert "(2, 2)" in said and "shape" in said and "dtype" in said, said


def test_a_bitcast_is_not_a_factor_and_squared_probabilities_are_not_a_mean() -> None:
    cast = {**POWER_RULE, "names": ["xf"], "setup": "x = tf.range(5)\n",
            "solution": "xf = tf.cast(x, tf.float32)\n"}  # fmt: skip
    result = check(cast, "xf = tf.bitcast(x, tf.float32)")
    assert result["diagnosis"] == "values", result
    moments = {**POWER_RULE, "names": ["e_x2"],
               "setup": "faces = tf.range(1, 7, dtype=tf.float32)\npmf = tf.ones(6) / 6\n",
               "solution": "e_x2 = tf.reduce_sum(faces ** 2 * pmf)\n"}  # fmt: skip
    result = check(moments, "e_x2 = tf.reduce_sum(faces ** 2 * pmf ** 2)")
    assert result["diagnosis"] == "values"
    said = words(result)
    assert "15.1667" in said and "6 times" in said and "mean" not in said, said


def test_an_array_scaled_by_a_whole_factor_is_still_a_factor() -> None:
    assert check(MATMUL, "C = 2 * (A @ B)")["diagnosis"] == "factor"


# -- beside: the tape's value set beside a hand derivative ----------------------------------


def test_after_a_pass_the_beside_value_comes_with_the_learners() -> None:
    spec = {
        **POWER_RULE,
        "beside": (
            "x = tf.Variable(x0)\nwith tf.GradientTape() as t:\n    y = tf.sqrt(x)\n"
            "beside = t.gradient(y, x)\n"
        ),
    }
    result = check(spec, "slope = 1 / (2 * tf.sqrt(x0))")
    assert result["passed"]
    assert result["details"]["beside"] == "0.25" and result["details"]["yours"] == "0.25"


def test_the_lessons_die_exercise_catches_a_biased_die_and_passes_a_fair_one() -> None:
    from tutor.curriculum.loader import load_course

    lesson = load_course("en").lesson("probability")
    assert lesson is not None
    exercise = lesson.exercise("die-frequencies")
    assert exercise is not None
    spec = {**exercise.spec.to_wire(lesson.setup), "lesson_setup": lesson.setup, "setup": ""}
    biased = (
        "rolls = tf.random.categorical(tf.math.log([[0.21, 0.21, 0.145, 0.145, 0.145, 0.145]]),"
        " 10000)[0]\nfreqs = tf.cast(tf.math.bincount(tf.cast(rolls, tf.int32), minlength=6),"
        " tf.float32) / 10000"
    )
    assert check(spec, biased)["diagnosis"] == "random"
    fair = "r = np.random.randint(0, 6, 10000)\nfreqs = np.bincount(r, minlength=6) / 10000"
    assert check(spec, fair)["passed"]


def test_a_nan_is_said_as_nan() -> None:
    result = check(MATMUL, "C = (A @ B) * float('nan')")
    assert result["diagnosis"] == "values"
    assert result["details"]["got_at"] == "nan"
    assert "nan" in words(result)


def lesson_spec(lesson_id: str, exercise_id: str) -> dict[str, Any]:
    from tutor.curriculum.loader import load_course

    lesson = load_course("en").lesson(lesson_id)
    assert lesson is not None
    exercise = lesson.exercise(exercise_id)
    assert exercise is not None
    wire = exercise.spec.to_wire(lesson.setup)
    return {**wire, "lesson_setup": lesson.setup + "\n", "setup": exercise.spec.setup}


def test_an_intercept_right_only_at_x0_1_names_x0_left_out() -> None:
    spec = lesson_spec("derivatives", "tangent-line")
    code = "slope = 3 * x0 ** 2 + 1 / x0 ** 2\nintercept = g(x0) - slope"
    assert check(spec, code)["diagnosis"] == "x0-left-out"
