"""Where the tutor keeps its data: one place, so nothing else guesses a path.

`TUTOR_HOME` overrides the platform's user data directory. Nothing here creates a
folder at import time; callers ask for `data_dir(create=True)` when they write.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tutor"


def data_dir(*, create: bool = False) -> Path:
    """The learner's data directory: `TUTOR_HOME`, else the platform's user data dir."""
    override = os.environ.get("TUTOR_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def progress_file() -> Path:
    """The SQLite progress store."""
    return data_dir() / "progress.sqlite3"


def log_file() -> Path:
    """The tutor's own log (its errors, never the learner's)."""
    return data_dir() / "tutor.log"


def lessons_dir() -> Path:
    """The curriculum: `TUTOR_LESSONS` if set (lesson authors, tests), else `lessons/` in a
    source checkout, `tutor/_lessons` in a built wheel."""
    override = os.environ.get("TUTOR_LESSONS")
    if override:
        return Path(override).expanduser()
    package = Path(__file__).resolve().parent
    bundled = package / "_lessons"
    if bundled.is_dir():
        return bundled
    return package.parent / "lessons"


def history_file() -> Path:
    """A plain-text input history, used only when the progress store cannot be opened."""
    return data_dir() / "history.txt"
