"""The namespace as the inspector shows it: tensor-like names with shape, dtype, preview.

Runs in the kernel. Values are summarised with NumPy's print options so a 40,000-entry
tensor costs a few hundred characters on the wire, never the whole array.
"""

from __future__ import annotations

import math
import types
from typing import Any

import numpy as np

MAX_NAMES = 200
PREVIEW_THRESHOLD = 60
MATRIX_MAX = 32


def kind_of(value: Any) -> str | None:
    """The inspector's word for a tensor-like value, or None when it is not one."""
    import tensorflow as tf

    if isinstance(value, tf.Variable):
        return "Variable"
    if isinstance(value, tf.Tensor):
        return "Tensor"
    if isinstance(value, np.ndarray):
        return "ndarray"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | np.integer):
        return "int"
    if isinstance(value, float | np.floating):
        return "float"
    if isinstance(value, complex | np.complexfloating):
        return "complex"
    return None


def to_numpy(value: Any) -> np.ndarray | None:
    """The value as an array, or None when it cannot be read (a symbolic tensor...)."""
    try:
        if hasattr(value, "numpy"):
            return np.asarray(value.numpy())
        return np.asarray(value)
    except Exception:
        return None


def preview(array: np.ndarray) -> str:
    """A short text of the values; one line for vectors and scalars."""
    with np.printoptions(threshold=PREVIEW_THRESHOLD, edgeitems=3, precision=4, linewidth=72):
        if array.ndim == 0:
            return str(array[()])
        text = np.array2string(array)
    if array.ndim == 1:
        text = " ".join(text.split()).replace("[ ", "[").replace(" ]", "]")
    return text


def summary(array: np.ndarray) -> str:
    """One line for screen readers: "5x4 float32, min 0, max 19"."""
    shape = "x".join(str(d) for d in array.shape) or "scalar"
    text = f"{shape} {array.dtype.name}"
    if array.size and array.dtype.kind in "iuf":
        finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
        if finite.size:
            text += f", min {_num(finite.min())}, max {_num(finite.max())}"
    return text


def _num(x: Any) -> str:
    value = float(x)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"


def matrix_values(array: np.ndarray) -> list[list[float]] | None:
    """Values for a heatmap: small real 2-D arrays only."""
    if array.ndim != 2 or array.dtype.kind not in "iuf":
        return None
    if array.shape[0] > MATRIX_MAX or array.shape[1] > MATRIX_MAX or array.size == 0:
        return None
    out = array.astype(np.float64)
    return [[v if math.isfinite(v) else 0.0 for v in row] for row in out.tolist()]


def view(name: str, value: Any, grad: dict[str, Any] | None) -> dict[str, Any] | None:
    """The wire dict of one inspector row, or None for names the inspector skips."""
    kind = kind_of(value)
    if kind is None:
        return None
    array = to_numpy(value)
    if array is None:
        return {
            "name": name,
            "kind": kind,
            "shape": None,
            "dtype": None,
            "preview": "<not readable>",
            "grad": None,
        }
    dtype = getattr(getattr(value, "dtype", None), "name", None) or array.dtype.name
    if kind in {"int", "float", "bool", "complex"}:
        dtype = type(value).__name__
    return {
        "name": name,
        "kind": kind,
        "shape": list(array.shape) if kind in {"Variable", "Tensor", "ndarray"} else [],
        "dtype": dtype,
        "preview": preview(array),
        "summary": summary(array),
        "matrix": matrix_values(array),
        "grad": grad,
    }


def snapshot(namespace: dict[str, Any], grads: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every tensor-like public name of the namespace, in name order."""
    rows: list[dict[str, Any]] = []
    for name in sorted(namespace):
        if name.startswith("_") or len(rows) >= MAX_NAMES:
            continue
        value = namespace[name]
        if isinstance(value, types.ModuleType | types.FunctionType | type):
            continue
        row = view(name, value, grads.get(name))
        if row is not None:
            rows.append(row)
    return rows
