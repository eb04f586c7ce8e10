"""The supervisor: starts and watches the sandboxed kernels from the UI process (asyncio).

It owns one fork server (TensorFlow imported once, confined) and one kernel forked from
it at a time. It enforces what the kernel cannot be trusted to enforce on itself: a
wall-clock limit per cell (SIGINT, then SIGKILL after a grace), message size caps, and
restarts after crashes with a cap on repeated restarts; the fork server's watch
(fork_server.py, watch.py) stops a kernel past its memory, thread or scratch limits, busy
or idle. Every byte from the worker goes through `protocol.*.from_wire`.

It never imports TensorFlow.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from tutor.kernel import limit_words
from tutor.kernel.api import KernelStatus, StatusListener
from tutor.kernel.channel import KernelChannel
from tutor.kernel.errors import KernelDied, KernelUnavailable
from tutor.kernel.fork_server import Fork, ForkServer
from tutor.kernel.grading import Grading
from tutor.kernel.namespace_view import NamespaceView
from tutor.kernel.protocol import (
    MAX_VARIABLES,
    CellResult,
    CheckResult,
    GivensResult,
    KernelInfo,
    Said,
    VariableView,
    clean_text,
)
from tutor.kernel.watch import Breach, measure
from tutor.options import DEFAULT_TIMEOUT, Device

log = logging.getLogger(__name__)

#: Seconds a kernel gets to stop after SIGINT before it is killed.
INTERRUPT_GRACE = 2.0
#: More automatic restarts than this within RESTART_WINDOW seconds: give up.
MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
#: Characters of an exception's text kept in a status detail.
MAX_DETAIL_CHARS = 500
#: Seconds the inspector waits for a `refresh` or a whole snapshot (then it shows what
#: it has; the kernel's own budgets keep these far shorter).
NAMESPACE_WAIT = 5.0


def default_memory_limit() -> int:
    """A quarter of the machine's memory, at most 8 GiB."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        total = 8 * 2**30
    return int(min(total // 4, 8 * 2**30))


def _rss_bytes(pid: int) -> int:
    """A process's resident memory (bench/bench_kernel.py reads it)."""
    usage = measure(pid)
    return usage.rss if usage is not None else 0


class KernelClient:
    """The real `Kernel`: a sandboxed TensorFlow process, supervised from asyncio."""

    def __init__(
        self,
        *,
        device: Device = "auto",
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int | None = None,
        interrupt_grace: float = INTERRUPT_GRACE,
    ) -> None:
        self.device: Device = device
        self.timeout = timeout
        self.memory_limit = memory_limit or default_memory_limit()
        self.interrupt_grace = interrupt_grace
        self._status: KernelStatus = "starting"
        self._detail: Said | None = None
        self._listeners: list[StatusListener] = []
        self._server: ForkServer | None = None
        self._kernel: KernelChannel | None = None
        self._info: KernelInfo | None = None
        self._start_task: asyncio.Task[KernelInfo] | None = None
        self._lock = asyncio.Lock()
        self._restarts: deque[float] = deque()
        self._interrupted = False
        #: A limit the kernel went past while no cell ran: told with the next cell.
        self._idle_breach: Breach | None = None
        self.start_error: str | None = None
        self.grading = Grading(self._grading_fork, self._watch_fork_memory)
        #: The inspector's rows, kept up to date from the kernel's snapshot deltas.
        self._namespace = NamespaceView()

    # -- state -------------------------------------------------------------------------
    @property
    def status(self) -> KernelStatus:
        return self._status

    @property
    def info(self) -> KernelInfo | None:
        return self._info

    @property
    def pid(self) -> int | None:
        return self._kernel.pid if self._kernel else None

    def add_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def _set_status(self, status: KernelStatus, detail: Said | None = None) -> None:
        self._status, self._detail = status, detail
        for listener in list(self._listeners):
            try:
                listener(status, detail)
            except Exception:  # a frontend's bug must not break the kernel
                log.exception("status listener failed")

    # -- life cycle --------------------------------------------------------------------
    async def start(self) -> KernelInfo:
        if self._kernel is not None and not self._kernel.dead and self._info is not None:
            return self._info
        if self._start_task is None or self._start_task.done():
            self._start_task = asyncio.create_task(self._start())
        return await asyncio.shield(self._start_task)

    async def _start(self) -> KernelInfo:
        self._set_status("starting", Said("kernel.status-loading"))
        try:
            if self._server is not None and self._server.alive:
                try:
                    info = await self._fork_kernel()
                except (KernelDied, OSError):
                    # the server died and is not reaped yet: replace it (below)
                    await self._server.stop()
                else:
                    self._set_status("ready")
                    return info
            if self._server is not None:
                await self._server.stop()
            self._server = ForkServer(device=self.device, memory_limit=self.memory_limit)
            self._server.breach_listeners.append(self._on_breach)
            await self._server.start()
            info = await self._fork_kernel()
        except (KernelUnavailable, KernelDied, OSError, TimeoutError) as exc:
            self.start_error = str(exc)
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            detail = Said("kernel.status-error", {"text": first_line})
            self._set_status("dead", detail if first_line else Said("kernel.status-failed"))
            raise KernelUnavailable(str(exc)) from exc
        self._set_status("ready")
        return info

    async def _spawn_channel(self, device: str | None = None) -> KernelChannel:
        """A new verified fork of the server, handshaken (its `info` set)."""
        if self._server is None:
            raise KernelDied("the fork server is not running")
        kernel = await self._server.connect(device)
        try:
            await kernel.handshake(timeout=60)
        except (TimeoutError, KernelDied, ValueError) as exc:
            kernel.close()
            raise KernelDied(f"the kernel did not start: {exc}") from exc
        except asyncio.CancelledError:
            kernel.close()
            raise
        return kernel

    async def _grading_fork(self) -> KernelChannel:
        """A fork for grading: on the CPU, started with the server if need be."""
        if self._server is None or not self._server.alive:
            await self.start()
        return await self._spawn_channel("cpu")

    async def _fork_kernel(self) -> KernelInfo:
        assert self._server is not None
        kernel = await self._spawn_channel()
        pid = kernel.pid
        assert kernel.info is not None
        iso = {**self._server.isolation, **kernel.info.isolation}
        info = dataclasses.replace(kernel.info, isolation=iso, pid=pid)
        self._kernel, self._info = kernel, info
        return info

    async def restart(self) -> KernelInfo:
        async with self._lock:
            return await self._restart(None)

    async def _restart(self, detail: Said | None) -> KernelInfo:
        self._set_status("restarting", detail)
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None
        self._start_task = None
        return await self.start()

    async def close(self) -> None:
        await self.grading.close()
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None
        if self._server is not None:
            await self._server.stop()
            self._server = None
        self._set_status("dead", Said("kernel.status-closed"))

    def _on_breach(self, fork: Fork) -> None:
        """The watch stopped a fork. The learner's idle kernel: say so with the next cell
        (a busy one is told by the cell it was running, see `_after_death`)."""
        kernel = self._kernel
        if kernel is None or kernel.fork is not fork or fork.breach is None:
            return
        if not fork.breach.idle or self._lock.locked():
            return
        self._idle_breach = fork.breach
        kernel.close()
        self._kernel = None
        self._set_status("dead", limit_words.idle_status(fork.breach, self.memory_limit))

    # -- requests ----------------------------------------------------------------------
    async def run_cell(self, code: str, *, timeout: float | None = None) -> CellResult:
        breach, self._idle_breach = self._idle_breach, None
        if breach is not None:
            # The cell is not run: the kernel it was written for is gone, and the learner
            # should know why before anything else happens.
            return limit_words.idle_result(breach, self.memory_limit)
        try:
            await self.start()
        except KernelUnavailable as exc:
            return CellResult.failed(
                "crashed",
                "KernelUnavailable",
                Said("kernel.unavailable"),
                Said("kernel.status-error", {"text": str(exc)[:MAX_DETAIL_CHARS]}),
            )
        async with self._lock:
            reply, failure = await self._exchange({"op": "run", "code": code}, timeout)
            if failure is not None:
                return failure
            assert reply is not None
            result = CellResult.from_wire(reply.get("result"))
            if "internal_error" in reply:
                log.error("kernel internal error: %s", reply.get("tb"))
                return CellResult.failed("error", "TutorError", Said("kernel.tutor-error"))
            raw = reply.get("result")
            delta = raw.get("namespace") if isinstance(raw, dict) else None
            if delta is None:
                return result
            variables = await self._apply_namespace(delta)
            return dataclasses.replace(result, variables=variables)

    async def bind_givens(
        self, code: str, seed: int, *, show: tuple[str, ...] = (), fill_only: bool = False
    ) -> GivensResult:
        """Bind an exercise's givens into the learner's namespace (see worker/givens.py)."""
        try:
            await self.start()
        except KernelUnavailable as exc:
            return GivensResult(error=str(exc))
        async with self._lock:
            reply, failure = await self._exchange(
                {
                    "op": "givens",
                    "code": code,
                    "seed": seed,
                    "show": list(show),
                    "fill_only": fill_only,
                },
                self.timeout * 3,
            )
        if failure is not None:
            return GivensResult(error=failure.error.message if failure.error else failure.outcome)
        assert reply is not None
        if "internal_error" in reply:
            log.error("givens failed in the kernel: %s", reply.get("tb"))
            return GivensResult(error=str(reply["internal_error"]))
        variables = await self._apply_namespace(reply.get("namespace"))
        return GivensResult.from_wire(reply.get("givens"), variables)

    def prefetch_grading(self, spec: dict[str, Any]) -> None:
        """Start the exercise's grader in the background (its values ready for the first check)."""
        if self._server is not None and self._server.alive:
            self.grading.prefetch(spec)

    async def grade(
        self, spec: dict[str, Any], program: list[dict[str, Any]], code: str
    ) -> CheckResult:
        """Judge the answer `program` computes, in clean forks (see grading.py)."""
        try:
            await self.start()
        except KernelUnavailable as exc:
            return CheckResult(passed=False, feedback=str(exc), diagnosis="check-error",
                               details={"message": str(exc)[:500]})  # fmt: skip
        return await self.grading.grade(spec, program, code, cell_timeout=self.timeout)

    # -- the inspector's namespace -----------------------------------------------------
    async def refresh(self, names: Sequence[str]) -> tuple[VariableView, ...]:
        """Fill in inspector rows the last snapshot left "not refreshed" (`state` "stale");
        the whole snapshot after. Never raises: without a kernel, the rows as they were."""
        kernel = self._kernel
        wanted = [n for n in names if isinstance(n, str)][:MAX_VARIABLES]
        if kernel is None or kernel.dead or not wanted:
            return self._namespace.variables
        async with self._lock:
            if self._kernel is not kernel:
                return ()
            reply = await self._namespace_request(kernel, {"op": "refresh", "names": wanted})
            if reply is None:
                return self._namespace.variables
            return await self._apply_namespace(reply.get("namespace"))

    async def _apply_namespace(self, delta: object) -> tuple[VariableView, ...]:
        """The rows after a snapshot delta; the whole snapshot again when out of step.
        Called with the lock held."""
        variables = self._namespace.apply(delta)
        if variables is not None:
            return variables
        kernel = self._kernel
        reply = await self._namespace_request(kernel, {"op": "snapshot"}) if kernel else None
        variables = self._namespace.apply(reply.get("namespace")) if reply else None
        return variables if variables is not None else ()

    @staticmethod
    async def _namespace_request(
        kernel: KernelChannel, message: dict[str, Any]
    ) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(asyncio.shield(kernel.request(message)), NAMESPACE_WAIT)
        except (TimeoutError, KernelDied):
            return None

    async def complete(self, text: str) -> list[str]:
        kernel = self._kernel
        if kernel is None or kernel.dead or self._lock.locked():
            return []
        try:
            reply = await asyncio.wait_for(kernel.request({"op": "complete", "text": text}), 2.0)
        except (TimeoutError, KernelDied):
            return []
        matches = reply.get("matches")
        if not isinstance(matches, list):
            return []
        return [clean_text(m, 200) for m in matches[:100] if isinstance(m, str)]

    async def interrupt(self) -> None:
        """SIGINT the running cell; SIGKILL follows after the grace if it does not stop.

        A check in progress is stopped too (its answer fork is killed)."""
        self.grading.cancel()
        kernel = self._kernel
        if kernel is None or not self._lock.locked():
            return
        self._interrupted = True
        kernel.signal(signal.SIGINT)
        await asyncio.sleep(self.interrupt_grace)
        if self._kernel is kernel and self._lock.locked() and self._interrupted:
            kernel.signal(signal.SIGKILL)

    async def _exchange(
        self, message: dict[str, Any], timeout: float | None
    ) -> tuple[dict[str, Any] | None, CellResult | None]:
        """Send one request and wait for its reply, enforcing time and memory.

        Returns (reply, None), or (None, a result describing why there is no reply).
        """
        kernel = self._kernel
        if kernel is None or kernel.dead:
            try:
                await self._restart(Said("kernel.status-had-stopped"))
            except KernelUnavailable as exc:
                return None, CellResult.failed("crashed", "KernelUnavailable", str(exc))
            kernel = self._kernel
            assert kernel is not None
        limit = self.timeout if timeout is None else timeout
        self._interrupted = False
        self._set_status("busy")
        started = time.perf_counter()
        future = kernel.request(message)
        try:
            try:
                reply = await asyncio.wait_for(asyncio.shield(future), limit)
            except TimeoutError:
                return await self._stop_overrun(kernel, future, limit)
            if self._interrupted and isinstance(reply.get("result"), dict):
                reply["result"]["outcome"] = "interrupted"
            return reply, None
        except KernelDied:
            return None, await self._after_death(kernel, started)
        finally:
            self._interrupted = False
            if self._status == "busy":
                self._set_status("ready")

    async def _stop_overrun(
        self, kernel: KernelChannel, future: asyncio.Future[dict[str, Any]], limit: float
    ) -> tuple[dict[str, Any] | None, CellResult | None]:
        kernel.signal(signal.SIGINT)
        try:
            reply = await asyncio.wait_for(future, self.interrupt_grace)
        except (TimeoutError, KernelDied):
            kernel.close()
            await self._auto_restart(Said("kernel.status-timeout"))
            return None, CellResult.failed(
                "timeout",
                "TimeoutError",
                Said("kernel.timeout-lost", {"limit": limit}),
                Said("kernel.timeout-lost-hint"),
            )
        result = reply.get("result")
        if isinstance(result, dict):
            result["outcome"] = "timeout"
            result["error"] = {
                "type": "TimeoutError",
                "message": Said("kernel.timeout-kept", {"limit": limit}).to_wire(),
                "hint": Said("kernel.timeout-kept-hint").to_wire(),
            }
        return reply, None

    async def _after_death(self, kernel: KernelChannel, started: float) -> CellResult:
        elapsed = (time.perf_counter() - started) * 1000
        reason = await self._server.exit_reason(kernel.pid) if self._server else None
        kernel.close()
        breach = kernel.fork.breach if kernel.fork is not None else None
        if breach is not None:
            outcome = "killed"
            type_, message, hint = limit_words.busy_words(breach, self.memory_limit)
            why = limit_words.restart_detail(breach, self.memory_limit)
        elif kernel.too_large:
            outcome, type_ = "killed", "OverflowError"
            message, hint = Said("kernel.too-large"), Said("kernel.replay-hint")
            why = Said("kernel.status-killed")
        elif self._interrupted:
            outcome, type_ = "interrupted", "KeyboardInterrupt"
            message, hint = Said("kernel.interrupt-lost"), Said("kernel.replay-hint")
            why = Said("kernel.status-interrupted")
        else:
            how = f" ({reason})" if reason else ""
            outcome, type_ = "crashed", "KernelCrashed"
            message, hint = Said("kernel.crashed", {"how": how}), Said("kernel.replay-hint")
            why = Said("kernel.status-crashed")
        restarted = await self._auto_restart(why)
        if not restarted:
            hint = Said("kernel.keeps-stopping")
        result = CellResult.failed(outcome, type_, message, hint)  # type: ignore[arg-type]
        return CellResult(
            outcome=result.outcome, error=result.error, elapsed_ms=elapsed, execution_count=0
        )

    async def _auto_restart(self, why: Said) -> bool:
        now = time.monotonic()
        while self._restarts and now - self._restarts[0] > RESTART_WINDOW:
            self._restarts.popleft()
        if len(self._restarts) >= MAX_RESTARTS:
            self._kernel = None
            self._set_status("dead", Said("kernel.status-gave-up", {"n": MAX_RESTARTS}))
            return False
        self._restarts.append(now)
        try:
            await self._restart(why)
        except KernelUnavailable:
            return False
        return True

    async def _watch_fork_memory(self, channel: KernelChannel) -> bool:
        """Wait for a grading fork to end; True when the watch stopped it at a limit
        (memory, threads, scratch: every verified fork is watched by the server)."""
        await channel.died.wait()
        return channel.fork is not None and channel.fork.breach is not None
