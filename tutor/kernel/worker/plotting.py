"""`plot`, the picture helper in every learner's namespace (runs in the kernel).

A plot is computed here and drawn by the frontend: this module turns tensors into
plain data (the `PlotData` wire shape of tutor/kernel/protocol.py: series of x/y
points, labels, axis titles, reference lines) and never draws or imports a plotting
library. The cell runner collects what a cell plotted with `take_plots()`.

Size policy (documented for learners in `plot.__doc__`):
- more than `MAX_ACCEPTED_POINTS` points in one call is refused with a clear error
  (the data would not fit the kernel's reply and could not be seen on a terminal);
- otherwise every series is downsampled so a plot carries at most `MAX_PLOT_POINTS`
  points in all, keeping each bucket's lowest and highest point so peaks survive;
- at most `MAX_SERIES` series and `MAX_REFERENCE_LINES` lines of each direction;
- a cell shows at most `MAX_PLOTS` plots; later ones say so in their repr.
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tutor.kernel.protocol import MAX_PLOT_POINTS, MAX_PLOTS, Said

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]

#: One call with more points than this is refused, not downsampled.
MAX_ACCEPTED_POINTS = 1_000_000
#: Series in one plot (PlotData.from_wire keeps no more).
MAX_SERIES = 16
#: Horizontal (and, separately, vertical) reference lines in one plot.
MAX_REFERENCE_LINES = 16
STYLES = ("line", "points", "dashed", "bar")

_made: list[dict[str, Any]] = []


#: What a plot says (its summary, default legend entries) is words to say, `Said` with
#: ids "picture.…" (the frontend says them in the learner's language). Its repr is a
#: Python repr, in English like every other.


def _points(n: int) -> Said:
    return Said("picture.points", {"n": n}) if n != 1 else Said("picture.one-point")


def _tangent(x: float) -> Said:
    return Said("picture.tangent", {"x": x})


#: The repr's English for the words a plot says (the catalog's English, as a repr is
#: Python's and has no learner's language).
_REPR_ENGLISH = {
    "picture.tangent": "tangent at x={x:g}",
    "picture.dropped": "{n} NaN/inf points left out",
    "picture.one-dropped": "1 NaN/inf point left out",
    "picture.thinned": "thinned from {n:,} points",
}


def _english(words: str | Said) -> str:
    """A label or note as the repr writes it."""
    if isinstance(words, str):
        return words
    return _REPR_ENGLISH.get(words.id, words.id).format(**words.facts)


class PlotError(ValueError):
    """A plot that cannot be made, with what to do about it in the message."""


class Plot:
    """What `plot(...)` returns: the plot's data, and a one-line summary as its repr."""

    def __init__(
        self,
        data: dict[str, Any],
        labels: Sequence[str | Said] = (),
        notes: Sequence[Said] = (),
        shown: bool = True,
    ) -> None:
        #: The plot as `PlotData` wire data (what the frontend draws).
        self.data = data
        #: One sentence describing the plot, for screen readers and line mode (words to
        #: say, as wire data).
        self.summary: dict[str, Any] = data["summary"]
        #: Whether the plot is shown (a cell shows at most MAX_PLOTS).
        self.shown = shown
        self._labels = tuple(labels)
        self._notes = tuple(notes)

    @property
    def points(self) -> int:
        """The number of points of the longest series, as drawn."""
        return max((len(s["x"]) for s in self.data["series"]), default=0)

    def __repr__(self) -> str:
        names = ", ".join(_english(label) for label in self._labels)
        points = f"{self.points} point" + ("" if self.points == 1 else "s")
        parts = [names or "no points", points, *(_english(note) for note in self._notes)]
        if not self.shown:
            parts.append(f"not shown: a cell shows at most {MAX_PLOTS} plots")
        return f"<plot: {'; '.join(parts)}>"


