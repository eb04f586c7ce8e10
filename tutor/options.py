"""The options every frontend shares (`--lang`, `--lesson`, `--device`, `--timeout`)."""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Literal

Device = Literal["cpu", "gpu", "auto"]
LANGUAGES = ("en", "zh")
DEFAULT_TIMEOUT = 10.0


def default_language() -> str:
    """`zh` when the locale is Chinese, else `en`."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"


@dataclass(frozen=True)
class Options:
    """What the learner asked for on the command line."""

    lang: str = "en"
    lesson: str | None = None
    device: Device = "auto"
    timeout: float = DEFAULT_TIMEOUT
