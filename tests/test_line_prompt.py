"""The interactive prompt of `--plain`, driven through a pipe (prompt_toolkit's test kit)."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from collections.abc import Callable
from pathlib import Path

from fake_kernel import FakeKernel
from line_course import line_course, make_tutor
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tutor.line.completer import TutorCompleter
from tutor.line.history import StoreHistory, history_for
from tutor.line.interactive import run_interactive
from tutor.line.line_tutor import LineTutor
from tutor.progress.store import ProgressStore
from tutor.session import Session

CTRL_C, CTRL_D, ENTER = "\x03", "\x04", "\r"


async def wait_for(condition: Callable[[], bool], cap: float = 10.0) -> None:
    """Poll until `condition` holds, failing after `cap` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + cap
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


async def drive(tutor: LineTutor, keys: str) -> int:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return await run_interactive(tutor, input=pipe, output=DummyOutput())


async def test_cells_blocks_and_commands_at_the_prompt() -> None:
    tutor, kernel, out = make_tutor()
    keys = (
        "x = tf.range(4)"
        + ENTER
        + ":vars"
        + ENTER
        + "def f(x):"
        + ENTER
        + "return x"
        + ENTER
        + ENTER  # auto-indented body
        + CTRL_D
    )
    assert await drive(tutor, keys) == 0
    assert kernel.cells == ["x = tf.range(4)", "def f(x):\n    return x"]
    text = out.getvalue()
    assert text.startswith("tutor --plain: type Python")
    assert "Lesson 1 of 2: Tensors - step 1 of 3" in text
    assert "x     Tensor  (4,)" in text
    assert text.rstrip().endswith("Saved. Bye.")


async def test_ctrl_c_at_the_prompt_clears_the_line() -> None:
    tutor, kernel, _ = make_tutor()
    await drive(tutor, "never run" + CTRL_C + "y = 1" + ENTER + CTRL_D)
    assert kernel.cells == ["y = 1"]


async def test_ctrl_c_while_a_cell_runs_interrupts_the_kernel() -> None:
    tutor, kernel, out = make_tutor()
    with create_pipe_input() as pipe:
        pipe.send_text("x = LONG" + ENTER)
        task = asyncio.create_task(run_interactive(tutor, input=pipe, output=DummyOutput()))
        await wait_for(lambda: kernel.cells == ["x = LONG"])
        os.kill(os.getpid(), signal.SIGINT)
        await wait_for(lambda: "Interrupted." in out.getvalue() or "interrupted" in out.getvalue())
        pipe.send_text("z = 2" + ENTER + CTRL_D)
        assert await asyncio.wait_for(task, 10) == 0
    assert kernel.interrupts == 1
    assert kernel.cells == ["x = LONG", "z = 2"]  # the tutor went on after the interrupt


async def test_quit_command_leaves() -> None:
    tutor, kernel, _ = make_tutor()
    assert await drive(tutor, ":quit" + ENTER + "never = 1" + ENTER) == 0
    assert kernel.cells == []


async def test_completion_asks_the_kernel_and_knows_the_commands() -> None:
    kernel = FakeKernel(completions={"tf.res": ["tf.reshape", "tf.reset"]})
    tutor, _, _ = make_tutor(kernel)
    completer = TutorCompleter(tutor.session.complete, lambda: ["tensors", "derivatives"])

    async def complete(text: str) -> list[tuple[str, int]]:
        return [
            (c.text, c.start_position)
            async for c in completer.get_completions_async(Document(text), CompleteEvent())
        ]

    assert await complete("y = tf.res") == [("tf.reshape", -6), ("tf.reset", -6)]
    assert await complete(":ne") == [(":next", -3)]
    assert await complete(":goto de") == [("derivatives", -2)]
    assert await complete(":lang ") == [("en", 0), ("zh", 0)]
    assert await complete("1 + ") == []


async def test_history_lives_in_the_store_without_duplicates(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path / "progress.sqlite3")
    assert store.persistent
    session = Session(line_course(), FakeKernel(), store)
    tutor = LineTutor(session, io.StringIO(), width=80)
    history = history_for(store)
    assert isinstance(history, StoreHistory)
    with create_pipe_input() as pipe:
        pipe.send_text("x = 1" + ENTER + ":lessons" + ENTER + CTRL_D)
        await run_interactive(tutor, input=pipe, output=DummyOutput(), history=history)
    assert store.history() == ["x = 1", ":lessons"]
    again = StoreHistory(store)
    assert list(again.load_history_strings()) == [":lessons", "x = 1"]


def test_without_a_store_history_goes_to_the_data_dir(tutor_home: Path) -> None:
    history = history_for(None)
    history.store_string("x = 1")
    assert (tutor_home / "history.txt").exists()
