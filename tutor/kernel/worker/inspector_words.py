"""The words the kernel writes into the inspector, in the learner's language (en, zh).

The tutor's automatic gradient is labelled as the tutor's ("auto ∂y/∂x"); what the
learner's own tape answered is labelled with the learner's call ("t.gradient(y, x) =");
a None answer comes with the reason TensorFlow gave None. A row not refreshed yet, or
one that could not be shown, says so in place of its value.
"""

from __future__ import annotations

from typing import Any

from tutor.kernel.worker import language

_WORDS: dict[str, dict[str, str]] = {
    "stale": {"en": "… not refreshed yet", "zh": "… 尚未刷新"},
    "failed": {"en": "could not be shown ({note})", "zh": "无法显示（{note}）"},
    "took-too-long": {"en": "took over {seconds:g} s", "zh": "超过 {seconds:g} 秒"},
    "auto": {"en": "auto {label}", "zh": "自动 {label}"},
    "not-watched": {
        "en": "the tape never watched {source}: call {tape}.watch({source}) in the block, "
        "or make it a tf.Variable",
        "zh": "梯度带没有记录 {source}：在块内调用 {tape}.watch({source})，或把它定义成 tf.Variable",
    },
    "not-watched-variable": {
        "en": "the tape was made with watch_accessed_variables=False and never watched "
        "{source}: call {tape}.watch({source}) in the block",
        "zh": "梯度带以 watch_accessed_variables=False 创建，没有记录 {source}："
        "在块内调用 {tape}.watch({source})",
    },
    "integer": {
        "en": "{source} holds integers ({dtype}); a tape only differentiates floats",
        "zh": "{source} 是整数（{dtype}）；梯度带只对浮点数求导",
    },
    "not-trainable": {
        "en": "{source} was made with trainable=False, so the tape ignores it",
        "zh": "{source} 是用 trainable=False 创建的，梯度带会忽略它",
    },
    "not-a-tensor": {
        "en": "{source} is a Python {got_type}, which a tape cannot watch",
        "zh": "{source} 是 Python 的 {got_type}，梯度带无法记录它",
    },
    "outside-tape": {
        "en": "{target} was computed outside the with block, so the tape never saw it",
        "zh": "{target} 是在 with 块之外计算的，梯度带没有记录到它",
    },
    "left-tensorflow": {
        "en": "inside the tape the computation left TensorFlow (.numpy() or NumPy), "
        "so the tape lost the path",
        "zh": "梯度带内的计算离开了 TensorFlow（.numpy() 或 NumPy），梯度带因此丢失了计算路径",
    },
    "not-connected": {
        "en": "the tape saw no path from {source} to {target}",
        "zh": "梯度带没有看到从 {source} 到 {target} 的计算路径",
    },
}


def say(key: str, **fields: Any) -> str:
    """The words for `key` in the kernel's current language, fields filled in."""
    words = _WORDS.get(key) or _WORDS["not-connected"]
    return words.get(language.current, words["en"]).format_map(_Blank(fields))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"
