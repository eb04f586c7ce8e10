"""The plain-words hints, fed the real TensorFlow 2.21 and Python messages.

The messages are copied from running the snippets of the curriculum reference (sections 4
and 5) on TF 2.21 with oneDNN on, as the kernel runs them. `TF_NAMES` stands in for
`dir(tf)` (a real subset of it), so these tests need no TensorFlow.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints import RULES, hint_for
from tutor.words import tell

TF_NAMES = frozenset(
    {
        "GradientTape",
        "Variable",
        "Tensor",
        "abs",
        "argmax",
        "cast",
        "concat",
        "constant",
        "cumsum",
        "exp",
        "float16",
        "float32",
        "float64",
        "function",
        "identity",
        "int32",
        "int64",
        "linalg",
        "math",
        "matmul",
        "maximum",
        "meshgrid",
        "norm",
        "ones",
        "random",
        "range",
        "reduce_max",
        "reduce_mean",
        "reduce_sum",
        "reshape",
        "size",
        "sqrt",
        "stack",
        "tensordot",
        "transpose",
        "zeros",
    }
)
NAMESPACE = frozenset({"tf", "np", "A", "B", "x", "y"})
WRAPPED = "{{function_node __wrapped__%s_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
MKL = (
    "{{function_node __wrapped____MklMatMul_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
)


def hint_words(error_type: str, message: str, **kwargs: object) -> Said | None:
    kwargs.setdefault("names", NAMESPACE)
    kwargs.setdefault("tf_attributes", TF_NAMES)
    return hint_for(error_type, message, **kwargs)  # type: ignore[arg-type]


def hint(error_type: str, message: str, lang: str = "en", **kwargs: object) -> str | None:
    """The hint as the learner reads it in `lang` (the catalog says the kernel's ids)."""
    words = hint_words(error_type, message, **kwargs)
    return None if words is None else tell(lang, words)


# --- misspelled names (errata C1-C7) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("reshapre", "tf.reshape"),
        ("redice_sum", "tf.reduce_sum"),
        ("GradienTape", "tf.GradientTape"),
    ],
)
def test_misspelled_tf_attribute(wrong: str, right: str) -> None:
    message = f"module 'tensorflow' has no attribute '{wrong}'"
    assert hint("AttributeError", message) == f"Did you mean `{right}`?"


def test_numpy_spelling_on_tf_names_the_tf_function() -> None:
    assert "tf.reduce_sum" in (
        hint("AttributeError", "module 'tensorflow' has no attribute 'sum'") or ""
    )
    assert "tf.range" in (
        hint("AttributeError", "module 'tensorflow' has no attribute 'arange'") or ""
    )


def test_submodule_attribute_uses_the_objects_attributes() -> None:
    message = "module 'tensorflow._api.v2.linalg' has no attribute 'matvek'"
    text = hint("AttributeError", message, value_attributes=["matvec", "matmul", "inv"])
    assert text == "Did you mean `tf.linalg.matvec`?"


def test_missing_dot_after_tf() -> None:
    text = hint("NameError", "name 'tftranspose' is not defined")
    assert text is not None
    assert "`tf.transpose`" in text
    assert "dot is missing" in text


def test_one_letter_short_of_tf() -> None:
    assert (
        hint("NameError", "name 'f' is not defined")
        == "Did you mean `tf.`? `f` is not defined here."
    )


def test_one_letter_short_of_tf_needs_tf_in_the_namespace() -> None:
    text = hint("NameError", "name 'f' is not defined", names={"A"})
    assert text is None or "tf." not in text


def test_dtype_without_tf_prefix() -> None:
    assert hint("NameError", "name 'float64' is not defined") == (
        "`float64` belongs to TensorFlow: write `tf.float64`."
    )


def test_function_shadowing_a_tf_attribute() -> None:
    text = hint(
        "AttributeError", "'function' object has no attribute 'constant'", names={"tf", "f"}
    )
    assert text is not None
    assert "`tf.constant`" in text


def test_near_miss_of_a_namespace_name() -> None:
    assert hint("NameError", "name 'pirnt' is not defined") == "Did you mean `print`?"
    assert hint("NameError", "name 'weights' is not defined", names={"tf", "weight"}) == (
        "Did you mean `weight`?"
    )


