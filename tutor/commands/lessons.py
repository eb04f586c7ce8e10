"""`tutor lessons list [--json]`: the lessons in order with their exercises and questions.

JSON (DESIGN.md's contract, plus `questions`):
`[{"id", "title", "exercises": [{"id", "kind"}], "questions": [{"id", "kind"}]}]`.
Problems with the curriculum go to stderr as a short warning pointing at
`tutor lessons check`; the listing itself still succeeds (exit 0).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from tutor.curriculum.loader import load_course
from tutor.curriculum.model import Course
from tutor.options import Options
from tutor.words import say, say_count


def lessons_as_json(course: Course) -> list[dict[str, Any]]:
    """The listing as plain data."""
    return [
        {
            "id": lesson.id,
            "title": lesson.title,
            "exercises": [{"id": e.id, "kind": e.spec.kind} for e in lesson.exercises],
            "questions": [{"id": q.id, "kind": q.kind} for q in lesson.questions],
        }
        for lesson in course.lessons
    ]


def write_listing(course: Course, out: TextIO) -> None:
    """A human-readable listing: number, id, title, then exercises and questions."""
    if not course.lessons:
        out.write(say(course.lang, "cli.no-lessons") + "\n")
    for lesson in course.lessons:
        out.write(f"{lesson.number:02d}  {lesson.id}  {lesson.title}\n")
        for exercise in lesson.exercises:
            out.write(f"      {exercise.id}  ({exercise.spec.kind})\n")
        for question in lesson.questions:
            out.write(f"      {question.id}  (question, {question.kind})\n")


def list_lessons(options: Options, *, as_json: bool, root: Path | None = None) -> int:
    """Print the lessons of `options.lang`; exit status 0."""
    course = load_course(options.lang, root)
    if as_json:
        json.dump(lessons_as_json(course), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_listing(course, sys.stdout)
    if course.problems:
        warning = say_count(options.lang, "cli.lesson-problems", len(course.problems))
        sys.stderr.write(warning + "\n")
    return 0
