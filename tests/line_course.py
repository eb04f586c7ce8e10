"""A small course and a LineTutor over the real Session with a fake kernel (no lesson files)."""

from __future__ import annotations

import io

from fake_kernel import FakeKernel

from tutor.curriculum.model import Course, Exercise, ExerciseSpec, Lesson, Question, Step
from tutor.line.line_tutor import LineTutor
from tutor.progress.store import ProgressStore
from tutor.session import Session


def line_course(lang: str = "en") -> Course:
    """Two lessons: prose, an exercise, a choice question; then a number question."""
    zh = lang == "zh"
    tensors = Lesson(
        id="tensors",
        number=1,
        title="张量" if zh else "Tensors",
        lang=lang,
        steps=(
            Step(
                title="Creating tensors",
                text="## Tensors\n\nA tensor holds numbers: x ∈ ℝ⁴.\n\n```python\nx = tf.range(4)\n```",
            ),
            Step(
                title="A matrix",
                text="Make a matrix.",
                exercise=Exercise(
                    spec=ExerciseSpec(
                        id="make-a", kind="value", names=("A",), solution="A = tf.ones((2, 2))"
                    ),
                    prompt="Bind `A` to the 2×2 matrix of ones.",
                    hints=("Use `tf.ones`.", "Its shape is (2, 2)."),
                ),
            ),
            Step(
                title="The empty event",
                text="Probability.",
                question=Question(
                    id="p-empty",
                    kind="choice",
                    prompt="What is P(∅)?",
                    options=("1", "0", "it is undefined"),
                    answer=1,
                    explanation="P(S) = P(S ∪ ∅) = P(S) + P(∅).",
                ),
            ),
        ),
    )
    derivatives = Lesson(
        id="derivatives",
        number=2,
        title="导数" if zh else "Derivatives",
        lang=lang,
        steps=(
            Step(
                title="Slopes",
                text="The slope of x² at 3.",
                question=Question(id="slope", kind="number", prompt="d/dx x² at x = 3?", answer=6),
            ),
        ),
    )
    return Course(lang=lang, lessons=(tensors, derivatives))


def make_tutor(
    kernel: FakeKernel | None = None, *, lesson: str | None = None, lang: str = "en"
) -> tuple[LineTutor, FakeKernel, io.StringIO]:
    """A LineTutor printing into a StringIO, over a Session with a fake kernel."""
    kernel = kernel or FakeKernel()
    session = Session(line_course(lang), kernel, ProgressStore.in_memory(), lesson=lesson)
    out = io.StringIO()
    tutor = LineTutor(session, out, width=80, load_course=line_course)
    return tutor, kernel, out
