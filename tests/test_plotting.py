"""The kernel's `plot` helper: the data a plot carries, in TensorFlow's own terms.

These import TensorFlow in the test process (the helper runs in the kernel).
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from tutor.kernel.protocol import (  # noqa: E402
    MAX_MESSAGE_BYTES,
    MAX_PLOT_POINTS,
    MAX_PLOTS,
    PlotData,
    Said,
)
from tutor.kernel.worker import plotting  # noqa: E402
from tutor.kernel.worker.plotting import (  # noqa: E402
    MAX_ACCEPTED_POINTS,
    PlotError,
    plot,
    take_plots,
)
from tutor.words import tell  # noqa: E402


@pytest.fixture(autouse=True)
def no_leftover_plots() -> Iterator[None]:
    take_plots()
    yield
    take_plots()


def said(p: plotting.Plot, lang: str = "en") -> str:
    """The plot's summary as a frontend says it in `lang`."""
    return tell(lang, Said.from_wire(p.summary))


def label_text(label: Any, lang: str = "en") -> str:
    """A series' label: the learner's as written, the tutor's (a tangent) said in `lang`."""
    return label if isinstance(label, str) else tell(lang, Said.from_wire(label))


def series(p: plotting.Plot, label: str) -> dict[str, Any]:
    return next(s for s in p.data["series"] if label_text(s["label"]) == label)


def test_tangent_of_a_parabola_at_one_is_2x_minus_3() -> None:
    x = tf.linspace(-2.0, 3.0, 30)
    p = plot(lambda x: 3 * x**2 - 4 * x, x, tangent_at=1.0)
    tangent = series(p, "tangent at x=1")
    xs = np.array(tangent["x"])
    np.testing.assert_allclose(tangent["y"], 2 * xs - 3, atol=1e-5)
    curve = series(p, "f(x)")
    np.testing.assert_allclose(curve["y"], 3 * xs**2 - 4 * xs, rtol=1e-5, atol=1e-5)
    assert repr(p) == "<plot: f(x), tangent at x=1; 30 points>"


def test_derivative_of_sin_is_cos() -> None:
    x = tf.linspace(-3.0, 3.0, 101)
    p = plot(tf.sin, x, derivative=True)
    d = series(p, "f'(x)")
    np.testing.assert_allclose(d["y"], np.cos(np.array(d["x"])), atol=1e-6)


def test_data_gets_finite_difference_slopes() -> None:
    x = tf.linspace(-2.0, 3.0, 501)
    p = plot(x, 3 * x**2 - 4 * x, tangent_at=1.0, derivative=True)
    xs = np.array(series(p, "tangent at x=1")["x"])
    np.testing.assert_allclose(series(p, "tangent at x=1")["y"], 2 * xs - 3, atol=1e-3)
    inner = slice(1, -1)  # one-sided differences at the ends are less exact
    np.testing.assert_allclose(
        np.array(series(p, "dy/dx")["y"])[inner], (6 * xs - 4)[inner], atol=1e-3
    )


def test_a_function_without_tensorflow_ops_has_no_derivative() -> None:
    with pytest.raises(PlotError, match="tf operations"):
        plot(lambda x: np.sin(x), tf.linspace(0.0, 1.0, 5), derivative=True)


def test_two_dimensional_y_gives_one_series_per_column() -> None:
    y = tf.random.normal((20, 3))
    p = plot(tf.range(20), y)
    assert [s["label"] for s in p.data["series"]] == ["y1", "y2", "y3"]
    for j, s in enumerate(p.data["series"]):
        np.testing.assert_allclose(s["y"], y.numpy()[:, j], rtol=1e-6)
        assert s["x"] == list(range(20))


def test_more_ys_and_labels() -> None:
    x = [0.0, 1.0, 2.0]
    p = plot(x, tf.constant([1.0, 2.0, 3.0]), np.array([3, 2, 1]), labels=["up", "down"])
    assert [s["label"] for s in p.data["series"]] == ["up", "down"]
    with pytest.raises(PlotError, match="3 labels given for 2 lines"):
        plot(x, [1, 2, 3], [3, 2, 1], labels=["a", "b", "c"])


def test_y_alone_is_plotted_against_its_index() -> None:
    p = plot(tf.Variable([5.0, 6.0, 7.0]))
    assert p.data["series"][0]["x"] == [0.0, 1.0, 2.0]
    assert p.data["series"][0]["y"] == [5.0, 6.0, 7.0]


def test_rows_instead_of_columns_is_explained() -> None:
    with pytest.raises(PlotError, match=r"tf\.transpose"):
        plot(tf.range(10), tf.zeros((3, 10)))
    with pytest.raises(PlotError, match="x has 4 points but y has 3"):
        plot([1, 2, 3, 4], [1, 2, 3])


