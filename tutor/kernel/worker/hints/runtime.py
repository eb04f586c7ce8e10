"""Python's own runtime errors: division by zero, `input()`, recursion, memory."""

from __future__ import annotations

import math
import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context, parse_shape, show_shape


def python_runtime(c: Context) -> Said | None:
    if c.error_type == "ZeroDivisionError":
        return Said("hint.zero-division")
    if c.error_type == "EOFError" and "reading a line" in c.message:
        return Said("hint.no-input")
    if c.error_type == "RecursionError":
        return Said("hint.recursion")
    if c.error_type in ("MemoryError", "ResourceExhaustedError") or "OOM when allocating" in (
        c.message
    ):
        return _memory(c.message)
    return None


_BYTES_PER_VALUE = {"float": 4, "double": 8, "int32": 4, "int64": 8, "half": 2, "bool": 1}


def _memory(message: str) -> Said:
    match = re.search(r"tensor with shape\[([\d,]+)\] and type (\w+)", message)
    if not match:
        return Said("hint.memory")
    shape = parse_shape(match.group(1))
    values = math.prod(shape)
    size = _human_bytes(values * _BYTES_PER_VALUE.get(match.group(2), 4))
    return Said("hint.memory-sized", {"shape": show_shape(shape), "values": values, "size": size})


_BYTE_UNITS = ("KB", "MB", "GB", "TB")


def _human_bytes(size: float) -> Said | str:
    """ "40 bytes" (a word to translate) or "4 TB" (the same in every language)."""
    if size < 1000:
        return Said("hint.bytes", {"size": size})
    step = 0
    size /= 1000
    while size >= 1000 and step < len(_BYTE_UNITS) - 1:
        size /= 1000
        step += 1
    return f"{size:.3g} {_BYTE_UNITS[step]}"
