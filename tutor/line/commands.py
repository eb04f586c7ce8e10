"""The line tutor's `:commands`: their names, and reading one from a line.

A line starting with ":" is a command (Python never starts a statement with a colon).
A bare number on a question step is an answer, not a cell: see `bare_answer`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from tutor.predictions import Ask, looks_like_prediction

COMMANDS: tuple[str, ...] = (
    "next",
    "prev",
    "step",
    "lessons",
    "goto",
    "hint",
    "solution",
    "check",
    "answer",
    "vars",
    "restart",
    "replay",
    "lang",
    "help",
    "quit",
)
#: Other spellings a learner may reach for.
ALIASES = {"n": "next", "p": "prev", "back": "prev", "exit": "quit", "q": "quit", "h": "help"}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Command:
    """A parsed command: its name (None when unknown), what followed it, and what was typed."""

    name: str | None
    argument: str
    typed: str

    @property
    def suggestion(self) -> str | None:
        """The closest known command to an unknown one, if any is close."""
        close = difflib.get_close_matches(self.typed, COMMANDS, n=1, cutoff=0.5)
        return close[0] if close else None


def is_command(line: str) -> bool:
    return line.lstrip().startswith(":")


def parse_command(line: str) -> Command:
    """`:goto tensors 2` -> Command("goto", "tensors 2", "goto")."""
    body = line.strip()[1:].strip()
    typed, _, argument = body.partition(" ")
    typed = typed.lower()
    name = ALIASES.get(typed, typed)
    return Command(name if name in COMMANDS else None, argument.strip(), typed)


def bare_answer(line: str, question_kind: str | None, ask: Ask | None = None) -> bool:
    """Whether a line is an answer to the step's question rather than Python.

    On a question step a bare number ("2", "0.25", "-1e-3") answers the question: as
    Python it would only echo itself. Anything else, including "(2)", is Python. On a
    predict step a prediction ("(3, 4)", "3x4", "float32", "error") answers too, unless
    it is Python that does more than echo (`looks_like_prediction`).
    """
    if question_kind is None:
        return False
    text = line.strip()
    if question_kind == "choice":
        return text.isdigit()
    if question_kind == "predict":
        return looks_like_prediction(text, ask or "value")
    return bool(_NUMBER.match(text))
