"""Snapshots of the tutor at 80x24 and 120x40: a fake kernel, no cursor blink, no clock.

Update after an intended change: `uv run pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fake_kernel import FakeKernel
from textual.pilot import Pilot
from tui_course import make_app
from tui_pilot import ready, until

from tutor.kernel.protocol import CellResult, Gradient, VariableView
from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.question_card import QuestionCard

SIZES = [(80, 24), (120, 40)]


def gradient_script(code: str, count: int) -> CellResult:
    x = VariableView(
        "x", "Variable", (4,), "float32", "[0. 1. 2. 3.]", grad=Gradient("y", "[ 0.  4.  8. 12.]")
    )
    y = VariableView("y", "Tensor", (), "float32", "28.0")
    return CellResult("ok", variables=(x, y), execution_count=count)


def ran_cells(app: TutorApp, steps: int = 0) -> Callable[[Pilot[Any]], Any]:
    """Before the snapshot: kernel ready, `steps` steps on, two cells run, the cursor still."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot, app)
        for _ in range(steps):
            await pilot.press("f8")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.step_index == steps)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.cursor_blink = False
        for code in ("x = tf.Variable(tf.range(4, dtype=tf.float32))", "y = 2 * x @ x"):
            cell_input.load_text(code)
            await pilot.press("end", "enter")
        await until(pilot, lambda: bool(app.tutor_screen.query_one("#inspector").variables))  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_tutor_after_two_cells(snap_compare: Any, size: tuple[int, int]) -> None:
    app, _ = make_app(FakeKernel(gradient_script), lesson="tensors")
    assert snap_compare(app, terminal_size=size, run_before=ran_cells(app))


@pytest.mark.parametrize("size", SIZES)
def test_tutor_on_an_exercise(snap_compare: Any, size: tuple[int, int]) -> None:
    app, _ = make_app(FakeKernel(gradient_script), lesson="tensors")
    assert snap_compare(app, terminal_size=size, run_before=ran_cells(app, steps=1))


def matrix_script(code: str, count: int) -> CellResult:
    """A 5x4 matrix with its values (for the heatmap) and a Variable with its gradient."""
    matrix = tuple(tuple(float(4 * r + c) for c in range(4)) for r in range(5))
    preview = "\n".join(
        ("[" if r == 0 else " ") + "[" + " ".join(f"{4 * r + c:2d}." for c in range(4)) + "]"
        for r in range(5)
    )
    a = VariableView(
        "A",
        "Tensor",
        (5, 4),
        "float32",
        preview + "]",
        summary="5x4 float32, min 0, max 19",
        matrix=matrix,
    )
    return CellResult(
        "ok", variables=(a, *gradient_script(code, count).variables), execution_count=count
    )


@pytest.mark.parametrize("size", SIZES)
def test_tutor_with_a_matrix_picture(snap_compare: Any, size: tuple[int, int]) -> None:
    """Wide: the picture is drawn by default. Small: after ctrl+t, the inspector scrolled to it."""
    app, _ = make_app(FakeKernel(matrix_script), lesson="tensors")
    run_cells = ran_cells(app)

    async def run_before(pilot: Pilot[Any]) -> None:
        await run_cells(pilot)
        if size == (80, 24):
            await pilot.press("ctrl+t")
            await until(pilot, lambda: app.tutor_screen.query_one("#inspector").showing_pictures)  # type: ignore[attr-defined]
            app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def still(app: TutorApp) -> None:
    app.tutor_screen.query_one("#input", CellInput).cursor_blink = False


@pytest.mark.parametrize("size", SIZES)
def test_tutor_on_a_question_after_a_wrong_answer(snap_compare: Any, size: tuple[int, int]) -> None:
    """The question's card whole above the evaluator; the tried option struck out."""
    app, _ = make_app(FakeKernel(gradient_script), lesson="tensors")

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot, app)
        still(app)
        await pilot.press("f8", "f8")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.question is not None)
        await pilot.press("3", "enter")
        await until(pilot, lambda: bool(app.tutor_screen.query_one(QuestionCard).notes))
        for _ in range(3):
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_tutor_in_chinese_after_a_failed_check(snap_compare: Any, size: tuple[int, int]) -> None:
    """Chinese prompt, verdict and footer: lines filled, no stray space, Quit kept."""
    app, _ = make_app(FakeKernel(gradient_script), lang="zh", lesson="tensors")

    async def run_before(pilot: Pilot[Any]) -> None:
        await ready(pilot, app)
        still(app)
        await pilot.press("f8")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.exercise is not None)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.load_text("A = tf.zeros(5)")
        await pilot.press("end", "enter")
        await until(pilot, lambda: bool(app.tutor_screen.query_one(ExerciseCard).notes))
        for _ in range(3):
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
