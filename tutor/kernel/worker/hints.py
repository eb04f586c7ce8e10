"""Plain-words hints for the errors a learner meets first, from the error's text alone.

Pure functions, no TensorFlow import: the kernel passes what it knows (the error's type
name and message, the namespace's names, `dir(tf)`, the attributes of the object an
AttributeError was raised on) and gets one or two sentences back, or None when no hint
fits. Code in a hint is written between backticks. The messages matched are TensorFlow
2.21's and Python 3.11-3.13's (see tests/test_hints.py).

Every hint is written in English and Simplified Chinese (the terms of the Chinese edition of
Dive into Deep Learning). A rule returns both at once as a `_Text`, so no hint can exist in
one language only; `hint_for(..., lang=...)` picks one, English for an unknown language.
"""

from __future__ import annotations

import builtins
import difflib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

#: The languages every hint is written in; any other `lang` gets English.
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class _Text:
    """One hint in English and Simplified Chinese: a rule cannot write one without the other."""

    en: str
    zh: str

    def __add__(self, more: _Text) -> _Text:
        """This hint followed by `more` (English sentences are separated by a space)."""
        return _Text(f"{self.en} {more.en}", self.zh + more.zh)

    def in_language(self, lang: str) -> str:
        """The hint in `lang`, English when `lang` is not one of `LANGUAGES`."""
        return self.zh if lang == "zh" else self.en


_SANDBOX = _Text(
    en=(
        "The tutor's sandbox does not allow running programs, files outside the scratch folder, "
        "or the network. Everything in the lessons works with TensorFlow and Python alone."
    ),
    zh=(
        "tutor 的沙箱不允许运行其他程序、访问临时文件夹以外的文件或连接网络。"
        "课程里的一切只用 TensorFlow 和 Python 就能完成。"
    ),
)

#: What the sandbox refuses, said once for every PermissionError it causes (in English).
SANDBOX_HINT = _SANDBOX.en

#: NumPy (and other) spellings of a function that TensorFlow names differently.
TF_SPELLINGS = {
    "sum": "tf.reduce_sum",
    "mean": "tf.reduce_mean",
    "max": "tf.reduce_max",
    "min": "tf.reduce_min",
    "prod": "tf.reduce_prod",
    "all": "tf.reduce_all",
    "any": "tf.reduce_any",
    "std": "tf.math.reduce_std",
    "var": "tf.math.reduce_variance",
    "arange": "tf.range",
    "array": "tf.constant",
    "asarray": "tf.constant",
    "tensor": "tf.constant",
    "dot": "tf.tensordot(a, b, axes=1)",
    "matvec": "tf.linalg.matvec",
    "inner": "tf.tensordot(a, b, axes=1)",
    "outer": "tf.tensordot(a, b, axes=0)",
    "inv": "tf.linalg.inv",
    "det": "tf.linalg.det",
    "trace": "tf.linalg.trace",
    "log": "tf.math.log",
    "concatenate": "tf.concat",
    "cat": "tf.concat",
    "clip": "tf.clip_by_value",
    "float": "tf.float32",
    "int": "tf.int32",
    "double": "tf.float64",
    "long": "tf.int64",
    "bool": "tf.bool",
    "flatten": "tf.reshape(x, [-1])",
    "numel": "tf.size",
    "mm": "tf.matmul",
    "randn": "tf.random.normal",
    "rand": "tf.random.uniform",
    "gradienttape": "tf.GradientTape",
}

#: NumPy-style methods a tensor does not have, and what to write instead.
TENSOR_METHODS = {
    "sum": "tf.reduce_sum(x)",
    "mean": "tf.reduce_mean(x)",
    "max": "tf.reduce_max(x)",
    "min": "tf.reduce_min(x)",
    "prod": "tf.reduce_prod(x)",
    "std": "tf.math.reduce_std(x)",
    "var": "tf.math.reduce_variance(x)",
    "all": "tf.reduce_all(x)",
    "any": "tf.reduce_any(x)",
    "argmax": "tf.argmax(x)",
    "argmin": "tf.argmin(x)",
    "cumsum": "tf.math.cumsum(x)",
    "abs": "tf.abs(x)",
    "norm": "tf.norm(x)",
    "reshape": "tf.reshape(x, shape)",
    "flatten": "tf.reshape(x, [-1])",
    "ravel": "tf.reshape(x, [-1])",
    "T": "tf.transpose(x)",
    "transpose": "tf.transpose(x)",
    "t": "tf.transpose(x)",
    "astype": "tf.cast(x, tf.float32)",
    "type": "tf.cast(x, tf.float32)",
    "float": "tf.cast(x, tf.float32)",
    "copy": "tf.identity(x)",
    "clone": "tf.identity(x)",
    "item": "x.numpy().item()",
    "tolist": "x.numpy().tolist()",
    "size": "tf.size(x)",
    "numel": "tf.size(x)",
    "dot": "tf.tensordot(x, y, axes=1)",
    "squeeze": "tf.squeeze(x)",
    "unsqueeze": "tf.expand_dims(x, axis)",
    "clip": "tf.clip_by_value(x, low, high)",
    "round": "tf.round(x)",
    "sqrt": "tf.sqrt(x)",
    "exp": "tf.exp(x)",
    "fill_": "tf.fill(shape, value)",
}

