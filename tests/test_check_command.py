"""`tutor check` end to end, as a subprocess, on the fixture lesson.

The lessons root is a copy of tests/fixtures/lessons/01-fixture in tmp_path, named by
TUTOR_LESSONS, so nothing else in the fixtures folder can change the outcome.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.curriculum.loader import load_course
from tutor.feedback import feedback_for
from tutor.kernel.protocol import CheckResult

FIXTURE = Path(__file__).parent / "fixtures" / "lessons" / "01-fixture"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE, root / FIXTURE.name)
    return root


def tutor(lessons: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_LESSONS": str(lessons)}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )


@pytest.mark.slow
def test_a_right_answer_from_a_file_passes(lessons: Path, tmp_path: Path) -> None:
    answer = tmp_path / "answer.py"
    answer.write_text("s = tf.einsum('ij->j', A)\n", encoding="utf-8")
    done = tutor(lessons, "check", "--lang", "en", "fixture", "column-sums", str(answer))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("✓ column-sums")


@pytest.mark.slow
def test_a_wrong_answer_gets_the_tutors_words_as_json(lessons: Path) -> None:
    code = "s = tf.reduce_sum(A, axis=0, keepdims=True)\nprint('hello')\n"
    done = tutor(
        lessons, "check", "--lang", "zh", "fixture", "column-sums", "-", "--json", stdin=code
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert {"lesson", "exercise", "passed", "feedback", "diagnosis", "cells"} <= set(report)
    assert report["lesson"] == "fixture"
    assert report["exercise"] == "column-sums"
    assert report["passed"] is False
    assert report["diagnosis"] == "keepdims"
    assert report["cells"][0]["stdout"] == "hello\n"
    assert report["cells"][0]["outcome"] == "ok"
    # The words are those of the one function every frontend calls.
    lesson = load_course("zh", lessons).lesson("fixture")
    assert lesson is not None
    exercise = lesson.exercise("column-sums")
    assert exercise is not None
    check = CheckResult(
        passed=False, feedback="", diagnosis=report["diagnosis"], details=report["details"]
    )
    assert report["feedback"] == feedback_for(check, exercise, "zh")
    assert "(1, 4)" in report["feedback"]


@pytest.mark.parametrize(
    ("lesson", "exercise", "message"),
    [("no-such-lesson", "column-sums", "unknown lesson"), ("fixture", "nope", "no exercise")],
)
def test_unknown_lesson_or_exercise_exits_2(
    lessons: Path, lesson: str, exercise: str, message: str
) -> None:
    done = tutor(lessons, "check", lesson, exercise, "-", stdin="s = 1\n")
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