def take_plots() -> list[dict[str, Any]]:
    """The plots made since the last call (at most MAX_PLOTS), as wire dicts; clears them."""
    taken = _made[:MAX_PLOTS]
    _made.clear()
    return taken


def plot(
    x: Any,
    y: Any = None,
    *more_ys: Any,
    tangent_at: float | None = None,
    derivative: bool = False,
    labels: str | Sequence[str] | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    hlines: float | Sequence[float] = (),
    vlines: float | Sequence[float] = (),
    style: str = "line",
) -> Plot:
    """Draw a plot below the cell: data against x, or a function with its slope.

    Data:
        plot(x, y)                      one line through the points (x[i], y[i])
        plot(x, y1, y2, ...)            several lines over the same x
        plot(x, Y)                      Y of shape (n, k): k lines, one per column
        plot(y)                         y against 0, 1, 2, ...

    A function (written with TensorFlow operations, element by element):
        plot(f, x)                      y = f(x), f called on x as a tf.float32 tensor
        plot(f, x, tangent_at=1.0)      plus the tangent line y = f(1) + f'(1)(x - 1)
        plot(f, x, derivative=True)     plus f'(x), computed with tf.GradientTape
        plot(x, y, tangent_at=1.0)      data too, but its slopes are finite
                                        differences: approximate

    x and y may be tensors, Variables, NumPy arrays, lists or numbers.

    Options:
        labels      a name per line, in order (default "y", or "y1", "y2", ...;
                    "f(x)" for a function)
        title, xlabel, ylabel   words above the plot and on its axes
        hlines, vlines          reference lines: y values (horizontal), x values (vertical)
        style       "line" (default), "points", "dashed" or "bar"

    Points that are NaN or infinite are left out (the summary says how many).
    A plot carries at most 5,000 points: longer data is thinned to that, keeping
    each stretch's lowest and highest point; more than 1,000,000 points is refused.
    A cell shows at most 8 plots.

    Example:
        x = tf.linspace(-2.0, 3.0, 50)
        plot(lambda x: 3 * x**2 - 4 * x, x, tangent_at=1.0, title="a parabola")
    """
    if style not in STYLES:
        raise PlotError(f"style must be one of {', '.join(map(repr, STYLES))}, not {style!r}")
    notes: list[Said] = []
    if callable(x) and not _is_array_like(x):
        if more_ys:
            raise PlotError("plot(f, x) takes one function and its x values; pass options by name")
        if y is None:
            raise PlotError(
                "plot(f, x) needs the x values too, e.g. plot(f, tf.linspace(-2., 2., 50))"
            )
        series = _function_series(x, y, tangent_at, derivative, labels, style)
    else:
        series = _data_series(x, y, more_ys, labels, style)
        if tangent_at is not None or derivative:
            series = _with_data_slopes(series, tangent_at, derivative)
    if len(series) > MAX_SERIES:
        raise PlotError(f"a plot shows at most {MAX_SERIES} lines; this one has {len(series)}")
    total = sum(len(s[1]) for s in series)
    if total > MAX_ACCEPTED_POINTS:
        raise PlotError(
            f"this plot has {total:,} points; at most {MAX_ACCEPTED_POINTS:,} can be plotted. "
            "Plot a slice (y[::100]) or fewer x values."
        )
    wire_series, dropped, thinned_from = _finish_series(series)
    if dropped:
        notes.append(
            Said("picture.dropped", {"n": dropped}) if dropped != 1 else Said("picture.one-dropped")
        )
    if thinned_from:
        notes.append(Said("picture.thinned", {"n": thinned_from}))
    data: dict[str, Any] = {
        "title": str(title),
        "series": wire_series,
        "x_label": str(xlabel),
        "y_label": str(ylabel),
        "hlines": _reference_lines(hlines, "hlines"),
        "vlines": _reference_lines(vlines, "vlines"),
    }
    legend = [label for label, _xs, _ys, _style in series]
    data["summary"] = _summary(data, legend, notes).to_wire()
    result = Plot(data, legend, notes, shown=len(_made) < MAX_PLOTS)
    _made.append(data)
    return result