def test_numpy_not_imported() -> None:
    made_earlier = hint("NameError", "name 'qwzxv' is not defined")
    assert made_earlier is not None and "example" in made_earlier and "replay" in made_earlier
    text = hint("NameError", "name 'np' is not defined", names={"tf"})
    assert text is not None
    assert "import numpy as np" in text


# --- tensors ---------------------------------------------------------------------------------


EAGER = "'tensorflow.python.framework.ops.EagerTensor' object"


def test_numpy_method_on_a_tensor() -> None:
    text = hint("AttributeError", f"{EAGER} has no attribute 'sum'")
    assert text is not None
    assert "`tf.reduce_sum(x)`" in text
    assert "tf.reduce_mean(x)" in (hint("AttributeError", f"{EAGER} has no attribute 'mean'") or "")
    assert "tf.reduce_sum(x)" in (
        hint("AttributeError", "'ResourceVariable' object has no attribute 'sum'") or ""
    )


def test_assign_on_a_tensor() -> None:
    text = hint("AttributeError", f"{EAGER} has no attribute 'assign'")
    assert text is not None
    assert "tf.Variable" in text
    assert "immutable" in text


def test_misspelled_tensor_attribute_from_its_attributes() -> None:
    text = hint(
        "AttributeError", f"{EAGER} has no attribute 'shpae'", value_attributes=["shape", "dtype"]
    )
    assert text == "Did you mean `.shape`?"


def test_item_assignment_to_a_tensor() -> None:
    text = hint("TypeError", f"{EAGER} does not support item assignment")
    assert text is not None
    assert "immutable" in text
    assert ".assign(" in text
    assert "tf.tensor_scatter_nd_update" in text


def test_item_assignment_to_a_variable() -> None:
    text = hint("TypeError", "'ResourceVariable' object does not support item assignment")
    assert text is not None
    assert "v[1, 2].assign(9.0)" in text


# --- dtypes (B2, B4, B5, B6, B7, B8) --------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "mentions"),
    [
        (
            "cannot compute MatMul as input #1(zero-based) was expected to be a int32 tensor "
            "but is a float tensor [Op:MatMul] name: ",
            ("MatMul", "tf.int32", "tf.float32"),
        ),
        (
            "cannot compute MatMul as input #1(zero-based) was expected to be a float tensor "
            "but is a double tensor [Op:MatMul] name: ",
            ("tf.float32", "tf.float64"),
        ),
        (
            "cannot compute AddV2 as input #1(zero-based) was expected to be a double tensor "
            "but is a float tensor [Op:AddV2] name: ",
            ("AddV2", "tf.float64"),
        ),
    ],
)
def test_op_with_mixed_dtypes(message: str, mentions: tuple[str, ...]) -> None:
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "tf.cast(x, tf.float32)" in text
    for word in mentions:
        assert word in text


def test_same_dtype() -> None:
    message = "`x` and `y` must have the same dtype, got tf.float32 != tf.int32."
    text = hint("TypeError", message)
    assert text is not None
    assert "tf.float32 with tf.int32" in text
    assert "tf.cast" in text


def test_integer_input_to_a_float_op() -> None:
    message = (
        "Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, "
        "float, double, complex64, complex128\n\t; NodeDef: {{node Sqrt}}; Op<name=Sqrt; "
        "signature=x:T -> y:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
        "DT_COMPLEX64, DT_COMPLEX128]> [Op:Sqrt] name: "
    )
    text = hint("tensorflow.python.framework.errors_impl.InvalidArgumentError", message)
    assert text is not None
    assert "tf.cast(x, tf.float32)" in text
    assert "int32" in text


def test_boolean_input_to_a_sum() -> None:
    message = (
        "Value for attr 'T' of bool is not in the list of allowed values: float, double, int32"
    )
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "tf.cast(mask, tf.int32)" in text


def test_float_into_an_int_tensor() -> None:
    text = hint("TypeError", "Cannot convert 2.5 to EagerTensor of dtype int32")
    assert text is not None
    assert "`2.5`" in text
    assert "tf.cast(x, tf.float32)" in text


# --- shapes (C10, B10, B11, B12) ------------------------------------------------------------


