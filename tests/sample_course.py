"""A small course built in code, shared by the frontends' tests (no lesson files needed)."""

from __future__ import annotations

from tutor.curriculum.model import Course, Example, Exercise, ExerciseSpec, Lesson, Question, Step


def sample_course(lang: str = "en") -> Course:
    """Two lessons: prose with examples, an exercise, a choice and a number question."""
    zh = lang == "zh"
    tensors = Lesson(
        id="tensors",
        number=1,
        title="张量" if zh else "Tensors",
        lang=lang,
        steps=(
            Step(
                title="创建张量" if zh else "Creating tensors",
                text="A tensor holds numbers: **x** ∈ ℝ⁴.\n\n```python\nx = tf.range(4)\n```",
                examples=(Example("x = tf.range(4)"), Example("y = 2 * x")),
            ),
            Step(
                title="A matrix",
                text="Make a matrix.",
                exercise=Exercise(
                    spec=ExerciseSpec(
                        id="make-a",
                        kind="value",
                        names=("A",),
                        solution="A = tf.ones((2, 2))  # SOLVED",
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
                    hints=("S and S ∪ ∅ are the same event.",),
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
