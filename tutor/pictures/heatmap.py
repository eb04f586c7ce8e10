"""A small matrix as shaded blocks (" ░▒▓█"), and its one-line summary.

The inspector shows a tensor's values as a picture when the kernel sent them
(`VariableView.matrix`, at most 32x32): light for low values, dark for high ones.
The summary is what a screen reader says instead ("3x4 float32, min -2.1, max 3").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tutor.pictures.braille import fraction
from tutor.pictures.ticks import format_number
from tutor.words import say

SHADES = " ░▒▓█"
#: Shown for a NaN or infinite value.
NOT_FINITE = "?"

Matrix = Sequence[Sequence[float]]


def _finite(matrix: Matrix) -> list[float]:
    return [v for row in matrix for v in row if math.isfinite(v)]


def shade(value: float, low: float, high: float) -> str:
    """The block for `value` on the scale from `low` (blank) to `high` (full)."""
    if not math.isfinite(value):
        return NOT_FINITE
    where = fraction(value, low, high)
    if where is None:
        return SHADES[len(SHADES) // 2]
    level = round(where * (len(SHADES) - 1))
    return SHADES[min(max(level, 0), len(SHADES) - 1)]


def render_heatmap(matrix: Matrix, *, width: int, lang: str) -> list[str]:
    """The matrix as rows of blocks framed by a border, then a scale line; each line <= width.

    Each value takes two cells when the width allows (closer to square), else one;
    columns that still do not fit are cut and marked with "…".
    """
    if not matrix or not matrix[0] or width < 3:
        return []
    values = _finite(matrix)
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    columns = max(len(row) for row in matrix)
    cell = 2 if 2 * columns + 2 <= width else 1
    shown = min(columns, (width - 2) // cell)
    cut = shown < columns
    if cut:
        shown = max((width - 3) // cell, 0)
    lines = ["┌" + "─" * (shown * cell) + ("─" if cut else "") + "┐"]
    for row in matrix:
        blocks = "".join(shade(v, low, high) * cell for v in row[:shown])
        blocks = blocks.ljust(shown * cell)
        lines.append("│" + blocks + ("…" if cut else "") + "│")
    lines.append("└" + "─" * (shown * cell) + ("─" if cut else "") + "┘")
    scale = f"{format_number(low)} [{SHADES}] {format_number(high)}"
    if not values:
        scale = say(lang, "picture.scale-not-finite", mark=NOT_FINITE)
    lines.append(scale if len(scale) <= width else scale[: width - 1] + "…")
    return lines


def summarize_tensor(
    shape: Sequence[int] | None, dtype: str | None, matrix: Matrix | None, lang: str
) -> str:
    """One line describing a tensor, in `lang`: "3x4 float32, min -2.1, max 3".

    The minimum and maximum are given only when `matrix` holds every value (a
    preview of a larger tensor would give a misleading range).
    """
    if shape is None:
        what = say(lang, "picture.value")
        count = 1
    elif len(shape) == 0:
        what = say(lang, "picture.scalar-of", dtype=dtype or "")
        count = 1
    else:
        what = "x".join(str(d) if d >= 0 else "?" for d in shape)
        count = math.prod(shape) if all(d >= 0 for d in shape) else -1
    if dtype and (shape is None or len(shape)):
        what = f"{what} {dtype}"
    if matrix is None:
        return what
    held = sum(len(row) for row in matrix)
    if held != count or held == 0:
        return what
    values = _finite(matrix)
    bad = held - len(values)
    floats = bool(dtype) and "float" in (dtype or "")
    text = what
    if count == 1 and values:
        text = say(lang, "picture.summary-value", what=what, value=_number(values[0], floats))
    elif values:
        low, high = _number(min(values), floats), _number(max(values), floats)
        text = say(lang, "picture.summary-range", what=what, low=low, high=high)
    if bad:
        text = say(lang, "picture.summary-not-finite", what=text, n=bad)
    return text


def _number(value: float, floats: bool) -> str:
    """`format_number`, with "3.0" rather than "3" for a float tensor's values."""
    text = format_number(value)
    if floats and text.lstrip("-").isdigit():
        text += ".0"
    return text
