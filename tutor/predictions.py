"""Predictions of what a piece of code gives: read leniently, compared fairly.

A predict question (lessons/README.md) shows code and asks the learner, before the
tutor runs it, what it gives: its shape, its dtype, its value, or whether it fails.
This module reads a prediction as a learner writes it ("(3, 4)", "3x4", "tf.float32",
"[1, 4, 16, 64]", "0.17", "error", "InvalidArgumentError", "报错") and compares it
with the truth. The lesson's stored answer is read by the same reader, so what an
author may store and what a learner may type never drift apart.

Pure: no TensorFlow, no kernel, no words for the learner (`tutor.prediction_verdict`
says the verdict).
"""

from __future__ import annotations

import ast
import builtins
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Ask = Literal["shape", "dtype", "value", "error"]
ASKS: tuple[Ask, ...] = ("shape", "dtype", "value", "error")

#: A number agrees with the truth within this relative tolerance (a learner rounds).
DEFAULT_RTOL = 1e-3
_ATOL = 1e-6
#: A value prediction holds at most this many numbers ("a short list").
MAX_NUMBERS = 64

DTYPE_NAMES = (
    "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128", "string",
)  # fmt: skip
_DTYPE_ALIASES = {
    "half": "float16",
    "single": "float32",
    "double": "float64",
    "boolean": "bool",
    "str": "string",
    "bytes": "string",
}
_ERROR_WORDS = {
    "error", "an error", "errors", "it errors", "raise", "raises", "it raises",
    "raises an error", "fail", "fails", "it fails", "failure", "exception", "an exception",
    "throws", "crash", "错误", "报错", "会报错", "出错", "会出错", "异常", "失败", "抛出异常",
}  # fmt: skip
_NO_ERROR_WORDS = {
    "no error", "no errors", "none", "no", "ok", "okay", "runs", "it runs", "works",
    "it works", "fine", "no exception", "not an error", "没有错误", "无错误", "不报错",
    "不会报错", "没错", "正常", "正常运行", "能运行", "没问题", "不会出错",
}  # fmt: skip
_SCALAR_WORDS = {"scalar", "a scalar", "rank 0", "rank-0", "标量", "()", "[]", "( )", "[ ]"}
_ERROR_TYPE = re.compile(
    r"(?:raises\s+|raise\s+)?(?:tf\.errors\.|tf\.|tensorflow\.errors\.)?"
    r"([A-Za-z_][A-Za-z0-9_]*(?:Error|Exception))\s*:?\Z",
    re.IGNORECASE,
)
_SHAPE_PREFIX = re.compile(r"^(tensorshape|torch\.size|shape\s*=|shape\s*:|shape)\s*", re.I)
_SHAPE_SEPARATORS = re.compile(r"[\s,x×*]+")
_VALUE_TOKEN = re.compile(r"[\[\]()]|[^\s,\[\]()]+")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+)(?:\.(\d*))?\Z|[+-]?\.(\d+)\Z")


@dataclass(frozen=True)
class Shape:
    """A predicted shape: (3, 4), or () for a scalar."""

    dims: tuple[int, ...]

    def __str__(self) -> str:
        inner = ", ".join(str(d) for d in self.dims)
        return f"({inner},)" if len(self.dims) == 1 else f"({inner})"


