"""What a hint rule knows about an error, and the small helpers rules share."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tutor.kernel.protocol import Said


@dataclass(frozen=True)
class Context:
    """One error as the rules see it: its type's bare name, its message, and the names
    around it (the namespace, `dir(tf)`, the attributes of the object it was raised on)."""

    error_type: str
    message: str
    names: frozenset[str]
    tf_attributes: frozenset[str]
    value_attributes: frozenset[str]


def then(first: Said, *more: Said) -> Said:
    """Sentences said one after the other (English puts a space between them)."""
    said = first
    for second in more:
        said = Said("hint.then", {"first": said, "second": second})
    return said


def did_you_mean(code: str) -> Said:
    return Said("hint.did-you-mean", {"code": code})


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The nearest public candidate: case-insensitive equal first, then difflib."""
    public = [c for c in candidates if not c.startswith("_")]
    folded = {c.lower(): c for c in public}
    if word.lower() in folded:
        return folded[word.lower()]
    matches = difflib.get_close_matches(word, public, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def parse_shape(text: str) -> tuple[int, ...]:
    """ "3,2" (a shape in a TensorFlow message) -> (3, 2)."""
    return tuple(int(part) for part in text.split(",") if part.strip())


def show_shape(shape: Sequence[int]) -> str:
    """A shape as Python writes a tuple: (3, 2), (4,), ()."""
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
