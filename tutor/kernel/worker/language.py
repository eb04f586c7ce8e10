"""The learner's language inside the kernel, for the words the kernel writes (hints).

Set from each request (`"lang"`); the kernel answers one request at a time.
"""

from __future__ import annotations

current = "en"


def set_language(lang: object) -> None:
    global current
    current = lang if lang in ("en", "zh") else "en"
