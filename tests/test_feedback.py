"""The words of a verdict: every diagnosis has them in both languages, filled with its facts."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.curriculum.model import Exercise, ExerciseSpec
from tutor.feedback import DIAGNOSES, PRAISE, builtin_words, feedback_for, with_feedback
from tutor.kernel.protocol import CheckResult
from tutor.words import say

EXERCISE = Exercise(
    spec=ExerciseSpec(id="col-sums", kind="value", names=("s",), solution="s = 1"),
    prompt="Sum the columns.",
    feedback={"summed-rows": "You summed the rows.", "shape": "Look at the shape again."},
)

DETAILS: dict[str, dict[str, Any]] = {
    "missing": {"name": "s"},
    "error": {"name": "s", "type": "TypeError", "message": "bad operand", "phase": "code"},
    "not-callable": {"name": "f", "got_type": "int"},
    "forbidden": {"name": "d", "forbidden": "cos", "line": 2},
    "grad-none": {"name": "g", "reason": "not-watched", "source": "x"},
    "type": {"name": "s", "got_type": "str"},
    "dtype": {
        "name": "s",
        "got_dtype": "int32",
        "expected_dtype": "float32",
        "value_matches": True,
    },
    "rank": {
        "name": "s",
        "got_shape": [5, 4],
        "expected_shape": [4],
        "got_rank": 2,
        "expected_rank": 1,
    },
    "transposed": {"name": "C", "got_shape": [3, 5], "expected_shape": [5, 3]},
    "wrong-axis": {"name": "s", "op": "sum", "source": "A", "got_axis": 1, "expected_axis": 0},
    "keepdims": {"name": "s", "got_shape": [1, 4], "expected_shape": [4], "kept": True},
    "shape": {"name": "C", "got_shape": [5, 4], "expected_shape": [5, 3]},
    "elementwise": {"name": "C", "left": "A", "right": "B", "got_op": "*", "expected_op": "@"},
    "sign": {"name": "s"},
    "factor": {"name": "s", "factor": 2.0},
    "tape-required": {"name": "x_grad"},
    "random": {
        "name": "freqs",
        "index": [0],
        "got_at": 0.21,
        "expected_at": 0.1667,
        "margin": 0.016,
    },
    "conditional": {"name": "p", "axis": None},
    "constant": {"name": "s"},
    "values": {
        "name": "s",
        "index": [1, 2],
        "got_at": 7.0,
        "expected_at": 9.0,
        "wrong_count": 3,
        "total": 20,
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("diagnosis", DIAGNOSES)
def test_every_diagnosis_has_filled_words(diagnosis: str, lang: str) -> None:
    text = builtin_words(diagnosis, DETAILS[diagnosis], lang)
    assert text and "{" not in text and "?" not in text.replace("？", "")
    assert text != say(lang, "feedback.unknown")


def test_words_carry_the_facts() -> None:
    assert builtin_words("shape", DETAILS["shape"], "en") == (
        "`C` has shape (5, 4) but should have shape (5, 3)."
    )
    assert builtin_words("shape", DETAILS["shape"], "zh") == "`C` 的形状是 (5, 4)，应为 (5, 3)。"
    rank = builtin_words(
        "keepdims", {"name": "s", "got_shape": [4], "expected_shape": [1, 4]}, "en"
    )
    assert "(4,)" in rank and "keepdims=True" in rank
    axis = builtin_words("wrong-axis", DETAILS["wrong-axis"], "en")
    assert "sums `A` over axis 1" in axis and "axis 0" in axis
    assert "int" in builtin_words("dtype", DETAILS["dtype"], "en")
    assert "tf.cast" in builtin_words("dtype", DETAILS["dtype"], "en")


def test_grad_none_reasons_have_their_own_words() -> None:
    reasons = ("not-watched", "integer", "outside-tape", "left-tensorflow", "tape-used-twice")
    texts = {
        builtin_words(
            "grad-none",
            {"name": "g", "reason": r, "source": "x", "target": "y", "dtype": "int32"},
            "en",
        )
        for r in reasons
    }
    assert len(texts) == len(reasons)


def test_the_lessons_own_words_win() -> None:
    mistake = CheckResult(passed=False, feedback="", diagnosis="summed-rows")
    assert feedback_for(mistake, EXERCISE, "en") == "You summed the rows."
    reworded = CheckResult(passed=False, feedback="", diagnosis="shape", details=DETAILS["shape"])
    assert feedback_for(reworded, EXERCISE, "zh") == "Look at the shape again."


def test_a_pass_is_praised_the_same_way_every_time() -> None:
    passed = CheckResult(passed=True, feedback="")
    first = feedback_for(passed, EXERCISE, "en")
    assert first in {say("en", msgid) for msgid in PRAISE}
    assert feedback_for(passed, EXERCISE, "en") == first
    assert feedback_for(passed, EXERCISE, "zh") in {say("zh", msgid) for msgid in PRAISE}
    assert with_feedback(passed, EXERCISE, "en").feedback == first


def test_an_unknown_diagnosis_keeps_the_kernels_message() -> None:
    timeout = CheckResult(passed=False, feedback="The cell ran too long.", diagnosis="mystery")
    assert feedback_for(timeout, EXERCISE, "en") == "The cell ran too long."
    bare = CheckResult(passed=False, feedback="", diagnosis=None)
    assert feedback_for(bare, EXERCISE, "zh") == "还不对。"
