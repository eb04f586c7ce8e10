"""When typed Python is complete, and splitting a script into cells (Python REPL rules).

`is_complete` is the interactive rule: Enter runs the input when `codeop` says it
is a whole statement (a compound one needs its empty last line), or when it cannot
compile at all (the kernel then reports the SyntaxError).

`ScriptSplitter` reads a script line by line: a command line is one item; a
statement that is complete runs; indented lines accumulate; an empty line ends a
block. It is more forgiving than the REPL in one way: a line at column 0 after a
finished block (no empty line between) starts a new cell instead of failing.
"""

from __future__ import annotations

import codeop
import warnings

from tutor.cell_rules import is_complete as cell_is_complete
from tutor.line.commands import is_command

_CONTINUATIONS = ("else", "elif", "except", "finally", "case", ")", "]", "}")


def _compiles(code: str, mode: str) -> bool | None:
    """True: complete; None: needs more lines; False: a syntax error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = codeop.compile_command(code, "<cell>", mode)
    except (SyntaxError, ValueError, OverflowError):
        return False
    return None if compiled is None else True


def is_complete(text: str) -> bool:
    """Whether Enter should run `text` (else it adds a line): nothing (a fresh prompt),
    a command, or a whole cell."""
    if not text.strip():
        return True
    if is_command(text) and "\n" not in text.strip():
        return True
    return cell_is_complete(text)


class ScriptSplitter:
    """Feed it lines; it gives back the cells and commands they complete, in order."""

    def __init__(self) -> None:
        self._buffer: list[str] = []

    def feed(self, line: str) -> list[str]:
        line = line.rstrip("\r\n")
        if not self._buffer:
            return self._fresh(line)
        if not line.strip():
            code = "\n".join(self._buffer) + "\n"
            if _compiles(code, "single") is None and _compiles(code, "exec") is None:
                return []  # inside brackets: a blank line does not end it
            return self._flush()
        starts_new = not line[:1].isspace() and not line.lstrip().startswith(_CONTINUATIONS)
        if starts_new and _compiles("\n".join(self._buffer) + "\n", "exec"):
            return self._flush() + self._fresh(line)
        self._buffer.append(line)
        if is_complete("\n".join(self._buffer)) and not self._compound():
            return self._flush()
        return []

    def close(self) -> list[str]:
        """What is left at the end of the input."""
        return self._flush()

    def _fresh(self, line: str) -> list[str]:
        if not line.strip():
            return []
        if is_command(line):
            return [line.strip()]
        self._buffer = [line]
        if is_complete(line):
            return self._flush()
        return []

    def _compound(self) -> bool:
        """A block statement (its body may continue on the next indented line)."""
        return self._buffer[0].rstrip().endswith(":") or self._buffer[0].lstrip().startswith("@")

    def _flush(self) -> list[str]:
        code = "\n".join(self._buffer).strip("\n")
        self._buffer = []
        return [code] if code.strip() else []
