"""An exercise's check, run inside the kernel: compare values, never spelling.

`run_check(spec, code, namespace, fresh_namespace=...)` is what the kernel's `check`
request calls. `spec` is `ExerciseSpec.to_wire()` (plus `lesson_setup`, the lesson's
setup, when the caller has one); `namespace` is the learner's, where their code has
already run; `code` is that code, re-run on re-drawn data for `fresh` exercises and
scanned for `forbid`-den names.

The expected values come from the exercise's own solution, run on the same data the
learner saw: the setups run in a scratch namespace, and the names they bind that hold
other values in the learner's namespace (random draws, an example that rebound `A`)
are taken from the learner's namespace, copied so that the solution cannot touch them.

The reply is the wire form of `CheckResult` without words: `feedback` stays empty and
the UI process adds the words (tutor/feedback.py), so `tutor check` and the tutor say
the same thing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.kernel.worker.diagnosis import Diagnosis, as_numeric, close, diagnose
from tutor.kernel.worker.gradient_reasons import grad_none_reason, tape_used_twice

#: Seeds for the function kind's inputs and for `fresh` re-runs.
FUNCTION_SEEDS = (11, 23, 37)
FRESH_SEEDS = (101, 202)
SETUP_SEED = 7

_BASE_NAMES = {"__name__", "__builtins__", "tf", "np", "plot"}
_TF_NODE = re.compile(r"\{\{[^}]*\}\}\s*")


class _Failed(Exception):
    """Ends a check with a diagnosis."""

    def __init__(self, diagnosis: str, details: Mapping[str, Any]) -> None:
        super().__init__(diagnosis)
        self.diagnosis = diagnosis
        self.details = dict(details)


class _LessonBroken(Exception):
    """The exercise's own setup, solution or inputs raised: a bug of the lesson."""


def run_check(
    spec: Mapping[str, Any],
    code: str,
    namespace: dict[str, Any],
    *,
    fresh_namespace: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Check the learner's answer; the wire dict of a `CheckResult` (no feedback words)."""
    check = _Check(spec, code or "", namespace, fresh_namespace)
    with _preserved_random_state():
        try:
            check.run()
        except _Failed as failed:
            return _result(False, failed.diagnosis, failed.details)
        except _LessonBroken as broken:
            return _result(False, "check-error", {"message": str(broken)[:500]})
    return _result(True, None, {"name": check.subject})


def _result(passed: bool, diagnosis: str | None, details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "passed": passed,
        "feedback": "",
        "diagnosis": diagnosis,
        "details": {k: _wire_value(v) for k, v in details.items()},
    }


def _wire_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_wire_value(v) for v in value]
    return str(value)


@contextmanager
def _preserved_random_state() -> Iterator[None]:
    """Seeding for the check must not make the learner's later random draws repeat."""
    import tensorflow as tf

    state = np.random.get_state()
    try:
        yield
    finally:
        np.random.set_state(state)
        tf.random.set_seed(None)


def _seed(seed: int) -> None:
    import tensorflow as tf

    tf.random.set_seed(seed)
    np.random.seed(seed)


def error_details(exc: BaseException, phase: str) -> dict[str, Any]:
    """An exception as the learner should read it: its type and a short message."""
    message = _TF_NODE.sub("", str(exc)).strip()
    message = re.sub(r"\s*name:\s*$", "", message)
    details: dict[str, Any] = {"type": type(exc).__name__, "message": message[:500], "phase": phase}
    try:
        from tutor.kernel.worker.cell import localized_hint
        from tutor.kernel.worker.hints import hint_for

        hint = localized_hint(hint_for, type(exc).__name__, message)
    except Exception:  # a hint must never hide the learner's error
        hint = None
    if hint:
        details["hint"] = hint
    return details


def to_plain(value: Any) -> Any:
    """Tensors, Variables, arrays and numbers as NumPy arrays; sequences element by element.

    Anything else is returned as is, and `diagnose` calls it a `type` mistake.
    """
    import tensorflow as tf

    if isinstance(value, tf.IndexedSlices):
        value = tf.convert_to_tensor(value)
    if isinstance(value, tf.Variable) or (
        tf.is_tensor(value) and not isinstance(value, tf.SparseTensor | tf.RaggedTensor)
    ):
        try:
            return np.asarray(value.numpy())
        except (AttributeError, ValueError, TypeError):
            return value
    if isinstance(value, tf.TensorShape):
        dims = value.as_list() if value.rank is not None else None
        return np.asarray(dims) if dims is not None and None not in dims else value
    if isinstance(value, np.ndarray | np.generic | bool | int | float | complex):
        return np.asarray(value)
    if isinstance(value, list | tuple):
        items = [to_plain(v) for v in value]
        numeric = as_numeric(items) if all(isinstance(v, np.ndarray) for v in items) else None
        return numeric if numeric is not None else tuple(items)
    return value


