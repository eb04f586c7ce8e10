"""The validator's proof that a predict question's stored answer is what its code gives.

The walk (tutor.validation.running) calls `prove_prediction` at the question's step,
in the lesson's namespace as a learner has it there. The code runs as a cell, exactly
as `Session.run_prediction` runs it after the verdict; then, when it gave a value, a
probe cell prints what that value is (shape, dtype, numbers) as a Python literal. The
stored answer must agree with it by the rule the learner is judged by
(`tutor.predictions.agrees`), and a stored error must be the error raised.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

from tutor.curriculum.model import Question, Step
from tutor.kernel.api import Kernel
from tutor.kernel.protocol import CellResult
from tutor.prediction_verdict import fact
from tutor.predictions import (
    Prediction,
    Raises,
    Runs,
    agrees,
    parse_prediction,
    same_error,
    truth_for,
)
from tutor.validation.report import Tally

#: A cell of a lesson gets this long (as tutor.validation.running's CELL_TIMEOUT).
_TIMEOUT = 30.0

#: Run right after the question's code: describes `_` (its trailing value) and leaves
#: the namespace as it found it.
PROBE = """
def _tutor_describe(value):
    if isinstance(value, tf.TensorShape):
        dims = value.as_list()
        return {"shape": dims, "dtype": None, "value": repr(dims)}
    if isinstance(value, tf.DType):
        return {"shape": None, "dtype": value.name, "value": None}
    dtype = getattr(value, "dtype", None)
    try:
        name = tf.as_dtype(dtype).name if dtype is not None else type(value).__name__
    except TypeError:
        name = str(dtype)
    array = np.asarray(value)
    numeric = array.dtype.kind in "biuf" and array.size <= 64
    value = repr(array.tolist()) if numeric else None  # a string: nan is no literal
    return {"shape": list(array.shape), "dtype": name, "value": value}
print(repr(_tutor_describe(_)))
del _tutor_describe
"""


async def prove_prediction(kernel: Kernel, step: Step, toml: Path, tally: Tally) -> None:
    """If the step asks for a prediction, prove its stored answer in the walk's namespace."""
    question = step.question
    if question is None or question.kind != "predict" or question.ask is None:
        return
    where = f"question `{question.id}`"
    line = _question_line(toml).get(question.id, 0)
    stored = parse_prediction(question.expected, question.ask)
    if stored is None:
        return  # the loader has reported it
    result = await kernel.run_cell(question.code, timeout=_TIMEOUT)
    truth = await _truth(kernel, question, result)
    if isinstance(truth, str):
        tally.fail(str(toml), line, f"{where}: {truth}")
        return
    if not agrees(stored, truth, question.tolerance) or (
        isinstance(truth, Raises) and not same_error(stored, truth)
    ):
        tally.fail(
            str(toml),
            line,
            f"{where}: the stored answer {question.expected!r} is not what the code gives: "
            f"{fact(truth, 'en')}",
        )


async def _truth(kernel: Kernel, question: Question, result: CellResult) -> Prediction | str:
    """What the code gave, as the answer to the question's ask, or why it cannot say."""
    assert question.ask is not None
    if result.outcome == "error" and result.error is not None:
        return Raises(result.error.type.rsplit(".", 1)[-1])
    if not result.ok:
        return f"the code ended with {result.outcome}"
    if question.ask == "error":
        return Runs()
    if result.value is None:
        return "the code gives no value to predict (end it with an expression)"
    probe = await kernel.run_cell(PROBE, timeout=_TIMEOUT)
    description = _description(probe)
    if description is None:
        return f"the value could not be described: {probe.stdout or probe.error}"
    truth = truth_for(question.ask, description)
    if truth is None:
        if question.ask == "value":
            return "the value is not a number or a short list (at most 64 numbers) to predict"
        return f"the value has no {question.ask} to predict ({description})"
    return truth


def _description(probe: CellResult) -> Mapping[str, object] | None:
    if not probe.ok:
        return None
    try:
        described = ast.literal_eval(probe.stdout.strip())
    except (ValueError, SyntaxError):
        return None
    return described if isinstance(described, dict) else None


def _question_line(toml: Path) -> dict[str, int]:
    from tutor.validation.places import toml_places

    return toml_places(toml).questions
