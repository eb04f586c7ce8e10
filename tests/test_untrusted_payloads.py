"""Random and extreme payloads from a kernel: the decoders and both frontends' renderers
never raise, never print non-JSON, and do bounded work.

A kernel runs a learner's code, so anything it sends may be hostile: NaN and infinities,
1e308 at both ends of an axis, subnormal spans, huge integers, negative counts, deeply
nested or mistyped fields, terminal escapes and bidi controls. Hypothesis throws such
payloads at `protocol.*.from_wire`, at the line frontend's text (cells, plots, the
inspector) and at the TUI's Rich renderables (cells, plots, the inspector table with
pictures), rendered on a real Rich console.

Bounded work is asserted where it can be counted (ticks per axis, lines per plot); the
liveness bound per example is deliberately generous (a frozen UI takes minutes, not
seconds) and is not a performance target.
"""

from __future__ import annotations

import io
import json
import math
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tutor.kernel.protocol import (
    CellResult,
    CheckResult,
    KernelInfo,
    PlotData,
    clean_text,
    decode,
)
from tutor.line.result_text import cell_lines, check_lines, variable_detail, variables_table
from tutor.pictures.heatmap import render_heatmap, summarize_tensor
from tutor.pictures.plot_text import plot_lines, render_plot
from tutor.pictures.ticks import MAX_TICKS, nice_ticks
from tutor.tui.cell_text import result_entry
from tutor.tui.inspector_table import inspector_table
from tutor.tui.strings import strings_for
from tutor.tui.widgets.plot_view import plot_as_text

#: A generous per-example liveness bound (seconds): a renderer that walks 1e308 ticks
#: or a billion dots never finishes; one that does bounded work takes milliseconds.
LIVENESS = 5.0

