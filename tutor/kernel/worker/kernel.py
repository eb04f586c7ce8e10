"""One kernel: a forked child of the fork server that runs a learner's cells.

It reads requests (JSON lines) from its channel socket and answers each with one reply
carrying the request's id. It is confined (seccomp) before it reads the first request, so
no learner code ever runs unconfined. A fork takes one role with its first request:
- learner: `run`, `complete`, `givens`, and for the inspector `refresh` (summarise names
  left "not refreshed") and `snapshot` (every row again, when the supervisor lost
  track of the deltas);
- answer: `answer` (re-runs a learner's answer for grading, then is discarded);
- grader: `reference`, `judge` (runs lesson code only, and judges values sent as data).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

from tutor.kernel.worker.answer import run_answer
from tutor.kernel.worker.capture import OutputCapture
from tutor.kernel.worker.cell import CellState, namespace_view, run_cell
from tutor.kernel.worker.completion import complete
from tutor.kernel.worker.givens import bind_givens, compute_givens, draws_random, view
from tutor.kernel.worker.judge import judge
from tutor.kernel.worker.namespace import fresh_namespace
from tutor.kernel.worker.reference import LessonBroken, Reference
from tutor.kernel.worker.reply_size import fitted


def serve(channel: socket.socket, *, device: str, isolation: dict[str, Any]) -> None:
    """The kernel's life: configure devices, confine, announce, then answer requests."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    devices, device_note = _configure_devices(device)
    isolation = dict(isolation)
    isolation.update(_confine_kernel())
    capture = OutputCapture()
    capture.install()
    state = CellState(namespace=fresh_namespace(), capture=capture)
    import tensorflow as tf

    _warm_up()

    writer = channel.makefile("wb", buffering=0)
    reader = channel.makefile("rb")

    def send(message: dict[str, Any]) -> None:
        writer.write(fitted(message))

    send(
        {
            "event": "ready",
            "info": {
                "tensorflow": tf.__version__,
                "python": sys.version.split()[0],
                "devices": devices,
                "device_note": device_note,
                "isolation": isolation,
                "pid": os.getpid(),
            },
        }
    )
    while True:
        try:
            line = reader.readline()
        except KeyboardInterrupt:
            continue  # an interrupt that arrived between cells
        if not line:
            return
        try:
            request = json.loads(line)
        except ValueError:
            continue
        try:
            reply = _answer(request, state)
        except KeyboardInterrupt:
            reply = {"outcome": "interrupted"}
        except BaseException as exc:  # the kernel must answer every request
            reply = {"internal_error": f"{type(exc).__name__}: {exc}", "tb": traceback.format_exc()}
        reply["id"] = request.get("id")
        try:
            send(reply)
        except KeyboardInterrupt:
            send(reply)


#: What each op makes of a fresh fork. A fork keeps its first role: a grader (which
#: judges) never runs a learner's code, and a fork that ran learner code never judges.
_ROLES = {
    "run": "learner",
    "complete": "learner",
    "givens": "learner",
    "refresh": "learner",
    "snapshot": "learner",
    "answer": "answer",
    "reference": "grader",
    "judge": "grader",
}


