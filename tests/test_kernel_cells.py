"""Cells behave like the Python REPL, with the namespace and gradients side by side."""

from __future__ import annotations

from tutor.kernel.client import KernelClient
from tutor.words import tell


def _var(result, name):  # type: ignore[no-untyped-def]
    return next(v for v in result.variables if v.name == name)


async def test_statements_expressions_and_underscore(kernel: KernelClient) -> None:
    r = await kernel.run_cell("a = 2\nb = a * 21\nb")
    assert r.outcome == "ok" and r.value == "42"
    r = await kernel.run_cell("_ + 1")
    assert r.value == "43"
    r = await kernel.run_cell("for i in range(3):\n    print(i)\n")
    assert r.stdout == "0\n1\n2\n" and r.value is None


async def test_tf_np_and_plot_preloaded(kernel: KernelClient) -> None:
    r = await kernel.run_cell("(tf.__name__, np.__name__, callable(plot))")
    assert r.value == "('tensorflow', 'numpy', True)"


async def test_gradient_beside_the_variable(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    r = await kernel.run_cell("y = 2 * tf.tensordot(x, x, axes=1)")
    y, x = _var(r, "y"), _var(r, "x")
    assert y.preview == "28.0" and y.dtype == "float32" and y.shape == ()
    assert x.kind == "Variable" and x.shape == (4,)
    assert x.grad is not None and x.grad.of == "y" and x.grad.preview == "[0. 4. 8. 12.]"


async def test_gradient_of_trailing_expression_and_unrelated_variables(
    kernel: KernelClient,
) -> None:
    await kernel.run_cell("x = tf.Variable([1.0, 2.0])\nw = tf.Variable(3.0)")
    r = await kernel.run_cell("tf.reduce_sum(x * x)")
    assert _var(r, "x").grad is not None and _var(r, "x").grad.preview == "[2. 4.]"  # type: ignore[union-attr]
    assert _var(r, "w").grad is None  # the target does not depend on w


async def test_integer_variable_gets_no_gradient(kernel: KernelClient) -> None:
    r = await kernel.run_cell("x = tf.Variable(tf.range(4))\ny = 2 * tf.tensordot(x, x, axes=1)")
    assert _var(r, "y").preview == "28" and _var(r, "x").grad is None


async def test_learner_tapes_behave_as_in_tensorflow(kernel: KernelClient) -> None:
    code = """
x = tf.Variable(tf.range(4, dtype=tf.float32))
with tf.GradientTape(persistent=True) as t:
    y = x * x
    u = tf.stop_gradient(y)
    z = u * x
dz = t.gradient(z, x)
dy = t.gradient(y, x)
c = tf.constant(3.0)
with tf.GradientTape() as t2:
    t2.watch(c)
    q = c * c
dq = t2.gradient(q, c)
with tf.GradientTape() as t3:
    w = x * x
j = t3.jacobian(w, x)
(dz.numpy().tolist(), dy.numpy().tolist(), float(dq), j.shape.as_list())
"""
    r = await kernel.run_cell(code)
    assert r.outcome == "ok", r.error
    assert r.value == "([0.0, 1.0, 4.0, 9.0], [0.0, 2.0, 4.0, 6.0], 6.0, [4, 4])"
    r = await kernel.run_cell(
        "with tf.GradientTape() as t:\n    y = x * x\nt.gradient(y, x)\nt.gradient(y, x)"
    )
    assert r.outcome == "error" and r.error is not None and r.error.type == "RuntimeError"


async def test_error_is_in_the_learners_terms(kernel: KernelClient) -> None:
    r = await kernel.run_cell("x = tf.ones((3, 2))\ny = tf.ones(3)\n\nz = x + y")
    assert r.outcome == "error" and r.error is not None
    assert r.error.type == "InvalidArgumentError"
    assert r.error.message.startswith("Incompatible shapes: [3,2] vs. [3]")
    assert "{{function_node" not in r.error.message
    assert r.error.line == 4
    assert "<cell" in r.error.traceback and "tensorflow" not in r.error.traceback


async def test_syntax_error_points_at_the_line(kernel: KernelClient) -> None:
    r = await kernel.run_cell("a = 1\nb = (2,\nc = 3 +")
    assert r.outcome == "error" and r.error is not None and r.error.type == "SyntaxError"


async def test_completion_of_names_and_attributes(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.ones((2, 2))")
    assert "tf.reshape" in await kernel.complete("tf.res")
    assert "x.shape" in await kernel.complete("y = x.sha")
    assert await kernel.complete("undefined_thing.a") == []


async def test_large_tensor_preview_is_summarised(kernel: KernelClient) -> None:
    r = await kernel.run_cell("big = tf.reshape(tf.range(40000, dtype=tf.float32), (200, 200))")
    big = _var(r, "big")
    assert "..." in big.preview and len(big.preview) < 1000
    assert tell("en", big.summary).startswith("200x200 float32, min 0, max 39999")


async def test_restart_gives_an_empty_namespace(kernel: KernelClient) -> None:
    await kernel.run_cell("secret = 1")
    await kernel.restart()
    r = await kernel.run_cell("'secret' in dir()")
    assert r.value == "False"


async def test_plots_come_back_as_data(kernel: KernelClient) -> None:
    r = await kernel.run_cell(
        "def f(x):\n    return 3 * x ** 2 - 4 * x\nplot(f, tf.range(0.0, 3.0, 0.1), tangent_at=1.0)"
    )
    assert r.outcome == "ok" and len(r.plots) == 1
    curve, tangent = r.plots[0].series
    assert len(curve.x) == 30
    # the tangent at x = 1 is y = 2x - 3
    assert all(abs(y - (2 * x - 3)) < 1e-4 for x, y in zip(tangent.x, tangent.y, strict=True))
    r = await kernel.run_cell("1 + 1")
    assert r.plots == ()  # a picture belongs to the cell that drew it


async def test_gradient_beside_x_with_the_learners_own_tape(kernel: KernelClient) -> None:
    await kernel.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
    r = await kernel.run_cell("x_grad = 2 * x")
    assert _var(r, "x").grad is not None and _var(r, "x").grad.of == "x_grad"  # type: ignore[union-attr]
    r = await kernel.run_cell(
        "with tf.GradientTape() as t:\n    y = 2 * tf.tensordot(x, x, axes=1)"
    )
    grad = _var(r, "x").grad
    assert grad is not None and grad.of == "y" and grad.preview == "[0. 4. 8. 12.]"
    r = await kernel.run_cell("x_grad = t.gradient(y, x)")
    grad = _var(r, "x").grad  # a tape's answer is not a new target: dy/dx stays
    assert grad is not None and grad.of == "y"
    r = await kernel.run_cell("y = 5.0")
    assert _var(r, "x").grad is None  # its target was rebound: no stale gradient
