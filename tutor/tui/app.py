"""The Textual tutor: the app, its one factory for `tutor` and the tests, and `run()`.

This module composes and routes only. The first frame is drawn before anything heavy:
the session (lessons, progress store, an unstarted kernel) is built right after it,
and the kernel — the only place TensorFlow is imported — starts in a worker after that.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tutor.tui.commands import TutorCommands
from tutor.tui.keys import relabel_bindings
from tutor.tui.line_breaking import install as install_line_breaking
from tutor.tui.screens.tutor_screen import SessionFactory, TutorScreen
from tutor.tui.strings import UiStrings, next_language, strings_for

if TYPE_CHECKING:
    from tutor.curriculum.model import Course
    from tutor.options import Options
    from tutor.session import Session

log = logging.getLogger(__name__)

#: How long quitting waits for the kernel to shut down before leaving anyway.
CLOSE_WAIT = 3.0

CourseLoader = Callable[[str], "Course"]


def load_course(lang: str) -> Course:
    """The course in another language (for switching language while running)."""
    from tutor.curriculum.loader import load_course as load

    course: Course = load(lang)
    return course


class TutorApp(App[int]):
    """The tutor. `session_factory` builds the session after the first frame."""

    # Absolute, so that subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tutor"
    COMMANDS: ClassVar = App.COMMANDS | {TutorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, key_display="^q"),
        # Textual's own palette binding, declared here so its word can be localised.
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
    ]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, in the learner's language; the tutor's own
        "change the theme" entry replaces Textual's (one entry per action)."""
        # No help line under them: it would only repeat the title.
        yield SystemCommand(self.strings.cmd_quit, "", self.action_quit)
        yield SystemCommand(
            self.strings.cmd_screenshot, "", lambda: self.set_timer(0.1, self.deliver_screenshot)
        )

    def action_command_palette(self) -> None:
        """Textual's palette, its search prompt in the learner's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=self.strings.palette_placeholder, id="--command-palette")
            )

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        lang: str = "en",
        course_loader: CourseLoader = load_course,
    ) -> None:
        super().__init__()
        # Chinese breaks between characters in every widget (Textual breaks at spaces only).
        install_line_breaking()
        self.session_factory = session_factory
        self.strings: UiStrings = strings_for(lang)
        self.course_loader = course_loader
        self._localise_bindings()

    def _localise_bindings(self) -> None:
        """The footer's words for the app's own keys (quit, the palette)."""
        words = {"quit": self.strings.key_quit, "command_palette": self.strings.key_palette}
        relabel_bindings(self._bindings, words)

    def get_default_screen(self) -> Screen[None]:
        return TutorScreen(self.session_factory, self.strings)

    @property
    def tutor_screen(self) -> TutorScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, TutorScreen)
        return screen

    def action_switch_language(self) -> None:
        """The next language the tutor speaks: the lessons and the tutor's own words."""
        screen = self.tutor_screen
        session = screen.session
        lang = next_language(self.strings.lang)
        if session is not None:
            try:
                session.set_language(self.course_loader(lang))
            except Exception:
                log.exception("could not switch language to %s", lang)
                self.notify(self.strings.language_unavailable, severity="error", markup=False)
                return
        self.strings = strings_for(lang)
        self._localise_bindings()
        screen.set_strings(self.strings)

    async def action_quit(self) -> None:
        """Leave, giving the kernel a moment to shut down cleanly (it dies with us anyway)."""
        session = self.tutor_screen.session
        if session is not None:
            await session.close(kernel_wait=CLOSE_WAIT)  # what it could not save: see `run`
        self.exit(0)


def run(options: Options) -> int:
    """`tutor`: the Textual tutor, resuming where the learner stopped."""
    from tutor.session import open_session
    from tutor.tui.early_keys import release_keys

    opened: list[Session] = []

    def session_factory() -> Session:
        opened.append(open_session(options))
        return opened[-1]

    app = TutorApp(session_factory, lang=options.lang)
    try:
        app.run()
    finally:
        release_keys()
    for session in opened:  # closed on quitting (else now); what is lost is said on the way out
        for event in asyncio.run(session.close(kernel_wait=CLOSE_WAIT)):
            print(f"tutor: {session.store_message(event)}", file=sys.stderr)
    return app.return_code or 0
