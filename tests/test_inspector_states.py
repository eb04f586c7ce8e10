"""Rows "not refreshed" and "could not be shown", and the gradients' labels, in both
frontends (the real Session over a fake kernel: what is shown is the UI's business)."""

from __future__ import annotations

import io

from fake_kernel import FakeKernel
from line_course import make_tutor
from tui_course import make_app
from tui_pilot import until

from tutor.kernel.protocol import CellResult, Gradient, Said, VariableView
from tutor.line.result_text import variables_table
from tutor.line.script import run_script
from tutor.tui.inspector_table import gradient_text
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.inspector import Inspector

# As the kernel sends them: no value, and why in words to say (the frontend says them).
STALE = VariableView(
    "big", "Tensor", (4000, 4000), "float32", "", state="stale", note=Said("kernel.inspector-stale")
)
FAILED = VariableView(
    "odd",
    "Variable",
    None,
    None,
    "",
    state="failed",
    note=Said("kernel.inspector-failed", {"note": "KeyboardInterrupt"}),
)


def stale_script(code: str, count: int) -> CellResult:
    return CellResult("ok", variables=(STALE, FAILED), execution_count=count)


async def test_the_tui_inspector_fills_in_rows_not_refreshed() -> None:
    app, kernel = make_app(FakeKernel(script=stale_script))
    async with app.run_test(size=(140, 40)) as pilot:
        inspector = app.screen.query_one(Inspector)
        cell_input = app.screen.query_one("#input", CellInput)
        cell_input.focus()
        cell_input.load_text("big = tf.ones((4000, 4000))")
        cell_input.move_cursor(cell_input.document.end)
        await pilot.press("enter")
        await until(pilot, lambda: bool(kernel.refreshed))
        assert kernel.refreshed == [["big"]]  # only the row not refreshed; not the failed one
        await until(pilot, lambda: inspector.variables[0].state == "current")
        assert inspector.variables[0].preview == "[0. 1. 2. 3.]"
        assert inspector.variables[1].state == "failed"


async def test_vars_in_line_mode_fills_in_rows_not_refreshed() -> None:
    tutor, kernel, out = make_tutor(kernel=FakeKernel(script=stale_script))
    await run_script(tutor, io.StringIO("big = tf.ones((4000, 4000))\n:vars\n"))
    assert kernel.refreshed == [["big"]]
    text = out.getvalue()
    assert "[0. 1. 2. 3.]" in text and "could not be shown (KeyboardInterrupt)" in text


def test_gradient_labels_say_whose_gradient_it_is() -> None:
    auto = Gradient("y", "[0. 4.]", (2,), source="tutor", label="auto ∂y/∂x")
    tape = Gradient(
        "y2", "None", None, source="tape", label="t.gradient(y2, x) =", reason="never watched x"
    )
    x = VariableView("x", "Variable", (2,), "float32", "[0. 1.]", grad=auto)
    assert gradient_text(x, stacked=False).plain == "auto ∂y/∂x [0. 4.]"
    x = VariableView("x", "Variable", (2,), "float32", "[0. 1.]", grad=tape)
    assert gradient_text(x, stacked=False).plain == "t.gradient(y2, x) = None\nnever watched x"
    lines = "\n".join(variables_table((x,), "en", 120))
    assert "t.gradient(y2, x) =" in lines and "None" in lines and "never watched x" in lines
