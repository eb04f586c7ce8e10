"""The store's events and health in the learner's words (the catalog's "progress." ids).

Each message says what happened, what was (or was not) kept, why, and what the learner
can do about it; the technical detail goes to tutor.log, not here. Both frontends show
these: the TUI as a toast and in the status bar, line mode as a line.
"""

from __future__ import annotations

from pathlib import Path

from tutor.progress.causes import Cause
from tutor.progress.events import StoreEvent, StoreHealth, Unsaved
from tutor.words import N_, say

#: Why, as a clause: {path} is the file, {folder} its folder.
_CAUSES: dict[Cause, str] = {
    "disk-full": N_("progress.cause.disk-full"),
    "too-large": N_("progress.cause.too-large"),
    "read-only": N_("progress.cause.read-only"),
    "locked": N_("progress.cause.locked"),
    "damaged": N_("progress.cause.damaged"),
    "moved": N_("progress.cause.moved"),
    "io": N_("progress.cause.io"),
    "memory": N_("progress.cause.memory"),
    "newer": N_("progress.cause.newer"),
    "wal-deleted": N_("progress.cause.wal-deleted"),
    "unknown": N_("progress.cause.unknown"),
}

#: What to do, as a sentence (a cause with nothing to do has none).
_TODO: dict[Cause, str] = {
    "disk-full": N_("progress.todo.disk-full"),
    "too-large": N_("progress.todo.too-large"),
    "read-only": N_("progress.todo.read-only"),
    "locked": N_("progress.todo.locked"),
    "io": N_("progress.todo.io"),
    "memory": N_("progress.todo.memory"),
    "newer": N_("progress.todo.newer"),
    "wal-deleted": N_("progress.todo.wal-deleted"),
}

#: Why, in a few words for a status bar.
_SHORT: dict[Cause, str] = {
    "disk-full": N_("progress.short.disk-full"),
    "too-large": N_("progress.short.too-large"),
    "read-only": N_("progress.short.read-only"),
    "locked": N_("progress.short.locked"),
    "damaged": N_("progress.short.damaged"),
    "moved": N_("progress.short.moved"),
    "io": N_("progress.short.io"),
    "memory": N_("progress.short.memory"),
    "newer": N_("progress.short.newer"),
    "wal-deleted": N_("progress.short.wal-deleted"),
    "unknown": N_("progress.short.unknown"),
}

#: How much was not saved, per field of `Unsaved`: (one, many) message ids.
_TALLY: dict[str, tuple[str, str]] = {
    "passes": (N_("progress.tally.passes-one"), N_("progress.tally.passes-many")),
    "attempts": (N_("progress.tally.attempts-one"), N_("progress.tally.attempts-many")),
    "reveals": (N_("progress.tally.reveals-one"), N_("progress.tally.reveals-many")),
    "answers": (N_("progress.tally.answers-one"), N_("progress.tally.answers-many")),
    "resets": (N_("progress.tally.resets-one"), N_("progress.tally.resets-many")),
    "cells": (N_("progress.tally.cells-one"), N_("progress.tally.cells-many")),
    "history": (N_("progress.tally.history-one"), N_("progress.tally.history-many")),
    "settings": (N_("progress.tally.settings-one"), N_("progress.tally.settings-many")),
    "position": (N_("progress.tally.position-one"), ""),
}
#: The events said in one sentence from their cause and file alone.
_PLAIN_EVENTS: dict[str, str] = {
    "read-failed": N_("progress.read-failed"),
    "moved": N_("progress.moved"),
    "position-shared": N_("progress.position-shared"),
}


def tally(unsaved: Unsaved, lang: str) -> str:
    """ "your pass of an exercise, 3 cells you ran and your place in the lesson"."""
    parts: list[str] = []
    for name, (one, many) in _TALLY.items():
        value = getattr(unsaved, name)
        if name == "position":
            if value:
                parts.append(say(lang, one))
        elif value == 1:
            parts.append(say(lang, one))
        elif value:
            parts.append(say(lang, many, n=value))
    if not parts:
        return "0"
    if len(parts) == 1:
        return parts[0]
    return say(lang, "progress.comma").join(parts[:-1]) + say(lang, "progress.and") + parts[-1]


def cause_words(cause: Cause | None, path: Path | None, lang: str) -> str:
    """Why, as a clause naming the file or its folder."""
    return say(lang, _CAUSES[cause or "unknown"], **_places(path))


def todo_words(cause: Cause | None, path: Path | None, lang: str) -> str:
    msgid = _TODO.get(cause or "unknown")
    return say(lang, msgid, **_places(path)) if msgid else ""


def describe(event: StoreEvent, lang: str) -> str:
    """The event as one or two sentences for the learner."""
    path = event.path
    places = _places(path)
    why = cause_words(event.cause, path, lang)
    if event.kind == "not-saved":
        todo = todo_words(event.cause, path, lang)
        keeps = say(lang, "progress.keeps")
        if todo:
            keeps = say(lang, "progress.todo-then-keeps", todo=todo, keeps=keeps)
        what = tally(event.unsaved, lang)
        text = say(lang, "progress.not-saved", what=what, why=_capital(why), todo=keeps)
    elif event.kind == "saved-again":
        text = say(lang, "progress.saved-again", what=tally(event.unsaved, lang))
    elif event.kind == "lost":
        text = say(lang, "progress.lost", what=tally(event.unsaved, lang), why=why)
    elif event.kind == "repaired":
        unreadable = (
            say(lang, "progress.unreadable", n=event.unreadable) if event.unreadable else ""
        )
        msgid = N_("progress.repaired") if event.kept_as else N_("progress.read-only-repair")
        text = say(
            lang,
            msgid,
            records=event.records,
            unreadable=unreadable,
            kept_as=event.kept_as,
            **places,
        )
    elif event.kind == "set-aside":
        text = say(lang, "progress.set-aside", kept_as=event.kept_as, detail=event.detail, **places)
    elif event.kind == "not-persistent":
        todo = todo_words(event.cause, path, lang)
        text = say(lang, "progress.not-persistent", why=why, todo=todo)
    else:
        text = say(lang, _PLAIN_EVENTS[event.kind], why=why, **places)
    return text.strip()


def health_label(health: StoreHealth, lang: str) -> str | None:
    """A few words for a status bar while nothing is being saved; None while saving works
    (and for a store kept in memory on purpose, which has no cause)."""
    if health.cause is None:
        return None
    why = say(lang, _SHORT[health.cause or "unknown"])
    if not health.persistent:
        return say(lang, "progress.label-off", why=why)
    return say(lang, "progress.label-unsaved", n=max(health.unsaved.count, 1), why=why)


def _places(path: Path | None) -> dict[str, str]:
    if path is None:
        return {"path": "(memory)", "folder": "(memory)"}
    return {"path": str(path), "folder": str(path.parent)}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
