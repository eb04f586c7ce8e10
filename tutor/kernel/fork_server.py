"""The supervisor's side of the fork server: start it, ask it for kernels, hear how they end.

The process is `python -m tutor.kernel.worker` (see worker/forkserver.py), started in its
own session with stdin from /dev/null, an allow-listed environment and a private scratch
directory. Commands go over a socketpair (the kernel's channel passed as SCM_RIGHTS);
events (`server-ready`, `spawned`, `exited`) come back over a pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any

from tutor.kernel.errors import KernelDied, KernelUnavailable
from tutor.kernel.protocol import MAX_MESSAGE_BYTES, clean_text, decode
from tutor.options import Device

log = logging.getLogger(__name__)

#: Seconds allowed for the fork server to import TensorFlow.
SERVER_START_TIMEOUT = 180.0


class ForkServer:
    """The `python -m tutor.kernel.worker` process and its two channels."""

    def __init__(self, *, device: Device, memory_limit: int) -> None:
        self.device = device
        self.memory_limit = memory_limit
        self.scratch = Path(tempfile.mkdtemp(prefix="tutor-kernel-"))
        self.process: asyncio.subprocess.Process | None = None
        self.isolation: dict[str, Any] = {}
        self.exits: dict[int, str] = {}
        self.log_tail: deque[str] = deque(maxlen=40)
        self._commands: socket.socket | None = None
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._spawned: asyncio.Queue[int] = asyncio.Queue()
        self._spawn_lock = asyncio.Lock()
        self._exit_waiters: dict[int, asyncio.Event] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        events_read, events_write = os.pipe()
        self._ready = loop.create_future()
        env = self._environment()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tutor.kernel.worker",
                "--commands-fd",
                str(theirs.fileno()),
                "--events-fd",
                str(events_write),
                "--device",
                self.device,
                "--memory",
                str(self.memory_limit),
                "--scratch",
                str(self.scratch),
                pass_fds=(theirs.fileno(), events_write),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
                cwd=self.scratch,
                env=env,
            )
        finally:
            theirs.close()
            os.close(events_write)
        self._commands = ours
        reader = asyncio.StreamReader(limit=MAX_MESSAGE_BYTES)
        events_file = os.fdopen(events_read, "rb", buffering=0)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), events_file)
        assert self.process.stdout is not None and self.process.stderr is not None
        self._tasks = [
            asyncio.create_task(self._read_events(reader)),
            asyncio.create_task(self._drain(self.process.stdout)),
            asyncio.create_task(self._drain(self.process.stderr)),
        ]
        try:
            ready = await asyncio.wait_for(asyncio.shield(self._ready), SERVER_START_TIMEOUT)
        except (TimeoutError, KernelDied) as exc:
            await self.stop()
            tail = "\n".join(self.log_tail)
            raise KernelUnavailable(f"TensorFlow could not be started ({exc}).\n{tail}") from exc
        iso = ready.get("isolation")
        self.isolation = iso if isinstance(iso, dict) else {}

    def _environment(self) -> dict[str, str]:
        package_root = str(Path(__file__).resolve().parents[2])
        extra = {"PYTHONPATH": package_root}
        try:
            from tutor.kernel.environment import worker_environment

            env = dict(
                worker_environment(os.environ, self.scratch, device=self.device, extra=extra)
            )
        except ImportError:
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(self.scratch),
                "TMPDIR": str(self.scratch),
                "LANG": os.environ.get("LANG", "C.UTF-8"),
                "PYTHONDONTWRITEBYTECODE": "1",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                **extra,
            }
            if self.device == "cpu":
                env["CUDA_VISIBLE_DEVICES"] = "-1"
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        # oneDNN's CPU allocator retries a failed allocation for 10 s: a 40 GB tensor would
        # time out instead of failing at once with a clear OOM error.
        env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
        env.setdefault("PYTHONIOENCODING", "utf-8")
        return env

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def _read_events(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                message = decode(line)
                if message is None:
                    continue
                event = message.get("event")
                if event == "server-ready" and self._ready and not self._ready.done():
                    self._ready.set_result(message)
                elif event == "spawned" and isinstance(message.get("pid"), int):
                    self._spawned.put_nowait(message["pid"])
                elif event == "exited" and isinstance(message.get("pid"), int):
                    pid = message["pid"]
                    how = message.get("signal") or f"exit code {message.get('code')}"
                    self.exits[pid] = clean_text(str(how), 40)
                    waiter = self._exit_waiters.pop(pid, None)
                    if waiter:
                        waiter.set()
        except (ValueError, asyncio.LimitOverrunError, OSError):
            pass
        if self._ready and not self._ready.done():
            self._ready.set_exception(KernelDied("the fork server exited"))
        for waiter in self._exit_waiters.values():
            waiter.set()

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        while True:
            try:
                line = await stream.readline()
            except (ValueError, asyncio.LimitOverrunError):
                continue
            if not line:
                return
            text = clean_text(line.decode("utf-8", "replace").rstrip(), 500)
            self.log_tail.append(text)
            log.debug("worker: %s", text)

    async def spawn(self, device: str | None = None) -> tuple[int, socket.socket]:
        """Fork a kernel (on `device`, else the server's); its pid and our end of its channel.

        Spawns take turns, and a spawn whose caller gave up still takes its pid off the
        queue (and kills that fork): otherwise every later kernel would get the pid of
        the one before it.
        """
        async with self._spawn_lock:
            if self._commands is None or not self.alive:
                raise KernelDied("the fork server is not running")
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            request = json.dumps({"op": "spawn", "device": device or self.device}).encode() + b"\n"
            try:
                socket.send_fds(self._commands, [request], [theirs.fileno()])
            except OSError as exc:
                ours.close()
                raise KernelDied(f"the fork server did not answer ({exc})") from exc
            finally:
                theirs.close()
            arrival = asyncio.ensure_future(self._spawned.get())
            try:
                pid = await asyncio.wait_for(asyncio.shield(arrival), 30)
            except TimeoutError as exc:
                arrival.add_done_callback(_kill_orphan)
                ours.close()
                raise KernelDied("the fork server did not fork") from exc
            except asyncio.CancelledError:
                arrival.add_done_callback(_kill_orphan)
                ours.close()
                raise
            return pid, ours

    async def exit_reason(self, pid: int, wait: float = 1.0) -> str | None:
        """How a kernel ended ("SIGSEGV", "exit code 0"), once the server reported it."""
        if pid not in self.exits and self.alive:
            event = self._exit_waiters.setdefault(pid, asyncio.Event())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), wait)
        return self.exits.get(pid)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 5)
        for task in self._tasks:
            task.cancel()
        if self._commands is not None:
            self._commands.close()
            self._commands = None
        shutil.rmtree(self.scratch, ignore_errors=True)


def _kill_orphan(arrival: asyncio.Future[int]) -> None:
    """Kill a fork nobody waits for any more (its pid came from our own server)."""
    if arrival.cancelled() or arrival.exception() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(arrival.result(), signal.SIGKILL)
