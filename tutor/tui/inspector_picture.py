"""A matrix's value cell with its picture: the numbers, a heatmap beside them, one summary line.

Pure functions of a `VariableView` and the cells available, so the layout is tested
without a terminal. The heatmap sits beside the numbers when both fit, else under
them; the scale and the one-line summary (what a screen reader reads instead of the
blocks) always follow below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tutor.pictures.heatmap import render_heatmap, summarize_tensor
from tutor.words import tell

if TYPE_CHECKING:
    from tutor.kernel.protocol import VariableView

#: Cells between the numbers and the picture beside them.
GAP = 2
#: Blocks drawn in this style; the shades themselves carry the values (NO_COLOR too).
PICTURE_STYLE = "cyan"


def has_picture(view: VariableView) -> bool:
    """Whether the kernel sent the values needed to draw `view` as a heatmap."""
    return bool(view.matrix) and bool(view.matrix and view.matrix[0])


def picture_summary(view: VariableView, lang: str) -> str:
    """The one-line description of a value, in `lang`: the kernel's, or one made here."""
    return tell(lang, view.summary) or summarize_tensor(view.shape, view.dtype, view.matrix, lang)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def picture_layout(view: VariableView, room: int) -> tuple[bool, int]:
    """(beside the numbers?, width given to `render_heatmap`) for a value cell `room` wide.

    Beside when the whole matrix fits next to the numbers, two cells per value if it
    can (closer to square), else one; otherwise under them, as wide as the cell.
    """
    assert view.matrix is not None
    columns = max(len(row) for row in view.matrix)
    beside = room - _longest_line(view.preview) - GAP
    for width in (2 * columns + 2, columns + 2):
        if width <= beside:
            return True, width
    return False, max(room, 3)


def value_with_picture(view: VariableView, room: int, lang: str) -> RenderableType:
    """The value cell: the preview, the heatmap (beside or under it), scale and summary.

    A preview wider than the cell is left out (its rows would fold and no longer line
    up): the picture and the summary say what it holds; the evaluator prints it whole.
    """
    preview = Text(view.preview)
    if not has_picture(view):
        return preview
    assert view.matrix is not None
    beside, width = picture_layout(view, room)
    lines = render_heatmap(view.matrix, width=width, lang=lang)
    if not lines:
        return preview
    frame = Text("\n".join(lines[:-1]), style=PICTURE_STYLE, no_wrap=True, overflow="crop")
    # Beside the numbers the picture is narrow; its scale takes the whole cell below.
    if beside:
        scale_line = render_heatmap(view.matrix, width=max(room, width), lang=lang)[-1]
    else:
        scale_line = lines[-1]
    scale = Text(scale_line, style="dim", no_wrap=True, overflow="ellipsis")
    summary = Text(picture_summary(view, lang), style="dim italic")
    if beside:
        grid = Table.grid(padding=(0, GAP, 0, 0), pad_edge=False)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_row(preview, frame)
        return Group(grid, scale, summary)
    if _longest_line(view.preview) > room:
        return Group(frame, scale, summary)
    return Group(preview, frame, scale, summary)
