"""The validator proves a predict question's stored answer is what its code gives.

Runs in-process on the tests' shared kernel, as tests/test_validate.py does.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tutor.kernel.client import KernelClient
from tutor.validate import validate
from tutor.validation.report import Tally

PREDICT = Path(__file__).parent / "validation_lessons" / "02-predict"


class Borrowed:
    """The shared kernel, lent to the validator: everything but `close` goes through."""

    def __init__(self, kernel: KernelClient) -> None:
        object.__setattr__(self, "kernel", kernel)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kernel, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.kernel, name, value)

    async def close(self) -> None:
        return None


async def run_validator(shared_kernel: KernelClient, path: Path) -> list[str]:
    shared_kernel.timeout = 20.0
    tally: Tally = await validate(
        [str(path)],
        workers=1,
        make_kernel=lambda: Borrowed(shared_kernel),  # type: ignore[arg-type,return-value]
    )
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
    assert await run_validator(shared_kernel, PREDICT) == []


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
    found = await run_validator(shared_kernel, lesson)
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
    found = await run_validator(shared_kernel, lesson)
    assert any("reads M without binding it" in m for m in found), found


async def test_a_value_that_is_too_big_or_not_a_value(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_with(
        tmp_path,
        ("tf.reduce_sum(M, axis=1)", "tf.zeros(100)"),
        ('answer = "float64"', 'answer = "error"'),
    )
    found = await run_validator(shared_kernel, lesson)
    assert any("name the error the code raises" in m for m in found), found
    lesson = copy_with(tmp_path / "b", ("tf.reduce_sum(M, axis=1)", "tf.zeros(100)"))
    found = await run_validator(shared_kernel, lesson)
    assert any(
        "question `row-sums`: the value is not a number or a short list" in m for m in found
    ), found