@dataclass(frozen=True)
class DType:
    """A predicted dtype, by TensorFlow's name: float32, int32, bool..."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Precision:
    """How a number was written: digits after the point, significant digits."""

    decimals: int
    significant: int


@dataclass(frozen=True)
class Value:
    """A predicted value: a number, a boolean, or a (nested) list of them.

    The numbers are flattened row by row; `shape` is the nesting ((), (4,), (3, 2)).
    `precision` keeps how each number was written, so that "0.17" for 1/6 counts as
    that number rounded, when it came from text.
    """

    shape: tuple[int, ...]
    numbers: tuple[float, ...]
    precision: tuple[Precision | None, ...] = ()
    booleans: bool = False

    def __str__(self) -> str:
        texts = [_number_text(x, self.booleans) for x in self.numbers]
        return _nest(texts, self.shape)


@dataclass(frozen=True)
class Raises:
    """The code fails: with this error type, or with an error not named (None)."""

    type: str | None = None

    def __str__(self) -> str:
        return self.type or "error"


@dataclass(frozen=True)
class Runs:
    """The code runs without an error (the answer to an `error` question)."""

    def __str__(self) -> str:
        return "no error"


Prediction = Shape | DType | Value | Raises | Runs


# --------------------------------------------------------------------------- reading


def normalise(text: str) -> str:
    """Full-width forms folded (Chinese input methods type （3，4）), spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    folded = " ".join(folded.split())
    return folded.strip().rstrip("。.").strip() if not _ends_in_number(folded) else folded


def _ends_in_number(text: str) -> bool:
    return bool(re.search(r"\d\.\Z", text.strip()))


def parse_prediction(text: str, ask: Ask) -> Prediction | None:
    """What `text` predicts about the code for a question asking `ask`; None if unreadable.

    Any ask accepts "error" (or an error's type name): a shape question may have the
    code fail. Only an `error` question accepts "no error".
    """
    cleaned = normalise(text)
    lowered = cleaned.lower()
    if not cleaned:
        return None
    if lowered in _ERROR_WORDS:
        return Raises(None)
    error_type = _ERROR_TYPE.match(cleaned)
    if error_type is not None:
        return Raises(error_type.group(1))
    if ask == "error":
        return Runs() if lowered in _NO_ERROR_WORDS else None
    if ask == "shape":
        return parse_shape(cleaned)
    if ask == "dtype":
        return parse_dtype(cleaned)
    return parse_value(cleaned)


def parse_shape(text: str) -> Shape | None:
    """(3, 4), 3, 4, 3x4, 3×4, [3,4], TensorShape([3, 4]), shape=(3, 4); () or "scalar"."""
    lowered = normalise(text).lower()
    if lowered in _SCALAR_WORDS:
        return Shape(())
    body = _SHAPE_PREFIX.sub("", lowered).strip()
    if body in _SCALAR_WORDS:
        return Shape(())
    bracketed = body[:1] in "([" and body[-1:] in ")]"
    inner = body.strip("()[] ")
    if any(c in inner for c in "()[]"):
        return None
    tokens = [t for t in _SHAPE_SEPARATORS.split(inner) if t]
    if not tokens:
        return Shape(()) if bracketed else None
    if not all(t.isdigit() for t in tokens) or len(tokens) > 32:
        return None
    return Shape(tuple(int(t) for t in tokens))


def parse_dtype(text: str) -> DType | None:
    """float32, tf.float32, np.float64, dtype=int32, <dtype: 'float32'>, double, bool."""
    lowered = normalise(text).lower().replace(" ", "")
    quoted = re.fullmatch(r"<dtype:'(\w+)'>", lowered)
    if quoted:
        lowered = quoted.group(1)
    for prefix in ("dtype=", "dtype:", "tf.dtypes.", "tf.", "tensorflow.", "np.", "numpy."):
        lowered = lowered.removeprefix(prefix)
    name = _DTYPE_ALIASES.get(lowered, lowered)
    return DType(name) if name in DTYPE_NAMES else None


