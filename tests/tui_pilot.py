"""Driving the Textual tutor in tests and reading what it shows.

Shared by the TUI's tests: wait for a condition (with a cap, never a fixed sleep), submit a
cell as the learner does, and read the evaluator's log, the screen or any Rich renderable
as plain text.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from tutor.tui.app import TutorApp
from tutor.tui.widgets.cell_input import CellInput
from tutor.tui.widgets.cell_log import CellLog


async def until(pilot: Pilot[Any], condition: Callable[[], bool], cap: float = 10.0) -> None:
    """Let the app run until `condition` holds (fails after `cap` seconds)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + cap
    while not condition():
        assert loop.time() < end, "the condition did not hold in time"
        await pilot.pause(0.01)


async def ready(pilot: Pilot[Any], app: TutorApp, cap: float = 10.0) -> None:
    """Wait until the tutor's kernel says it is ready."""
    await until(pilot, lambda: app.tutor_screen.kernel_status == "ready", cap)


async def submit(pilot: Pilot[Any], code: str) -> None:
    """Type `code` into the evaluator's input and press Enter at its end."""
    cell_input = pilot.app.screen_stack[0].query_one("#input", CellInput)
    cell_input.focus()
    cell_input.load_text(code)
    cell_input.move_cursor(cell_input.document.end)
    await pilot.press("enter")


def plain_text(*renderables: object, width: int = 200) -> str:
    """Rich renderables as the plain text a terminal `width` columns wide shows (a string is
    taken as text, not markup)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for content in renderables:
        console.print(Text(content) if isinstance(content, str) else content)
    return console.export_text()


def log_text(app: TutorApp) -> str:
    """Everything the evaluator's log holds, as plain text (wide, so nothing wraps)."""
    return plain_text(*(s.content for s in app.tutor_screen.query_one(CellLog).query(Static)))


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
