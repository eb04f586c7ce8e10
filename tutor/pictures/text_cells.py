"""How many terminal cells a string takes, and cutting a string to fit.

Chinese characters take two cells; combining marks take none. Plots carry labels
in the learner's language, so every width in `tutor.pictures` is counted in cells.
"""

from __future__ import annotations

import unicodedata


def char_cells(char: str) -> int:
    """Cells one character takes on a terminal: 0, 1 or 2."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """Cells a string takes on a terminal."""
    return sum(char_cells(c) for c in text)


def one_line(text: str) -> str:
    """`text` with every run of whitespace (newlines, tabs) made one space."""
    return " ".join(text.split())


def fit(text: str, width: int) -> str:
    """`text` on one line (whitespace runs become one space), cut to at most `width`
    cells, ending in "…" when cut."""
    return cut(one_line(text), width)


def cut(text: str, width: int) -> str:
    """`text` (one line, spacing kept) cut to at most `width` cells, ending in "…" when cut."""
    if width <= 0:
        return ""
    if cells(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = char_cells(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    """`text` fitted to `width` cells and padded with spaces to exactly that."""
    text = fit(text, width)
    return text + " " * (width - cells(text))


def center(text: str, width: int) -> str:
    """`text` fitted and centred in `width` cells (no trailing spaces)."""
    text = fit(text, width)
    return " " * ((width - cells(text)) // 2) + text