EXTREME_FLOATS = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        1e308,
        -1e308,
        1.7976931348623157e308,
        -1.7976931348623157e308,
        5e-324,
        -5e-324,
        0.0,
        -0.0,
        1e-300,
        1.0,
    ]
)
NUMBERS = st.one_of(
    EXTREME_FLOATS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
)
TEXT = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(["\x1b[2J", "\x1b]0;x\x07", "\u202e", "\u2066", "\u200b", "\n", "\t"]),
    ),
    max_size=60,
).map("".join)
JUNK = st.recursive(
    st.one_of(st.none(), NUMBERS, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=20,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, JUNK)


#: Words to say as a hostile kernel could send them: real ids with wrong facts, made-up
#: ids, templates as ids, facts that nest or do not fit the template's format.
SAID = st.recursive(
    st.fixed_dictionaries(
        {
            "id": st.one_of(
                st.sampled_from(
                    ["hint.did-you-mean", "hint.memory-sized", "kernel.timeout-kept",
                     "picture.summary", "limit.idle", "{0.__class__}", "hint.no-such"]
                ),
                TEXT,
            ),
            "facts": st.dictionaries(
                st.sampled_from(["code", "values", "size", "limit", "what", "head", "__x"]),
                st.one_of(NUMBERS, TEXT, st.lists(st.one_of(NUMBERS, TEXT), max_size=4)),
                max_size=4,
            ),
        }
    ),
    lambda inner: st.fixed_dictionaries(
        {"id": st.sampled_from(["hint.then", "limit.idle"]),
         "facts": st.fixed_dictionaries({"first": inner, "second": inner, "what": inner})}
    ),
    max_leaves=8,
)  # fmt: skip


SERIES = st.fixed_dictionaries(
    {
        "label": maybe(st.one_of(TEXT, SAID)),
        "x": maybe(st.lists(NUMBERS, max_size=60)),
        "y": maybe(st.lists(NUMBERS, max_size=60)),
        "style": maybe(st.sampled_from(["line", "points", "dashed", "bar", "?"])),
    }
)
PLOT = st.fixed_dictionaries(
    {
        "title": maybe(TEXT),
        "series": maybe(st.lists(SERIES, max_size=4)),
        "x_label": maybe(TEXT),
        "y_label": maybe(TEXT),
        "hlines": maybe(st.lists(NUMBERS, max_size=4)),
        "vlines": maybe(st.lists(NUMBERS, max_size=4)),
        "summary": maybe(st.one_of(TEXT, SAID)),
    }
)
MATRIX = st.lists(st.lists(NUMBERS, min_size=1, max_size=6), min_size=1, max_size=6)
VARIABLE = st.fixed_dictionaries(
    {
        "name": maybe(TEXT),
        "kind": maybe(st.sampled_from(["Tensor", "Variable", "ndarray", "float"])),
        "shape": maybe(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=4)),
        "dtype": maybe(st.sampled_from(["float32", "int32", "bool"])),
        "preview": maybe(TEXT),
        "summary": maybe(TEXT),
        "matrix": maybe(MATRIX),
        "grad": maybe(
            st.fixed_dictionaries(
                {
                    "of": maybe(TEXT),
                    "preview": maybe(TEXT),
                    "label": maybe(SAID),
                    "reason": maybe(SAID),
                }
            )
        ),
        "state": maybe(st.sampled_from(["current", "stale", "failed"])),
        "note": maybe(SAID),
    }
)
CELL = st.fixed_dictionaries(
    {
        "outcome": maybe(st.sampled_from(["ok", "error", "killed", "crashed", "bogus"])),
        "value": maybe(TEXT),
        "stdout": maybe(TEXT),
        "stderr": maybe(TEXT),
        "error": maybe(
            st.fixed_dictionaries(
                {
                    "type": maybe(TEXT),
                    "message": maybe(st.one_of(TEXT, SAID)),
                    "hint": maybe(SAID),
                    "line": JUNK,
                }
            )
        ),
        "elapsed_ms": maybe(NUMBERS),
        "execution_count": maybe(NUMBERS),
        "variables": maybe(st.lists(VARIABLE, max_size=4)),
        "plots": maybe(st.lists(PLOT, max_size=2)),
        "notes": maybe(st.lists(SAID, max_size=2)),
    }
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def strict_json(value: object) -> str:
    return json.dumps(value, allow_nan=False)


def render_everywhere(result: CellResult, width: int, height: int) -> None:
    """Every way the two frontends draw a cell result, at one size."""
    strings = strings_for("en")
    cell_lines(result, "en", width)
    cell_lines(result, "zh", width, color=True)
    variables_table(result.variables, "en", width)
    for view in result.variables:
        variable_detail(view, "en", width)
        summarize_tensor(view.shape, view.dtype, view.matrix, "zh")
        if view.matrix is not None:
            render_heatmap(view.matrix, width=width, lang="zh")
    console = Console(width=max(width, 1), file=io.StringIO(), color_system=None)
    entry = result_entry(result, strings)
    if entry is not None:
        console.print(entry)
    console.print(inspector_table(result.variables, max(width, 1), pictures=True, lang="zh"))
    for plot in result.plots:
        render_plot(plot, width, height, lang="zh")
        lines = render_plot(plot, width, height)
        assert len(lines) == max(height, 0)
        console.print(plot_as_text(plot, width, height))
        for line in plot_lines(plot, width, height):
            assert sum(len(text) for text, _ in line) <= max(width, 0) * 2


@pytest.mark.slow
@FUZZ
@given(CELL, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=60))
def test_cell_results_decode_and_render(payload: dict[str, Any], width: int, height: int) -> None:
    started = time.perf_counter()
    result = CellResult.from_wire(payload)
    strict_json(result.to_json())
    strict_json(result.to_json("zh"))
    assert result.execution_count >= 0
    assert math.isfinite(result.elapsed_ms) and result.elapsed_ms >= 0
    for plot in result.plots:
        for series in plot.series:
            assert all(math.isfinite(v) for v in (*series.x, *series.y))
    render_everywhere(result, width, height)
    assert time.perf_counter() - started < LIVENESS


@FUZZ
@given(JUNK)
def test_any_json_value_decodes_to_safe_objects(payload: Any) -> None:
    for decoder in (CellResult.from_wire, KernelInfo.from_wire, CheckResult.from_wire):
        decoded = decoder(payload)
        strict_json(decoded.to_json())
    plot = PlotData.from_wire(payload)
    if plot is not None:
        strict_json(plot.to_json())
    check = CheckResult.from_wire(payload)
    check_lines(check, "en", 60)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_garbage(line: bytes) -> None:
    message = decode(line)
    assert message is None or isinstance(message, dict)


