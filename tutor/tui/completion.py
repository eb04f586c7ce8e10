"""Tab completion's text work: the dotted name before the cursor, and what a match makes of it.

The kernel answers `Session.complete(text)` with full dotted names (`tf.res` ->
`tf.reshape`); these pure functions decide what part of the input a match replaces.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$")


def token_before(text: str) -> str:
    """The dotted name that ends `text` (`y = tf.res` -> `tf.res`), or ''."""
    match = _TOKEN.search(text)
    return match.group() if match else ""


def wants_completion(text: str) -> bool:
    """Tab completes after a name or a dot, and indents anywhere else."""
    return bool(token_before(text))


def completion_insert(token: str, match: str) -> str:
    """The characters to insert after `token` so that it becomes `match`.

    A match that does not extend the token (a kernel answering with only the last part,
    `res` -> `reshape`) is taken as completing the token's last component.
    """
    if match.startswith(token):
        return match[len(token) :]
    last = token.rpartition(".")[2]
    if match.startswith(last):
        return match[len(last) :]
    return ""


def shared_extension(token: str, matches: list[str]) -> str:
    """What all matches add to the token in common (what Tab can insert at once)."""
    inserts = [completion_insert(token, m) for m in matches]
    if not inserts:
        return ""
    shortest = min(inserts, key=len)
    for i, char in enumerate(shortest):
        if any(other[i] != char for other in inserts):
            return shortest[:i]
    return shortest
