"""Re-run a learner's answer in a clean fork and return its values as data.

The supervisor sends the answer as a program: the learner's cells that the answer needs,
in order, with the places where givens were bound (the lesson's setup at the start, an
exercise's givens where its step opened). For each draw — the data the learner was shown,
then each fresh draw of the exercise's givens — the program runs in a new namespace and
the values of the exercise's names (or, for a function, its results on the grader's
inputs) come back as typed arrays. Nothing here decides a verdict: this process ran the
learner's code, so what it says is only what their answer produced.
"""

from __future__ import annotations

import ast
from typing import Any

from tutor.kernel.values_wire import Budget
from tutor.kernel.worker.errors import error_details
from tutor.kernel.worker.givens import (
    bind_givens,
    compute_givens,
    draws_random,
    like,
    same_values,
    seed_all,
)
from tutor.kernel.worker.gradient_reasons import grad_none_reason, tape_used_twice
from tutor.kernel.worker.kinds import Grading, grading_of
from tutor.kernel.worker.namespace import fresh_namespace
from tutor.kernel.worker.values import decode, encode

#: Bytes of array data one answer's reply carries (all draws): base64 of it fits the
#: channel's 8 MiB line; larger values travel as their shape and dtype.
ANSWER_BYTES = 5 << 20


class _LessonFault(Exception):
    """The lesson's own code raised: not the learner's doing."""


def run_answer(request: dict[str, Any]) -> dict[str, Any]:
    """The `answer` op: every draw's values, or where the learner's code stopped."""
    program = [e for e in request.get("program") or [] if isinstance(e, dict)]
    names = [str(n) for n in request.get("names") or []]
    grading = grading_of(request.get("kind"))
    draws = []
    #: (cell, given name) -> the form the cell gave it, where a cell bound a given to the
    #: very values it holds: a cell that only restates the given (an example's
    #: `c = tf.constant(3.0)` at the step of an exercise giving that `c`, or
    #: `x = tf.Variable([1.0, 2.0, 3.0])` for a given x). On re-drawn data it stands for
    #: the re-drawn given, in the form the cell chose (a Variable stays a Variable).
    restated: dict[tuple[int, str], Any] = {}
    budget = Budget(ANSWER_BYTES)
    for number, draw in enumerate(request.get("draws") or []):
        try:
            draws.append(
                _run_draw(program, names, grading, draw, restated, budget, shown=number == 0)
            )
        except _LessonFault as fault:
            return {"broken": str(fault)[:500]}
    return {"draws": draws}


def _run_draw(
    program: list[dict[str, Any]],
    names: list[str],
    grading: Grading,
    draw: dict[str, Any],
    restated: dict[tuple[int, str], Any],
    budget: Budget,
    *,
    shown: bool,
) -> dict[str, Any]:
    namespace = fresh_namespace()
    draw_seed = int(draw.get("seed") or 0)
    fresh = bool(draw.get("fresh"))
    learner_code: list[str] = []
    random_cells = any(draws_random(str(e.get("cell") or "")) for e in program)
    current: dict[str, Any] = {}
    #: Givens the learner's cells bound to other data after the step opened.
    rebound: set[str] = set()
    for index, entry in enumerate(program):
        if "givens" in entry:
            givens = _bind(namespace, entry, draw)
            if entry.get("current"):
                current = givens
            # the learner's own random draws: reproducible
            seed_all(draw_seed * 7919 + index, tensorflow=random_cells)
            continue
        code = str(entry.get("cell") or "")
        learner_code.append(code)
        before = {name: id(namespace.get(name)) for name in current}
        try:
            run_cell_source(code, namespace, f"<cell {len(learner_code)}>")
        except BaseException as exc:  # the learner's code: anything can happen
            details = error_details(exc, "fresh" if fresh else "code", namespace)
            if tape_used_twice(exc):
                details["reason"] = "tape-used-twice"
            return {"error": details}
        for name, identity in before.items():
            if name not in namespace or id(namespace[name]) == identity:
                continue
            if shown and same_values(namespace[name], current[name]):
                restated[(index, name)] = namespace[name]
            elif not shown and (index, name) in restated:
                namespace[name] = like(current[name], restated[(index, name)])
            elif shown:
                rebound.add(name)
    source = "\n".join(learner_code)
    if grading.calls:
        calls = _calls(namespace, names[0] if names else "", draw, budget)
        return {**calls, "rebound": sorted(rebound)}
    values: dict[str, Any] = {}
    why: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            values[name] = {"t": "missing"}
            continue
        value = namespace[name]
        values[name] = encode(value, budget=budget)
        if grading.gradients and _has_none(value):
            why[name] = grad_none_reason(source, namespace, name)
    return {"values": values, "why_none": why, "rebound": sorted(rebound)}


def _bind(namespace: dict[str, Any], entry: dict[str, Any], draw: dict[str, Any]) -> dict[str, Any]:
    """Bind a givens entry (re-drawn on a fresh draw when it is the exercise's own).

    The exercise's own givens arrive from the grader as data (`draw["givens"]`): the code
    still runs, for the functions it defines, and those functions see the grader's
    values. Other givens (the lesson's setup, earlier steps') are computed with their seed.
    """
    current = bool(entry.get("current"))
    redraw = bool(draw.get("fresh")) and current
    code = str(entry["givens"])
    if redraw and entry.get("fresh"):
        code += "\n" + str(entry["fresh"])
    data = draw.get("givens") if current else None
    try:
        if isinstance(data, dict):
            givens = compute_givens(code, seed=int(draw.get("seed") or 0), values=_decoded(data))
        else:
            seed = int(draw.get("seed") or 0) if redraw else int(entry.get("seed") or 0)
            givens = compute_givens(code, seed=seed)
    except Exception as exc:
        raise _LessonFault(f"the exercise's setup raised {type(exc).__name__}: {exc}") from exc
    bind_givens(namespace, givens, fill_only=bool(entry.get("fill_only")))
    return givens


def _decoded(data: dict[str, Any]) -> dict[str, Any]:
    return {str(name): decode(wire).value for name, wire in data.items()}


def _has_none(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, list | tuple) and any(v is None for v in value)


def _calls(
    namespace: dict[str, Any], name: str, draw: dict[str, Any], budget: Budget
) -> dict[str, Any]:
    """The learner's function called on the grader's inputs (each call's value or error)."""
    if name not in namespace:
        return {"values": {name: {"t": "missing"}}}
    function = namespace[name]
    if not callable(function):
        return {
            "values": {name: encode(function, budget=budget)},
            "not_callable": type(function).__name__,
        }
    results: list[dict[str, Any]] = []
    for call in draw.get("calls") or []:
        args = [decode(a).value for a in call]
        try:
            results.append({"value": encode(function(*args), budget=budget)})
        except BaseException as exc:
            results.append({"error": error_details(exc, "function", namespace)})
            break
    return {"calls": results}


def run_cell_source(code: str, namespace: dict[str, Any], filename: str) -> None:
    """Run a cell as the kernel did: statements, then a trailing expression bound to `_`."""
    tree = ast.parse(code, filename, "exec")
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
        if tree.body:
            exec(compile(tree, filename, "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        if value is not None:
            namespace["_"] = value
        return
    exec(compile(tree, filename, "exec"), namespace)
