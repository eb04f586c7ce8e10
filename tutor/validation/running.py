"""The checks that need a kernel, made the way a learner meets them: walking each lesson.

One namespace per lesson (and per language whose examples differ), step by step as the
tutor's `Session` does it: the lesson's setup, each exercise's givens when its step opens,
every example in order (each must run and show its `output`). At each exercise, from
that state, the solution and every listed right answer must pass and the starter and every
listed wrong answer must fail with the diagnosis it names — judged by the same grading the
tutor uses (clean forks, outside the learner's kernel). Then the walk goes on as a learner
who solved it would: the solution runs in the namespace.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.curriculum.model import Course, Example, Exercise, Lesson
from tutor.feedback import builtin_words, feedback_for
from tutor.grading.names import names_bound_by
from tutor.kernel.api import Kernel
from tutor.kernel.protocol import CellResult, CheckResult
from tutor.session import Session
from tutor.validation.places import TomlPlaces
from tutor.validation.predictions import prove_prediction
from tutor.validation.report import Tally, display_path
from tutor.words import tell

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
    """Walk the lesson in each language whose examples differ from one already walked."""
    walked: set[tuple[tuple[str, str | None, str | None], ...]] = set()
    for lang, lesson in sorted(job.by_lang.items(), key=lambda item: item[0] != job.primary.lang):
        tally.examples[lang] = tally.examples.get(lang, 0) + len(lesson.examples)
        signature = tuple((e.code, e.output, e.raises) for e in lesson.examples)
        if signature in walked:
            continue  # the same code and outputs as another language: walked once
        walked.add(signature)
        await walk(kernel, job, lesson, tally, counted=lang == job.primary.lang)


async def walk(
    kernel: Kernel, job: LessonJob, lesson: Lesson, tally: Tally, *, counted: bool
) -> None:
    """One language's walk through the lesson, as a learner takes it."""
    await kernel.restart()
    session = Session(Course(lesson.lang, (lesson,)), kernel, None, lesson=lesson.id)
    md = str(Path(lesson.path) / f"{lesson.lang}.md")
    for index, step in enumerate(lesson.steps):
        await session.goto(lesson.id, index)
        if session.setup_error is not None:
            tally.fail(str(job.toml), 1, session.setup_error)
            return
        for example in step.examples:
            report = await session.run_cell(example.code, auto_check=False)
            problem = example_problem(example, report.result)
            if problem is not None:
                tally.fail(md, example.line, problem)
        await prove_prediction(kernel, step, job.toml, tally)
        if step.exercise is not None:
            exercise = job.primary.exercise(step.exercise.id) or step.exercise
            await judge_exercise(session, job, exercise, tally, counted=counted)
            await session.run_cell(exercise.spec.solution, auto_check=False)


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
    # For lesson authors, in English (the catalog's source language).
    return f"{result.error.type}: {tell('en', result.error.message)}".strip()[:300]


async def judge_exercise(
    session: Session, job: LessonJob, exercise: Exercise, tally: Tally, *, counted: bool
) -> None:
    """From the walk's state, the answers the exercise's kind lists (`ExerciseKind.proofs`):
    the solution and right answers pass, the starter and every wrong answer fail with the
    diagnosis they name."""
    spec = exercise.spec
    toml = str(job.toml)
    where = f"exercise `{spec.id}`" + ("" if counted else f" (walking the {session.lang} lesson)")
    tally = _Once(tally) if not counted else tally  # a second walk reports only what is new

    async def attempt(code: str) -> CheckResult:
        check = await session.judge(code)
        assert check is not None
        for lang, other in job.by_lang.items():  # the words must render in every language
            words = other.exercise(spec.id)
            if words is not None:
                feedback_for(check, words, lang)
        return check

    if counted:
        tally.exercises += 1
        if not rebinds_a_given(exercise, job.primary.setup):
            tally.fail(
                toml,
                job.places.exercise(spec.id),
                f"{where}: no listed answer rebinds a given name (add an [[exercise.right]] "
                "or [[exercise.wrong]] that does, e.g. `f = f - 32` then `c = 5 / 9 * f`)",
            )
    for proof in spec.exercise_kind.proofs(spec):
        result = await attempt(proof.code)
        if proof.key == "solution" and result.diagnosis == "check-error":
            tally.fail(toml, job.places.exercise(spec.id), f"{where}: {_explain(result)}")
            return
        line = (
            job.places.wrong(spec.id, proof.index)
            if proof.key == "wrong"
            else job.places.key(spec.id, proof.key)
        )
        label = f"{where}: {proof.label}"
        if proof.passes and not result.passed:
            tally.fail(toml, line, f"{label} does not pass: {_explain(result)}")
        elif not proof.passes and result.passed:
            tally.fail(toml, line, f"{label} passes the check")
        elif proof.diagnosis is not None and result.diagnosis != proof.diagnosis:
            tally.fail(
                toml,
                line,
                f"{label} should be diagnosed `{proof.diagnosis}`, but was: {_explain(result)}",
            )
        else:
            setattr(tally, proof.counts, getattr(tally, proof.counts) + counted)


class _Once(Tally):
    """A tally for a second language's walk: a failure at a place already reported is not
    reported again (the same wrong answer fails the same way in both walks)."""

    def __init__(self, tally: Tally) -> None:
        self.__dict__ = tally.__dict__  # the same counts and failures

    def fail(self, path: str, line: int, message: str) -> None:
        shown = display_path(path)
        if not any(f.path == shown and f.line == line for f in self.failures):
            super().fail(path, line, message)


def rebinds_a_given(exercise: Exercise, lesson_setup: str) -> bool:
    """Whether some listed answer of the exercise rebinds one of its givens."""
    spec = exercise.spec
    given = names_bound_by(spec.givens_source(lesson_setup)) - set(spec.names)
    answers = [spec.solution, *(r.code for r in spec.right), *(w.code for w in spec.wrong)]
    return not given or any(names_bound_by(code) & given for code in answers)


def _explain(check: CheckResult) -> str:
    words = builtin_words(check.diagnosis or "", check.details, "en", fallback=check.feedback)
    return f"`{check.diagnosis}`: {words}" if check.diagnosis else words
