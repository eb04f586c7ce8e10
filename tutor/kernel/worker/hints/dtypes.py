"""Mixed or refused dtypes: TensorFlow never converts one dtype to another by itself."""

from __future__ import annotations

import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context, then
from tutor.kernel.worker.hints.spellings import DTYPE_NAMES


def _cast_advice(target: str = "tf.float32") -> Said:
    return Said("hint.cast-advice", {"target": target})


def op_input_dtype(c: Context) -> Said | None:
    match = re.search(
        r"cannot compute (\w+) as input #(\d+)\(zero-based\) was expected to be a (\w+) "
        r"tensor but is a (\w+) tensor",
        c.message,
    )
    if not match:
        return None
    op, _index, expected, actual = match.groups()
    want = DTYPE_NAMES.get(expected, expected)
    got = DTYPE_NAMES.get(actual, actual)
    target = "tf.float32" if "tf.float32" in (want, got) else want
    mixed = Said("hint.mixed-op-dtypes", {"op": op, "want": want, "got": got})
    return then(mixed, _cast_advice(target))


def same_dtype(c: Context) -> Said | None:
    match = re.search(
        r"`x` and `y` must have the same dtype, got (tf\.\w+) != (tf\.\w+)", c.message
    )
    if not match:
        return None
    first, second = match.groups()
    target = "tf.float32" if "tf.float32" in (first, second) else first
    mixed = Said("hint.mixed-dtypes", {"first": first, "second": second})
    return then(mixed, _cast_advice(target))


def attr_not_allowed(c: Context) -> Said | None:
    match = re.search(
        r"Value for attr '\w+' of (\w+) is not in the list of allowed values", c.message
    )
    if not match:
        return None
    dtype = match.group(1)
    if dtype == "bool":
        return Said("hint.no-booleans")
    if dtype.startswith(("int", "uint")):
        return Said("hint.needs-floats", {"dtype": dtype})
    return then(Said("hint.dtype-not-accepted", {"dtype": dtype}), _cast_advice())


def cannot_convert(c: Context) -> Said | None:
    match = re.search(r"Cannot convert (.+?) to EagerTensor of dtype (\w+)", c.message)
    if not match:
        match = re.search(
            r"Tensor conversion requested dtype (\w+) for Tensor with dtype (\w+)", c.message
        )
        if not match:
            return None
        needed, given = match.groups()
        conversion = Said("hint.tensor-conversion", {"given": given, "needed": needed})
        return then(conversion, _cast_advice(f"tf.{needed}"))
    value, dtype = match.groups()
    return Said("hint.does-not-fit", {"value": value, "dtype": dtype})
