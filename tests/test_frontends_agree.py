"""Both frontends, one script of learner actions, the same story told.

The Textual tutor (driven with Pilot) and `tutor --plain` (driven through
`LineTutor.handle`) each run over the real `Session` with a fake kernel and the small
course of `sample_course`. After every action the test notes two things per frontend:
where the session says the learner is (lesson, step, status, hints, progress, names
lost), and what the frontend put in front of the learner (the step heading, hint
numbers, verdicts, the replay offer, the progress counts). The two frontends must
agree with each other on both, and with what the script expects.
"""

from __future__ import annotations

import asyncio
import io
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import pytest
from fake_kernel import FakeKernel, assigning_script
from line_course import make_tutor
from sample_course import sample_course
from textual.pilot import Pilot
from tui_course import make_app
from tui_pilot import log_text, until

from tutor.kernel.protocol import CellResult, ErrorInfo
from tutor.line.line_tutor import LineTutor
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.lesson_pane import LessonPane
from tutor.tui.widgets.status_bar import StatusBar

SIZE = (120, 40)

WRONG = "A = tf.zeros(5)"
RIGHT = "A = tf.ones((2, 2))  # SOLVED"
CRASH = "CRASH = 1"


def crashing_script(code: str, count: int) -> CellResult:
    """Cells bind their names, except one that takes the kernel down with it."""
    if "CRASH" in code:
        return CellResult("crashed", error=ErrorInfo("KernelDied", "the kernel died"))
    return assigning_script(code, count)


@dataclass(frozen=True)
class SessionFacts:
    """Where the session says the learner is."""

    lesson: int
    step: int
    kind: str
    status: str | None
    #: (hints shown, hints in all) for the step's task.
    hints: tuple[int, int]
    #: (passed, items) in the current lesson.
    done: tuple[int, int]
    replay_offer: int


def session_facts(session: Session) -> SessionFacts:
    view = session.step_view()
    return SessionFacts(
        lesson=view.lesson_number,
        step=view.step_number,
        kind=view.kind,
        status=view.status,
        hints=session.hint_count(),
        done=session.lesson_done(session.lesson.id),
        replay_offer=session.replay_offer,
    )


@dataclass(frozen=True)
class Shown:
    """What a frontend showed the learner after an action, reduced to facts."""

    #: (lesson n, of N, step n, of N) as the step heading last shown reads.
    where: tuple[int, int, int, int]
    #: The numbers of the hints shown by the action (0: "no more hints").
    hints: tuple[int, ...]
    #: The verdicts told by the action (checks and answers): True right, False not yet.
    verdicts: tuple[bool, ...]
    #: Whether a replay is on offer to bring back the names the kernel lost.
    replay: bool
    #: (passed, items) of the current lesson as the frontend shows it.
    done: tuple[int, int]


class Frontend(Protocol):
    session: Session

    async def open_lesson(self, number: int) -> None: ...
    async def next_step(self) -> None: ...
    async def hint(self) -> None: ...
    async def run(self, code: str) -> None: ...
    async def reset_lesson(self) -> None: ...
    async def shown(self) -> Shown: ...


def _new(matches: list[str], seen: list[str]) -> list[str]:
    """The matches beyond those an earlier action already showed (and remember them)."""
    fresh = matches[len(seen) :]
    seen[:] = matches
    return fresh


# -- line mode ---------------------------------------------------------------------------
_LINE_WHERE = re.compile(r"^Lesson (\d+) of (\d+): .* - step (\d+) of (\d+): ", re.MULTILINE)
_LINE_HINT = re.compile(r"^(Hint (\d+): |No more hints for this step\.)", re.MULTILINE)
_LINE_VERDICT = re.compile(
    r"^(Check passed\.|Correct\.|Check: not yet\.|Not quite|Not \()", re.MULTILINE
)
_LINE_REPLAY = re.compile(r"^:replay re-runs your", re.MULTILINE)
_LINE_HERE = re.compile(r"^\s*\d+\. \S+\s+.*\((\d+)/(\d+)\)\s+<- you are here$", re.MULTILINE)


