"""The validator proves a good lesson and points at every broken piece of a bad one.

`validate()` runs in-process on the tests' shared kernel (a restart per namespace is a
fork); one subprocess proves the command's exit status and JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shared_validator import run_validator

from tutor.kernel.client import KernelClient
from tutor.validate import validate
from tutor.validation.report import Tally, display_path

MINI = Path(__file__).parent / "validation_lessons" / "01-mini"


def copy_lesson(tmp_path: Path, source: Path = MINI) -> Path:
    target = tmp_path / "lessons" / source.name
    shutil.copytree(source, target)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must occur once) and return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def messages(tally: Tally) -> list[str]:
    return [str(f) for f in tally.failures]


async def test_a_good_lesson_holds_and_everything_is_counted(shared_kernel: KernelClient) -> None:
    tally = await run_validator(shared_kernel, MINI)
    assert messages(tally) == []
    assert tally.ok
    assert tally.lessons == 1
    assert tally.files == 3
    assert tally.examples == {"en": 3, "zh": 3}
    assert tally.exercises == 2
    assert tally.solutions == 4  # two solutions, two right answers
    assert tally.starters == 1
    assert tally.wrong_answers == 4
    assert tally.questions == 1


async def test_every_broken_piece_is_reported_with_its_line(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_lesson(tmp_path)
    toml, en = lesson / "lesson.toml", lesson / "en.md"
    example_line = edit(en, "```python\ntf.reduce_sum(A)", "```python\ntf.reduce_sum(A)")
    edit(en, "numpy=15.0>", "numpy=16.0>")
    raises_line = edit(en, "```python raises=InvalidArgumentError", "```python raises=TypeError")
    wrong_line = edit(toml, 'diagnosis = "keepdims"', 'diagnosis = "shape"')
    passing_line = edit(
        toml,
        'code = """\ndef double(x):\n    return x + 2\n"""',
        'code = """\ndef double(x):\n    return x * 2\n"""',
    )
    edit(toml, "s = A\n", "s = tf.reduce_sum(A, axis=0)\n")  # a starter that passes
    tally = await run_validator(shared_kernel, lesson)
    found = messages(tally)
    en_path, toml_path = display_path(str(en)), display_path(str(toml))
    assert any(
        m.startswith(f"{en_path}:{example_line}: ") and "output differs" in m and "16.0" in m
        for m in found
    ), found
    assert any(
        m.startswith(f"{en_path}:{raises_line}: ") and "should raise TypeError" in m for m in found
    ), found
    assert any(
        m.startswith(f"{toml_path}:{wrong_line - 2}: ")
        and "should be diagnosed `shape`" in m
        and "`keepdims`" in m
        for m in found
    ), found
    assert any("exercise `double`: wrong answer 1 passes the check" in m for m in found), found
    assert any(f"{toml_path}:" in m and "the starter passes" in m for m in found), found
    assert passing_line > 0
    assert len(found) == 5, found
    assert not tally.ok


@pytest.mark.slow
async def test_a_solution_that_fails_its_own_check(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_lesson(tmp_path)
    edit(lesson / "lesson.toml", 'names = ["s"]', 'names = ["s"]\ndtype = "float64"')
    found = messages(await run_validator(shared_kernel, lesson))
    assert any("exercise `col-sums`: the solution does not pass: `dtype`" in m for m in found), (
        found
    )


async def test_a_setup_that_raises_stops_that_lesson(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_lesson(tmp_path)
    edit(lesson / "lesson.toml", "dtype=tf.float32), (2, 3))", "dtype=tf.float32), (2, 4))")
    tally = await run_validator(shared_kernel, lesson)
    found = messages(tally)
    assert len(found) == 1, found
    assert "the lesson's setup fails" in found[0]
    assert "InvalidArgumentError" in found[0]


async def test_problems_found_by_reading(shared_kernel: KernelClient, tmp_path: Path) -> None:
    lesson = copy_lesson(tmp_path)
    edit(lesson / "zh.md", "- 轴 1\n- 轴 0\n", "- 轴 0\n- 轴 0\n")
    edit(lesson / "lesson.toml", 'inputs = "[(tf.random', 'inputs = "[((tf.random')
    found = messages(await run_validator(shared_kernel, lesson))
    assert any("zh.md" in m and "repeats an option" in m for m in found), found
    assert any("`inputs` does not parse" in m for m in found), found


async def test_a_path_that_is_no_lesson(tmp_path: Path) -> None:
    tally = await validate([str(tmp_path)], workers=1)
    assert messages(tally) == [
        f"{tmp_path}: not a lesson folder (no lesson.toml) nor a folder of lessons"
    ]


def run_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "lessons", "check", *args],
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.slow
def test_the_command_exits_0_with_json_counts() -> None:
    done = run_command(str(MINI), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert report["failures"] == []
    assert report["counts"]["wrong_answers"] == 4


def test_the_command_exits_1_and_names_the_file_and_line(tmp_path: Path) -> None:
    lesson = copy_lesson(tmp_path)
    line = edit(lesson / "lesson.toml", 'kind = "function"', 'kind = "function')
    done = run_command(str(lesson))
    assert done.returncode == 1
    assert f"lesson.toml:{line}:" in done.stdout
    assert "checked 0 lessons" in done.stdout


@pytest.fixture(autouse=True)
def _cwd_is_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent.parent)


@pytest.mark.slow
async def test_an_exercise_without_an_answer_rebinding_a_given_is_reported(
    shared_kernel: KernelClient, tmp_path: Path
) -> None:
    lesson = copy_lesson(tmp_path)
    edit(
        lesson / "lesson.toml",
        "A = tf.transpose(A)\ns = tf.reduce_sum(A, axis=1)",
        "s = tf.reduce_sum(tf.transpose(A), axis=1)",
    )
    found = messages(await run_validator(shared_kernel, lesson))
    assert any("`col-sums`: no listed answer rebinds a given name" in m for m in found), found
    assert not any("`double`" in m for m in found), found
