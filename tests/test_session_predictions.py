"""The session judges a prediction by the stored answer, then runs the code for the learner."""

from __future__ import annotations

from predict_course import BAD_ADD, BROADCAST, predict_course, predict_kernel
from sample_course import sample_course

from tutor.progress.store import ProgressStore
from tutor.session import Session


def make_session(lang: str = "en") -> Session:
    return Session(predict_course(lang), predict_kernel(), ProgressStore.in_memory())


async def test_the_verdict_comes_from_the_stored_answer_not_the_kernel() -> None:
    session = make_session()
    verdict = session.answer("(3, 4)")
    assert verdict.correct and verdict.feedback == "Right: the shape is (3, 4)."
    assert verdict.prediction is not None
    assert (verdict.prediction.predicted, verdict.prediction.truth) == ("(3, 4)", "(3, 4)")
    assert verdict.explanation == "(3, 1) and (1, 4) give (3, 4)."
    assert session.kernel.cells == []  # type: ignore[attr-defined]  # nothing ran to judge it
    assert session.status_of("broadcasting", "broadcast-shape") == "passed"


async def test_a_wrong_prediction_is_recorded_and_still_explained() -> None:
    session = make_session("zh")
    verdict = session.answer("（4，3）")
    assert not verdict.correct
    assert verdict.feedback == "预测有误：你预测的是 (4, 3)，实际上它的形状是 (3, 4)。"
    assert verdict.explanation  # the truth is about to be shown: so is why
    assert session.status_of("broadcasting", "broadcast-shape") == "attempted"
    assert session.store is not None
    [record] = session.store.answers("broadcasting").values()
    assert (record.answer, record.correct) == ("（4，3）", False)


async def test_an_unreadable_prediction_is_not_an_attempt() -> None:
    session = make_session()
    verdict = session.answer("about twelve")
    assert not verdict.correct and verdict.prediction is None and verdict.explanation == ""
    assert verdict.feedback.startswith('I cannot read "about twelve" as a shape.')
    assert session.status_of("broadcasting", "broadcast-shape") is None


async def test_the_code_runs_in_the_learners_kernel_after_the_verdict() -> None:
    session = make_session()
    session.answer("3x4")
    result = await session.run_prediction()
    assert result is not None and result.ok and "shape=(3, 4)" in (result.value or "")
    assert session.kernel.cells == [BROADCAST]  # type: ignore[attr-defined]
    assert [v.name for v in session.variables] == ["a"]  # the inspector sees what it bound
    assert session.store is not None
    assert [c.code for c in session.store.cells("broadcasting")] == [BROADCAST]  # replayable
    await session.next_step()
    session.answer("error")
    failed = await session.run_prediction()
    assert failed is not None and failed.error is not None
    assert failed.error.type == "InvalidArgumentError"
    assert session.kernel.cells[-1] == BAD_ADD  # type: ignore[attr-defined]


async def test_nothing_runs_on_a_step_without_a_prediction() -> None:
    session = Session(sample_course(), predict_kernel(), ProgressStore.in_memory())
    assert await session.run_prediction() is None
    assert session.kernel.cells == []  # type: ignore[attr-defined]
