"""Predict questions in `--plain`: typed bare or with :answer, judged, then run beside the prediction."""

from __future__ import annotations

import io

from predict_course import BROADCAST, predict_course, predict_kernel
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tutor.line.line_tutor import LineTutor
from tutor.line.script import run_script
from tutor.progress.store import ProgressStore
from tutor.session import Session


def make_tutor(lang: str = "en") -> tuple[LineTutor, io.StringIO, Session]:
    kernel = predict_kernel()
    session = Session(predict_course(lang), kernel, ProgressStore.in_memory())
    out = io.StringIO()
    return LineTutor(session, out, width=80, load_course=predict_course), out, session


async def script(text: str, lang: str = "en") -> tuple[str, Session]:
    tutor, out, session = make_tutor(lang)
    await run_script(tutor, io.StringIO(text))
    return out.getvalue(), session


async def test_the_step_shows_the_code_and_how_to_answer() -> None:
    out, _ = await script(":step\n")
    assert "    a = tf.ones((3, 1))\n    a + tf.ones((1, 4))\n" in out
    assert "Type your prediction of the shape, e.g. (3, 4)" in out
    assert ":answer PREDICTION" in out


async def test_a_wrong_prediction_then_the_truth_beside_it() -> None:
    out, session = await script("4x3\n")
    assert "Not quite: you predicted (4, 3), but the shape is (3, 4)." in out
    assert "You predicted: (4, 3)\nTensorFlow:    <tf.Tensor: shape=(3, 4)" in out
    assert "               array([[2., 2., 2., 2.]," in out  # continuation lines aligned
    assert "(3, 1) and (1, 4) give (3, 4)." in out  # the explanation comes with the truth
    assert session.kernel.cells == [BROADCAST]  # type: ignore[attr-defined]
    assert session.status_of("broadcasting", "broadcast-shape") == "attempted"


async def test_a_right_prediction_with_answer_and_python_left_alone() -> None:
    out, session = await script("a.shape\n:answer (3, 4)\n")
    assert "Right: the shape is (3, 4)." in out
    assert session.kernel.cells == ["a.shape", BROADCAST]  # type: ignore[attr-defined]
    assert session.status_of("broadcasting", "broadcast-shape") == "passed"


async def test_an_unreadable_prediction_runs_nothing_and_counts_nothing() -> None:
    out, session = await script(":answer wide\n")
    assert 'I cannot read "wide" as a shape.' in out
    assert session.kernel.cells == []  # type: ignore[attr-defined]
    assert session.status_of("broadcasting", "broadcast-shape") is None


async def test_an_error_predicted_in_chinese() -> None:
    out, _ = await script(":next\n报错\n", lang="zh")
    assert "预测正确：它会引发 InvalidArgumentError。" in out
    assert "你的预测：   报错" in out and "InvalidArgumentError: Incompatible shapes" in out


async def test_the_interactive_prompt_takes_a_prediction() -> None:
    from tutor.line.interactive import run_interactive

    tutor, out, _ = make_tutor()
    with create_pipe_input() as pipe:
        pipe.send_text("(3, 4)\r:quit\r")
        await run_interactive(tutor, input=pipe, output=DummyOutput())
    assert "Right: the shape is (3, 4)." in out.getvalue()
