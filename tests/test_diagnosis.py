"""diagnose(): every listed mistake is recognised, and a right answer is never called wrong."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.kernel.worker.diagnosis import close, diagnose

RNG = np.random.default_rng(0)
A = RNG.normal(size=(5, 4)).astype(np.float32)
B = RNG.normal(size=(4, 3)).astype(np.float32)
S = RNG.normal(size=(3, 3)).astype(np.float32)
T = RNG.normal(size=(3, 3)).astype(np.float32)
x = RNG.normal(size=4).astype(np.float32)
y = RNG.normal(size=4).astype(np.float32)
JOINT = np.array([[0.10, 0.25], [0.30, 0.35]])
SOURCES = {"A": A, "B": B, "S": S, "T": T, "x": x, "y": y, "JOINT": JOINT}


def diagnosis_of(got: Any, expected: Any, **kwargs: Any) -> str | None:
    found = diagnose(got, np.asarray(expected), sources=SOURCES, **kwargs)
    return None if found is None else found.id


@pytest.mark.parametrize(
    ("got", "expected", "wanted"),
    [
        ("A @ B", "A @ B", None),
        ("(A @ B).T", "A @ B", "transposed"),
        ("S.T", "S", "transposed"),
        ("A.sum(axis=1)", "A.sum(axis=0)", "wrong-axis"),
        ("A.mean(axis=0)", "A.mean(axis=1)", "wrong-axis"),
        ("S.sum(axis=1)", "S.sum(axis=0)", "wrong-axis"),
        ("np.cumsum(S, axis=1)", "np.cumsum(S, axis=0)", "wrong-axis"),
        ("A.sum()", "A.sum(axis=0)", "wrong-axis"),
        ("A.sum(axis=1)", "A.sum(axis=1, keepdims=True)", "keepdims"),
        ("A.sum(axis=1, keepdims=True)", "A.sum(axis=1)", "keepdims"),
        ("S * T", "S @ T", "elementwise"),
        ("x * y", "np.dot(x, y)", "elementwise"),
        ("A * x", "A @ x", "elementwise"),
        ("S @ T", "S * T", "elementwise"),
        ("A.astype(np.int32)", "A.astype(np.int32).astype(np.float32)", "dtype"),
        ("-(A @ B)", "A @ B", "sign"),
        ("3 * (A @ B)", "A @ B", "factor"),
        ("A.sum(axis=0)", "A.mean(axis=0)", "factor"),
        ("np.float32(40.0)", "np.float32(2.0)", "values"),  # a scalar: both numbers, no cause
        ("JOINT", "JOINT / JOINT.sum(axis=0, keepdims=True)", "conditional"),
        ("JOINT[:, 1]", "JOINT[:, 1] / JOINT[:, 1].sum()", "conditional"),
        ("JOINT[1, 1]", "JOINT[1, 1] / JOINT[:, 1].sum()", "conditional"),
        ("A[:, :3]", "A", "shape"),
        ("A[:3]", "A[:2]", "shape"),
        ("A", "A[None]", "keepdims"),
        ("A[0]", "A", "rank"),
        ("A + 1", "A", "values"),
        ("np.float32(3.0)", "np.float32(5.0)", "values"),
        ("S > 0", "S < 0", "values"),
        ("None", "A", "type"),
        ("'A @ B'", "A @ B", "type"),
    ],
)
def test_each_mistake_is_recognised(got: str, expected: str, wanted: str | None) -> None:
    scope = {"np": np, **SOURCES, "JOINT": JOINT}
    assert diagnosis_of(eval(got, scope), eval(expected, scope)) == wanted


def test_joint_scalar_needs_the_table() -> None:
    got, expected = JOINT[1, 1], JOINT[1, 1] / JOINT[:, 1].sum()
    found = diagnose(np.asarray(got), np.asarray(expected), sources={"P": JOINT})
    assert found is not None and found.id == "conditional"
    assert diagnose(np.asarray(got), np.asarray(expected)).id == "values"  # type: ignore[union-attr]


def test_bayes_without_the_evidence_is_the_joint() -> None:
    given = {
        "p_d": np.asarray(0.0015),
        "p_pos_given_d": np.asarray(1.0),
        "p_pos_given_h": np.asarray(0.01),
    }
    p_pos = 1.0 * 0.0015 + 0.01 * (1 - 0.0015)
    answer = np.asarray(1.0 * 0.0015 / p_pos)
    joint = diagnose(np.asarray(1.0 * 0.0015), answer, sources=given)
    assert joint is not None and joint.id == "conditional"
    prior = diagnose(np.asarray(0.0015 / 2), answer, sources=given)
    assert prior is not None and prior.id == "values"


def test_details_explain_the_mistake() -> None:
    found = diagnose(A.sum(axis=1), A.sum(axis=0), sources={"A": A})
    assert found is not None
    assert found.details == {
        "op": "sum",
        "source": "A",
        "got_axis": 1,
        "expected_axis": 0,
        "got_shape": [5],
        "expected_shape": [4],
    }
    factor = diagnose(2.5 * A, A)
    assert factor is not None and factor.details["factor"] == 2.5
    values = diagnose(np.where(np.arange(20).reshape(5, 4) == 6, 99.0, A), A)
    assert values is not None
    assert values.details["index"] == [1, 2]
    assert values.details["got_at"] == 99.0
    assert values.details["wrong_count"] == 1
    assert values.details["total"] == 20


def test_dtype_rule_is_exact_and_says_whether_the_values_match() -> None:
    found = diagnose(A.astype(np.float64), A, dtype_rule="float32")
    assert found is not None and found.id == "dtype"
    assert found.details == {
        "got_dtype": "float64",
        "expected_dtype": "float32",
        "value_matches": True,
    }
    assert diagnose(A, A, dtype_rule="float32") is None
    int_answer = np.arange(20).reshape(5, 4)
    mismatch = diagnose(int_answer, int_answer.astype(np.float32) + 1)
    assert mismatch is not None and mismatch.details["value_matches"] is False


@pytest.mark.parametrize(
    "variant",
    [
        lambda e: e.astype(np.float64),
        lambda e: e.copy(),
        lambda e: e.tolist(),
        lambda e: e * (1 + 1e-7),
        lambda e: e + 1e-7,
    ],
)
def test_correct_variants_pass(variant: Any) -> None:
    expected = A @ B
    assert diagnose(variant(expected), expected) is None


def test_float32_rounding_near_zero_is_not_a_mistake() -> None:
    big = (RNG.normal(size=(6, 6)) * 1000).astype(np.float32)
    mixed = big.copy()
    mixed[:, 0] = big[:, 1] - big[:, 1] * np.float32(1.0000001)  # entries near zero
    expected = mixed @ big  # float32, with large and tiny entries side by side
    got = mixed.astype(np.float64) @ big.astype(np.float64)
    assert diagnose(got, expected) is None
    assert diagnose(got[::-1], expected) is not None


def test_bools_compare_exactly() -> None:
    assert diagnose(np.bool_(True), np.asarray(True)) is None
    assert diagnose(True, np.asarray(True)) is None
    found = diagnose(np.asarray(1), np.asarray(True))
    assert found is not None and found.id == "dtype"


finite32 = st.floats(-1e4, 1e4, allow_nan=False, width=32)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float32, hnp.array_shapes(max_dims=3, max_side=5), elements=finite32))
def test_float64_and_tiny_error_never_diagnosed(expected: np.ndarray) -> None:
    assert diagnose(expected.astype(np.float64), expected) is None
    nudged = expected.astype(np.float64) * (1 + 5e-7)
    assert diagnose(nudged, expected) is None
    assert close(expected, expected, rtol=0, atol=0)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(2, 5), st.integers(2, 5)),
        elements=st.floats(-100, 100, allow_nan=False, width=32),
    )
)
def test_transposes_and_sign_flips_are_found(matrix: np.ndarray) -> None:
    square = matrix.shape[0] == matrix.shape[1]
    # "symmetric" within the check's own tolerance: such a transpose is rightly not a mistake
    symmetric = square and (
        np.allclose(matrix, matrix.T, atol=1e-3) or np.allclose(matrix, -matrix.T, atol=1e-3)
    )
    assume(np.ptp(matrix) > 1e-2 and not symmetric)
    flipped = diagnose(-matrix, matrix)
    assert flipped is not None and flipped.id == "sign"
    transposed = diagnose(matrix.T, matrix)
    assert transposed is not None and transposed.id == "transposed"


def test_dividing_data_by_its_row_max_is_not_a_probability_mistake() -> None:
    import numpy as np

    from tutor.kernel.worker.diagnosis import diagnose

    a = np.arange(20, dtype=np.float32).reshape(5, 4)
    expected = a / a.sum(axis=1, keepdims=True)
    got = a / a.max(axis=1, keepdims=True)
    result = diagnose(got, expected, sources={"A": a})
    assert result is not None and result.id != "conditional"
