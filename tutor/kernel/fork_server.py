"""The supervisor's side of the fork server: start it, ask it for kernels, watch them all.

The process is `python -m tutor.kernel.worker` (see worker/forkserver.py), started in its
own session with stdin from /dev/null, an allow-listed environment and a private scratch
area. Commands go over a socketpair (each kernel's channel passed as SCM_RIGHTS, with the
kernel's own scratch directory); events (`server-ready`, `spawned`, `exited`) come back
over a pipe.

Nothing a worker reports is trusted to name a process. A fork becomes a `Fork` only when
the pid the server reported is the pid the operating system attaches to the kernel's
first line (SCM_CREDENTIALS, which a process cannot forge) and /proc says its parent is
this fork server; from then on it is signalled through a pidfd, which cannot come to
mean another process when the pid is reused. Every fork (the learner's kernel, grading
forks, a warm spare) is watched, busy or idle, against the same `Limits`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import socket
import struct
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.kernel.environment import worker_environment
from tutor.kernel.errors import KernelDied, KernelUnavailable
from tutor.kernel.protocol import MAX_MESSAGE_BYTES, clean_text, decode
from tutor.kernel.scratch import ScratchArea, remove_tree
from tutor.kernel.watch import Breach, Limits, Usage, measure, over, parent_pid, scratch_usage
from tutor.options import Device

if TYPE_CHECKING:
    from tutor.kernel.channel import KernelChannel

log = logging.getLogger(__name__)

#: Seconds allowed for the fork server to import TensorFlow.
SERVER_START_TIMEOUT = 180.0
#: Seconds allowed for a fork to come back with its first line.
SPAWN_TIMEOUT = 30.0
#: How often every fork's memory, threads and CPU are looked at (seconds).
WATCH_SECONDS = 0.1
#: Every this many looks, the scratch directory is walked too (it costs more).
SCRATCH_EVERY = 5

_UCRED = struct.Struct("3i")


@dataclass
class Fork:
    """One kernel forked by the fork server, verified, with the directory it may write."""

    pid: int
    pidfd: int
    scratch: Path
    #: The limit it went past, once the watch has stopped it.
    breach: Breach | None = None
    #: How it ended ("SIGKILL", "exit code 0"), once known.
    exit_reason: str | None = None
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    _busy: int = 0
    _idle_cpu_base: float | None = None

    @property
    def busy(self) -> bool:
        """Whether a request is running in it (set by its channel)."""
        return self._busy > 0

    def request_started(self) -> None:
        self._busy += 1

    def request_ended(self) -> None:
        self._busy = max(self._busy - 1, 0)
        if not self._busy:
            self._idle_cpu_base = None  # taken at the watch's next look, off the reply's path

    def idle_cpu(self, usage: Usage) -> float | None:
        """CPU seconds spent since it was first seen idle; None while busy."""
        if self.busy:
            return None
        if self._idle_cpu_base is None:
            self._idle_cpu_base = usage.cpu_seconds
        return usage.cpu_seconds - self._idle_cpu_base

    def signal(self, sig: signal.Signals) -> bool:
        """Send `sig` to this very process (never to a reused pid); False once it ended."""
        if self.ended.is_set():
            return False
        try:
            signal.pidfd_send_signal(self.pidfd, sig)
        except (ProcessLookupError, OSError):
            return False
        return True


#: Called when the watch stops a fork for going past a limit.
BreachListener = Callable[[Fork], None]


class ForkServer:
    """The `python -m tutor.kernel.worker` process, its channels and its forks."""

    def __init__(self, *, device: Device, memory_limit: int, limits: Limits | None = None) -> None:
        self.device = device
        self.memory_limit = memory_limit
        self.limits = limits or Limits.for_memory(memory_limit)
        self.area = ScratchArea()
        self.process: asyncio.subprocess.Process | None = None
        self.isolation: dict[str, Any] = {}
        self.exits: dict[int, str] = {}
        self.forks: dict[int, Fork] = {}
        self._ended: dict[int, Fork] = {}
        self.log_tail: deque[str] = deque(maxlen=40)
        self.breach_listeners: list[BreachListener] = []
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
                str(self.area.forks),
                pass_fds=(theirs.fileno(), events_write),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
                cwd=self.area.forks,
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
            asyncio.create_task(self._watch()),
        ]
        try:
            ready = await asyncio.wait_for(asyncio.shield(self._ready), SERVER_START_TIMEOUT)
        except (TimeoutError, KernelDied) as exc:
            await self.stop()
            tail = "\n".join(self.log_tail)
            raise KernelUnavailable(f"TensorFlow could not be started ({exc}).\n{tail}") from exc
        iso = ready.get("isolation")
        self.isolation = {**(iso if isinstance(iso, dict) else {}), **self.limits.describe()}

    def _environment(self) -> dict[str, str]:
        package_root = str(Path(__file__).resolve().parents[2])
        return worker_environment(
            os.environ, self.area.forks, device=self.device, extra={"PYTHONPATH": package_root}
        )

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
                    self._exited(message)
        except (ValueError, asyncio.LimitOverrunError, OSError):
            # A line past the cap: the server is not behaving; it is not trusted any more.
            log.error("the fork server sent an over-long event line; stopping it")
            self._kill_server()
        if self._ready and not self._ready.done():
            self._ready.set_exception(KernelDied("the fork server exited"))
        for waiter in self._exit_waiters.values():
            waiter.set()

    def _exited(self, message: dict[str, Any]) -> None:
        pid = message["pid"]
        fork = self.forks.get(pid) or self._ended.get(pid)
        if fork is None:
            return  # not a fork we know: nothing to act on
        how = message.get("signal") or f"exit code {message.get('code')}"
        self.exits[pid] = fork.exit_reason = clean_text(str(how), 40)
        waiter = self._exit_waiters.pop(pid, None)
        if waiter:
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

    # -- forks ---------------------------------------------------------------------------
    async def spawn(self, device: str | None = None) -> tuple[int, socket.socket]:
        """Fork a kernel (on `device`, else the server's: grading forks ask for "cpu");
        returns its verified pid and our end of its channel.

        The kernel's first line (`forked`) has been read from the channel: the next line
        is its `ready`.
        """
        if self._commands is None or not self.alive:
            raise KernelDied("the fork server is not running")
        async with self._spawn_lock:
            scratch = self.area.new_fork_dir()
            try:
                pid, ours = await self._spawn_in(scratch, device or self.device)
            except BaseException:
                remove_tree(scratch)
                raise
        return pid, ours

    async def _spawn_in(self, scratch: Path, device: str) -> tuple[int, socket.socket]:
        assert self._commands is not None
        while not self._spawned.empty():  # a late report of an earlier, failed spawn
            self._spawned.get_nowait()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        command = (
            json.dumps({"op": "spawn", "scratch": str(scratch), "device": device}).encode() + b"\n"
        )
        try:
            socket.send_fds(self._commands, [command], [theirs.fileno()])
        except OSError as exc:
            ours.close()
            raise KernelDied(f"the fork server did not answer ({exc})") from exc
        finally:
            theirs.close()
        try:
            reported = await asyncio.wait_for(self._spawned.get(), SPAWN_TIMEOUT)
            sender = await asyncio.wait_for(_first_line_sender(ours), SPAWN_TIMEOUT)
        except (TimeoutError, OSError, KernelDied) as exc:
            ours.close()
            raise KernelDied(f"the fork server did not fork ({exc or 'timeout'})") from exc
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 0)
        try:
            fork = self._verified(reported, sender, scratch)
        except KernelDied:
            ours.close()
            raise
        self.forks[fork.pid] = fork
        asyncio.get_running_loop().add_reader(fork.pidfd, self._fork_ended, fork)
        return fork.pid, ours

    def _verified(self, reported: int, sender: int, scratch: Path) -> Fork:
        """The fork, once its pid is proven: the same pid from the server and from the
        kernel's credentials, a child of this server, not a fork already known."""
        server = self.process.pid if self.process is not None else None
        if reported != sender or sender in self.forks or sender <= 0:
            raise KernelDied(f"the fork server reported pid {reported}, the kernel is {sender}")
        try:
            pidfd = os.pidfd_open(sender)
        except OSError as exc:
            raise KernelDied(f"the kernel {sender} is gone ({exc})") from exc
        # Checked after the pidfd is open: the pidfd cannot follow a reused pid.
        if parent_pid(sender) != server:
            os.close(pidfd)
            raise KernelDied(f"process {sender} is not a child of the fork server")
        return Fork(pid=sender, pidfd=pidfd, scratch=scratch)

    def fork(self, pid: int) -> Fork | None:
        """The verified fork with this pid (None for any other pid)."""
        return self.forks.get(pid)

    async def connect(self, device: str | None = None) -> KernelChannel:
        """Spawn a kernel and open its channel (the handshake is the caller's)."""
        from tutor.kernel.channel import KernelChannel

        pid, channel = await self.spawn(device)
        fork = self.forks.get(pid)
        if fork is None:
            channel.close()
            raise KernelDied("the kernel ended as soon as it was forked")
        reader, writer = await asyncio.open_unix_connection(sock=channel, limit=MAX_MESSAGE_BYTES)
        return KernelChannel(pid, reader, writer, fork=fork)

    def signal(self, pid: int, sig: signal.Signals) -> bool:
        """Signal a verified fork; any other pid is refused (False)."""
        fork = self.forks.get(pid)
        return fork.signal(sig) if fork is not None else False

    def _fork_ended(self, fork: Fork) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(fork.pidfd)
        os.close(fork.pidfd)
        fork.ended.set()
        self.forks.pop(fork.pid, None)
        # Kept a while: the server's report of how it ended comes after.
        self._ended[fork.pid] = fork
        while len(self._ended) > 64:
            self._ended.pop(next(iter(self._ended)))
        # Its files go with it: a restarted kernel finds an empty scratch.
        task = loop.create_task(asyncio.to_thread(remove_tree, fork.scratch))
        self._tasks.append(task)
        task.add_done_callback(self._forget_task)

    def _forget_task(self, task: asyncio.Task[None]) -> None:
        with contextlib.suppress(ValueError):
            self._tasks.remove(task)

    async def exit_reason(self, pid: int, wait: float = 1.0) -> str | None:
        """How a kernel ended ("SIGSEGV", "exit code 0"), once the server reported it."""
        if pid not in self.exits and self.alive:
            event = self._exit_waiters.setdefault(pid, asyncio.Event())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), wait)
        return self.exits.get(pid)

    # -- the watch -----------------------------------------------------------------------
    async def _watch(self) -> None:
        """Every fork, all the time: memory, threads, scratch, CPU while idle."""
        looks = 0
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            looks += 1
            for fork in list(self.forks.values()):
                try:
                    await self._look_at(fork, with_scratch=looks % SCRATCH_EVERY == 0)
                except Exception:  # the watch must outlive any one look
                    log.exception("the watch could not look at fork %s", fork.pid)

    async def _look_at(self, fork: Fork, *, with_scratch: bool) -> None:
        if fork.ended.is_set() or fork.breach is not None:
            return
        usage = measure(fork.pid)
        if usage is None:
            return
        if with_scratch:
            used, files = await asyncio.to_thread(
                scratch_usage, fork.scratch, max_files=self.limits.scratch_files
            )
            usage = dataclasses.replace(usage, scratch_bytes=used, scratch_files=files)
        kind = over(usage, self.limits, idle_cpu=fork.idle_cpu(usage))
        if kind is None or fork.ended.is_set():
            return
        fork.breach = Breach(kind=kind, idle=not fork.busy, usage=usage)
        fork.signal(signal.SIGKILL)
        log.info("fork %s stopped: %s (idle: %s)", fork.pid, kind, not fork.busy)
        for listener in list(self.breach_listeners):
            try:
                listener(fork)
            except Exception:
                log.exception("breach listener failed")

    # -- the end ---------------------------------------------------------------------------
    def _kill_server(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def stop(self) -> None:
        for fork in list(self.forks.values()):
            fork.signal(signal.SIGKILL)
        self._kill_server()
        if self.process is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 5)
        for fork in list(self.forks.values()):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fork.ended.wait(), 5)
        for task in list(self._tasks):
            task.cancel()
        if self._commands is not None:
            self._commands.close()
            self._commands = None
        await asyncio.to_thread(self.area.close)


