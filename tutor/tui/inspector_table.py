"""The inspector's table: every tensor-like name with its gradient beside it.

A pure function of the namespace snapshot and the width available, so its layout is
tested without a terminal. Every cell is a `rich.text.Text` built from plain strings:
names and previews come from the learner's kernel and must never be read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from tutor.kernel.protocol import Gradient, VariableView

#: From this width every column has its own place.
WIDE_TABLE = 72
#: Below WIDE_TABLE the kind column goes and the dtype moves under the shape; below
#: this one the gradient's label also goes above its values, so that the shape and
#: gradient columns stay readable in an 80x24 terminal.
STACKED_GRADIENT = 44

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


def gradient_label(grad: Gradient, name: str) -> str:
    """`∂y/∂x`: what the gradient is of, and with respect to which name."""
    target = grad.of or "?"
    if not target.isidentifier():
        target = f"({target})"
    return f"∂{target}/∂{name}"


def gradient_text(view: VariableView, *, stacked: bool) -> Text:
    """The gradient cell: label and values, on one line or stacked (narrow tables)."""
    if view.grad is None:
        return Text("")
    label = Text(gradient_label(view.grad, view.name), style="bold")
    sep = "\n" if stacked else " "
    return Text.assemble(label, sep, Text(view.grad.preview))


def inspector_table(
    variables: Sequence[VariableView], width: int, *, heading: Sequence[str] | None = None
) -> Table:
    """The table the inspector shows at `width` columns.

    `heading` gives the column titles (localised): name, kind, shape, dtype, value, gradient.
    """
    titles = list(heading or ("name", "kind", "shape", "dtype", "value", "∂ gradient"))
    wide = width >= WIDE_TABLE
    stacked = width < STACKED_GRADIENT
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
    table.add_column(titles[4], ratio=2, overflow="fold")
    table.add_column(titles[5], ratio=3, overflow="fold")
    for view in variables:
        name = Text(view.name, style="bold")
        shape = Text(shape_text(view.shape))
        dtype = view.dtype or ""
        value = Text(view.preview)
        if wide:
            table.add_row(
                name, Text(view.kind), shape, Text(dtype), value, gradient_text(view, stacked=False)
            )
        else:
            short = _DTYPE_SHORT.get(dtype, dtype)
            if short:
                shape.append("\n" + short, style="dim")
            table.add_row(name, shape, value, gradient_text(view, stacked=stacked))
    return table
