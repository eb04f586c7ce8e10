"""Predictions are read as learners write them and compared fairly (pure, no kernel)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.curriculum.model import Question
from tutor.prediction_verdict import judge_prediction
from tutor.predictions import (
    DType,
    Raises,
    Runs,
    Shape,
    Value,
    agrees,
    ends_in_expression,
    looks_like_prediction,
    outside_names,
    parse_prediction,
    parse_shape,
    parse_value,
    same_error,
    truth_for,
    uses_randomness,
)


@pytest.mark.parametrize(
    "text",
    ["(3, 4)", "3, 4", "3x4", "3 x 4", "3×4", "[3,4]", "TensorShape([3, 4])", "shape=(3, 4)",
     "（3，4）", "  (3,4) ", "3*4", "(3, 4)."],
)  # fmt: skip
def test_shapes_in_every_spelling(text: str) -> None:
    assert parse_prediction(text, "shape") == Shape((3, 4))


@pytest.mark.parametrize("text", ["()", "[]", "scalar", "标量", "TensorShape([])", "shape=()"])
def test_a_scalar_shape(text: str) -> None:
    assert parse_prediction(text, "shape") == Shape(())


def test_one_axis_shapes_and_unreadable_ones() -> None:
    assert parse_shape("(4,)") == Shape((4,))
    assert parse_shape("4") == Shape((4,))
    assert str(Shape((4,))) == "(4,)" and str(Shape((3, 4))) == "(3, 4)" and str(Shape(())) == "()"
    for text in ("three by four", "(3, -1)", "(3.5, 2)", "((3, 4))x", "", "float32"):
        assert parse_prediction(text, "shape") is None, text


@pytest.mark.parametrize(
    ("text", "name"),
    [("float32", "float32"), ("tf.float32", "float32"), ("np.float64", "float64"),
     ("dtype=int32", "int32"), ("<dtype: 'float32'>", "float32"), ("double", "float64"),
     ("Bool", "bool"), ("tf.dtypes.int64", "int64"), ("ＦＬＯＡＴ３２", "float32")],
)  # fmt: skip
def test_dtypes(text: str, name: str) -> None:
    assert parse_prediction(text, "dtype") == DType(name)


def test_a_dtype_without_its_size_is_not_read() -> None:
    assert parse_prediction("float", "dtype") is None
    assert parse_prediction("int", "dtype") is None
    assert parse_prediction("tensor", "dtype") is None


@pytest.mark.parametrize(
    ("text", "shape", "numbers"),
    [("6", (), (6.0,)), ("-8.75", (), (-8.75,)), ("1/6", (), (1 / 6,)), ("2.5e-3", (), (0.0025,)),
     ("[1, 4, 16, 64]", (4,), (1.0, 4.0, 16.0, 64.0)), ("[1 4 16 64]", (4,), (1.0, 4.0, 16.0, 64.0)),
     ("1, 4, 16", (3,), (1.0, 4.0, 16.0)), ("[[0, 1], [1, 2], [2, 3]]", (3, 2), (0, 1, 1, 2, 2, 3)),
     ("array([0., 4., 8.], dtype=float32)", (3,), (0.0, 4.0, 8.0)), ("−1", (), (-1.0,)),
     ("［1，2］", (2,), (1.0, 2.0)), ("[]", (0,), ())],
)  # fmt: skip
def test_values(text: str, shape: tuple[int, ...], numbers: tuple[float, ...]) -> None:
    value = parse_value(text)
    assert value is not None
    assert value.shape == shape
    assert value.numbers == pytest.approx(numbers)


def test_booleans_and_special_numbers() -> None:
    value = parse_value("[True, False, true]")
    assert value is not None and value.booleans and value.numbers == (1.0, 0.0, 1.0)
    assert str(value) == "[True, False, True]"
    nan = parse_value("nan")
    assert nan is not None and math.isnan(nan.numbers[0])
    assert parse_value("[1, [2, 3]]") is None  # ragged
    assert parse_value("[1, 2") is None and parse_value("1, 2]") is None
    assert parse_value("one") is None and parse_value("") is None


@pytest.mark.parametrize("text", ["error", "Error", "it fails", "报错", "异常", "an error."])
def test_error_words_for_any_ask(text: str) -> None:
    for ask in ("shape", "dtype", "value", "error"):
        assert parse_prediction(text, ask) == Raises(None)  # type: ignore[arg-type]


def test_error_types_and_no_error() -> None:
    assert parse_prediction("InvalidArgumentError", "shape") == Raises("InvalidArgumentError")
    assert parse_prediction("tf.errors.InvalidArgumentError", "value") == Raises(
        "InvalidArgumentError"
    )
    assert parse_prediction("raises TypeError", "error") == Raises("TypeError")
    assert parse_prediction("no error", "error") == Runs()
    assert parse_prediction("不报错", "error") == Runs()
    assert parse_prediction("no error", "shape") is None  # a shape question wants the shape
    assert parse_prediction("(3, 4)", "error") is None


def test_agreement() -> None:
    assert agrees(Shape((3, 4)), Shape((3, 4)))
    assert not agrees(Shape((4, 3)), Shape((3, 4)))
    assert agrees(DType("float64"), DType("float64"))
    assert not agrees(DType("float32"), DType("float64"))
    assert agrees(Raises("TypeError"), Raises("InvalidArgumentError"))  # it does fail
    assert not same_error(Raises("TypeError"), Raises("InvalidArgumentError"))
    assert same_error(Raises(None), Raises("InvalidArgumentError"))
    assert same_error(Raises("invalidargumenterror"), Raises("InvalidArgumentError"))
    assert not agrees(Shape((3, 4)), Raises("InvalidArgumentError"))
    assert not agrees(Raises(None), Shape((3, 4)))
    assert agrees(Runs(), Runs()) and not agrees(Raises(None), Runs())


def value(text: str) -> Value:
    parsed = parse_value(text)
    assert parsed is not None
    return parsed


def test_numbers_agree_within_tolerance_or_as_written_rounding() -> None:
    truth = value("0.16666667")
    assert agrees(value("0.1667"), truth)
    assert agrees(value("0.17"), truth)  # rounded to the places written, 2 significant digits
    assert not agrees(value("0.2"), truth)  # one significant digit is a guess, not a value
    assert not agrees(value("0.16"), truth)
    assert agrees(value("2.3"), value("2.299999952316284"))
    assert not agrees(value("9"), value("9.5"))  # int mean truncates: 9 is not 9.5
    assert not agrees(value("10"), value("9.5"))
    assert not agrees(value("9.0"), value("9.5"))
    assert agrees(value("5"), value("[5.]"))  # one number for a one-element vector
    assert not agrees(value("[1, 2]"), value("[[1, 2]]"))
    assert agrees(value("[1, 0]"), value("[True, False]"))
    assert agrees(value("nan"), value("nan")) and not agrees(value("0"), value("nan"))
    assert agrees(value("inf"), value("inf")) and not agrees(value("1e308"), value("inf"))
    assert agrees(value("0.5"), value("0.4"), rtol=0.5)


@given(st.lists(st.integers(0, 10_000), max_size=6))
def test_a_shape_reads_back_from_how_the_tutor_writes_it(dims: list[int]) -> None:
    shape = Shape(tuple(dims))
    assert parse_shape(str(shape)) == shape
    assert parse_shape("x".join(str(d) for d in dims) or "()") == shape


@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=32, min_value=-1e6, max_value=1e6),
        min_size=1,
        max_size=12,
    )
)
def test_a_value_agrees_with_itself_as_written(numbers: list[float]) -> None:
    written = Value((len(numbers),), tuple(numbers))
    read = parse_value(str(written))
    assert read is not None and agrees(read, written)


@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), st.integers(2, 6))
def test_a_rounded_number_agrees_and_a_wrong_digit_does_not(number: float, places: int) -> None:
    rounded = f"{number:.{places}f}"
    read = value(rounded)
    if read.precision[0] is not None and read.precision[0].significant >= 2:
        assert agrees(read, Value((), (number,)))
    off = float(rounded) + 3 * 10.0**-places
    assert not agrees(value(f"{off:.{places}f}"), Value((), (number,)), rtol=0)


def test_truth_from_the_probe() -> None:
    described = {"shape": [3, 2], "dtype": "int32", "value": "[[0, 1], [1, 2], [2, 3]]"}
    assert truth_for("shape", described) == Shape((3, 2))
    assert truth_for("dtype", described) == DType("int32")
    assert truth_for("value", described) == Value((3, 2), (0, 1, 1, 2, 2, 3))
    assert truth_for("error", described) == Runs()
    assert truth_for("value", {"shape": [1000], "dtype": "float32", "value": None}) is None
    assert truth_for("dtype", {"shape": [], "dtype": "float", "value": "1.0"}) is None


def test_the_code_of_a_question() -> None:
    assert outside_names("x = tf.ones(3)\nx.shape") == set()
    assert outside_names("A.shape") == {"A"}
    assert outside_names("def f(v):\n    return v * 2\nf(tf.ones(2)) + len([1])") == set()
    assert outside_names("[i * k for i in range(3)]") == {"k"}
    assert ends_in_expression("x = 1\nx + 1") and not ends_in_expression("x = 1")
    assert uses_randomness("tf.random.normal((2,))") and not uses_randomness("tf.ones(2)")


@pytest.mark.parametrize(
    ("line", "ask", "answer"),
    [("(3, 4)", "shape", True), ("3x4", "shape", True), ("float32", "dtype", True),
     ("tf.float32", "dtype", True), ("error", "value", True), ("[1, 2]", "value", True),
     ("InvalidArgumentError", "shape", True), ("x.shape", "shape", False),
     ("tf.ones(3)", "value", False), ("x", "shape", False), ("print(1)", "value", False),
     ("no error", "error", True), ("-1", "value", True)],
)  # fmt: skip
def test_lines_that_answer_rather_than_run(line: str, ask: str, answer: bool) -> None:
    assert looks_like_prediction(line, ask) is answer  # type: ignore[arg-type]


def predict(ask: str, expected: str, **kwargs: object) -> Question:
    return Question(
        id="q",
        kind="predict",
        prompt="?",
        ask=ask,  # type: ignore[arg-type]
        code="tf.ones((3, 1)) + tf.ones((1, 4))",
        expected=expected,
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_verdict_in_both_languages() -> None:
    question = predict("shape", "(3, 4)")
    right = judge_prediction(question, "3x4", "en")
    assert right.facts is not None and right.facts.correct
    assert right.feedback == "Right: the shape is (3, 4)."
    wrong = judge_prediction(question, "[4, 3]", "en")
    assert wrong.facts is not None and not wrong.facts.correct
    assert wrong.feedback == "Not quite: you predicted (4, 3), but the shape is (3, 4)."
    assert judge_prediction(question, "[4, 3]", "zh").feedback == (
        "预测有误：你预测的是 (4, 3)，实际上它的形状是 (3, 4)。"
    )
    unread = judge_prediction(question, "wide", "en")
    assert unread.facts is None and '"wide"' in unread.feedback
    assert "标量写 ()" in judge_prediction(question, "宽", "zh").feedback


def test_the_verdict_on_errors() -> None:
    question = predict("shape", "InvalidArgumentError")
    assert judge_prediction(question, "error", "en").feedback == (
        "Right: it raises InvalidArgumentError."
    )
    other = judge_prediction(question, "TypeError", "en")
    assert other.facts is not None and other.facts.correct
    assert (
        other.feedback == "Right, it fails, though with InvalidArgumentError rather than TypeError."
    )
    missed = judge_prediction(question, "(3, 2)", "zh")
    assert missed.feedback == "预测有误：你预测的是 (3, 2)，实际上它会引发 InvalidArgumentError。"
    runs = judge_prediction(predict("error", "no error"), "error", "en")
    assert runs.feedback == "Not quite: you predicted error, but it runs without an error."
