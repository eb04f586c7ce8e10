"""When Enter runs a cell, when it starts a new line, when it answers: pure functions.

Shared by both frontends, so a cell means the same thing in `tutor` and `tutor --plain`.
"""

from __future__ import annotations

import codeop
import re

INDENT = "    "


def is_complete(code: str) -> bool:
    """True when `code` is a whole cell: it compiles, or it is a syntax error to report.

    `codeop.compile_command` returns None for input that could still go on (`for i in x:`,
    an open bracket); like IPython, a block whose last line is still indented also goes
    on until an empty line.
    """
    if not code.strip():
        return False
    lines = code.split("\n")
    if len(lines) >= 3 and not lines[-1].strip() and not lines[-2].strip():
        return True  # two empty lines: run it, even an open bracket (the error then says so)
    last = lines[-1]
    if len(lines) > 1 and last.strip() and last[:1].isspace():
        return False
    try:
        return codeop.compile_command(code.rstrip() + "\n", "<cell>", "exec") is not None
    except (SyntaxError, ValueError, OverflowError):
        return True


def next_line_indent(line: str) -> str:
    """The indentation a new line after `line` starts with (one more after a colon)."""
    stripped = line.rstrip()
    indent = line[: len(line) - len(line.lstrip())]
    if stripped.endswith(":"):
        return indent + INDENT
    return indent


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def answers_question(line: str, question_kind: str | None, ask: str | None = None) -> bool:
    """Whether a line typed on a question step answers the question rather than runs.

    A bare number ("2", "0.25", "-1e-3") answers it: as Python it would only echo
    itself, so no one means it as code. Anything else, "(2)" or a letter `b` (a name
    the learner may well have bound) included, is Python. On a predict step a
    prediction ("(3, 4)", "3x4", "float32", "error") answers too, unless it is Python
    that does more than echo (`tutor.predictions.looks_like_prediction`). Both frontends
    use this rule, so "2" then Enter means the same in `tutor` and `tutor --plain`.
    """
    if question_kind is None:
        return False
    text = line.strip()
    if question_kind == "choice":
        return text.isdigit()
    if question_kind == "predict":
        from tutor.predictions import looks_like_prediction

        return looks_like_prediction(text, ask or "value")  # type: ignore[arg-type]
    return bool(_NUMBER.match(text))
