"""The inspector's table: every tensor-like name with its gradient beside it.

A pure function of the namespace snapshot and the width available, so its layout is
tested without a terminal. Every cell is a `rich.text.Text` built from plain strings:
names and previews come from the learner's kernel and must never be read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tutor.kernel.protocol import Gradient, VariableView
from tutor.tui.inspector_picture import has_picture, picture_summary, value_with_picture
from tutor.words import tell

if TYPE_CHECKING:
    from tutor.kernel.protocol import Gradient, VariableView

#: From this width every column has its own place.
WIDE_TABLE = 72
#: Below this width each name gets a block (shape and dtype, value, gradient on
#: lines of their own) instead of value and gradient columns squeezed side by side.
BLOCKS = 44

_DTYPE_SHORT = {
    "float16": "f16",
    "float32": "f32",
    "float64": "f64",
    "bfloat16": "bf16",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "u8",
    "bool": "bool",
    "complex64": "c64",
    "complex128": "c128",
    "string": "str",
}


def shape_text(shape: tuple[int, ...] | None) -> str:
    """A shape as Python prints a tuple: `()`, `(4,)`, `(2, 3)`; `?` for unknown dims."""
    if shape is None:
        return ""
    dims = ["?" if d < 0 else str(d) for d in shape]
    if len(dims) == 1:
        return f"({dims[0]},)"
    return "(" + ", ".join(dims) + ")"


def gradient_label(grad: Gradient, name: str, lang: str = "en") -> str:
    """What the gradient is and who computed it: `auto ∂y/∂x` (the tutor's own tape),
    `t.gradient(y, x) =` (what the learner's tape answered); `∂y/∂x` from an older kernel."""
    return tell(lang, grad.label_for(name))


def gradient_text(view: VariableView, *, stacked: bool, lang: str = "en") -> Text:
    """The gradient cell: label and values, on one line or stacked (narrow tables), and
    why the learner's tape answered None."""
    if view.grad is None:
        return Text("")
    label = Text(gradient_label(view.grad, view.name, lang), style="bold")
    sep = "\n" if stacked else " "
    text = Text.assemble(label, sep, Text(view.grad.preview))
    if view.grad.reason:
        text.append("\n" + tell(lang, view.grad.reason), style="dim italic")
    return text


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _gradient_widths(variables: Sequence[VariableView], lang: str) -> tuple[int, int]:
    """(cells for the gradient on one line, cells when its label is stacked above)."""
    one_line = stacked = 0
    for view in variables:
        if view.grad is None:
            continue
        label = cell_len(gradient_label(view.grad, view.name, lang))
        values = _longest_line(view.grad.preview)
        one_line = max(one_line, label + 1 + values)
        stacked = max(stacked, label, values)
    return one_line, stacked


def _matrix_need(variables: Sequence[VariableView]) -> int:
    """Cells a multi-line value (a matrix's rows) needs so that no row folds (capped)."""
    lines = [_longest_line(v.preview) for v in variables if "\n" in v.preview]
    return min(max(lines, default=0), 24)


def inspector_table(
    variables: Sequence[VariableView],
    width: int,
    *,
    heading: Sequence[str] | None = None,
    pictures: bool = False,
    changed: frozenset[str] = frozenset(),
    lang: str = "en",
) -> RenderableType:
    """The table the inspector shows at `width` columns.

    The gradient column is sized to its values first (they are what the learner came
    for); the value preview takes what is left and folds. `heading` gives the column
    titles (localised): name, kind, shape, dtype, value, gradient. With `pictures`,
    small matrices are drawn as heatmaps in their value cell (`value_with_picture`).
    """
    titles = list(heading or ("name", "kind", "shape", "dtype", "value", "∂ gradient"))
    if width < BLOCKS:
        return inspector_blocks(
            variables, titles, width=width, pictures=pictures, changed=changed, lang=lang
        )
    wide = width >= WIDE_TABLE
    one_line, stacked_width = _gradient_widths(variables, lang)

    # Room left for value and gradient once name, shape (and kind, dtype) are placed.
    def column(title: str, cells: list[str], cap: int = 40) -> int:
        return min(max([cell_len(title), *(cell_len(c) for c in cells)]), cap)

    fixed = column(titles[0], [v.name for v in variables], 16)
    fixed += column(titles[2], [shape_text(v.shape) for v in variables])
    if wide:
        fixed += column(titles[1], [v.kind for v in variables])
        fixed += column(titles[3], [v.dtype or "" for v in variables])
    # The gradient column appears once some name has a gradient (until then the value
    # column, and a matrix's picture, take its room).
    with_grads = any(v.grad is not None for v in variables)
    columns = (6 if wide else 4) - (not with_grads)
    room = max(width - fixed - (columns - 1), 10)
    # The gradient on one line beside the value when the value keeps a few cells:
    # seeing it on the variable's own row is the point of the inspector.
    stacked = one_line + 8 > room
    grad_width = min(stacked_width if stacked else one_line, room - 8)
    # What the value column really keeps: each gap is a cell of padding, the (blank)
    # divider, another cell of padding.
    grad_room = max(grad_width, cell_len(titles[5])) if with_grads else 0
    value_room = width - fixed - 3 * (columns - 1) - grad_room
    if not wide and value_room < _matrix_need(variables):
        # Columns would fold a matrix's rows: a block per name reads better.
        return inspector_blocks(
            variables, titles, width=width, pictures=pictures, changed=changed, lang=lang
        )
    table = Table(
        box=box.SIMPLE_HEAD,
        expand=True,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        header_style="bold",
    )
    table.add_column(titles[0], no_wrap=True, overflow="ellipsis", max_width=16)
    if wide:
        table.add_column(titles[1], no_wrap=True, style="dim")
    table.add_column(titles[2], no_wrap=True)
    if wide:
        table.add_column(titles[3], no_wrap=True)
    table.add_column(titles[4], ratio=1, no_wrap=True, overflow="ellipsis")
    if with_grads:
        table.add_column(titles[5], overflow="fold", min_width=grad_width)
    for view in variables:
        name = Text(view.name, style="bold cyan" if view.name in changed else "bold")
        shape = Text(shape_text(view.shape))
        dtype = view.dtype or ""
        if pictures and has_picture(view):
            value: RenderableType = value_with_picture(view, value_room, lang)
        else:
            value = value_text(view, value_room, lang)
        grad = gradient_text(view, stacked=stacked, lang=lang)
        cells: list[RenderableType] = [name]
        if wide:
            cells += [Text(view.kind), shape, Text(dtype), value]
        else:
            short = _DTYPE_SHORT.get(dtype, dtype)
            if short:
                shape.append("\n" + short, style="dim")
            cells += [shape, value]
        if with_grads:
            cells.append(grad)
        table.add_row(*cells)
    return table


def value_text(view: VariableView, room: int, lang: str = "en") -> Text:
    """A value shown whole when every line of it fits `room` cells, else its summary; a
    row not refreshed yet, or not shown, says so (dimmed).

    A matrix folded across lines reads as nonsense (its rows no longer line up), so
    one too wide for the inspector is described instead ("5x30 float32, min 0, max
    149"); the evaluator prints it whole.
    """
    if view.state != "current":
        return Text(tell(lang, view.note), style="dim italic")
    summary = picture_summary(view, lang)
    if _longest_line(view.preview) <= room or not summary:
        return Text(view.preview, no_wrap=True, overflow="ellipsis")
    return Text(summary, style="italic")


def inspector_blocks(
    variables: Sequence[VariableView],
    titles: Sequence[str],
    *,
    width: int = BLOCKS,
    pictures: bool = False,
    changed: frozenset[str] = frozenset(),
    lang: str = "en",
) -> Group:
    """The narrow layout, a block per name: the name with shape, dtype and kind, then the
    value on lines of its own (the whole width), then the gradient. `titles` are
    unused here (kept for the same call as `inspector_table`)."""
    # No heading: each block says what it shows (`∂y/∂x` labels the gradient).
    blocks: list[RenderableType] = []
    for view in variables:
        head = Text.assemble(
            (view.name, "bold cyan" if view.name in changed else "bold"),
            "  ",
            (shape_text(view.shape), "bold"),
            " ",
            _DTYPE_SHORT.get(view.dtype or "", view.dtype or ""),
            " ",
            (view.kind, "dim"),
        )
        head.no_wrap, head.overflow = True, "ellipsis"
        blocks.append(head)
        if pictures and has_picture(view):
            blocks.append(value_with_picture(view, width, lang))
        else:
            blocks.append(value_text(view, width, lang))
        if view.grad is not None:
            label = Text(gradient_label(view.grad, view.name, lang), style="bold")
            if (
                "\n" in view.grad.preview
                or label.cell_len + 1 + _longest_line(view.grad.preview) > width
            ):
                blocks.append(label)
                blocks.append(Text(view.grad.preview, no_wrap=True, overflow="ellipsis"))
            else:
                blocks.append(Text.assemble(label, " ", view.grad.preview))
        blocks.append(Text(""))
    return Group(*blocks)
