"""Parse a lesson's `lesson.toml`: the language-free truth of its exercises and questions.

tomllib reads the file; this module checks types, required keys and unknown keys
(a typo such as `soluton` is an error, not a silently missing solution) and
builds `ExerciseSpec`s. tomllib gives no positions, so lines for messages come
from a scan of the raw text for the `[[exercise]]` / `[[question]]` headers and
`key =` lines: good enough to send an author to the right table.
Cross-checks (ids unique, wrong answers present, words in both languages) are
`tutor.curriculum.consistency`'s job.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, cast

from tutor.curriculum.kinds import KINDS
from tutor.curriculum.markdown_lesson import ID_PATTERN
from tutor.curriculum.model import (
    ExerciseSpec,
    LoadProblem,
    Mistake,
    PredictAsk,
    QuestionKind,
    RandomAnswer,
    RightAnswer,
    Skill,
    WrongAnswer,
)
from tutor.predictions import (
    ASKS,
    DEFAULT_RTOL,
    Raises,
    ends_in_expression,
    outside_names,
    parse_prediction,
    uses_randomness,
)

#: Diagnoses the checker knows without a lesson's help (lessons/README.md), in the
#: order it tries them.
BUILTIN_DIAGNOSES = (
    "missing", "error", "not-callable", "forbidden", "tape-required", "grad-none", "type",
    "dtype", "rank", "transposed", "wrong-axis", "keepdims", "shape", "elementwise", "sign",
    "factor", "conditional", "random", "constant", "values",
)  # fmt: skip
SKILLS: tuple[Skill, ...] = ("tape",)
QUESTION_KINDS: tuple[QuestionKind, ...] = ("choice", "number", "predict")
DTYPES = (
    "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
    "bool", "complex64", "complex128", "string",
)  # fmt: skip

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOP_KEYS = {"id", "setup", "exercise", "question", "moved_from"}
_EXERCISE_KEYS = {
    "id", "kind", "names", "setup", "fresh", "solution", "starter", "dtype", "rtol", "atol",
    "inputs", "forbid", "require", "wrong", "mistake", "right", "skill", "beside", "random",
}  # fmt: skip
_QUESTION_KEYS = {"id", "kind", "answer", "tolerance", "ask", "code"}


@dataclass(frozen=True)
class QuestionSpec:
    """The language-free truth of a question: its kind and answer."""

    id: str
    kind: QuestionKind
    answer: float
    tolerance: float = 1e-3
    line: int = 0
    #: Predict: what is asked, the code, and the answer as text (see `Question`).
    ask: PredictAsk | None = None
    code: str = ""
    expected: str = ""


@dataclass(frozen=True)
class LessonSpec:
    """A parsed `lesson.toml`."""

    path: str
    id: str
    setup: str = ""
    exercises: tuple[ExerciseSpec, ...] = ()
    questions: tuple[QuestionSpec, ...] = ()
    #: Line of each exercise's `[[exercise]]` header, by id.
    exercise_lines: dict[str, int] = field(default_factory=dict)
    #: `[moved_from]`: item id -> the lesson it was recorded under before.
    moved_from: dict[str, str] = field(default_factory=dict)


class _Lines:
    """Where tables and keys sit in the raw text (tomllib does not say)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {"exercise": [], "question": []}
        for number, line in enumerate(self.lines, 1):
            match = re.match(r"\s*\[\[\s*(exercise|question)\s*\]\]", line)
            if match:
                self.headers[match.group(1)].append(number)
        starts = sorted(n for ns in self.headers.values() for n in ns)
        self.ends = {n: next((m for m in starts if m > n), len(self.lines) + 1) for n in starts}

    def table(self, kind: str, index: int) -> int:
        found = self.headers[kind]
        return found[index] if index < len(found) else 0

    def key(self, table_line: int, key: str) -> int:
        """The line of `key =` in the table starting at table_line (0: the top)."""
        start = table_line
        end = self.ends.get(table_line, min(self.ends, default=len(self.lines) + 1))
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        for number in range(start + 1 if start else 1, end):
            if pattern.match(self.lines[number - 1]):
                return number
        return table_line


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.where = _Lines(text)
        self.problems: list[LoadProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(LoadProblem(self.path, line, message))

    def value(
        self, table: dict[str, Any], key: str, types: tuple[type, ...], at: int, *, required: bool
    ) -> Any:
        if key not in table:
            if required:
                self.problem(at, f"missing required key {key!r}")
            return None
        value = table[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            names = " or ".join(t.__name__.replace("str", "string") for t in types)
            self.problem(self.where.key(at, key), f"{key!r} must be a {names}, not {value!r}")
            return None
        return value

    def text(
        self, table: dict[str, Any], key: str, at: int, *, required: bool = False
    ) -> str | None:
        return cast("str | None", self.value(table, key, (str,), at, required=required))

    def number(self, table: dict[str, Any], key: str, at: int, default: float) -> float:
        value = self.value(table, key, (int, float), at, required=False)
        if value is None:
            return default
        if value < 0:
            self.problem(self.where.key(at, key), f"{key!r} must not be negative")
        return float(value)

    def strings(
        self, table: dict[str, Any], key: str, at: int, *, required: bool
    ) -> tuple[str, ...]:
        value = self.value(table, key, (list,), at, required=required)
        if value is None:
            return ()
        if not all(isinstance(x, str) and _IDENTIFIER.match(x) for x in value):
            self.problem(self.where.key(at, key), f"{key!r} must be a list of Python names")
            return ()
        return tuple(value)

    def unknown(self, table: dict[str, Any], known: set[str], at: int, what: str) -> None:
        for key in sorted(set(table) - known):
            self.problem(
                self.where.key(at, key),
                f"unknown key {key!r} in {what} (known: {', '.join(sorted(known))})",
            )

    def tables(self, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = document.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            self.problem(self.where.key(0, key), f"{key!r} must be [[{key}]] tables")
            return []
        return value

    # exercises ---------------------------------------------------------------

    def exercise(self, table: dict[str, Any], at: int) -> ExerciseSpec | None:
        self.unknown(table, _EXERCISE_KEYS, at, "[[exercise]]")
        before = len(self.problems)
        ident = self.text(table, "id", at, required=True) or ""
        if ident and not ID_PATTERN.match(ident):
            self.problem(
                self.where.key(at, "id"), f"exercise id {ident!r}: use letters, digits, - and _"
            )
        kind = self.text(table, "kind", at, required=True)
        if kind is not None and kind not in KINDS:
            self.problem(
                self.where.key(at, "kind"),
                f"exercise kind {kind!r}: use one of {', '.join(KINDS)}",
            )
        names = self.strings(table, "names", at, required=True)
        if "names" in table and not names and not self.problems[before:]:
            self.problem(self.where.key(at, "names"), "'names' must name at least one variable")
        solution = self.text(table, "solution", at, required=True)
        if solution is not None and not solution.strip():
            self.problem(self.where.key(at, "solution"), "the solution is empty")
        inputs = self.text(table, "inputs", at)
        if kind is not None and kind in KINDS:
            for key, message in KINDS[kind].toml_problems(table, names):
                self.problem(self.where.key(at, key) if key else at, message)
        dtype = self.text(table, "dtype", at)
        if dtype is not None and dtype not in DTYPES:
            self.problem(self.where.key(at, "dtype"), f"unknown dtype {dtype!r}")
        spec_fields = {
            "setup": self.text(table, "setup", at) or "",
            "fresh": self.text(table, "fresh", at),
            "starter": self.text(table, "starter", at),
            "rtol": self.number(table, "rtol", at, 1e-5),
            "atol": self.number(table, "atol", at, 1e-6),
            "forbid": self.strings(table, "forbid", at, required=False),
            "require": self.strings(table, "require", at, required=False),
        }
        skill = self.text(table, "skill", at)
        if skill is not None and skill not in SKILLS:
            self.problem(self.where.key(at, "skill"), f"unknown skill {skill!r}: use tape")
        wrong = tuple(self.wrong_answers(table, at))
        mistakes = tuple(self.mistakes(table, at))
        right = tuple(self.right_answers(table, at))
        beside = self.code_table(table, "beside", ("code",), at)
        random = self.code_table(table, "random", ("expected", "stderr"), at)
        if self.problems[before:]:
            return None
        return ExerciseSpec(
            id=ident,
            kind=cast(str, kind),
            names=names,
            solution=cast(str, solution),
            dtype=dtype,
            inputs=inputs,
            wrong=wrong,
            mistakes=mistakes,
            right=right,
            skill=cast("Skill | None", skill),
            beside=beside["code"] if beside else None,
            random=RandomAnswer(random["expected"], random["stderr"]) if random else None,
            **spec_fields,  # type: ignore[arg-type]
        )

    def right_answers(self, table: dict[str, Any], at: int) -> list[RightAnswer]:
        out = []
        for item in self.tables(table, "right"):
            line = self.where.key(at, "code")
            self.unknown(item, {"code"}, at, "[[exercise.right]]")
            code = self.text(item, "code", line, required=True)
            if code is not None:
                out.append(RightAnswer(code))
        return out

    def code_table(
        self, table: dict[str, Any], key: str, keys: tuple[str, ...], at: int
    ) -> dict[str, str] | None:
        """A `[exercise.KEY]` table of code strings (all of `keys` required), or None."""
        if key not in table:
            return None
        item = table[key]
        line = self.where.key(at, key)
        if not isinstance(item, dict):
            self.problem(line, f"{key!r} must be an [exercise.{key}] table")
            return None
        self.unknown(item, set(keys), at, f"[exercise.{key}]")
        found = {k: self.text(item, k, at, required=True) for k in keys}
        if any(v is None or not v.strip() for v in found.values()):
            if all(v is not None for v in found.values()):
                self.problem(line, f"[exercise.{key}] has empty code")
            return None
        return {k: v for k, v in found.items() if v is not None}

    def wrong_answers(self, table: dict[str, Any], at: int) -> list[WrongAnswer]:
        out = []
        for item in self.tables(table, "wrong"):
            line = self.where.key(at, "code")
            self.unknown(item, {"code", "diagnosis"}, at, "[[exercise.wrong]]")
            code = self.text(item, "code", line, required=True)
            diagnosis = self.text(item, "diagnosis", line, required=True)
            if code is not None and diagnosis is not None:
                out.append(WrongAnswer(code, diagnosis))
        return out

    def mistakes(self, table: dict[str, Any], at: int) -> list[Mistake]:
        out = []
        for item in self.tables(table, "mistake"):
            line = self.where.key(at, "when")
            self.unknown(item, {"id", "when"}, at, "[[exercise.mistake]]")
            ident = self.text(item, "id", line, required=True)
            when = self.text(item, "when", line, required=True)
            if ident is not None and not ID_PATTERN.match(ident):
                self.problem(line, f"mistake id {ident!r}: use letters, digits, - and _")
            elif ident is not None and when is not None:
                out.append(Mistake(ident, when))
        return out

    def moved_from(self, document: dict[str, Any], items: set[str]) -> dict[str, str]:
        """`[moved_from]`: for items that moved here from another lesson, that lesson's id."""
        table = document.get("moved_from", {})
        line = self.where.key(0, "moved_from") or self._table_line("moved_from")
        if not isinstance(table, dict):
            self.problem(line, "'moved_from' must be a table: item id = \"former lesson id\"")
            return {}
        moved: dict[str, str] = {}
        for item, lesson in table.items():
            if item not in items:
                self.problem(
                    line, f"moved_from: {item!r} is no exercise or question of this lesson"
                )
            elif not isinstance(lesson, str) or not ID_PATTERN.match(lesson):
                self.problem(line, f"moved_from: {item!r} needs the id of the lesson it left")
            else:
                moved[item] = lesson
        return moved

    def _table_line(self, name: str) -> int:
        pattern = re.compile(rf"\s*\[\s*{re.escape(name)}\s*\]")
        return next((n for n, x in enumerate(self.where.lines, 1) if pattern.match(x)), 0)

    # questions ---------------------------------------------------------------

    def question(self, table: dict[str, Any], at: int) -> QuestionSpec | None:
        self.unknown(table, _QUESTION_KEYS, at, "[[question]]")
        before = len(self.problems)
        ident = self.text(table, "id", at, required=True) or ""
        if ident and not ID_PATTERN.match(ident):
            self.problem(
                self.where.key(at, "id"), f"question id {ident!r}: use letters, digits, - and _"
            )
        kind = self.text(table, "kind", at, required=True)
        if kind is not None and kind not in QUESTION_KINDS:
            self.problem(
                self.where.key(at, "kind"),
                f"question kind {kind!r}: use one of {', '.join(QUESTION_KINDS)}",
            )
        if kind != "predict":
            for key in ("ask", "code"):
                if key in table:
                    self.problem(self.where.key(at, key), f"{key!r} belongs to a predict question")
        answer: float | None = None
        if kind == "choice":
            answer = self.value(table, "answer", (int,), at, required=True)
            if answer is not None and answer < 0:
                self.problem(
                    self.where.key(at, "answer"), "a choice answer is a 0-based option index"
                )
            if "tolerance" in table:
                self.problem(self.where.key(at, "tolerance"), "a choice question has no tolerance")
        elif kind == "number":
            answer = self.value(table, "answer", (int, float), at, required=True)
        elif kind == "predict":
            return self.prediction(table, at, ident, before)
        tolerance = self.number(table, "tolerance", at, 1e-3)
        if self.problems[before:] or answer is None:
            return None
        return QuestionSpec(ident, cast(QuestionKind, kind), answer, tolerance, at)

    def prediction(
        self, table: dict[str, Any], at: int, ident: str, before: int
    ) -> QuestionSpec | None:
        """A predict question: `ask`, `code` and `answer` (the truth as a learner writes it)."""
        ask = self.text(table, "ask", at, required=True)
        if ask is not None and ask not in ASKS:
            self.problem(self.where.key(at, "ask"), f"ask {ask!r}: use one of {', '.join(ASKS)}")
            ask = None
        code = self.text(table, "code", at, required=True)
        expected = self.text(table, "answer", at, required=True)
        if "tolerance" in table and ask != "value":
            self.problem(
                self.where.key(at, "tolerance"), "only a prediction of a value has a tolerance"
            )
        tolerance = self.number(table, "tolerance", at, DEFAULT_RTOL)
        if code is not None:
            self.prediction_code(code, ask, at)
        if ask is not None and expected is not None:
            truth = parse_prediction(expected, ask)
            if truth is None:
                self.problem(
                    self.where.key(at, "answer"),
                    f"the answer {expected!r} cannot be read as a {ask} (write it as a learner "
                    "would: (3, 4), float32, [1, 2], InvalidArgumentError, no error)",
                )
            elif isinstance(truth, Raises) and truth.type is None:
                self.problem(
                    self.where.key(at, "answer"),
                    "name the error the code raises (e.g. InvalidArgumentError), not just 'error'",
                )
        if self.problems[before:] or ask is None or code is None or expected is None:
            return None
        return QuestionSpec(
            ident,
            "predict",
            0,
            tolerance,
            at,
            ask=ask,
            code=code.strip("\n"),
            expected=expected,
        )

    def prediction_code(self, code: str, ask: str | None, at: int) -> None:
        line = self.where.key(at, "code")
        try:
            compile(code, "<predict>", "exec")
        except SyntaxError as exc:
            self.problem(line, f"the code does not parse: {exc.msg}")
            return
        if not code.strip():
            self.problem(line, "the code is empty")
        elif ask in ("shape", "dtype", "value") and not ends_in_expression(code):
            self.problem(line, "the code must end with the expression whose result is predicted")
        outside = sorted(outside_names(code))
        if outside:
            self.problem(
                line,
                f"the code reads {', '.join(outside)} without binding it: a predict question's "
                "code is self-contained, so the learner's kernel shows what the verdict says",
            )
        if ask == "value" and uses_randomness(code):
            self.problem(line, "a predicted value cannot come from random numbers")


def parse_lesson_toml(text: str, path: str) -> tuple[LessonSpec | None, list[LoadProblem]]:
    """Parse and type-check lesson.toml; never raises (problems carry file and line)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else max(1, text.count("\n") + 1)  # end of document
        return None, [LoadProblem(path, line, f"not valid TOML: {exc}")]
    reader = _Reader(path, text)
    reader.unknown(document, _TOP_KEYS, 0, "lesson.toml")
    ident = reader.text(document, "id", 0, required=True) or ""
    if ident and not ID_PATTERN.match(ident):
        reader.problem(
            reader.where.key(0, "id"), f"lesson id {ident!r}: use letters, digits, - and _"
        )
    setup = reader.text(document, "setup", 0) or ""
    exercises: list[ExerciseSpec] = []
    lines: dict[str, int] = {}
    for index, table in enumerate(reader.tables(document, "exercise")):
        at = reader.where.table("exercise", index)
        spec = reader.exercise(table, at)
        if spec is not None:
            exercises.append(spec)
            lines.setdefault(spec.id, at)
    questions = [
        q
        for index, table in enumerate(reader.tables(document, "question"))
        if (q := reader.question(table, reader.where.table("question", index))) is not None
    ]
    moved_from = reader.moved_from(document, {e.id for e in exercises} | {q.id for q in questions})
    if reader.problems:
        return None, reader.problems
    lesson = LessonSpec(path, ident, setup, tuple(exercises), tuple(questions), lines, moved_from)
    return lesson, []
