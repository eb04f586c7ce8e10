"""The words of a check's verdict, in the learner's language: one function for every frontend.

The kernel says *what* is wrong (a diagnosis id and its facts); this module says it to
the learner. `tutor check`, the Textual tutor and `--plain` all call `feedback_for`,
so they always say the same thing. A lesson can reword any diagnosis, or give words
for its own mistakes, with `::: feedback ID` blocks; those win over the words here.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping
from typing import Any

from tutor.curriculum.lesson_toml import BUILTIN_DIAGNOSES
from tutor.curriculum.model import Exercise
from tutor.kernel.protocol import CheckResult
from tutor.textflow import plain_inline, reflow
from tutor.words import N_, say

#: The built-in diagnoses of lessons/README.md, in the order they are tried.
DIAGNOSES: tuple[str, ...] = BUILTIN_DIAGNOSES

#: Ways to praise a pass (one is chosen per exercise, the same every time).
PRAISE: tuple[str, ...] = (
    N_("feedback.praise-1"),
    N_("feedback.praise-2"),
    N_("feedback.praise-3"),
    N_("feedback.praise-4"),
    N_("feedback.praise-5"),
)

# Each template is filled with the check's details plus `subject` (the name, or the call
# for a function), the shapes written as tuples, and `op`, `got_axis`, `expected_axis`
# in the learner's words. The texts live in the catalog (tutor/words), ids "feedback.…".
WORDS: dict[str, str] = {
    "missing": N_("feedback.missing"),
    "error": N_("feedback.error"),
    "error/function": N_("feedback.error/function"),
    "error/fresh": N_("feedback.error/fresh"),
    "not-callable": N_("feedback.not-callable"),
    "forbidden": N_("feedback.forbidden"),
    "grad-none/not-watched": N_("feedback.grad-none/not-watched"),
    "grad-none/integer": N_("feedback.grad-none/integer"),
    "grad-none/not-trainable": N_("feedback.grad-none/not-trainable"),
    "grad-none/not-a-tensor": N_("feedback.grad-none/not-a-tensor"),
    "grad-none/outside-tape": N_("feedback.grad-none/outside-tape"),
    "grad-none/left-tensorflow": N_("feedback.grad-none/left-tensorflow"),
    "grad-none/tape-used-twice": N_("feedback.grad-none/tape-used-twice"),
    "grad-none": N_("feedback.grad-none"),
    "type": N_("feedback.type"),
    "type/none": N_("feedback.type/none"),
    "type/parts": N_("feedback.type/parts"),
    "dtype": N_("feedback.dtype"),
    "dtype/values-right": N_("feedback.dtype/values-right"),
    "dtype/float-int": N_("feedback.dtype/float-int"),
    "dtype/int-float": N_("feedback.dtype/int-float"),
    "rank": N_("feedback.rank"),
    "transposed": N_("feedback.transposed"),
    "transposed/square": N_("feedback.transposed/square"),
    "wrong-axis": N_("feedback.wrong-axis"),
    "keepdims/kept": N_("feedback.keepdims/kept"),
    "keepdims/dropped": N_("feedback.keepdims/dropped"),
    "shape": N_("feedback.shape"),
    "elementwise": N_("feedback.elementwise"),
    "elementwise/matrix": N_("feedback.elementwise/matrix"),
    "sign": N_("feedback.sign"),
    "factor": N_("feedback.factor"),
    "tape-required": N_("feedback.tape-required"),
    "random": N_("feedback.random"),
    "conditional": N_("feedback.conditional"),
    "constant": N_("feedback.constant"),
    "constant/special-case": N_("feedback.constant/special-case"),
    "constant/required": N_("feedback.constant/required"),
    "values": N_("feedback.values"),
    "values/scalar": N_("feedback.values/scalar"),
    "values/ratio": N_("feedback.values/ratio"),
    "dtype/shape": N_("feedback.dtype/shape"),
    "error/rerun-timeout": N_("feedback.error/rerun-timeout"),
    "error/rerun-killed": N_("feedback.error/rerun-killed"),
    "error/rerun-crashed": N_("feedback.error/rerun-crashed"),
    "error/rerun-interrupted": N_("feedback.error/rerun-interrupted"),
    "check-error": N_("feedback.check-error"),
    "unknown": N_("feedback.unknown"),
}

#: What a reduction does, as a verb phrase ("sums", "takes the maximum of").
_OPS = {
    "sum": N_("feedback.op.sum"),
    "mean": N_("feedback.op.mean"),
    "max": N_("feedback.op.max"),
    "min": N_("feedback.op.min"),
    "prod": N_("feedback.op.prod"),
    "norm": N_("feedback.op.norm"),
    "argmax": N_("feedback.op.argmax"),
    "argmin": N_("feedback.op.argmin"),
    "cumsum": N_("feedback.op.cumsum"),
}


def praise(exercise_id: str, lang: str) -> str:
    """A short encouragement, the same every time for the same exercise."""
    return say(lang, PRAISE[zlib.crc32(exercise_id.encode()) % len(PRAISE)])


def feedback_for(check: CheckResult, exercise: Exercise, lang: str) -> str:
    """What the learner reads about this check, in `lang`."""
    if check.passed:
        return praise(exercise.id, lang)
    diagnosis = check.diagnosis or ""
    own = exercise.feedback.get(diagnosis)
    if own:  # the lesson's Markdown, as text (code spans keep their backticks)
        return plain_inline(reflow(own))
    return builtin_words(diagnosis, check.details, lang, fallback=check.feedback)


def with_feedback(check: CheckResult, exercise: Exercise, lang: str) -> CheckResult:
    """The check with its words filled in."""
    return dataclasses.replace(check, feedback=feedback_for(check, exercise, lang))


def builtin_words(
    diagnosis: str, details: Mapping[str, Any], lang: str, *, fallback: str = ""
) -> str:
    """The built-in words for a diagnosis, filled with its details."""
    key = _template_key(diagnosis, details)
    if key is None:
        return fallback or say(lang, "feedback.unknown")
    fields = _fields(details, lang, fallback)
    text = say(lang, WORDS[key]).format_map(_Blank(fields))
    if key == "values/scalar" and isinstance(details.get("ratio"), int | float):
        ratio = format(details["ratio"], "g")
        text += say(lang, "feedback.values/ratio", ratio=ratio)
    if key.startswith("dtype") and _int_for_float(details):
        text += say(lang, "feedback.dtype/int-float")
    elif key.startswith("dtype") and _float_for_int(details):
        text += say(lang, "feedback.dtype/float-int")
    hint = details.get("hint")
    if key.startswith("error") and isinstance(hint, str) and hint:
        text += say(lang, "feedback.hint", hint=hint)
    return text


def _template_key(diagnosis: str, details: Mapping[str, Any]) -> str | None:
    if diagnosis == "error":
        phase = details.get("phase")
        if phase == "rerun":
            return (
                f"error/rerun-{details.get('outcome')}"
                if f"error/rerun-{details.get('outcome')}" in WORDS
                else "error/rerun-crashed"
            )
        return f"error/{phase}" if f"error/{phase}" in WORDS else "error"
    if diagnosis == "grad-none":
        reason = f"grad-none/{details.get('reason')}"
        return reason if reason in WORDS else "grad-none"
    if diagnosis == "type":
        if "expected_parts" in details:
            return "type/parts"
        return "type/none" if details.get("got_type") == "NoneType" else "type"
    if diagnosis == "dtype":
        if "got_shape" in details and details.get("got_shape") != details.get("expected_shape"):
            return "dtype/shape"
        return "dtype/values-right" if details.get("value_matches") is True else "dtype"
    if diagnosis == "transposed" and details.get("got_shape") == details.get("expected_shape"):
        return "transposed/square"
    if diagnosis == "keepdims":
        return "keepdims/kept" if details.get("kept") else "keepdims/dropped"
    if diagnosis == "elementwise" and details.get("got_op") == "@":
        return "elementwise/matrix"
    if diagnosis == "constant" and details.get("required"):
        return "constant/required"
    if diagnosis == "constant" and details.get("followed_data"):
        return "constant/special-case"
    if diagnosis == "values" and not details.get("index"):
        return "values/scalar"
    return diagnosis if diagnosis in WORDS else None


def _int_for_float(details: Mapping[str, Any]) -> bool:
    """An integer answer where a float one is wanted (the advice is to ask for floats)."""
    got, expected = str(details.get("got_dtype", "")), str(details.get("expected_dtype", ""))
    return "int" in got and "float" in expected


def _float_for_int(details: Mapping[str, Any]) -> bool:
    got, expected = str(details.get("got_dtype", "")), str(details.get("expected_dtype", ""))
    return "float" in got and "int" in expected


class _Blank(dict[str, Any]):
    """Missing details read as "?" rather than failing: a check from an older kernel."""

    def __missing__(self, key: str) -> str:
        return "?"


def _fields(details: Mapping[str, Any], lang: str, fallback: str) -> dict[str, Any]:
    fields: dict[str, Any] = {k: v for k, v in details.items() if v is not None}
    name = str(details.get("name") or "")
    subject = str(details.get("call") or name or "?")
    if "part" in details:
        subject = f"{subject}[{details['part']}]"
    fields["subject"] = subject
    fields["name"] = name or "?"
    for key in ("got_shape", "expected_shape"):
        if isinstance(details.get(key), list):
            fields[key] = shape_text(details[key])
    if isinstance(details.get("index"), list):
        fields["index"] = "[" + ", ".join(str(i) for i in details["index"]) + "]"
    if not fields.get("message"):
        fields["message"] = fallback or "?"
    op = str(details.get("op"))
    fields["op"] = say(lang, _OPS[op]) if op in _OPS else op
    for which in ("got_axis", "expected_axis"):
        fields[which] = _axis_words(details.get(which), lang)
    if isinstance(details.get("factor"), int | float):
        fields["factor"] = f"{details['factor']:g}"
    return fields


def shape_text(shape: list[int]) -> str:
    """A shape as Python writes a tuple: (5, 4), (4,), ()."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _axis_words(axis: Any, lang: str) -> str:
    if axis is None:
        return say(lang, "feedback.all-axes")
    if isinstance(axis, list):
        return say(lang, "feedback.axes", axes=", ".join(str(a) for a in axis))
    return say(lang, "feedback.axis", axis=axis)
