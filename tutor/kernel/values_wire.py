"""A learner's values as data: the wire form shared by answer forks, the supervisor and graders.

Grading moves values between processes (an answer fork that ran the learner's code, the
supervisor, a trusted grader fork), so a value crosses as plain data — a typed array:
its kind, dtype name, shape and little-endian bytes in base64 — never as pickle, so
decoding can never run code. This module checks that form without NumPy or TensorFlow
(the supervisor imports it); the worker side builds and reads the arrays
(`tutor.kernel.worker.values`).

Forms (`t` says which):
- `{"t": "array", "kind", "dtype", "shape", "data"}` — a tensor, Variable, NumPy array or number;
  `kind` is what the learner bound ("Tensor", "Variable", "ndarray", "int", "float", ...)
- `{"t": "seq", "kind": "list"|"tuple", "items": [...]}`
- `{"t": "none"}`, `{"t": "missing"}`, `{"t": "other", "type": NAME}` (not a tensor-like value),
  `{"t": "large", "kind", "dtype", "shape"}` (too many entries to send: shape and dtype only)
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

#: Entries of one value sent with its data; a larger value travels as its shape and dtype.
MAX_ELEMENTS = 1 << 20
#: Bytes of array data in one answer (all names, draws and calls).
MAX_TOTAL_BYTES = 48 << 20
MAX_RANK = 32
MAX_ITEMS = 64
MAX_DEPTH = 4

#: dtype name -> item size in bytes, for the dtypes that travel as data.
ITEM_SIZES = {
    "bool": 1, "int8": 1, "int16": 2, "int32": 4, "int64": 8, "uint8": 1, "uint16": 2,
    "uint32": 4, "uint64": 8, "float16": 2, "float32": 4, "float64": 8, "complex64": 8,
    "complex128": 16,
}  # fmt: skip
#: dtype names that are sent converted (to float32) but keep their own name.
CONVERTED_DTYPES = {"bfloat16": "float32"}
KINDS = {
    "Tensor", "Variable", "ndarray", "generic", "int", "float", "bool", "complex", "TensorShape",
}  # fmt: skip
_NAME_CHARS = 80


class BadValue(ValueError):
    """A value on the wire that is not one of the forms above (a forged or broken message)."""


class Budget:
    """The bytes of array data still allowed in one message."""

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.left = total

    def take(self, size: int) -> None:
        if size > self.left:
            raise BadValue("the values are too large")
        self.left -= size


def data_dtype(dtype: str) -> str:
    """The dtype the bytes are in (bfloat16 travels as float32)."""
    return CONVERTED_DTYPES.get(dtype, dtype)


def checked_value(value: object, budget: Budget, depth: int = 0) -> dict[str, Any]:
    """`value` if it is a well-formed wire value (a clean copy), else BadValue."""
    if not isinstance(value, dict):
        raise BadValue("a value must be an object")
    form = value.get("t")
    if form in ("none", "missing"):
        return {"t": form}
    if form == "other":
        return {"t": "other", "type": _name(value.get("type"))}
    if form == "seq":
        if depth >= MAX_DEPTH:
            raise BadValue("sequences nested too deep")
        kind = value.get("kind")
        items = value.get("items")
        if kind not in ("list", "tuple") or not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise BadValue("a bad sequence")
        return {
            "t": "seq",
            "kind": kind,
            "items": [checked_value(v, budget, depth + 1) for v in items],
        }
    if form in ("array", "large"):
        kind, dtype, shape = (
            _kind(value.get("kind")),
            _dtype(value.get("dtype")),
            _shape(value.get("shape")),
        )
        if form == "large":
            return {"t": "large", "kind": kind, "dtype": dtype, "shape": shape}
        count = math.prod(shape)
        if count > MAX_ELEMENTS:
            raise BadValue("an array with too many entries")
        size = count * ITEM_SIZES[data_dtype(dtype)]
        budget.take(size)
        data = value.get("data")
        if not isinstance(data, str) or len(data) != 4 * ((size + 2) // 3):
            raise BadValue("array data of the wrong length")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadValue("array data is not base64") from exc
        if len(raw) != size:
            raise BadValue("array data of the wrong length")
        return {"t": "array", "kind": kind, "dtype": dtype, "shape": shape, "data": data}
    raise BadValue(f"unknown value form {str(form)[:20]!r}")


def _name(value: object) -> str:
    if not isinstance(value, str) or not value:
        return "object"
    return "".join(c for c in value[:_NAME_CHARS] if c.isprintable())


def _kind(value: object) -> str:
    if value not in KINDS:
        raise BadValue("an unknown kind of value")
    return str(value)


def _dtype(value: object) -> str:
    if not isinstance(value, str) or (value not in ITEM_SIZES and value not in CONVERTED_DTYPES):
        raise BadValue("an unknown dtype")
    return value


def _shape(value: object) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_RANK:
        raise BadValue("a bad shape")
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**40 for d in value):
        raise BadValue("a bad shape")
    return list(value)
