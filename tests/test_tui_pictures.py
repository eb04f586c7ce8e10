"""The inspector's pictures (heatmaps) and the tutor's own prose, tested as pure functions."""

from __future__ import annotations

from tui_pilot import plain_text

from tutor.kernel.protocol import CellResult, Gradient, Said, VariableView
from tutor.session import names_lost_by as kernel_lost
from tutor.tui.inspector_picture import picture_layout, value_with_picture
from tutor.tui.inspector_table import inspector_table
from tutor.tui.prose import prose_text
from tutor.tui.strings import strings_for
from tutor.tui.widgets.status_bar import status_detail

MATRIX = tuple(tuple(float(4 * r + c) for c in range(4)) for r in range(5))
PREVIEW = (
    "\n".join(
        ("[" if r == 0 else " ") + "[" + " ".join(f"{4 * r + c:2d}." for c in range(4)) + "]"
        for r in range(5)
    )
    + "]"
)
A = VariableView(
    "A", "Tensor", (5, 4), "float32", PREVIEW, summary="5x4 float32, min 0, max 19", matrix=MATRIX
)
X = VariableView(
    "x", "Variable", (4,), "float32", "[0. 1. 2. 3.]", grad=Gradient("y", "[0. 4. 8. 12.]")
)

ZH = strings_for("zh")


def lines_of(renderable: object, width: int) -> list[str]:
    return [line.rstrip() for line in plain_text(renderable, width=width).splitlines()]


def frame_rows(lines: list[str]) -> list[str]:
    """The picture's rows between its borders, wherever they are on the lines."""
    rows = []
    for line in lines:
        if "│" in line:
            start = line.index("│")
            rows.append(line[start : line.index("│", start + 1) + 1])
    return rows


def test_the_picture_sits_beside_the_numbers_when_both_fit() -> None:
    beside, width = picture_layout(A, 40)
    assert beside and width == 2 * 4 + 2
    lines = lines_of(value_with_picture(A, 40, "en"), 40)
    assert "[[ 0.  1.  2.  3.]" in lines[0] and "┌" in lines[0]
    # Low values light, high values dark: the first row starts blank, the last ends full.
    rows = frame_rows(lines)
    assert len(rows) == 5
    assert rows[0].startswith("│  ") and rows[-1].endswith("██│")
    assert lines[-1] == "5x4 float32, min 0, max 19"
    assert any("[ ░▒▓█]" in line for line in lines)


def test_the_picture_goes_under_the_numbers_when_the_cell_is_narrow() -> None:
    beside, _ = picture_layout(A, 24)
    assert not beside
    lines = lines_of(value_with_picture(A, 24, "en"), 24)
    top = next(i for i, line in enumerate(lines) if line.startswith("┌"))
    assert top == 5  # after the five rows of numbers
    assert all(len(line) <= 24 for line in lines)


def test_a_preview_wider_than_the_cell_gives_way_to_the_picture_and_its_summary() -> None:
    wide_rows = tuple(tuple(float(30 * r + c) for c in range(30)) for r in range(20))
    preview = "[[  0.   1.   2. ...  27.  28.  29.]\n ...\n [570. 571. 572. ... 597. 598. 599.]]"
    wide = VariableView("big", "Tensor", (20, 30), "float32", preview, matrix=wide_rows)
    lines = lines_of(value_with_picture(wide, 30, "zh"), 30)
    assert not any("[[" in line or "..." in line for line in lines)  # no folded rows
    assert lines[0].startswith("┌") and all(len(line) <= 30 for line in lines)
    summary = " ".join(lines[-2:])  # wrapped at 30 cells
    assert "20x30 float32，最小 0.0，最大 599.0" in summary


def test_a_picture_summary_is_made_when_the_kernel_sent_none() -> None:
    quiet = VariableView("B", "Tensor", (5, 4), "float32", PREVIEW, matrix=MATRIX)
    text = "\n".join(lines_of(value_with_picture(quiet, 40, "en"), 40))
    assert "5x4 float32, min 0.0, max 19.0" in text


def test_the_table_draws_pictures_only_when_asked() -> None:
    for width in (33, 34, 47, 60, 100):
        off = "\n".join(lines_of(inspector_table([A, X], width), width))
        on_lines = lines_of(inspector_table([A, X], width, pictures=True), width)
        assert "█" not in off and "┌" not in off
        assert "█" in "\n".join(on_lines), width
        # The picture is never cut or wrapped: five whole rows of blocks.
        rows = frame_rows(on_lines)
        assert len(rows) == 5 and len({len(row) for row in rows}) == 1, (width, on_lines)
        assert sum("┌" in line and line.endswith("┐") for line in on_lines) == 1, on_lines
        assert all(len(line) <= width for line in on_lines)
        assert "∂y/∂x" in "\n".join(on_lines)


def test_status_details_speak_the_learners_language() -> None:
    """The kernel client sends ids; the status bar says them (no sentence parsing)."""
    assert status_detail(Said("kernel.status-loading"), "zh") == "正在加载 TensorFlow"
    assert status_detail(Said("kernel.status-timeout"), "zh") == "运行超时之后"
    assert status_detail(Said("kernel.status-timeout"), "en") == "after a time-out"
    assert status_detail(None, "en") == ""
    gave_up = status_detail(Said("kernel.status-gave-up", {"n": 5}), "zh")
    assert "5" in gave_up and "连续停止" in gave_up
    error = Said("kernel.status-error", {"text": "no such file: /x"})
    assert status_detail(error, "zh") == "no such file: /x"
    for msgid in ("kernel.status-had-stopped", "kernel.status-crashed", "kernel.status-closed"):
        assert status_detail(Said(msgid), "zh") != status_detail(Said(msgid), "en")


def test_prose_reflows_and_styles_code_without_backticks() -> None:
    text = prose_text("Use\n`tf.cast` here.\n\nA new paragraph.")
    assert text.plain == "Use tf.cast here.\n\nA new paragraph."
    assert any(span.style == "bold" for span in text.spans)
    assert prose_text("[red]x[/red] `a`").plain == "[red]x[/red] a"
    assert prose_text("P(B \\| A) is `a \\| b`").plain == "P(B | A) is a \\| b"


def test_a_kernel_is_lost_only_when_the_supervisor_made_the_result() -> None:
    assert kernel_lost(CellResult.failed("timeout", "TimeoutError", "restarted"))
    assert not kernel_lost(CellResult("timeout", execution_count=3))
    assert not kernel_lost(CellResult("interrupted", execution_count=3))
    assert kernel_lost(CellResult.failed("interrupted", "KeyboardInterrupt", "restarted"))
    assert not kernel_lost(CellResult("error", execution_count=0))
