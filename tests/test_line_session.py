"""`--plain` over the real Session with a fake kernel: commands, cells, checks, scripts."""

from __future__ import annotations

import io

from fake_kernel import FakeKernel
from line_course import make_tutor

from tutor.kernel.protocol import CellResult, Gradient, VariableView
from tutor.line.script import run_script


async def script(text: str, **kwargs: object) -> tuple[int, str, FakeKernel]:
    tutor, kernel, out = make_tutor(**kwargs)  # type: ignore[arg-type]
    status = await run_script(tutor, io.StringIO(text))
    return status, out.getvalue(), kernel


async def test_cells_run_and_vars_shows_the_snapshot() -> None:
    status, out, kernel = await script("x = tf.range(4)\n:vars\n")
    assert status == 0
    assert kernel.cells == ["x = tf.range(4)"]
    assert "name  kind    shape  dtype    value" in out
    assert "x     Tensor  (4,)   float32  [0. 1. 2. 3.]" in out


async def test_a_failed_check_makes_the_script_fail() -> None:
    status, out, kernel = await script(":goto tensors 2\nA = tf.zeros(5)\n:check\n")
    assert status == 1
    assert "Check: not yet." in out and "`A` has shape (5,)" in out
    assert kernel.checks  # the session asked the kernel, not the frontend


async def test_a_passing_check_exits_zero() -> None:
    status, out, _ = await script(":goto tensors 2\nA = tf.ones((2, 2))  # SOLVED\n:check\n")
    assert status == 0
    assert out.count("Check passed.") == 2  # once when A was bound, once for :check


async def test_moving_between_steps_and_lessons() -> None:
    status, out, _ = await script(":next\n:next\n:next\n:next\n:prev\n:lessons\n")
    assert status == 0
    assert "Lesson 1 of 2: Tensors - step 2 of 3: A matrix" in out
    assert "Lesson 2 of 2: Derivatives - step 1 of 1: Slopes" in out
    assert "This is the last step of the course." in out
    assert "  1. tensors" in out and "<- you are here" in out


async def test_questions_take_a_bare_number_or_answer() -> None:
    _, out, kernel = await script(":goto tensors 3\n1\n:answer 2\n(2)\n")
    assert "Not (a) 1. Try another option." in out and "Correct." in out
    assert "P(S) = P(S ∪ ∅)" in out  # the explanation after a right answer
    assert kernel.cells == ["(2)"]  # only the parenthesised one ran as Python


async def test_hints_one_at_a_time_then_none() -> None:
    _, out, _ = await script(":goto tensors 2\n:hint\n:hint\n:hint\n")
    assert "Hint 1: Use `tf.ones`." in out
    assert "Hint 2: Its shape is (2, 2)." in out
    assert "No more hints for this step." in out


async def test_solution_is_shown_and_recorded() -> None:
    tutor, _, out = make_tutor(lesson="tensors")
    await tutor.handle(":goto tensors 2")
    await tutor.handle(":solution")
    assert "    A = tf.ones((2, 2))" in out.getvalue()
    assert tutor.session.status_of("tensors", "make-a") == "revealed"


async def test_declined_solution_is_not_recorded() -> None:
    tutor, _, out = make_tutor()
    await tutor.handle(":goto tensors 2")

    async def no(question: str, default: bool = False) -> bool:
        return False

    tutor.set_confirm(no)
    await tutor.handle(":solution")
    assert "Solution not shown." in out.getvalue()
    assert tutor.session.status_of("tensors", "make-a") is None


async def test_unknown_commands_get_a_suggestion() -> None:
    _, out, _ = await script(":chekc\n:gto tensors\n")
    assert "Unknown command :chekc." in out and "Did you mean :check?" in out
    assert "Did you mean :goto?" in out


async def test_language_switch_reloads_the_lesson_in_chinese() -> None:
    _, out, _ = await script(":lang zh\n:hint\n:lang xx\n")
    assert "语言：简体中文。" in out
    assert "第 1 课（共 2 课）：张量" in out
    assert "这一步没有提示。" in out  # the tutor's own words follow the language
    assert "用法：:lang en|zh" in out


async def test_gradients_appear_in_vars() -> None:
    def with_gradient(code: str, count: int) -> CellResult:
        x = VariableView(
            "x", "Variable", (4,), "float32", "[0. 1. 2. 3.]", grad=Gradient("y", "[0. 4. 8. 12.]")
        )
        return CellResult("ok", variables=(x, VariableView("y", "Tensor", (), "float32", "28.0")))

    _, out, _ = await script(
        "y = 1\n:vars\n:vars x\n:vars nope\n", kernel=FakeKernel(with_gradient)
    )
    assert "dy/dx =" in out and "[0. 4. 8. 12.]" in out
    assert "x: Variable, 4 float32" in out
    assert "No variable 'nope'" in out


async def test_restart_offers_a_replay() -> None:
    tutor, kernel, out = make_tutor()
    await tutor.handle("x = tf.range(4)")
    await tutor.handle(":restart")
    await tutor.handle(":replay")
    text = out.getvalue()
    assert "A fresh kernel" in text and ":replay re-runs your 1 earlier cell of" in text
    assert "Replayed 1 cell (0 failed, 0 skipped)." in text
    assert kernel.restarts == 1 and kernel.cells == ["x = tf.range(4)", "x = tf.range(4)"]


async def test_quit_stops_the_script() -> None:
    _, _, kernel = await script("a = 1\n:quit\nb = 2\n")
    assert kernel.cells == ["a = 1"]
