"""One kernel: a forked child of the fork server that runs a learner's cells.

It reads requests (JSON lines) from its channel socket and answers each with one reply
carrying the request's id. Requests: `run`, `complete`, `check`, `ping`, and for the
inspector `refresh` (summarise names left "not refreshed") and `snapshot` (every row
again, when the supervisor lost track of the deltas). It is confined
(seccomp) before it reads the first request, so no learner code ever runs unconfined.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

from tutor.kernel.worker.capture import OutputCapture
from tutor.kernel.worker.cell import CellState, run_cell
from tutor.kernel.worker.completion import complete
from tutor.kernel.worker.language import set_language
from tutor.kernel.worker.namespace import fresh_namespace


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

    writer = channel.makefile("wb", buffering=0)
    reader = channel.makefile("rb")

    def send(message: dict[str, Any]) -> None:
        data = json.dumps(message, ensure_ascii=True, default=str).encode() + b"\n"
        writer.write(data)

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


def _answer(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    op = request.get("op")
    set_language(request.get("lang"))
    if op == "run":
        return {"result": run_cell(state, str(request.get("code", "")))}
    if op == "complete":
        return {"matches": complete(str(request.get("text", "")), state.namespace)}
    if op == "check":
        return {"check": _check(request, state)}
    if op == "refresh":
        names = request.get("names")
        wanted = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        return {"namespace": state.snapshot.refresh(wanted, state.gradients)}
    if op == "snapshot":
        return {"namespace": state.snapshot.resend(state.gradients)}
    if op == "ping":
        return {"pong": True}
    return {"internal_error": f"unknown op {op!r}"}


def _check(request: dict[str, Any], state: CellState) -> dict[str, Any]:
    from tutor.kernel.worker.checking import run_check

    state.capture.take()
    try:
        result = run_check(
            request.get("spec") or {},
            str(request.get("code", "")),
            state.namespace,
            fresh_namespace=fresh_namespace,
        )
    finally:
        stdout, stderr = state.capture.take()
    result = dict(result)
    if stdout or stderr:
        result.setdefault("cells", []).append(
            {"outcome": "ok", "stdout": stdout, "stderr": stderr, "variables": []}
        )
    return result


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
