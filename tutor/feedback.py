"""The words of a check's verdict, in English and Chinese: one function for every frontend.

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

#: The built-in diagnoses of lessons/README.md, in the order they are tried.
DIAGNOSES: tuple[str, ...] = BUILTIN_DIAGNOSES

PRAISE: dict[str, tuple[str, ...]] = {
    "en": (
        "Correct!",
        "Well done: that is right.",
        "Right: the values match.",
        "Exactly right.",
        "Passed. Nicely done.",
    ),
    "zh": (
        "正确！",
        "做得好，完全正确。",
        "对了：数值一致。",
        "完全正确。",
        "通过，干得漂亮。",
    ),
}

# Each template is filled with the check's details plus `subject` (the name, or the call
# for a function) and the shapes written as tuples.
WORDS: dict[str, dict[str, str]] = {
    "missing": {
        "en": "`{name}` is not defined yet: your code has to bind that name.",
        "zh": "`{name}` 还没有定义：你的代码需要给这个名字赋值。",
    },
    "error": {
        "en": "Your code raised {type}: {message}",
        "zh": "你的代码引发了 {type}：{message}",
    },
    "error/function": {
        "en": "Calling `{call}` raised {type}: {message}",
        "zh": "调用 `{call}` 时引发了 {type}：{message}",
    },
    "error/fresh": {
        "en": (
            "Your code works on the values shown, but re-run on new values it raised "
            "{type}: {message}. Keep the whole answer in one cell and compute it from the given names."
        ),
        "zh": (
            "你的代码在给出的数据上可以运行，但换一组新数据重新运行时引发了 {type}：{message}。"
            "请把完整的答案写在同一个单元里，并由给定的变量计算得出。"
        ),
    },
    "not-callable": {
        "en": "`{name}` should be a function, but it is a {got_type}. Define it with `def {name}(...):`.",
        "zh": "`{name}` 应该是一个函数，但它是 {got_type}。请用 `def {name}(...):` 定义它。",
    },
    "forbidden": {
        "en": "This exercise asks you not to use `{forbidden}` (line {line}): find the answer another way.",
        "zh": "这道练习不允许使用 `{forbidden}`（第 {line} 行）：请换一种方法求出答案。",
    },
    "grad-none/not-watched": {
        "en": (
            "`{subject}` is None: the tape never watched `{source}`. A plain tensor is only "
            "watched after `tape.watch({source})`; or make it a `tf.Variable`."
        ),
        "zh": (
            "`{subject}` 是 None：梯度带没有记录 `{source}`。普通张量要先调用 "
            "`tape.watch({source})` 才会被记录；或者把它定义成 `tf.Variable`。"
        ),
    },
    "grad-none/integer": {
        "en": (
            "`{subject}` is None: `{source}` holds integers ({dtype}), and a tape only "
            "differentiates floats. Use a float, e.g. `tf.Variable(3.0)`."
        ),
        "zh": (
            "`{subject}` 是 None：`{source}` 是整数（{dtype}），梯度带只对浮点数求导。"
            "请使用浮点数，例如 `tf.Variable(3.0)`。"
        ),
    },
    "grad-none/not-trainable": {
        "en": "`{subject}` is None: `{source}` was made with `trainable=False`, so the tape ignores it.",
        "zh": "`{subject}` 是 None：`{source}` 是用 `trainable=False` 创建的，梯度带会忽略它。",
    },
    "grad-none/not-a-tensor": {
        "en": "`{subject}` is None: `{source}` is a Python {got_type}, which a tape cannot watch. Make it a `tf.Variable`.",
        "zh": "`{subject}` 是 None：`{source}` 是 Python 的 {got_type}，梯度带无法记录它。请把它定义成 `tf.Variable`。",
    },
    "grad-none/outside-tape": {
        "en": (
            "`{subject}` is None: `{target}` was computed outside the `with tf.GradientTape()` "
            "block, so the tape never saw it. Compute it inside the block."
        ),
        "zh": (
            "`{subject}` 是 None：`{target}` 是在 `with tf.GradientTape()` 块之外计算的，"
            "梯度带没有记录到它。请在块内计算。"
        ),
    },
    "grad-none/left-tensorflow": {
        "en": (
            "`{subject}` is None: inside the tape the computation left TensorFlow "
            "(`.numpy()` or a NumPy function), and the tape lost the path. Use `tf` operations only."
        ),
        "zh": (
            "`{subject}` 是 None：梯度带内的计算离开了 TensorFlow（`.numpy()` 或 NumPy 函数），"
            "梯度带因此丢失了计算路径。请只使用 `tf` 运算。"
        ),
    },
    "grad-none/tape-used-twice": {
        "en": (
            "A tape answers only one `gradient` call. Ask for all gradients at once, "
            "record a new tape, or use `tf.GradientTape(persistent=True)`."
        ),
        "zh": (
            "一个梯度带只能调用一次 `gradient`。请一次求出所有梯度、重新记录一个梯度带，"
            "或使用 `tf.GradientTape(persistent=True)`。"
        ),
    },
    "grad-none": {
        "en": (
            "`{subject}` is None: the tape saw no path from the variable to the result. "
            "Compute the result from it with TensorFlow operations, inside the `with` block."
        ),
        "zh": (
            "`{subject}` 是 None：梯度带没有看到从变量到结果的计算路径。"
            "请在 `with` 块内用 TensorFlow 运算由该变量计算结果。"
        ),
    },
    "type": {
        "en": "`{subject}` is a {got_type}, not a tensor, an array or a number.",
        "zh": "`{subject}` 是 {got_type}，不是张量、数组或数字。",
    },
    "type/none": {
        "en": "`{subject}` is None: did the function forget to `return` its result?",
        "zh": "`{subject}` 是 None：函数是不是忘了 `return` 结果？",
    },
    "type/parts": {
        "en": "`{subject}` should be {expected_parts} values (a tuple), but it is a {got_type}.",
        "zh": "`{subject}` 应该是 {expected_parts} 个值（一个元组），但它是 {got_type}。",
    },
    "dtype": {
        "en": "`{subject}` has dtype {got_dtype} but should have dtype {expected_dtype}.",
        "zh": "`{subject}` 的数据类型是 {got_dtype}，应为 {expected_dtype}。",
    },
    "dtype/values-right": {
        "en": "`{subject}` has the right values but dtype {got_dtype}; it should be {expected_dtype}.",
        "zh": "`{subject}` 的数值正确，但数据类型是 {got_dtype}，应为 {expected_dtype}。",
    },
    "dtype/float-int": {
        "en": (
            " The answer is made of integers: ask for an integer dtype (`dtype=tf.int32`) "
            "or convert with `tf.cast(x, tf.int32)`."
        ),
        "zh": "答案由整数构成：请指定整数类型（`dtype=tf.int32`），或用 `tf.cast(x, tf.int32)` 转换。",
    },
    "dtype/int-float": {
        "en": (
            " Integers and floats do not mix in TensorFlow: ask for a float dtype "
            "(`dtype=tf.float32`, `1.0` instead of `1`) or convert with `tf.cast`."
        ),
        "zh": "在 TensorFlow 中整数和浮点数不能混用：请指定浮点类型（`dtype=tf.float32`，写 `1.0` 而不是 `1`）或用 `tf.cast` 转换。",
    },
    "rank": {
        "en": (
            "`{subject}` has {got_rank} axes, shape {got_shape}, but should have "
            "{expected_rank}, shape {expected_shape}."
        ),
        "zh": "`{subject}` 有 {got_rank} 个轴，形状为 {got_shape}；应有 {expected_rank} 个轴，形状为 {expected_shape}。",
    },
    "transposed": {
        "en": (
            "`{subject}` is transposed: it has shape {got_shape} where {expected_shape} is "
            "wanted, and its rows are the answer's columns."
        ),
        "zh": "`{subject}` 被转置了：它的形状是 {got_shape}，应为 {expected_shape}，它的行正是答案的列。",
    },
    "transposed/square": {
        "en": "`{subject}` is the transpose of the answer: its rows are the answer's columns.",
        "zh": "`{subject}` 是答案的转置：它的行正是答案的列。",
    },
    "wrong-axis": {
        "en": "`{subject}` {op_en} `{source}` over {got_axis_en}, but the exercise wants {expected_axis_en}.",
        "zh": "`{subject}` 沿{got_axis_zh}对 `{source}` {op_zh}，但练习要求沿{expected_axis_zh}{op_zh}。",
    },
    "keepdims/kept": {
        "en": (
            "`{subject}` has shape {got_shape}, with a length-1 axis the answer does not "
            "have (shape {expected_shape}): leave out `keepdims=True`, or reshape."
        ),
        "zh": "`{subject}` 的形状是 {got_shape}，多了一个长度为 1 的轴（应为 {expected_shape}）：去掉 `keepdims=True`，或改变形状。",
    },
    "keepdims/dropped": {
        "en": (
            "`{subject}` has shape {got_shape}, but the answer keeps the reduced axis, "
            "shape {expected_shape}: use `keepdims=True`."
        ),
        "zh": "`{subject}` 的形状是 {got_shape}，但答案保留了被求和的轴，形状为 {expected_shape}：请使用 `keepdims=True`。",
    },
    "shape": {
        "en": "`{subject}` has shape {got_shape} but should have shape {expected_shape}.",
        "zh": "`{subject}` 的形状是 {got_shape}，应为 {expected_shape}。",
    },
    "elementwise": {
        "en": (
            "`{subject}` is the elementwise (Hadamard) product `{left} * {right}`; the exercise "
            "asks for the matrix product (`@`, `tf.matmul`, `tf.tensordot`)."
        ),
        "zh": "`{subject}` 是按元素乘积（哈达玛积）`{left} * {right}`；练习要求的是矩阵乘法（`@`、`tf.matmul`、`tf.tensordot`）。",
    },
    "elementwise/matrix": {
        "en": "`{subject}` is the matrix product `{left} @ {right}`; the exercise asks for the elementwise product `*`.",
        "zh": "`{subject}` 是矩阵乘积 `{left} @ {right}`；练习要求的是按元素乘积 `*`。",
    },
    "sign": {
        "en": "`{subject}` has the right size but the opposite sign: look for a swapped subtraction or a stray minus.",
        "zh": "`{subject}` 的大小正确但符号相反：检查减法的顺序或多余的负号。",
    },
    "factor": {
        "en": (
            "Every entry of `{subject}` is {factor} times the answer's: the computation is "
            "right up to a constant factor that is missing or extra."
        ),
        "zh": "`{subject}` 的每个元素都是答案的 {factor} 倍：计算只差一个常数因子（少乘或多乘了）。",
    },
    "tape-required": {
        "en": (
            "This exercise asks for `{subject}` computed with a `tf.GradientTape`: record the "
            "computation inside `with tf.GradientTape() as t:`, then ask `t.gradient(...)`. "
            "Your answer does not use a tape."
        ),
        "zh": (
            "这道练习要求用 `tf.GradientTape` 求出 `{subject}`：在 `with tf.GradientTape() as t:` "
            "块内记录计算，再调用 `t.gradient(...)`。你的答案没有使用梯度带。"
        ),
    },
    "random": {
        "en": (
            "`{subject}` is further from the true value than chance explains: at index {index} "
            "it is {got_at}, the true value is {expected_at}, and chance allows ± {margin}."
        ),
        "zh": "`{subject}` 与真实值的差距超出了随机波动能解释的范围：在索引 {index} 处它是 {got_at}，真实值是 {expected_at}，随机波动只允许 ± {margin}。",
    },
    "conditional": {
        "en": (
            "`{subject}` is a joint probability; the exercise asks for the conditional one: "
            "divide by the probability of the condition."
        ),
        "zh": "`{subject}` 是联合概率；练习要求的是条件概率：请除以条件的概率。",
    },
    "constant": {
        "en": (
            "`{subject}` is right for the values shown, but when the data was drawn again your "
            "code gave a wrong answer: compute it from the given names instead of typing numbers in."
        ),
        "zh": "`{subject}` 对给出的数据是正确的，但换一组数据后你的代码给出了错误的答案：请由给定的变量计算，而不是直接写入数字。",
    },
    "constant/special-case": {
        "en": (
            "`{subject}` is right for the values shown, but not in general: when the given data "
            "changes, your answer does not follow it. Use every given name (no typed-in numbers "
            "or tensors) in a formula that holds for any data."
        ),
        "zh": "`{subject}` 对给出的数据是正确的，但并不普遍成立：给定的数据一变，你的答案没有随之正确变化。请用上所有给定的变量（不要直接写入数字或张量），写出对任何数据都成立的公式。",
    },
    "constant/required": {
        "en": (
            "`{subject}` has the right values, but your code does not compute it: use "
            "`{required}` (the exercise asks for a computation, not typed-in numbers)."
        ),
        "zh": "`{subject}` 的值是对的，但你的代码并没有计算它：请使用 `{required}`（练习要求计算，而不是直接写入数字）。",
    },
    "values": {
        "en": (
            "`{subject}` has the right shape and dtype, but {wrong_count} of {total} values "
            "differ: at index {index} it is {got_at}, the answer has {expected_at}."
        ),
        "zh": "`{subject}` 的形状和数据类型正确，但 {total} 个值中有 {wrong_count} 个不同：在索引 {index} 处它是 {got_at}，答案是 {expected_at}。",
    },
    "values/scalar": {
        "en": "`{subject}` is {got_at}; the answer is {expected_at}.",
        "zh": "`{subject}` 是 {got_at}；答案是 {expected_at}。",
    },
    "values/ratio": {
        "en": " The answer is {ratio} times yours.",
        "zh": "答案是你的 {ratio} 倍。",
    },
    "dtype/shape": {
        "en": (
            "`{subject}` has shape {got_shape} and dtype {got_dtype}; the answer has shape "
            "{expected_shape} and dtype {expected_dtype}."
        ),
        "zh": "`{subject}` 的形状是 {got_shape}、数据类型是 {got_dtype}；答案的形状是 {expected_shape}、数据类型是 {expected_dtype}。",
    },
    "error/rerun-timeout": {
        "en": (
            "To check your answer the tutor runs it again, and that took longer than {limit:g} s. "
            "Keep the cells of your answer quick (no long loops) and check again."
        ),
        "zh": "为了检查答案，tutor 会重新运行它，而这次运行超过了 {limit:g} 秒。请让答案的单元运行得快一些（不要长循环），再检查一次。",
    },
    "error/rerun-killed": {
        "en": "To check your answer the tutor runs it again, and that used more memory than allowed.",
        "zh": "为了检查答案，tutor 会重新运行它，而这次运行用的内存超过了上限。",
    },
    "error/rerun-crashed": {
        "en": (
            "To check your answer the tutor runs it again, and that process stopped before it "
            "could report your values. Run your answer once more, then check again."
        ),
        "zh": "为了检查答案，tutor 会重新运行它，但该进程在报告结果之前就停止了。请再运行一次你的答案，然后重新检查。",
    },
    "error/rerun-interrupted": {
        "en": "The check was interrupted.",
        "zh": "检查被中断了。",
    },
    "check-error": {
        "en": "The tutor could not check this exercise (a fault of the lesson, not of your answer): {message}",
        "zh": "导师无法检查这道练习（这是课程的问题，不是你的答案的问题）：{message}",
    },
    "unknown": {
        "en": "Not yet right.",
        "zh": "还不对。",
    },
}

_OPS = {
    "sum": ("sums", "求和"),
    "mean": ("averages", "求平均"),
    "max": ("takes the maximum of", "求最大值"),
    "min": ("takes the minimum of", "求最小值"),
    "prod": ("multiplies", "求积"),
    "norm": ("takes the norm of", "求范数"),
    "argmax": ("takes the argmax of", "求最大值的位置"),
    "argmin": ("takes the argmin of", "求最小值的位置"),
    "cumsum": ("accumulates", "求累积和"),
}


def praise(exercise_id: str, lang: str) -> str:
    """A short encouragement, the same every time for the same exercise."""
    variants = PRAISE.get(lang, PRAISE["en"])
    return variants[zlib.crc32(exercise_id.encode()) % len(variants)]


def feedback_for(check: CheckResult, exercise: Exercise, lang: str) -> str:
    """What the learner reads about this check, in `lang` ("en" or "zh")."""
    lang = lang if lang in PRAISE else "en"
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
        return fallback or WORDS["unknown"][lang]
    fields = _fields(details, lang, fallback)
    text = WORDS[key][lang].format_map(_Blank(fields))
    if key == "values/scalar" and isinstance(details.get("ratio"), int | float):
        text += WORDS["values/ratio"][lang].format(ratio=f"{details['ratio']:g}")
    if key.startswith("dtype") and _int_for_float(details):
        text += WORDS["dtype/int-float"][lang]
    elif key.startswith("dtype") and _float_for_int(details):
        text += WORDS["dtype/float-int"][lang]
    hint = details.get("hint")
    if key.startswith("error") and isinstance(hint, str) and hint:
        text += ("\n提示：" if lang == "zh" else "\nHint: ") + hint
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
    op = _OPS.get(str(details.get("op")), (str(details.get("op")), str(details.get("op"))))
    fields["op_en"], fields["op_zh"] = op
    for which in ("got_axis", "expected_axis"):
        fields[f"{which}_en"] = _axis_words(details.get(which), "en")
        fields[f"{which}_zh"] = _axis_words(details.get(which), "zh")
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
        return "all axes" if lang == "en" else "所有轴"
    if isinstance(axis, list):
        joined = ", ".join(str(a) for a in axis)
        return f"axes {joined}" if lang == "en" else f"轴 {joined} "
    return f"axis {axis}" if lang == "en" else f"轴 {axis} "
