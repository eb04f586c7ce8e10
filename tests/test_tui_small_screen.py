"""The tutor at 80x24 as a learner meets it: the task in view, the input in charge.

Pilot over the real Session with a fake kernel (the behaviour is the UI's own).
"""

from __future__ import annotations

import pytest
from fake_kernel import FakeKernel
from textual.pilot import Pilot
from textual.widget import Widget
from tui_course import make_app
from tui_pilot import ready, screen_text, until

from tutor.curriculum.loader import load_course
from tutor.kernel.protocol import CellResult, VariableView
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.screens.lesson_end import LessonEndScreen
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.cell_log import CellLog
from tutor.tui.widgets.exercise_card import ExerciseCard
from tutor.tui.widgets.inspector import Inspector
from tutor.tui.widgets.lesson_pane import LessonPane, LessonText
from tutor.tui.widgets.question_card import QuestionCard

SMALL = (80, 24)


async def settled(pilot: Pilot[int]) -> None:
    """Let the step's Markdown render and the panes fit it."""
    for _ in range(4):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()


def course_app(lang: str, lesson: str) -> TutorApp:
    return TutorApp(
        lambda: Session(load_course(lang), FakeKernel(), ProgressStore.in_memory(), lesson=lesson),
        lang=lang,
        course_loader=load_course,
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
async def test_every_task_of_the_course_is_shown_whole_at_80x24() -> None:
    """Each exercise and question of every lesson, in both languages: the card's last
    line is on screen inside the lesson pane, the input below it, and it has the focus."""
    for lang in ("en", "zh"):
        course = load_course(lang)
        app = course_app(lang, course.lessons[0].id)
        async with app.run_test(size=SMALL) as pilot:
            await ready(pilot, app)
            screen = app.tutor_screen
            for lesson in course.lessons:
                for index, step in enumerate(lesson.steps):
                    if step.exercise is None and step.question is None:
                        continue
                    screen.goto(lesson.id, index)
                    session = screen.session
                    assert session is not None

                    def there(
                        session: Session = session, lesson_id: str = lesson.id, step: int = index
                    ) -> bool:
                        return session.lesson.id == lesson_id and session.step_index == step

                    await until(pilot, there)
                    card = screen.query_one(ExerciseCard if step.exercise else QuestionCard)
                    pane = screen.query_one(LessonPane)
                    where = f"{lang} {lesson.id} step {index + 1}"

                    def whole(card: Widget = card, pane: Widget = pane) -> bool:
                        return card.region.height >= 3 and pane.region.contains_region(card.region)

                    try:
                        await until(pilot, whole, cap=5.0)
                    except AssertionError:
                        message = f"{where}: the card is cut\n{screen_text(app)}"
                        raise AssertionError(message) from None
                    cell_input = screen.query_one("#input", CellInput)
                    assert cell_input.has_focus, where
                    assert cell_input.region.bottom <= SMALL[1] - 2, where


@pytest.mark.slow
async def test_escape_returns_to_the_input_from_everywhere() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await pilot.press("f8", "f8")  # the question step
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await settled(pilot)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        stops = []
        for _ in range(5):
            await pilot.press("f6")
            stops.append(type(app.focused).__name__)
            focused = app.focused
            await pilot.press("escape")
            assert cell_input.has_focus, focused
            for _ in range(len(stops)):
                await pilot.press("f6")
        assert stops[:4] == ["QuestionCard", "LessonText", "Inspector", "CellLog"]


async def test_where_the_focus_is_shows_on_the_border() -> None:
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        app.tutor_screen.query_one(LessonText).focus()
        await pilot.pause()
        accent = app.current_theme.accent
        assert accent is not None
        lesson = app.tutor_screen.query_one(LessonPane)
        evaluator = app.tutor_screen.query_one("#evaluator")
        assert lesson.styles.border_top[1] != evaluator.styles.border_top[1]


async def test_an_example_with_an_indented_last_line_runs_on_one_enter() -> None:
    app, kernel = make_app(lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        session = app.tutor_screen.session
        assert session is not None
        block = "for i in range(3):\n    x = i"
        object.__setattr__(session.step.examples[0], "code", block)
        await pilot.press("f5")
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        await until(pilot, lambda: cell_input.text == block)
        await pilot.press("enter")
        await until(pilot, lambda: kernel.cells == [block])
        assert cell_input.text == ""


async def test_typed_code_then_enter_on_an_example_still_needs_the_empty_line() -> None:
    app, kernel = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        await pilot.press(*"for i in range(3):", "enter", *"x = i", "enter")
        assert kernel.cells == [] and cell_input.text.startswith("for i")


@pytest.mark.slow
async def test_the_log_stays_at_its_end_when_the_window_shrinks() -> None:
    app, _ = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        for n in range(12):
            cell_input.load_text(f"print({n})\nv{n} = {n}")
            cell_input.move_cursor(cell_input.document.end)
            await pilot.press("enter")
        log_view = app.tutor_screen.query_one(CellLog)
        await until(pilot, lambda: len(log_view.children) == 12)
        await pilot.resize_terminal(80, 24)
        await settled(pilot)
        await until(pilot, lambda: log_view.scroll_y >= log_view.max_scroll_y - 1)
        assert log_view.max_scroll_y > 0
        assert "v11 = 11" in screen_text(app)


@pytest.mark.slow
async def test_page_keys_in_the_input_scroll_the_log() -> None:
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        for n in range(10):
            cell_input.load_text(f"w{n} = {n}")
            await pilot.press("end", "enter")
        log_view = app.tutor_screen.query_one(CellLog)
        await until(pilot, lambda: len(log_view.children) == 10)
        await settled(pilot)
        bottom = log_view.scroll_y
        await pilot.press("pageup")
        await until(pilot, lambda: log_view.scroll_y < bottom)
        assert cell_input.has_focus


def two_names(code: str, count: int) -> CellResult:
    names = ["a", "b", "lt", "z"] if "lt" in code else ["a", "b", "z"]
    views = tuple(VariableView(n, "Tensor", (2,), "float32", f"[{count}. 0.]") for n in names)
    if "lt" in code:  # only lt changed: the others keep their value from the first cell
        views = tuple(
            VariableView(v.name, v.kind, v.shape, v.dtype, "[1. 0.]") if v.name != "lt" else v
            for v in views
        )
    return CellResult("ok", variables=views, execution_count=count)


async def test_the_inspector_lists_what_the_last_cell_changed_first() -> None:
    app, _ = make_app(FakeKernel(two_names))
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        inspector = app.tutor_screen.query_one(Inspector)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.load_text("a = b = z = tf.ones(2)")
        await pilot.press("end", "enter")
        await until(pilot, lambda: len(inspector.variables) == 3)
        cell_input.load_text("lt = a < b")
        await pilot.press("end", "enter")
        await until(pilot, lambda: len(inspector.variables) == 4)
        assert [v.name for v in inspector.variables] == ["lt", "a", "b", "z"]
        await pilot.pause()
        text = screen_text(app)
        assert text.index("lt  (2,)") < text.index("a  (2,)")


def wide_matrix(code: str, count: int) -> CellResult:
    rows = "\n".join(
        ("[[" if r == 0 else " [") + " ".join(f"{10 * r + c:4d}." for c in range(6)) + "]"
        for r in range(3)
    )
    view = VariableView(
        "W", "Tensor", (3, 6), "float32", rows + "]", summary="3x6 float32, min 0, max 25"
    )
    return CellResult("ok", variables=(view,), execution_count=count)


async def test_a_matrix_too_wide_for_the_inspector_is_summarised_not_folded() -> None:
    app, _ = make_app(FakeKernel(wide_matrix))
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.load_text("W = tf.reshape(tf.range(18.0), (3, 6))")
        await pilot.press("end", "enter")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: bool(inspector.variables))
        await pilot.pause()
        text = screen_text(app)
        assert "3x6 float32, min 0, max 25" in text
        assert "[[   0." not in text  # no row of it, folded or not
    app, _ = make_app(FakeKernel(wide_matrix))
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.load_text("W = tf.reshape(tf.range(18.0), (3, 6))")
        await pilot.press("end", "enter")
        await until(pilot, lambda: "[[   0." in screen_text(app))
        rows = [line for line in screen_text(app).splitlines() if "  20." in line]
        assert rows and "25.]]" in rows[-1]  # the last row whole, on its own line


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_footer_keeps_quit_on_an_exercise_step(lang: str) -> None:
    app, _ = make_app(lang=lang, lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await pilot.press("f8")
        await until(pilot, lambda: app.tutor_screen.session.exercise is not None)  # type: ignore[union-attr]
        await settled(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert f"^q {app.strings.key_quit}" in footer and "F4" in footer, footer


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_footer_keeps_quit_when_every_key_applies(lang: str) -> None:
    """An exercise step with an example and a replay on offer: the least needed keys
    give way (they stay in F1's list), never Quit or the palette."""
    course = load_course(lang)
    lesson = course.lesson("probability")
    assert lesson is not None
    step = next(i for i, s in enumerate(lesson.steps) if s.exercise and s.examples)
    app = course_app(lang, "probability")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        app.tutor_screen.goto("probability", step)
        await until(pilot, lambda: app.tutor_screen.session.step_index == step)  # type: ignore[union-attr]
        session = app.tutor_screen.session
        assert session is not None and session.store is not None
        # a cell of this lesson ran before the kernel restarts: a replay is on offer
        session.store.record_cell("probability", "a = 1", outcome="ok", elapsed_ms=1.0)
        app.tutor_screen.action_restart()
        await until(pilot, lambda: app.tutor_screen.replay_offered)
        app.tutor_screen.lay_out()
        await settled(pilot)
        footer = screen_text(app).splitlines()[-1]
        quit_words = app.strings.key_quit
        assert f"^q {quit_words}" in footer and "^p" in footer and "F4" in footer, footer


async def test_f3_on_a_question_shows_its_hint_on_the_card() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await pilot.press("f8", "f8")
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await settled(pilot)
        await pilot.press("f3")
        card = app.tutor_screen.query_one(QuestionCard)
        await until(pilot, lambda: bool(card.notes))
        await settled(pilot)
        assert "S and S ∪ ∅ are the same event." in screen_text(app)


async def test_f3_on_a_question_without_hints_says_so() -> None:
    app, _ = make_app(lesson="derivatives")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await settled(pilot)
        await pilot.press("f3")
        card = app.tutor_screen.query_one(QuestionCard)
        await until(pilot, lambda: bool(card.notes))
        await settled(pilot)
        assert "No hint for this one" in screen_text(app)


async def test_a_wrong_option_is_named_struck_out_and_a_hint_offered() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        await pilot.press("f8", "f8")
        await until(pilot, lambda: app.tutor_screen.session.question is not None)  # type: ignore[union-attr]
        await settled(pilot)
        await pilot.press("3", "enter")
        card = app.tutor_screen.query_one(QuestionCard)
        await until(pilot, lambda: bool(card.notes))
        await settled(pilot)
        text = screen_text(app)
        assert "✗ Not (c) it is undefined. Try another option. F3 gives a hint." in text
        assert "it is undefined ✗" in text  # the option itself is marked as tried


async def test_a_lesson_ends_with_its_summary_and_asks_before_the_next() -> None:
    app, _ = make_app(lesson="tensors")
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        session = app.tutor_screen.session
        assert session is not None
        await pilot.press("f8", "f8")
        await until(pilot, lambda: session.question is not None)
        await pilot.press("f3")
        await pilot.press("2", "enter")  # right
        await pilot.press("f8")  # the last step: the summary, not the next lesson
        await until(pilot, lambda: isinstance(app.screen, LessonEndScreen))
        text = screen_text(app)
        assert "End of lesson 1 · Tensors" in text
        assert "1 of 2 exercises and questions passed." in text
        assert "1 hint used." in text
        assert "Go on to lesson 2 · Derivatives?" in text
        await pilot.press("escape")  # stay
        await until(pilot, lambda: not isinstance(app.screen, LessonEndScreen))
        assert session.lesson.id == "tensors"
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, LessonEndScreen))
        await pilot.press("enter")  # go on
        await until(pilot, lambda: session.lesson.id == "derivatives")


async def test_a_restarting_kernel_empties_the_inspector() -> None:
    app, _ = make_app(FakeKernel(two_names))
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        cell_input.load_text("a = b = z = tf.ones(2)")
        await pilot.press("end", "enter")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: len(inspector.variables) == 3)
        kernel = app.tutor_screen.session.kernel  # type: ignore[union-attr]
        kernel._set("restarting", "crashed")  # type: ignore[attr-defined]
        await until(pilot, lambda: not inspector.variables)
        await pilot.resize_terminal(100, 30)
        await settled(pilot)
        assert "a  (2,)" not in screen_text(app)


async def test_a_long_explanation_never_pushes_the_input_off_a_small_screen() -> None:
    course = load_course("en")
    lesson, index = next(
        (lesson, i)
        for lesson in course.lessons
        for i, s in enumerate(lesson.steps)
        if s.question and s.question.kind == "choice" and len(s.question.explanation) > 120
    )
    question = lesson.steps[index].question
    assert question is not None
    app = course_app("en", lesson.id)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot, app)
        app.tutor_screen.goto(lesson.id, index)
        await until(pilot, lambda: app.tutor_screen.session.step_index == index)  # type: ignore[union-attr]
        await settled(pilot)
        await pilot.press(str(int(question.answer) + 1), "enter")
        card = app.tutor_screen.query_one(QuestionCard)
        await until(pilot, lambda: bool(card.notes))
        await settled(pilot)
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        assert cell_input.region.bottom <= SMALL[1] - 2 and cell_input.region.height >= 3
        assert app.tutor_screen.query_one(LessonPane).region.contains_region(card.region)
        text = screen_text(app)
        assert "✓" in text and question.prompt.split()[0] in text
