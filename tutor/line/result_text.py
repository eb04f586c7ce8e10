"""What a cell, a check or the inspector shows, as plain lines (pure functions).

Everything here comes from the kernel already cleaned of terminal sequences; these
functions only lay it out: results as the Python REPL would print them, errors with
their hint, plots as text pictures preceded by their one-line summary, and the
inspector as a table with name, kind, shape, dtype, value and gradient side by side.
"""

from __future__ import annotations

from tutor import words  # `words.tell`: this module's own `say` is tutor.line.strings'
from tutor.kernel.protocol import CellResult, CheckResult, PlotData, VariableView
from tutor.line.strings import say
from tutor.pictures.heatmap import summarize_tensor
from tutor.pictures.plot_text import render_plot
from tutor.pictures.text_cells import cut
from tutor.textflow import display_width, wrap

#: Lines a plot takes in line mode (fits a 24-line terminal with the prompt).
PLOT_HEIGHT = 18
#: Lines of a value shown in one inspector row.
MAX_CELL_LINES = 6


def cell_lines(result: CellResult, lang: str, width: int, *, color: bool = False) -> list[str]:
    """A cell's output: what it printed, its value or error, its plots."""
    lines: list[str] = []
    lines += _stream(result.stdout)
    lines += _stream(result.stderr)
    lines += [words.tell(lang, note) for note in result.notes]
    if result.error is not None:
        lines += error_lines(result, lang, width)
    elif result.outcome != "ok":
        lines.append(say(lang, f"outcome-{result.outcome}"))
    if result.value is not None:
        lines += result.value.splitlines() or [""]
    for plot in result.plots:
        lines += plot_block(plot, lang, width, color=color)
    return lines


def _stream(text: str) -> list[str]:
    return text.rstrip("\n").splitlines() if text else []


def error_lines(result: CellResult, lang: str, width: int) -> list[str]:
    """The traceback (the learner's lines), the error, and the hint in plain words."""
    error = result.error
    if error is None:
        return []
    lines: list[str] = []
    lines += _stream(error.traceback)
    if result.outcome != "error":
        # Stopped by the tutor (time, memory, a crash): the message says what happened
        # in words; "Stopped: ..." plus "MemoryError: ..." would say it twice.
        message = words.tell(lang, error.message) or say(lang, f"outcome-{result.outcome}")
        lines += wrap(message, max(width, 20))
    else:
        said = words.tell(lang, error.message)
        message = f"{error.type}: {said}" if said else error.type
        lines += message.splitlines()
    hint = words.tell(lang, error.hint).strip()
    if hint and hint not in message:
        label = say(lang, "hint-label")
        indent = " " * (display_width(label) + 2)
        lines += wrap(f"{label}: {hint}", max(width, 20), "", indent)
    return lines


def plot_block(plot: PlotData, lang: str, width: int, *, color: bool = False) -> list[str]:
    """A plot's summary (what a screen reader says), then the picture, in `lang`."""
    said = words.tell(lang, plot.summary)
    summary = wrap(said, max(width, 20)) if said else []
    return summary + render_plot(plot, width, PLOT_HEIGHT, color=color, lang=lang)


def check_lines(check: CheckResult, lang: str, width: int) -> list[str]:
    """A check's verdict and feedback, and any error the learner's code raised in it."""
    lines = [say(lang, "check-passed" if check.passed else "check-failed")]
    for paragraph in check.feedback.split("\n\n"):
        if paragraph.strip():
            lines += wrap(" ".join(paragraph.split()), max(width, 20))
    for cell in check.cells:
        if cell.error is not None or cell.stdout or cell.stderr:
            lines += cell_lines(cell, lang, width)
    return lines


def _shape_text(shape: tuple[int, ...] | None, lang: str) -> str:
    if shape is None:
        return ""
    if not shape:
        return say(lang, "scalar")
    return (
        "("
        + ", ".join(str(d) if d >= 0 else "?" for d in shape)
        + ("," if len(shape) == 1 else "")
        + ")"
    )


def _gradient_text(view: VariableView, lang: str) -> list[str]:
    """`auto ∂y/∂x =` (the tutor's) or `t.gradient(y, x) =` (the learner's tape), the
    values, and why the tape answered None."""
    if view.grad is None:
        return []
    label = words.tell(lang, view.grad.label) or f"d{view.grad.of}/d{view.name}"
    label = label if label.endswith("=") else f"{label} ="
    reason = words.tell(lang, view.grad.reason)
    return [label, *view.grad.preview.splitlines(), *([reason] if reason else [])]


def _value_lines(view: VariableView, lang: str) -> list[str]:
    """A row's value, or why it has none yet (not refreshed, could not be shown)."""
    if view.state != "current":
        return [words.tell(lang, view.note)]
    return view.preview.splitlines()


def _cell(lines: list[str], width: int) -> list[str]:
    shown = [cut(line, width) for line in lines[:MAX_CELL_LINES]]
    if len(lines) > MAX_CELL_LINES:
        shown[-1] = cut("…", width)
    return shown


def variables_table(views: tuple[VariableView, ...], lang: str, width: int) -> list[str]:
    """The inspector as a table; value and gradient columns share the room left."""
    if not views:
        return [say(lang, "no-variables")]
    headers = [say(lang, f"col-{c}") for c in ("name", "kind", "shape", "dtype")]
    rows = [[v.name, v.kind, _shape_text(v.shape, lang), v.dtype or ""] for v in views]
    fixed = [
        max(display_width(h), *(display_width(r[i]) for r in rows)) for i, h in enumerate(headers)
    ]
    fixed = [min(w, 16) for w in fixed]
    gap = 2
    has_grad = any(v.grad is not None for v in views)
    room = max(width - sum(fixed) - gap * len(fixed), 8)
    value_width = room if not has_grad else max((room - gap) // 2, 3)
    grad_width = room - value_width - gap if has_grad else 0
    titles = [*headers, say(lang, "col-value")] + ([say(lang, "col-gradient")] if has_grad else [])
    widths = [*fixed, value_width] + ([grad_width] if has_grad else [])
    lines = [_row([[t] for t in titles], widths, gap)]
    lines.append(_row([["-" * w] for w in widths], widths, gap))
    for view, row in zip(views, rows, strict=True):
        columns = [[text] for text in row]
        columns.append(_cell(_value_lines(view, lang) or [""], value_width))
        if has_grad:
            columns.append(_cell(_gradient_text(view, lang), grad_width))
        lines.append(_row(columns, widths, gap))
    return [cut(line, width) for block in lines for line in block.split("\n")]


def _row(columns: list[list[str]], widths: list[int], gap: int) -> str:
    """Columns side by side; each may hold several lines."""
    height = max(len(c) for c in columns)
    out = []
    for i in range(height):
        parts = []
        for column, w in zip(columns, widths, strict=True):
            text = cut(column[i], w) if i < len(column) else ""
            parts.append(text + " " * (w - display_width(text)))
        out.append((" " * gap).join(parts).rstrip())
    return "\n".join(out)


def variable_detail(view: VariableView, lang: str, width: int) -> list[str]:
    """One variable in full: its one-line summary, its value, its gradient.

    No heatmap: box-drawing and shade characters are noise to a screen reader, and
    the summary line already says what a picture would (shape, dtype, min, max).
    """
    summary = words.tell(lang, view.summary)
    summary = summary or summarize_tensor(view.shape, view.dtype, view.matrix, lang)
    lines = [f"{view.name}: {view.kind}, {summary}"]
    lines += _value_lines(view, lang)
    if view.grad is not None:
        lines += ["", *_gradient_text(view, lang)]
    return lines
