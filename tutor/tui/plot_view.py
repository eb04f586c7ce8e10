"""A plot in the evaluator's log: the text renderer of `tutor.pictures`, coloured by role.

Falls back to the plot's one-line summary when the renderer is missing or fails, so a
picture can never cost the learner their cell's output.
"""

from __future__ import annotations

import logging

from rich.text import Text

from tutor.kernel.protocol import PlotData

log = logging.getLogger(__name__)

PLOT_HEIGHT = 14
_ROLE_STYLE = {
    "title": "bold",
    "axis": "dim",
    "ref": "dim",
    "s0": "blue",
    "s1": "red",
    "s2": "green",
    "s3": "magenta",
    "s4": "cyan",
    "s5": "yellow",
}


def plot_text(plot: PlotData, width: int, height: int = PLOT_HEIGHT) -> Text:
    """The plot as coloured Text of at most `width` cells, or its summary."""
    try:
        from tutor.pictures.plot_text import plot_lines

        lines = plot_lines(plot, max(width, 16), height)
    except Exception:  # the renderer is another part; a bad plot must not lose the cell
        log.exception("could not draw a plot")
        return Text(plot.summary or plot.title or "plot", style="italic")
    out = Text()
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        for text, role in line:
            out.append(text, style=_ROLE_STYLE.get(role, ""))
    out.rstrip()
    return out
