"""run_check in-process with real TensorFlow, on real exercise specs.

Each test plays the kernel: it runs the lesson's setup, the exercise's setup and the
learner's code in one namespace, then calls `run_check` as the kernel's `check`
request does.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")
np = pytest.importorskip("numpy")

from tutor.kernel.worker.checking import run_check  # noqa: E402

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


def fresh_namespace() -> dict[str, Any]:
    return {"__name__": "__main__", "__builtins__": __builtins__, "tf": tf, "np": np, "plot": None}


def check(spec: dict[str, Any], code: str, **changes: Any) -> dict[str, Any]:
    """The kernel's part: setups and the learner's code in one namespace, then the check."""
    spec = {**spec, **changes}
    namespace = fresh_namespace()
    exec(spec.get("lesson_setup") or "", namespace)
    exec(spec.get("setup") or "", namespace)
    with contextlib.suppress(Exception):  # a failed cell: the check must still say something
        exec(code, namespace)
    return run_check(spec, code, namespace, fresh_namespace=fresh_namespace)


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


def test_random_setup_is_compared_on_the_learners_draw() -> None:
    spec = {
        **MATMUL,
        "lesson_setup": "",
        "setup": "A = tf.random.normal((5, 4))\nB = tf.random.normal((4, 3))\n",
    }
    assert check(spec, "C = tf.matmul(A, B)")["passed"]
    assert check(spec, "C = tf.matmul(A, B) * 3")["diagnosis"] == "factor"


def test_a_constant_typed_in_fails_after_fresh() -> None:
    namespace = fresh_namespace()
    exec(MATMUL["lesson_setup"] + MATMUL["setup"] + "C = A @ B", namespace)
    typed = "C = tf.constant(" + repr(namespace["C"].numpy().tolist()) + ")"
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


def test_the_check_does_not_change_the_learners_values() -> None:
    spec = {
        **MATMUL,
        "setup": "B = tf.Variable(tf.ones((4, 3)))\n",
        "solution": "B.assign(B * 2)\nC = A @ B\n",
    }
    code = "B.assign(B + 1)\nC = A @ (B * 2)"
    namespace = fresh_namespace()
    exec(spec["lesson_setup"] + spec["setup"] + code, namespace)
    before = namespace["B"].numpy().copy()
    result = run_check({**spec, "fresh": None}, code, namespace, fresh_namespace=fresh_namespace)
    assert result["passed"], result
    np.testing.assert_array_equal(namespace["B"].numpy(), before)


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
