"""The fork server: confined once, TensorFlow imported once, one fork per kernel.

The supervisor starts it (`python -m tutor.kernel.worker`) in its own session with stdin
from /dev/null, an allow-listed environment and a private scratch directory as cwd. It
confines itself BEFORE importing TensorFlow (thread pools started later inherit the
rules), imports TensorFlow without running an op (so no thread pool or CUDA state exists
when it forks), then waits for commands:

- `spawn` (with the kernel's channel socket passed as SCM_RIGHTS, and the kernel's own
  scratch directory, a fresh child of the fork server's): fork a kernel; reply `spawned`
  with its pid. Grading forks
  ask for their own device ("cpu": they never touch a shared GPU). The kernel's first line on its channel (`forked`) carries its
  credentials, which the supervisor checks against that pid.
- it reports `exited` (pid, exit code or signal) when a kernel dies, and exits itself,
  taking its kernels with it, when the supervisor goes away.

Each kernel confines itself further right after the fork (`confine_kernel_files`: a
Landlock domain of its own), so no kernel can reach the fork server, its pipes or its
sibling kernels.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
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
    forks_root = Path(args.scratch)
    isolation.update(_confine(forks_root, args.memory))
    events = os.fdopen(args.events_fd, "wb", buffering=0)
    _INHERITED_CLOSE.append(args.events_fd)

    def emit(message: dict[str, Any]) -> None:
        events.write(json.dumps(message).encode() + b"\n")

    _warm_imports()
    commands = socket.socket(fileno=args.commands_fd)
    emit({"event": "server-ready", "pid": os.getpid(), "isolation": isolation})
    _loop(commands, emit, device=args.device, isolation=isolation, forks_root=forks_root)
    return 0


#: Descriptors a forked kernel must not keep (so the supervisor sees the server's EOF).
_INHERITED_CLOSE: list[int] = []


def _stdin_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(0), os.stat(os.devnull))
    except OSError:
        return True


def _readable_extra() -> list[Path]:
    """The `tutor` package directory: the one readable path besides the interpreter's."""
    return [Path(__file__).resolve().parents[2]]


def _confine(scratch: Path, memory: int) -> dict[str, Any]:
    from tutor.kernel.worker.confine import confine_fork_server

    try:
        return dict(
            confine_fork_server(
                scratch=scratch, readable_extra=_readable_extra(), memory_bytes=memory
            )
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


def _loop(
    commands: socket.socket,
    emit: Any,
    *,
    device: str,
    isolation: dict[str, Any],
    forks_root: Path,
) -> None:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(commands, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    children: set[int] = set()
    pending = b""
    try:
        while True:
            for key, _ in selector.select(timeout=1.0):
                if key.fileobj is commands:
                    message, fds, _flags, _addr = socket.recv_fds(commands, 65536, 4)
                    if not message:
                        return
                    pending += message
                    *lines, pending = pending.split(b"\n")
                    for line, fd in itertools.zip_longest(lines, fds):
                        scratch = _spawn_scratch(line, forks_root)
                        if fd is None:
                            continue
                        if scratch is None:
                            os.close(fd)
                            emit({"event": "refused", "why": "bad spawn command"})
                            continue
                        pid = _spawn(
                            fd,
                            commands,
                            wake_read,
                            wake_write,
                            _device(line, device),
                            isolation,
                            scratch,
                        )
                        children.add(pid)
                        emit({"event": "spawned", "pid": pid})
                else:
                    os.read(wake_read, 4096)
            _reap(children, emit)
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _spawn_scratch(line: bytes | None, forks_root: Path) -> Path | None:
    """The kernel's scratch directory named by a spawn command: an existing directory
    directly inside `forks_root` (not a link), or None."""
    try:
        command = json.loads(line or b"")
        scratch = Path(command["scratch"])
    except (ValueError, KeyError, TypeError):
        return None
    if command.get("op") != "spawn" or scratch.parent != forks_root:
        return None
    if scratch.is_symlink() or not scratch.is_dir():
        return None
    return scratch


def _device(line: bytes | None, default: str) -> str:
    """The device a spawn command asks for ("cpu" for grading forks), else the server's."""
    try:
        asked = json.loads(line or b"").get("device")
    except (ValueError, AttributeError):
        asked = None
    return asked if asked in ("cpu", "gpu", "auto") else default


def _spawn(
    fd: int,
    commands: socket.socket,
    wake_read: int,
    wake_write: int,
    device: str,
    isolation: dict[str, Any],
    scratch: Path,
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
        channel = socket.socket(fileno=fd)
        # The supervisor reads this line with SO_PASSCRED: the kernel's pid, from the OS.
        channel.sendall(json.dumps({"event": "forked", "pid": os.getpid()}).encode() + b"\n")
        kernel_isolation = {**isolation, **_own_domain(scratch)}
        from tutor.kernel.worker.kernel import serve

        serve(channel, device=device, isolation=kernel_isolation)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _own_domain(scratch: Path) -> dict[str, Any]:
    """The kernel's own Landlock layer, then its own scratch as cwd, HOME and TMPDIR."""
    import tempfile

    from tutor.kernel.worker.confine import confine_kernel_files

    report = dict(confine_kernel_files(os.getpid(), scratch, _readable_extra()))
    os.chdir(scratch)
    for name in ("HOME", "TMPDIR", "TMP", "TEMP"):
        os.environ[name] = str(scratch)
    tempfile.tempdir = None
    return report


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
