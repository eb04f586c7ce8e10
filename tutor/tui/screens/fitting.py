"""How the main screen's panes share the terminal, and which keys the footer has room for.

Wide (from `WIDE` columns): the three panes side by side; the task's card keeps its
notes short enough to leave the prose a few lines. Narrow: the lesson across the top
gets exactly the rows its card needs in full plus what prose fits, the evaluator the
rest but never less than `EVALUATOR_ROWS_READING` (its border, a line of log, the
input); the card's notes (the log has them all) give way before the input would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tutor.tui.keys import SCREEN_KEYS, footer_hidden
from tutor.tui.widgets.lesson_pane import LessonPane

if TYPE_CHECKING:
    from tutor.tui.screens.tutor_screen import TutorScreen

#: From this width the three panes stand side by side (`TutorScreen.HORIZONTAL_BREAKPOINTS`).
WIDE = 120
#: Narrow: rows the evaluator keeps at least while the lesson is being read (and always),
#: and otherwise (or this share of the screen, if more).
EVALUATOR_ROWS_READING = 6
EVALUATOR_ROWS = 10
EVALUATOR_SHARE = 0.45
#: A pane's border, top and bottom.
BORDER = 2


def evaluator_rows(panes: int, *, reading: bool) -> int:
    """The rows the evaluator aims for when the panes have `panes` rows (narrow)."""
    if reading:
        return EVALUATOR_ROWS_READING
    return max(EVALUATOR_ROWS, int(panes * EVALUATOR_SHARE))


class PaneFitter:
    """Fits the main screen's panes and footer to its size (called after any change)."""

    def __init__(self, screen: TutorScreen) -> None:
        self.screen = screen
        #: Actions whose keys the footer leaves out for want of room.
        self.footer_hidden: frozenset[str] = frozenset()

    def fit(self) -> None:
        screen = self.screen
        narrow = screen.size.width < WIDE
        lesson = screen.query_one(LessonPane)
        lesson.heading_on_border(narrow)
        lesson.set_compact(narrow)
        panes = screen.query_one("#panes")
        if narrow:
            rows = panes.size.height
            most = rows - EVALUATOR_ROWS_READING  # the lesson's rows at most
            lesson.fit_cards(most - BORDER)
            cards = min(lesson.cards_height(), most - BORDER)
            evaluator = evaluator_rows(rows, reading=panes.has_class("-reading"))
            wanted = lesson.rows_for(rows - evaluator - BORDER - cards)
            panes.styles.grid_rows = f"{min(wanted, most)} 1fr"
        else:
            lesson.full_height()
            some_prose = 3
            lesson.fit_cards(lesson.size.height - BORDER - some_prose)
            panes.styles.grid_rows = None
        self.fit_footer()

    def fit_footer(self) -> None:
        """Keys the footer has no room for are left out, the least needed first."""
        screen = self.screen
        strings = screen.strings
        shown = [
            (key.action, key.display or key.keys, str(getattr(strings, key.words)))
            for key in SCREEN_KEYS
            if key.show and screen.check_action(key.action, ()) is not False
        ]
        app = screen.app
        app_keys = [(app.get_key_display(b), b.description) for b in _app_footer_keys(screen)]
        # the palette's key, docked at the right of the footer (its binding is not "shown")
        app_keys.append(("^p", strings.key_palette))
        hidden = footer_hidden(shown, app_keys, screen.size.width)
        if hidden != self.footer_hidden:
            self.footer_hidden = hidden
            screen.relabel_keys()


def _app_footer_keys(screen: TutorScreen) -> list[Binding]:
    """The app's own keys the footer shows (quit), which always keep their place."""
    return [
        binding
        for bindings in screen.app._bindings.key_to_bindings.values()
        for binding in bindings
        if binding.show
    ]