def _copy_value(value: Any) -> Any:
    """A copy the solution may change without changing the learner's value."""
    import tensorflow as tf

    if isinstance(value, tf.Variable):
        return tf.Variable(value.read_value(), trainable=value.trainable, name=value.name[:-2])
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


def _is_data(value: Any) -> bool:
    import tensorflow as tf

    return isinstance(value, tf.Variable | np.ndarray | int | float | bool) or tf.is_tensor(value)


def _same_data(a: Any, b: Any) -> bool:
    pa, pb = to_plain(a), to_plain(b)
    if not (isinstance(pa, np.ndarray) and isinstance(pb, np.ndarray)):
        return False
    return pa.dtype == pb.dtype and close(pa, pb, rtol=0.0, atol=0.0)


def _run(source: str, namespace: dict[str, Any], label: str) -> None:
    exec(compile(source, label, "exec"), namespace)


@dataclass
class _Compared:
    """One comparison: what the learner has, what the solution gives, and where from."""

    got: Any
    expected: Any
    name: str
    call: str | None = None
    args: tuple[Any, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


class _Check:
    """One check of one answer; `run` returns on a pass and raises `_Failed` otherwise."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        code: str,
        namespace: dict[str, Any],
        fresh_namespace: Callable[[], dict[str, Any]],
    ) -> None:
        self.spec = spec
        self.code = code
        self.namespace = namespace
        self.fresh_namespace = fresh_namespace
        self.kind = str(spec.get("kind", "value"))
        self.names = [str(n) for n in spec.get("names") or []]
        self.subject = self.names[0] if self.names else ""
        self.rtol = float(spec.get("rtol") or 1e-5)
        self.atol = float(spec.get("atol") or 1e-6)
        self.dtype_rule: str | None = spec.get("dtype") or None
        self.solved: dict[str, Any] = {}
        self.setup_source = (
            str(spec.get("lesson_setup") or "") + "\n" + str(spec.get("setup") or "")
        )

    # -- the steps, in the order of the README's diagnoses ------------------------------

    def run(self) -> None:
        tree = self._parse_code()
        self._require_names()
        self._require_allowed(tree)
        setup, solved = self._reference()
        self.solved = solved
        comparisons = list(self._comparisons(self.namespace, solved, setup, seeds=FUNCTION_SEEDS))
        for compared in comparisons:
            self._compare(compared, setup)
        self._require_used(tree)
        if self.spec.get("fresh"):
            self._require_computed()

    def _parse_code(self) -> ast.Module | None:
        try:
            return ast.parse(self.code)
        except SyntaxError as exc:
            raise _Failed("error", {**error_details(exc, "code"), "line": exc.lineno}) from None

    def _require_names(self) -> None:
        for name in self.names:
            if name not in self.namespace:
                self._explain_missing(name)
        if self.kind == "function":
            function = self.namespace[self.subject]
            if not callable(function):
                raise _Failed(
                    "not-callable", {"name": self.subject, "got_type": type(function).__name__}
                )

    def _explain_missing(self, name: str) -> None:
        """The name is not bound: if the learner's code raises, say so instead."""
        if self.code.strip():
            scratch = self._setup_namespace(SETUP_SEED)
            try:
                _run(self.code, scratch, "<your code>")
            except Exception as exc:
                if tape_used_twice(exc):
                    raise _Failed(
                        "grad-none", {"name": name, "reason": "tape-used-twice"}
                    ) from None
                raise _Failed("error", {**error_details(exc, "code"), "name": name}) from None
        raise _Failed("missing", {"name": name})

    def _require_allowed(self, tree: ast.Module | None) -> None:
        forbidden = {str(n) for n in self.spec.get("forbid") or []}
        if not forbidden or tree is None:
            return
        for node in ast.walk(tree):
            used = None
            if isinstance(node, ast.Name) and node.id in forbidden:
                used = node.id
            elif isinstance(node, ast.Attribute) and node.attr in forbidden:
                used = node.attr
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in forbidden
            ):
                used = str(node.args[1].value)
            if used is not None:
                raise _Failed(
                    "forbidden",
                    {"name": self.subject, "forbidden": used, "line": getattr(node, "lineno", 0)},
                )

    def _require_used(self, tree: ast.Module | None) -> None:
        """A right value from code that never uses a required name was typed in."""
        required = [str(n) for n in self.spec.get("require") or []]
        if not required or tree is None:
            return
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if not used & set(required):
            raise _Failed("constant", {"name": self.subject, "required": ", ".join(required)})

    # -- the reference: the solution on the learner's data ------------------------------

    def _setup_namespace(self, seed: int, *, extra: str = "") -> dict[str, Any]:
        namespace = self.fresh_namespace()
        _seed(seed)
        try:
            _run(self.setup_source + "\n" + extra, namespace, "<exercise setup>")
        except Exception as exc:
            raise _LessonBroken(f"the exercise's setup raised {type(exc).__name__}: {exc}") from exc
        return namespace

    def _reference(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The setup's names (on the learner's data) and the namespace after the solution."""
        setup = self._setup_namespace(SETUP_SEED)
        for name, value in list(setup.items()):
            if name in _BASE_NAMES or name.startswith("__") or not _is_data(value):
                continue
            theirs = self.namespace.get(name)
            if theirs is not None and _is_data(theirs) and not _same_data(theirs, value):
                setup[name] = _copy_value(theirs)
        solved = dict(setup)
        solved.update({k: _copy_value(v) for k, v in setup.items()})
        try:
            _run(str(self.spec.get("solution") or ""), solved, "<solution>")
        except Exception as exc:
            raise _LessonBroken(f"the solution raised {type(exc).__name__}: {exc}") from exc
        return setup, solved

    def _inputs(self, setup: dict[str, Any], seed: int) -> list[tuple[Any, ...]]:
        source = str(self.spec.get("inputs") or "")
        if not source.strip():
            raise _LessonBroken("a function exercise needs `inputs`")
        _seed(seed)
        try:
            value = eval(compile(source.strip(), "<inputs>", "eval"), dict(setup))
        except Exception as exc:
            raise _LessonBroken(
                f"the exercise's inputs raised {type(exc).__name__}: {exc}"
            ) from exc
        return [v if isinstance(v, tuple) else (v,) for v in value]

    def _comparisons(
        self,
        learner: Mapping[str, Any],
        solved: Mapping[str, Any],
        setup: dict[str, Any],
        *,
        seeds: tuple[int, ...],
    ) -> Iterator[_Compared]:
        if self.kind != "function":
            for name in self.names:
                yield _Compared(learner[name], solved[name], name)
            return
        theirs, ours = learner[self.subject], solved.get(self.subject)
        if not callable(ours):
            raise _LessonBroken(f"the solution does not define the function `{self.subject}`")
        for seed in seeds:
            for args, args_again in zip(
                self._inputs(setup, seed), self._inputs(setup, seed), strict=True
            ):
                call = f"{self.subject}({', '.join(_describe(a) for a in args)})"
                try:
                    expected = ours(*args)
                except Exception as exc:
                    raise _LessonBroken(f"the solution raised {type(exc).__name__}: {exc}") from exc
                try:
                    got = theirs(*args_again)
                except Exception as exc:
                    raise _Failed(
                        "error",
                        {**error_details(exc, "function"), "name": self.subject, "call": call},
                    ) from None
                yield _Compared(got, expected, self.subject, call=call, args=args)

    # -- comparing one value ------------------------------------------------------------

    def _compare(self, compared: _Compared, setup: dict[str, Any]) -> None:
        where = {"name": compared.name}
        if compared.call:
            where["call"] = compared.call
        if self.kind == "gradient":
            self._require_gradient(compared.got, compared.name)
        got, expected = to_plain(compared.got), to_plain(compared.expected)
        found = self._structure_diagnosis(got, expected, self._sources(setup, compared.args))
        if found is None:
            return
        self._require_code_runs(compared.name)
        mistake = self._mistake(compared, setup)
        if mistake is not None:
            raise _Failed(mistake, where)
        raise _Failed(found.id, {**where, **found.details})

    def _require_code_runs(self, name: str) -> None:
        """A wrong value from code that raised: the error is what the learner must hear.

        The code runs again on a copy of the learner's namespace (Variables and arrays
        copied), so it sees what their earlier cells defined and changes nothing.
        """
        if not self.code.strip() or self.kind == "function":
            return
        scratch = {k: _copy_value(v) for k, v in self.namespace.items()}
        try:
            _run(self.code, scratch, "<your code>")
        except Exception as exc:
            if tape_used_twice(exc):
                raise _Failed("grad-none", {"name": name, "reason": "tape-used-twice"}) from None
            raise _Failed("error", {**error_details(exc, "code"), "name": name}) from None

    def _structure_diagnosis(
        self, got: Any, expected: Any, sources: dict[str, np.ndarray]
    ) -> Diagnosis | None:
        if isinstance(expected, tuple):
            if not isinstance(got, tuple) or len(got) != len(expected):
                return Diagnosis(
                    "type", {"got_type": type(got).__name__, "expected_parts": len(expected)}
                )
            for part, (g, e) in enumerate(zip(got, expected, strict=True)):
                found = self._structure_diagnosis(g, e, sources)
                if found is not None:
                    return Diagnosis(found.id, {**found.details, "part": part})
            return None
        if not isinstance(expected, np.ndarray):
            raise _LessonBroken(f"the solution's value is a {type(expected).__name__}")
        return diagnose(
            got,
            expected,
            rtol=self.rtol,
            atol=self.atol,
            dtype_rule=self.dtype_rule,
            sources=sources,
        )

    def _sources(self, setup: Mapping[str, Any], args: tuple[Any, ...]) -> dict[str, np.ndarray]:
        sources: dict[str, np.ndarray] = {}
        for i, arg in enumerate(args):
            plain = to_plain(arg)
            if isinstance(plain, np.ndarray):
                sources[f"argument {i + 1}"] = plain
        for name, value in setup.items():
            if name in _BASE_NAMES or name.startswith("__") or not _is_data(value):
                continue
            plain = to_plain(value)
            if isinstance(plain, np.ndarray):
                sources[name] = plain
        return sources

    def _require_gradient(self, value: Any, name: str) -> None:
        parts = value if isinstance(value, list | tuple) else [value]
        for part, item in enumerate(parts):
            if item is None:
                self._require_code_runs(name)
                details = {"name": name, **grad_none_reason(self.code, self.namespace, name)}
                if isinstance(value, list | tuple):
                    details["part"] = part
                raise _Failed("grad-none", details)

    def _mistake(self, compared: _Compared, setup: Mapping[str, Any]) -> str | None:
        """The first of the exercise's own mistakes whose `when` holds."""
        mistakes = self.spec.get("mistakes") or []
        if not mistakes:
            return None
        scope = dict(setup)
        function = self.kind == "function"
        scope.update(
            got=compared.got if function else self.namespace.get(self.subject),
            expected=compared.expected if function else self.solved.get(self.subject),
            args=compared.args,
            answers={n: self.namespace.get(n) for n in self.names},
            close=self._close,
        )
        for mistake in mistakes:
            try:
                holds = eval(compile(str(mistake["when"]).strip(), "<mistake>", "eval"), scope)
            except Exception:
                continue
            if holds is True or (isinstance(holds, np.bool_ | bool) and bool(holds)):
                return str(mistake["id"])
            plain = to_plain(holds)
            if isinstance(plain, np.ndarray) and plain.shape == () and bool(plain):
                return str(mistake["id"])
        return None

    def _close(self, a: Any, b: Any) -> bool:
        """`close(a, b)` of a mistake's `when`: same shape and values within the tolerances."""
        pa, pb = to_plain(a), to_plain(b)
        if not (isinstance(pa, np.ndarray) and isinstance(pb, np.ndarray)):
            return False
        return close(pa, pb, rtol=self.rtol, atol=self.atol)

    # -- fresh: the answer must be computed, not typed in --------------------------------

    def _require_computed(self) -> None:
        fresh = str(self.spec.get("fresh") or "")
        solution = str(self.spec.get("solution") or "")
        for seed in FRESH_SEEDS:
            theirs = self._setup_namespace(seed, extra=fresh)
            try:
                _seed(seed)
                _run(self.code, theirs, "<your code>")
            except Exception as exc:
                raise _Failed(
                    "error", {**error_details(exc, "fresh"), "name": self.subject}
                ) from None
            ours_setup = self._setup_namespace(seed, extra=fresh)
            ours = dict(ours_setup)
            try:
                _seed(seed)
                _run(solution, ours, "<solution>")
            except Exception as exc:
                raise _LessonBroken(
                    f"the solution raised {type(exc).__name__} after `fresh`: {exc}"
                ) from exc
            for name in self.names:
                if name not in theirs:
                    raise _Failed("constant", {"name": name})
            for compared in self._comparisons(theirs, ours, ours_setup, seeds=(seed,)):
                if self.kind == "gradient" and compared.got is None:
                    raise _Failed("constant", {"name": compared.name})
                got, expected = to_plain(compared.got), to_plain(compared.expected)
                if self._structure_diagnosis(got, expected, {}) is None:
                    continue
                before = to_plain(self.namespace.get(compared.name))
                if _same_data(got, before):  # the answer did not follow the data: typed in
                    raise _Failed("constant", {"name": compared.name})
                # computed, but right only for the data shown: the exercise's own
                # mistakes may know why; else it is said as such, not as "typed in"
                mistake = self._mistake(compared, ours_setup)
                if mistake is not None:
                    raise _Failed(mistake, {"name": compared.name})
                raise _Failed("constant", {"name": compared.name, "followed_data": True})


def _describe(value: Any) -> str:
    """A short description of an argument for feedback: `3×4 float32`, `2.5`."""
    plain = to_plain(value)
    if isinstance(plain, np.ndarray):
        if plain.ndim == 0:
            return f"{plain.item():.4g}" if plain.dtype.kind == "f" else str(plain.item())
        return f"{'×'.join(str(d) for d in plain.shape)} {plain.dtype.name}"
    return type(value).__name__
