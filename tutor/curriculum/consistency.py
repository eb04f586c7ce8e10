"""Static checks across a lesson's files: what parsing each file alone cannot see.

- `check_spec`: lesson.toml on its own terms (ids unique, at least one wrong
  answer per exercise, every diagnosis a built-in or one of the exercise's mistakes).
- `check_words`: one language file against lesson.toml (the same exercises and
  questions, kinds matching, feedback for real mistakes and for every mistake,
  choice answers pointing at a real option, no options on number or predict questions).
- `check_languages`: a translation against the English reference (the same
  steps, exercises and questions in the same places, the same option counts).

Each returns `LoadProblem`s with the file and line an author should open. None
of them runs code: examples, solutions and wrong answers are proved by the
validator in a kernel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from tutor.curriculum.lesson_toml import BUILTIN_DIAGNOSES, LessonSpec
from tutor.curriculum.markdown_lesson import BlockWords, MarkdownLesson
from tutor.curriculum.model import LoadProblem

_Report = Callable[[int, str], None]


def check_spec(spec: LessonSpec) -> list[LoadProblem]:
    """lesson.toml's own rules."""
    problems: list[LoadProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(LoadProblem(spec.path, line, message))

    ids = [e.id for e in spec.exercises] + [q.id for q in spec.questions]
    for ident, count in Counter(ids).items():
        if count > 1:
            problem(
                0, f"the id {ident!r} is used {count} times (exercise and question ids are unique)"
            )
    for exercise in spec.exercises:
        line = spec.exercise_lines.get(exercise.id, 0)
        mistakes = [m.id for m in exercise.mistakes]
        for ident, count in Counter(mistakes).items():
            if count > 1:
                problem(line, f"exercise {exercise.id}: mistake {ident!r} is defined {count} times")
        for ident in mistakes:
            if ident in BUILTIN_DIAGNOSES:
                problem(
                    line, f"exercise {exercise.id}: mistake {ident!r} hides the built-in diagnosis"
                )
        if not exercise.wrong:
            problem(line, f"exercise {exercise.id} needs at least one [[exercise.wrong]] answer")
        for wrong in exercise.wrong:
            if wrong.diagnosis not in BUILTIN_DIAGNOSES and wrong.diagnosis not in mistakes:
                problem(
                    line,
                    f"exercise {exercise.id}: wrong answer diagnosis {wrong.diagnosis!r} is neither "
                    "a built-in diagnosis nor one of its mistakes",
                )
        if not exercise.solution.strip():
            problem(line, f"exercise {exercise.id} has no solution")
    return problems


def check_words(spec: LessonSpec, words: MarkdownLesson) -> list[LoadProblem]:
    """One language file against lesson.toml."""
    problems: list[LoadProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(LoadProblem(words.path, line, message))

    exercises = {e.id: e for e in spec.exercises}
    questions = {q.id: q for q in spec.questions}
    seen: Counter[str] = Counter()
    for block in words.blocks:
        seen[block.id] += 1
        if seen[block.id] == 2:
            problem(block.line, f"{block.id!r} appears twice")
        if block.kind == "exercise":
            _check_exercise_words(spec, block, problem)
        elif block.id not in questions:
            where = "an exercise" if block.id in exercises else "not"
            problem(block.line, f"question {block.id!r} is {where} in lesson.toml's [[question]]s")
        else:
            question = questions[block.id]
            if question.kind == "choice":
                if len(block.options) < 2:
                    problem(
                        block.line, f"choice question {block.id} needs at least two '- ' options"
                    )
                elif question.answer >= len(block.options):
                    problem(
                        block.line,
                        f"question {block.id}: answer {int(question.answer)} is not an option index "
                        f"(0..{len(block.options) - 1})",
                    )
            elif block.options:
                problem(block.line, f"{question.kind} question {block.id} has options ('- ' items)")
        if not block.prompt:
            problem(block.line, f"{block.kind} {block.id} has no prompt")
    for ident in [*exercises, *questions]:
        if ident not in seen:
            kind = "exercise" if ident in exercises else "question"
            problem(0, f"{kind} {ident!r} of lesson.toml is missing from this file")
    return problems


def _check_exercise_words(spec: LessonSpec, block: BlockWords, problem: _Report) -> None:
    exercise = next((e for e in spec.exercises if e.id == block.id), None)
    if exercise is None:
        where = "a question" if any(q.id == block.id for q in spec.questions) else "not"
        problem(block.line, f"exercise {block.id!r} is {where} in lesson.toml's [[exercise]]s")
        return
    mistakes = {m.id for m in exercise.mistakes}
    for key, line in block.feedback_lines.items():
        if key == "beside":
            if not exercise.beside:
                problem(line, f"::: beside: exercise {block.id} has no [exercise.beside] code")
            continue
        if key not in mistakes and key not in BUILTIN_DIAGNOSES:
            problem(line, f"feedback {key!r}: exercise {block.id} has no such mistake or diagnosis")
    for key in sorted(mistakes - set(block.feedback)):
        problem(block.line, f"exercise {block.id}: mistake {key!r} has no ::: feedback {key}")


def check_languages(reference: MarkdownLesson, other: MarkdownLesson) -> list[LoadProblem]:
    """A translation against the reference: the same steps, blocks and options."""
    problems: list[LoadProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(LoadProblem(other.path, line, message))

    ref_blocks = [(b.kind, b.id) for b in reference.blocks]
    blocks = [(b.kind, b.id) for b in other.blocks]
    if ref_blocks != blocks:
        problem(
            0,
            f"exercises and questions differ from {reference.path}: {_names(ref_blocks)} there, {_names(blocks)} here",
        )
    if len(reference.steps) != len(other.steps):
        problem(0, f"{len(other.steps)} steps here, {len(reference.steps)} in {reference.path}")
    else:
        for ref_step, step in zip(reference.steps, other.steps, strict=True):
            ref_id = ref_step.block.id if ref_step.block else None
            own_id = step.block.id if step.block else None
            if ref_id != own_id and ref_blocks == blocks:
                problem(
                    step.line,
                    f"this step holds {own_id}, the same step in {reference.path} holds {ref_id}",
                )
    ref_options = {b.id: len(b.options) for b in reference.blocks}
    for block in other.blocks:
        count = ref_options.get(block.id)
        if count is not None and count != len(block.options):
            problem(
                block.line,
                f"question {block.id} has {len(block.options)} options, {count} in {reference.path}",
            )
    return problems


def _names(blocks: list[tuple[str, str]]) -> str:
    return ", ".join(ident for _, ident in blocks) or "none"