class LineFrontend:
    """`tutor --plain` in script mode: every action is a line handed to the tutor."""

    def __init__(self) -> None:
        tutor, self.kernel, self.out = make_tutor(FakeKernel(crashing_script))
        self.tutor: LineTutor = tutor
        self.session = tutor.session
        self._hints: list[str] = []
        self._verdicts: list[str] = []
        self._replays = 0
        #: The output up to the last action (the replay offer is told once, by the action).
        self._told = 0

    async def open_lesson(self, number: int) -> None:
        await self.tutor.handle(f":goto {self.session.course.lessons[number - 1].id}")

    async def next_step(self) -> None:
        await self.tutor.handle(":next")

    async def hint(self) -> None:
        await self.tutor.handle(":hint")

    async def run(self, code: str) -> None:
        await self.tutor.handle(code)

    async def reset_lesson(self) -> None:
        await self.tutor.handle(":reset")

    async def shown(self) -> Shown:
        text = self.out.getvalue()
        told, self._told = text[self._told :], len(text)
        where = _LINE_WHERE.findall(text)[-1]
        hints = [m[1] or "0" for m in _LINE_HINT.findall(text)]
        verdicts = _LINE_VERDICT.findall(text)
        # the progress as `:lessons` lists it (asked here, after the action's own output)
        await self.tutor.handle(":lessons")
        listing = self.out.getvalue()[self._told :]
        self._told = len(self.out.getvalue())
        here = _LINE_HERE.findall(listing)
        assert len(here) == 1, listing
        return Shown(
            where=(int(where[0]), int(where[1]), int(where[2]), int(where[3])),
            hints=tuple(int(n) for n in _new(hints, self._hints)),
            verdicts=tuple(
                v in ("Check passed.", "Correct.") for v in _new(verdicts, self._verdicts)
            ),
            replay=bool(_LINE_REPLAY.search(told)),
            done=(int(here[0][0]), int(here[0][1])),
        )


# -- the Textual tutor ---------------------------------------------------------------------
_TUI_WHERE = re.compile(r"^(\d+) · .*—\s+(\d+)/(\d+) ")
_TUI_LESSONS = re.compile(r"lesson (\d+)/(\d+)")
_TUI_DONE = re.compile(r"✓ (\d+)/(\d+)")
_TUI_HINT = re.compile(r"^(Hint (\d+) of \d+: |No more hints\.)", re.MULTILINE)
_TUI_VERDICT = re.compile(r"^([✓✗]) ", re.MULTILINE)


class TuiFrontend:
    """The Textual tutor under Pilot: keys where a key does it, as a learner would."""

    def __init__(self, app: TutorApp, pilot: Pilot[int], kernel: FakeKernel) -> None:
        self.app, self.pilot, self.kernel = app, pilot, kernel
        self.screen = app.tutor_screen
        session = self.screen.session
        assert session is not None
        self.session = session
        self._hints: list[str] = []
        self._verdicts: list[str] = []

    async def settle(self) -> None:
        """Wait until the session has done what was asked and the screen shows it."""
        await self.pilot.pause()
        done = asyncio.Event()

        async def barrier(session: Session) -> None:
            done.set()

        self.screen._enqueue(barrier)  # behind every job the action queued
        await until(self.pilot, done.is_set)
        await self.pilot.pause()

    async def open_lesson(self, number: int) -> None:
        await self.pilot.press("f2", "home", *["down"] * (number - 1), "enter")
        await self.settle()

    async def next_step(self) -> None:
        await self.pilot.press("f8")
        await self.settle()

    async def hint(self) -> None:
        await self.pilot.press("f3")
        await self.settle()

    async def run(self, code: str) -> None:
        cell_input = self.screen.query_one("#input", CellInput)
        cell_input.focus()
        cell_input.load_text(code)
        await self.pilot.press("end", "enter")
        await self.settle()

    async def reset_lesson(self) -> None:
        self.screen.action_reset_lesson()  # a command of the palette (ctrl+p)
        await self.settle()

    async def shown(self) -> Shown:
        heading = _TUI_WHERE.match(self.screen.query_one(LessonPane).heading.plain)
        assert heading is not None
        status = str(self.screen.query_one(StatusBar).render())
        lessons = _TUI_LESSONS.search(status)
        done = _TUI_DONE.search(status)
        assert lessons is not None and done is not None, status
        assert lessons[1] == heading[1]
        text = log_text(self.app)
        hints = [m[1] or "0" for m in _TUI_HINT.findall(text)]
        verdicts = _TUI_VERDICT.findall(text)
        # the replay key in the footer (the last line of the screen)
        footer = self.app.screen._compositor.render_strips()[-1].text
        return Shown(
            where=(int(heading[1]), int(lessons[2]), int(heading[2]), int(heading[3])),
            hints=tuple(int(n) for n in _new(hints, self._hints)),
            verdicts=tuple(v == "✓" for v in _new(verdicts, self._verdicts)),
            replay="Replay" in footer,
            done=(int(done[1]), int(done[2])),
        )


# -- the script ------------------------------------------------------------------------------
Action = Callable[[Frontend], Awaitable[None]]

