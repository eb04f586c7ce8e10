"""Items that moved to another lesson keep the learner's record (`[moved_from]`)."""

from __future__ import annotations

from pathlib import Path

from fake_kernel import FakeKernel
from sample_course import sample_course

from tutor.curriculum.lesson_toml import parse_lesson_toml
from tutor.curriculum.loader import load_course
from tutor.curriculum.model import Course, Lesson
from tutor.progress.store import ProgressStore
from tutor.session import Session

LESSONS = Path(__file__).parent.parent / "lessons"

TOML = """
id = "second"

[moved_from]
make-a = "tensors"

[[exercise]]
id = "make-a"
kind = "value"
names = ["A"]
solution = "A = tf.ones((2, 2))"

[[exercise.wrong]]
code = "A = 1"
diagnosis = "type"
"""


def test_the_table_is_read_and_checked() -> None:
    spec, problems = parse_lesson_toml(TOML, "second/lesson.toml")
    assert problems == [] and spec is not None
    assert spec.moved_from == {"make-a": "tensors"}
    _, problems = parse_lesson_toml(TOML.replace('make-a = "tensors"', 'nope = "tensors"'), "x")
    assert [p.message for p in problems] == [
        "moved_from: 'nope' is no exercise or question of this lesson"
    ]
    assert problems[0].line == 4
    _, problems = parse_lesson_toml(TOML.replace('"tensors"\n', '"two words"\n', 1), "x")
    assert "needs the id of the lesson it left" in problems[0].message


def moved_course() -> Course:
    """The sample course with its exercise moved to a lesson of its own."""
    course = sample_course()
    tensors, derivatives = course.lessons
    step = tensors.steps[1]
    second = Lesson(
        id="second",
        number=3,
        title="Second",
        lang="en",
        steps=(step,),
        moved_from={"make-a": "tensors"},
    )
    return Course("en", (tensors, derivatives, second))


def test_a_record_made_before_the_move_still_counts() -> None:
    store = ProgressStore.in_memory()
    store.record_attempt("tensors", "make-a", code="A = tf.ones((2, 2))", passed=True)
    session = Session(moved_course(), FakeKernel(), store)
    assert session.status_of("second", "make-a") == "passed"
    assert session.lesson_done("second") == (1, 1)
    # a later failed attempt in the new lesson does not take the pass away
    store.record_attempt("second", "make-a", code="A = 1", passed=False)
    assert session.status_of("second", "make-a") == "passed"


def test_a_new_record_counts_when_there_was_none_before() -> None:
    store = ProgressStore.in_memory()
    session = Session(moved_course(), FakeKernel(), store)
    assert session.status_of("second", "make-a") is None
    store.record_revealed("second", "make-a")
    assert session.status_of("second", "make-a") == "revealed"


def test_the_split_lessons_name_what_left_tensors() -> None:
    course = load_course("en", LESSONS)
    broadcasting = course.lesson("broadcasting")
    tensors = course.lesson("tensors")
    assert broadcasting is not None and tensors is not None
    ids = {e.id for e in broadcasting.exercises} | {q.id for q in broadcasting.questions}
    assert set(broadcasting.moved_from) <= ids
    assert set(broadcasting.moved_from.values()) == {"tensors"}
    assert tensors.exercise("matrix-from-range") is not None
