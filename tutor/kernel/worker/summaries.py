"""What the inspector says about one value: shape, dtype, a preview, a summary line, a grid.

Runs in the kernel, and computes where the value lives. A small value (at most `SMALL`
entries) is copied to the host whole. A large tensor is reduced on its own device:
min, max and mean, the corner entries NumPy would print (the first and last three
along each axis) and, for a matrix, a heatmap grid of block means (at most 32x32);
only those values are copied to the host, at most `MAX_HOST_VALUES`. So a 4000x4000
tensor on a GPU costs a few kilobytes per summary, never its 64 MB.

The preview of a large tensor is NumPy's own summarised text: the corners are laid
out with one filler entry between the leading and trailing ones along each long axis,
and NumPy prints that small array exactly as it prints the large one (it formats only
the leading and trailing entries and puts `...` in place of the rest).

`fingerprint` tells whether a mutable value (a Variable, a NumPy array) changed since
it was last summarised, for less than a summary costs: the bytes of a small value; for
a large Variable, one pass on its device (its bits as int32, dotted with fixed random
odd numbers along rows, then down the rows: any change of one entry changes it, and a
change of several goes unseen with odds of 2**-32); for a large NumPy array, per-row
sums of its bits (exact) and a dot product with a fixed random vector (sees values
moved within a row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tutor.kernel.protocol import Fact, Said

#: Values with at most this many entries are copied to the host whole.
SMALL = 1024
#: NumPy's print threshold for previews: larger arrays are printed summarised.
PREVIEW_THRESHOLD = 60
#: Entries shown at each end of a long axis (NumPy's `edgeitems`).
EDGE = 3
#: The largest matrix sent whole for a heatmap, and the grid a larger one is reduced to.
MATRIX_MAX = 32
#: Corner entries copied for a preview at most (7**4: rank 4 with three at each end).
MAX_CORNERS = 7**4
#: What one summary copies to the host at most: corners, a grid, a few statistics.
MAX_HOST_VALUES = MAX_CORNERS + MATRIX_MAX * MATRIX_MAX + 8

Summary = dict[str, Any]


# -- kinds --------------------------------------------------------------------------
_KINDS: dict[int, tuple[type, str | None]] = {}


def kind_of_type(cls: type) -> str | None:
    """The inspector's word for instances of `cls` ("Variable", "Tensor", ...), or None.

    Read from the class's MRO, never from the instance: `isinstance` would ask the
    object for its `__class__`, which a learner's object can fake or make raise.
    Cached per class (keyed by identity, so no `__hash__` of a learner's metaclass runs).
    """
    known = _KINDS.get(id(cls))
    if known is not None and known[0] is cls:
        return known[1]
    kind = _kind_from_mro(type.__dict__["__mro__"].__get__(cls))
    _KINDS[id(cls)] = (cls, kind)
    return kind


def _kind_from_mro(mro: Sequence[type]) -> str | None:
    import tensorflow as tf

    order: list[tuple[tuple[type, ...], str]] = [
        ((tf.Variable,), "Variable"),
        ((tf.Tensor,), "Tensor"),
        ((np.ndarray,), "ndarray"),
        ((bool, np.bool_), "bool"),
        ((int, np.integer), "int"),
        ((float, np.floating), "float"),
        ((complex, np.complexfloating), "complex"),
    ]
    for classes, kind in order:
        # `is`, not `in`: `in` would call `==`, which a learner's metaclass can define.
        if any(c is k for c in mro for k in classes):
            return kind
    return None


def is_tensor_kind(kind: str | None) -> bool:
    return kind in ("Variable", "Tensor")


# -- copies to the host ---------------------------------------------------------------
#: Values copied to the host by summaries and fingerprints since the kernel started.
host_values_copied = 0


def _host(tensor: Any) -> np.ndarray:
    """A (small) tensor's values on the host; every copy a summary makes goes through here."""
    global host_values_copied
    array = np.asarray(tensor.numpy())
    host_values_copied += array.size
    return array


# -- summaries ----------------------------------------------------------------------
def summarise(value: Any, kind: str) -> Summary:
    """Shape, dtype, preview, summary and heatmap matrix of a tensor-like value.

    May raise anything the value raises; the caller runs it under a time limit.
    """
    if is_tensor_kind(kind):
        return _tensor_summary(value, kind)
    if kind == "ndarray":
        return _array_summary(np.asarray(value), None)
    return _scalar_summary(value)


def metadata(value: Any, kind: str) -> Summary:
    """Shape and dtype only, without reading any values (for a row not refreshed)."""
    if is_tensor_kind(kind):
        return {"shape": _dims(value.shape), "dtype": value.dtype.name}
    if kind == "ndarray":
        array = np.asarray(value)
        return {"shape": list(array.shape), "dtype": array.dtype.name}
    return {"shape": [], "dtype": type(value).__name__}


def _dims(shape: Any) -> list[int] | None:
    dims = getattr(shape, "as_list", lambda: None)() if shape.rank is not None else None
    if dims is None:
        return None
    return [-1 if d is None else int(d) for d in dims]


def _scalar_summary(value: Any) -> Summary:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        digits = int(value.bit_length() * math.log10(2)) + 1
        text = f"<int of about {digits} digits>" if digits > 1000 else str(int(value))
        return {"shape": [], "dtype": "int", "preview": text, "summary": text, "matrix": None}
    array = np.asarray(value)
    return {
        "shape": [],
        "dtype": type(value).__name__,
        "preview": preview(array),
        "summary": summary_line(array.shape, array.dtype.name, _host_stats(array)),
        "matrix": None,
    }


def _array_summary(array: np.ndarray, dtype_name: str | None) -> Summary:
    """A host array: whole when small, else its corners, statistics and grid."""
    dims = list(array.shape)
    name = dtype_name or array.dtype.name
    if array.size <= SMALL:
        return {
            "shape": dims,
            "dtype": name,
            "preview": preview(array),
            "summary": summary_line(array.shape, name, _host_stats(array)),
            "matrix": matrix_values(array),
        }
    edge = _edge_for(array.ndim)
    corners = array[np.ix_(*(_corner_indices(n, edge) for n in array.shape))] if edge else None
    grid = _host_grid(array) if array.ndim == 2 and array.dtype.kind in "biuf" else None
    return _large(dims, name, corners, edge, _host_stats(array), grid)


def _tensor_summary(value: Any, kind: str) -> Summary:
    import tensorflow as tf

    dims = _dims(value.shape)
    dtype = value.dtype
    if dims is None or -1 in dims or tf.is_symbolic_tensor(value):
        # A graph tensor that escaped a tf.function: it has no values to show.
        return {
            "shape": dims,
            "dtype": dtype.name,
            "preview": "<not readable>",
            "summary": "",
            "matrix": None,
        }
    size = math.prod(dims)
    with tf.device(value.device):
        if size <= SMALL:
            return _array_summary(_host(value), dtype.name)
        x = value.read_value() if kind == "Variable" else value
        edge = _edge_for(len(dims))
        corners = _device_corners(x, dims, edge) if edge else None
        stats = _device_stats(x, dtype)
        real = dtype.is_floating or dtype.is_integer or dtype.is_bool
        grid = _device_grid(x, dims, stats) if len(dims) == 2 and real else None
        return _large(
            dims,
            dtype.name,
            None if corners is None else _host(corners),
            edge,
            None if stats is None else tuple(float(v) for v in _host(stats)),
            None if grid is None else _host(grid),
        )


def _large(
    dims: list[int],
    dtype: str,
    corners: np.ndarray | None,
    edge: int,
    stats: tuple[float, ...] | None,
    grid: np.ndarray | None,
) -> Summary:
    line = summary_line(tuple(dims), dtype, stats)
    text = str(sized(dims, dtype)) if corners is None else corner_preview(corners, edge)
    return {
        "shape": dims,
        "dtype": dtype,
        "preview": text,
        "summary": line,
        "matrix": None if grid is None else _matrix_list(grid),
    }


# -- previews -----------------------------------------------------------------------
def preview(array: np.ndarray) -> str:
    """A short text of the values; one line for vectors and scalars."""
    with np.printoptions(threshold=PREVIEW_THRESHOLD, edgeitems=EDGE, precision=4, linewidth=72):
        if array.ndim == 0:
            return str(array[()])
        text = np.array2string(array)
    return _one_line_vector(text, array.ndim)


def corner_preview(corners: np.ndarray, edge: int) -> str:
    """NumPy's summarised text of a large array, from its corners (see the module doc)."""
    with np.printoptions(threshold=0, edgeitems=edge, precision=4, linewidth=72):
        text = np.array2string(corners)
    return _one_line_vector(text, corners.ndim)


def _one_line_vector(text: str, ndim: int) -> str:
    if ndim == 1:
        text = " ".join(text.split()).replace("[ ", "[").replace(" ]", "]")
    return text


def _edge_for(rank: int) -> int:
    """Entries kept at each end of a long axis so that the corners stay few."""
    for edge in (EDGE, 1):
        if (2 * edge + 1) ** rank <= MAX_CORNERS:
            return edge
    return 0


def _corner_indices(n: int, edge: int) -> list[int]:
    """Along an axis of `n`: all of it when short, else both ends with one filler between
    (the filler is never printed: NumPy shows `...` in its place)."""
    if n <= 2 * edge:
        return list(range(n))
    return [*range(edge), edge - 1, *range(n - edge, n)]


def _device_corners(x: Any, dims: list[int], edge: int) -> Any:
    import tensorflow as tf

    corners = x
    for axis, n in enumerate(dims):
        if n > 2 * edge:
            corners = tf.gather(corners, _corner_indices(n, edge), axis=axis)
    return corners


# -- statistics ---------------------------------------------------------------------
def _device_stats(x: Any, dtype: Any) -> Any:
    """(min, max, mean) of the finite entries as float64 on the device; (count of True,)
    for booleans; None for what has no order (complex, strings)."""
    import tensorflow as tf

    if dtype.is_bool:
        return tf.reshape(tf.reduce_sum(tf.cast(x, tf.int64)), (1,))
    if dtype.is_complex or not (dtype.is_floating or dtype.is_integer):
        return None
    wide = tf.cast(x, tf.float64) if dtype.is_integer else x
    if dtype.is_floating and dtype.size < 4:
        wide = tf.cast(x, tf.float32)  # float16 and bfloat16 would overflow a sum
    stats = tf.cast(tf.stack([tf.reduce_min(x), tf.reduce_max(x)]), tf.float64)
    mean = tf.cast(tf.reduce_mean(wide), tf.float64)
    if dtype.is_floating and not math.isfinite(float(_host(mean))):
        # NaN or inf somewhere: the statistics of the finite entries only.
        finite = tf.math.is_finite(x)
        count = tf.reduce_sum(tf.cast(finite, tf.float64))
        high = tf.constant(math.inf, dtype=x.dtype)
        stats = tf.cast(
            tf.stack(
                [
                    tf.reduce_min(tf.where(finite, x, high)),
                    tf.reduce_max(tf.where(finite, x, -high)),
                ]
            ),
            tf.float64,
        )
        total = tf.reduce_sum(tf.cast(tf.where(finite, x, tf.zeros_like(x)), tf.float64))
        mean = tf.math.divide_no_nan(total, count)
        return tf.concat([stats, tf.reshape(mean, (1,)), tf.reshape(count, (1,))], 0)
    return tf.concat([stats, tf.reshape(mean, (1,))], 0)


def _host_stats(array: np.ndarray) -> tuple[float, ...] | None:
    """The same statistics as `_device_stats`, for a host array."""
    if array.dtype.kind == "b":
        return (float(np.count_nonzero(array)),)
    if array.dtype.kind not in "iuf" or array.size == 0:
        return None
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        finite = array[np.isfinite(array)]
        if not finite.size:
            return (math.nan, math.nan, math.nan, 0.0)
        return (
            float(finite.min()),
            float(finite.max()),
            float(finite.mean(dtype=np.float64)),
            float(finite.size),
        )
    return (float(array.min()), float(array.max()), float(array.mean(dtype=np.float64)))


def summary_line(
    shape: Sequence[int], dtype: str, stats: tuple[float, ...] | None
) -> str | dict[str, Any]:
    """One line for screen readers, as words to say (ids "picture.…", said by the
    frontend in the learner's language): "5x4 float32, min 0, max 19, mean 9.5"."""
    what = sized(shape, dtype)
    said: Said | str = what
    if stats is None or not math.prod(shape) or (len(stats) == 4 and stats[3] == 0):
        pass  # nothing to add, or no finite entry
    elif len(stats) == 1:
        if len(shape):
            said = Said("picture.summary-true", {"what": what, "n": _num(stats[0])})
    else:
        low, high, mean = (_num(v) for v in stats[:3])
        if len(shape):
            facts: dict[str, Fact] = {"what": what, "low": low, "high": high, "mean": mean}
            said = Said("picture.summary-range-mean", facts)
        else:
            said = Said("picture.summary-value", {"what": what, "value": low})
    return said if isinstance(said, str) else said.to_wire()


def sized(shape: Sequence[int], dtype: str) -> str | Said:
    """ "5x4 float32" (no words, the same in every language), or "scalar float32"."""
    if not len(shape):
        return Said("picture.scalar-of", {"dtype": dtype})
    return f"{'x'.join(str(d) for d in shape)} {dtype}"


def _num(x: float) -> str:
    if not math.isfinite(x):
        return str(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.4g}"


# -- heatmap grids --------------------------------------------------------------------
def matrix_values(array: np.ndarray) -> list[list[float]] | None:
    """Values for a heatmap: small real 2-D arrays only."""
    if array.ndim != 2 or array.dtype.kind not in "biuf":
        return None
    if array.shape[0] > MATRIX_MAX or array.shape[1] > MATRIX_MAX or array.size == 0:
        return None
    return _matrix_list(array)


def _matrix_list(array: np.ndarray) -> list[list[float]]:
    out = array.astype(np.float64)
    return [[v if math.isfinite(v) else 0.0 for v in row] for row in out.tolist()]


def _segments(n: int) -> int:
    return min(n, MATRIX_MAX)


def _device_grid(x: Any, dims: list[int], stats: Any) -> Any:
    """Block means of a large matrix, at most 32x32, on its device (non-finite as 0)."""
    import tensorflow as tf

    rows, cols = dims
    if rows == 0 or cols == 0:
        return None
    values = x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, tf.float32)
    if values.dtype.is_floating and stats is not None and stats.shape[0] == 4:
        values = tf.where(tf.math.is_finite(values), values, tf.zeros_like(values))
    g_rows, g_cols = _segments(rows), _segments(cols)
    row_ids = tf.range(rows) * g_rows // rows
    col_ids = tf.range(cols) * g_cols // cols
    by_rows = tf.math.segment_mean(values, row_ids)  # (g_rows, cols): the one large pass
    return tf.transpose(tf.math.segment_mean(tf.transpose(by_rows), col_ids))


