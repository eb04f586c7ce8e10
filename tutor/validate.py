"""`tutor lessons check [PATH...]`: prove the curriculum.

Every file parses and every formula renders (the loader says so), both languages carry
the same exercises and questions (tutor.curriculum.consistency), every exercise's spec
holds together, every question has exactly one correct option, and then, in sandboxed
kernels: every example runs and shows its `output`, every solution passes, every
starter and every listed wrong answer fails with the diagnosis it names.

It prints what it checked (counts) and every failure with file and line; exit 0 when
all hold, 1 when not.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tutor.curriculum.model import Course, Lesson
from tutor.kernel.api import Kernel
from tutor.validation.places import toml_places
from tutor.validation.report import Tally
from tutor.validation.running import CELL_TIMEOUT, LessonJob, run_jobs
from tutor.validation.selection import Selection, select
from tutor.validation.static import check_exercise, check_question, record_problems


def main(paths: Sequence[str], *, as_json: bool = False) -> int:
    """The command: check, print the report, 0 when all hold."""
    tally = asyncio.run(validate(paths))
    print(tally.render_json() if as_json else tally.render_text())
    return 0 if tally.ok else 1


def default_workers() -> int:
    """Kernels run at once: `TUTOR_VALIDATE_JOBS`, else one per core up to two."""
    configured = os.environ.get("TUTOR_VALIDATE_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(2, os.cpu_count() or 1))


def _real_kernel() -> Kernel:
    from tutor.kernel.client import KernelClient

    return KernelClient(device="cpu", timeout=CELL_TIMEOUT)


async def validate(
    paths: Sequence[str],
    *,
    workers: int | None = None,
    make_kernel: Callable[[], Kernel] = _real_kernel,
) -> Tally:
    """Everything the validator proves about the lessons under `paths` (all when empty)."""
    started = time.perf_counter()
    tally = Tally()
    selections, failures = select(paths)
    tally.failures.extend(failures)
    jobs: list[LessonJob] = []
    for selection in selections:
        jobs.extend(check_statically(selection, tally))
    if jobs:
        await run_jobs(jobs, tally, workers=workers or default_workers(), make_kernel=make_kernel)
    tally.elapsed_s = time.perf_counter() - started
    return tally


def check_statically(selection: Selection, tally: Tally) -> list[LessonJob]:
    """The checks without a kernel, for one lessons root; the lessons to run next."""
    from tutor.curriculum.loader import all_problems, load_all

    if selection.folders is None:
        courses = load_all(selection.root)
    else:
        courses = load_all(only=sorted(selection.folders))
    record_problems(all_problems(courses.values()), tally)
    jobs: list[LessonJob] = []
    for lesson_id, by_lang in _lessons_by_id(courses).items():
        any_lesson = next(iter(by_lang.values()))
        if not selection.holds(any_lesson.path):
            continue
        folder = Path(any_lesson.path)
        toml = folder / "lesson.toml"
        places = toml_places(toml)
        tally.lessons += 1
        tally.files += 1 + len(by_lang)
        primary = by_lang.get("en") or any_lesson
        for exercise in primary.exercises:
            check_exercise(exercise, places, toml, tally)
        for lang, lesson in sorted(by_lang.items()):
            for question in lesson.questions:
                check_question(question, lesson, tally)
            if lang == primary.lang:
                tally.questions += len(lesson.questions)
        jobs.append(LessonJob(lesson_id, by_lang, toml, places))
    return jobs


def _lessons_by_id(courses: dict[str, Course]) -> dict[str, dict[str, Lesson]]:
    by_id: dict[str, dict[str, Lesson]] = {}
    for lang, course in sorted(courses.items()):
        for lesson in course.lessons:
            by_id.setdefault(lesson.id, {})[lang] = lesson
    return by_id