async def _first_line_sender(sock: socket.socket) -> int:
    """Read the kernel's first line from `sock` (SO_PASSCRED on) and return the pid the
    operating system attached to it. Descriptors sent with it are closed unread."""
    loop = asyncio.get_running_loop()
    sock.setblocking(False)
    readable = asyncio.Event()
    loop.add_reader(sock.fileno(), readable.set)
    space = socket.CMSG_SPACE(_UCRED.size) + socket.CMSG_SPACE(16 * 4)
    try:
        while True:
            readable.clear()
            try:
                peek = sock.recv(256, socket.MSG_PEEK)
            except BlockingIOError:
                await readable.wait()
                continue
            if not peek:
                raise KernelDied("the kernel closed its channel before its first line")
            end = peek.find(b"\n")
            if end < 0:
                if len(peek) >= 256:
                    raise KernelDied("the kernel's first line is too long")
                await readable.wait()
                continue
            data, ancillary, _flags, _addr = sock.recvmsg(end + 1, space)
            break
    finally:
        loop.remove_reader(sock.fileno())
    sender = 0
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            sender = _UCRED.unpack(payload[: _UCRED.size])[0]
        elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in struct.unpack(f"{len(payload) // 4}i", payload[: len(payload) // 4 * 4]):
                with contextlib.suppress(OSError):
                    os.close(fd)
    message = decode(data)
    if not message or message.get("event") != "forked" or not sender:
        raise KernelDied("the kernel's first line was not what a fresh kernel sends")
    return sender
