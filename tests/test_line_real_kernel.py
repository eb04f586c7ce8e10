"""`tutor --plain` in script mode against the real sandboxed kernel: in this process on the
shared kernel, and as a learner runs it (a subprocess with its own TensorFlow)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from borrowed_kernel import Borrowed
from sample_course import sample_course

from tutor.curriculum.loader import load_course
from tutor.kernel.client import KernelClient
from tutor.line.line_tutor import LineTutor
from tutor.line.script import run_script
from tutor.progress.store import ProgressStore
from tutor.session import Session


def step_of(lesson_id: str, exercise_id: str) -> int:
    lesson = load_course("en").lesson(lesson_id)
    assert lesson is not None
    return next(
        i for i, s in enumerate(lesson.steps) if s.exercise and s.exercise.id == exercise_id
    )


def plain(script: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tutor", "--plain", "--lang", "en", *args],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )


async def test_the_line_tutor_in_process_checks_and_shows_a_gradient(kernel: KernelClient) -> None:
    """The line tutor over a real Session on the shared kernel (no TensorFlow import of its own)."""
    session = Session(
        sample_course("en"),
        Borrowed(kernel),  # type: ignore[arg-type]
        ProgressStore.in_memory(),
        lesson="tensors",
    )
    out = io.StringIO()
    tutor = LineTutor(session, out, width=100, load_course=sample_course)
    script = (
        ":goto tensors 2\n"
        "A = tf.ones((3, 2))\n"
        "A = tf.fill((2, 2), 1.0)\n"
        ":check\n"
        "x = tf.Variable(tf.range(4, dtype=tf.float32))\n"
        "y = 2 * tf.tensordot(x, x, axes=1)\n"
        ":vars\n"
    )
    status = await run_script(tutor, io.StringIO(script))
    text = out.getvalue()
    assert status == 0, text
    assert "`A` has shape (3, 2) but should have shape (2, 2)." in text  # the real check's words
    assert text.count("Check passed.") == 2  # on binding A, and on :check
    assert session.status_of("tensors", "make-a") == "passed"
    x_row = next(line for line in text.splitlines() if line.startswith("x "))
    assert "Variable" in x_row and "(4,)" in x_row and "auto ∂y/∂x =" in x_row
    assert "[0. 4. 8. 12.]" in text  # d(2 x·x)/dx = 4x


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_script_passes_an_exercise_and_sees_a_gradient(tutor_home: Path) -> None:
    step = step_of("tensors", "matrix-from-range") + 1
    script = (
        f":goto tensors {step}\n"
        "A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))\n"
        ":check\n"
        "x = tf.Variable(tf.range(4, dtype=tf.float32))\n"
        "y = 2 * tf.tensordot(x, x, axes=1)\n"
        ":vars\n"
    )
    done = plain(script, tutor_home, "--lesson", "tensors")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Exercise matrix-from-range" in out
    assert out.count("Check passed.") == 2  # on binding A, and on :check
    x_row = next(line for line in out.splitlines() if line.startswith("x "))
    assert "Variable" in x_row and "(4,)" in x_row and "auto ∂y/∂x =" in x_row
    assert "[0. 4. 8. 12.]" in out  # d(2 x·x)/dx = 4x
    assert (tutor_home / "progress.sqlite3").exists()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_failed_check_exits_with_one(tutor_home: Path) -> None:
    step = step_of("tensors", "matrix-from-range") + 1
    script = f":goto tensors {step}\nA = tf.reshape(tf.range(20), (5, 4))\n:check\n"
    done = plain(script, tutor_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Check: not yet." in done.stdout
