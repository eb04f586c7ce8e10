"""The tutor end to end with the real sandboxed kernel: the flows whose behaviour is the kernel's."""

from __future__ import annotations

import pytest
from tui_course import sample_course
from tui_pilot import log_text, ready, submit, until

from tutor.kernel.client import KernelClient
from tutor.progress.store import ProgressStore
from tutor.session import Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.inspector import Inspector

SIZE = (140, 40)
#: The real kernel on a busy machine: a wait ends as soon as its condition holds.
CAP = 60.0


def make(kernel: KernelClient, lesson: str = "tensors") -> TutorApp:
    store = ProgressStore.in_memory()
    return TutorApp(lambda: Session(sample_course(), kernel, store, lesson=lesson))


async def test_gradient_beside_x_with_the_real_kernel(kernel: KernelClient) -> None:
    app = make(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "x = tf.Variable(tf.range(4, dtype=tf.float32))")
        await submit(pilot, "y = 2 * tf.tensordot(x, x, axes=1)")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: any(v.grad for v in inspector.variables), CAP)
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
        await ready(pilot, app, CAP)
        await pilot.press("f8")
        session = app.tutor_screen.session
        assert session is not None
        await until(pilot, lambda: session.step_index == 1, CAP)
        await submit(pilot, "A = tf.ones((3, 2))")
        await until(pilot, lambda: session.status_of("tensors", "make-a") == "attempted", CAP)
        await submit(pilot, "A = tf.fill((2, 2), 1.0)")
        await until(pilot, lambda: session.status_of("tensors", "make-a") == "passed", CAP)


@pytest.mark.slow
async def test_timeout_then_recover(kernel: KernelClient) -> None:
    """A loop stopped by the time limit keeps the names: no replay is needed or offered."""
    kernel.timeout = 1.0
    app = make(kernel)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "a = 1.0")
        inspector = app.tutor_screen.query_one(Inspector)
        await until(pilot, lambda: any(v.name == "a" for v in inspector.variables), CAP)
        pid = kernel.pid
        await submit(pilot, "while True: pass")
        screen = app.tutor_screen
        await until(pilot, lambda: "TimeoutError" in log_text(app), CAP)
        await ready(pilot, app, CAP)
        assert kernel.pid == pid
        assert not screen.replay_offered
        await submit(pilot, "b = a + 1")
        inspector = screen.query_one(Inspector)
        await until(pilot, lambda: any(v.name == "b" for v in inspector.variables), CAP)