def parse_value(text: str) -> Value | None:
    """A number (6, 2.5, -1e-3, 1/6, nan), True/False, or a list ([1, 4, 16] or [1 4 16])."""
    body = normalise(text)
    body = re.sub(r",?\s*dtype\s*=\s*[\w.]+", "", body)
    body = re.sub(r"^numpy\s*=\s*", "", body, flags=re.I)
    wrapped = re.fullmatch(r"(?:np\.array|array|tf\.constant)\s*\((.*)\)", body, flags=re.I)
    if wrapped:
        body = wrapped.group(1)
    tokens = _VALUE_TOKEN.findall(body)
    if not tokens:
        return None
    parsed = _Nested(tokens).read()
    if parsed is None:
        return None
    shape, atoms = parsed
    numbers: list[float] = []
    precision: list[Precision | None] = []
    booleans = bool(atoms)
    for atom in atoms:
        read = _atom(atom)
        if read is None:
            return None
        number, written, is_bool = read
        numbers.append(number)
        precision.append(written)
        booleans = booleans and is_bool
    if len(numbers) > MAX_NUMBERS:
        return None
    return Value(shape, tuple(numbers), tuple(precision), booleans)


class _Nested:
    """Brackets and atoms to (shape, flat atoms); rectangular lists only."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def read(self) -> tuple[tuple[int, ...], list[str]] | None:
        items: list[tuple[tuple[int, ...], list[str]]] = []
        while self.at < len(self.tokens):
            item = self.item()
            if item is None:
                return None
            items.append(item)
        if len(items) == 1:
            return items[0]
        return _stack(items)  # "1, 4, 16" without brackets is a list

    def item(self) -> tuple[tuple[int, ...], list[str]] | None:
        token = self.tokens[self.at]
        self.at += 1
        if token in ")]":
            return None
        if token not in "([":
            return (), [token]
        closing = ")" if token == "(" else "]"
        items: list[tuple[tuple[int, ...], list[str]]] = []
        while self.at < len(self.tokens) and self.tokens[self.at] != closing:
            item = self.item()
            if item is None:
                return None
            items.append(item)
        if self.at >= len(self.tokens):
            return None
        self.at += 1
        return _stack(items)


def _stack(
    items: list[tuple[tuple[int, ...], list[str]]],
) -> tuple[tuple[int, ...], list[str]] | None:
    if not items:
        return (0,), []
    inner = items[0][0]
    if any(shape != inner for shape, _ in items):
        return None  # ragged
    return (len(items), *inner), [atom for _, atoms in items for atom in atoms]


def _atom(text: str) -> tuple[float, Precision | None, bool] | None:
    lowered = text.lower().rstrip(".") if text.lower() in ("true.", "false.") else text.lower()
    if lowered in ("true", "false"):
        return (1.0 if lowered == "true" else 0.0), None, True
    if "/" in lowered:
        top, _, bottom = lowered.partition("/")
        try:
            value = float(top) / float(bottom)
        except (ValueError, ZeroDivisionError):
            return None
        return value, None, False
    try:
        value = float(lowered)
    except ValueError:
        return None
    return value, _precision(lowered), False


def _precision(text: str) -> Precision | None:
    match = _PLAIN_NUMBER.match(text)
    if match is None:
        return None  # 1e-3, nan, inf: compared by tolerance only
    whole, fraction, bare_fraction = match.groups()
    digits = (whole or "") + (fraction if fraction is not None else bare_fraction or "")
    decimals = len(fraction or bare_fraction or "")
    return Precision(decimals, len(digits.lstrip("0")) or 1)


# --------------------------------------------------------------------------- comparing


def agrees(predicted: Prediction, truth: Prediction, rtol: float = DEFAULT_RTOL) -> bool:
    """Whether a prediction says what the truth is.

    An error predicted for code that fails agrees whatever type was named (the point is
    that it fails; `same_error` tells whether the type was right too). Numbers agree
    within `rtol`, or when the predicted one is the truth rounded to the places it was
    written with (two significant digits at least: "0.17" for 1/6, not "0.2").
    """
    if isinstance(truth, Raises):
        return isinstance(predicted, Raises)
    if isinstance(truth, Value) and isinstance(predicted, Value):
        return _values_agree(predicted, truth, rtol)
    return predicted == truth


def same_error(predicted: Prediction, truth: Prediction) -> bool:
    """Both are errors and, when the prediction names a type, it is the truth's."""
    if not isinstance(predicted, Raises) or not isinstance(truth, Raises):
        return False
    if predicted.type is None or truth.type is None:
        return True
    return predicted.type.lower() == truth.type.lower()