@FUZZ
@given(st.lists(NUMBERS, min_size=1, max_size=40), st.lists(NUMBERS, min_size=1, max_size=40))
def test_plots_of_extreme_values_draw_in_bounded_work(xs: list[Any], ys: list[Any]) -> None:
    started = time.perf_counter()
    plot = PlotData.from_wire({"series": [{"x": xs, "y": ys, "label": "y"}], "title": "t"})
    assert plot is not None
    for width, height in ((80, 24), (16, 6), (300, 80)):
        lines = render_plot(plot, width, height)
        assert len(lines) == height
    assert time.perf_counter() - started < LIVENESS


@FUZZ
@given(EXTREME_FLOATS | st.floats(), EXTREME_FLOATS | st.floats(), st.integers(-5, 10**9))
def test_ticks_are_bounded_for_any_range(low: float, high: float, count: int) -> None:
    ticks = nice_ticks(low, high, count)
    assert len(ticks) <= MAX_TICKS
    assert all(math.isfinite(t) for t in ticks)


def test_the_two_plots_of_the_review() -> None:
    """-1e308..1e308 on x crashed both frontends (NaN to int); on y it froze the TUI."""
    for xs, ys in (([-1e308, 1e308], [0.0, 1.0]), ([0.0, 1.0], [-1e308, 1e308])):
        plot = PlotData.from_wire({"series": [{"x": xs, "y": ys, "label": "y"}]})
        assert plot is not None
        lines = render_plot(plot, 80, 20)
        assert len(lines) == 20 and any("⠉" in line or "⣀" in line for line in lines)
        plot_as_text(plot, 80, 20)


def test_non_finite_points_are_left_out_and_the_picture_says_so() -> None:
    wire = {"series": [{"x": [0, 1, math.nan, 3], "y": [0, math.inf, 2, 3], "label": "y"}]}
    plot = PlotData.from_wire(wire)
    assert plot is not None and plot.dropped == 2
    assert plot.series[0].x == (0.0, 3.0)
    text = "\n".join(render_plot(plot, 60, 12))
    assert "2 points left out" in text
    assert "2 个点" in "\n".join(render_plot(plot, 60, 12, lang="zh"))
    strict_json(plot.to_json())


def test_impossible_fields_are_refused_at_decoding() -> None:
    result = CellResult.from_wire(
        {
            "outcome": "ok",
            "execution_count": -5,
            "elapsed_ms": math.nan,
            "error": {"type": "E", "message": "m", "line": -3},
            "variables": [{"name": "x", "shape": [-7, 3, True], "matrix": [[math.nan, 1e400]]}],
        }
    )
    assert result.execution_count == 0
    assert result.elapsed_ms == 0.0
    assert result.error is not None and result.error.line is None
    assert result.variables[0].shape == (-1, 3, -1)
    assert CellResult.from_wire({"elapsed_ms": -1.0, "execution_count": 3}).elapsed_ms == 0.0
    info = KernelInfo.from_wire({"pid": -1})
    assert info.pid == 0
    check = CheckResult.from_wire(
        {"details": {"factor": math.nan, "big": math.inf, "shape": [1, math.nan, 3]}}
    )
    assert check.details["factor"] is None and check.details["big"] is None
    assert check.details["shape"] == [1, 3]
    strict_json(check.to_json())


def test_every_format_character_is_shown_escaped() -> None:
    """Bidi overrides and isolates, zero-width characters, tags, line separators: every
    character of Unicode's category Cf, Zl and Zp in this Python's database."""
    import sys
    import unicodedata

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Zl", "Zp"):
            cleaned = clean_text(f"a{char}b")
            assert char not in cleaned, f"U+{code:04X}"
            assert cleaned.startswith("a\\") and cleaned.endswith("b"), f"U+{code:04X}"
    assert clean_text("ab\u202ecd") == "ab\\u202ecd"
    assert clean_text("x\U000e0041") == "x\\U000e0041"
    assert clean_text("中文 and é") == "中文 and é"
