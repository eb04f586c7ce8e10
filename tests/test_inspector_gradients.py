"""The inspector never contradicts TensorFlow: the tutor's gradient is labelled as the
tutor's, and what the learner's own tape answered is shown as it answered (real kernel)."""

from __future__ import annotations

from tutor.kernel.client import KernelClient
from tutor.kernel.protocol import CellResult, Gradient
from tutor.words import tell


def _grad(result: CellResult, name: str) -> Gradient | None:
    return next(v for v in result.variables if v.name == name).grad


def _labels(result: CellResult) -> list[str]:
    return [tell("en", v.grad.label_for(v.name)) for v in result.variables if v.grad is not None]


async def test_the_tutors_gradient_says_it_is_the_tutors(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    r = await kernel.run_cell("y = 2 * tf.tensordot(x, x, axes=1)")
    grad = _grad(r, "x")
    assert grad is not None and grad.source == "tutor" and tell("en", grad.label) == "auto ∂y/∂x"
    assert grad.preview == "[0. 4. 8. 12.]"
    r = await kernel.run_cell("y = tf.reduce_sum(x)")
    grad = _grad(r, "x")
    assert grad is not None and tell("zh", grad.label) == "自动 ∂y/∂x"  # said at display time
    assert grad.preview == "[1. 1. 1. 1.]"


async def test_a_tapes_answer_is_shown_as_the_tape_gave_it(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    r = await kernel.run_cell("with tf.GradientTape() as t:\n    y = x * x\nt.gradient(y, x)")
    assert r.value is not None and "[0., 2., 4., 6.]" in r.value
    grad = _grad(r, "x")
    assert grad is not None and grad.source == "tape"
    assert grad.label == "t.gradient(y, x) =" and grad.preview == "[0. 2. 4. 6.]"
    # the tape's answer is no target of its own: no ∂(t.gradient(y, x))/∂x anywhere
    assert not any("gradient(" in label and "∂" in label for label in _labels(r))


async def test_a_none_from_the_learners_tape_is_shown_with_its_reason(
    kernel: KernelClient,
) -> None:
    await kernel.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    r = await kernel.run_cell(
        "with tf.GradientTape(watch_accessed_variables=False) as t:\n"
        "    y2 = x * x\n"
        "g = t.gradient(y2, x)\n"
        "g is None"
    )
    assert r.value == "True"  # TensorFlow's answer...
    grad = _grad(r, "x")
    # ... is the inspector's: not the tutor's d(sum y2)/dx = 2x presented as the tape's
    assert grad is not None and grad.source == "tape" and grad.preview == "None"
    assert grad.label == "t.gradient(y2, x) ="
    assert "watch_accessed_variables=False" in tell("en", grad.reason) and "t.watch(x)" in tell(
        "en", grad.reason
    )
    r = await kernel.run_cell("1 + 1")
    assert _grad(r, "x") == grad  # it stays while x and y2 are what they were


async def test_each_none_has_the_reason_tensorflow_had(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "c = tf.constant(3.0)\nwith tf.GradientTape() as t:\n    q = c * c\ndq = t.gradient(q, c)"
    )
    grad = _grad(r, "c")
    assert (
        grad is not None and grad.preview == "None" and "never watched c" in tell("en", grad.reason)
    )
    r = await kernel.run_cell(
        "n = tf.Variable(3)\nwith tf.GradientTape() as t:\n    m = n * n\ndn = t.gradient(m, n)"
    )
    grad = _grad(r, "n")
    assert (
        grad is not None
        and grad.preview == "None"
        and "integers (int32)" in tell("en", grad.reason)
    )
    r = await kernel.run_cell(
        "w = tf.Variable(2.0)\n"
        "p = w * w\n"
        "with tf.GradientTape() as t:\n"
        "    k = w + 1.0\n"
        "dw = t.gradient(p, w)"
    )
    grad = _grad(r, "w")
    assert grad is not None and grad.preview == "None"
    assert "p was computed outside the with block" in tell("en", grad.reason)


async def test_a_gradient_goes_when_its_variable_changes(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.Variable([1.0, 2.0])")
    r = await kernel.run_cell("L = tf.reduce_sum(x * x)")
    assert _grad(r, "x") is not None
    r = await kernel.run_cell("x.assign([5.0, 5.0])\nNone")
    assert _grad(r, "x") is None  # ∂L/∂x was at the old x: stale, not shown
