"""What is wrong with a learner's value: pure functions on NumPy arrays.

`diagnose(got, expected, ...)` compares two values and, when they differ, tries the
cheap explanations a teacher would try first (transposed, summed over the wrong axis,
kept a length-1 axis, elementwise instead of matrix product, wrong sign, off by a
constant factor, the joint instead of the conditional probability) before falling
back to `rank`, `shape` or `values`. Correct answers computed another way (float64
instead of float32 NumPy, a Variable instead of a tensor, tiny float error) are never
diagnosed as wrong.

The order differs from the README's list in one respect, on purpose: the specific
explanations that change a shape (`transposed`, `keepdims`, `wrong-axis`,
`elementwise`) are tried before the generic `rank` and `shape`, and `conditional`
before `factor` (a conditional differs from the joint by a factor, so the more
specific explanation has to be tried first), or they could never fire.

Only NumPy here: the kernel converts tensors to arrays before calling in, so these
functions are tested without TensorFlow.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]

#: Sources bigger than this are not searched for explanations (cost, not correctness).
MAX_SOURCE_SIZE = 200_000
MAX_SOURCES = 16

_KINDS = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}


@dataclass(frozen=True)
class Diagnosis:
    """A recognised mistake: a built-in id (see lessons/README.md) and the facts behind it."""

    id: str
    details: dict[str, Any] = field(default_factory=dict)


def as_numeric(value: object) -> Array | None:
    """`value` as a numeric array (bool, int, float, complex), or None when it is not one."""
    if isinstance(value, np.ndarray | np.generic | bool | int | float | complex | list | tuple):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            return None
        return array if array.dtype.kind in _KINDS else None
    return None


def kind_of(array: Array) -> str:
    """ "bool", "int", "float" or "complex"."""
    return _KINDS.get(array.dtype.kind, array.dtype.name)


def close(got: Array, expected: Array, *, rtol: float, atol: float) -> bool:
    """Same shape and the same values within a float32-sized tolerance, whatever the dtypes.

    The tolerance of each entry grows with the largest entry of `expected` as well as
    with the entry itself: float32 cancellation leaves errors of that size where the
    answer is 0 (`A @ B - B @ A` computed two ways).
    """
    if got.shape != expected.shape:
        return False
    if got.dtype.kind == "b" and expected.dtype.kind == "b":
        return bool(np.array_equal(got, expected))
    g = _as_float(got)
    e = _as_float(expected)
    if g is None or e is None:
        return False
    g_nan, e_nan = np.isnan(g), np.isnan(e)
    if not np.array_equal(g_nan, e_nan):
        return False
    g_inf, e_inf = np.isinf(g), np.isinf(e)
    if not np.array_equal(g_inf, e_inf) or not np.array_equal(g[g_inf], e[e_inf]):
        return False
    finite = ~(e_nan | e_inf)
    if not finite.any():
        return True
    g, e = g[finite], e[finite]
    scale = float(np.max(np.abs(e)))
    tolerance = atol + rtol * (np.abs(e) + scale)
    return bool(np.all(np.abs(g - e) <= tolerance))


def _as_float(array: Array) -> Array | None:
    if array.dtype.kind == "c":
        return None if np.any(array.imag) else array.real.astype(np.float64)
    if array.dtype.kind not in "biuf":
        return None
    return array.astype(np.float64)


def dtype_problem(got: Array, expected: Array, dtype_rule: str | None) -> dict[str, Any] | None:
    """Why `got`'s dtype is not acceptable, or None.

    With a rule (`dtype = "float32"` in lesson.toml) the dtype must be exactly that;
    without one only the kind must match (int vs float), so float64 NumPy passes for float32.
    """
    if dtype_rule:
        if got.dtype.name == dtype_rule:
            return None
        return {"got_dtype": got.dtype.name, "expected_dtype": dtype_rule}
    if kind_of(got) == kind_of(expected):
        return None
    return {"got_dtype": got.dtype.name, "expected_dtype": expected.dtype.name}


def diagnose(
    got: object,
    expected: Array,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    dtype_rule: str | None = None,
    sources: Mapping[str, Array] | None = None,
) -> Diagnosis | None:
    """None when `got` is a right answer, else the first explanation that fits.

    `sources` are the arrays the answer is computed from (the setup's tensors, a
    function's arguments); they let `wrong-axis`, `elementwise` and `conditional` be
    recognised. Without them those explanations are simply not tried.
    """
    g = as_numeric(got)
    if g is None:
        return Diagnosis("type", {"got_type": type(got).__name__})
    tolerances = {"rtol": rtol, "atol": atol}
    same = close(g, expected, **tolerances)
    problem = dtype_problem(g, expected, dtype_rule)
    if same and problem is None:
        return None
    if problem is not None:
        details = {
            **problem,
            "value_matches": same or _close_ignoring_dtype(g, expected, **tolerances),
        }
        if g.shape != expected.shape:  # both wrong: say both (`tf.ones(2, 2)`, `A = 1`)
            details.update(got_shape=list(g.shape), expected_shape=list(expected.shape))
        return Diagnosis("dtype", details)
    inputs = _usable_sources(sources)
    for check in (_transposed, _keepdims, _wrong_axis, _elementwise):
        found = _try(check, g, expected, inputs, **tolerances)
        if found is not None:
            return found
    if g.shape != expected.shape:
        shapes = {"got_shape": list(g.shape), "expected_shape": list(expected.shape)}
        if g.ndim != expected.ndim:
            return Diagnosis("rank", {**shapes, "got_rank": g.ndim, "expected_rank": expected.ndim})
        return Diagnosis("shape", shapes)
    for check in (_sign, _conditional, _factor):
        found = _try(check, g, expected, inputs, **tolerances)
        if found is not None:
            return found
    details = _value_details(g, expected)
    k = _try(_ratio_of, g, expected, inputs, **tolerances)
    if k is not None and not details.get("index") and _nice_ratio(1 / k.details["ratio"]):
        details["ratio"] = float(f"{1 / k.details['ratio']:.4g}")  # the answer is this many times
    return Diagnosis("values", details)


def _ratio_of(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    k = _ratio(got, expected, rtol=rtol, atol=atol)
    return None if k is None else Diagnosis("ratio", {"ratio": k})


def _close_ignoring_dtype(got: Array, expected: Array, *, rtol: float, atol: float) -> bool:
    return close(got.astype(expected.dtype, copy=False), expected, rtol=rtol, atol=atol)


def _usable_sources(sources: Mapping[str, Array] | None) -> dict[str, Array]:
    usable: dict[str, Array] = {}
    for name, value in (sources or {}).items():
        array = as_numeric(value)
        if array is None or array.dtype.kind not in "iuf" or array.size > MAX_SOURCE_SIZE:
            continue
        if array.size == 0:
            continue
        usable[name] = array
        if len(usable) >= MAX_SOURCES:
            break
    return usable


Explanation = Callable[..., "Diagnosis | None"]


def _try(
    check: Explanation,
    got: Array,
    expected: Array,
    sources: dict[str, Array],
    *,
    rtol: float,
    atol: float,
) -> Diagnosis | None:
    """One explanation; an odd value that makes NumPy raise simply does not fit it."""
    try:
        with np.errstate(all="ignore"):
            result: Diagnosis | None = check(got, expected, sources, rtol=rtol, atol=atol)
            return result
    except (ValueError, TypeError, ArithmeticError, IndexError):
        return None


def _transposed(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    if got.ndim != expected.ndim or got.ndim < 2:
        return None
    candidates = [np.swapaxes(got, -1, -2)]
    if got.ndim > 2:
        candidates.append(got.T)
    for candidate in candidates:
        if close(candidate, expected, rtol=rtol, atol=atol):
            return Diagnosis(
                "transposed", {"got_shape": list(got.shape), "expected_shape": list(expected.shape)}
            )
    return None


def _keepdims(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    if got.shape == expected.shape or got.size != expected.size:
        return None
    if _without_ones(got.shape) != _without_ones(expected.shape):
        return None
    if not close(got.reshape(expected.shape), expected, rtol=rtol, atol=atol):
        return None
    return Diagnosis(
        "keepdims",
        {
            "got_shape": list(got.shape),
            "expected_shape": list(expected.shape),
            "kept": got.ndim > expected.ndim,
        },
    )


def _without_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(d for d in shape if d != 1)


Reduction = Callable[[Array, Any, bool], Array]

_REDUCTIONS: dict[str, Reduction] = {
    "sum": lambda a, axis, keep: np.sum(a, axis=axis, keepdims=keep),
    "mean": lambda a, axis, keep: np.mean(a, axis=axis, keepdims=keep),
    "max": lambda a, axis, keep: np.max(a, axis=axis, keepdims=keep),
    "min": lambda a, axis, keep: np.min(a, axis=axis, keepdims=keep),
    "prod": lambda a, axis, keep: np.prod(a, axis=axis, keepdims=keep),
    "norm": lambda a, axis, keep: np.sqrt(np.sum(np.square(a), axis=axis, keepdims=keep)),
    "argmax": lambda a, axis, keep: np.argmax(a, axis=axis, keepdims=keep),
    "argmin": lambda a, axis, keep: np.argmin(a, axis=axis, keepdims=keep),
    "cumsum": lambda a, axis, keep: np.cumsum(a, axis=axis),
}


_SINGLE_AXIS = {"argmax", "argmin", "cumsum"}


def _axes(ndim: int) -> list[int | tuple[int, ...] | None]:
    axes: list[int | tuple[int, ...] | None] = [None, *range(ndim)]
    if ndim >= 3:
        axes.extend(itertools.combinations(range(ndim), 2))
    return axes


def _axis_detail(axis: int | tuple[int, ...] | None) -> int | list[int] | None:
    return list(axis) if isinstance(axis, tuple) else axis


def _wrong_axis(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    """`expected` is a reduction of a source over one axis and `got` the same over another."""
    for name, source in sources.items():
        if source.ndim == 0:
            continue
        source64 = source.astype(np.float64)
        axes = _axes(source.ndim)
        for op_name, op in _REDUCTIONS.items():
            if op_name == "cumsum" and got.size != source.size:
                continue
            usable = [a for a in axes if not (isinstance(a, tuple) and op_name in _SINGLE_AXIS)]
            matched, found = _matching_axis(op, source64, usable, expected, rtol=rtol, atol=atol)
            if not matched:
                continue
            for axis in usable:
                if axis == found:
                    continue
                for keep in (False, True):
                    if close(op(source64, axis, keep), got, rtol=rtol, atol=atol):
                        return Diagnosis(
                            "wrong-axis",
                            {
                                "op": op_name,
                                "source": name,
                                "got_axis": _axis_detail(axis),
                                "expected_axis": _axis_detail(found),
                                "got_shape": list(got.shape),
                                "expected_shape": list(expected.shape),
                            },
                        )
    return None


def _matching_axis(
    op: Reduction,
    source: Array,
    axes: list[int | tuple[int, ...] | None],
    target: Array,
    *,
    rtol: float,
    atol: float,
) -> tuple[bool, int | tuple[int, ...] | None]:
    """Whether some axis makes `op(source)` give `target`, and that axis (None: all axes)."""
    for axis in axes:
        for keep in (False, True):
            if close(op(source, axis, keep), target, rtol=rtol, atol=atol):
                return True, axis
    return False, None


def _products(x: Array, y: Array) -> list[Array]:
    """The ways to multiply two arrays as matrices or vectors that are defined for them."""
    results: list[Array] = []
    pairs = [(x, y)]
    if x.ndim == 2 and y.ndim == 2:
        pairs += [(x.T, y), (x, y.T)]
    for a, b in pairs:
        if a.ndim >= 1 and b.ndim >= 1 and a.shape[-1] == b.shape[-2 if b.ndim >= 2 else 0]:
            results.append(np.matmul(a, b))
    return results


def _hadamard(x: Array, y: Array) -> Array | None:
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        return None
    if int(np.prod(shape)) > MAX_SOURCE_SIZE:
        return None
    return np.multiply(x, y)


def _elementwise(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    """`*` where `@` was asked (or the other way round), between two of the sources."""
    arrays = {name: a.astype(np.float64) for name, a in sources.items() if a.ndim > 0}
    for (x_name, x), (y_name, y) in itertools.product(arrays.items(), repeat=2):
        hadamard = _hadamard(x, y)
        if hadamard is None:
            continue
        products = _products(x, y)
        if x.ndim == 1 and y.ndim == 1 and x.shape == y.shape:
            products.append(np.asarray(np.dot(x, y)))
        details = {"left": x_name, "right": y_name}
        if close(hadamard, got, rtol=rtol, atol=atol) and any(
            close(p, expected, rtol=rtol, atol=atol) for p in products
        ):
            return Diagnosis("elementwise", {**details, "got_op": "*", "expected_op": "@"})
        if close(hadamard, expected, rtol=rtol, atol=atol) and any(
            close(p, got, rtol=rtol, atol=atol) for p in products
        ):
            return Diagnosis("elementwise", {**details, "got_op": "@", "expected_op": "*"})
    return None


def _nonzero(expected: Array, atol: float) -> bool:
    e = _as_float(expected)
    return e is not None and bool(np.nanmax(np.abs(e), initial=0.0) > atol)


def _sign(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    if got.dtype.kind == "b" or not _nonzero(expected, atol):
        return None
    if close(-got.astype(np.float64), expected, rtol=rtol, atol=atol):
        return Diagnosis("sign", {})
    return None


def _nice_ratio(k: float) -> bool:
    """An integer factor or its inverse (2, 3, 20, 1/2, ...): the only kind a scalar can show."""
    for value in (k, 1 / k):
        rounded = round(value)
        if 2 <= abs(rounded) <= 10_000 and abs(value - rounded) <= 1e-4 * abs(value):
            return True
    return False


def _factor(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    """Every entry scaled by the same whole factor (2, 3, 1/2...): explains an array.

    Any two numbers differ by some factor, so for a scalar (or an array whose entries are
    all equal) a factor explains nothing: `values` says both numbers instead. An odd
    factor (5/7, 1e-45 from a bitcast) is no explanation either.
    """
    k = _ratio(got, expected, rtol=rtol, atol=atol)
    e = expected.astype(np.float64)
    if k is None or e.size == 1 or bool(np.all(e == e.flat[0])):
        return None
    if not (_nice_ratio(k) or _nice_ratio(2 * k)):  # 2, 1/3, 2.5: a factor a formula has
        return None
    return Diagnosis("factor", {"factor": float(f"{k:.4g}")})


def _ratio(got: Array, expected: Array, *, rtol: float, atol: float) -> float | None:
    """k with got == k * expected (within the tolerances), or None."""
    if got.dtype.kind == "b" or got.shape != expected.shape or not _nonzero(expected, atol):
        return None
    g = got.astype(np.float64)
    e = expected.astype(np.float64)
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(e))):
        return None
    k = float(np.sum(g * e) / np.sum(e * e))
    if k == 0 or abs(k - 1) <= 1e-4 or not close(g, k * e, rtol=rtol, atol=atol):
        return None
    return k


def _in_unit_interval(array: Array, atol: float) -> bool:
    if array.dtype.kind not in "iuf" or array.size == 0:
        return False
    a = array.astype(np.float64)
    return bool(np.all(np.isfinite(a)) and a.min() >= -atol and a.max() <= 1 + atol)


def _conditional(
    got: Array, expected: Array, sources: dict[str, Array], *, rtol: float, atol: float
) -> Diagnosis | None:
    """`got` is a joint probability and `expected` the conditional obtained by normalising it."""
    if not (_in_unit_interval(got, atol) and _in_unit_interval(expected, atol)):
        return None
    g = got.astype(np.float64)
    if g.size >= 2:
        # Only where probabilities are about: `got` is a whole joint table, or a given
        # table is one (a row of it normalised is a conditional). Dividing data by
        # something else (a row's max) is not this mistake.
        if abs(g.sum() - 1) > 1e-3 and not any(
            _is_distribution(s.astype(np.float64), atol) for s in sources.values()
        ):
            return None
        axes: list[int | None] = [*range(g.ndim), None] if g.ndim >= 2 else [None]
        for axis in axes:
            total = np.sum(g, axis=axis, keepdims=True)
            if np.all(total > atol) and close(g / total, expected, rtol=rtol, atol=atol):
                return Diagnosis("conditional", {"axis": axis})
        return None
    value, wanted = float(g.reshape(())), float(expected.astype(np.float64).reshape(()))
    if _joint_of_given(value, wanted, sources, rtol=rtol, atol=atol):
        return Diagnosis("conditional", {"axis": None})
    for name, source in sources.items():
        table = source.astype(np.float64)
        if table.size < 2 or not _in_unit_interval(table, atol) or abs(table.sum() - 1) > 1e-3:
            continue
        for axis in range(table.ndim):
            total = np.sum(table, axis=axis, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                conditional = table / total
            same_place = (np.abs(table - value) <= atol + rtol * abs(value)) & (
                np.abs(conditional - wanted) <= atol + rtol * abs(wanted)
            )
            if np.any(same_place):
                return Diagnosis("conditional", {"axis": axis, "source": name})
    return None


def _is_distribution(table: Array, atol: float) -> bool:
    """A table of probabilities that sums to 1 (a joint distribution)."""
    return table.size >= 2 and _in_unit_interval(table, atol) and abs(table.sum() - 1) <= 1e-3


def _joint_of_given(
    value: float, wanted: float, sources: dict[str, Array], *, rtol: float, atol: float
) -> bool:
    """A scalar below the answer that is a given probability times another (or 1 minus it).

    P(A, B) = P(A | B) P(B) is what a learner gets who forgets to divide by the
    evidence in Bayes' rule: the product of two given probabilities, smaller than
    the conditional asked for.
    """
    if not value < wanted - (atol + rtol * wanted):
        return False
    given = [
        float(a.reshape(())) for a in sources.values() if a.ndim == 0 and _in_unit_interval(a, atol)
    ]
    factors = given + [1 - p for p in given]
    return any(
        abs(a * b - value) <= atol + rtol * abs(value)
        for i, a in enumerate(factors)
        for b in factors[i + 1 :]
    )


def _value_details(got: Array, expected: Array) -> dict[str, Any]:
    """Where the values differ most, and how many differ."""
    g = _as_float(got)
    e = _as_float(expected)
    if g is None or e is None or g.shape != e.shape:
        return {}
    with np.errstate(invalid="ignore"):
        error = np.abs(g - e)
    error = np.where(np.isnan(error), np.inf, error)
    scale = float(np.max(np.abs(e[np.isfinite(e)]), initial=0.0))
    wrong = error > 1e-6 + 1e-5 * (np.abs(np.nan_to_num(e)) + scale)
    index = np.unravel_index(int(np.argmax(error)), error.shape) if error.size else ()
    booleans = got.dtype.kind == "b" and expected.dtype.kind == "b"
    return {
        "index": [int(i) for i in index],
        "got_at": bool(g[index]) if booleans else _number(g[index]),
        "expected_at": bool(e[index]) if booleans else _number(e[index]),
        "wrong_count": int(np.count_nonzero(wrong)),
        "total": int(error.size),
    }


def _number(value: Any) -> float:
    number = float(value)
    return float(f"{number:.6g}") if np.isfinite(number) else number
