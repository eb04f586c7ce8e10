"""Load the curriculum from `lessons/`: folders `NN-id` with lesson.toml, en.md, zh.md.

`load_course(lang)` builds the `Course` of one language. One bad lesson never
stops the others: its problems go to `Course.problems` and it is left out.
What leaves a lesson out (in that language): a problem in lesson.toml, in the
language's .md file, or between the two. What does not: a formula the renderer
cannot draw (shown as its source, reported), and differences between a
translation and the English reference (reported on the translation only, so
`load_all` does not report them twice). English is the reference language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.curriculum.consistency import check_languages, check_spec, check_words
from tutor.curriculum.lesson_toml import LessonSpec, QuestionSpec, parse_lesson_toml
from tutor.curriculum.markdown_lesson import MarkdownLesson, MarkdownStep, parse_markdown
from tutor.curriculum.model import (
    Course,
    Exercise,
    ExerciseSpec,
    Lesson,
    LoadProblem,
    Question,
    Step,
)
from tutor.options import LANGUAGES

REFERENCE_LANGUAGE = "en"
FOLDER_PATTERN = re.compile(r"(\d{2})-([A-Za-z0-9][A-Za-z0-9_-]*)\Z")


@dataclass(frozen=True)
class LessonFolder:
    """A lesson folder and what its name says: place in the course and id."""

    path: Path
    number: int
    id: str


def lesson_folders(
    root: Path | None = None, *, only: Sequence[Path] = ()
) -> tuple[list[LessonFolder], list[LoadProblem]]:
    """The lesson folders in course order (or just `only`), and misnamed ones."""
    problems: list[LoadProblem] = []
    if only:
        candidates = [p.parent if p.is_file() else p for p in only]
    else:
        base = root if root is not None else _default_root()
        if not base.is_dir():
            return [], [LoadProblem(str(base), 0, "the lessons folder does not exist")]
        candidates = [
            p for p in sorted(base.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))
        ]
    folders: list[LessonFolder] = []
    for path in candidates:
        match = FOLDER_PATTERN.match(path.name)
        if not path.is_dir():
            problems.append(LoadProblem(str(path), 0, "not a lesson folder"))
        elif match is None:
            problems.append(
                LoadProblem(str(path), 0, "a lesson folder is named NN-id, e.g. 01-tensors")
            )
        else:
            folders.append(LessonFolder(path, int(match.group(1)), match.group(2)))
    folders.sort(key=lambda f: (f.number, f.id))
    numbers: dict[int, LessonFolder] = {}
    for folder in folders:
        if folder.number in numbers:
            problems.append(
                LoadProblem(
                    str(folder.path),
                    0,
                    f"number {folder.number:02d} is also {numbers[folder.number].path.name}",
                )
            )
        numbers.setdefault(folder.number, folder)
    return folders, problems


def lesson_ids(root: Path | None = None) -> list[str]:
    """The lesson ids in course order, from the folder names alone (cheap)."""
    folders, _ = lesson_folders(root)
    return list(dict.fromkeys(f.id for f in folders))


def load_course(lang: str, root: Path | None = None, *, only: Sequence[Path] = ()) -> Course:
    """The lessons of one language, in order, with everything that is wrong."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    folders, problems = lesson_folders(root, only=only)
    lessons: list[Lesson] = []
    for folder in folders:
        lesson, found = load_lesson(folder, lang)
        problems.extend(found)
        if lesson is None:
            continue
        if any(x.id == lesson.id for x in lessons):
            problems.append(
                LoadProblem(str(folder.path), 0, f"the lesson id {lesson.id!r} is used twice")
            )
            continue
        lessons.append(lesson)
    return Course(lang, tuple(lessons), tuple(problems))


def load_all(root: Path | None = None, *, only: Sequence[Path] = ()) -> dict[str, Course]:
    """Every language's course (problems of lesson.toml appear in each)."""
    return {lang: load_course(lang, root, only=only) for lang in LANGUAGES}


def all_problems(courses: Iterable[Course]) -> list[LoadProblem]:
    """The problems of several courses, each once, in order."""
    return list(dict.fromkeys(p for course in courses for p in course.problems))


def load_lesson(folder: LessonFolder, lang: str) -> tuple[Lesson | None, list[LoadProblem]]:
    """One lesson in one language, or None with the problems that leave it out."""
    toml_path = folder.path / "lesson.toml"
    text, problems = _read(toml_path)
    spec: LessonSpec | None = None
    if text is not None:
        spec, found = parse_lesson_toml(text, str(toml_path))
        problems += found
    if spec is not None:
        problems += check_spec(spec)
        if spec.id != folder.id:
            problems.append(
                LoadProblem(
                    str(toml_path), 1, f"id {spec.id!r} differs from the folder's {folder.id!r}"
                )
            )
    words, formula_problems = _read_words(folder.path / f"{lang}.md", problems)
    if spec is not None and words is not None:
        problems += check_words(spec, words)
    notes = list(formula_problems)
    if lang != REFERENCE_LANGUAGE and words is not None:
        reference, _ = _read_words(folder.path / f"{REFERENCE_LANGUAGE}.md", [])
        if reference is not None:
            notes += check_languages(reference, words)
    if problems or spec is None or words is None:
        return None, problems + notes
    return _build(folder, lang, spec, words), notes


def _read(path: Path) -> tuple[str | None, list[LoadProblem]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return None, [LoadProblem(str(path), 0, "the file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [LoadProblem(str(path), 0, f"cannot read: {exc}")]


def _read_words(
    path: Path, problems: list[LoadProblem]
) -> tuple[MarkdownLesson | None, list[LoadProblem]]:
    text, found = _read(path)
    problems += found
    if text is None:
        return None, []
    parsed = parse_markdown(text, str(path))
    problems += parsed.problems
    return parsed.lesson, parsed.formula_problems


def _build(folder: LessonFolder, lang: str, spec: LessonSpec, words: MarkdownLesson) -> Lesson:
    exercises = {e.id: e for e in spec.exercises}
    questions = {q.id: q for q in spec.questions}
    steps = tuple(_step(s, exercises, questions) for s in words.steps)
    return Lesson(
        id=spec.id,
        number=folder.number,
        title=words.title,
        lang=lang,
        steps=steps,
        setup=spec.setup,
        path=str(folder.path),
        moved_from=dict(spec.moved_from),
    )


def _step(
    step: MarkdownStep, exercises: dict[str, ExerciseSpec], questions: dict[str, QuestionSpec]
) -> Step:
    block = step.block
    exercise: Exercise | None = None
    question: Question | None = None
    if block is not None and block.kind == "exercise":
        spec = exercises[block.id]
        exercise = Exercise(spec, block.prompt, block.hints, dict(block.feedback))
    elif block is not None:
        truth = questions[block.id]
        question = Question(
            id=truth.id,
            kind=truth.kind,
            prompt=block.prompt,
            options=block.options,
            answer=truth.answer,
            tolerance=truth.tolerance,
            explanation=block.explanation,
            hints=block.hints,
            ask=truth.ask,
            code=truth.code,
            expected=truth.expected,
        )
    return Step(step.title, step.text, step.examples, exercise, question)


def _default_root() -> Path:
    from tutor.paths import lessons_dir

    return lessons_dir()
