"""The line tutor's `:commands`: their names, and reading one from a line.

A line starting with ":" is a command (Python never starts a statement with a colon).
A bare number on a question step is an answer, not a cell: see
`tutor.cell_rules.answers_question`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

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
    "reset",
    "lang",
    "help",
    "quit",
)
#: Other spellings a learner may reach for.
ALIASES = {"n": "next", "p": "prev", "back": "prev", "exit": "quit", "q": "quit", "h": "help"}


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
