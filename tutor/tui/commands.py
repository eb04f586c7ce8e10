"""The command palette's tutor commands (ctrl+p): everything the keys do, and more.

Titles come from the learner's language; each lesson is its own "go to" entry so that
typing part of a lesson's title jumps there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.tui.screens.tutor_screen import TutorScreen

Command = tuple[str, Callable[[], object]]


def tutor_commands(screen: TutorScreen) -> list[Command]:
    """(title, callback) for every palette entry, in the order they are listed."""
    s = screen.strings
    app = screen.app
    commands: list[Command] = [
        (s.cmd_check, screen.action_check),
        (s.cmd_hint, screen.action_hint),
        (s.cmd_solution, screen.action_solution),
        (s.cmd_next, screen.action_next_step),
        (s.cmd_prev, screen.action_prev_step),
        (s.cmd_lessons, screen.action_lessons),
        (s.cmd_pictures, screen.action_pictures),
        (s.cmd_restart, screen.action_restart),
        (s.cmd_replay, screen.action_replay),
        (s.cmd_reset, screen.action_reset_lesson),
        (s.cmd_interrupt, screen.action_interrupt),
        (s.cmd_language, partial(app.run_action, "switch_language")),
        (s.cmd_theme, app.action_change_theme),
        (s.cmd_help, screen.action_help),
    ]
    session = screen.session
    if session is not None:
        for lesson in session.course.lessons:
            title = s.cmd_goto.format(title=f"{lesson.number} {lesson.title}")
            commands.append((title, partial(screen.goto, lesson.id, 0)))
    return commands


class TutorCommands(Provider):
    """Palette entries for the tutor screen (none on the modal screens)."""

    def _commands(self) -> list[Command]:
        from tutor.tui.screens.tutor_screen import TutorScreen

        screen = self.screen
        if not isinstance(screen, TutorScreen):
            return []
        return tutor_commands(screen)

    async def discover(self) -> Hits:
        for title, callback in self._commands():
            yield DiscoveryHit(title, callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title)
