"""Syntax: full-width punctuation, indentation, brackets and quotes left open."""

from __future__ import annotations

import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context

_FULL_WIDTH = re.compile(r"invalid character '(.)' \(U\+([0-9A-F]{4})\)")


def syntax(c: Context) -> Said | None:
    if c.error_type not in ("SyntaxError", "IndentationError", "TabError"):
        return None
    message = c.message
    full_width = _FULL_WIDTH.search(message)
    if full_width and (
        0xFF00 <= int(full_width.group(2), 16) <= 0xFFEF
        or full_width.group(1) in "，。：；（）【】“”‘’、"
    ):
        return Said("hint.full-width", {"character": full_width.group(1)})
    if "unexpected indent" in message:
        return Said("hint.unexpected-indent")
    if "expected an indented block" in message:
        return Said("hint.expected-indent")
    if "unindent does not match" in message or c.error_type == "TabError":
        return Said("hint.unindent")
    if "was never closed" in message or "unexpected EOF" in message:
        return Said("hint.never-closed")
    if "unterminated string literal" in message:
        return Said("hint.unterminated-string")
    if "unmatched" in message:
        return Said("hint.unmatched")
    return None
