"""Events about the progress file, kept beside it until a session has shown them.

`tutor` may open the store before a session exists (to read the saved language), and
`tutor progress` opens it without any session: if one of them repairs or sets aside a
damaged file, the learner must still hear of it in the next session. So such events are
written to `progress.sqlite3.notices` (a small JSON list) and removed once shown.
A board that cannot be written or read is skipped: it only ever adds to what the
session that made the event said itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from tutor.progress.events import StoreEvent

log = logging.getLogger(__name__)

#: At most this many events are kept (the newest).
CAPACITY = 20


def board_path(store: Path) -> Path:
    return store.with_name(store.name + ".notices")


def pin(store: Path, event: StoreEvent) -> None:
    """Add `event` to the board beside `store` (best effort)."""
    events = [*read(store), event][-CAPACITY:]
    target = board_path(store)
    temp = target.with_name(target.name + ".tmp")
    try:
        temp.write_text(json.dumps([e.to_json() for e in events]), encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        log.warning("could not keep a notice about %s for the next session: %s", store, exc)
        with contextlib.suppress(OSError):
            temp.unlink()


def read(store: Path) -> list[StoreEvent]:
    """The events on the board (none when it is missing or unreadable)."""
    try:
        with board_path(store).open("rb") as handle:
            data = json.loads(handle.read(1 << 20))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [event for item in data if (event := StoreEvent.from_json(item)) is not None]


def clear(store: Path) -> None:
    with contextlib.suppress(OSError):
        board_path(store).unlink()