#: (what the learner does, what both frontends must then show:
#:  where, hints, verdicts, replay offered, lesson progress)
SCRIPT: tuple[tuple[str, Action, Shown], ...] = (
    ("open lesson 1", lambda f: f.open_lesson(1), Shown((1, 2, 1, 3), (), (), False, (0, 2))),
    ("next step", lambda f: f.next_step(), Shown((1, 2, 2, 3), (), (), False, (0, 2))),
    ("a hint", lambda f: f.hint(), Shown((1, 2, 2, 3), (1,), (), False, (0, 2))),
    ("another hint", lambda f: f.hint(), Shown((1, 2, 2, 3), (2,), (), False, (0, 2))),
    ("one hint too many", lambda f: f.hint(), Shown((1, 2, 2, 3), (0,), (), False, (0, 2))),
    ("a wrong answer", lambda f: f.run(WRONG), Shown((1, 2, 2, 3), (), (False,), False, (0, 2))),
    ("the right one", lambda f: f.run(RIGHT), Shown((1, 2, 2, 3), (), (True,), False, (1, 2))),
    ("the kernel dies", lambda f: f.run(CRASH), Shown((1, 2, 2, 3), (), (), True, (1, 2))),
    ("reset the lesson", lambda f: f.reset_lesson(), Shown((1, 2, 1, 3), (), (), False, (0, 2))),
    ("back to the task", lambda f: f.next_step(), Shown((1, 2, 2, 3), (), (), False, (0, 2))),
    ("hints start over", lambda f: f.hint(), Shown((1, 2, 2, 3), (1,), (), False, (0, 2))),
    ("lesson 2", lambda f: f.open_lesson(2), Shown((2, 2, 1, 1), (), (), False, (0, 1))),
    ("a wrong number", lambda f: f.run("5"), Shown((2, 2, 1, 1), (), (False,), False, (0, 1))),
    ("the right number", lambda f: f.run("6"), Shown((2, 2, 1, 1), (), (True,), False, (1, 1))),
)


async def play(frontend: Frontend) -> list[tuple[str, SessionFacts, Shown]]:
    """Run the script; after each action, the session's facts and what was shown."""
    story = []
    for name, action, _ in SCRIPT:
        await action(frontend)
        story.append((name, session_facts(frontend.session), await frontend.shown()))
    return story


async def test_both_frontends_tell_the_same_story() -> None:
    line = LineFrontend()
    line_story = await play(line)

    app, kernel = make_app(FakeKernel(crashing_script))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.tutor_screen.kernel_status == "ready")
        tui_story = await play(TuiFrontend(app, pilot, kernel))

    for (name, line_facts, line_shown), (_, tui_facts, tui_shown), (_, _, expected) in zip(
        line_story, tui_story, SCRIPT, strict=True
    ):
        assert line_facts == tui_facts, name
        assert line_shown == tui_shown, name
        assert line_shown == expected, name
    # the same cells reached the kernel (answers to questions are not cells)
    assert line.kernel.cells == kernel.cells == [WRONG, RIGHT, CRASH]


async def test_the_session_sees_the_script_the_same_way() -> None:
    """The session's own facts at the turning points (not only that both agree)."""
    line = LineFrontend()
    story = {name: facts for name, facts, _ in await play(line)}
    assert story["another hint"].hints == (2, 2)
    assert story["the right one"].status == "passed"
    assert story["the kernel dies"].replay_offer == 2  # the wrong and the right answer
    assert story["reset the lesson"] == SessionFacts(1, 1, "reading", None, (0, 0), (0, 2), 0)
    assert story["hints start over"].hints == (1, 2)
    assert story["lesson 2"].kind == "question"
    # the tutor's own reset is not taken for another tutor moving the learner's place
    assert "Another tutor" not in line.out.getvalue()


async def test_both_frontends_close_the_session_on_the_way_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Leaving closes the session's kernel and store, once; closing again changes nothing."""
    from tutor.line.repl import _main  # `tutor --plain` after its session is opened

    kernel = FakeKernel()
    session = Session(sample_course(), kernel, ProgressStore.in_memory())
    monkeypatch.setattr(sys, "stdin", io.StringIO(":next\n:quit\n"))
    assert await _main(session, interactive=False) == 0
    assert session.closed and kernel.closed
    assert await session.close() == []

    app, kernel = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.tutor_screen.kernel_status == "ready")
        tui_session = app.tutor_screen.session
        assert tui_session is not None and not tui_session.closed
        await pilot.press("ctrl+q")
        await until(pilot, lambda: tui_session.closed)
    assert kernel.closed
    assert await tui_session.close() == []
