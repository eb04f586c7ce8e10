"""Tensors are immutable: changing one entry in place."""

from __future__ import annotations

import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context
from tutor.kernel.worker.hints.spellings import TENSOR_TYPES


def item_assignment(c: Context) -> Said | None:
    match = re.search(r"'([\w.]+)' object does not support item assignment", c.message)
    if c.error_type != "TypeError" or not match:
        return None
    type_name = match.group(1).rsplit(".", 1)[-1]
    if type_name in ("ResourceVariable", "Variable"):
        return Said("hint.variable-item-assign")
    if type_name in TENSOR_TYPES:
        return Said("hint.tensor-immutable")
    return None