def test_shapes_that_would_multiply_as_matrices() -> None:
    message = WRAPPED % "Mul" + "Incompatible shapes: [5,4] vs. [4,3] [Op:Mul] name: "
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "from the right" in text
    assert "tf.matmul(A, B)" in text
    assert "(5, 3)" in text


def test_row_sums_without_keepdims() -> None:
    message = WRAPPED % "RealDiv" + "Incompatible shapes: [5,4] vs. [5] [Op:RealDiv] name: "
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "keepdims=True" in text
    assert "(5, 1)" in text
    assert "(4 vs 5)" in text


def test_shapes_that_clash_otherwise() -> None:
    message = "Incompatible shapes: [2,3] vs. [2,4] [Op:AddV2]"
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "matmul" not in text
    assert "(3 vs 4)" in text


def test_matrix_inner_sizes() -> None:
    message = MKL + "Matrix size-incompatible: In[0]: [5,4], In[1]: [3,4] [Op:MatMul] name: "
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "4 columns with 3 rows" in text
    assert "transpose_b=True" in text


@pytest.mark.parametrize(
    "message",
    [
        "In[0] and In[1] has different ndims: [5,4] vs. [4] [Op:MatMul]",
        "In[0] and In[1] ndims must be == 2: 1 [Op:MatMul]",
        MKL + "In[1] ndims must be >= 2 [Op:MatMul] name: ",
        MKL + "In[0] ndims must be >= 2 [Op:MatMul] name: ",
    ],
)
def test_matmul_with_a_vector(message: str) -> None:
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "tf.linalg.matvec" in text
    assert "tf.tensordot(x, y, axes=1)" in text


def test_reshape_to_a_wrong_size() -> None:
    message = (
        WRAPPED % "Reshape"
        + "Input to reshape is a tensor with 12 values, but the requested shape has 15 [Op:Reshape]"
    )
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "12 values cannot fill a shape of 15" in text
    assert "(2, 6), (3, 4)" in text
    assert "-1" in text


def test_reshape_with_minus_one() -> None:
    message = "Input to reshape is a tensor with 12 values, but the requested shape requires a multiple of 5"
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "12 is not a multiple of 5" in text


def test_reduction_axis_out_of_range() -> None:
    message = (
        WRAPPED % "Sum"
        + "Invalid reduction dimension (2 for input with 2 dimension(s) [Op:Sum] name: "
    )
    text = hint("InvalidArgumentError", message)
    assert text is not None
    assert "`axis=2`" in text
    assert "axis 0, 1" in text


def test_matrix_norm_needs_its_axes() -> None:
    text = hint("ValueError", "'ord' must be a supported vector norm, got fro")
    assert text is not None
    assert "axis=[-2, -1]" in text


def test_len_of_a_scalar() -> None:
    text = hint("TypeError", "Scalar tensor has no `len()`")
    assert text is not None
    assert "tf.size(x)" in text
    assert "tf.constant([3.0])" in text


def test_float_of_a_one_element_array() -> None:
    text = hint("TypeError", "only 0-dimensional arrays can be converted to Python scalars")
    assert text is not None
    assert ".item()" in text


# --- gradients (B13, B15, B16) ----------------------------------------------------------------


def test_tape_used_twice() -> None:
    message = (
        "A non-persistent GradientTape can only be used to compute one set of gradients "
        "(or jacobians)"
    )
    text = hint("RuntimeError", message)
    assert text is not None
    assert "persistent=True" in text


def test_python_float_as_gradient_target() -> None:
    text = hint("AttributeError", "'float' object has no attribute 'dtype'")
    assert text is not None
    assert "GradientTape" in text
    assert ".numpy()" in text


def test_operating_on_a_none_gradient() -> None:
    text = hint("TypeError", "unsupported operand type(s) for *: 'NoneType' and 'float'")
    assert text is not None
    assert "tape.gradient" in text


# --- Python and the sandbox -----------------------------------------------------------------


def test_python_errors() -> None:
    assert "denominator" in (hint("ZeroDivisionError", "float division by zero") or "")
    assert "calling itself" in (hint("RecursionError", "maximum recursion depth exceeded") or "")
    assert "out of memory" in (hint("MemoryError", "") or "")