def _without_annotations(function: Callable[..., Any]) -> inspect.Signature:
    """The signature `help(plot)` shows a learner: names and defaults, no type noise."""
    signature = inspect.signature(function)
    params = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return signature.replace(parameters=params, return_annotation=inspect.Signature.empty)


setattr(plot, "__signature__", _without_annotations(plot))  # noqa: B010


# -- turning the arguments into series -------------------------------------------------------

Raw = tuple["str | Said", "FloatArray", "FloatArray", str]  # label, x, y, style


def _is_array_like(value: Any) -> bool:
    return hasattr(value, "shape") and hasattr(value, "dtype")


def _as_floats(value: Any, what: str) -> FloatArray:
    """A float64 NumPy array of `value`, refusing absurd sizes before converting."""
    import numpy as np

    shape = getattr(value, "shape", None)
    if shape is not None:
        try:
            size = math.prod(int(d) for d in shape)
        except (TypeError, ValueError):
            size = 0
        if size > MAX_ACCEPTED_POINTS:
            raise PlotError(
                f"{what} has {size:,} values; at most {MAX_ACCEPTED_POINTS:,} can be plotted. "
                "Plot a slice or fewer values."
            )
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise PlotError(f"{what} must be numbers (a tensor, array or list): {exc}") from None
    if array.dtype.kind == "c":
        raise PlotError(f"{what} is complex; plot tf.math.real(...) or tf.abs(...) instead")
    if array.dtype.kind not in "biuf":
        raise PlotError(f"{what} must be numbers, not {array.dtype} values")
    if array.size > MAX_ACCEPTED_POINTS:
        raise PlotError(
            f"{what} has {array.size:,} values; at most {MAX_ACCEPTED_POINTS:,} can be plotted"
        )
    return array.astype(np.float64)


def _as_vector(value: Any, what: str) -> FloatArray:
    array = _as_floats(value, what)
    if array.ndim == 0:
        return array.reshape(1)
    if array.ndim == 2 and 1 in array.shape:
        return array.reshape(-1)
    if array.ndim != 1:
        raise PlotError(f"{what} must be 1-D (one value per point); it has shape {array.shape}")
    return array


def _label_list(
    labels: str | Sequence[str] | None, count: int, defaults: Sequence[str | Said]
) -> list[str | Said]:
    if labels is None:
        return list(defaults)
    given = [labels] if isinstance(labels, str) else [str(v) for v in labels]
    if len(given) > count:
        raise PlotError(f"{len(given)} labels given for {count} line{'s' if count != 1 else ''}")
    return [*given, *defaults[len(given) :]]


def _data_series(
    x: Any, y: Any, more_ys: tuple[Any, ...], labels: str | Sequence[str] | None, style: str
) -> list[Raw]:
    import numpy as np

    if y is None:
        ys = [_as_floats(x, "y")]
        xs = np.arange(ys[0].shape[0] if ys[0].ndim else 1, dtype=np.float64)
    else:
        xs = _as_vector(x, "x")
        ys = [_as_floats(v, "y" if i == 0 else f"y{i + 1}") for i, v in enumerate((y, *more_ys))]
    columns: list[FloatArray] = []
    for i, values in enumerate(ys):
        name = "y" if i == 0 else f"y{i + 1}"
        columns.extend(_columns(values, len(xs), name))
    defaults: list[str | Said] = (
        ["y"] if len(columns) == 1 else [f"y{i + 1}" for i in range(len(columns))]
    )
    names = _label_list(labels, len(columns), defaults)
    return [(names[i], xs, col, style) for i, col in enumerate(columns)]


