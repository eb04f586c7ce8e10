"""Fix-the-code exercises: the broken starter code waits in the input, once."""

from __future__ import annotations

import io

from fake_kernel import FakeKernel
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from tui_pilot import until

from tutor.curriculum.model import Course, Exercise, ExerciseSpec, Lesson, Step
from tutor.line.interactive import run_interactive
from tutor.line.line_tutor import LineTutor
from tutor.line.script import run_script
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput

BROKEN = "A = tf.reshapre(tf.range(20), (5, 4))"


def course(lang: str = "en") -> Course:
    fix = Exercise(
        spec=ExerciseSpec(
            id="fix-reshape",
            kind="value",
            names=("A",),
            solution="A = tf.reshape(tf.range(20), (5, 4))  # SOLVED",
            starter=BROKEN + "\n",
        ),
        prompt="The code in the input has a slip. Repair it.",
    )
    steps = (
        Step(title="Intro", text="Hello."),
        Step(title="Repair", text="A typo.", exercise=fix),
    )
    lesson = Lesson(id="fixes", number=1, title="Fixes", lang=lang, steps=steps)
    return Course(lang, (lesson,))


def session() -> Session:
    return Session(course(), FakeKernel(), ProgressStore.in_memory())


async def test_the_starter_is_given_once_and_not_after_a_pass() -> None:
    s = session()
    assert s.take_starter() is None  # the first step has no exercise
    await s.next_step()
    assert s.take_starter() == BROKEN
    assert s.take_starter() is None  # the learner's edits are never written over
    fresh = session()
    assert fresh.store is not None
    fresh.store.record_attempt("fixes", "fix-reshape", code="", passed=True)
    await fresh.next_step()
    assert fresh.take_starter() is None


async def test_line_mode_shows_it_and_types_it_at_the_prompt() -> None:
    out = io.StringIO()
    tutor = LineTutor(session(), out, width=80)
    await run_script(tutor, io.StringIO(":next\n"))
    assert "The code to repair (it waits at the prompt):\n    " + BROKEN in out.getvalue()
    assert tutor.take_pending_input() == BROKEN
    assert tutor.take_pending_input() == ""


async def test_the_interactive_prompt_starts_with_it() -> None:
    out = io.StringIO()
    s = session()
    tutor = LineTutor(s, out, width=80)
    with create_pipe_input() as pipe:
        # at the repair step's prompt Enter alone submits the broken code as it stands
        pipe.send_text(":next\r\r:quit\r")
        await run_interactive(tutor, input=pipe, output=DummyOutput())
    assert s.kernel.cells == [BROKEN]  # type: ignore[attr-defined]


async def test_the_tui_puts_it_in_the_input() -> None:
    s = session()
    app = TutorApp(lambda: s, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        cell_input = app.tutor_screen.query_one("#input", CellInput)
        await until(pilot, lambda: app.tutor_screen.session is not None)
        await pilot.press("f8")
        await until(pilot, lambda: cell_input.text == BROKEN)
        assert app.focused is cell_input
