"""The installed `tutor` as a learner meets it: a real terminal (tmux), real keys, a real kernel.

Needs tmux (CI installs it: `apt-get install -y tmux`); skipped without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]

#: TensorFlow's first import on a busy machine; the wait ends as soon as the screen says ready.
KERNEL_READY_CAP = 240.0


def tutor_command() -> str:
    """The `tutor` console script installed beside this interpreter."""
    script = Path(sys.executable).parent / "tutor"
    found = str(script) if script.exists() else shutil.which("tutor")
    if found is None:
        pytest.skip("the tutor command is not installed")
    return found


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, *args], capture_output=True, text=True, check=False)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", "--", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, cap: float) -> str:
        end = time.monotonic() + cap
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} did not appear; the screen is:\n{screen}")
            time.sleep(0.2)


@pytest.fixture
def terminal(tutor_home: Path) -> Iterator[Terminal]:
    name = f"tutor-test-{uuid.uuid4().hex[:8]}"
    term = Terminal(name)
    env = {"TUTOR_HOME": str(tutor_home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    # COLUMNS/LINES inherited from the test run would fix Textual's size at 80x24.
    assignments = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env -u COLUMNS -u LINES {assignments} {tutor_command()} --lang en"
    term.tmux("new-session", "-d", "-s", name, "-x", "140", "-y", "40", command)
    # A running tmux server may keep its default size; ask for ours explicitly.
    term.tmux("resize-window", "-t", name, "-x", "140", "-y", "40")
    try:
        yield term
    finally:
        term.keys("C-q")
        end = time.monotonic() + 10
        while name in term.tmux("list-sessions", "-F", "#{session_name}"):
            if time.monotonic() > end:
                term.tmux("kill-session", "-t", name)
                break
            time.sleep(0.2)


@pytest.mark.timeout(400)
def test_gradient_appears_beside_x(terminal: Terminal) -> None:
    assert os.environ["TUTOR_HOME"]
    first = terminal.wait_for("Evaluator", 30)
    assert "kernel" in first  # the first frame comes before TensorFlow is ready
    terminal.type("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    terminal.keys("Enter")
    terminal.type("y = 2 * tf.tensordot(x, x, axes=1)")
    terminal.keys("Enter")
    screen = terminal.wait_for("∂y/∂x", KERNEL_READY_CAP)
    size = terminal.tmux("display", "-p", "-t", terminal.name, "#{window_width}x#{window_height}")
    assert len(screen.splitlines()[0]) >= 120, (size, os.environ.get("COLUMNS"))
    row = next(line for line in screen.splitlines() if "∂y/∂x" in line)
    inspector = row.split("│")[-2]  # the rightmost pane
    assert inspector.strip().startswith("x ")
    assert "[ 0.  4.  8. 12.]" in inspector or "[0. 4. 8. 12.]" in inspector


@pytest.mark.timeout(120)
def test_keys_typed_before_the_first_frame_are_kept(tutor_home: Path) -> None:
    """A learner who types while the tutor loads loses nothing: the cell is queued and
    the half-typed next one waits in the input (Enter was Enter, not a new line)."""
    name = f"tutor-test-{uuid.uuid4().hex[:8]}"
    term = Terminal(name)
    env = {"TUTOR_HOME": str(tutor_home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    assignments = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env -u COLUMNS -u LINES {assignments} {tutor_command()} --lang en"
    term.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", command)
    try:
        # at once: long before Textual draws anything
        term.type("x = 1")
        term.keys("Enter")
        term.type("y = 2")
        screen = term.wait_for("In [", 60)
        screen = term.wait_for("y = 2", 30)
        assert "x = 1" in screen
        input_lines = [line for line in screen.splitlines() if "y = 2" in line]
        assert input_lines and "In [" not in input_lines[-1]  # still in the input, not run
        assert "queued" in screen or "In [1]: x = 1" in screen
    finally:
        term.keys("C-q")
        end = time.monotonic() + 10
        while name in term.tmux("list-sessions", "-F", "#{session_name}"):
            if time.monotonic() > end:
                term.tmux("kill-session", "-t", name)
                break
            time.sleep(0.2)
