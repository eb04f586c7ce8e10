"""Plots and heatmaps drawn as text (tutor.pictures), without a kernel or a terminal.

Snapshot tests compare the text of fixed plots with files in tests/snapshots/;
after a deliberate change of the drawing, regenerate them with
`TUTOR_UPDATE_SNAPSHOTS=1 uv run pytest tests/test_pictures.py` and read the diff.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.kernel.protocol import PlotData, Series
from tutor.pictures.braille import BRAILLE_BASE
from tutor.pictures.heatmap import SHADES, render_heatmap, summarize_tensor
from tutor.pictures.plot_text import plot_lines, render_plot
from tutor.pictures.text_cells import fit
from tutor.pictures.ticks import format_tick, nice_ticks
from tutor.textflow import display_width as cells

SNAPSHOTS = Path(__file__).parent / "snapshots"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_snapshot(name: str, lines: list[str]) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    text = "\n".join(lines) + "\n"
    if os.environ.get("TUTOR_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with TUTOR_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def linspace(a: float, b: float, n: int) -> tuple[float, ...]:
    return tuple(a + (b - a) * i / (n - 1) for i in range(n))


def parabola() -> PlotData:
    xs = linspace(-2.0, 3.0, 30)
    return PlotData(
        title="3x² - 4x and its tangent at x = 1",
        series=(
            Series("f(x)", xs, tuple(3 * x * x - 4 * x for x in xs)),
            Series("tangent at x=1", xs, tuple(2 * x - 3 for x in xs)),
        ),
        x_label="x",
        y_label="y",
        hlines=(0.0,),
        vlines=(1.0,),
        summary="Plot: f(x) and tangent at x=1.",
    )


def trig() -> PlotData:
    xs = linspace(-math.pi, math.pi, 200)
    few = linspace(-3.0, 3.0, 13)
    return PlotData(
        title="",
        series=(
            Series("sin", xs, tuple(math.sin(x) for x in xs)),
            Series("cos", xs, tuple(math.cos(x) for x in xs)),
            Series("samples", few, tuple(math.sin(x) for x in few), style="points"),
            Series("counts", few, tuple(0.1 * abs(x) for x in few), style="bar"),
        ),
    )


@pytest.mark.parametrize(("width", "height"), [(80, 24), (140, 40)])
def test_parabola_snapshot(width: int, height: int) -> None:
    check_snapshot(f"parabola_{width}x{height}", render_plot(parabola(), width, height))


def test_several_styles_snapshot() -> None:
    check_snapshot("trig_80x24", render_plot(trig(), 80, 24))


def test_the_tangent_touches_the_parabola_near_x_equals_1() -> None:
    # The only cells both lines cross near the vertical reference line x = 1.
    lines = plot_lines(parabola(), 80, 24)
    text = ["".join(t for t, _ in line) for line in lines]
    column = next(i for i, ch in enumerate(text[5]) if ch == "┆")
    roles_near = {
        role
        for line in lines[3:-3]
        for role, col in _roles_by_column(line)
        if abs(col - column) <= 4
    }
    assert {"s0", "s1"} <= roles_near


def _roles_by_column(line: list[tuple[str, str]]) -> list[tuple[str, int]]:
    out = []
    col = 0
    for text, role in line:
        for ch in text:
            if BRAILLE_BASE < ord(ch) < BRAILLE_BASE + 256:
                out.append((role, col))
            col += 1
    return out


def test_an_increasing_line_goes_from_bottom_left_to_top_right() -> None:
    plot = PlotData(title="", series=(Series("y", (0.0, 1.0), (0.0, 1.0)),))
    lines = render_plot(plot, 40, 12)
    plot_rows = [line for line in lines if "│" in line or "┤" in line]
    first, last = plot_rows[0], plot_rows[-1]
    braille = [i for i, ch in enumerate(first) if BRAILLE_BASE < ord(ch) < BRAILLE_BASE + 256]
    low = [i for i, ch in enumerate(last) if BRAILLE_BASE < ord(ch) < BRAILLE_BASE + 256]
    assert braille and low and min(braille) > max(low)
    assert "y" not in lines[0]  # one unnamed series: no legend


def test_legend_names_every_series_and_the_title_is_centred() -> None:
    lines = render_plot(trig(), 80, 24)
    assert all(name in lines[0] for name in ("sin", "cos", "samples", "counts"))
    title = render_plot(parabola(), 80, 24)[0]
    assert title.strip() == "3x² - 4x and its tangent at x = 1"
    assert abs((len(title) - len(title.lstrip())) - (80 - len(title.strip())) // 2) <= 1


def test_a_crowded_legend_says_how_many_more() -> None:
    xs = (0.0, 1.0)
    plot = PlotData(
        title="", series=tuple(Series(f"a long series name {i}", xs, xs) for i in range(9))
    )
    legend = render_plot(plot, 60, 20)[0]
    assert "more" in legend and cells(legend) <= 60


def test_colour_adds_only_escape_codes() -> None:
    plain = render_plot(parabola(), 80, 24)
    coloured = render_plot(parabola(), 80, 24, color=True)
    assert any("\x1b[" in line for line in coloured)
    assert [ANSI.sub("", line).rstrip() for line in coloured] == plain


def test_no_points_and_tiny_sizes() -> None:
    empty = PlotData(title="nothing", series=(Series("y", (), ()),))
    assert any("no points" in line for line in render_plot(empty, 40, 10))
    tiny = render_plot(parabola(), 10, 3)
    assert len(tiny) == 3 and tiny[0].startswith("Plot")
    assert render_plot(parabola(), 80, 0) == []


def test_wide_characters_are_counted_as_two_cells() -> None:
    plot = PlotData(
        title="抛物线和它在一点的切线，一个很长很长很长的标题",
        series=(Series("函数", (0.0, 1.0, 2.0), (1.0, 0.0, 1.0)),),
        x_label="横轴",
        y_label="纵轴",
    )
    for line in render_plot(plot, 30, 12):
        assert cells(line) <= 30


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@st.composite
def plots(draw: st.DrawFn) -> PlotData:
    count = draw(st.integers(0, 5))
    series = []
    for i in range(count):
        n = draw(st.integers(0, 40))
        xs = tuple(draw(st.lists(finite, min_size=n, max_size=n)))
        ys = tuple(draw(st.lists(finite, min_size=n, max_size=n)))
        style = draw(st.sampled_from(["line", "points", "dashed", "bar"]))
        series.append(Series(draw(st.text(max_size=30)) or f"s{i}", xs, ys, style))
    return PlotData(
        title=draw(st.text(max_size=90)),
        series=tuple(series),
        x_label=draw(st.text(max_size=20)),
        y_label=draw(st.text(max_size=20)),
        hlines=tuple(draw(st.lists(finite, max_size=3))),
        vlines=tuple(draw(st.lists(finite, max_size=3))),
        summary=draw(st.text(max_size=50)),
    )


@settings(max_examples=150, deadline=None)
@given(plots(), st.integers(1, 160), st.integers(0, 50))
def test_any_plot_fits_its_box(plot: PlotData, width: int, height: int) -> None:
    lines = render_plot(plot, width, height)
    assert len(lines) == height
    assert all(cells(line) <= width for line in lines)
    assert all("\n" not in line for line in lines)


def test_ticks_are_round_numbers() -> None:
    assert nice_ticks(-7.0, 20.0, 6) == [-5.0, 0.0, 5.0, 10.0, 15.0, 20.0]
    assert nice_ticks(0.0, 1.0, 5) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert [format_tick(v, 0.2) for v in nice_ticks(0.0, 1.0, 5)] == [
        "0.0",
        "0.2",
        "0.4",
        "0.6",
        "0.8",
        "1.0",
    ]
    assert format_tick(3e7, 1e7) == "3e+07"


def test_fit_cuts_by_cells() -> None:
    assert fit("hello", 10) == "hello"
    assert fit("hello world", 6) == "hello…"
    assert fit("中文字符", 5) == "中文…"


# -- heatmaps ----------------------------------------------------------------------------


def test_heatmap_shades_from_low_to_high() -> None:
    matrix = [[0.0, 1.0, 2.0], [3.0, 4.0, 4.0]]
    lines = render_heatmap(matrix, width=40, lang="en")
    assert lines[0] == "┌──────┐"
    assert lines[1] == "│  ░░▒▒│"
    assert lines[2] == "│▓▓████│"
    assert lines[3] == "└──────┘"
    assert lines[4] == f"0 [{SHADES}] 4"


def test_heatmap_narrow_width_uses_one_cell_then_cuts() -> None:
    matrix = [[float(j) for j in range(32)] for _ in range(2)]
    one = render_heatmap(matrix, width=34, lang="en")
    assert cells(one[1]) == 34 and "…" not in one[1]
    cut = render_heatmap(matrix, width=20, lang="en")
    assert all(cells(line) <= 20 for line in cut)
    assert cut[1].endswith("…│")


def test_heatmap_marks_non_finite_and_constant_values() -> None:
    lines = render_heatmap([[1.0, math.nan], [1.0, math.inf]], width=20, lang="en")
    assert lines[1] == "│▒▒??│"
    assert render_heatmap([], width=20, lang="en") == []


def test_summaries() -> None:
    matrix = [[-2.1, 0.0, 1.0, 3.0], [0.5, 0.5, 0.5, 0.5], [1.0, 1.0, 1.0, 1.0]]
    assert summarize_tensor((3, 4), "float32", matrix, "en") == "3x4 float32, min -2.1, max 3.0"
    assert summarize_tensor((3, 4), "int32", [[1, 2, 3, 4]] * 3, "en") == "3x4 int32, min 1, max 4"
    assert summarize_tensor((), "float32", [[2.5]], "en") == "scalar float32, value 2.5"
    # A preview of a larger tensor gives no range: it would mislead.
    assert summarize_tensor((100, 100), "float32", matrix, "en") == "100x100 float32"
    assert summarize_tensor((2,), "float32", [[1.0, math.nan]], "en") == (
        "2 float32, min 1.0, max 1.0, 1 not finite"
    )
    assert summarize_tensor(None, None, None, "en") == "value"
    assert summarize_tensor((), "float32", [[2.5]], "zh") == "标量 float32，值 2.5"
    assert summarize_tensor((2,), "float32", [[1.0, math.nan]], "zh") == (
        "2 float32，最小 1.0，最大 1.0，1 个非有限数"
    )
    assert render_heatmap([[math.nan]], width=20, lang="zh")[-1] == "? 非有限数"