_TENSOR_TYPES = ("EagerTensor", "Tensor", "ResourceVariable", "Variable", "SymbolicTensor")
_ASSIGN_METHODS = ("assign", "assign_add", "assign_sub")

# TensorFlow's names for dtypes in kernel messages -> the Python spelling.
_DTYPE_NAMES = {
    "float": "tf.float32",
    "double": "tf.float64",
    "half": "tf.float16",
    "bfloat16": "tf.bfloat16",
    "int32": "tf.int32",
    "int64": "tf.int64",
    "int8": "tf.int8",
    "int16": "tf.int16",
    "uint8": "tf.uint8",
    "bool": "tf.bool",
    "complex64": "tf.complex64",
    "complex128": "tf.complex128",
    "string": "tf.string",
}


@dataclass(frozen=True)
class _Context:
    error_type: str
    message: str
    names: frozenset[str]
    tf_attributes: frozenset[str]
    value_attributes: frozenset[str]


_Rule = Callable[[_Context], "_Text | None"]
_RULES: list[_Rule] = []


def _rule(function: _Rule) -> _Rule:
    _RULES.append(function)
    return function


def hint_for(
    error_type: str,
    message: str,
    *,
    names: Iterable[str] = (),
    tf_attributes: Iterable[str] = (),
    value_attributes: Iterable[str] = (),
    lang: str = "en",
) -> str | None:
    """A hint in plain words for an error, or None when none fits.

    `error_type` is the exception's class name, bare or qualified
    ("InvalidArgumentError" or "tensorflow.python...InvalidArgumentError"); `message` is
    `str(exc)`. `names` are the learner's namespace names (builtins are added here),
    `tf_attributes` is `dir(tf)`, `value_attributes` is `dir(exc.obj)` for an
    AttributeError when the kernel has it. `lang` is "en" or "zh" (another gets English).
    """
    context = _Context(
        error_type=error_type.rsplit(".", 1)[-1],
        message=message,
        names=frozenset(names),
        tf_attributes=frozenset(tf_attributes),
        value_attributes=frozenset(value_attributes),
    )
    for rule in _RULES:
        hint = rule(context)
        if hint is not None:
            return hint.in_language(lang)
    return None


def _did_you_mean(code: str) -> _Text:
    return _Text(en=f"Did you mean `{code}`?", zh=f"你是不是想写 `{code}`？")


# --- the sandbox ---------------------------------------------------------------------------


@_rule
def _sandbox(c: _Context) -> _Text | None:
    if c.error_type == "PermissionError" or (
        c.error_type == "OSError" and ("[Errno 1]" in c.message or "[Errno 13]" in c.message)
    ):
        return _SANDBOX
    return None


# --- names and attributes ------------------------------------------------------------------