def _host_grid(array: np.ndarray) -> np.ndarray | None:
    rows, cols = array.shape
    if rows == 0 or cols == 0:
        return None
    values = array.astype(np.float64, copy=False)
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        values = np.where(np.isfinite(values), values, 0.0)

    def block_means(a: np.ndarray, n: int, axis: int) -> np.ndarray:
        g = _segments(n)
        starts = (np.arange(g) * n + g - 1) // g
        sums = np.add.reduceat(a, starts, axis=axis)
        counts = np.diff(np.append(starts, n))
        shape = [1, 1]
        shape[axis] = g
        return np.asarray(sums / counts.reshape(shape))

    return block_means(block_means(values, rows, 0), cols, 1)


# -- fingerprints ---------------------------------------------------------------------
_PROBES: dict[tuple[int, str, str], Any] = {}


def fingerprint(value: Any, kind: str) -> object:
    """Something equal between two calls exactly when the value is unchanged (as far as
    cheaply knowable: see the module doc). May raise what the value raises."""
    if kind == "Variable":
        return _variable_fingerprint(value)
    array = np.asarray(value)
    if array.dtype.kind == "O":
        return object()  # objects inside can change unseen: always summarised again
    if array.size <= SMALL or array.ndim == 0:
        return (array.shape, array.dtype.str, array.tobytes())
    if array.dtype.kind not in "biuf":
        return object()  # no statistics to compute: summarising again costs little
    return (array.shape, array.dtype.str, *_host_fingerprint(array))


