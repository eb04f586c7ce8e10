"""An exercise's givens bound into a namespace: the same rule in the learner's kernel and in a re-run.

The givens are what the lesson's setup and the exercise's setup bind, run on their own
in a fresh namespace (so they never read the learner's names) with a fixed seed (so a
random given is the same in every process). Binding them into a namespace:
- a missing name is bound;
- a name holding the same data (same type, dtype, shape and values; for a function, the
  same code) is kept as it is — a tape an example recorded against that very `x` keeps
  working;
- a name holding something else is rebound, and the report says so (the learner is told).
An answer fork replays the learner's history with this same function at the same places,
so the names the learner's answer saw are the names it sees again.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.kernel.worker.namespace import fresh_namespace

#: Names every namespace has; never givens.
BASE_NAMES = frozenset({"tf", "np", "plot"})


@dataclass
class GivensReport:
    """What binding the givens did, by name."""

    bound: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: (name, what it held, what it holds now), each a short description.
    rebound: list[tuple[str, str, str]] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        return {
            "bound": self.bound,
            "kept": self.kept,
            "rebound": [{"name": n, "was": w, "now": v} for n, w, v in self.rebound],
        }


#: Words in code that may draw from TensorFlow's global generator.
_RANDOM_WORDS = ("random", "dropout", "shuffle", "initializer", "Generator")


def draws_random(code: str) -> bool:
    """Whether code may use TensorFlow's random ops (so its global seed must be set)."""
    return any(word in code for word in _RANDOM_WORDS)


def seed_all(seed: int, *, tensorflow: bool = True) -> None:
    """Seed NumPy's generator, and TensorFlow's when `tensorflow` (setting TensorFlow's seed
    clears its kernel cache: the ops after it run ~10x slower once, so only when needed)."""
    np.random.seed(seed % 2**32)
    if tensorflow:
        import tensorflow as tf

        tf.random.set_seed(seed)