def _columns(values: FloatArray, n: int, name: str) -> list[FloatArray]:
    """The series in `values`: itself when 1-D, one per column when (n, k)."""
    if values.ndim == 0:
        values = values.reshape(1)
    if values.ndim == 1:
        if values.shape[0] != n:
            raise PlotError(f"x has {n} points but {name} has {values.shape[0]}; they must match")
        return [values]
    if values.ndim == 2:
        if values.shape[0] == n:
            return [values[:, j] for j in range(values.shape[1])]
        if values.shape[1] == n:
            raise PlotError(
                f"{name} has shape {values.shape}: one row per line. plot wants one column per "
                f"line, shape ({n}, k): pass tf.transpose({name})"
            )
    raise PlotError(f"{name} has shape {values.shape}; x has {n} points, so use ({n},) or ({n}, k)")


def _function_series(
    f: Callable[[Any], Any],
    x: Any,
    tangent_at: float | None,
    derivative: bool,
    labels: str | Sequence[str] | None,
    style: str,
) -> list[Raw]:
    import numpy as np
    import tensorflow as tf

    xs = _as_vector(x, "x")
    xt = tf.constant(xs, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = f(xt)
    ys = _function_values(out, xs.shape[0])
    defaults: list[str | Said] = ["f(x)"]
    if tangent_at is not None:
        defaults.append(_tangent(float(tangent_at)))
    if derivative:
        defaults.append("f'(x)")
    names = _label_list(labels, len(defaults), defaults)
    series: list[Raw] = [(names[0], xs, ys, style)]
    if tangent_at is not None:
        x0 = float(tangent_at)
        x0t = tf.constant(x0, dtype=tf.float32)
        with tf.GradientTape() as tape0:
            tape0.watch(x0t)
            y0t = f(x0t)
        slope = tape0.gradient(y0t, x0t) if tf.is_tensor(y0t) else None
        if slope is None:
            raise PlotError(_no_gradient("the tangent"))
        y0 = float(np.asarray(y0t, dtype=np.float64).reshape(-1)[0])
        k = float(np.asarray(slope, dtype=np.float64).reshape(-1)[0])
        series.append((names[1], xs, y0 + k * (xs - x0), "line"))
    if derivative:
        grad = tape.gradient(out, xt) if tf.is_tensor(out) else None
        if grad is None:
            raise PlotError(_no_gradient("f'(x)"))
        series.append((names[-1], xs, np.asarray(grad, dtype=np.float64).reshape(-1), "line"))
    return series


def _with_data_slopes(series: list[Raw], tangent_at: float | None, derivative: bool) -> list[Raw]:
    """Data plus its tangent and/or derivative, from finite differences (approximate)."""
    import numpy as np

    if len(series) != 1:
        raise PlotError("tangent_at= and derivative= work on one line: plot(x, y, tangent_at=1.0)")
    label, xs, ys, style = series[0]
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    if xs.shape[0] < 2 or np.any(np.diff(xs) == 0):
        raise PlotError("a slope from data needs at least two points with different x values")
    slopes = np.gradient(ys, xs)
    out: list[Raw] = [(label, xs, ys, style)]
    if tangent_at is not None:
        x0 = float(tangent_at)
        y0, k = float(np.interp(x0, xs, ys)), float(np.interp(x0, xs, slopes))
        out.append((_tangent(x0), xs, y0 + k * (xs - x0), "line"))
    if derivative:
        out.append(("dy/dx", xs, slopes, "line"))
    return out


def _function_values(out: Any, n: int) -> FloatArray:
    import numpy as np

    ys = _as_floats(out, "f(x)")
    if ys.size == 1:
        return np.full(n, float(ys.reshape(-1)[0]))
    if ys.shape != (n,):
        raise PlotError(
            f"f(x) returned shape {ys.shape} for {n} x values; f must work element by element "
            "and give one value per x"
        )
    return ys


def _no_gradient(what: str) -> str:
    return (
        f"{what} needs f's gradient, and TensorFlow found none: write f with tf operations "
        "(tf.sin, tf.exp, *, **), not NumPy or math, and return a float tensor"
    )


# -- capping and wire data -------------------------------------------------------------------


def _finish_series(series: list[Raw]) -> tuple[list[dict[str, Any]], int, int]:
    """Wire series with non-finite points dropped and thinned to the cap.

    Returns (series, points dropped as non-finite, original size when thinned else 0).
    """
    import numpy as np

    budget = max(MAX_PLOT_POINTS // max(len(series), 1), 2)
    dropped = 0
    thinned_from = 0
    wire: list[dict[str, Any]] = []
    for label, xs, ys, style in series:
        keep = np.isfinite(xs) & np.isfinite(ys)
        dropped += int(keep.size - keep.sum())
        xs, ys = xs[keep], ys[keep]
        if xs.shape[0] > budget:
            thinned_from = max(thinned_from, int(xs.shape[0]))
            index = _min_max_index(ys, budget)
            xs, ys = xs[index], ys[index]
        shown = label.to_wire() if isinstance(label, Said) else label
        wire.append({"label": shown, "x": _rounded(xs), "y": _rounded(ys), "style": style})
    return wire, dropped, thinned_from


def _min_max_index(ys: FloatArray, budget: int) -> Any:
    """Indices of at most `budget` points: each bucket's lowest and highest, in order."""
    import numpy as np

    buckets = max(budget // 2, 1)
    edges = np.linspace(0, ys.shape[0], buckets + 1).astype(np.int64)
    picks: list[int] = []
    for start, stop in itertools.pairwise(edges.tolist()):
        if stop <= start:
            continue
        chunk = ys[start:stop]
        lo, hi = int(np.argmin(chunk)) + start, int(np.argmax(chunk)) + start
        picks.extend(sorted({lo, hi}))
    return np.asarray(picks[:budget], dtype=np.int64)


def _rounded(values: FloatArray) -> list[float]:
    """Seven significant digits: float32 precision, a short JSON line."""
    return [float(f"{v:.7g}") for v in values.tolist()]


def _reference_lines(values: float | Sequence[float], name: str) -> list[float]:
    items = [values] if isinstance(values, int | float) else list(values)
    if len(items) > MAX_REFERENCE_LINES:
        raise PlotError(f"{name}: at most {MAX_REFERENCE_LINES} reference lines, got {len(items)}")
    out: list[float] = []
    for item in items:
        try:
            value = float(item)
        except (TypeError, ValueError):
            raise PlotError(f"{name} must be numbers, not {item!r}") from None
        if math.isfinite(value):
            out.append(value)
    return out


def _summary(data: dict[str, Any], labels: Sequence[str | Said], notes: Sequence[Said]) -> Said:
    """One sentence for screen readers: what is drawn, over which ranges."""
    series = data["series"]
    title = data["title"]
    head = Said("picture.plot-titled", {"title": title}) if title else Said("picture.plot")
    if not series or not any(s["x"] for s in series):
        return Said("picture.no-points", {"head": head})
    what: str | Said = labels[0]
    if len(labels) > 1:
        what = Said("picture.names", {"names": list(labels[:-1]), "last": labels[-1]})
    xs = [v for s in series for v in s["x"]]
    ys = [v for s in series for v in s["y"]]
    more: str | Said = ""
    refs = [f"y = {v:g}" for v in data["hlines"]] + [f"x = {v:g}" for v in data["vlines"]]
    if refs:
        more = Said("picture.references", {"more": more, "lines": ", ".join(refs)})
    for note in notes:
        more = Said("picture.more", {"more": more, "note": note})
    return Said(
        "picture.summary",
        {
            "head": head,
            "what": what,
            "x0": min(xs),
            "x1": max(xs),
            "y0": min(ys),
            "y1": max(ys),
            "points": _points(max(len(s["x"]) for s in series)),
            "more": more,
        },
    )
