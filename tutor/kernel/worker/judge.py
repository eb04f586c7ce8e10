"""The verdict: the values an answer produced, compared with the exercise's own (in a grader).

Runs in a grader fork, which never runs learner code: the learner's values arrive as data
(tutor.kernel.worker.values), the expected ones come from `Reference`. The steps follow
lessons/README.md's order of diagnoses: the code ran, the names exist (a function is
callable), nothing forbidden, the skill asked for, every value compared on the data shown
(None gradients, then the exercise's own mistakes, then the built-in explanations), the
required names used, and for `fresh` exercises every re-draw compared too (an answer that
does not follow the data was typed in).

The reply is the wire form of `CheckResult` without words: the UI process adds them
(tutor/feedback.py), so `tutor check` and the tutor say the same thing.
"""

from __future__ import annotations

import ast
import math
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.kernel.values_wire import BadValue, Budget
from tutor.kernel.worker.diagnosis import Diagnosis, as_numeric, close, diagnose
from tutor.kernel.worker.reference import Draw, LessonBroken, Reference, copy_value
from tutor.kernel.worker.values import Decoded, decode

#: A correct random answer fails less often than this (over all its entries).
RANDOM_FALSE_FAILURE = 1e-4


class _Failed(Exception):
    """Ends a judgement with a diagnosis."""

    def __init__(self, diagnosis: str, details: Mapping[str, Any]) -> None:
        super().__init__(diagnosis)
        self.diagnosis = diagnosis
        self.details = dict(details)


