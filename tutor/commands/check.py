"""`tutor check LESSON EXERCISE [FILE|-] [--json]`: check an answer as the tutor would.

A fresh sandboxed kernel runs the lesson's setup, the exercise's setup, the learner's
code and the exercise's check; the words come from `tutor.feedback.feedback_for`, the
function the tutor uses, so the verdict and the feedback are the ones a learner sees.
Exit 0 passed, 1 not, 2 unknown lesson or exercise (or an unreadable file).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from tutor.curriculum.model import Exercise, Lesson
from tutor.feedback import with_feedback
from tutor.options import Options
from tutor.validation.answer import AnswerRun, check_answer
from tutor.validation.selection import lessons_root
from tutor.words import say

EXIT_PASSED, EXIT_FAILED, EXIT_UNKNOWN = 0, 1, 2


def main(args: argparse.Namespace, options: Options) -> int:
    """Run the command; the exit status of DESIGN.md's contract."""
    found = _find(args.lesson, args.exercise, options.lang)
    if isinstance(found, str):
        print(found, file=sys.stderr)
        return EXIT_UNKNOWN
    lesson, exercise = found
    code = _read_code(args.file)
    if code is None:
        print(say(options.lang, "cli.check-cannot-read", file=args.file), file=sys.stderr)
        return EXIT_UNKNOWN
    timeout = getattr(args, "timeout", None) or options.timeout
    run = asyncio.run(_check(lesson, exercise, code, timeout=timeout, device=options.device))
    check = with_feedback(run.check, exercise, options.lang)
    if args.json:
        print(
            json.dumps(
                _json(lesson, exercise, run, check.feedback),
                ensure_ascii=False,
                indent=2,
                allow_nan=False,
            )
        )
    else:
        print(_text(exercise, run, check.feedback))
    return EXIT_PASSED if check.passed else EXIT_FAILED


def _find(lesson_id: str, exercise_id: str, lang: str) -> tuple[Lesson, Exercise] | str:
    """The lesson and exercise, or the message saying which is unknown."""
    from tutor.curriculum.loader import load_course

    course = load_course(lang, lessons_root())
    lesson = course.lesson(lesson_id)
    if lesson is None:
        known = ", ".join(x.id for x in course.lessons) or say(lang, "cli.none")
        return say(lang, "cli.check-unknown-lesson", lesson=lesson_id, known=known)
    exercise = lesson.exercise(exercise_id)
    if exercise is None:
        known = ", ".join(e.id for e in lesson.exercises) or say(lang, "cli.none")
        return say(
            lang, "cli.check-unknown-exercise", lesson=lesson_id, exercise=exercise_id, known=known
        )
    return lesson, exercise


def _read_code(file: str | None) -> str | None:
    if file in (None, "-"):
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


async def _check(
    lesson: Lesson, exercise: Exercise, code: str, *, timeout: float, device: Any
) -> AnswerRun:
    from tutor.kernel.client import KernelClient

    kernel = KernelClient(timeout=timeout, device=device)
    try:
        await kernel.start()
        return await check_answer(kernel, lesson, exercise, code)
    finally:
        await kernel.close()


def _json(lesson: Lesson, exercise: Exercise, run: AnswerRun, feedback: str) -> dict[str, Any]:
    return {
        "lesson": lesson.id,
        "exercise": exercise.id,
        "passed": run.check.passed,
        "feedback": feedback,
        "diagnosis": run.check.diagnosis,
        "details": dict(run.check.details),
        "cells": [cell.to_json(lesson.lang) for cell in run.cells],
    }


def _text(exercise: Exercise, run: AnswerRun, feedback: str) -> str:
    lines: list[str] = []
    for cell in run.cells:
        if cell.stdout.strip():
            lines.append(cell.stdout.rstrip())
        if cell.stderr.strip():
            lines.append(cell.stderr.rstrip())
    mark = "✓" if run.check.passed else "✗"
    diagnosis = f" ({run.check.diagnosis})" if run.check.diagnosis else ""
    lines.append(f"{mark} {exercise.id}{diagnosis}: {feedback}")
    return "\n".join(lines)
