"""Every key of the tutor in one table: the screen's bindings and the help screen read it.

Descriptions name a `UiStrings` field, so the footer and the help speak the learner's
language; `show` says whether the footer lists the key (when `check_action` allows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.cells import cell_len
from textual.binding import Binding, BindingsMap

from tutor.tui.strings import UiStrings


@dataclass(frozen=True)
class TutorKey:
    """A key (or several), the screen action it runs, and the words that describe it."""

    keys: str
    action: str
    words: str
    show: bool = True
    priority: bool = False
    display: str | None = None


SCREEN_KEYS: tuple[TutorKey, ...] = (
    TutorKey("f1", "help", "key_help", display="F1"),
    TutorKey("f2", "lessons", "key_lessons", display="F2"),
    TutorKey("f3", "hint", "key_hint", display="F3"),
    TutorKey("f4", "check", "key_check", display="F4"),
    TutorKey("f5", "example", "key_example", display="F5"),
    # F6 and F7 are TextArea's select-line/select-all: priority takes them back.
    TutorKey("f6,ctrl+o", "switch_pane", "key_focus", show=False, priority=True, display="F6"),
    TutorKey("f7", "prev_step", "key_prev", show=False, priority=True, display="F7"),
    TutorKey("f8,ctrl+n", "next_step", "key_next", display="F8"),
    TutorKey("f9", "solution", "key_solution", display="F9"),
    TutorKey("ctrl+r", "replay", "key_replay", display="^r"),
    # Not in the footer (full at 80 columns): the inspector says it where a matrix is.
    TutorKey("ctrl+t,f10", "pictures", "key_pictures", show=False, display="^t"),
    # ctrl+c copies (Textual 8) unless a cell runs: then this binding takes it.
    TutorKey("ctrl+c", "interrupt", "key_interrupt", priority=True, display="^c"),
)

#: Keys of the input and the app, listed in the help only (their bindings live elsewhere).
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "key_run"),
    ("ctrl+j / alt+enter", "key_newline"),
    ("Tab", "key_complete"),
    ("↑ / ↓", "key_history"),
    ("ctrl+c", "key_copy"),
    ("Escape", "key_escape"),
    ("PageUp / PageDown", "key_scroll_log"),
    ("1-9 / a-i", "key_answer"),
    ("ctrl+p", "key_palette"),
    ("ctrl+q", "key_quit"),
)


def screen_bindings(strings: UiStrings) -> list[Binding]:
    """The main screen's bindings, described in the learner's language."""
    return [
        Binding(
            key.keys,
            key.action,
            str(getattr(strings, key.words)),
            show=key.show,
            priority=key.priority,
            key_display=key.display,
        )
        for key in SCREEN_KEYS
    ]


#: The footer's keys, most needed first: when the terminal is too narrow for all of
#: them, the last ones are left out (they stay in F1's list and the palette).
FOOTER_PRIORITY: tuple[str, ...] = (
    "help",
    "interrupt",
    "next_step",
    "check",
    "hint",
    "example",
    "replay",
    "lessons",
    "solution",
    "prev_step",
)


def _footer_width(keys: Sequence[tuple[str, str]]) -> int:
    """Cells the compact footer takes for (key, description) pairs: `F1 Help `."""
    return sum(cell_len(key) + 1 + cell_len(words) + 1 for key, words in keys)


def footer_hidden(
    shown: Sequence[tuple[str, str, str]], app_keys: Sequence[tuple[str, str]], width: int
) -> frozenset[str]:
    """The actions of `shown` (action, key, words) to leave out so the footer fits `width`.

    `app_keys` (quit, and the palette docked at the right) always keep their place.
    """
    room = width - _footer_width(app_keys) - 3  # the palette's separator, the margins
    kept = list(shown)
    order = {action: i for i, action in enumerate(FOOTER_PRIORITY)}
    while kept and _footer_width([(k, w) for _, k, w in kept]) > room:
        least = max(kept, key=lambda entry: order.get(entry[0], len(order)))
        kept.remove(least)
    return frozenset(action for action, _, _ in shown) - {action for action, _, _ in kept}


def relabel_bindings(
    bindings: BindingsMap, words: Mapping[str, str], shown: Mapping[str, bool] | None = None
) -> None:
    """Give the bindings of the actions in `words` those descriptions (a language switch),
    and, for the actions in `shown`, whether the footer lists them."""
    table: Any = bindings.key_to_bindings
    shown = shown or {}
    for key, listed in table.items():
        table[key] = [
            replace(
                b,
                description=words.get(b.action, b.description),
                show=shown.get(b.action, b.show),
            )
            for b in listed
        ]


def key_names(keys: str) -> str:
    """`f6,ctrl+o` -> `F6 / ctrl+o`: function keys as printed on keyboards."""
    names = [k.upper() if k[:1] == "f" and k[1:].isdigit() else k for k in keys.split(",")]
    return " / ".join(names)


def help_rows(strings: UiStrings) -> list[tuple[str, str]]:
    """(keys, what they do) for every key, in the order the help lists them."""
    rows = [(key_names(key.keys), str(getattr(strings, key.words))) for key in SCREEN_KEYS]
    rows += [(keys, str(getattr(strings, words))) for keys, words in OTHER_KEYS]
    return rows
