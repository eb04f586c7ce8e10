"""The verdict on a prediction, in the learner's language: one function for both frontends.

`tutor.predictions` reads and compares; this says it. The truth is the lesson's stored
answer (proved by the validator to be what the code gives), never a value computed in
the learner's kernel: the kernel only runs the code afterwards, for the learner to see
TensorFlow's own output beside their prediction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor import words
from tutor.curriculum.model import Question
from tutor.predictions import (
    Ask,
    DType,
    Prediction,
    Raises,
    Runs,
    Shape,
    Value,
    agrees,
    parse_prediction,
    same_error,
)
from tutor.words import N_

#: A key `word` is given names the catalog's message "predict." + key.
_PREFIX = "predict."
#: Every message of a verdict (so the catalog's test sees each one said).
_MESSAGES = (
    N_("predict.an-error"),
    N_("predict.howto-dtype"),
    N_("predict.howto-error"),
    N_("predict.howto-shape"),
    N_("predict.howto-value"),
    N_("predict.is-dtype"),
    N_("predict.is-error"),
    N_("predict.is-runs"),
    N_("predict.is-shape"),
    N_("predict.is-value"),
    N_("predict.right"),
    N_("predict.right-other-error"),
    N_("predict.tensorflow"),
    N_("predict.unread-dtype"),
    N_("predict.unread-error"),
    N_("predict.unread-shape"),
    N_("predict.unread-value"),
    N_("predict.wrong"),
    N_("predict.you"),
)


def word(lang: str, key: str, **values: Any) -> str:
    """One phrase of the prediction words, in `lang` (English when unknown)."""
    return words.say(lang, _PREFIX + key, **values)


@dataclass(frozen=True)
class PredictionFacts:
    """A readable prediction, judged: what the learner said, what is true, and the verdict."""

    predicted: str
    truth: str
    correct: bool


@dataclass(frozen=True)
class PredictionJudgement:
    """The words of a verdict, and its facts (None when the answer could not be read)."""

    feedback: str
    facts: PredictionFacts | None = None


def howto(question: Question, lang: str) -> str:
    """What to type for a predict question ("Type your prediction of the shape...")."""
    return word(lang, f"howto-{question.ask or 'value'}")


def judge_prediction(question: Question, text: str, lang: str) -> PredictionJudgement:
    """Judge the learner's prediction against the question's stored answer."""
    ask: Ask = question.ask or "value"
    truth = parse_prediction(question.expected, ask)
    predicted = parse_prediction(text, ask)
    if predicted is None or truth is None:
        return PredictionJudgement(word(lang, f"unread-{ask}", text=text.strip()))
    correct = agrees(predicted, truth, question.tolerance)
    facts = PredictionFacts(shown(predicted, lang), shown(truth, lang), correct)
    if correct and isinstance(truth, Raises) and not same_error(predicted, truth):
        feedback = word(lang, "right-other-error", truth=facts.truth, predicted=facts.predicted)
    elif correct:
        feedback = word(lang, "right", fact=fact(truth, lang))
    else:
        feedback = word(lang, "wrong", predicted=facts.predicted, fact=fact(truth, lang))
    return PredictionJudgement(feedback, facts)


def fact(truth: Prediction, lang: str) -> str:
    """The truth as a clause: "the shape is (3, 4)", "it raises InvalidArgumentError"."""
    key = {Shape: "is-shape", DType: "is-dtype", Value: "is-value", Raises: "is-error"}
    if isinstance(truth, Runs):
        return word(lang, "is-runs")
    return word(lang, key[type(truth)], truth=shown(truth, lang))


def shown(prediction: Prediction, lang: str) -> str:
    """A prediction written the one way the tutor writes it: (3, 4), float32, [1, 4]."""
    if isinstance(prediction, Raises) and prediction.type is None:
        return word(lang, "an-error")
    return str(prediction)