def test_out_of_memory_tensor_size() -> None:
    message = (
        "{{function_node __wrapped__Fill_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
        "OOM when allocating tensor with shape[100000,100000,100] and type float on "
        "/job:localhost/replica:0/task:0/device:CPU:0 by allocator mklcpu [Op:Fill] name: "
    )
    text = hint("ResourceExhaustedError", message)
    assert text is not None
    assert "1e+12 values" in text
    assert "4 TB" in text


@pytest.mark.parametrize(
    ("error_type", "message", "expected"),
    [
        ("IndentationError", "unexpected indent (<cell>, line 2)", "spaces"),
        (
            "IndentationError",
            "expected an indented block after 'for' statement on line 1",
            "indent",
        ),
        ("SyntaxError", "'(' was never closed", "never closed"),
        ("SyntaxError", "invalid character '，' (U+FF0C)", "full-width"),
        ("SyntaxError", "invalid character '（' (U+FF08)", "full-width"),
        ("SyntaxError", "unterminated string literal (detected at line 1)", "quote"),
    ],
)
def test_syntax(error_type: str, message: str, expected: str) -> None:
    assert expected in (hint(error_type, message) or "")


@pytest.mark.parametrize(
    ("error_type", "message"),
    [
        ("PermissionError", "[Errno 1] Operation not permitted"),
        ("PermissionError", "[Errno 13] Permission denied: '/etc/passwd'"),
        ("OSError", "[Errno 1] Operation not permitted"),
    ],
)
def test_sandbox_refusals(error_type: str, message: str) -> None:
    assert hint(error_type, message) == tell("en", Said("hint.sandbox"))
    assert "sandbox does not allow running programs" in (hint(error_type, message) or "")


# --- no hint where none fits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_type", "message"),
    [
        ("ValueError", "math domain error"),
        ("KeyError", "'weights'"),
        ("AttributeError", "module 'tensorflow' has no attribute 'qwzxv'"),
        ("AttributeError", f"{EAGER} has no attribute 'qwzxv'"),
        ("AttributeError", "'TensorShape' object has no attribute 'foo'"),
        ("TypeError", "'int' object is not iterable"),
        ("OSError", "[Errno 2] No such file or directory: 'data.csv'"),
        ("SyntaxError", "invalid syntax"),
        ("InvalidArgumentError", "Some other kernel failure [Op:Foo]"),
    ],
)
def test_no_hint_where_none_fits(error_type: str, message: str) -> None:
    assert hint(error_type, message) is None


def test_the_error_text_decides_not_the_type_alone() -> None:
    assert (
        hint("AttributeError", "module 'tensorflow' has no attribute 'reshapre'", tf_attributes=())
        is None
    )
    assert hint("ValueError", "module 'tensorflow' has no attribute 'reshapre'") is None


def test_input_has_no_keyboard() -> None:
    text = hint("EOFError", "EOF when reading a line")
    assert text is not None and "input()" in text


# --- every hint in English and Simplified Chinese --------------------------------------------

