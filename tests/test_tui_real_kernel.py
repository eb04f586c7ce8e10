"""The tutor end to end with the real sandboxed kernel: the flows whose behaviour is the kernel's."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

from textual.pilot import Pilot
from tui_course import sample_course

from tutor.kernel.client import KernelClient
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.inspector import Inspector

SIZE = (140, 40)


def make(kernel: KernelClient, lesson: str = "tensors") -> TutorApp:
    store = ProgressStore.in_memory()
    return TutorApp(lambda: Session(sample_course(), kernel, store, lesson=lesson))


async def until(pilot: Pilot[int], condition: Callable[[], bool], cap: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + cap
    while not condition():
        assert loop.time() < end, "the condition did not hold in time"
        await pilot.pause(0.02)


def log_text(app: TutorApp) -> str:
    """The evaluator's log as plain text."""
    from rich.console import Console
    from rich.text import Text
    from textual.widgets import Static

    from tutor.tui.widgets.cell_log import CellLog

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    for static in app.tutor_screen.query_one(CellLog).query(Static):
        content = static.content
        console.print(Text(content) if isinstance(content, str) else content)
    return console.export_text()


async def run(pilot: Pilot[int], app: TutorApp, code: str) -> None:
    cell_input = app.tutor_screen.query_one("#input", CellInput)
    cell_input.focus()
    cell_input.load_text(code)
    await pilot.press("end", "enter")


async def test_gradient_beside_x_with_the_real_kernel(kernel: KernelClient) -> None:
    app = make(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await run(pilot, app, "x = tf.Variable(tf.range(4, dtype=tf.float32))")
        await run(pilot, app, "y = 2 * tf.tensordot(x, x, axes=1)")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: any(v.grad for v in inspector.variables))
        x = next(v for v in inspector.variables if v.name == "x")
        assert x.grad is not None and x.grad.of == "y"
        assert x.grad.preview.replace("[", " ").replace("]", " ").split() == [
            "0.",
            "4.",
            "8.",
            "12.",
        ]


async def test_exercise_passes_with_the_real_check(kernel: KernelClient) -> None:
    app = make(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.tutor_screen.kernel_status == "ready")
        await pilot.press("f8")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.step_index == 1)
        await run(pilot, app, "A = tf.ones((3, 2))")
        await until(pilot, lambda: session.status_of("tensors", "make-a") == "attempted")
        await run(pilot, app, "A = tf.fill((2, 2), 1.0)")
        await until(pilot, lambda: session.status_of("tensors", "make-a") == "passed")


async def test_timeout_then_recover(kernel: KernelClient) -> None:
    """A loop stopped by the time limit keeps the names: no replay is needed or offered."""
    kernel.timeout = 1.0
    app = make(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await run(pilot, app, "a = 1.0")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: any(v.name == "a" for v in inspector.variables))
        pid = kernel.pid
        await run(pilot, app, "while True: pass")
        screen = app.tutor_screen
        await until(pilot, lambda: "TimeoutError" in log_text(app))
        await until(pilot, lambda: screen.kernel_status == "ready")
        assert kernel.pid == pid
        assert not screen.replay_offered
        await run(pilot, app, "b = a + 1")
        inspector = screen.query_one(Inspector)
        await until(pilot, lambda: any(v.name == "b" for v in inspector.variables))
