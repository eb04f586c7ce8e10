"""Tab completion of names and attributes from the live namespace (`tf.res` -> `tf.reshape`)."""

from __future__ import annotations

import builtins
import keyword
import re
from typing import Any

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$")
MAX_MATCHES = 60


def complete(text: str, namespace: dict[str, Any]) -> list[str]:
    """Full replacements for the dotted name that ends `text`, sorted, public first.

    Attributes are looked up with `getattr` along the path only (no code is evaluated),
    so completing `x.sha` never runs the learner's functions.
    """
    match = _DOTTED.search(text)
    if not match:
        return []
    word = match.group()
    if "." not in word:
        pool = set(namespace) | set(dir(builtins)) | set(keyword.kwlist)
        return _rank(word, pool, "")
    path, _, prefix = word.rpartition(".")
    parts = path.split(".")
    if parts[0] not in namespace:
        return []
    obj = namespace[parts[0]]
    try:
        for part in parts[1:]:
            obj = getattr(obj, part)
        names = set(dir(obj))
    except Exception:
        return []
    return _rank(prefix, names, path + ".")


def _rank(prefix: str, pool: set[str], head: str) -> list[str]:
    found = [n for n in pool if n.startswith(prefix)]
    if not prefix.startswith("_"):
        found = [n for n in found if not n.startswith("_")]
    found.sort(key=lambda n: (n.startswith("_"), n.lower()))
    return [head + n for n in found[:MAX_MATCHES]]
