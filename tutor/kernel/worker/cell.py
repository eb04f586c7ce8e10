"""Run one cell like the Python REPL does, under a tape, and describe what happened.

- Statements run in the lesson's namespace; a trailing expression's value is shown and
  bound to `_`.
- The cell runs under an outer `tf.GradientTape` that watches the namespace's trainable
  float Variables (and any the cell creates). The cell's target is its trailing
  expression, else the last float tensor it assigned (never a tape's own answer such as
  `t.gradient(y, x)`); for each Variable the target depends on, the inspector shows
  the tutor's d(sum target)/d(variable), labelled as the tutor's. The learner's own
  tapes are nested inside and behave exactly as in TensorFlow; what they answer is
  shown as they answered it (`tape_answers`, `gradient_book`).
- Errors come back in the learner's terms: type, message without TensorFlow's internal
  prefix, a traceback trimmed to the learner's lines, and a hint in plain words.
- The namespace comes back as a snapshot delta (`snapshot`): only what changed.
"""

from __future__ import annotations

import ast
import linecache
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from tutor.kernel.protocol import Said
from tutor.kernel.worker.capture import OutputCapture
from tutor.kernel.worker.gradient_book import GradientBook, record_automatic
from tutor.kernel.worker.plotting import take_plots
from tutor.kernel.worker.snapshot import NamespaceSnapshot
from tutor.kernel.worker.summaries import kind_of_type
from tutor.kernel.worker.tape_answers import TapeAnswers

_TF_PREFIX = re.compile(r"^\{\{function_node [^}]*\}\}\s*")
_TF_NAME_SUFFIX = re.compile(r"\s*name:\s*$")


@dataclass
class CellState:
    """What the kernel keeps between cells."""

    namespace: dict[str, Any]
    capture: OutputCapture
    count: int = 0
    #: The gradient shown beside each name, the tutor's or the learner's tape's.
    grads: GradientBook = field(default_factory=GradientBook)
    #: What the inspector was last sent.
    snapshot: NamespaceSnapshot = field(default_factory=NamespaceSnapshot)
    #: What this fork is for, set by its first request (see kernel.py).
    role: str | None = None
    #: A grader's reference values (tutor.kernel.worker.reference.Reference).
    reference: Any = None

    def gradients(self) -> dict[str, dict[str, Any]]:
        """The gradients still true, for the snapshot (after it updated its versions)."""
        return self.grads.current(self.namespace, self.snapshot.version_of)


def namespace_view(state: CellState) -> dict[str, Any]:
    """The inspector's delta for the namespace as it is now (after givens were bound)."""
    return state.snapshot.after_cell(state.namespace, state.gradients)


def run_cell(state: CellState, code: str) -> dict[str, Any]:
    """Run `code` and return the wire dict of its CellResult."""
    import tensorflow as tf

    state.count += 1
    filename = f"<cell {state.count}>"
    started = time.perf_counter()
    state.capture.take()  # output from between cells is dropped from this cell's record
    outcome, value_text, error = "ok", None, None
    target: tuple[str, Any] | None = None
    try:
        body, last_expr, last_expr_src = _compile(code, filename)
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        candidates = _assigned_targets(code)
        before = {n: id(state.namespace[n]) for n in candidates if n in state.namespace}
        answers = TapeAnswers()
        # The tape watches each trainable Variable the cell reads (a target can only
        # depend on a Variable through a read in this cell).
        with tf.GradientTape(persistent=True) as tape, answers.recording():
            if body is not None:
                exec(body, state.namespace)
            value = None
            if last_expr is not None:
                value = eval(last_expr, state.namespace)
        if value is not None:
            state.namespace["_"] = value
            value_text = _repr(value)
            if _is_float_tensor(value) and not _asks_a_tape(last_expr_src):
                target = (last_expr_src, value)
        if target is None:
            target = _last_assigned_float(candidates, state.namespace, before)
        answered = answers.record_into(state.grads, state.namespace)
        if target is not None:
            record_automatic(state.grads, state.namespace, tape, target, skip=answered)
        del tape
    except KeyboardInterrupt:
        outcome = "interrupted"
        error = {
            "type": "KeyboardInterrupt",
            "message": Said("kernel.interrupted").to_wire(),
            "hint": None,
        }
    except SystemExit as exc:
        outcome = "error"
        code_text = exc.code if exc.code is not None else ""
        error = {
            "type": "SystemExit",
            "message": Said("kernel.exit", {"code": str(code_text)}).to_wire(),
            "hint": Said("kernel.exit-hint").to_wire(),
        }
    except BaseException as exc:
        outcome = "error"
        error = describe_error(exc, state.namespace)
    stdout, stderr = state.capture.take()
    return {
        "plots": _take_plots(),
        "outcome": outcome,
        "value": value_text,
        "stdout": stdout,
        "stderr": stderr,
        "error": error,
        "elapsed_ms": (time.perf_counter() - started) * 1000,
        "namespace": state.snapshot.after_cell(state.namespace, state.gradients),
        "execution_count": state.count,
    }


