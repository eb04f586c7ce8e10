"""A prediction beside the truth, as plain lines: what the learner said, what TensorFlow shows.

You predicted: (4, 3)
TensorFlow:    <tf.Tensor: shape=(3, 4), dtype=float32, numpy=
               array([[2., 2., 2., 2.], ...
"""

from __future__ import annotations

from tutor.kernel.protocol import CellResult
from tutor.line.result_text import cell_lines
from tutor.prediction_verdict import PredictionFacts, word
from tutor.textflow import display_width


def prediction_lines(
    facts: PredictionFacts, result: CellResult | None, lang: str, width: int
) -> list[str]:
    """The learner's prediction and, beside it, the code's output in their kernel."""
    you, tensorflow = word(lang, "you"), word(lang, "tensorflow")
    column = max(display_width(you), display_width(tensorflow)) + 1
    lines = [_pad(you, column) + facts.predicted]
    shown = cell_lines(result, lang, max(width - column, 20)) if result is not None else []
    shown = shown or [facts.truth]
    lines.append(_pad(tensorflow, column) + shown[0])
    lines += [" " * column + line if line else "" for line in shown[1:]]
    return lines


def _pad(label: str, column: int) -> str:
    return label + " " * (column - display_width(label))
