"""Enter -> verdict: grading in clean forks, against the in-kernel check it replaced.

    uv run python bench/bench_grading.py [--samples 30]

For a value exercise (broadcasting/add-to-rows, with fresh re-draws) and a gradient exercise
(autodiff/grad-of-dot), the learner's correct answer is run as a cell through `Session`
after the step's examples, as a learner does, and the time until its verdict is measured
(the cell, the answer fork's re-runs, the grader's judgement). The baseline, in the same
run and the same kernel, is the first version's check: the learner's cell, then the old
`run_check` called inside the learner's own kernel (its source is read from git history,
commit 60b032e; the baseline is skipped when git is not available). Goal: ≤ 150 ms median.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tutor.curriculum.loader import load_course
from tutor.curriculum.model import Course, Lesson
from tutor.kernel.client import KernelClient
from tutor.session import Session

EXERCISES = (("broadcasting", "add-to-rows"), ("autodiff", "grad-of-dot"))
OLD_CHECK = "60b032e:tutor/kernel/worker/checking.py"


def old_check_source() -> str | None:
    """The first version's in-kernel checker, from git history (None without it)."""
    root = Path(__file__).resolve().parents[1]
    try:
        done = subprocess.run(
            ["git", "show", OLD_CHECK], cwd=root, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


async def walk_to(session: Session, lesson: Lesson, exercise_id: str) -> None:
    """Open the lesson and run every example up to the exercise's step, as a learner."""
    step = session.step_of(lesson.id, exercise_id)
    assert step is not None
    await session.goto(lesson.id, 0)
    for index in range(step + 1):
        await session.goto(lesson.id, index)
        for example in lesson.steps[index].examples:
            await session.run_cell(example.code, auto_check=False)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.9 * (len(ordered) - 1))] if ordered else float("nan")


async def measure(samples: int) -> None:
    course = load_course("en")
    old = old_check_source()
    kernel = KernelClient(device="cpu")
    await kernel.start()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'exercise':26} {'Enter->verdict':>15} {'p90':>8} {'in-kernel (old)':>16} {'ratio':>6}")
    try:
        for lesson_id, exercise_id in EXERCISES:
            lesson = course.lesson(lesson_id)
            assert lesson is not None
            exercise = lesson.exercise(exercise_id)
            assert exercise is not None
            session = Session(Course("en", (lesson,)), kernel, None, lesson=lesson.id)
            await kernel.restart()
            await walk_to(session, lesson, exercise_id)
            solution = exercise.spec.solution
            first = await session.run_cell(solution)  # the grader is made (prefetched)
            assert first.check is not None and first.check.passed, first.check
            new: list[float] = []
            parts: dict[str, list[float]] = {}
            for _ in range(samples):
                await kernel.grading.spare_ready()  # the learner's typing time
                started = time.perf_counter()
                report = await session.run_cell(solution)
                new.append((time.perf_counter() - started) * 1000)
                assert report.check is not None and report.check.passed
                for key, value in kernel.grading.timings.items():
                    parts.setdefault(key, []).append(value)
            rushed: list[float] = []
            for _ in range(max(samples // 3, 3)):  # checks back to back: no spare waits ready
                started = time.perf_counter()
                await session.run_cell(solution)
                rushed.append((time.perf_counter() - started) * 1000)
            baseline = await old_in_kernel(kernel, exercise.spec.to_wire(lesson.setup), solution,
                                           old, samples)  # fmt: skip
            ratio = median(new) / median(baseline) if baseline else float("nan")
            print(
                f"{lesson_id + '/' + exercise_id:26} {median(new):12.1f} ms {p90(new):5.0f} ms"
                f" {median(baseline):13.1f} ms {ratio:6.2f}x"
            )
            print(f"   back to back (no pause for a spare fork): {median(rushed):.1f} ms median")
            print("   parts (median ms): " + ", ".join(
                f"{k} {median(v):.1f}" for k, v in parts.items()))  # fmt: skip
    finally:
        await kernel.close()


async def old_in_kernel(
    kernel: KernelClient, spec: dict[str, object], solution: str, source: str | None, samples: int
) -> list[float]:
    """The first version's flow: the cell, then `run_check` inside the learner's kernel."""
    if source is None:
        return []
    old_spec = {**spec, "setup": spec.get("givens"), "lesson_setup": ""}
    await kernel.restart()
    await kernel.run_cell(str(spec.get("givens") or ""))
    loaded = await kernel.run_cell(
        "import sys, types\n_module = types.ModuleType('old_check')\n"
        "sys.modules['old_check'] = _module\n_old = _module.__dict__\n"
        f"exec(compile({source!r}, '<old checking.py>', 'exec'), _old)\n"
        "from tutor.kernel.worker.namespace import fresh_namespace as _fresh"
    )
    if not loaded.ok:
        print(f"   (the old checker did not load: {loaded.error})")
        return []
    check = (
        f"_verdict = _old['run_check']({old_spec!r}, {solution!r}, globals(), "
        "fresh_namespace=_fresh)['passed']"
    )
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        await kernel.run_cell(solution)
        await kernel.run_cell(check)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(measure(args.samples))


if __name__ == "__main__":
    main()