def compute_givens(code: str, *, seed: int, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The givens alone: `code` run in a fresh namespace after seeding. Raises what it raises.

    With `values` (the givens' data as the grader computed it), those values replace what
    the code drew, TensorFlow's seed is left alone (setting it empties its caches) and the
    functions the code defines see the given values as their globals.
    """
    scratch = fresh_namespace()
    if values is None or not _top_level_names(code) <= set(values):
        # run it: no values yet, or it defines something values cannot carry (a function)
        seed_all(seed, tensorflow=values is None and draws_random(code))
        exec(compile(code, "<exercise setup>", "exec"), scratch)
    scratch.update(values or {})
    return {
        name: value
        for name, value in scratch.items()
        if not name.startswith("_") and name not in BASE_NAMES and not _is_module(value)
    }


def bind_givens(
    namespace: dict[str, Any], givens: dict[str, Any], *, fill_only: bool = False
) -> GivensReport:
    """Bind `givens` into `namespace` by the rule above.

    `fill_only` binds missing names only (a replay restoring earlier steps' names, where
    the learner's own cells decide what the names held).
    """
    report = GivensReport()
    for name, value in givens.items():
        if name not in namespace:
            namespace[name] = value
            report.bound.append(name)
        elif fill_only or same_data(namespace[name], value):
            report.kept.append(name)
        else:
            report.rebound.append((name, describe(namespace[name]), describe(value)))
            namespace[name] = value
    return report


def _is_module(value: Any) -> bool:
    return isinstance(value, types.ModuleType)


def _top_level_names(code: str) -> set[str]:
    """The public names code binds at its top level (None when it does not parse)."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {"<unparsable>"}
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            names.add(getattr(node, "name", "<lambda>"))
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name)
    return {n for n in names if not n.startswith("_")}


def same_data(mine: Any, given: Any) -> bool:
    """Whether `mine` holds what `given` holds (never raises: a hostile object is not the same)."""
    try:
        return _same(mine, given)
    except BaseException:  # an object of the learner's whose comparison misbehaves
        return False


def _same(mine: Any, given: Any) -> bool:
    import tensorflow as tf

    if mine is given:
        return True
    if isinstance(given, types.FunctionType):
        return isinstance(mine, types.FunctionType) and _same_code(mine, given)
    if type(mine) is not type(given) and not (tf.is_tensor(mine) and tf.is_tensor(given)):
        return False
    if isinstance(given, tf.Variable):
        if not isinstance(mine, tf.Variable) or mine.trainable != given.trainable:
            return False
        return _same_array(mine.numpy(), given.numpy())
    if tf.is_tensor(given):
        if isinstance(mine, tf.Variable):
            return False
        return mine.dtype == given.dtype and _same_array(mine.numpy(), given.numpy())
    if isinstance(given, np.ndarray | np.generic):
        return _same_array(np.asarray(mine), np.asarray(given))
    if isinstance(given, float) and isinstance(mine, float):
        return mine == given or (mine != mine and given != given)
    return bool(mine == given)


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def _same_code(a: types.FunctionType, b: types.FunctionType) -> bool:
    return _code_key(a.__code__) == _code_key(b.__code__) and a.__defaults__ == b.__defaults__


def _code_key(code: types.CodeType) -> tuple[Any, ...]:
    consts = tuple(_code_key(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return (code.co_code, consts, code.co_names, code.co_varnames, code.co_freevars)


def describe(value: Any) -> str:
    """A few words for the notice: "(4,) float32 Tensor", "a function", "int 3"."""
    import tensorflow as tf

    try:
        if isinstance(value, tf.Variable) or tf.is_tensor(value):
            kind = "Variable" if isinstance(value, tf.Variable) else "Tensor"
            return f"{tuple(value.shape)} {value.dtype.name} {kind}"
        if isinstance(value, np.ndarray):
            return f"{value.shape} {value.dtype.name} ndarray"
        if isinstance(value, types.FunctionType):
            return "function"
        if isinstance(value, bool | int | float | complex | np.generic):
            text = repr(value)
            return f"{type(value).__name__} {text[:30]}"
        return type(value).__name__
    except BaseException:
        return "object"


def view(value: Any) -> dict[str, Any]:
    """A given as its exercise card shows it: kind, shape and dtype."""
    import tensorflow as tf

    if isinstance(value, tf.Variable) or tf.is_tensor(value):
        kind = "Variable" if isinstance(value, tf.Variable) else "Tensor"
        return {"kind": kind, "shape": list(value.shape), "dtype": value.dtype.name}
    if isinstance(value, np.ndarray):
        return {"kind": "ndarray", "shape": list(value.shape), "dtype": value.dtype.name}
    if isinstance(value, types.FunctionType):
        return {"kind": "function", "shape": None, "dtype": None}
    return {"kind": type(value).__name__, "shape": [], "dtype": type(value).__name__}


def same_values(mine: Any, given: Any) -> bool:
    """Same dtype, shape and values, whatever the kind (a Variable restating a tensor)."""
    try:
        a, b = _array_of(mine), _array_of(given)
        if a is None or b is None:
            return same_data(mine, given)
        return _same_array(a, b)
    except BaseException:
        return False


def _array_of(value: Any) -> np.ndarray | None:
    import tensorflow as tf

    if isinstance(value, tf.Variable) or tf.is_tensor(value):
        return np.asarray(value.numpy())
    if isinstance(value, np.ndarray | np.generic):
        return np.asarray(value)
    return None


def like(value: Any, template: Any) -> Any:
    """`value` in the form `template` has (a Variable, an array, a tensor)."""
    import tensorflow as tf

    if isinstance(template, tf.Variable):
        return tf.Variable(value, trainable=template.trainable)
    if isinstance(template, np.ndarray):
        return np.asarray(value)
    if tf.is_tensor(template) and not tf.is_tensor(value):
        return tf.convert_to_tensor(value)
    if tf.is_tensor(template) and isinstance(value, tf.Variable):
        return tf.convert_to_tensor(value)
    return value
