"""Plain-words hints for the errors a learner meets first, from the error's text alone.

Pure functions, no TensorFlow import: the kernel passes what it knows (the error's type
name and message, the namespace's names, `dir(tf)`, the attributes of the object an
AttributeError was raised on) and gets words to say back (a `Said`: a message id of the
catalog, "hint.…", and its facts), or None when no hint fits. The kernel never writes
the sentence: the frontend says it in the learner's language (tutor/words). The
messages matched are TensorFlow 2.21's and Python 3.11-3.13's (see tests/test_hints.py).

A new hint: a rule function in the module of what it diagnoses, its place in `RULES`
below, and its words in the catalog (`tools/words.py add`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tutor.kernel.protocol import Said
from tutor.kernel.worker.hints import (
    dtypes,
    gradients,
    names,
    runtime,
    sandbox,
    shapes,
    syntax,
    tensors,
)
from tutor.kernel.worker.hints.context import Context

Rule = Callable[[Context], Said | None]

#: Every rule, in priority order: the first that answers gives the hint.
RULES: tuple[Rule, ...] = (
    # The sandbox first: a refused file or program is never the learner's typo.
    sandbox.refused,
    # Names and attributes: a misspelling explains most AttributeErrors and NameErrors,
    # and a None where a tensor was expected (a None gradient) reads as one.
    names.module_attribute,
    names.object_attribute,
    names.none_operand,
    names.undefined_name,
    # Tensors are immutable (before dtypes: a TypeError names the type it refused).
    tensors.item_assignment,
    # Dtypes before shapes: a mixed-dtype op can also mention shapes.
    dtypes.op_input_dtype,
    dtypes.same_dtype,
    dtypes.attr_not_allowed,
    dtypes.cannot_convert,
    # Shapes and axes.
    shapes.broadcast,
    shapes.matmul_sizes,
    shapes.matmul_vector,
    shapes.reshape,
    shapes.reduction_axis,
    shapes.scalar_len,
    shapes.to_python_scalar,
    shapes.concat_or_stack,
    shapes.matrix_norm,
    shapes.index_out_of_range,
    # Gradients.
    gradients.tape_used_twice,
    # Python itself, by exception type (after the rules that read the message).
    runtime.python_runtime,
    syntax.syntax,
)


def hint_for(
    error_type: str,
    message: str,
    *,
    names: Iterable[str] = (),
    tf_attributes: Iterable[str] = (),
    value_attributes: Iterable[str] = (),
) -> Said | None:
    """Words to say about an error, or None when no hint fits.

    `error_type` is the exception's class name, bare or qualified
    ("InvalidArgumentError" or "tensorflow.python...InvalidArgumentError"); `message` is
    `str(exc)`. `names` are the learner's namespace names (builtins are added here),
    `tf_attributes` is `dir(tf)`, `value_attributes` is `dir(exc.obj)` for an
    AttributeError when the kernel has it.
    """
    context = Context(
        error_type=error_type.rsplit(".", 1)[-1],
        message=message,
        names=frozenset(names),
        tf_attributes=frozenset(tf_attributes),
        value_attributes=frozenset(value_attributes),
    )
    for rule in RULES:
        hint = rule(context)
        if hint is not None:
            return hint
    return None
