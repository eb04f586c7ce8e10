"""The Textual tutor's flows, driven with Pilot over the real Session and a fake kernel."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fake_kernel import FakeKernel, timeout_result
from tui_course import make_app
from tui_pilot import log_text, ready, screen_text, submit, until

from tutor.kernel.protocol import CellResult, ErrorInfo, Gradient, Said, VariableView
from tutor.tui.screens.confirm import ConfirmScreen
from tutor.tui.screens.lesson_list import LessonListScreen
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.cell_log import CellLog
from tutor.tui.widgets.completion_menu import CompletionMenu
from tutor.tui.widgets.inspector import Inspector
from tutor.tui.widgets.lesson_pane import LessonText
from tutor.tui.widgets.question_card import QuestionCard
from tutor.tui.widgets.status_bar import StatusBar

SIZE = (140, 40)


async def test_first_frame_before_the_kernel_and_queued_cell_runs_when_ready() -> None:
    gate = asyncio.Event()
    app, kernel = make_app(FakeKernel(start_gate=gate))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.tutor_screen.session is not None)
        assert app.tutor_screen.kernel_status == "starting"
        assert "starting" in str(app.tutor_screen.query_one(StatusBar).render())
        await submit(pilot, "x = 1")
        await until(pilot, lambda: "queued" in log_text(app))
        assert kernel.cells == []
        gate.set()
        await until(pilot, lambda: kernel.cells == ["x = 1"])
        await until(pilot, lambda: "In [1]" in log_text(app))
        assert "queued" not in log_text(app)
        status = str(app.tutor_screen.query_one(StatusBar).render())
        assert "ready" in status and "2.21.0" in status and "strong" in status


async def test_inspector_shows_gradient_beside_its_variable() -> None:
    def script(code: str, count: int) -> CellResult:
        x = VariableView(
            "x",
            "Variable",
            (4,),
            "float32",
            "[0. 1. 2. 3.]",
            grad=Gradient(of="y", preview="[ 0.  4.  8. 12.]"),
        )
        return CellResult("ok", variables=(x,), execution_count=count)

    app, _ = make_app(FakeKernel(script))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "y = 2 * tf.tensordot(x, x, axes=1)")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: len(inspector.variables) == 1)
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "∂y/∂x" in line)
        assert "[ 0.  4.  8. 12.]" in line
        assert "(4,)" in line


async def test_learner_output_is_never_markup() -> None:
    def script(code: str, count: int) -> CellResult:
        return CellResult(
            "ok", stdout="[bold red]x[/] [link=http://a]b[/link]\n", execution_count=1
        )

    app, _ = make_app(FakeKernel(script))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "print('[bold red]x[/]')")
        await until(pilot, lambda: "[bold red]x[/] [link=http://a]b[/link]" in log_text(app))


async def test_enter_adds_a_line_to_an_incomplete_cell_and_ctrl_j_always_does() -> None:
    app, kernel = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.focus()
        await pilot.press(*"for i in range(3):")
        await pilot.press("enter")
        assert cell_input.text == "for i in range(3):\n    "
        await pilot.press(*"print(i)")
        await pilot.press("enter")  # still inside the block
        await pilot.press("enter")  # an empty line ends it
        await until(pilot, lambda: len(kernel.cells) == 1)
        assert kernel.cells[0] == "for i in range(3):\n    print(i)"
        await pilot.press(*"x = 1", "ctrl+j")
        assert cell_input.text == "x = 1\n"


async def test_history_up_and_down() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "a = 1")
        await submit(pilot, "b = 2")
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        await pilot.press(*"draft")
        await pilot.press("up")
        assert cell_input.text == "b = 2"
        await pilot.press("up")
        assert cell_input.text == "a = 1"
        await pilot.press("down", "down")
        assert cell_input.text == "draft"


async def test_tab_completes_one_match_and_lists_several() -> None:
    kernel = FakeKernel(completions={"tf.res": ["tf.reshape"], "x.s": ["x.shape", "x.sum"]})
    app, _ = make_app(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.focus()
        await pilot.press(*"y = tf.res", "tab")
        await until(pilot, lambda: cell_input.text == "y = tf.reshape")
        cell_input.load_text("")
        await pilot.press(*"x.s", "tab")
        menu = app.tutor_screen.query_one(CompletionMenu)
        await until(pilot, lambda: menu.has_class("-open"))
        assert menu.option_count == 2
        await pilot.press("down", "enter")
        await until(pilot, lambda: cell_input.text == "x.sum")
        assert cell_input.has_focus


async def test_exercise_fails_with_diagnosis_then_passes() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("f8")
        await until(pilot, lambda: app.tutor_screen.session.step_index == 1)  # type: ignore[union-attr]
        await submit(pilot, "A = tf.ones((5,))")
        await until(pilot, lambda: "Not yet" in log_text(app))
        assert "(5,)" in log_text(app) and "(2, 2)" in log_text(app)
        await submit(pilot, "A = tf.ones((2, 2))  # SOLVED")
        await until(pilot, lambda: "✓" in log_text(app))
        assert "F8" in log_text(app)  # the way on
        assert "passed" in screen_text(app)
        assert app.tutor_screen.session.step_index == 1  # type: ignore[union-attr]  # nothing advances by itself
        assert "✓ 1/2" in str(app.tutor_screen.query_one(StatusBar).render())


async def test_check_on_demand_and_hints_one_at_a_time() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("f8")
        await until(pilot, lambda: app.tutor_screen.session.step_index == 1)  # type: ignore[union-attr]
        await pilot.press("f4")
        await until(pilot, lambda: "Not yet" in log_text(app))
        await pilot.press("f3")
        await until(pilot, lambda: "Hint 1 of 2" in log_text(app))
        assert "Hint 2" not in log_text(app)
        await pilot.press("f3")
        await until(pilot, lambda: "Hint 2 of 2" in log_text(app))


async def test_solution_needs_confirmation_and_is_recorded() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("f8")
        await until(pilot, lambda: app.tutor_screen.session.step_index == 1)  # type: ignore[union-attr]
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        session = app.tutor_screen.session
        assert session is not None
        assert session.status_of("tensors", "make-a") is None
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        await until(pilot, lambda: "tf.ones((2, 2))" in cell_input.text)
        assert session.status_of("tensors", "make-a") == "revealed"


async def test_choice_question_answered_in_the_input_or_on_the_card() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("f8")
        await pilot.press("f8")
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await pilot.pause()
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        assert cell_input.has_focus  # a question does not take the focus
        await pilot.press("1", "enter")  # a bare number in the input answers
        await until(pilot, lambda: "✗" in log_text(app))
        assert "Not (a)" in log_text(app)
        card = app.tutor_screen.query_one(QuestionCard)
        await pilot.press("f6")  # the next stop after the input is the question
        assert card.has_focus
        await pilot.press("b")
        await until(pilot, lambda: "✓" in log_text(app))
        assert "P(S ∪ ∅)" in log_text(app)
        await pilot.press("escape")
        assert cell_input.has_focus


async def test_code_typed_on_a_question_step_goes_to_python() -> None:
    app, kernel = make_app(lesson="tensors")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("f8", "f8")
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await pilot.pause()
        await pilot.press(*"tf.ones((3, 2)) + tf.ones((3,))", "enter")
        await until(pilot, lambda: kernel.cells == ["tf.ones((3, 2)) + tf.ones((3,))"])
        session = app.tutor_screen.session
        assert session is not None and session.store is not None
        assert session.store.answers("tensors") == {}  # no digit was taken as an answer


async def test_a_question_card_focused_sends_other_keys_to_the_input() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("f8", "f8")
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await pilot.pause()
        app.tutor_screen.query_one(QuestionCard).focus()
        await pilot.press(*"x = 9")
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        assert cell_input.has_focus and cell_input.text == "x = 9"


async def test_number_question_typed() -> None:
    app, _ = make_app(lesson="derivatives")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.pause()
        await pilot.press("6", "enter")
        await until(pilot, lambda: "✓" in log_text(app))


async def test_lesson_list_jumps_and_marks() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen))
        assert "Derivatives" in screen_text(app)
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.tutor_screen.session.lesson.id == "derivatives")  # type: ignore[union-attr]
        await until(pilot, lambda: "Slopes" in screen_text(app))


async def test_timeout_is_told_plainly_and_replay_restores() -> None:
    def script(code: str, count: int) -> CellResult:
        if "forever" in code:
            return timeout_result(code, count)
        return CellResult("ok", execution_count=count)

    app, kernel = make_app(FakeKernel(script))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "a = 1")
        await until(pilot, lambda: len(kernel.cells) == 1)
        await submit(pilot, "while forever: pass")
        await until(pilot, lambda: "longer than the time limit" in log_text(app))
        assert "variables are gone" in log_text(app)
        assert app.tutor_screen.replay_offered
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "Replay: 1 ran" in log_text(app))
        assert kernel.cells[-1] == "a = 1"


async def test_ctrl_c_interrupts_a_running_cell() -> None:
    app, kernel = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "LONG = 1")
        await until(pilot, lambda: app.tutor_screen.kernel_status == "busy")
        # The input keeps taking keys while the cell runs.
        await pilot.press(*"z = 2")
        assert app.tutor_screen.query_one("#input", CellInput).text == "z = 2"
        await pilot.press("ctrl+c")
        await until(pilot, lambda: "Interrupted" in log_text(app))
        assert kernel.interrupts == 1


async def test_switch_pane_key_cycles_focus() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert isinstance(app.focused, CellInput)
        await pilot.press("f6")
        assert isinstance(app.focused, LessonText)
        await pilot.press("ctrl+o")
        assert isinstance(app.focused, Inspector)
        await pilot.press("shift+f6")
        assert isinstance(app.focused, LessonText)
        await pilot.press("escape")
        assert isinstance(app.focused, CellInput)


async def test_narrow_terminal_keeps_input_and_gradient_columns() -> None:
    def script(code: str, count: int) -> CellResult:
        x = VariableView(
            "x",
            "Variable",
            (4,),
            "float32",
            "[0. 1. 2. 3.]",
            grad=Gradient(of="y", preview="[0. 4. 8. 12.]"),
        )
        return CellResult("ok", variables=(x,), execution_count=count)

    app, _ = make_app(FakeKernel(script))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await submit(pilot, "y = 2 * tf.tensordot(x, x, axes=1)")
        await until(pilot, lambda: bool(app.tutor_screen.query_one(Inspector).variables))
        await pilot.pause()
        text = screen_text(app)
        assert "∂y/∂x" in text and "[0. 4. 8. 12.]" in text and "(4,)" in text
        region = app.tutor_screen.query_one("#input", CellInput).region
        assert region.height >= 3 and region.bottom <= 24


async def test_switch_language() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await app.run_action("switch_language")
        await pilot.pause()
        assert app.strings.lang == "zh"
        assert "张量" in screen_text(app)
        assert "内核" in str(app.tutor_screen.query_one(StatusBar).render())


async def test_palette_lists_tutor_commands() -> None:
    from tutor.tui.commands import tutor_commands

    app, kernel = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        titles = [title for title, _ in tutor_commands(app.tutor_screen)]
        for wanted in ("Show the next hint", "Restart the kernel", "Replay the lesson's cells"):
            assert wanted in titles
        assert "Go to lesson: 2 Derivatives" in titles
        await submit(pilot, "a = 1")  # a replay after the restart brings it back
        await until(pilot, lambda: len(kernel.cells) == 1)
        await pilot.press("ctrl+p")
        await pilot.press(*"restart")
        await pilot.press("enter")
        await until(pilot, lambda: "ctrl+r replays" in log_text(app))


@pytest.mark.parametrize("outcome", ["killed", "crashed"])
async def test_lost_kernel_outcomes_are_named(outcome: str) -> None:
    def script(code: str, count: int) -> CellResult:
        return CellResult.failed(outcome, "KernelDied", "the kernel process ended")  # type: ignore[arg-type]

    app, _ = make_app(FakeKernel(script))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "boom = 1")
        await until(pilot, lambda: "kernel process ended" in log_text(app))
        assert ("crashed" if outcome == "crashed" else "stopped") in log_text(app)


def matrix_script(code: str, count: int) -> CellResult:
    """Every cell binds a 5x4 matrix `A` (with the values a heatmap needs)."""
    matrix = tuple(tuple(float(4 * r + c) for c in range(4)) for r in range(5))
    preview = "[[ 0.  1.  2.  3.]\n ...\n [16. 17. 18. 19.]]"
    a = VariableView(
        "A",
        "Tensor",
        (5, 4),
        "float32",
        preview,
        summary="5x4 float32, min 0, max 19",
        matrix=matrix,
    )
    return CellResult("ok", variables=(a,), execution_count=count)


async def test_ctrl_t_draws_matrices_as_pictures_in_a_small_terminal() -> None:
    app, _ = make_app(FakeKernel(matrix_script))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        inspector = app.tutor_screen.query_one(Inspector)
        await submit(pilot, "A = tf.reshape(tf.range(20.0), (5, 4))")
        await until(pilot, lambda: bool(inspector.variables))
        await pilot.pause()
        # Off by default at 80x24, and the inspector says which key draws them.
        assert not inspector.showing_pictures
        assert "ctrl+t draws" in screen_text(app)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "┌" in screen_text(app))
        assert inspector.showing_pictures and "ctrl+t draws" not in screen_text(app)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "┌" not in screen_text(app))


async def test_a_wide_terminal_draws_pictures_with_their_summary() -> None:
    app, _ = make_app(FakeKernel(matrix_script))
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot, app)
        await submit(pilot, "A = tf.reshape(tf.range(20.0), (5, 4))")
        await until(pilot, lambda: "5x4 float32, min 0, max 19" in screen_text(app))
        assert "█" in screen_text(app)


async def test_typing_in_a_reading_pane_goes_to_the_input() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        for pane in (LessonText, Inspector, CellLog):
            cell_input = app.tutor_screen.query_one("#input", CellInput)
            cell_input.load_text("")
            app.tutor_screen.query_one(pane).focus()
            await pilot.pause()
            await pilot.press("x", "=", "1")
            assert cell_input.has_focus, pane
            assert cell_input.text == "x=1", pane


async def test_a_timeout_that_kept_the_names_does_not_offer_a_replay() -> None:
    def script(code: str, count: int) -> CellResult:
        if "forever" in code:
            error = ErrorInfo("TimeoutError", "The cell ran longer than 10 s. Your names are kept.")
            return CellResult("timeout", error=error, execution_count=count)
        return CellResult("ok", execution_count=count)

    app, kernel = make_app(FakeKernel(script))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "while forever: pass")
        await until(pilot, lambda: "Your names are kept" in log_text(app))
        assert "variables are gone" not in log_text(app)
        assert not app.tutor_screen.replay_offered
        assert kernel.restarts == 0


async def test_chinese_footer_and_status_have_no_english_left() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"language")
        await pilot.press("enter")
        await until(pilot, lambda: app.strings.lang == "zh")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "退出" in footer and "命令" in footer, footer
        assert "Quit" not in footer and "palette" not in footer
        bar = app.tutor_screen.query_one(StatusBar)
        bar.update_facts(kernel="restarting", detail=Said("kernel.status-timeout"))
        assert "运行超时" in str(bar.render())


async def test_a_new_lesson_clears_the_inspector_and_marks_the_log() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await submit(pilot, "X = tf.ones(4)")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: len(inspector.variables) == 1)
        app.tutor_screen.goto("derivatives")
        await until(pilot, lambda: len(inspector.variables) == 0)
        await until(pilot, lambda: "── 2 · Derivatives ──" in log_text(app))


async def test_a_damaged_progress_file_is_told_in_the_log(tmp_path: Path) -> None:
    from tutor.progress import ProgressStore

    damaged = tmp_path / "progress.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    store = ProgressStore.open(damaged)
    assert store.warning
    app, _ = make_app(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await until(pilot, lambda: "moved aside as" in log_text(app))


async def test_backspace_in_the_indentation_removes_one_level() -> None:
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.focus()
        await pilot.press(*"with t:", "enter", *"if a:", "enter")
        assert cell_input.text == "with t:\n    if a:\n        "
        await pilot.press("backspace")
        assert cell_input.text == "with t:\n    if a:\n    "
        await pilot.press(*"x", "backspace")  # a character: one backspace, one character
        assert cell_input.text == "with t:\n    if a:\n    "
        await pilot.press("backspace")
        assert cell_input.text == "with t:\n    if a:\n"


async def test_textual_palette_entries_speak_the_learners_language() -> None:
    app, _ = make_app(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["退出 tutor（进度已保存）", "保存屏幕截图（SVG）"]
        assert "Theme" not in titles  # the tutor's own theme entry is the one


async def test_keys_typed_before_highlighting_loads_keep_their_order() -> None:
    # Highlighting arrives after the first frame; the learner may already be typing.
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.focus()
        cell_input.language = None
        await pilot.press("x")
        cell_input._highlight()
        assert cell_input.language == "python"
        await pilot.press("space", "=", "space", "1")
        assert cell_input.text == "x = 1"
