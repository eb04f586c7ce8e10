"""Grading outside the learner's kernel, against the real kernel (DESIGN.md, "Grading").

Nothing a cell does to its own kernel changes a verdict: patched NumPy or TensorFlow
functions, a patched grader in `sys.modules`, `tf = None`, replies forged on the kernel's
channel, a thread still running when the check starts. Each leaves the verdict as the
answer's values deserve, and progress records nothing false. The solution never enters
the learner's kernel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.curriculum.model import Course, Exercise, ExerciseSpec, Lesson, Step, WrongAnswer
from tutor.kernel.client import KernelClient
from tutor.progress import ProgressStore
from tutor.session import Session

MARKER = "SOLUTION-" + "MARKER-1157"  # built, so this file's text is not the marker

MATRIX = ExerciseSpec(
    id="matrix",
    kind="value",
    names=("A",),
    solution=f"# {MARKER}\nA = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))\n",
    dtype="float32",
    wrong=(WrongAnswer("A = tf.reshape(tf.range(20), (5, 4))", "dtype"),),
)
CELSIUS = ExerciseSpec(
    id="celsius",
    kind="value",
    names=("c",),
    setup="f = tf.constant(52.0)\n",
    fresh="f = tf.constant(float(np.random.uniform(-40.0, 120.0)))\n",
    solution="c = (f - 32) * 5 / 9\n",
    wrong=(WrongAnswer("c = f - 32 * 5 / 9", "values"),),
)
RIGHT = "A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))"
WRONG = 'A = "not even a tensor"'


def course() -> Course:
    lesson = Lesson(
        id="graded",
        number=1,
        title="Graded",
        lang="en",
        steps=(
            Step("Matrix", "Make it.", exercise=Exercise(MATRIX, "Bind A.")),
            Step("Example", "v and f of our own.", examples=()),
            Step("Celsius", "Convert.", exercise=Exercise(CELSIUS, "Bind c.")),
        ),
    )
    return Course("en", (lesson,))


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore.open(tmp_path / "progress.sqlite3")


async def opened(kernel: KernelClient, store: ProgressStore, step: int = 0) -> Session:
    session = Session(course(), kernel, store, lesson="graded")
    await session.goto("graded", step)
    return session


async def verdict(session: Session, code: str) -> tuple[bool, str | None]:
    report = await session.run_cell(code)
    assert report.result.ok, report.result.error
    assert report.check is not None
    return report.check.passed, report.check.diagnosis


@pytest.mark.parametrize(
    "tamper",
    [
        "import numpy\nnumpy.all = lambda *a, **k: True\nnumpy.allclose = lambda *a, **k: True\n"
        "numpy.array_equal = lambda *a, **k: True",
        "tf.reduce_all = lambda *a, **k: tf.constant(True)\ntf.equal = lambda *a, **k: True",
        "import sys\nsys.modules['tutor.kernel.worker.judge'].judge = "
        "lambda *a, **k: {'passed': True, 'feedback': '', 'diagnosis': None, 'details': {}}",
        "import sys\nsys.modules['tutor.kernel.worker.diagnosis'].diagnose = lambda *a, **k: None",
    ],
)
async def test_patches_in_the_learners_kernel_change_no_verdict(
    kernel: KernelClient, store: ProgressStore, tamper: str
) -> None:
    session = await opened(kernel, store)
    assert (await session.run_cell(tamper)).result.ok
    assert await verdict(session, WRONG) == (False, "type")
    assert await verdict(session, RIGHT) == (True, None)


async def test_the_tamper_in_the_answer_itself_changes_no_verdict(
    kernel: KernelClient, store: ProgressStore
) -> None:
    """The cell that binds A also patches: it is re-run in the answer fork, whose report is
    only data; the grader that compares never ran it."""
    session = await opened(kernel, store)
    code = (
        "import sys, numpy\nnumpy.allclose = numpy.all = lambda *a, **k: True\n"
        "sys.modules['tutor.kernel.worker.judge'].judge = lambda *a, **k: {'passed': True}\n"
        + WRONG
    )
    assert await verdict(session, code) == (False, "type")
    record = store.exercise("graded", "matrix")
    assert record is not None and record.status == "attempted"


async def test_tf_none_changes_nothing_but_the_learners_own_names(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store)
    assert (await session.run_cell("tf = None")).result.ok
    assert await verdict(session, "A = np.arange(20, dtype=np.float32).reshape(5, 4) + 1") == (
        False,
        "values",
    )
    assert await verdict(session, "A = np.arange(20, dtype=np.float32).reshape(5, 4)") == (
        True,
        None,
    )


async def test_replies_forged_on_the_kernels_channel_change_no_verdict(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store)
    forge = (
        "import os, json, stat\n"
        "lie = {'passed': True, 'feedback': '', 'diagnosis': None, 'details': {}}\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        if not stat.S_ISSOCK(os.fstat(fd).st_mode):\n"
        "            continue\n"
        "        for i in range(1, 200):\n"
        "            line = {'id': i, 'check': lie, 'answer': {'draws': []}, 'reference': {}}\n"
        "            os.write(fd, (json.dumps(line) + '\\n').encode())\n"
        "    except OSError:\n"
        "        pass\n"
    )
    await session.run_cell(forge)
    for _ in range(2):
        report = await session.run_cell(WRONG)
        if report.check is not None:
            assert not report.check.passed
    assert await verdict(session, WRONG) == (False, "type")
    record = store.exercise("graded", "matrix")
    assert record is not None and record.status != "passed"


async def test_a_thread_still_running_changes_no_verdict(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store)
    thread = (
        "import threading, time, sys, numpy\n"
        "def meddle():\n"
        "    while True:\n"
        "        numpy.all = numpy.allclose = lambda *a, **k: True\n"
        "        judge = sys.modules.get('tutor.kernel.worker.judge')\n"
        "        if judge is not None:\n"
        "            judge.judge = lambda *a, **k: {'passed': True}\n"
        "        time.sleep(0.001)\n"
        "threading.Thread(target=meddle, daemon=True).start()"
    )
    assert (await session.run_cell(thread)).result.ok
    assert await verdict(session, WRONG) == (False, "type")
    assert await verdict(session, "A = tf.zeros((5, 4))") == (False, "values")
    assert await verdict(session, RIGHT) == (True, None)


async def test_the_solution_never_enters_the_learners_kernel(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store)
    await verdict(session, WRONG)
    await verdict(session, RIGHT)
    search = (
        "import gc\nm = 'SOLUTION-' + 'MARKER-1157'\n"
        "any(isinstance(o, str) and m in o and o != m for o in gc.get_objects())"
    )
    assert (await session.run_cell(search)).result.value == "False"
    assert session.reveal_solution() is not None  # shown to the learner, and recorded
    assert (await session.run_cell(search)).result.value == "False"
    record = store.exercise("graded", "matrix")
    assert record is not None and record.status in ("passed", "revealed")


async def test_an_answer_that_rebinds_a_given_is_judged_by_its_values(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store, step=1)
    await session.run_cell("f = tf.constant([1.0, 2.0, 3.0, 4.0])\nv = f")  # an example's f
    await session.next_step()  # the celsius step: its givens rebind f (and say so)
    assert any("`f`" in notice for notice in session.take_notices())
    assert (await session.run_cell("f = f - 32")).check is None
    assert await verdict(session, "c = 5 / 9 * f") == (True, None)
    report = await session.run_cell("c = 5 / 9 * (f - 32)")  # f was already shifted
    assert report.check is not None and not report.check.passed
    assert "`f`" in report.check.feedback and "rebound" in report.check.feedback


async def test_an_example_restating_a_given_stands_for_it_on_fresh_data(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = await opened(kernel, store, step=2)
    await session.run_cell("f = tf.constant(52.0)\nprint(f)")  # an example restating f
    assert await verdict(session, "c = (f - 32) * 5 / 9") == (True, None)
    typed = await session.run_cell("f = tf.constant(52.0)\nc = (f - 32) * 5 / 9")
    assert typed.check is not None and typed.check.diagnosis == "constant"  # typed-in data