#: One error for every hint sentence the rules can write (the coverage test below checks that).
BILINGUAL_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("PermissionError", "[Errno 1] Operation not permitted", {}),
    ("AttributeError", "module 'tensorflow' has no attribute 'sum'", {}),
    ("AttributeError", "module 'tensorflow' has no attribute 'reshapre'", {}),
    ("AttributeError", f"{EAGER} has no attribute 'assign'", {}),
    ("AttributeError", f"{EAGER} has no attribute 'sum'", {}),
    ("AttributeError", "'float' object has no attribute 'dtype'", {}),
    ("AttributeError", "'NoneType' object has no attribute 'shape'", {}),
    ("AttributeError", "'numpy.ndarray' object has no attribute 'numpy'", {}),
    ("AttributeError", "'function' object has no attribute 'constant'", {"names": {"tf", "f"}}),
    ("AttributeError", f"{EAGER} has no attribute 'shpae'", {"value_attributes": ["shape"]}),
    ("TypeError", "unsupported operand type(s) for *: 'NoneType' and 'float'", {}),
    ("NameError", "name 'tftranspose' is not defined", {}),
    ("NameError", "name 'f' is not defined", {}),
    ("NameError", "name 'float64' is not defined", {}),
    ("NameError", "name 'np' is not defined", {"names": {"tf"}}),
    ("NameError", "name 'pirnt' is not defined", {}),
    ("NameError", "name 'reduce_summ' is not defined", {}),
    ("NameError", "name 'randn' is not defined", {}),
    ("NameError", "name 'qwzxv' is not defined", {}),
    ("TypeError", "'ResourceVariable' object does not support item assignment", {}),
    ("TypeError", f"{EAGER} does not support item assignment", {}),
    (
        "InvalidArgumentError",
        "cannot compute MatMul as input #1(zero-based) was expected to be a int32 tensor "
        "but is a float tensor [Op:MatMul] name: ",
        {},
    ),
    ("TypeError", "`x` and `y` must have the same dtype, got tf.float32 != tf.int32.", {}),
    ("InvalidArgumentError", "Value for attr 'T' of bool is not in the list of allowed values", {}),
    (
        "InvalidArgumentError",
        "Value for attr 'T' of int32 is not in the list of allowed values",
        {},
    ),
    (
        "InvalidArgumentError",
        "Value for attr 'T' of string is not in the list of allowed values",
        {},
    ),
    ("ValueError", "Tensor conversion requested dtype float32 for Tensor with dtype int32", {}),
    ("TypeError", "Cannot convert 2.5 to EagerTensor of dtype int32", {}),
    ("InvalidArgumentError", "Incompatible shapes: [5,4] vs. [4,3] [Op:Mul]", {}),
    ("InvalidArgumentError", "Incompatible shapes: [5,4] vs. [5] [Op:RealDiv]", {}),
    ("InvalidArgumentError", "Incompatible shapes: [2,3] vs. [2,4] [Op:AddV2]", {}),
    ("InvalidArgumentError", "Incompatible shapes: [2,3] vs. [3] [Op:AddV2]", {}),
    ("InvalidArgumentError", "Matrix size-incompatible: In[0]: [5,4], In[1]: [3,4]", {}),
    ("InvalidArgumentError", "Matrix size-incompatible: In[0]: [4,5], In[1]: [4,3]", {}),
    ("InvalidArgumentError", "Matrix size-incompatible: In[0]: [5,4], In[1]: [3,2]", {}),
    ("InvalidArgumentError", "In[0] and In[1] ndims must be == 2: 1 [Op:MatMul]", {}),
    (
        "InvalidArgumentError",
        "Input to reshape is a tensor with 12 values, but the requested shape has 15",
        {},
    ),
    (
        "InvalidArgumentError",
        "Input to reshape is a tensor with 7 values, but the requested shape requires a multiple of 2",
        {},
    ),
    ("InvalidArgumentError", "Invalid reduction dimension (0 for input with 0 dimension(s)", {}),
    ("InvalidArgumentError", "Invalid reduction dimension (2 for input with 2 dimension(s)", {}),
    ("TypeError", "Scalar tensor has no `len()`", {}),
    ("TypeError", "only length-1 arrays can be converted to Python scalars", {}),
    ("InvalidArgumentError", "ConcatOp : Dimension 1 in both shapes must be equal", {}),
    ("InvalidArgumentError", "Shapes of all inputs must match: values[0].shape = [2]", {}),
    ("ValueError", "'ord' must be a supported vector norm, got fro", {}),
    ("InvalidArgumentError", "slice index 5 of dimension 0 out of bounds. [Op:StridedSlice]", {}),
    ("RuntimeError", "A non-persistent GradientTape can only be used to compute one set", {}),
    ("ZeroDivisionError", "float division by zero", {}),
    ("EOFError", "EOF when reading a line", {}),
    ("RecursionError", "maximum recursion depth exceeded", {}),
    ("MemoryError", "", {}),
    (
        "ResourceExhaustedError",
        "OOM when allocating tensor with shape[100000,100000,100] and type float on cpu",
        {},
    ),
    ("ResourceExhaustedError", "OOM when allocating tensor with shape[10] and type float", {}),
    ("SyntaxError", "invalid character '\uff0c' (U+FF0C)", {}),
    ("IndentationError", "unexpected indent (<cell>, line 2)", {}),
    ("IndentationError", "expected an indented block after 'for' statement on line 1", {}),
    ("TabError", "inconsistent use of tabs and spaces in indentation", {}),
    ("SyntaxError", "'(' was never closed", {}),
    ("SyntaxError", "unterminated string literal (detected at line 1)", {}),
    ("SyntaxError", "unmatched ')'", {}),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"`[^`]*`")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def assert_same_hint_in_chinese(english: str | None, chinese: str | None) -> None:
    """The Chinese hint exists, is Chinese, and carries the same code and numbers."""
    assert english is not None and chinese is not None
    assert not CJK.search(english), english
    assert CJK.search(chinese), chinese
    assert Counter(CODE.findall(chinese)) == Counter(CODE.findall(english)), (english, chinese)
    assert Counter(NUMBER.findall(chinese)) == Counter(NUMBER.findall(english)), (
        english,
        chinese,
    )


