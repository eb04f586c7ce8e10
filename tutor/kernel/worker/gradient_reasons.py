"""Why a gradient came back None: the likely reason, read from the learner's code.

`tape.gradient(y, x)` returns None, silently, when the tape never saw a path from `x`
to `y`. The usual reasons, in the order they are looked for: `x` is an integer (tapes
only watch floats), `x` is a plain tensor nobody watched, `y` was computed outside the
`with` block, or the computation left TensorFlow (`.numpy()`, NumPy functions) inside
it. When none of these shows in the code the reason is "not-connected": `y` does not
depend on `x` at all.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

_TAPE_TWICE = "can only be used to compute one set of gradients"


def tape_used_twice(exc: BaseException) -> bool:
    """True for the error a non-persistent tape raises when asked a second time."""
    return isinstance(exc, RuntimeError) and _TAPE_TWICE in str(exc)


def grad_none_reason(code: str, namespace: Mapping[str, Any], name: str) -> dict[str, Any]:
    """`{"reason": ..., "source": ...}` for the gradient bound to `name` being None."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {"reason": "unknown"}
    call = _gradient_call(tree, name)
    if call is None or len(call.args) < 2:
        return {"reason": "unknown"}
    tape = (
        call.func.value.id
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
        else ""
    )
    block = _tape_block(tree, tape)
    watched = _watched_names(block) if block is not None else set()
    for source in _names_in(call.args[1]):
        reason = _source_reason(namespace.get(source), watched=source in watched)
        if reason is not None:
            return {**reason, "source": source}
    if block is not None:
        targets = _names_in(call.args[0])
        assigned = _assigned_names(block)
        if targets and not any(t in assigned for t in targets):
            return {"reason": "outside-tape", "target": targets[0]}
        if _leaves_tensorflow(block):
            return {"reason": "left-tensorflow"}
    return {"reason": "not-connected"}


def _gradient_call(tree: ast.Module, name: str) -> ast.Call | None:
    """The `t.gradient(...)` call whose result is bound to `name`, else the last one."""
    last: ast.Call | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound = {n for t in targets for n in _names_in(t)}
            call = _find_gradient(value) if value is not None else None
            if call is not None and name in bound:
                return call
        if isinstance(node, ast.Call) and _is_gradient(node):
            last = node
    return last


def _is_gradient(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and node.func.attr in ("gradient", "jacobian")


def _find_gradient(node: ast.AST) -> ast.Call | None:
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and _is_gradient(child):
            return child
    return None


def _names_in(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.List | ast.Tuple):
        return [n for item in node.elts for n in _names_in(item)]
    if isinstance(node, ast.Starred):
        return _names_in(node.value)
    return []


def _tape_block(tree: ast.Module, tape: str) -> ast.With | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.With):
            for item in node.items:
                if (
                    isinstance(item.optional_vars, ast.Name)
                    and item.optional_vars.id == tape
                    and "GradientTape" in ast.unparse(item.context_expr)
                ):
                    return node
    return None


def _watched_names(block: ast.With) -> set[str]:
    watched: set[str] = set()
    for node in ast.walk(block):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "watch"
        ):
            for arg in node.args:
                watched.update(_names_in(arg))
    return watched


def _assigned_names(block: ast.With) -> set[str]:
    assigned: set[str] = set()
    for node in ast.walk(block):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                assigned.update(_names_in(target))
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            assigned.update(_names_in(node.target))
    return assigned


def _leaves_tensorflow(block: ast.With) -> bool:
    for node in ast.walk(block):
        if isinstance(node, ast.Attribute) and node.attr == "numpy":
            return True
        if isinstance(node, ast.Name) and node.id in ("np", "numpy", "math"):
            return True
    return False


def _source_reason(value: Any, *, watched: bool) -> dict[str, Any] | None:
    import tensorflow as tf

    if isinstance(value, tf.Variable):
        if not (value.dtype.is_floating or value.dtype.is_complex):
            return {"reason": "integer", "dtype": value.dtype.name}
        if not value.trainable:
            return {"reason": "not-trainable"}
        return None
    if tf.is_tensor(value):
        if not (value.dtype.is_floating or value.dtype.is_complex):
            return {"reason": "integer", "dtype": value.dtype.name}
        return None if watched else {"reason": "not-watched"}
    if value is not None:
        return {"reason": "not-a-tensor", "got_type": type(value).__name__}
    return None
