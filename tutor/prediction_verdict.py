"""The verdict on a prediction, in the learner's language: one function for both frontends.

`tutor.predictions` reads and compares; this says it. The truth is the lesson's stored
answer (proved by the validator to be what the code gives), never a value computed in
the learner's kernel: the kernel only runs the code afterwards, for the learner to see
TensorFlow's own output beside their prediction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "howto-shape": 'Type your prediction of the shape, e.g. (3, 4) or () for a scalar; or "error" if it fails.',
        "howto-dtype": 'Type your prediction of the dtype, e.g. float32 or int32; or "error" if it fails.',
        "howto-value": 'Type your prediction of the value: a number, True/False or a short list such as [1, 2, 3]; or "error" if it fails.',
        "howto-error": 'Does it fail? Type "error" (or the error\'s name, e.g. InvalidArgumentError) or "no error".',
        "unread-shape": 'I cannot read "{text}" as a shape. Write it like (3, 4), 3x4 or () for a scalar; or "error".',
        "unread-dtype": 'I cannot read "{text}" as a dtype. Name it with its size, e.g. float32, float64, int32 or bool; or "error".',
        "unread-value": 'I cannot read "{text}" as a value. Write a number (0.25), True/False or a short list such as [1, 4, 16]; or "error".',
        "unread-error": 'Answer "error" (or the error\'s name, e.g. InvalidArgumentError) or "no error".',
        "is-shape": "the shape is {truth}",
        "is-dtype": "the dtype is {truth}",
        "is-value": "the value is {truth}",
        "is-error": "it raises {truth}",
        "is-runs": "it runs without an error",
        "right": "Right: {fact}.",
        "right-other-error": "Right, it fails, though with {truth} rather than {predicted}.",
        "wrong": "Not quite: you predicted {predicted}, but {fact}.",
        "an-error": "error",
        "you": "You predicted:",
        "tensorflow": "TensorFlow:",
    },
    "zh": {
        "howto-shape": "请写出你预测的形状，例如 (3, 4)，标量写 ()；如果你认为会报错，写 error（或者写 报错）。",
        "howto-dtype": "请写出你预测的 dtype，例如 float32 或 int32；如果你认为会报错，写 error（或者写 报错）。",
        "howto-value": "请写出你预测的值：一个数、True/False 或一个短列表，例如 [1, 2, 3]；如果你认为会报错，写 error（或者写 报错）。",
        "howto-error": "它会报错吗？写 error（或错误的名称，例如 InvalidArgumentError），或者写“不报错”。",
        "unread-shape": "无法把“{text}”读成形状。请写成 (3, 4)、3x4 的样子，标量写 ()；或者写 error。",
        "unread-dtype": "无法把“{text}”读成 dtype。请写出带位数的名称，例如 float32、float64、int32 或 bool；或者写 error。",
        "unread-value": "无法把“{text}”读成一个值。请写一个数（0.25）、True/False 或一个短列表，例如 [1, 4, 16]；或者写 error。",
        "unread-error": "请回答 error（或错误的名称，例如 InvalidArgumentError），或者“不报错”。",
        "is-shape": "它的形状是 {truth}",
        "is-dtype": "它的 dtype 是 {truth}",
        "is-value": "它的值是 {truth}",
        "is-error": "它会引发 {truth}",
        "is-runs": "它能正常运行，不会报错",
        "right": "预测正确：{fact}。",
        "right-other-error": "预测正确，它确实会报错，不过引发的是 {truth}，而不是 {predicted}。",
        "wrong": "预测有误：你预测的是 {predicted}，实际上{fact}。",
        "an-error": "报错",
        "you": "你的预测：",
        "tensorflow": "TensorFlow：",
    },
}


def word(lang: str, key: str, **values: Any) -> str:
    """One phrase of the prediction words, in `lang` (English when unknown)."""
    return _WORDS.get(lang, _WORDS["en"])[key].format(**values)


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
