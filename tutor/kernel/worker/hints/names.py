"""Misspelled names and attributes, and a None where a value was expected."""

from __future__ import annotations

import builtins
import re

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints.context import Context, closest, did_you_mean
from tutor.kernel.worker.hints.spellings import TENSOR_METHODS, TENSOR_TYPES, TF_SPELLINGS

_ASSIGN_METHODS = ("assign", "assign_add", "assign_sub")


def _module_prefix(module: str) -> str:
    if module == "tensorflow":
        return "tf"
    if module.startswith("tensorflow._api.v2."):
        return "tf." + module.removeprefix("tensorflow._api.v2.")
    if module.startswith("tensorflow."):
        return "tf." + module.removeprefix("tensorflow.")
    if module == "numpy":
        return "np"
    return module


def module_attribute(c: Context) -> Said | None:
    match = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", c.message)
    if c.error_type != "AttributeError" or not match:
        return None
    module, wanted = match.groups()
    prefix = _module_prefix(module)
    candidates = c.value_attributes or (c.tf_attributes if prefix == "tf" else frozenset())
    if prefix == "tf" and wanted.lower() in TF_SPELLINGS:
        return Said("hint.tf-spelling", {"spelling": TF_SPELLINGS[wanted.lower()]})
    near = closest(wanted, candidates)
    if near and near != wanted:
        return did_you_mean(f"{prefix}.{near}")
    return None


def object_attribute(c: Context) -> Said | None:
    match = re.search(r"'([\w.]+)' object has no attribute '(\w+)'", c.message)
    if c.error_type != "AttributeError" or not match:
        return None
    type_name = match.group(1).rsplit(".", 1)[-1]
    wanted = match.group(2)
    if type_name in TENSOR_TYPES:
        if wanted in _ASSIGN_METHODS and type_name != "ResourceVariable":
            return Said("hint.variable-only-assign", {"method": wanted})
        if wanted in TENSOR_METHODS:
            return Said("hint.tensor-method", {"method": wanted, "instead": TENSOR_METHODS[wanted]})
    if type_name in ("float", "int") and wanted == "dtype":
        return Said("hint.python-number-for-tensor")
    if type_name == "NoneType":
        return Said("hint.none-value")
    if type_name == "ndarray" and wanted == "numpy":
        return Said("hint.already-numpy")
    if type_name == "function" and "tf" in c.names and wanted in c.tf_attributes:
        return Said("hint.own-function", {"name": wanted})
    near = closest(wanted, c.value_attributes)
    if near and near != wanted:
        return did_you_mean(f".{near}")
    return None


def none_operand(c: Context) -> Said | None:
    if c.error_type == "TypeError" and (
        "'NoneType'" in c.message or "Attempt to convert a value (None)" in c.message
    ):
        return Said("hint.none-value")
    return None


def undefined_name(c: Context) -> Said | None:
    match = re.search(r"name '(\w+)' is not defined", c.message)
    if c.error_type not in ("NameError", "UnboundLocalError") or not match:
        return None
    name = match.group(1)
    has_tf = "tf" in c.names
    if name.startswith("tf") and len(name) > 2:
        rest = name[2:].lstrip("_")
        near = closest(rest, c.tf_attributes, cutoff=0.85)
        if near:
            return Said("hint.missing-dot", {"name": near})
    # `t` is more often a tape used outside its `with` block than a mistyped `tf`.
    if has_tf and name not in ("tf", "t") and _one_edit_apart(name, "tf"):
        return Said("hint.tf-typo", {"name": name})
    if name in c.tf_attributes and not name.startswith("_"):
        return Said("hint.belongs-to-tf", {"name": name})
    if name in ("np", "numpy") and name not in c.names:
        return Said("hint.numpy-not-imported")
    known = c.names | frozenset(dir(builtins))
    near = closest(name, known, cutoff=0.8)
    if near and near != name:
        return did_you_mean(near)
    near_tf = closest(name, c.tf_attributes, cutoff=0.85)
    if near_tf:
        return did_you_mean(f"tf.{near_tf}")
    if name.lower() in TF_SPELLINGS and has_tf:
        return did_you_mean(TF_SPELLINGS[name.lower()])
    if has_tf and c.error_type == "NameError":
        # most often a name an earlier example of the lesson made, in a cell not run (yet)
        return Said("hint.not-defined-yet", {"name": name})
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` turns into `b` by one inserted, deleted or replaced character, or a swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return True
        i = differ[0]
        return len(differ) == 2 and differ[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
