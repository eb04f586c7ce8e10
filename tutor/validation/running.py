"""The checks that need a kernel: examples run and show their output, solutions pass,
starters and wrong answers fail with the diagnosis they name.

One kernel per worker, one fork (a restart, a few milliseconds) per namespace: every
example sequence and every candidate answer starts from a fresh namespace, so no
answer can lean on the names another one left behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.curriculum.model import Example, Exercise, Lesson
from tutor.feedback import builtin_words, feedback_for
from tutor.kernel.api import Kernel
from tutor.kernel.protocol import CellResult, CheckResult
from tutor.setup_code import filling_setup
from tutor.validation.answer import check_answer
from tutor.validation.places import TomlPlaces
from tutor.validation.predictions import prove_prediction
from tutor.validation.report import Tally

#: A cell of a lesson gets this long (the learner's default is shorter; CI machines are slow).
CELL_TIMEOUT = 30.0


@dataclass(frozen=True)
class LessonJob:
    """One lesson in every language, with the places its messages point at."""

    lesson_id: str
    by_lang: dict[str, Lesson]
    toml: Path
    places: TomlPlaces

    @property
    def primary(self) -> Lesson:
        """The lesson whose exercise objects are run (the specs are shared by all languages)."""
        return self.by_lang.get("en") or next(iter(self.by_lang.values()))


async def run_jobs(
    jobs: Sequence[LessonJob],
    tally: Tally,
    *,
    workers: int,
    make_kernel: Callable[[], Kernel],
) -> None:
    """Run every lesson's dynamic checks on `workers` kernels at once."""
    queue: asyncio.Queue[LessonJob] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def work() -> None:
        kernel = make_kernel()
        try:
            try:
                await kernel.start()
            except Exception as exc:
                tally.fail("<kernel>", 0, f"the TensorFlow kernel could not start: {exc}")
                return
            while not queue.empty():
                job = queue.get_nowait()
                await run_lesson(kernel, job, tally)
        finally:
            await kernel.close()

    await asyncio.gather(*(work() for _ in range(max(1, min(workers, len(jobs))))))


async def run_lesson(kernel: Kernel, job: LessonJob, tally: Tally) -> None:
    """Examples in every language, then every exercise's candidate answers."""
    if not await run_examples(kernel, job, tally):
        return
    lesson = job.primary
    for exercise in lesson.exercises:
        await run_exercise(kernel, job, exercise, tally)


async def _fresh(kernel: Kernel, lesson: Lesson, job: LessonJob, tally: Tally) -> bool:
    """A fresh namespace with the lesson's setup run; False (and a failure) if it raises."""
    await kernel.restart()
    if not lesson.setup.strip():
        return True
    result = await kernel.run_cell(lesson.setup, timeout=CELL_TIMEOUT)
    if not result.ok:
        tally.fail(str(job.toml), 1, f"the lesson's setup fails: {_error_text(result)}")
        return False
    return True


async def run_examples(kernel: Kernel, job: LessonJob, tally: Tally) -> bool:
    """Each language's examples in order in one namespace. False when the setup is broken."""
    proved: set[tuple[tuple[str, str | None, str | None], ...]] = set()
    for lang, lesson in sorted(job.by_lang.items()):
        examples = lesson.examples
        tally.examples[lang] = tally.examples.get(lang, 0) + len(examples)
        signature = tuple((e.code, e.output, e.raises) for e in examples) + tuple(
            (s.exercise.spec.setup, None, None) for s in lesson.steps if s.exercise is not None
        )
        if signature in proved:
            continue  # the same code and outputs as another language: proved once
        proved.add(signature)
        if not await _fresh(kernel, lesson, job, tally):
            return False
        md = str(Path(lesson.path) / f"{lang}.md")
        for step in lesson.steps:
            # as in the tutor (Session.prepare): an exercise's setup runs when its step opens,
            # so the examples of that step and of later ones see the names it binds
            exercise = step.exercise
            if exercise is not None and exercise.spec.setup.strip():
                result = await kernel.run_cell(
                    filling_setup(exercise.spec.setup), timeout=CELL_TIMEOUT
                )
                if not result.ok:
                    tally.fail(
                        str(job.toml),
                        1,
                        f"the setup of `{exercise.id}` fails: {_error_text(result)}",
                    )
            for example in step.examples:
                result = await kernel.run_cell(example.code, timeout=CELL_TIMEOUT)
                problem = example_problem(example, result)
                if problem is not None:
                    tally.fail(md, example.line, problem)
            await prove_prediction(kernel, step, job.toml, tally)
    return True