def _take_plots() -> list[dict[str, Any]]:
    """The pictures `plot(...)` made during the cell (plain data, capped by plotting)."""
    return list(take_plots())


def _compile(code: str, filename: str) -> tuple[Any, Any, str]:
    tree = ast.parse(code, filename, "exec")
    last_expr = None
    last_src = ""
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
        last_src = ast.get_source_segment(code, last) or "_"
        last_expr = compile(ast.Expression(last.value), filename, "eval")
    body = compile(tree, filename, "exec") if tree.body else None
    return body, last_expr, last_src


def _repr(value: Any) -> str:
    import numpy as np

    with np.printoptions(threshold=200, edgeitems=3):
        text = repr(value)
    return text if len(text) <= 4000 else text[:4000] + " …"


def _is_float_tensor(value: Any) -> bool:
    """A float tf.Tensor (not a Variable). Decided by the value's class, so an object
    that fakes or breaks its `__class__` is simply not a target."""
    if kind_of_type(type(value)) != "Tensor":
        return False
    try:
        return bool(value.dtype.is_floating)
    except Exception:
        return False


def _last_assigned_float(
    candidates: list[str], namespace: dict[str, Any], before: dict[str, int]
) -> tuple[str, Any] | None:
    """The last of `candidates` the cell bound to a (new) float tensor."""
    for name in reversed(candidates):
        value = namespace.get(name)
        if before.get(name) != id(value) and _is_float_tensor(value):
            return name, value
    return None


def _assigned_targets(code: str) -> list[str]:
    """The names the cell assigns, in order, that could be its target (not a tape's
    answer such as `g = t.gradient(y, x)`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in _statements_in_order(tree.body):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = list(node.targets), node.value
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets, value = [node.target], node.value
        if value is not None and _contains_tape_query(value):
            continue  # `t.gradient(y, x)` is a derivative already, not a new target
        for t in targets:
            names.extend(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _statements_in_order(body: list[ast.stmt]) -> list[ast.stmt]:
    """The cell's statements in source order, those inside `with`/`for`/`if` blocks too
    (the learner's own `with tf.GradientTape() as t:` block holds the computation)."""
    out: list[ast.stmt] = []
    for node in body:
        out.append(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue  # a definition computes nothing yet
        for block in ("body", "orelse", "finalbody"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                out.extend(_statements_in_order(inner))
    return out


def _contains_tape_query(value: ast.expr) -> bool:
    """A call of `.gradient(...)` or `.jacobian(...)` (on a tape) anywhere in `value`:
    its result is a tape's answer, and the tutor's gradient of it would be a label like
    `∂(t.gradient(y, x))/∂x`, which TensorFlow never computed."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("gradient", "jacobian", "batch_jacobian")
        for node in ast.walk(value)
    )


def _asks_a_tape(source: str) -> bool:
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return False
    return _contains_tape_query(tree.body)


def describe_error(exc: BaseException, namespace: dict[str, Any]) -> dict[str, Any]:
    """An exception in the learner's terms: type, clean message, their lines, a hint."""
    type_name = type(exc).__name__
    message = str(exc)
    if isinstance(exc, SyntaxError):
        message = exc.msg or message
    message = _TF_PREFIX.sub("", message)
    message = _TF_NAME_SUFFIX.sub("", message).strip()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell")]
    lines = [
        f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {(f.line or "").strip()}'
        for f in frames
    ]
    line = frames[-1].lineno if frames else None
    if isinstance(exc, SyntaxError):
        line = exc.lineno
        if exc.text:
            lines.append(f"    {exc.text.rstrip()}\n    {' ' * max((exc.offset or 1) - 1, 0)}^")
    return {
        "type": type_name,
        "message": message,
        "hint": _hint(exc, type_name, message, namespace),
        "traceback": "\n".join(lines),
        "line": line,
    }


def _attributes_of(exc: BaseException) -> list[str]:
    """For an AttributeError, the attributes the object does have (for near misses)."""
    obj = getattr(exc, "obj", None) if isinstance(exc, AttributeError) else None
    if obj is None:
        return []
    try:
        return [a for a in dir(obj) if not a.startswith("_")]
    except Exception:
        return []


def _hint(
    exc: BaseException, type_name: str, message: str, namespace: dict[str, Any]
) -> dict[str, Any] | None:
    """The hint's words as wire data (tutor/kernel/worker/hints), or None."""
    from tutor.kernel.worker.hints import hint_for

    try:
        import tensorflow as tf

        hint = hint_for(
            type_name,
            message,
            names=list(namespace),
            tf_attributes=[a for a in dir(tf) if not a.startswith("_")],
            value_attributes=_attributes_of(exc),
        )
    except Exception as exc:  # a hint must never hide the learner's error
        print(f"hint failed: {exc!r}", file=sys.__stderr__)
        return None
    return None if hint is None else hint.to_wire()