def test_non_finite_points_are_left_out_and_said() -> None:
    p = plot([0, 1, 2, 3], [1.0, math.nan, math.inf, 4.0])
    s = p.data["series"][0]
    assert s["x"] == [0.0, 3.0] and s["y"] == [1.0, 4.0]
    assert "2 NaN/inf points left out" in repr(p)
    assert "2 NaN/inf points left out" in said(p)


def test_long_data_is_thinned_to_the_cap_keeping_extremes() -> None:
    n = 200_000
    y = np.zeros(n)
    y[123_457] = 50.0  # one spike: stride sampling would lose it
    y[7] = -3.0
    p = plot(np.arange(n), y)
    s = p.data["series"][0]
    assert len(s["x"]) <= MAX_PLOT_POINTS
    assert max(s["y"]) == 50.0 and min(s["y"]) == -3.0
    assert s["x"] == sorted(s["x"])
    assert "thinned from 200,000 points" in repr(p)


def test_the_cap_is_shared_by_the_series_of_a_plot() -> None:
    p = plot(np.arange(10_000), np.random.rand(10_000, 4))
    assert sum(len(s["x"]) for s in p.data["series"]) <= MAX_PLOT_POINTS


def test_absurd_sizes_are_refused_with_a_clear_message() -> None:
    with pytest.raises(PlotError, match=f"at most {MAX_ACCEPTED_POINTS:,}"):
        plot(tf.zeros(MAX_ACCEPTED_POINTS + 1))
    with pytest.raises(PlotError, match="at most"):
        plot(np.arange(600_000), np.zeros(600_000), np.zeros(600_000))
    assert take_plots() == []


def test_take_plots_returns_and_clears_at_most_max_plots() -> None:
    made = [plot([1, 2], [i, i + 1]) for i in range(MAX_PLOTS + 1)]
    assert "not shown" in repr(made[-1]) and "not shown" not in repr(made[0])
    taken = take_plots()
    assert len(taken) == MAX_PLOTS
    assert taken[0]["series"][0]["y"] == [0.0, 1.0]
    assert take_plots() == []


def test_wire_data_survives_the_protocol_and_fits_a_message() -> None:
    for _ in range(MAX_PLOTS):
        plot(np.arange(50_000), np.random.rand(50_000, 16), hlines=[0.5], vlines=1.0, title="t")
    taken = take_plots()
    line = json.dumps({"plots": taken})
    assert len(line.encode()) < MAX_MESSAGE_BYTES
    shown = PlotData.from_wire(json.loads(line)["plots"][0])
    assert shown is not None
    assert len(shown.series) == 16
    assert shown.hlines == (0.5,) and shown.vlines == (1.0,)
    assert shown.title == "t" and tell("en", shown.summary).startswith("Plot 't':")


def test_summary_describes_ranges_and_reference_lines() -> None:
    p = plot([0, 1, 2], [4, 5, 6], hlines=0, xlabel="t", ylabel="v")
    assert said(p) == ("Plot: y; x from 0 to 2, y from 4 to 6; 3 points; reference lines y = 0.")
    assert p.data["x_label"] == "t" and p.data["y_label"] == "v"


def test_bad_arguments_are_plot_errors() -> None:
    with pytest.raises(PlotError, match="style"):
        plot([1], [1], style="dots")
    with pytest.raises(PlotError, match="one line"):
        plot([1, 2], [1, 2], [2, 1], tangent_at=1.0)
    with pytest.raises(PlotError, match="numbers"):
        plot(["a", "b"], [1, 2])
    with pytest.raises(PlotError, match="element by element"):
        plot(lambda x: tf.stack([x, x]), tf.range(3, dtype=tf.float32))
    assert issubclass(PlotError, ValueError)


def test_help_is_written_for_a_learner() -> None:
    doc = inspect.getdoc(plot) or ""
    assert "tangent_at" in doc and "derivative" in doc and f"{MAX_PLOT_POINTS:,}" in doc
    assert "Any" not in str(inspect.signature(plot))


def test_a_plot_speaks_the_learners_language() -> None:
    """The kernel sends ids; the frontend says the summary and labels in either language
    (the repr, a Python repr, stays English)."""
    p = plot(lambda x: 3 * x**2 - 4 * x, tf.linspace(-2.0, 3.0, 30), tangent_at=1.0)
    assert repr(p) == "<plot: f(x), tangent at x=1; 30 points>"
    zh = said(p, "zh")
    assert zh.startswith("图：f(x)和x=1 处的切线；x 从 -2 到 3，y 从")
    assert zh.endswith("30 个点。")
    assert "points" not in zh and "tangent" not in zh
    assert [label_text(s["label"], "zh") for s in p.data["series"]] == ["f(x)", "x=1 处的切线"]
    assert said(p).startswith("Plot: f(x) and tangent at x=1; x from -2 to 3, y from")
