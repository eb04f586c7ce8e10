"""A prediction beside the truth, as the question card shows it after the code ran.

    You predicted:  (4, 3)
    TensorFlow:     <tf.Tensor: shape=(3, 4), dtype=float32, numpy=...

The TensorFlow row is the cell's own output in the learner's kernel (untrusted: Text
only, never markup), or the stored truth when the kernel showed nothing.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from tutor.kernel.protocol import CellResult
from tutor.prediction_verdict import PredictionFacts, word
from tutor.tui.cell_text import error_entry


def prediction_beside(
    facts: PredictionFacts, result: CellResult | None, lang: str
) -> RenderableType:
    """Two rows: the learner's prediction, and what TensorFlow gave."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    style = "green" if facts.correct else "yellow"
    grid.add_row(word(lang, "you"), Text(facts.predicted, style=style))
    grid.add_row(word(lang, "tensorflow"), _shown(facts, result, lang))
    return grid


def _shown(facts: PredictionFacts, result: CellResult | None, lang: str) -> RenderableType:
    if result is not None and result.error is not None:
        return error_entry(result, lang)
    if result is not None and (result.value is not None or result.stdout):
        return Text((result.stdout + (result.value or "")).rstrip("\n"))
    return Text(facts.truth)
