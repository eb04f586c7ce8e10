"""`kind = "gradient"`: the learner binds gradients; a None among them did not flow."""

from __future__ import annotations

from tutor.curriculum.kinds.base import ExerciseKind


class GradientKind(ExerciseKind):
    """Like a value exercise, but the values are gradients: a None (a gradient that did
    not flow back) is diagnosed `grad-none` with the reason the answer fork finds (the
    tape did not watch, the path left TensorFlow, the tape was used twice), and on a
    `fresh` re-draw it means the answer was typed in (`constant`)."""