def _answer(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    op = request.get("op")
    if op == "ping":
        return {"pong": True}
    role = _ROLES.get(str(op))
    if role is None:
        return {"internal_error": f"unknown op {op!r}"}
    if state.role is None:
        state.role = role
    elif state.role != role:
        return {"internal_error": f"a {state.role} fork does not answer {op!r}"}
    if op == "run":
        return {"result": run_cell(state, str(request.get("code", "")))}
    if op == "complete":
        return {"matches": complete(str(request.get("text", "")), state.namespace)}
    if op == "givens":
        return _givens(request, state)
    if op == "refresh":
        names = request.get("names")
        wanted = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        return {"namespace": state.snapshot.refresh(wanted, state.gradients)}
    if op == "snapshot":
        return {"namespace": state.snapshot.resend(state.gradients)}
    if op == "answer":
        return {"answer": _quietly(state, lambda: run_answer(request))}
    if op == "reference":
        return {"reference": _reference(request, state)}
    return {"check": _judge(request, state)}


def _quietly(state: CellState, work: Any) -> Any:
    """Run grading work with whatever it prints dropped (the learner saw it already)."""
    state.capture.take()
    try:
        return work()
    finally:
        state.capture.take()


def _givens(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    """Bind an exercise's givens into the learner's namespace (their random stream kept)."""
    import numpy as np
    import tensorflow as tf

    code = str(request.get("code") or "")
    random_state = np.random.get_state()
    try:
        givens = compute_givens(code, seed=int(request.get("seed") or 0))
    except Exception as exc:
        return {"givens": {"error": f"{type(exc).__name__}: {exc}"[:500]}}
    finally:
        np.random.set_state(random_state)
        if draws_random(code):
            tf.random.set_seed(None)
    report = bind_givens(state.namespace, givens, fill_only=bool(request.get("fill_only")))
    wire = report.to_wire()
    shown = [str(n) for n in request.get("show") or [] if str(n) in givens]
    wire["shown"] = [{"name": name, **view(givens[name])} for name in shown]
    return {"givens": wire, "namespace": namespace_view(state)}


def _reference(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    spec = request.get("spec")
    state.reference = Reference(spec if isinstance(spec, dict) else {})
    try:
        _quietly(state, state.reference.prepare)
    except LessonBroken as broken:
        state.reference = None
        return {"broken": str(broken)[:500]}
    return dict(state.reference.to_wire())


def _judge(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    if state.reference is None:
        return {"passed": False, "diagnosis": "check-error", "details": {"message": "no reference"}}
    answer = request.get("answer")
    code = str(request.get("code") or "")
    return dict(
        _quietly(
            state, lambda: judge(state.reference, answer if isinstance(answer, dict) else {}, code)
        )
    )


def _warm_up() -> None:
    """Run the ops lessons use most once, before "ready".

    The first op starts TensorFlow's eager context (~50 ms) and each op's first run builds
    its kernel (~1-3 ms): a fork kept as a spare, then given an answer to re-run three
    times, spends that here instead of in the learner's wait for a verdict.
    """
    import tensorflow as tf

    with contextlib.suppress(Exception):
        x = tf.reshape(tf.range(6, dtype=tf.float32), (2, 3))
        v = tf.constant([1.0, 2.0, 3.0])
        y = tf.transpose(x) @ x + x[0] * 2.0 - 1.0
        y = tf.tensordot(v, v, axes=1) + tf.linalg.matvec(x, v) / 2.0
        for reduce in (tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min):
            reduce(x, axis=0)
            reduce(x)
        tf.cast(tf.range(3), tf.float32) ** 2
        tf.sqrt(tf.abs(v)), tf.exp(v), tf.math.log(v), tf.norm(v), tf.concat([v, v], 0)
        w = tf.Variable(v)
        with tf.GradientTape() as tape:
            z = tf.reduce_sum(w * w)
        tape.gradient(z, w)
        del y


def _configure_devices(device: str) -> tuple[list[str], str]:
    """Memory growth on every GPU before the first op; hide GPUs for `--device cpu`."""
    import tensorflow as tf

    from tutor.kernel.worker.devices import configure_devices

    try:
        return configure_devices(device, tf.config)
    except Exception as exc:  # a broken driver must not stop the CPU kernel
        return ["/device:CPU:0"], f"GPU setup failed: {exc}"


def _confine_kernel() -> dict[str, Any]:
    from tutor.kernel.worker.confine import confine_kernel

    try:
        return dict(confine_kernel(os.getpid(), expected_parent=os.getppid()))
    except Exception as exc:  # reported: the kernel runs with the layers that held
        return {"seccomp": False, "seccomp_error": str(exc)}
