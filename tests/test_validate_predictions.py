"""The validator proves a predict question's stored answer is what its code gives.

Runs in-process on the tests' shared kernel (tests/shared_validator.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shared_validator import run_validator

from tutor.kernel.client import KernelClient

PREDICT = Path(__file__).parent / "validation_lessons" / "02-predict"


async def failures(shared_kernel: KernelClient, path: Path) -> list[str]:
    tally = await run_validator(shared_kernel, path)
    return [str(f) for f in tally.failures]


def copy_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    target = tmp_path / "lessons" / PREDICT.name
    shutil.copytree(PREDICT, target)
    toml = target / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    toml.write_text(text, encoding="utf-8")
    return target


async def test_true_predictions_hold(shared_kernel: KernelClient) -> None:
    assert await failures(shared_kernel, PREDICT) == []


async def test_every_false_answer_is_named_with_the_truth(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_with(
        tmp_path,
        ('answer = "(3, 4)"', 'answer = "(4, 3)"'),
        ('answer = "float64"', 'answer = "float32"'),
        ('answer = "[3, 12]"', 'answer = "[3, 13]"'),
        ('answer = "InvalidArgumentError"', 'answer = "TypeError"'),
        ('answer = "no error"', 'answer = "TypeError"'),
    )
    found = await failures(shared_kernel, lesson)
    assert len(found) == 5, found
    expected = [
        ("lesson.toml:3: question `broadcast-shape`", "the shape is (3, 4)"),
        ("question `division-dtype`", "the dtype is float64"),
        ("question `row-sums`", "the value is [3, 12]"),
        ("question `bad-add`", "it raises InvalidArgumentError"),
        ("question `assign`", "it runs without an error"),
    ]
    for where, truth in expected:
        assert any(where in m and m.endswith(truth) for m in found), (where, found)


async def test_code_reading_a_name_it_does_not_bind_is_refused(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    # the learner's kernel could hold anything under that name
    lesson = copy_with(tmp_path, ("tf.ones((3, 1)) + tf.ones((1, 4))", "M.shape"))
    found = await failures(shared_kernel, lesson)
    assert any("reads M without binding it" in m for m in found), found


async def test_a_value_that_is_too_big_or_not_a_value(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_with(
        tmp_path,
        ("tf.reduce_sum(M, axis=1)", "tf.zeros(100)"),
        ('answer = "float64"', 'answer = "error"'),
    )
    found = await failures(shared_kernel, lesson)
    assert any("name the error the code raises" in m for m in found), found
    lesson = copy_with(tmp_path / "b", ("tf.reduce_sum(M, axis=1)", "tf.zeros(100)"))
    found = await failures(shared_kernel, lesson)
    assert any(
        "question `row-sums`: the value is not a number or a short list" in m for m in found
    ), found
