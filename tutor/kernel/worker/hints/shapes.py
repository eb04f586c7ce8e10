"""Shapes and axes: broadcasting, matrix products, reshapes, reductions, indices."""

from __future__ import annotations

import math
import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context, parse_shape, show_shape, then


def broadcast(c: Context) -> Said | None:
    match = re.search(r"Incompatible shapes: \[([\d,]*)\] vs\. \[([\d,]*)\]", c.message)
    if not match:
        return None
    a, b = parse_shape(match.group(1)), parse_shape(match.group(2))
    clash = next(
        (
            (x, y)
            for x, y in zip(reversed(a), reversed(b), strict=False)
            if x != y and 1 not in (x, y)
        ),
        None,
    )
    shapes = {"a": show_shape(a), "b": show_shape(b)}
    if clash:
        text = Said("hint.broadcast-clash", {**shapes, "x": clash[0], "y": clash[1]})
    else:
        text = Said("hint.broadcast", shapes)
    if len(a) == 2 and len(b) == 2 and a[1] == b[0]:
        product = show_shape((a[0], b[1]))
        return then(text, Said("hint.broadcast-matmul", {"product": product}))
    if len(a) == 2 and len(b) == 1 and b[0] == a[0] != a[1]:
        kept = show_shape((a[0], 1))
        return then(text, Said("hint.broadcast-keepdims", {"b": show_shape(b), "kept": kept}))
    return text


def matmul_sizes(c: Context) -> Said | None:
    match = re.search(
        r"Matrix size-incompatible: In\[0\]: \[([\d,]*)\], In\[1\]: \[([\d,]*)\]", c.message
    )
    if not match:
        return None
    a, b = parse_shape(match.group(1)), parse_shape(match.group(2))
    if len(a) < 2 or len(b) < 2:
        return None
    text = Said(
        "hint.matmul-sizes",
        {"a": show_shape(a), "b": show_shape(b), "columns": a[-1], "rows": b[-2]},
    )
    if a[-1] == b[-1]:
        return then(text, Said("hint.matmul-transpose-b"))
    if a[-2] == b[-2]:
        return then(text, Said("hint.matmul-transpose-a"))
    return text


def matmul_vector(c: Context) -> Said | None:
    if not re.search(
        r"In\[0\] and In\[1\] has different ndims|ndims must be (==|>=) 2|must be at least rank 2",
        c.message,
    ):
        return None
    return Said("hint.matmul-vector")


def _factor_pairs(n: int) -> list[str]:
    pairs = [f"({d}, {n // d})" for d in range(2, math.isqrt(n) + 1) if n % d == 0]
    return pairs[:3]


def reshape(c: Context) -> Said | None:
    match = re.search(
        r"Input to reshape is a tensor with (\d+) values, but the requested shape "
        r"(has|requires a multiple of) (\d+)",
        c.message,
    )
    if not match:
        return None
    values, relation, requested = int(match.group(1)), match.group(2), int(match.group(3))
    numbers = {"values": values, "requested": requested}
    if relation == "has":
        text = Said("hint.reshape-values", numbers)
    else:
        text = Said("hint.reshape-multiple", numbers)
    pairs = _factor_pairs(values)
    if pairs:
        text = then(text, Said("hint.reshape-pairs", {"values": values, "pairs": pairs}))
    return then(text, Said("hint.reshape-minus-one"))


def reduction_axis(c: Context) -> Said | None:
    match = re.search(
        r"Invalid reduction dimension \(?(-?\d+) for input with (\d+) dimension", c.message
    )
    if not match:
        return None
    axis, rank = int(match.group(1)), int(match.group(2))
    if rank == 0:
        return Said("hint.scalar-axis", {"axis": axis})
    return Said("hint.no-such-axis", {"axis": axis, "rank": rank, "axes": list(range(rank))})


def scalar_len(c: Context) -> Said | None:
    if "Scalar tensor has no `len()`" not in c.message:
        return None
    return Said("hint.scalar-len")


def to_python_scalar(c: Context) -> Said | None:
    if not re.search(
        r"only (0-dimensional|length-1|size-1) arrays can be converted to Python scalars",
        c.message,
    ):
        return None
    return Said("hint.to-python-scalar")


def concat_or_stack(c: Context) -> Said | None:
    if "ConcatOp : Dimension" in c.message:
        return Said("hint.concat-shapes")
    if "Shapes of all inputs must match" in c.message:
        return Said("hint.stack-shapes")
    return None


def matrix_norm(c: Context) -> Said | None:
    if "'ord' must be a supported vector norm" not in c.message:
        return None
    return Said("hint.matrix-norm")


def index_out_of_range(c: Context) -> Said | None:
    match = re.search(r"slice index (-?\d+) of dimension (\d+) out of bounds", c.message)
    if not match:
        return None
    index, axis = match.groups()
    return Said("hint.index-past-end", {"index": index, "axis": axis})
