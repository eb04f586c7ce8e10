"""Values to and from their wire form (tutor.kernel.values_wire): typed arrays, never pickle.

An answer fork encodes the values the learner's answer produced; the grader decodes
them and compares them with the solution's. Arguments of a function exercise travel the
other way. Decoding only ever calls `np.frombuffer` on checked bytes, so a forged value
can be wrong, never harmful.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np

from tutor.kernel.values_wire import (
    CONVERTED_DTYPES,
    ITEM_SIZES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_ITEMS,
    Budget,
    checked_value,
    data_dtype,
)


def encode(value: Any, depth: int = 0, *, budget: Budget | None = None) -> dict[str, Any]:
    """The wire form of a value the learner bound (or a lesson computed).

    With a `budget`, data past it travels as its shape and dtype only (so a reply holding
    several large values still fits the channel)."""
    import tensorflow as tf

    if value is None:
        return {"t": "none"}
    if isinstance(value, tf.IndexedSlices):
        value = tf.convert_to_tensor(value)
    if isinstance(value, list | tuple) and not isinstance(value, tf.TensorShape):
        if depth >= MAX_DEPTH or len(value) > MAX_ITEMS:
            return {"t": "other", "type": type(value).__name__}
        return {
            "t": "seq",
            "kind": "list" if isinstance(value, list) else "tuple",
            "items": [encode(v, depth + 1, budget=budget) for v in value],
        }
    kind, array = _as_array(value)
    if kind is None or array is None:
        return {"t": "other", "type": _type_name(value)}
    dtype = array.dtype.name
    if dtype not in ITEM_SIZES:
        return {"t": "other", "type": f"{_type_name(value)} of {dtype}"}
    large = {"t": "large", "kind": kind, "dtype": dtype, "shape": list(array.shape)}
    if array.size > MAX_ELEMENTS:
        return large
    if budget is not None:
        if array.nbytes > budget.left:
            return large
        budget.take(array.nbytes)
    data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return {
        "t": "array",
        "kind": kind,
        "dtype": dtype,
        "shape": list(array.shape),
        "data": base64.b64encode(data).decode("ascii"),
    }


def _type_name(value: Any) -> str:
    return type(value).__name__


def _as_array(value: Any) -> tuple[str | None, np.ndarray | None]:
    """(kind, array) for a tensor-like value, else (None, None)."""
    import tensorflow as tf

    if isinstance(value, tf.Variable):
        return "Variable", _tensor_array(value)
    if tf.is_tensor(value):
        if isinstance(value, tf.SparseTensor | tf.RaggedTensor):
            return None, None
        return "Tensor", _tensor_array(value)
    if isinstance(value, tf.TensorShape):
        dims = value.as_list() if value.rank is not None else None
        if dims is None or None in dims:
            return None, None
        return "TensorShape", np.asarray(dims, dtype=np.int64)
    if isinstance(value, np.ndarray):
        return "ndarray", value
    if isinstance(value, np.generic):
        return "generic", np.asarray(value)
    for kind, python_type in (("bool", bool), ("int", int), ("float", float), ("complex", complex)):
        if isinstance(value, python_type):
            try:
                return kind, np.asarray(value)
            except OverflowError:
                return None, None
    return None, None


def _tensor_array(value: Any) -> np.ndarray | None:
    import tensorflow as tf

    try:
        if value.dtype == tf.bfloat16:
            value = tf.cast(value, tf.float32)
        if value.dtype == tf.string:
            return None
        return np.asarray(value.numpy())
    except Exception:  # a symbolic tensor, a deleted Variable...
        return None


class Decoded:
    """A decoded value with what the learner had: kind, dtype name and type name."""

    def __init__(self, kind: str, dtype: str | None, type_name: str, value: Any) -> None:
        self.kind = kind
        self.dtype = dtype
        self.type_name = type_name
        #: The value rebuilt as the learner bound it (tensor, Variable, array, number, tuple).
        self.value = value


def decode(wire: Any, *, budget: Budget | None = None) -> Decoded:
    """A wire value (checked again here) rebuilt: arrays, tensors, numbers, sequences."""
    checked = checked_value(wire, budget or Budget())
    return _rebuild(checked)


def _rebuild(checked: dict[str, Any]) -> Decoded:
    import tensorflow as tf

    form = checked["t"]
    if form in ("none", "missing"):
        return Decoded(form, None, "NoneType", None)
    if form == "other":
        return Decoded("other", None, checked["type"], _Opaque(checked["type"]))
    if form == "seq":
        items = [_rebuild(item) for item in checked["items"]]
        values = [item.value for item in items]
        rebuilt = values if checked["kind"] == "list" else tuple(values)
        return Decoded(checked["kind"], None, checked["kind"], rebuilt)
    kind, dtype, shape = checked["kind"], checked["dtype"], tuple(checked["shape"])
    if form == "large":
        return Decoded(kind, dtype, kind, _Large(kind, dtype, shape))
    raw = base64.b64decode(checked["data"])
    array = np.frombuffer(raw, dtype=np.dtype(data_dtype(dtype)).newbyteorder("<"))
    array = array.astype(array.dtype.newbyteorder("="), copy=True).reshape(shape)
    value: Any
    if kind == "Tensor":
        value = tf.constant(array, dtype=getattr(tf, dtype))
    elif kind == "Variable":
        value = tf.Variable(tf.constant(array, dtype=getattr(tf, dtype)))
    elif kind == "TensorShape":
        value = tf.TensorShape([int(d) for d in array.reshape(-1)])
    elif kind == "ndarray":
        value = array
    elif kind == "generic":
        value = array[()]
    else:
        value = array.reshape(()).item() if math.prod(shape) == 1 else array
    if dtype in CONVERTED_DTYPES and kind not in ("Tensor", "Variable"):
        value = array
    return Decoded(kind, dtype, kind, value)


class _Opaque:
    """Stands for a value that is not tensor-like (a string, a dict): only its type is known."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name}>"


class _Large:
    """Stands for a value with too many entries to send: its shape and dtype are known."""

    def __init__(self, kind: str, dtype: str, shape: tuple[int, ...]) -> None:
        self.kind = kind
        self.dtype = dtype
        self.shape = shape

    def __repr__(self) -> str:
        return f"<{self.kind} of shape {self.shape}, {self.dtype}>"
