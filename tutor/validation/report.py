"""What the validator found: counts of what it checked and every failure with its place."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from tutor.curriculum.model import LoadProblem


def display_path(path: str) -> str:
    """A path relative to the working directory when it lies below it (shorter messages)."""
    if not os.path.isabs(path):
        return path
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


#: One thing that does not hold: the same shape as a load problem (file, line, message).
Failure = LoadProblem


@dataclass
class Tally:
    """Counts of what was checked, and the failures."""

    lessons: int = 0
    files: int = 0
    examples: dict[str, int] = field(default_factory=dict)
    exercises: int = 0
    solutions: int = 0
    starters: int = 0
    wrong_answers: int = 0
    questions: int = 0
    failures: list[Failure] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, path: str, line: int, message: str) -> None:
        self.failures.append(Failure(display_path(path), line, message))

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": {
                "lessons": self.lessons,
                "files": self.files,
                "examples": dict(self.examples),
                "exercises": self.exercises,
                "solutions": self.solutions,
                "starters": self.starters,
                "wrong_answers": self.wrong_answers,
                "questions": self.questions,
            },
            "failures": [f.to_json() for f in sorted(set(self.failures))],
            "elapsed_s": round(self.elapsed_s, 2),
        }

    def render_json(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def render_text(self) -> str:
        examples = ", ".join(f"{lang} {n}" for lang, n in sorted(self.examples.items()))
        lines = [
            f"checked {self.lessons} lesson{'' if self.lessons == 1 else 's'} "
            f"({self.files} files) in {self.elapsed_s:.1f} s",
            f"  examples run:         {sum(self.examples.values())}"
            + (f" ({examples})" if examples else ""),
            f"  exercises:            {self.exercises}",
            f"  solutions pass:       {self.solutions}",
            f"  starters fail:        {self.starters}",
            f"  wrong answers caught: {self.wrong_answers}",
            f"  questions:            {self.questions}",
            "  formulas rendered, languages consistent (see failures otherwise)",
        ]
        failures = sorted(set(self.failures))
        if failures:
            lines.append(f"{len(failures)} failure{'s' if len(failures) != 1 else ''}:")
            lines.extend(str(f) for f in failures)
        else:
            lines.append("all hold")
        return "\n".join(lines)
