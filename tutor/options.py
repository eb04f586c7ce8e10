"""The options every frontend shares (`--lang`, `--lesson`, `--device`, `--timeout`)."""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Literal

from tutor.words import SOURCE_LANGUAGE, languages

Device = Literal["cpu", "gpu", "auto"]
#: The languages the tutor speaks: those with a word catalog (tutor/words/locale).
LANGUAGES = languages()
DEFAULT_TIMEOUT = 10.0


def default_language() -> str:
    """The language of the locale ("zh" for zh_CN.UTF-8) when the tutor speaks it, else
    the source language."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return _spoken(value)
    return _spoken(locale.getlocale()[0] or "")


def _spoken(locale_name: str) -> str:
    code = locale_name.lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


@dataclass(frozen=True)
class Options:
    """What the learner asked for on the command line."""

    lang: str = "en"
    lesson: str | None = None
    device: Device = "auto"
    timeout: float = DEFAULT_TIMEOUT