@pytest.mark.parametrize(("error_type", "message", "kwargs"), BILINGUAL_CASES)
def test_every_hint_has_a_chinese_one(
    error_type: str, message: str, kwargs: dict[str, Any]
) -> None:
    english = hint(error_type, message, **kwargs)
    assert hint(error_type, message, lang="en", **kwargs) == english
    assert_same_hint_in_chinese(english, hint(error_type, message, lang="zh", **kwargs))


@pytest.mark.parametrize("lang", ["fr", "", "EN", "zh-TW"])
def test_an_unknown_language_gets_english(lang: str) -> None:
    message = "Incompatible shapes: [5,4] vs. [5] [Op:RealDiv]"
    assert hint("InvalidArgumentError", message, lang=lang) == hint("InvalidArgumentError", message)


def test_chinese_uses_the_d2l_terms() -> None:
    tape = hint("RuntimeError", "A non-persistent GradientTape can only be used", lang="zh")
    assert tape is not None and "梯度带" in tape
    shapes = hint("InvalidArgumentError", "Incompatible shapes: [2,3] vs. [2,4]", lang="zh")
    assert shapes is not None and "按元素" in shapes and "形状" in shapes
    dtypes = hint(
        "TypeError", "`x` and `y` must have the same dtype, got tf.float32 != tf.int32.", lang="zh"
    )
    assert dtypes is not None and "数据类型" in dtypes
    assert "2 TB" in (
        hint(
            "ResourceExhaustedError",
            "OOM when allocating tensor with shape[500000,1000000] and type float",
            lang="zh",
        )
        or ""
    )
    assert "40 字节" in (
        hint("MemoryError", "OOM when allocating tensor with shape[10] and type float", lang="zh")
        or ""
    )


def _ids(said: Said) -> set[str]:
    """The message ids a hint is made of (a hint of several sentences nests them)."""
    found = {said.id}
    for fact in said.facts.values():
        if isinstance(fact, Said):
            found |= _ids(fact)
    return found


def test_the_cases_reach_every_hint_the_catalog_holds() -> None:
    """So the bilingual tests above check every sentence, not only the ones someone listed."""
    from babel.messages.pofile import read_po

    from tutor.words import LOCALE_DIR

    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "tutor.po").open("rb") as handle:
        catalog = read_po(handle)
    hint_ids = {m.id for m in catalog if isinstance(m.id, str) and m.id.startswith("hint.")}
    reached: set[str] = set()
    for error_type, message, kwargs in BILINGUAL_CASES:
        words = hint_words(error_type, message, **kwargs)
        assert words is not None, (error_type, message)
        reached |= _ids(words)
    assert len(hint_ids) > 50
    assert hint_ids - reached == set(), "no case in BILINGUAL_CASES reaches these hints"


def test_the_rules_are_one_ordered_table_of_small_modules() -> None:
    """A rule's priority is its place in `RULES`, and each lives in the module of what it
    diagnoses (names, dtypes, shapes, ...)."""
    modules = {rule.__module__.rsplit(".", 1)[-1] for rule in RULES}
    assert {"names", "dtypes", "shapes", "syntax", "sandbox"} <= modules
    assert RULES[0].__name__ == "refused"  # the sandbox is never taken for a typo
    assert len(set(RULES)) == len(RULES)
