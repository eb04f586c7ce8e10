"""The checks that need no kernel: the loader's problems, cross-language consistency,
exercise specs that can be proved by reading them, and questions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from tutor.curriculum.model import Course, Exercise, Lesson, LoadProblem, Question
from tutor.feedback import DIAGNOSES
from tutor.validation.places import TomlPlaces, block_lines
from tutor.validation.report import Tally


def record_problems(problems: list[LoadProblem], tally: Tally) -> None:
    """The loader's and the consistency check's problems, as failures."""
    for problem in problems:
        tally.fail(problem.path, problem.line, problem.message)


def consistency_problems(courses: Mapping[str, Course]) -> list[LoadProblem]:
    """Static cross-language checks, from tutor.curriculum.consistency."""
    from tutor.curriculum import consistency

    return list(consistency.check_courses(courses))


def check_exercise(
    exercise: Exercise, lessons: Mapping[str, Lesson], places: TomlPlaces, toml: Path, tally: Tally
) -> None:
    """What can be proved about an exercise without running it."""
    spec = exercise.spec
    line = places.exercise(spec.id)
    where = f"exercise `{spec.id}`"
    mistakes = {m.id for m in spec.mistakes}
    if not spec.wrong:
        tally.fail(str(toml), line, f"{where} lists no wrong answer (`[[exercise.wrong]]`)")
    for index, wrong in enumerate(spec.wrong):
        if wrong.diagnosis not in DIAGNOSES and wrong.diagnosis not in mistakes:
            tally.fail(
                str(toml),
                places.wrong(spec.id, index),
                f"{where}: wrong answer {index + 1} names `{wrong.diagnosis}`, which is neither a "
                "built-in diagnosis nor one of the exercise's mistakes",
            )
    if spec.kind == "function" and not (spec.inputs or "").strip():
        tally.fail(str(toml), line, f"{where} is a function exercise without `inputs`")
    for label, source, mode in _sources(exercise):
        try:
            compile(source, label, mode)
        except SyntaxError as exc:
            tally.fail(
                str(toml),
                places.key(spec.id, label.split()[0]),
                f"{where}: {label} does not parse: {exc.msg}",
            )
    for lang, lesson in lessons.items():
        words = lesson.exercise(spec.id)
        if words is None:
            continue  # consistency reports a missing exercise
        md = Path(lesson.path) / f"{lang}.md"
        md_line = block_lines(md).get(spec.id, 0)
        for mistake in sorted(mistakes - set(words.feedback)):
            tally.fail(
                str(md), md_line, f"{where}: no `::: feedback {mistake}` words for its mistake"
            )
        for key in sorted(set(words.feedback) - mistakes - set(DIAGNOSES)):
            tally.fail(
                str(md),
                md_line,
                f"{where}: `::: feedback {key}` is neither a mistake of lesson.toml nor a built-in diagnosis",
            )


def _sources(exercise: Exercise) -> list[tuple[str, str, str]]:
    spec = exercise.spec
    sources = [("solution", spec.solution, "exec"), ("setup", spec.setup, "exec")]
    if spec.fresh:
        sources.append(("fresh", spec.fresh, "exec"))
    if spec.starter:
        sources.append(("starter", spec.starter, "exec"))
    if spec.inputs:
        sources.append(("inputs", spec.inputs.strip(), "eval"))
    sources.extend((f"wrong answer {i + 1}", w.code, "exec") for i, w in enumerate(spec.wrong))
    sources.extend((f"mistake {m.id} `when`", m.when.strip(), "eval") for m in spec.mistakes)
    return sources


def check_question(question: Question, lesson: Lesson, tally: Tally) -> None:
    """A choice question has options and exactly one correct one; a number question a value."""
    md = Path(lesson.path) / f"{lesson.lang}.md"
    line = block_lines(md).get(question.id, 0)
    where = f"question `{question.id}`"
    if question.kind == "choice":
        options = [o.strip() for o in question.options]
        answer = question.answer
        if len(options) < 2:
            tally.fail(
                str(md), line, f"{where} has {len(options)} option(s); a choice needs two or more"
            )
        if not float(answer).is_integer() or not 0 <= answer < len(options):
            tally.fail(
                str(md),
                line,
                f"{where}: the answer {answer:g} is not one of its {len(options)} options",
            )
        if len(set(options)) != len(options):
            tally.fail(str(md), line, f"{where} repeats an option, so more than one is correct")
    elif question.kind == "number":
        if question.options:
            tally.fail(str(md), line, f"{where} is a number question but lists options")
        if not math.isfinite(question.answer) or not question.tolerance > 0:
            tally.fail(str(md), line, f"{where} needs a finite answer and a positive tolerance")
    else:
        tally.fail(str(md), line, f"{where} has an unknown kind `{question.kind}`")