def _closest(word: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The nearest public candidate: case-insensitive equal first, then difflib."""
    public = [c for c in candidates if not c.startswith("_")]
    folded = {c.lower(): c for c in public}
    if word.lower() in folded:
        return folded[word.lower()]
    matches = difflib.get_close_matches(word, public, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def _module_prefix(module: str) -> str:
    if module == "tensorflow":
        return "tf"
    if module.startswith("tensorflow._api.v2."):
        return "tf." + module.removeprefix("tensorflow._api.v2.")
    if module.startswith("tensorflow."):
        return "tf." + module.removeprefix("tensorflow.")
    if module == "numpy":
        return "np"
    return module


@_rule
def _module_attribute(c: _Context) -> _Text | None:
    match = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", c.message)
    if c.error_type != "AttributeError" or not match:
        return None
    module, wanted = match.groups()
    prefix = _module_prefix(module)
    candidates = c.value_attributes or (c.tf_attributes if prefix == "tf" else frozenset())
    if prefix == "tf" and wanted.lower() in TF_SPELLINGS:
        spelling = TF_SPELLINGS[wanted.lower()]
        return _Text(
            en=f"TensorFlow spells it `{spelling}`.", zh=f"TensorFlow 里的写法是 `{spelling}`。"
        )
    near = _closest(wanted, candidates)
    if near and near != wanted:
        return _did_you_mean(f"{prefix}.{near}")
    return None


@_rule
def _object_attribute(c: _Context) -> _Text | None:
    match = re.search(r"'([\w.]+)' object has no attribute '(\w+)'", c.message)
    if c.error_type != "AttributeError" or not match:
        return None
    type_name = match.group(1).rsplit(".", 1)[-1]
    wanted = match.group(2)
    if type_name in _TENSOR_TYPES:
        if wanted in _ASSIGN_METHODS and type_name != "ResourceVariable":
            return _Text(
                en=(
                    f"Only a `tf.Variable` has `.{wanted}`: a tensor is immutable. "
                    f"Make a Variable first: `v = tf.Variable(x)`, then `v.{wanted}(...)`."
                ),
                zh=(
                    f"只有 `tf.Variable` 才有 `.{wanted}`：张量是不可变的。"
                    f"先创建一个变量 `v = tf.Variable(x)`，再调用 `v.{wanted}(...)`。"
                ),
            )
        if wanted in TENSOR_METHODS:
            method = TENSOR_METHODS[wanted]
            return _Text(
                en=f"Tensors have no `.{wanted}()` method: write `{method}`.",
                zh=f"张量没有 `.{wanted}()` 方法，请写 `{method}`。",
            )
    if type_name in ("float", "int") and wanted == "dtype":
        return _Text(
            en=(
                "A Python number reached TensorFlow where a tensor was expected. If this is "
                "`tape.gradient(y, x)`: `y` must be computed from `x` with TensorFlow operations "
                "inside the `with tf.GradientTape()` block, not a plain number (no `float(...)`, "
                "no `.numpy()`)."
            ),
            zh=(
                "TensorFlow 需要张量的地方收到了一个 Python 数。如果这里是 "
                "`tape.gradient(y, x)`：`y` 必须在 `with tf.GradientTape()` 块里用 TensorFlow "
                "运算由 `x` 算出来，而不能是普通的数（不要用 `float(...)`，也不要用 `.numpy()`）。"
            ),
        )
    if type_name == "NoneType":
        return _none_value_hint()
    if type_name == "ndarray" and wanted == "numpy":
        return _Text(
            en="This is already a NumPy array: use it as it is (no `.numpy()` needed).",
            zh="这已经是 NumPy 数组了，直接使用即可（不需要 `.numpy()`）。",
        )
    if type_name == "function" and "tf" in c.names and wanted in c.tf_attributes:
        return _Text(
            en=f"That name is one of your functions. Did you mean `tf.{wanted}`?",
            zh=f"这个名字是你自己定义的函数。你是不是想写 `tf.{wanted}`？",
        )
    near = _closest(wanted, c.value_attributes)
    if near and near != wanted:
        return _did_you_mean(f".{near}")
    return None


def _none_value_hint() -> _Text:
    return _Text(
        en=(
            "A value here is None. If it came from `tape.gradient`, the target does not depend "
            "on that source through operations the tape recorded (see the inspector's gradient "
            "column)."
        ),
        zh=(
            "这里有一个值是 None。如果它来自 `tape.gradient`，说明在梯度带记录的运算里，"
            "目标并不依赖于这个源（见变量面板的梯度一列）。"
        ),
    )


@_rule
def _none_operand(c: _Context) -> _Text | None:
    if c.error_type == "TypeError" and (
        "'NoneType'" in c.message or "Attempt to convert a value (None)" in c.message
    ):
        return _none_value_hint()
    return None


@_rule
def _undefined_name(c: _Context) -> _Text | None:
    match = re.search(r"name '(\w+)' is not defined", c.message)
    if c.error_type not in ("NameError", "UnboundLocalError") or not match:
        return None
    name = match.group(1)
    has_tf = "tf" in c.names
    if name.startswith("tf") and len(name) > 2:
        rest = name[2:].lstrip("_")
        near = _closest(rest, c.tf_attributes, cutoff=0.85)
        if near:
            return _Text(
                en=f"Did you mean `tf.{near}`? (a dot is missing after `tf`)",
                zh=f"你是不是想写 `tf.{near}`？（`tf` 后面少了一个点）",
            )
    # `t` is more often a tape used outside its `with` block than a mistyped `tf`.
    if has_tf and name not in ("tf", "t") and _one_edit_apart(name, "tf"):
        return _Text(
            en=f"Did you mean `tf.`? `{name}` is not defined here.",
            zh=f"你是不是想写 `tf.`？这里没有定义 `{name}`。",
        )
    if name in c.tf_attributes and not name.startswith("_"):
        return _Text(
            en=f"`{name}` belongs to TensorFlow: write `tf.{name}`.",
            zh=f"`{name}` 属于 TensorFlow，请写 `tf.{name}`。",
        )
    if name in ("np", "numpy") and name not in c.names:
        return _Text(
            en="NumPy is not imported here: run `import numpy as np` first.",
            zh="这里还没有导入 NumPy：请先运行 `import numpy as np`。",
        )
    known = c.names | frozenset(dir(builtins))
    near = _closest(name, known, cutoff=0.8)
    if near and near != name:
        return _did_you_mean(near)
    near_tf = _closest(name, c.tf_attributes, cutoff=0.85)
    if near_tf:
        return _did_you_mean(f"tf.{near_tf}")
    if name.lower() in TF_SPELLINGS and has_tf:
        return _did_you_mean(TF_SPELLINGS[name.lower()])
    if has_tf and c.error_type == "NameError":
        # most often a name an earlier example of the lesson made, in a cell not run (yet)
        return _Text(
            en=(
                f"`{name}` is not defined yet. If a lesson example makes it, run that example "
                "first (the examples build on each other), or replay the lesson's cells."
            ),
            zh=(
                f"`{name}` 还没有定义。如果它来自课程里的某个示例，请先运行那个示例"
                "（一课的示例环环相扣），或者重放本课的单元。"
            ),
        )
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` turns into `b` by one inserted, deleted or replaced character, or a swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return True
        i = differ[0]
        return len(differ) == 2 and differ[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- tensors are immutable -----------------------------------------------------------------


@_rule
def _item_assignment(c: _Context) -> _Text | None:
    match = re.search(r"'([\w.]+)' object does not support item assignment", c.message)
    if c.error_type != "TypeError" or not match:
        return None
    type_name = match.group(1).rsplit(".", 1)[-1]
    if type_name in ("ResourceVariable", "Variable"):
        return _Text(
            en="A Variable is changed with `.assign`, not `=`: write `v[1, 2].assign(9.0)`.",
            zh="变量要用 `.assign` 修改，而不是 `=`：请写 `v[1, 2].assign(9.0)`。",
        )
    if type_name in _TENSOR_TYPES:
        return _Text(
            en=(
                "Tensors are immutable: one entry cannot be changed in place. Use a Variable "
                "(`v = tf.Variable(x)`, then `v[1, 2].assign(9.0)`), or build a new tensor with "
                "`tf.tensor_scatter_nd_update(x, [[1, 2]], [9.0])`."
            ),
            zh=(
                "张量是不可变的：不能原地修改其中的一个元素。可以改用变量"
                "（`v = tf.Variable(x)`，然后 `v[1, 2].assign(9.0)`），或者用 "
                "`tf.tensor_scatter_nd_update(x, [[1, 2]], [9.0])` 构造一个新张量。"
            ),
        )
    return None


# --- dtypes --------------------------------------------------------------------------------


def _cast_advice(target: str = "tf.float32") -> _Text:
    return _Text(
        en=(
            f"Convert one side with `tf.cast(x, {target})`, or create it as floats "
            f"(`tf.range(4.0)`, `dtype={target}`)."
        ),
        zh=(
            f"用 `tf.cast(x, {target})` 转换其中一边，或者一开始就用浮点数创建它"
            f"（`tf.range(4.0)`、`dtype={target}`）。"
        ),
    )


@_rule
def _op_input_dtype(c: _Context) -> _Text | None:
    match = re.search(
        r"cannot compute (\w+) as input #(\d+)\(zero-based\) was expected to be a (\w+) "
        r"tensor but is a (\w+) tensor",
        c.message,
    )
    if not match:
        return None
    op, _index, expected, actual = match.groups()
    want = _DTYPE_NAMES.get(expected, expected)
    got = _DTYPE_NAMES.get(actual, actual)
    target = "tf.float32" if "tf.float32" in (want, got) else want
    return _Text(
        en=f"TensorFlow never mixes dtypes: {op} got a {want} and a {got} tensor.",
        zh=f"TensorFlow 从不混用数据类型：{op} 收到了一个 {want} 张量和一个 {got} 张量。",
    ) + _cast_advice(target)


@_rule
def _same_dtype(c: _Context) -> _Text | None:
    match = re.search(
        r"`x` and `y` must have the same dtype, got (tf\.\w+) != (tf\.\w+)", c.message
    )
    if not match:
        return None
    first, second = match.groups()
    target = "tf.float32" if "tf.float32" in (first, second) else first
    return _Text(
        en=f"TensorFlow never mixes dtypes: this combines {first} with {second}.",
        zh=f"TensorFlow 从不混用数据类型：这里把 {first} 和 {second} 放在一起运算。",
    ) + _cast_advice(target)


@_rule
def _attr_not_allowed(c: _Context) -> _Text | None:
    match = re.search(
        r"Value for attr '\w+' of (\w+) is not in the list of allowed values", c.message
    )
    if not match:
        return None
    dtype = match.group(1)
    if dtype == "bool":
        return _Text(
            en=(
                "This operation does not take booleans: turn the mask into numbers first, "
                "`tf.cast(mask, tf.int32)` (or `tf.float32`)."
            ),
            zh="这个运算不接受布尔值：先把掩码转换成数，`tf.cast(mask, tf.int32)`（或 `tf.float32`）。",
        )
    if dtype.startswith(("int", "uint")):
        return _Text(
            en=(
                f"This operation needs floating-point numbers and got {dtype}. "
                "Use `tf.cast(x, tf.float32)`, or create the tensor from floats (`tf.range(4.0)`)."
            ),
            zh=(
                f"这个运算需要浮点数，收到的却是 {dtype}。请用 `tf.cast(x, tf.float32)`，"
                "或者用浮点数创建张量（`tf.range(4.0)`）。"
            ),
        )
    return (
        _Text(
            en=f"This operation does not accept {dtype} tensors.",
            zh=f"这个运算不接受 {dtype} 张量。",
        )
        + _cast_advice()
    )


@_rule
def _cannot_convert(c: _Context) -> _Text | None:
    match = re.search(r"Cannot convert (.+?) to EagerTensor of dtype (\w+)", c.message)
    if not match:
        match = re.search(
            r"Tensor conversion requested dtype (\w+) for Tensor with dtype (\w+)", c.message
        )
        if not match:
            return None
        needed, given = match.groups()
        return _Text(
            en=f"A {given} tensor was given where {needed} is needed.",
            zh=f"需要 {needed} 的地方给了一个 {given} 张量。",
        ) + _cast_advice(f"tf.{needed}")
    value, dtype = match.groups()
    return _Text(
        en=(
            f"`{value}` does not fit in a {dtype} tensor: the other operand is {dtype} "
            "(it was made from integers, and a Variable keeps the dtype it was created with). "
            "Make it float: `tf.cast(x, tf.float32)`, or create it from floats (`tf.range(3.0)`)."
        ),
        zh=(
            f"`{value}` 放不进 {dtype} 张量：另一个操作数是 {dtype}"
            "（它是由整数创建的，而变量会一直保持创建时的数据类型）。"
            "请把它变成浮点数：`tf.cast(x, tf.float32)`，或者用浮点数创建它（`tf.range(3.0)`）。"
        ),
    )


# --- shapes --------------------------------------------------------------------------------


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def _show(shape: Sequence[int]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@_rule
def _broadcast(c: _Context) -> _Text | None:
    match = re.search(r"Incompatible shapes: \[([\d,]*)\] vs\. \[([\d,]*)\]", c.message)
    if not match:
        return None
    a, b = _shape(match.group(1)), _shape(match.group(2))
    clash = next(
        (
            (x, y)
            for x, y in zip(reversed(a), reversed(b), strict=False)
            if x != y and 1 not in (x, y)
        ),
        None,
    )
    text = _Text(
        en=(
            f"Elementwise operations line shapes up from the right: {_show(a)} and {_show(b)} "
            "must be equal, or 1, in each aligned axis"
            + (f" ({clash[0]} vs {clash[1]})." if clash else ".")
        ),
        zh=(
            f"按元素运算会把形状从右往左对齐：{_show(a)} 和 {_show(b)} "
            "在每个对齐的轴上长度必须相等，或者其中一个为 1"
            + (f"（这里是 {clash[0]} 对 {clash[1]}）。" if clash else "。")
        ),
    )
    if len(a) == 2 and len(b) == 2 and a[1] == b[0]:
        product = _show((a[0], b[1]))
        return text + _Text(
            en=f"For the matrix product, use `tf.matmul(A, B)` or `A @ B` (gives {product}).",
            zh=f"如果要做矩阵乘法，请用 `tf.matmul(A, B)` 或 `A @ B`（结果形状为 {product}）。",
        )
    if len(a) == 2 and len(b) == 1 and b[0] == a[0] != a[1]:
        kept = _show((a[0], 1))
        return text + _Text(
            en=(
                f"If the {_show(b)} came from reducing axis 1, keep that axis: "
                f"`tf.reduce_sum(A, axis=1, keepdims=True)` has shape {kept} and broadcasts."
            ),
            zh=(
                f"如果 {_show(b)} 是沿轴 1 降维得到的，就保留这个轴："
                f"`tf.reduce_sum(A, axis=1, keepdims=True)` 的形状是 {kept}，可以广播。"
            ),
        )
    return text


@_rule
def _matmul_sizes(c: _Context) -> _Text | None:
    match = re.search(
        r"Matrix size-incompatible: In\[0\]: \[([\d,]*)\], In\[1\]: \[([\d,]*)\]", c.message
    )
    if not match:
        return None
    a, b = _shape(match.group(1)), _shape(match.group(2))
    if len(a) < 2 or len(b) < 2:
        return None
    text = _Text(
        en=(
            f"A matrix product needs the inner sizes to match: {_show(a)} @ {_show(b)} pairs "
            f"{a[-1]} columns with {b[-2]} rows."
        ),
        zh=(
            f"矩阵乘法要求内侧的长度相同：{_show(a)} @ {_show(b)} 要把 {a[-1]} 列和 "
            f"{b[-2]} 行配对。"
        ),
    )
    if a[-1] == b[-1]:
        return text + _Text(
            en="Transposing the second fits: `tf.matmul(A, B, transpose_b=True)`.",
            zh="把第二个矩阵转置就能相乘：`tf.matmul(A, B, transpose_b=True)`。",
        )
    if a[-2] == b[-2]:
        return text + _Text(
            en="Transposing the first fits: `tf.matmul(A, B, transpose_a=True)`.",
            zh="把第一个矩阵转置就能相乘：`tf.matmul(A, B, transpose_a=True)`。",
        )
    return text


@_rule
def _matmul_vector(c: _Context) -> _Text | None:
    if not re.search(
        r"In\[0\] and In\[1\] has different ndims|ndims must be (==|>=) 2|must be at least rank 2",
        c.message,
    ):
        return None
    return _Text(
        en=(
            "`tf.matmul` and `@` multiply matrices (2 axes or more). For a matrix times a vector "
            "use `tf.linalg.matvec(A, x)`; for two vectors, `tf.tensordot(x, y, axes=1)`; or "
            "make the vector a column with `tf.reshape(x, (-1, 1))`."
        ),
        zh=(
            "`tf.matmul` 和 `@` 做的是矩阵乘法（至少 2 个轴）。矩阵乘向量请用 "
            "`tf.linalg.matvec(A, x)`；两个向量相乘用 `tf.tensordot(x, y, axes=1)`；"
            "或者用 `tf.reshape(x, (-1, 1))` 把向量变成一列。"
        ),
    )


def _factor_pairs(n: int) -> list[str]:
    pairs = [f"({d}, {n // d})" for d in range(2, math.isqrt(n) + 1) if n % d == 0]
    return pairs[:3]


@_rule
def _reshape(c: _Context) -> _Text | None:
    match = re.search(
        r"Input to reshape is a tensor with (\d+) values, but the requested shape "
        r"(has|requires a multiple of) (\d+)",
        c.message,
    )
    if not match:
        return None
    values, relation, requested = int(match.group(1)), match.group(2), int(match.group(3))
    if relation == "has":
        text = _Text(
            en=f"Reshaping keeps every value: {values} values cannot fill a shape of {requested}.",
            zh=f"改变形状不会增减元素：{values} 个元素排不成共有 {requested} 个元素的形状。",
        )
    else:
        text = _Text(
            en=f"Reshaping keeps every value: {values} is not a multiple of {requested}.",
            zh=f"改变形状不会增减元素：{values} 不是 {requested} 的倍数。",
        )
    pairs = _factor_pairs(values)
    if pairs:
        text += _Text(
            en=f"The sizes must multiply to {values}, e.g. {', '.join(pairs)}.",
            zh=f"各轴长度的乘积必须等于 {values}，例如 {'、'.join(pairs)}。",
        )
    return text + _Text(
        en="One size may be -1: TensorFlow works it out.",
        zh="其中一个长度可以写成 -1，TensorFlow 会自动算出它。",
    )


@_rule
def _reduction_axis(c: _Context) -> _Text | None:
    match = re.search(
        r"Invalid reduction dimension \(?(-?\d+) for input with (\d+) dimension", c.message
    )
    if not match:
        return None
    axis, rank = int(match.group(1)), int(match.group(2))
    if rank == 0:
        return _Text(
            en=f"`axis={axis}` does not exist: a scalar has no axes to reduce over.",
            zh=f"`axis={axis}` 不存在：标量没有可以降维的轴。",
        )
    axes = [str(i) for i in range(rank)]
    return _Text(
        en=(
            f"`axis={axis}` does not exist: a tensor with {rank} axes has axis {', '.join(axes)} "
            f"(or counting from the end, -1 to -{rank})."
        ),
        zh=(
            f"`axis={axis}` 不存在：有 {rank} 个轴的张量只有轴 {'、'.join(axes)}"
            f"（从末尾数则是 -1 到 -{rank}）。"
        ),
    )


@_rule
def _scalar_len(c: _Context) -> _Text | None:
    if "Scalar tensor has no `len()`" not in c.message:
        return None
    return _Text(
        en=(
            "A scalar (shape `()`) has no length. Use `tf.size(x)` for the number of elements or "
            "`x.shape`; for a vector with one element write `tf.constant([3.0])`."
        ),
        zh=(
            "标量（形状为 `()`）没有长度。元素个数请用 `tf.size(x)` 或 `x.shape` 查看；"
            "只有一个元素的向量要写成 `tf.constant([3.0])`。"
        ),
    )


@_rule
def _to_python_scalar(c: _Context) -> _Text | None:
    if not re.search(
        r"only (0-dimensional|length-1|size-1) arrays can be converted to Python scalars",
        c.message,
    ):
        return None
    return _Text(
        en=(
            "`float()` and `int()` need exactly one number, without axes. For a one-element array "
            "use `x.item()` (on a tensor, `x.numpy().item()`), or index it: `float(x[0])`."
        ),
        zh=(
            "`float()` 和 `int()` 只接受恰好一个数，不能带轴。只有一个元素的数组请用 "
            "`x.item()`（张量用 `x.numpy().item()`），或者先取出元素：`float(x[0])`。"
        ),
    )


@_rule
def _concat_or_stack(c: _Context) -> _Text | None:
    if "ConcatOp : Dimension" in c.message:
        return _Text(
            en=(
                "`tf.concat` joins along one axis: every other axis must have the same size. "
                "Check the shapes, or pick the axis where they differ."
            ),
            zh=(
                "`tf.concat` 沿一个轴拼接：其余每个轴的长度都必须相同。"
                "请检查形状，或者改为沿长度不同的那个轴拼接。"
            ),
        )
    if "Shapes of all inputs must match" in c.message:
        return _Text(
            en="`tf.stack` needs tensors of exactly the same shape.",
            zh="`tf.stack` 要求所有张量的形状完全相同。",
        )
    return None


@_rule
def _matrix_norm(c: _Context) -> _Text | None:
    if "'ord' must be a supported vector norm" not in c.message:
        return None
    return _Text(
        en=(
            "`tf.norm` treats its input as one long vector unless told otherwise: a matrix norm "
            "needs the two axes, `tf.norm(M, ord='fro', axis=[-2, -1])`."
        ),
        zh=(
            "如果不另外指定，`tf.norm` 会把输入当作一个长向量：矩阵范数需要给出两个轴，"
            "`tf.norm(M, ord='fro', axis=[-2, -1])`。"
        ),
    )


@_rule
def _index_out_of_range(c: _Context) -> _Text | None:
    match = re.search(r"slice index (-?\d+) of dimension (\d+) out of bounds", c.message)
    if not match:
        return None
    index, axis = match.groups()
    return _Text(
        en=(
            f"Index {index} is past the end of axis {axis}: indices start at 0, "
            "so the last one is the size minus 1 (or -1)."
        ),
        zh=(
            f"索引 {index} 超出了轴 {axis} 的末尾：索引从 0 开始，"
            "所以最后一个索引是长度减 1（或者写 -1）。"
        ),
    )


# --- gradients -----------------------------------------------------------------------------


@_rule
def _tape_used_twice(c: _Context) -> _Text | None:
    if "non-persistent GradientTape" not in c.message and (
        "can only be called once on non-persistent tapes" not in c.message
    ):
        return None
    return _Text(
        en=(
            "A tape is used up by its first `gradient` call. Ask for both at once, "
            "`t.gradient(y, [x, w])`, or create it with `tf.GradientTape(persistent=True)` "
            "(and `del t` when done)."
        ),
        zh=(
            "梯度带在第一次调用 `gradient` 之后就用完了。可以一次求出所有梯度，"
            "`t.gradient(y, [x, w])`，或者用 `tf.GradientTape(persistent=True)` 创建梯度带"
            "（用完后 `del t`）。"
        ),
    )


# --- Python itself -------------------------------------------------------------------------


@_rule
def _python_runtime(c: _Context) -> _Text | None:
    if c.error_type == "ZeroDivisionError":
        return _Text(
            en=(
                "A plain Python number was divided by zero: check the denominator. (TensorFlow "
                "does not raise here: `tf.constant(1.0) / 0.0` is inf, and 0/0 is nan.)"
            ),
            zh=(
                "一个普通的 Python 数除以了零：请检查分母。（TensorFlow 在这种情况下不会报错："
                "`tf.constant(1.0) / 0.0` 得到 inf，0/0 得到 nan。）"
            ),
        )
    if c.error_type == "EOFError" and "reading a line" in c.message:
        return _Text(
            en=(
                "The evaluator has no keyboard input, so `input()` cannot wait for you. "
                "Assign the value directly instead, e.g. `n = 5`."
            ),
            zh="运行代码的内核没有键盘输入，所以 `input()` 没法等你输入。请直接赋值，例如 `n = 5`。",
        )
    if c.error_type == "RecursionError":
        return _Text(
            en="A function keeps calling itself: give it a case that returns without recursing.",
            zh="有个函数在不停地调用自己：给它加一种不再递归、直接返回的情况。",
        )
    if c.error_type in ("MemoryError", "ResourceExhaustedError") or "OOM when allocating" in (
        c.message
    ):
        return _memory_hint(c.message)
    return None


_BYTES_PER_VALUE = {"float": 4, "double": 8, "int32": 4, "int64": 8, "half": 2, "bool": 1}


def _memory_hint(message: str) -> _Text:
    en = "The kernel ran out of memory: a tensor is far too large"
    zh = "内核的内存用完了：有个张量太大了"
    match = re.search(r"tensor with shape\[([\d,]+)\] and type (\w+)", message)
    if match:
        shape = _shape(match.group(1))
        values = math.prod(shape)
        size = _human_bytes(values * _BYTES_PER_VALUE.get(match.group(2), 4))
        en += f" ({_show(shape)} is {values:.3g} values, {size.en})"
        zh += f"（{_show(shape)} 有 {values:.3g} 个元素，{size.zh}）"
    return _Text(
        en=en + ". The lessons' tensors have a few dozen values; make the shapes smaller.",
        zh=zh + "。课程里的张量只有几十个元素，请把形状改小一些。",
    )


_BYTE_UNITS = (("bytes", "字节"), ("KB", "KB"), ("MB", "MB"), ("GB", "GB"), ("TB", "TB"))


def _human_bytes(size: float) -> _Text:
    step = 0
    while size >= 1000 and step < len(_BYTE_UNITS) - 1:
        size /= 1000
        step += 1
    en_unit, zh_unit = _BYTE_UNITS[step]
    return _Text(en=f"{size:.3g} {en_unit}", zh=f"{size:.3g} {zh_unit}")


_FULL_WIDTH = re.compile(r"invalid character '(.)' \(U\+([0-9A-F]{4})\)")


@_rule
def _syntax(c: _Context) -> _Text | None:
    if c.error_type not in ("SyntaxError", "IndentationError", "TabError"):
        return None
    message = c.message
    full_width = _FULL_WIDTH.search(message)
    if full_width and (
        0xFF00 <= int(full_width.group(2), 16) <= 0xFFEF
        or full_width.group(1) in "，。：；（）【】“”‘’、"
    ):
        character = full_width.group(1)
        return _Text(
            en=(
                f"`{character}` is a full-width character: switch the input method to "
                "English punctuation for code, `,` `:` `(` `)`."
            ),
            zh=f"`{character}` 是全角字符：写代码时请把输入法切换到英文标点，`,` `:` `(` `)`。",
        )
    if "unexpected indent" in message:
        return _Text(
            en="This line starts with spaces it should not have: indentation opens a block in Python.",
            zh="这一行开头多了不该有的空格：在 Python 里，缩进表示一个代码块的开始。",
        )
    if "expected an indented block" in message:
        return _Text(
            en="After a line ending in `:` (`def`, `for`, `if`, `with`), indent the next line by 4 spaces.",
            zh="以 `:` 结尾的行（`def`、`for`、`if`、`with`）之后，下一行要缩进 4 个空格。",
        )
    if "unindent does not match" in message or c.error_type == "TabError":
        return _Text(
            en="The indentation does not line up with an earlier line: use 4 spaces per level, no tabs.",
            zh="这一行的缩进和前面的行对不齐：每一级缩进用 4 个空格，不要用制表符。",
        )
    if "was never closed" in message or "unexpected EOF" in message:
        return _Text(
            en="A bracket or quote opened here is never closed: count `(` `[` `{` and quotes.",
            zh="这里打开的括号或引号没有闭合：数一数 `(` `[` `{` 和引号。",
        )
    if "unterminated string literal" in message:
        return _Text(
            en="A string starts here but its closing quote is missing.",
            zh="这里开始了一个字符串，但缺少结尾的引号。",
        )
    if "unmatched" in message:
        return _Text(
            en="There is a closing bracket without an opening one.",
            zh="有一个右括号没有对应的左括号。",
        )
    return None


# --- a gradient of None ----------------------------------------------------------------------


def gradient_none_hint(
    *,
    source: str = "x",
    target: str = "y",
    source_is_variable: bool = True,
    dtype: str | None = None,
    trainable: bool = True,
    watched: bool = False,
    target_made_before_tape: bool = False,
    target_is_python_number: bool = False,
    tape_used_before: bool = False,
    lang: str = "en",
) -> str:
    """Why `t.gradient(target, source)` is None, from the facts the kernel knows.

    The most likely cause is named first: a tape already used, a target that left
    TensorFlow, an integer source, a constant not watched, a Variable made with
    `trainable=False`, a target computed before the tape; otherwise the path from source
    to target was cut (a cast to int, `.numpy()`, an `.assign`, `tf.stop_gradient`).
    `lang` is "en" or "zh" (another gets English).
    """
    if tape_used_before:
        text = _Text(
            en=(
                "This tape was already used for a gradient. Create it with "
                "`tf.GradientTape(persistent=True)` to ask it more than once."
            ),
            zh=(
                "这个梯度带已经求过一次梯度了。要多次求梯度，请用 "
                "`tf.GradientTape(persistent=True)` 创建它。"
            ),
        )
    elif target_is_python_number:
        text = _Text(
            en=(
                f"`{target}` is a plain Python number, so nothing links it to `{source}`. "
                "Compute it with TensorFlow operations inside the `with` block."
            ),
            zh=(
                f"`{target}` 是一个普通的 Python 数，和 `{source}` 之间没有任何联系。"
                "请在 `with` 块里用 TensorFlow 运算计算它。"
            ),
        )
    elif dtype is not None and not dtype.removeprefix("tf.").startswith(
        ("float", "bfloat", "half", "complex")
    ):
        text = _Text(
            en=(
                f"`{source}` is {dtype}: gradients exist only for floating-point values. Create "
                f"it from floats, e.g. `tf.Variable(tf.range(4.0))`, or `tf.cast` it to tf.float32."
            ),
            zh=(
                f"`{source}` 的数据类型是 {dtype}：只有浮点数才有梯度。请用浮点数创建它，"
                "例如 `tf.Variable(tf.range(4.0))`，或者用 `tf.cast` 把它转换为 tf.float32。"
            ),
        )
    elif not source_is_variable and not watched:
        text = _Text(
            en=(
                f"`{source}` is a constant tensor, and a tape only watches trainable Variables. "
                f"Call `t.watch({source})` inside the `with` block, or make it a `tf.Variable`."
            ),
            zh=(
                f"`{source}` 是常量张量，而梯度带只会自动监视可训练的变量。"
                f"请在 `with` 块里调用 `t.watch({source})`，或者把它改成 `tf.Variable`。"
            ),
        )
    elif source_is_variable and not trainable:
        text = _Text(
            en=(
                f"`{source}` was created with `trainable=False`, so the tape does not watch it. "
                f"Call `t.watch({source})`, or create it trainable."
            ),
            zh=(
                f"`{source}` 创建时用了 `trainable=False`，所以梯度带不会监视它。"
                f"请调用 `t.watch({source})`，或者把它创建成可训练的变量。"
            ),
        )
    elif target_made_before_tape:
        text = _Text(
            en=(
                f"`{target}` was computed before the `with tf.GradientTape()` block, so the tape "
                "never saw it. Compute it inside the block."
            ),
            zh=(
                f"`{target}` 是在 `with tf.GradientTape()` 块之前计算的，梯度带没有记录这次计算。"
                "请在块里计算它。"
            ),
        )
    else:
        text = _Text(
            en=(
                f"The tape saw no path from `{source}` to `{target}`. Something on the way left "
                "TensorFlow or cut the link: `.numpy()`, `float(...)`, a cast to an integer dtype, "
                "`tf.stop_gradient`, or an `.assign` (assignments are not recorded)."
            ),
            zh=(
                f"梯度带上找不到从 `{source}` 到 `{target}` 的路径。中间有一步离开了 TensorFlow "
                "或者切断了联系：`.numpy()`、`float(...)`、转换为整数数据类型、`tf.stop_gradient`，"
                "或者 `.assign`（赋值不会被记录）。"
            ),
        )
    return text.in_language(lang)
