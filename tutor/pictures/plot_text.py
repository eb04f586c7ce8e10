"""A `PlotData` drawn as text: Braille lines, ticked axes, a legend, dashed reference lines.

`plot_lines` lays the plot out as lines of (text, role) runs, so the Textual widget can
colour each role its own way; `render_plot` joins them into plain strings (or strings
with ANSI colours). The output depends only on the plot and the size: stable enough
for snapshot tests, and the same picture in both frontends.

Why not plotext: its global figure state, its colour codes even with the "clear" theme
in some paths, and output that moves between releases would make both frontends'
snapshots fragile; a Braille canvas is a page of code we control.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from tutor.kernel.protocol import PlotData, Series
from tutor.pictures.braille import DASHED, PENS, BrailleCanvas, legend_sample, scale
from tutor.pictures.text_cells import center, fit, one_line
from tutor.pictures.ticks import format_tick, nice_ticks
from tutor.textflow import display_width
from tutor.words import say, tell

#: What a run of text is, for colouring: "", "axis", "ref", "title", or "s0".."s5".
Role = str
Run = tuple[str, Role]

SERIES_ROLES = 6
#: ANSI SGR parameters per role for `render_plot(color=True)`.
ANSI = {
    "title": "1",
    "ref": "2",
    "s0": "34",
    "s1": "31",
    "s2": "32",
    "s3": "35",
    "s4": "36",
    "s5": "33",
}
HLINE, VLINE, CROSS = "┄", "┆", "┼"
MIN_WIDTH = 16
#: Largest width or height drawn (a wider request gets this many cells).
MAX_SIZE = 1000


def series_role(index: int) -> Role:
    """The colour role of the `index`-th series."""
    return f"s{index % SERIES_ROLES}"


def render_plot(
    plot: PlotData, width: int, height: int, *, color: bool = False, lang: str = "en"
) -> list[str]:
    """The plot as exactly `height` lines of at most `width` cells (trailing spaces removed)."""
    lines = plot_lines(plot, width, height, lang=lang)
    if not color:
        return ["".join(text for text, _ in line).rstrip() for line in lines]
    out = []
    for line in lines:
        parts = [
            f"\x1b[{ANSI[role]}m{text}\x1b[0m" if role in ANSI and text.strip() else text
            for text, role in line
        ]
        out.append("".join(parts).rstrip())
    return out


@dataclass(frozen=True)
class _Ranges:
    x_low: float
    x_high: float
    y_low: float
    y_high: float


def plot_lines(plot: PlotData, width: int, height: int, *, lang: str = "en") -> list[list[Run]]:
    """The plot laid out as `height` lines of (text, role) runs, each at most `width` cells.

    Bounded work for any data the kernel sends: the canvas, the ticks (`MAX_TICKS`) and
    every line drawn are limited by the size, not by the values.
    """
    if height <= 0:
        return []
    if width <= 0:
        return _padded([], height)
    width = min(width, MAX_SIZE)
    height = min(height, MAX_SIZE)
    series = [s for s in plot.series if s.x]
    header: list[list[Run]] = []
    if plot.dropped:
        header.append([(fit(say(lang, "picture.not-finite", n=plot.dropped), width), "axis")])
    if plot.title:
        header.append([(center(plot.title, width), "title")])
    if len(series) > 1 or (series and series[0].label not in ("", "y")):
        header.append(_legend(series, width, lang))
    if plot.y_label:
        header.append([(fit(plot.y_label, width), "axis")])
    footer_extra = (
        [
            [
                (" " * max(width - display_width(fit(plot.x_label, width)), 0), ""),
                (fit(plot.x_label, width), "axis"),
            ]
        ]
        if plot.x_label
        else []
    )
    rows = height - len(header) - 2 - len(footer_extra)
    # Too short: give up the axis titles first, then the legend, then the title.
    if rows < 4 and footer_extra:
        footer_extra, rows = [], rows + 1
    if rows < 4 and plot.y_label and header:
        header, rows = header[:-1], rows + 1
    while rows < 3 and header:
        header, rows = header[1:], rows + 1
    if width < MIN_WIDTH or rows < 1:
        return _padded(
            [[(fit(tell(lang, plot.summary) or plot.title or "plot", width), "")]], height
        )
    if not series:
        body = [[(center(say(lang, "picture.empty"), width), "")]]
        return _padded(header + body, height)
    body = _chart(plot, series, width, rows)
    return _padded(header + body + footer_extra, height)


def _padded(lines: list[list[Run]], height: int) -> list[list[Run]]:
    return (lines + [[("", "")] for _ in range(height)])[:height]


def _legend(series: list[Series], width: int, lang: str) -> list[Run]:
    """Each series' pen and name on one line; "+N more" when they do not all fit."""
    entries: list[tuple[str, str]] = []
    line_index = 0
    for i, s in enumerate(series):
        if s.style == "points":
            sample = "⠶"
        elif s.style == "bar":
            sample = "⡇"
        else:
            sample = legend_sample(DASHED if s.style == "dashed" else PENS[line_index % len(PENS)])
            line_index += s.style == "line"
        entries.append((sample, one_line(tell(lang, s.label)) or f"series {i + 1}"))
    runs: list[Run] = []
    used = 0
    for i, (sample, label) in enumerate(entries):
        gap = "   " if runs else ""
        need = display_width(gap) + display_width(sample) + 1 + display_width(label)
        left = len(entries) - i - 1
        note = f"   +{left} more" if left else ""
        if used + need + display_width(note) > width:
            rest = f"{gap}+{len(entries) - i} more"
            if used + display_width(rest) <= width:
                runs.append((rest, ""))
            break
        runs += [(gap, ""), (sample, series_role(i)), (" " + label, "")]
        used += need
    return runs


