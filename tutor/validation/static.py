"""The checks that need no kernel, beyond what the loader and
tutor.curriculum.consistency already report: every piece of an exercise's code
parses, what the exercise's kind requires of it (a function exercise has inputs), a question's options are distinct and a
number question's answer is usable.
"""

from __future__ import annotations

import math
from pathlib import Path

from tutor.curriculum.model import Exercise, Lesson, LoadProblem, Question
from tutor.validation.places import TomlPlaces, block_lines
from tutor.validation.report import Tally


def record_problems(problems: list[LoadProblem], tally: Tally) -> None:
    """The loader's and the consistency check's problems, as failures."""
    for problem in problems:
        tally.fail(problem.path, problem.line, problem.message)


def check_exercise(exercise: Exercise, places: TomlPlaces, toml: Path, tally: Tally) -> None:
    """What can be proved about an exercise's spec without running it."""
    spec = exercise.spec
    where = f"exercise `{spec.id}`"
    for key, message in spec.exercise_kind.spec_problems(spec):
        line = places.key(spec.id, key) if key else places.exercise(spec.id)
        tally.fail(str(toml), line, f"{where} {message}")
    for key, label, source, mode in _sources(exercise):
        try:
            compile(source, label, mode)
        except SyntaxError as exc:
            tally.fail(
                str(toml), places.key(spec.id, key), f"{where}: {label} does not parse: {exc.msg}"
            )


def _sources(exercise: Exercise) -> list[tuple[str, str, str, str]]:
    """(lesson.toml key, label, code, compile mode) of every piece of code of an exercise."""
    spec = exercise.spec
    sources = [
        ("solution", "the solution", spec.solution, "exec"),
        ("setup", "the setup", spec.setup, "exec"),
    ]
    if spec.fresh:
        sources.append(("fresh", "`fresh`", spec.fresh, "exec"))
    if spec.starter:
        sources.append(("starter", "the starter", spec.starter, "exec"))
    if spec.inputs:
        sources.append(("inputs", "`inputs`", spec.inputs.strip(), "eval"))
    sources.extend(
        ("wrong", f"wrong answer {i + 1}", w.code, "exec") for i, w in enumerate(spec.wrong)
    )
    sources.extend(
        ("mistake", f"mistake {m.id}'s `when`", m.when.strip(), "eval") for m in spec.mistakes
    )
    sources.extend(
        ("right", f"right answer {i + 1}", r.code, "exec") for i, r in enumerate(spec.right)
    )
    if spec.beside:
        sources.append(("beside", "`beside`", spec.beside, "exec"))
    if spec.random:
        sources.append(("random", "`random.expected`", spec.random.expected.strip(), "eval"))
        sources.append(("random", "`random.stderr`", spec.random.stderr.strip(), "eval"))
    return sources


def check_question(question: Question, lesson: Lesson, tally: Tally) -> None:
    """Exactly one correct option (no option twice); a number question has a usable answer."""
    md = Path(lesson.path) / f"{lesson.lang}.md"
    line = block_lines(md).get(question.id, 0)
    where = f"question `{question.id}`"
    if question.kind == "choice":
        options = [" ".join(o.split()) for o in question.options]
        if len(set(options)) != len(options):
            tally.fail(
                str(md), line, f"{where} repeats an option, so more than one option is correct"
            )
        if not float(question.answer).is_integer():
            tally.fail(
                str(md), line, f"{where}: the answer {question.answer:g} is not an option's index"
            )
    elif not math.isfinite(question.answer) or not question.tolerance >= 0:
        tally.fail(str(md), line, f"{where} needs a finite answer and a tolerance of 0 or more")
