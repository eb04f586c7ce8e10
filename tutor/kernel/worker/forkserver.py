"""The fork server: confined once, TensorFlow imported once, one fork per kernel.

The supervisor starts it (`python -m tutor.kernel.worker`) in its own session with stdin
from /dev/null, an allow-listed environment and a private scratch directory as cwd. It
confines itself BEFORE importing TensorFlow (thread pools started later inherit the
rules), imports TensorFlow without running an op (so no thread pool or CUDA state exists
when it forks), then waits for commands:

- `spawn` (with the kernel's channel socket passed as SCM_RIGHTS, and the fork's device,
  "cpu" for grading forks): fork a kernel; reply `spawned` with its pid.
- it reports `exited` (pid, exit code or signal) when a kernel dies, and exits itself,
  taking its kernels with it, when the supervisor goes away.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import selectors
import signal
import socket
import sys
import traceback
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tutor.kernel.worker")
    parser.add_argument("--commands-fd", type=int, required=True)
    parser.add_argument("--events-fd", type=int, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--scratch", required=True)
    args = parser.parse_args(argv)

    isolation: dict[str, Any] = {
        "session": os.getsid(0) == os.getpid(),
        "stdin": _stdin_is_devnull(),
    }
    isolation.update(_confine(Path(args.scratch), args.memory))
    events = os.fdopen(args.events_fd, "wb", buffering=0)
    _INHERITED_CLOSE.append(args.events_fd)

    def emit(message: dict[str, Any]) -> None:
        events.write(json.dumps(message).encode() + b"\n")

    _warm_imports()
    commands = socket.socket(fileno=args.commands_fd)
    emit({"event": "server-ready", "pid": os.getpid(), "isolation": isolation})
    _loop(commands, emit, device=args.device, isolation=isolation)
    return 0


#: Descriptors a forked kernel must not keep (so the supervisor sees the server's EOF).
_INHERITED_CLOSE: list[int] = []


def _stdin_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(0), os.stat(os.devnull))
    except OSError:
        return True


def _confine(scratch: Path, memory: int) -> dict[str, Any]:
    from tutor.kernel.worker.confine import confine_fork_server

    package = Path(__file__).resolve().parents[2]
    try:
        return dict(
            confine_fork_server(scratch=scratch, readable_extra=[package], memory_bytes=memory)
        )
    except Exception as exc:
        print(f"confinement failed: {exc!r}", file=sys.stderr)
        return {"rlimits": False, "landlock": False, "error": str(exc)}


def _warm_imports() -> None:
    """Import what every kernel needs, so a fork is ready at once. Runs no TensorFlow op."""
    import numpy  # noqa: F401
    import tensorflow as tf

    for name in ("config", "linalg", "random", "math", "GradientTape", "Variable"):
        getattr(tf, name)
    from tutor.kernel.worker import cell, completion, kernel, namespace, snapshot  # noqa: F401

    for optional in ("judge", "answer", "diagnosis", "hints", "plotting"):
        with contextlib.suppress(ImportError):
            __import__(f"tutor.kernel.worker.{optional}")


def _loop(commands: socket.socket, emit: Any, *, device: str, isolation: dict[str, Any]) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(commands, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    children: set[int] = set()
    try:
        while True:
            for key, _ in selector.select(timeout=1.0):
                if key.fileobj is commands:
                    message, fds, _flags, _addr = socket.recv_fds(commands, 65536, 4)
                    if not message:
                        return
                    wanted = _devices(message, len(fds), default=device)
                    for fd, fork_device in zip(fds, wanted, strict=True):
                        pid = _spawn(fd, commands, wake_read, wake_write, fork_device, isolation)
                        children.add(pid)
                        emit({"event": "spawned", "pid": pid})
                else:
                    os.read(wake_read, 4096)
            _reap(children, emit)
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _devices(message: bytes, count: int, *, default: str) -> list[str]:
    """The device of each fork asked for: one `{"op": "spawn", "device": ...}` line per fd.

    Grading forks ask for "cpu" (they never touch a shared GPU); a line without a
    device, or a message the server cannot read, gets the server's default.
    """
    devices: list[str] = []
    for line in message.splitlines()[:count]:
        try:
            asked = json.loads(line).get("device")
        except (ValueError, AttributeError):
            asked = None
        devices.append(asked if asked in ("cpu", "gpu", "auto") else default)
    return devices + [default] * (count - len(devices))


def _spawn(
    fd: int,
    commands: socket.socket,
    wake_read: int,
    wake_write: int,
    device: str,
    isolation: dict[str, Any],
) -> int:
    server = os.getpid()
    pid = os.fork()
    if pid:
        os.close(fd)
        return pid
    code = 0
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        commands.close()
        os.close(wake_read)
        os.close(wake_write)
        for inherited in _INHERITED_CLOSE:
            os.close(inherited)
        _parent_death_signal(server)
        from tutor.kernel.worker.kernel import serve

        serve(socket.socket(fileno=fd), device=device, isolation=isolation)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _parent_death_signal(server: int) -> None:
    from tutor.kernel.worker.confine import set_parent_death_signal

    set_parent_death_signal(expected_parent=server)


def _reap(children: set[int], emit: Any) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        report: dict[str, Any] = {"event": "exited", "pid": pid}
        if os.WIFSIGNALED(status):
            report["signal"] = signal.Signals(os.WTERMSIG(status)).name
        else:
            report["code"] = os.WEXITSTATUS(status)
        emit(report)