def _values_agree(predicted: Value, truth: Value, rtol: float) -> bool:
    sizes = len(predicted.numbers), len(truth.numbers)
    if predicted.shape != truth.shape and sizes != (1, 1):
        return False  # a bare number for a one-element vector is the same value
    if sizes[0] != sizes[1]:
        return False
    precision = predicted.precision or (None,) * sizes[0]
    return all(
        _numbers_agree(got, want, written, rtol)
        for got, want, written in zip(predicted.numbers, truth.numbers, precision, strict=True)
    )


def _numbers_agree(got: float, want: float, written: Precision | None, rtol: float) -> bool:
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if math.isinf(want) or math.isinf(got):
        return got == want
    if abs(got - want) <= _ATOL + rtol * abs(want):
        return True
    if written is None or written.decimals < 1 or written.significant < 2:
        return False
    return abs(got - want) <= 0.5 * 10.0**-written.decimals * (1 + 1e-9)


# --------------------------------------------------------------------------- the truth


def truth_for(ask: Ask, description: Mapping[str, object]) -> Prediction | None:
    """The answer to `ask` that a described value gives; None when it has none.

    `description` is what the validator's probe printed about the code's value: its
    `shape` (a list), `dtype` (TensorFlow's name) and `value` (the nested list as text,
    None when large or not numeric).
    """
    if ask == "error":
        return Runs()
    if ask == "shape":
        shape = description.get("shape")
        if isinstance(shape, list) and all(isinstance(d, int) for d in shape):
            return Shape(tuple(int(d) for d in shape))
        return None
    if ask == "dtype":
        name = description.get("dtype")
        return DType(name) if isinstance(name, str) and name in DTYPE_NAMES else None
    value = description.get("value")
    parsed = parse_value(value) if isinstance(value, str) else None
    if parsed is None:
        return None
    return Value(parsed.shape, parsed.numbers, (), parsed.booleans)


# --------------------------------------------------------------------------- the code


_ALWAYS_THERE = frozenset({"tf", "np", "plot", *dir(builtins)})


def outside_names(code: str) -> set[str]:
    """The names `code` reads but never binds (besides tf, np, plot and builtins).

    A predict question's code must have none: it then gives the same result in the
    learner's kernel, whatever they bound, as in the validator's walk.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return read - bound - _ALWAYS_THERE


def ends_in_expression(code: str) -> bool:
    """Whether the code's last statement is an expression (whose value is predicted)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    return bool(tree.body) and isinstance(tree.body[-1], ast.Expr)


def uses_randomness(code: str) -> bool:
    """Whether the code draws random numbers (a predicted value would not hold)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return bool(names & {"random", "Generator", "shuffle", "dropout"})


def looks_like_prediction(text: str, ask: Ask) -> bool:
    """Whether a typed line is a prediction rather than Python worth running.

    On a predict step of the line tutor, "(3, 4)", "3x4", "float32", "error" answer the
    question: as Python they would only echo a literal or name an undefined name.
    "x.shape" or "tf.ones(3)" are Python.
    """
    if parse_prediction(text, ask) is None:
        return False
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return True
    node = tree.body
    while isinstance(node, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Name):
        return True
    try:
        ast.literal_eval(tree)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


# --------------------------------------------------------------------------- showing


def _number_text(number: float, booleans: bool) -> str:
    if booleans:
        return "True" if number else "False"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6g}"


def _nest(texts: list[str], shape: tuple[int, ...]) -> str:
    if not shape:
        return texts[0] if texts else ""
    if len(shape) == 1:
        return "[" + ", ".join(texts) + "]"
    step = len(texts) // shape[0] if shape[0] else 0
    rows = [_nest(texts[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
    return "[" + ", ".join(rows) + "]"
