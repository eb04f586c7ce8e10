"""`tutor progress show|reset|export|import`: the learner's record from the command line.

`show --json` prints `{"position": {"lesson", "step"}, "exercises": {"LESSON/EXERCISE":
{"status", "attempts", ...}}, "questions": {"LESSON/QUESTION": {"correct", "attempts",
...}}, "store": {"path", "persistent", "warning"}}`; before any position it is
`{"lesson": null, "step": 0}`.

`reset` asks first on a terminal; without one it needs `--yes` (exit 1 otherwise).
`export FILE` writes the JSON format of `tutor.progress.transfer` (`-` for stdout); a
damaged record is repaired first, or exported as far as it can be read;
`import FILE` merges such a file (the rule is `MERGE_RULE`); a bad file is refused with
its reason and changes nothing (exit 1), a file over `MAX_IMPORT_BYTES` before it is read.

Whatever happened to the record (repaired, set aside, not saved) is told on stderr in
the learner's language, like the tutor itself would.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tutor.progress import ExerciseRecord, InvalidProgressFile, ProgressStore
from tutor.progress.events import StoreEvent
from tutor.progress.words import cause_words, describe
from tutor.words import N_, SOURCE_LANGUAGE, say, say_count

if TYPE_CHECKING:
    from tutor.curriculum.model import Course

#: The import rule, in words for `tutor progress import --help`.
MERGE_RULE = """\
Merging keeps the best of both records: an exercise's status is the better one
(passed > revealed > attempted; when a solution was shown is kept), attempts the
larger count, the earlier first pass and the later last attempt (with its code);
a question keeps the later answer; cells and history lines are added unless
already there; your preferences win; the more recently updated position wins.
Importing the same file twice changes nothing. A bad file is refused and changes
nothing."""

MAX_IMPORT_BYTES = 256 * 1024 * 1024

#: An exercise's status, in words.
_STATUS = {
    "passed": N_("cli.status.passed"),
    "attempted": N_("cli.status.attempted"),
    "revealed": N_("cli.status.revealed"),
}


def main(args: argparse.Namespace) -> int:
    """Run `tutor progress ACTION`; returns the exit code."""
    store = ProgressStore.open()
    lang = getattr(args, "lang", None) or _saved_language(store)
    store.add_listener(lambda event: _tell(event, lang))
    try:
        for event in store.take_notices():
            _tell(event, lang)
        action = args.progress_command
        if action == "show":
            return _show(store, args, lang)
        if action == "reset":
            return _reset(store, args, lang)
        if action == "export":
            return _export(store, args.file, lang)
        if action == "import":
            return _import(store, args.file, lang)
        raise AssertionError(action)
    finally:
        store.close()


def _tell(event: StoreEvent, lang: str) -> None:
    print(f"tutor: {describe(event, lang)}", file=sys.stderr)


def _saved_language(store: ProgressStore) -> str:
    from tutor.options import LANGUAGES, default_language

    saved = store.preference("lang")
    return saved if saved in LANGUAGES else default_language()


# -- show ------------------------------------------------------------------------------------
def show_data(store: ProgressStore) -> dict[str, Any]:
    """The `show --json` document."""
    position = store.position()
    return {
        "position": {"lesson": position[0], "step": position[1]}
        if position
        else {"lesson": None, "step": 0},
        "exercises": {
            f"{lesson}/{exercise}": {
                "status": record.status,
                "attempts": record.attempts,
                "revealed": record.revealed,
                "first_passed_at": record.first_passed_at,
                "last_attempt_at": record.last_attempt_at,
            }
            for (lesson, exercise), record in store.exercises().items()
        },
        "questions": {
            f"{lesson}/{question}": {
                "correct": record.correct,
                "ever_correct": record.ever_correct,
                "attempts": record.attempts,
            }
            for (lesson, question), record in store.answers().items()
        },
        "store": {
            "path": str(store.path) if store.path else None,
            "persistent": store.persistent,
            "warning": store.warning,
        },
    }


def _show(store: ProgressStore, args: argparse.Namespace, lang: str) -> int:
    if args.json:
        return _emit(json.dumps(show_data(store), ensure_ascii=False, indent=2) + "\n")
    course = _load_course(getattr(args, "lang", None))
    return _emit("\n".join(summary_lines(store, course, lang)) + "\n")


def _emit(text: str) -> int:
    """Print to stdout; a reader that went away (`| head`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def summary_lines(
    store: ProgressStore, course: Course | None, lang: str = SOURCE_LANGUAGE
) -> list[str]:
    """The readable summary: where the learner is, then each lesson's exercises."""
    exercises = store.exercises()
    answers = store.answers()
    path = store.path or say(lang, "cli.in-memory")
    lines = [say(lang, "cli.record-path", path=path)]
    position = store.position()
    if position is None:
        lines.append(say(lang, "cli.not-started-yet"))
    else:
        lesson = course.lesson(position[0]) if course else None
        title = say(lang, "cli.lesson-title", title=lesson.title) if lesson else ""
        step = position[1] + 1
        lines.append(say(lang, "cli.stopped-at", lesson=position[0], title=title, step=step))
    known: set[str] = set()
    if course is not None:
        for lesson in course.lessons:
            known.add(lesson.id)
            ids = [e.id for e in lesson.exercises]
            passed = sum(
                1
                for e in ids
                if (r := exercises.get((lesson.id, e))) is not None and r.status == "passed"
            )
            questions = [q.id for q in lesson.questions]
            correct = sum(
                1 for q in questions if (a := answers.get((lesson.id, q))) and a.ever_correct
            )
            lines.append(
                say(
                    lang,
                    "cli.lesson-summary",
                    number=lesson.number,
                    title=lesson.title,
                    id=lesson.id,
                    passed=passed,
                    exercises=len(ids),
                    correct=correct,
                    questions=len(questions),
                )
            )
            if any(lesson_id == lesson.id for lesson_id, _ in [*exercises, *answers]):
                lines.extend(_exercise_line(e, exercises.get((lesson.id, e)), lang) for e in ids)
    stale = sorted({lesson for lesson, _ in [*exercises, *answers]} - known)
    if stale:
        lines.append("")
        heading = N_("cli.lessons-in-record") if course is None else N_("cli.lessons-not-in-course")
        lines.append(say(lang, heading))
        for lesson_id in stale:
            own = [(e, r) for (lesson, e), r in exercises.items() if lesson == lesson_id]
            right = sum(
                1 for (lesson, _), a in answers.items() if lesson == lesson_id and a.ever_correct
            )
            asked = sum(1 for lesson, _ in answers if lesson == lesson_id)
            answered = say(
                lang, "cli.questions-answered", lesson=lesson_id, right=right, asked=asked
            )
            lines.append(f"  {answered}")
            lines.extend(_exercise_line(e, r, lang) for e, r in own)
    return lines


def _exercise_line(exercise: str, record: ExerciseRecord | None, lang: str) -> str:
    if record is None:
        return "    " + say(lang, "cli.exercise-not-started", exercise=exercise)
    attempts = say_count(lang, "cli.attempts", record.attempts)
    shown = record.revealed and record.status == "passed"
    note = say(lang, "cli.solution-shown") if shown else ""
    status = say(lang, _STATUS[record.status]) if record.status in _STATUS else record.status
    line = say(
        lang, "cli.exercise-record", exercise=exercise, status=status, attempts=attempts, note=note
    )
    return "    " + line


def _load_course(lang: str | None) -> Course | None:
    """The curriculum in `lang`, or None when it cannot be loaded (then ids are shown)."""
    from tutor.curriculum.loader import load_course
    from tutor.options import default_language

    try:
        return load_course(lang or default_language())
    except Exception:  # a missing or broken curriculum must not hide the record
        return None


# -- reset -------------------------------------------------------------------------------------
def _reset(store: ProgressStore, args: argparse.Namespace, lang: str) -> int:
    lesson: str | None = args.lesson
    what = (
        say(lang, "cli.record-of-lesson", lesson=lesson)
        if lesson
        else say(lang, "cli.whole-record")
    )
    if not store.persistent:
        print(say(lang, "cli.reset-impossible", what=what), file=sys.stderr)
        return 1
    if not args.yes:
        if not sys.stdin.isatty():
            print(say(lang, "cli.reset-needs-terminal", what=what), file=sys.stderr)
            return 1
        try:
            reply = input(say(lang, "cli.reset-confirm", what=what))
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes"):
            print(say(lang, "cli.nothing-changed"))
            return 1
    store.reset(lesson)
    if store.write_failures:
        store.drop_waiting()  # not retried at exit: the learner is told it did not happen
        print(say(lang, "cli.reset-failed", what=what), file=sys.stderr)
        return 1
    print(say(lang, "cli.forgot", what=what))
    return 0


# -- export / import -------------------------------------------------------------------------------
def _export(store: ProgressStore, file: str, lang: str) -> int:
    try:
        record = store.export()
    except Exception as exc:  # the file cannot even be read to be salvaged
        from tutor.progress.causes import cause_of

        why = cause_words(cause_of(exc, store.path), store.path, lang)
        print(say(lang, "cli.cannot-read-record", why=why, error=exc), file=sys.stderr)
        return 1
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    if file == "-":
        return _emit(text)
    target = Path(file)
    try:
        _write_atomically(target, text)
    except OSError as exc:
        error = exc.strerror or exc
        print(say(lang, "cli.cannot-write", target=target, error=error), file=sys.stderr)
        return 1
    print(say(lang, "cli.wrote", target=target))
    return 0


def _write_atomically(target: Path, text: str) -> None:
    """Write a whole file or nothing (a temporary file beside it, then a rename)."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _import(store: ProgressStore, file: str, lang: str) -> int:
    if not store.persistent:
        print(say(lang, "cli.import-impossible"), file=sys.stderr)
        return 1
    try:
        data = _read_json(file)
        report = store.import_(data)
    except InvalidProgressFile as exc:
        print(say(lang, "cli.import-refused", file=file, error=exc), file=sys.stderr)
        return 1
    except Exception as exc:
        print(say(lang, "cli.import-failed", error=exc), file=sys.stderr)
        return 1
    print(say(lang, "cli.imported", file=file, summary=report.summary()))
    return 0


def _read_json(file: str) -> Any:
    """The file's JSON; its size is checked before it is read (at most the limit is read
    from a pipe)."""
    try:
        if file == "-":
            raw = _read_capped(sys.stdin.buffer)
        else:
            with open(file, "rb") as handle:
                raw = _read_capped(handle)
    except OSError as exc:
        raise InvalidProgressFile(f"cannot read it ({exc.strerror or exc})") from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidProgressFile("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InvalidProgressFile(
            f"it is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def _read_capped(handle: BinaryIO) -> bytes:
    """All of `handle`, refused (InvalidProgressFile) past `MAX_IMPORT_BYTES`: a regular
    file by its size, before a byte is read; a pipe as soon as it goes past the limit."""
    too_large = InvalidProgressFile(f"it is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    size = 0
    with contextlib.suppress(OSError, ValueError):  # no descriptor (a test's stream)
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode):
            size = info.st_size - handle.tell()
    if size > MAX_IMPORT_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(1 << 20):
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