def example_problem(example: Example, result: CellResult) -> str | None:
    """Why an example's result is not what the lesson says, or None."""
    if example.raises:
        wanted = example.raises.rsplit(".", 1)[-1]
        if result.ok:
            return f"the example should raise {wanted} but ran without error"
        got = result.error.type.rsplit(".", 1)[-1] if result.error else result.outcome
        if got != wanted:
            return f"the example should raise {wanted} but {_error_text(result)}"
        return None
    if not result.ok:
        return f"the example fails: {_error_text(result)}"
    if example.output is None:
        return None
    shown = shown_text(result)
    wanted_text = normalise(example.output)
    if shown == wanted_text:
        return None
    return f"the example's output differs: {_first_difference(wanted_text, shown)}"


def shown_text(result: CellResult) -> str:
    """What a cell shows: what it printed, then its trailing expression's value."""
    text = result.stdout
    if result.value is not None:
        text = (text if not text or text.endswith("\n") else text + "\n") + result.value
    return normalise(text)


def normalise(text: str) -> str:
    """Trailing spaces of every line and trailing blank lines do not count."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def _first_difference(wanted: str, shown: str) -> str:
    wanted_lines, shown_lines = wanted.splitlines(), shown.splitlines()
    for number, (w, s) in enumerate(zip(wanted_lines, shown_lines, strict=False), start=1):
        if w != s:
            return f"line {number}: expected {w!r}, got {s!r}"
    if len(wanted_lines) > len(shown_lines):
        return (
            f"line {len(shown_lines) + 1}: expected {wanted_lines[len(shown_lines)]!r}, got nothing"
        )
    return f"line {len(wanted_lines) + 1}: unexpected {shown_lines[len(wanted_lines)]!r}"


def _error_text(result: CellResult) -> str:
    if result.error is None:
        return f"the cell ended with {result.outcome}"
    return f"{result.error.type}: {result.error.message}".strip()[:300]


async def run_exercise(kernel: Kernel, job: LessonJob, exercise: Exercise, tally: Tally) -> None:
    """The solution passes; the starter and every wrong answer fail as the lesson says."""
    spec = exercise.spec
    lesson = job.primary
    toml = str(job.toml)
    where = f"exercise `{spec.id}`"
    tally.exercises += 1

    async def attempt(code: str) -> CheckResult:
        await kernel.restart()
        run = await check_answer(kernel, lesson.setup, spec, code)
        for lang, other in job.by_lang.items():  # the words must render in every language
            words = other.exercise(spec.id)
            if words is not None:
                feedback_for(run.check, words, lang)
        return run.check

    solved = await attempt(spec.solution)
    if solved.diagnosis == "check-error":
        tally.fail(toml, job.places.exercise(spec.id), f"{where}: {_explain(solved)}")
        return
    if solved.passed:
        tally.solutions += 1
    else:
        tally.fail(
            toml,
            job.places.key(spec.id, "solution"),
            f"{where}: the solution does not pass: {_explain(solved)}",
        )
    if spec.starter is not None and spec.starter.strip():
        started = await attempt(spec.starter)
        if started.passed:
            tally.fail(
                toml, job.places.key(spec.id, "starter"), f"{where}: the starter passes the check"
            )
        else:
            tally.starters += 1
    for index, right in enumerate(spec.right):
        result = await attempt(right.code)
        if result.passed:
            tally.solutions += 1
        else:
            tally.fail(
                toml,
                job.places.key(spec.id, "right"),
                f"{where}: right answer {index + 1} does not pass: {_explain(result)}",
            )
    for index, wrong in enumerate(spec.wrong):
        result = await attempt(wrong.code)
        line = job.places.wrong(spec.id, index)
        label = f"{where}: wrong answer {index + 1}"
        if result.passed:
            tally.fail(toml, line, f"{label} passes the check")
        elif result.diagnosis != wrong.diagnosis:
            tally.fail(
                toml,
                line,
                f"{label} should be diagnosed `{wrong.diagnosis}`, but was: {_explain(result)}",
            )
        else:
            tally.wrong_answers += 1


def _explain(check: CheckResult) -> str:
    words = builtin_words(check.diagnosis or "", check.details, "en", fallback=check.feedback)
    return f"`{check.diagnosis}`: {words}" if check.diagnosis else words
