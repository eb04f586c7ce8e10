"""The predict card in the Textual tutor: the code shown, a prediction typed, the truth beside it."""

from __future__ import annotations

from predict_course import BAD_ADD, BROADCAST, predict_course, predict_kernel
from textual.widgets import Static
from tui_pilot import log_text, plain_text, ready, screen_text, until

from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.question_card import QuestionCard


def make_app(lang: str = "en") -> TutorApp:
    kernel = predict_kernel()
    return TutorApp(
        lambda: Session(predict_course(lang), kernel, ProgressStore.in_memory()),
        lang=lang,
        course_loader=predict_course,
    )


def card_text(app: TutorApp, widget: str) -> str:
    """A part of the question card as plain text (wide, so nothing wraps)."""
    return plain_text(app.tutor_screen.query_one(QuestionCard).query_one(widget, Static).content)


async def test_a_prediction_is_typed_judged_and_shown_beside_tensorflow() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        await until(pilot, lambda: isinstance(app.focused, CellInput))  # the input keeps it
        assert "a + tf.ones((1, 4))" in card_text(app, "#question-body")
        assert "Type your prediction of the shape" in card_text(app, "#question-body")
        await pilot.press(*"4x3", "enter")
        await until(pilot, lambda: "TensorFlow:" in card_text(app, "#question-notes"))
        await until(pilot, lambda: "shape=(3, 4)" in card_text(app, "#question-notes"))
        assert "Not quite: you predicted (4, 3), but the shape is (3, 4)." in log_text(app)
        notes = card_text(app, "#question-notes")
        assert "You predicted: (4, 3)" in notes
        assert "(3, 1) and (1, 4) give (3, 4)." in log_text(app)  # the verdict, in the log
        session = app.tutor_screen.session
        assert session is not None and session.kernel.cells == [BROADCAST]  # type: ignore[attr-defined]
        await until(pilot, lambda: "In [1]" in log_text(app))  # the run is in the log too
        await pilot.press(*"3, 4", "enter")
        await until(pilot, lambda: "Right: the shape is (3, 4)." in log_text(app))
        assert session.status_of("broadcasting", "broadcast-shape") == "passed"


async def test_python_on_a_predict_step_runs_as_python() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        await until(pilot, lambda: isinstance(app.focused, CellInput))
        await pilot.press(*"tf.ones((3, 1)).shape", "enter")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.kernel.cells == ["tf.ones((3, 1)).shape"])  # type: ignore[attr-defined]
        assert card_text(app, "#question-notes").strip() == ""  # no verdict


async def test_the_chinese_card_at_80_by_24() -> None:
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        session = app.tutor_screen.session
        assert session is not None
        await pilot.press("f8")
        await until(pilot, lambda: session.step_index == 1)
        await until(pilot, lambda: isinstance(app.focused, CellInput))
        await pilot.press(*"报错", "enter")
        await until(pilot, lambda: "Incompatible shapes" in card_text(app, "#question-notes"))
        assert "预测正确：它会引发 InvalidArgumentError。" in log_text(app)
        assert "你的预测：   报错" in card_text(app, "#question-notes")
        assert session.kernel.cells == [BAD_ADD]  # type: ignore[attr-defined]
        assert "你的预测" in screen_text(app)  # the card is pinned: always in view