def _variable_fingerprint(var: Any) -> object:
    import tensorflow as tf

    dims = _dims(var.shape)
    dtype = var.dtype
    if dims is None:
        return object()
    size = math.prod(dims)
    with tf.device(var.device):
        if size <= SMALL:
            array = _host(var)
            return (tuple(dims), dtype.name, array.tobytes())
        bits = _bits(var.read_value(), dtype)
        if bits is None:
            return object()  # no bits to read (strings): summarised again, cheaply
        rows = tf.reshape(bits, (-1, bits.shape[-1]))
        # One pass: a dot product of each row's bits with fixed odd numbers, then of
        # the rows with others; int32 arithmetic wraps, an odd factor loses no change.
        weights = _odd_weights(rows.shape[-1], var.device)
        if "CPU" in var.device.upper():
            across = tf.linalg.matvec(rows, weights)
        else:  # no integer MatMul on GPUs: the same sums, elementwise then reduced
            across = tf.reduce_sum(rows * weights, axis=1)
        down = tf.reduce_sum(across * _odd_weights(rows.shape[0], var.device))
        return (tuple(dims), dtype.name, int(_host(down)))


def _bits(x: Any, dtype: Any) -> Any:
    """The tensor's bits as int32 (an 8-byte entry as two), or None for strings."""
    import tensorflow as tf

    if dtype == tf.string or dtype.size == 0:
        return None
    if dtype.size >= 4:
        return tf.bitcast(x, tf.int32)
    if dtype.size == 2:
        return tf.cast(tf.bitcast(x, tf.int16), tf.int32)
    return tf.cast(x, tf.int32)


def _odd_weights(n: int, device: str) -> Any:
    """`n` fixed random odd int32 numbers on `device` (made once per length)."""
    import tensorflow as tf

    key = (n, "int32", device)
    weights = _PROBES.get(key)
    if weights is None:
        rng = np.random.default_rng(n)
        values = rng.integers(-(2**31), 2**31, size=n, dtype=np.int64) | 1
        weights = tf.constant(values.astype(np.int32))
        if len(_PROBES) > 64:
            _PROBES.clear()
        _PROBES[key] = weights
    return weights


_INT_OF_SIZE = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}


def _host_fingerprint(array: np.ndarray) -> tuple[int, float]:
    """The device fingerprint's two numbers, for a large host array (bool, int, float)."""
    x = np.ascontiguousarray(array).reshape(-1, array.shape[-1])
    bits = x.view(_INT_OF_SIZE[x.dtype.itemsize])
    rows = bits.sum(axis=1, dtype=np.int64)
    exact = int((rows * np.arange(1, rows.size + 1, dtype=np.int64)).sum())
    probe = np.random.default_rng(x.shape[1]).standard_normal(x.shape[1])
    moved = float((x.astype(np.float64, copy=False) @ probe).sum())
    return exact, moved