@dataclass
class _Compared:
    """One comparison: the learner's value, the solution's, and where it came from."""

    got: Decoded
    expected: Any
    name: str
    call: str | None = None
    args: tuple[Any, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def judge(reference: Reference, answer: Mapping[str, Any], code: str) -> dict[str, Any]:
    """The wire dict of a `CheckResult` (no words) for `answer` (an answer fork's reply)."""
    judgement = _Judgement(reference, answer, code)
    try:
        judgement.run()
    except _Failed as failed:
        details = dict(failed.details)
        rebound = _rebound(answer)
        if rebound:  # the answer used givens the learner rebound: the feedback says so
            details["rebound"] = ", ".join(rebound)
        return _result(False, failed.diagnosis, details)
    except LessonBroken as broken:
        return _result(False, "check-error", {"message": str(broken)[:500]})
    except BadValue as bad:
        return _result(False, "error", {"type": "TutorError", "message": str(bad), "phase": "code"})
    return _result(True, None, judgement.passed_details())


def _result(passed: bool, diagnosis: str | None, details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "passed": passed,
        "feedback": "",
        "diagnosis": diagnosis,
        "details": {k: _wire_detail(v) for k, v in details.items()},
    }


def _wire_detail(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "nan", "inf": said as such, and the reply stays strict JSON
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_wire_detail(v) for v in value]
    return str(value)


def _rebound(answer: Mapping[str, Any]) -> list[str]:
    draws = answer.get("draws") or []
    first = draws[0] if draws and isinstance(draws[0], dict) else {}
    return [str(n) for n in first.get("rebound") or []]


def to_plain(value: Any) -> Any:
    """Tensors, Variables, arrays and numbers as NumPy arrays; sequences element by element."""
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


class _Judgement:
    """One answer judged; `run` returns on a pass and raises `_Failed` otherwise."""

    def __init__(self, reference: Reference, answer: Mapping[str, Any], code: str) -> None:
        self.reference = reference
        self.spec = reference.spec
        self.answer = answer
        self.code = code or ""
        self.grading = reference.grading
        self.names = reference.names
        self.subject = self.names[0] if self.names else ""
        self.rtol = float(self.spec.get("rtol") or 1e-5)
        self.atol = float(self.spec.get("atol") or 1e-6)
        self.dtype_rule: str | None = self.spec.get("dtype") or None
        self.budget = Budget()
        self.shown: dict[str, Decoded] = {}

    # -- the steps ------------------------------------------------------------------

    def run(self) -> None:
        if self.answer.get("broken"):
            raise LessonBroken(str(self.answer["broken"]))
        draws = list(self.answer.get("draws") or [])
        if len(draws) != len(self.reference.draws):
            raise BadValue("the answer did not report every draw")
        tree = self._parse()
        first, reference = draws[0], self.reference.draws[0]
        self._require_ran(first)
        self._require_names(first)
        self._require_allowed(tree)
        self._require_skill(tree)
        self.shown = self._values(first)
        for compared in self._comparisons(first, reference, self.shown):
            self.shown.setdefault(compared.call or compared.name, compared.got)
            self._compare(compared, reference, first, self.shown)
        self._require_used(tree)
        for answered, draw in zip(draws[1:], self.reference.draws[1:], strict=True):
            self._require_follows(answered, draw)

    def passed_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"name": self.subject}
        beside = str(self.spec.get("beside") or "")
        if beside.strip() and self.reference.draws:
            details.update(self._beside(beside))
        return details

    def _parse(self) -> ast.Module | None:
        try:
            return ast.parse(self.code)
        except SyntaxError:
            return None

    def _require_ran(self, answered: Mapping[str, Any]) -> None:
        error = answered.get("error")
        if isinstance(error, dict):
            details = {**error, "name": self.subject}
            if error.get("reason") == "tape-used-twice":
                raise _Failed("grad-none", {"name": self.subject, "reason": "tape-used-twice"})
            raise _Failed("error", details)

    def _require_names(self, answered: Mapping[str, Any]) -> None:
        values = answered.get("values") or {}
        for name in self.names:
            wire = values.get(name) if isinstance(values, dict) else None
            if self.grading.calls and "calls" in answered:
                continue
            if wire is None or (isinstance(wire, dict) and wire.get("t") == "missing"):
                raise _Failed("missing", {"name": name})
        if self.grading.calls and answered.get("not_callable"):
            raise _Failed(
                "not-callable",
                {"name": self.subject, "got_type": str(answered["not_callable"])[:60]},
            )

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

    def _require_skill(self, tree: ast.Module | None) -> None:
        if self.spec.get("skill") != "tape" or tree is None:
            return
        if not any(
            (isinstance(n, ast.Attribute) and n.attr == "GradientTape")
            or (isinstance(n, ast.Name) and n.id == "GradientTape")
            for n in ast.walk(tree)
        ):
            raise _Failed("tape-required", {"name": self.subject})

    def _require_used(self, tree: ast.Module | None) -> None:
        """A right value from code that never uses a required name was typed in."""
        required = [str(n) for n in self.spec.get("require") or []]
        if not required or tree is None:
            return
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if not used & set(required):
            raise _Failed("constant", {"name": self.subject, "required": ", ".join(required)})

    # -- comparisons ------------------------------------------------------------------

    def _comparisons(
        self, answered: Mapping[str, Any], draw: Draw, answers: Mapping[str, Decoded]
    ) -> Iterator[_Compared]:
        if not self.grading.calls:
            for name in self.names:
                yield _Compared(answers[name], draw.solved.get(name), name)
            return
        calls = list(answered.get("calls") or [])
        for index, (args, expected) in enumerate(zip(draw.calls, draw.results, strict=True)):
            label = f"{self.subject}({', '.join(_describe(a) for a in args)})"
            if index >= len(calls):
                raise BadValue("the answer did not report every call")
            call = calls[index]
            if isinstance(call.get("error"), dict):
                raise _Failed("error", {**call["error"], "name": self.subject, "call": label})
            yield _Compared(self._decode(call.get("value")), expected, self.subject, label, args)

    def _decode(self, wire: Any) -> Decoded:
        return decode(wire, budget=self.budget)

    def _values(self, answered: Mapping[str, Any]) -> dict[str, Decoded]:
        """Every name's value in one draw (what a mistake's `answers` holds)."""
        if self.grading.calls:
            return {}
        values = answered.get("values") or {}
        return {name: self._decode(values.get(name)) for name in self.names}

    def _compare(
        self,
        compared: _Compared,
        draw: Draw,
        answered: Mapping[str, Any],
        answers: Mapping[str, Decoded],
    ) -> None:
        where: dict[str, Any] = {"name": compared.name}
        if compared.call:
            where["call"] = compared.call
        if self.grading.gradients:
            self._require_gradient(compared, answered)
        found = self._diagnosis(compared, draw)
        if found is None:
            return
        mistake = self._mistake(compared, draw, answers)
        if mistake is not None:
            raise _Failed(mistake, where)
        raise _Failed(found.id, {**where, **found.details})

    def _diagnosis(self, compared: _Compared, draw: Draw) -> Diagnosis | None:
        expected = to_plain(compared.expected)
        got = compared.got
        if got.kind in ("other", "none", "missing"):
            return Diagnosis("type", {"got_type": got.type_name})
        plain = to_plain(got.value)
        if isinstance(expected, tuple):
            return self._parts(got, expected, draw, compared.args)
        if not isinstance(expected, np.ndarray):
            raise LessonBroken(f"the solution's value is a {type(compared.expected).__name__}")
        if not isinstance(plain, np.ndarray):
            shape = getattr(got.value, "shape", None)
            if shape is not None:  # too large to send: its shape and dtype still tell
                return _large_diagnosis(tuple(shape), str(got.dtype), expected)
            return Diagnosis("type", {"got_type": got.type_name})
        bfloat = got.dtype and got.dtype != plain.dtype.name  # bfloat16 travels as float32
        if bfloat and self.dtype_rule and got.dtype != self.dtype_rule:
            return Diagnosis("dtype", {"got_dtype": got.dtype, "expected_dtype": self.dtype_rule})
        random = self.spec.get("random")
        if isinstance(random, dict):
            return self._random_diagnosis(plain, expected, draw, random)
        return diagnose(
            plain,
            expected,
            rtol=self.rtol,
            atol=self.atol,
            dtype_rule=self.dtype_rule,
            sources=self._sources(draw, compared.args),
        )

    def _parts(
        self, got: Decoded, expected: tuple[Any, ...], draw: Draw, args: tuple[Any, ...]
    ) -> Diagnosis | None:
        parts = got.value if isinstance(got.value, list | tuple) else None
        if parts is None or len(parts) != len(expected):
            return Diagnosis("type", {"got_type": got.type_name, "expected_parts": len(expected)})
        for index, (part, wanted) in enumerate(zip(parts, expected, strict=True)):
            plain = to_plain(part)
            found: Diagnosis | None
            if not isinstance(plain, np.ndarray) or not isinstance(wanted, np.ndarray):
                found = Diagnosis("type", {"got_type": type(part).__name__})
            else:
                found = diagnose(
                    plain, wanted, rtol=self.rtol, atol=self.atol, dtype_rule=self.dtype_rule,
                    sources=self._sources(draw, args),
                )  # fmt: skip
            if found is not None:
                return Diagnosis(found.id, {**found.details, "part": index})
        return None

    def _random_diagnosis(
        self, got: np.ndarray, expected: np.ndarray, draw: Draw, random: Mapping[str, Any]
    ) -> Diagnosis | None:
        """A statistic of random draws: within z standard errors of the true value."""
        scope = self.reference.scope(draw.givens)
        try:
            truth = to_plain(
                eval(compile(str(random["expected"]), "<random.expected>", "eval"), scope)
            )
            scope["expected"] = truth
            stderr = to_plain(
                eval(compile(str(random["stderr"]), "<random.stderr>", "eval"), scope)
            )
        except Exception as exc:
            raise LessonBroken(f"[exercise.random] raised {type(exc).__name__}: {exc}") from exc
        truth = np.asarray(truth, dtype=np.float64)
        structural = diagnose(got, expected, rtol=np.inf, atol=np.inf, dtype_rule=self.dtype_rule)
        if structural is not None:  # shape, rank, dtype: the structure is wrong whatever the draws
            return structural
        allowed = random_tolerance(np.broadcast_to(np.asarray(stderr, np.float64), truth.shape))
        deviation = np.abs(got.astype(np.float64) - truth)
        if bool(np.all(deviation <= allowed)):
            return None
        sources = self._sources(draw, ())
        explained = diagnose(
            got, truth.astype(got.dtype), rtol=0.0, atol=float(np.max(allowed)), sources=sources
        )
        if explained is not None and explained.id not in ("values", "dtype"):
            return explained
        index = np.unravel_index(int(np.argmax(deviation / np.maximum(allowed, 1e-300))), got.shape)
        return Diagnosis(
            "random",
            {
                "index": [int(i) for i in index],
                "got_at": float(f"{float(got[index]):.6g}"),
                "expected_at": float(f"{float(truth[index]):.6g}"),
                "margin": float(f"{float(allowed[index]):.3g}"),
            },
        )

    def _sources(self, draw: Draw, args: tuple[Any, ...]) -> dict[str, np.ndarray]:
        sources: dict[str, np.ndarray] = {}
        for index, arg in enumerate(args):
            plain = to_plain(arg)
            if isinstance(plain, np.ndarray):
                sources[f"argument {index + 1}"] = plain
        for name, value in draw.givens.items():
            plain = to_plain(value)
            if isinstance(plain, np.ndarray):
                sources[name] = plain
        return sources

    def _require_gradient(self, compared: _Compared, answered: Mapping[str, Any]) -> None:
        value = compared.got
        parts = value.value if value.kind in ("list", "tuple") else [value.value]
        for index, item in enumerate(parts):
            if item is None:
                why = (answered.get("why_none") or {}).get(compared.name)
                details = {"name": compared.name, **(why if isinstance(why, dict) else {})}
                details.setdefault("reason", "unknown")
                if value.kind in ("list", "tuple"):
                    details["part"] = index
                raise _Failed("grad-none", details)

    def _mistake(
        self, compared: _Compared, draw: Draw, answers: Mapping[str, Decoded]
    ) -> str | None:
        """The first of the exercise's own mistakes whose `when` holds.

        As lessons/README.md says: `got` is the learner's value of the first name (for a
        function, of this call), `answers` maps every name, the givens are in scope.
        """
        mistakes = self.spec.get("mistakes") or []
        if not mistakes:
            return None
        scope = self.reference.scope(draw.givens)
        function = self.grading.calls
        values = {name: (answers[name].value if name in answers else None) for name in self.names}
        subject = compared.got.value if function else values.get(self.subject)
        scope.update(
            got=copy_value(subject),
            expected=copy_value(compared.expected if function else draw.solved.get(self.subject)),
            args=compared.args,
            answers={name: copy_value(v) for name, v in values.items()},
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

    # -- fresh: the answer must follow the data ------------------------------------------

    def _require_follows(self, answered: Mapping[str, Any], draw: Draw) -> None:
        error = answered.get("error")
        if isinstance(error, dict):
            raise _Failed("error", {**error, "phase": "fresh", "name": self.subject})
        values = answered.get("values") or {}
        if not self.grading.calls:
            for name in self.names:
                wire = values.get(name)
                if wire is None or (isinstance(wire, dict) and wire.get("t") == "missing"):
                    raise _Failed("constant", {"name": name})
        answers = self._values(answered)
        for compared in self._comparisons(answered, draw, answers):
            if self.grading.gradients and compared.got.kind == "none":
                raise _Failed("constant", {"name": compared.name})
            if self._diagnosis(compared, draw) is None:
                continue
            before = self.shown.get(compared.call or compared.name)
            if before is not None and _same_values(compared.got, before):
                raise _Failed("constant", {"name": compared.name})  # typed in
            mistake = self._mistake(compared, draw, answers)
            if mistake is not None:
                raise _Failed(mistake, {"name": compared.name})
            raise _Failed("constant", {"name": compared.name, "followed_data": True})

    def _beside(self, code: str) -> dict[str, Any]:
        """The lesson's `beside` value on the shown givens, and the learner's, as text."""
        draw = self.reference.draws[0]
        scope = self.reference.scope(draw.givens)
        try:
            exec(compile(code, "<beside>", "exec"), scope)
        except Exception as exc:
            raise LessonBroken(f"[exercise.beside] raised {type(exc).__name__}: {exc}") from exc
        mine = self.shown.get(self.subject)
        return {
            "beside": _preview(scope.get("beside")),
            "yours": _preview(mine.value) if mine is not None else "",
        }


def random_tolerance(stderr: np.ndarray) -> np.ndarray:
    """z standard errors, z such that all entries of a correct answer hold with 1 - 1e-4."""
    entries = max(int(np.size(stderr)), 1)
    z = statistics.NormalDist().inv_cdf(1 - RANDOM_FALSE_FAILURE / (2 * entries))
    return np.asarray(z * np.abs(stderr), dtype=np.float64)


def _same_values(a: Decoded, b: Decoded) -> bool:
    pa, pb = to_plain(a.value), to_plain(b.value)
    if not (isinstance(pa, np.ndarray) and isinstance(pb, np.ndarray)):
        return False
    return pa.dtype == pb.dtype and close(pa, pb, rtol=0.0, atol=0.0)


def _large_diagnosis(shape: tuple[int, ...], dtype: str, expected: np.ndarray) -> Diagnosis:
    shapes = {"got_shape": list(shape), "expected_shape": list(expected.shape)}
    if len(shape) != expected.ndim:
        return Diagnosis("rank", {**shapes, "got_rank": len(shape), "expected_rank": expected.ndim})
    return Diagnosis("shape", shapes)


def _preview(value: Any) -> str:
    plain = to_plain(value)
    if isinstance(plain, np.ndarray):
        with np.printoptions(precision=4, threshold=20, edgeitems=3, suppress=True):
            text = np.array2string(plain) if plain.ndim else f"{plain.item():.6g}"
        return " ".join(text.split())[:200]
    return type(value).__name__


def _describe(value: Any) -> str:
    """A short description of an argument for feedback: `3×4 float32`, `2.5`."""
    plain = to_plain(value)
    if isinstance(plain, np.ndarray):
        if plain.ndim == 0:
            return f"{plain.item():.4g}" if plain.dtype.kind == "f" else str(plain.item())
        return f"{'×'.join(str(d) for d in plain.shape)} {plain.dtype.name}"
    return type(value).__name__
