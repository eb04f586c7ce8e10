"""`kind = "value"`: the learner binds values; each is compared with the solution's."""

from __future__ import annotations

from tutor.curriculum.kinds.base import ExerciseKind


class ValueKind(ExerciseKind):
    """The values of `names` after the learner's code, each compared with the solution's
    on the data shown (and on every `fresh` re-draw)."""
