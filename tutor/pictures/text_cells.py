"""Fitting a string into a number of terminal cells.

Chinese characters take two cells; combining marks take none. Plots carry labels in the
learner's language, so every width in `tutor.pictures` is counted in cells
(`tutor.textflow.display_width`).
"""

from __future__ import annotations

from tutor.textflow import display_width


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
    if display_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def center(text: str, width: int) -> str:
    """`text` fitted and centred in `width` cells (no trailing spaces)."""
    text = fit(text, width)
    return " " * ((width - display_width(text)) // 2) + text
