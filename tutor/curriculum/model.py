"""The curriculum as objects: what the parser builds and everything else reads.

A `Course` is the ordered lessons of one language. The language-free parts of an
exercise (setup, solution, checks) come from `lesson.toml` and are shared by the
English and the Chinese lesson objects; the words come from `en.md` / `zh.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tutor.curriculum.kinds import ExerciseKind, kind_named

#: The seed the givens are made with, everywhere (the data the learner is shown).
GIVENS_SEED = 7
#: A skill an exercise names and the check requires ("tape": a `tf.GradientTape`).
Skill = Literal["tape"]
QuestionKind = Literal["choice", "number", "predict"]
#: What a predict question asks about its code's result.
PredictAsk = Literal["shape", "dtype", "value", "error"]


@dataclass(frozen=True)
class Example:
    """A runnable code block of the prose."""

    code: str
    #: What it shows (an `output` block after it), or None.
    output: str | None = None
    #: The error type it is meant to raise (`raises=TypeError`), or None.
    raises: str | None = None
    #: 1-based line in the .md file, for messages.
    line: int = 0


@dataclass(frozen=True)
class WrongAnswer:
    """A wrong answer the validator proves is caught with this diagnosis."""

    code: str
    diagnosis: str


@dataclass(frozen=True)
class RightAnswer:
    """Another correct answer, which the validator proves passes."""

    code: str


@dataclass(frozen=True)
class RandomAnswer:
    """How a random answer (a statistic of the learner's own draws) is judged.

    `expected` is the true value (lesson code over the givens), `stderr` the standard
    error of the learner's estimate (lesson code; `expected` is in scope). An answer
    passes when every entry is within z standard errors of `expected`, z chosen so that
    a correct simulation fails less than once in 10,000 checks.
    """

    expected: str
    stderr: str


@dataclass(frozen=True)
class Mistake:
    """An exercise's own expected mistake: a recogniser and, per language, feedback."""

    id: str
    #: A Python expression over `got`, `answers`, the setup's names and `close`.
    when: str


@dataclass(frozen=True)
class ExerciseSpec:
    """The language-free truth of an exercise (from lesson.toml)."""

    id: str
    #: The name of its kind, a key of `tutor.curriculum.kinds.KINDS`.
    kind: str
    names: tuple[str, ...]
    solution: str
    setup: str = ""
    fresh: str | None = None
    starter: str | None = None
    dtype: str | None = None
    rtol: float = 1e-5
    atol: float = 1e-6
    inputs: str | None = None
    forbid: tuple[str, ...] = ()
    #: Names the learner's code must use (one of them): a random exercise has no
    #: `fresh` to catch a typed-in answer, so it requires `random` instead.
    require: tuple[str, ...] = ()
    wrong: tuple[WrongAnswer, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    #: Other correct answers (each proved to pass by the validator).
    right: tuple[RightAnswer, ...] = ()
    #: The skill the exercise asks for, which the answer must show ("tape").
    skill: Skill | None = None
    #: Lesson code run on the givens after a pass, binding `beside` (the tape's gradient
    #: set beside a hand derivative, say); shown in the feedback.
    beside: str | None = None
    #: Set when the answer is random (a statistic of the learner's own draws).
    random: RandomAnswer | None = None

    @property
    def exercise_kind(self) -> ExerciseKind:
        """Its kind: what it binds, what its table needs, how the validator proves it."""
        return kind_named(self.kind)

    def givens_source(self, lesson_setup: str = "") -> str:
        """The code of the exercise's givens: the lesson's setup, then the exercise's.

        Run alone with `GIVENS_SEED`, it makes the data the learner is shown; the learner's
        kernel, the answer forks and the grader all run this very string.
        """
        if lesson_setup.strip():
            return lesson_setup.rstrip() + "\n" + self.setup
        return self.setup

    def to_wire(self, lesson_setup: str = "") -> dict[str, Any]:
        """The spec as the grader receives it (with the givens' code and seed)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "names": list(self.names),
            "solution": self.solution,
            "setup": self.setup,
            "givens": self.givens_source(lesson_setup),
            "seed": GIVENS_SEED,
            "fresh": self.fresh,
            "dtype": self.dtype,
            "rtol": self.rtol,
            "atol": self.atol,
            "inputs": self.inputs,
            "forbid": list(self.forbid),
            "require": list(self.require),
            "mistakes": [{"id": m.id, "when": m.when} for m in self.mistakes],
            "skill": self.skill,
            "beside": self.beside,
            "random": None
            if self.random is None
            else {"expected": self.random.expected, "stderr": self.random.stderr},
        }


@dataclass(frozen=True)
class Exercise:
    """An exercise in one language: the shared spec plus its words."""

    spec: ExerciseSpec
    prompt: str
    hints: tuple[str, ...] = ()
    #: Feedback per mistake or built-in diagnosis id, overriding the default words.
    feedback: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class Question:
    """A question in one language: multiple choice, a number, or a prediction of code."""

    id: str
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...] = ()
    #: Choice: 0-based index of the correct option; number: the value.
    answer: float = 0
    #: Number: absolute; predict (ask "value"): relative.
    tolerance: float = 1e-3
    explanation: str = ""
    hints: tuple[str, ...] = ()
    #: Predict: what is predicted about the code's result.
    ask: PredictAsk | None = None
    #: Predict: the code shown, then run in the learner's kernel after the verdict.
    code: str = ""
    #: Predict: the truth as a learner would write it ("(3, 4)", "float32", "error").
    expected: str = ""


@dataclass(frozen=True)
class Step:
    """One `## heading` of a lesson: prose, examples, at most one exercise or question."""

    title: str
    #: The step's Markdown with math already rendered to Unicode.
    text: str
    examples: tuple[Example, ...] = ()
    exercise: Exercise | None = None
    question: Question | None = None


@dataclass(frozen=True)
class Lesson:
    """One lesson in one language."""

    id: str
    number: int
    title: str
    lang: str
    steps: tuple[Step, ...]
    setup: str = ""
    #: The folder it came from.
    path: str = ""
    #: Exercises and questions that lived in another lesson before (item id -> that
    #: lesson's id): a learner's record under the old key still counts.
    moved_from: dict[str, str] = field(default_factory=dict)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(s.exercise for s in self.steps if s.exercise is not None)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(s.question for s in self.steps if s.question is not None)

    @property
    def examples(self) -> tuple[Example, ...]:
        return tuple(e for s in self.steps for e in s.examples)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


@dataclass(frozen=True, order=True)
class LoadProblem:
    """A problem in a lesson, with where it is (file and 1-based line, 0 when unknown)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Course:
    """The lessons of one language in order, and what could not be loaded."""

    lang: str
    lessons: tuple[Lesson, ...]
    problems: tuple[LoadProblem, ...] = ()

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((x for x in self.lessons if x.id == lesson_id), None)

    def index(self, lesson_id: str) -> int:
        return next((i for i, x in enumerate(self.lessons) if x.id == lesson_id), -1)