def _ranges(plot: PlotData, series: list[Series]) -> _Ranges:
    xs = [v for s in series for v in s.x] + list(plot.vlines)
    ys = [v for s in series for v in s.y] + list(plot.hlines)
    if any(s.style == "bar" for s in series):
        ys.append(0.0)
    x_low, x_high = _widened(min(xs), max(xs))
    y_low, y_high = _widened(min(ys), max(ys))
    return _Ranges(x_low, x_high, y_low, y_high)


def _widened(low: float, high: float) -> tuple[float, float]:
    """A range with some width, even when every value is the same (never past the
    largest float, so it stays finite)."""
    if high > low:
        return low, high
    half = abs(low) * 0.5 or 1.0
    biggest = sys.float_info.max
    return max(low - half, -biggest), min(high + half, biggest)


def _chart(plot: PlotData, series: list[Series], width: int, rows: int) -> list[list[Run]]:
    """The plot area with its y axis, the x axis and the x tick labels: rows + 2 lines."""
    r = _ranges(plot, series)
    y_ticks = nice_ticks(r.y_low, r.y_high, max(2, rows // 3))
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else r.y_high - r.y_low
    y_labels = {t: format_tick(t, y_step) for t in y_ticks}
    margin = max((display_width(v) for v in y_labels.values()), default=1)
    cols = width - margin - 1
    if cols < 4:
        margin, cols, y_labels = 0, width - 1, {}
    canvas = BrailleCanvas(cols, rows)

    def px(x: float) -> float:
        return scale(x, r.x_low, r.x_high, canvas.width)

    def py(y: float) -> float:
        return scale(y, r.y_low, r.y_high, canvas.height, flip=True)

    line_index = 0
    for i, s in enumerate(series):
        points = [(px(x), py(y)) for x, y in zip(s.x, s.y, strict=False)]
        if s.style == "points":
            canvas.dots(points, i)
        elif s.style == "bar":
            canvas.bars(points, py(min(max(0.0, r.y_low), r.y_high)), i)
        elif s.style == "dashed":
            canvas.line(points, i, DASHED)
        else:
            canvas.line(points, i, PENS[line_index % len(PENS)])
            line_index += 1

    _mark_references_under_series(canvas, [round(py(v)) for v in plot.hlines], cols, rows)
    ref_rows = {round(py(v)) // 4 for v in plot.hlines}
    ref_cols = {round(px(v)) // 2 for v in plot.vlines}
    tick_rows: dict[int, str] = {}
    for value, label in y_labels.items():
        tick_rows.setdefault(round(py(value)) // 4, label)

    lines: list[list[Run]] = []
    for row in range(rows):
        tick = tick_rows.get(row)
        runs: list[Run] = [(" " * (margin - display_width(tick or "")) + (tick or ""), "axis")]
        runs.append(("┤" if tick is not None else "│", "axis"))
        for col in range(cols):
            char, owner = canvas.cell(col, row)
            if owner is not None:
                runs.append((char, series_role(owner)))
            elif row in ref_rows or col in ref_cols:
                if row in ref_rows and col in ref_cols:
                    ref = CROSS
                else:
                    ref = HLINE if row in ref_rows else VLINE
                runs.append((ref, "ref"))
            else:
                runs.append((" ", ""))
        lines.append(_merged(runs))
    lines += _x_axis(r, canvas.width, cols, margin, width)
    return lines


def _mark_references_under_series(
    canvas: BrailleCanvas, dot_rows: list[int], cols: int, rows: int
) -> None:
    """Keep a reference line visible where series cross it (die frequencies converge on
    1/6 exactly there): one dot per occupied cell at the line's height, in the series' pen."""
    for y in dot_rows:
        row = y // 4
        if not 0 <= row < rows:
            continue
        for col in range(cols):
            owner = canvas.cell(col, row)[1]
            if owner is not None:
                canvas.set(col * 2, y, owner)


def _x_axis(r: _Ranges, dots: int, cols: int, margin: int, width: int) -> list[list[Run]]:
    """The axis line with tick marks and the tick labels below it."""
    ticks = nice_ticks(r.x_low, r.x_high, max(2, cols // 12))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else r.x_high - r.x_low
    axis = ["─"] * cols
    label_line = [" "] * width
    free_from = 0
    for value in ticks:
        col = round(scale(value, r.x_low, r.x_high, dots)) // 2
        label = format_tick(value, step)
        start = min(
            max(margin + 1 + col - display_width(label) // 2, 0), width - display_width(label)
        )
        if start < free_from or col >= cols:
            continue
        axis[col] = "┬"
        label_line[start : start + len(label)] = list(label)
        free_from = start + len(label) + 1
    axis_runs: list[Run] = [(" " * margin + "└" + "".join(axis), "axis")]
    return [axis_runs, [("".join(label_line), "axis")]]


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same role joined (fewer spans for the widget)."""
    out: list[Run] = []
    for text, role in runs:
        if out and out[-1][1] == role:
            out[-1] = (out[-1][0] + text, role)
        else:
            out.append((text, role))
    return out
