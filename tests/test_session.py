"""The engine over a real kernel and a real store, with a small course built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.curriculum.model import (
    Course,
    Exercise,
    ExerciseSpec,
    Lesson,
    Question,
    Step,
    WrongAnswer,
)
from tutor.grading.names import names_bound_by
from tutor.kernel.client import KernelClient
from tutor.progress import ProgressStore
from tutor.session import Session, parse_choice
from tutor.step_view import Hint

COLUMN_SUMS = ExerciseSpec(
    id="column-sums",
    kind="value",
    names=("col_sums",),
    setup="A = tf.reshape(tf.range(20, dtype=tf.float32), (5, 4))",
    fresh="A = tf.random.uniform((5, 4), 1, 10)",
    solution="col_sums = tf.reduce_sum(A, axis=0)",
    wrong=(WrongAnswer("col_sums = tf.reduce_sum(A, axis=1)", "wrong-axis"),),
)


def make_course(lang: str = "en") -> Course:
    first = Lesson(
        id="one",
        number=1,
        title="One" if lang == "en" else "一",
        lang=lang,
        setup="base = tf.constant(1.0)",
        steps=(
            Step("Intro", "Read me."),
            Step(
                "Sums",
                "Column sums.",
                exercise=Exercise(COLUMN_SUMS, "Sum each column.", hints=("axis=0", "reduce_sum")),
            ),
            Step(
                "Why",
                "A question.",
                question=Question(
                    id="axis",
                    kind="choice",
                    prompt="Which axis?",
                    options=("0", "1"),
                    answer=0,
                    explanation="Axis 0 disappears.",
                ),
            ),
            Step(
                "Number",
                "How much?",
                question=Question(
                    id="half", kind="number", prompt="1/2?", answer=0.5, tolerance=0.01
                ),
            ),
        ),
    )
    second = Lesson(id="two", number=2, title="Two", lang=lang, steps=(Step("Only", "End."),))
    return Course(lang=lang, lessons=(first, second))


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore.open(tmp_path / "progress.sqlite3")


async def test_setup_runs_and_exercise_passes_on_assignment(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 1)
    report = await session.run_cell("base + 1")
    assert report.result.value is not None and "2.0" in report.result.value  # lesson setup ran
    report = await session.run_cell("col_sums = tf.reduce_sum(A, axis=1)")
    assert report.check is not None and not report.check.passed
    assert report.check.diagnosis == "wrong-axis" and report.check.feedback
    report = await session.run_cell("col_sums = tf.reduce_sum(A, axis=0)")
    assert report.check is not None and report.check.passed, report.check
    assert session.status_of("one", "column-sums") == "passed"
    record = store.exercise("one", "column-sums")
    assert record is not None and record.attempts == 2


async def test_a_typed_in_constant_fails_the_fresh_rerun(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 1)
    report = await session.run_cell("col_sums = tf.constant([40., 45., 50., 55.])")
    assert report.check is not None and not report.check.passed
    assert report.check.diagnosis == "constant"


async def test_cells_not_touching_the_exercise_are_not_checked(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 1)
    report = await session.run_cell("other = 3")
    assert report.check is None


async def test_hints_one_at_a_time_and_solution_recorded(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 1)
    assert session.next_hint() == Hint(1, 2, "axis=0")
    assert session.hints_left() == 1
    assert session.next_hint() == Hint(2, 2, "reduce_sum")
    assert session.next_hint() is None
    assert session.reveal_solution() == "col_sums = tf.reduce_sum(A, axis=0)"
    assert session.status_of("one", "column-sums") == "revealed"


async def test_questions(kernel: KernelClient, store: ProgressStore) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 2)
    assert not session.answer("b").correct
    verdict = session.answer("1")
    assert verdict.correct and verdict.explanation == "Axis 0 disappears."
    assert not session.answer("7").correct  # not an option: told how to answer
    await session.next_step()
    assert not session.answer("0.6").correct
    assert session.answer("0.505").correct
    assert session.lesson_done("one") == (2, 3)
    assert not session.answer("0.9").correct  # a wrong answer after a right one
    assert session.status_of("one", "half") == "passed"  # keeps the question passed


async def test_navigation_resume_and_language_switch(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store)
    assert (session.lesson.id, session.step_index) == ("one", 0)
    for _ in range(4):
        assert await session.next_step()
    assert (session.lesson.id, session.step_index) == ("two", 0)
    assert not await session.next_step()
    assert await session.prev_step()
    assert (session.lesson.id, session.step_index) == ("one", 3)
    resumed = Session(make_course(), kernel, store)
    assert (resumed.lesson.id, resumed.step_index) == ("one", 3)
    resumed.set_language(make_course("zh"))
    assert resumed.lesson.title == "一" and resumed.step_index == 3


async def test_replay_restores_names_after_restart(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 0)
    await session.run_cell("w = tf.Variable([1.0, 2.0])")
    await session.run_cell("v = w * 3")
    await session.run_cell("this fails")
    await session.restart_kernel()
    assert (await session.run_cell("'v' in dir()")).result.value == "False"
    assert session.replayable_cells() >= 3
    report = await session.replay()
    assert report.replayed >= 3 and report.failed == 0
    assert (await session.run_cell("v.numpy().tolist()")).result.value == "[3.0, 6.0]"


def test_names_bound_by() -> None:
    assert names_bound_by("a, b = 1, 2\nfor i in x: pass\ndef f(): z = 1") >= {"a", "b", "i", "f"}
    assert names_bound_by("x +") == set()


def test_parse_choice() -> None:
    assert parse_choice("2", 3) == 1
    assert parse_choice("(c)", 3) == 2
    assert parse_choice("d", 3) is None
    assert parse_choice("0", 3) is None


async def test_step_of_finds_exercises_and_questions(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store)
    assert session.step_of("one", "column-sums") == 1
    assert session.step_of("one", "half") == 3
    assert session.step_of("one", "nope") is None
    assert session.step_of("nope", "half") is None


async def test_the_givens_are_the_exercises_and_a_rebinding_is_told(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 0)
    await session.run_cell("A = tf.ones((5, 4))\nkeep = 3")
    await session.next_step()  # the column-sums step: its givens bind A
    notices = session.take_notices()
    assert len(notices) == 1 and "`A`" in notices[0] and "(5, 4) float32" in notices[0]
    assert [(g.name, g.shape, g.dtype) for g in session.givens] == [("A", (5, 4), "float32")]
    report = await session.run_cell("float(tf.reduce_sum(A)), keep")
    assert report.result.value == "(190.0, 3)"  # the exercise's A; the learner's other names kept
    report = await session.run_cell("col_sums = tf.reduce_sum(A, axis=0)")
    assert report.check is not None and report.check.passed
    await session.prev_step()
    await session.next_step()  # the step opens again: A holds the same data, nothing to say
    assert session.take_notices() == []
    fresh = Session(make_course(), kernel, store, lesson="one")
    await fresh.goto("two")
    await fresh.goto("one", 1)  # a new namespace: the setup provides A
    assert (await fresh.run_cell("float(tf.reduce_sum(A))")).result.value == "190.0"


async def test_replay_restores_what_earlier_steps_provided(
    kernel: KernelClient, store: ProgressStore
) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 1)  # the exercise's setup provides A
    await session.run_cell("total = float(tf.reduce_sum(A))")
    await session.next_step()
    await session.restart_kernel()
    report = await session.replay()
    assert report.failed == 0, report.notes
    assert (await session.run_cell("total")).result.value == "190.0"


async def test_replay_says_why_a_cell_failed(kernel: KernelClient, store: ProgressStore) -> None:
    session = Session(make_course(), kernel, store, lesson="one")
    await session.goto("one", 0)
    await session.run_cell("import random\nok = random.random() < 2")
    await session.run_cell("flaky = 1 if ok else 0")
    await session.restart_kernel()
    await session.run_cell("random = None")
    report = await session.replay()
    assert report.failed == 0
    store.record_cell("one", "undefined_name + 1", outcome="ok", elapsed_ms=1.0)
    report = await session.replay()
    assert report.failed == 1 and "NameError" in report.notes[-1]
