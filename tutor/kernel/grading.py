"""Grading in clean forks, supervised from the UI process (DESIGN.md, "Grading").

A verdict never comes from the learner's kernel. For each check:
1. a grader — a fresh fork that only ever runs lesson code — computes the exercise's own
   values once (every draw: the data shown, each `fresh` re-draw, a function's inputs)
   and is kept for the next checks of the same exercise;
2. an answer fork — another fresh fork — re-runs the learner's answer (the cells it needs,
   with the givens where they were bound) once per draw and reports its values as typed
   arrays, then is thrown away;
3. those values are checked here as data (tutor.kernel.values_wire) and sent to the
   grader, which compares and diagnoses.
The learner's code can change nothing but the values it produces; the solution never
enters a process that runs learner code. Forks for grading run on the CPU, so a shared
GPU is never touched by them; one is kept warm as a spare.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.kernel.channel import KernelChannel
from tutor.kernel.errors import KernelDied
from tutor.kernel.protocol import CheckResult
from tutor.kernel.values_wire import BadValue, Budget, checked_value

log = logging.getLogger(__name__)

#: A fork for grading: spawned, handshaken, ready for its first request.
SpawnFork = Callable[[], Awaitable[KernelChannel]]
#: Watches a fork's memory until it ends; sets the flag when it had to kill it.
WatchMemory = Callable[[KernelChannel], Awaitable[bool]]

#: Seconds the grader gets to compute an exercise's values.
REFERENCE_TIMEOUT = 60.0
#: The answer's re-runs get the cell limit per draw, and at least this.
MIN_ANSWER_TIMEOUT = 10.0


@dataclass
class _Grader:
    """A grader fork for one exercise, with its reference values (computed once)."""

    key: str
    channel: KernelChannel
    reference: dict[str, Any] | None = None
    broken: str | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)


class GradingFailure(Exception):
    """The grading forks could not give a verdict (the reason is for the log, the outcome for the learner)."""

    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome


class Grading:
    """The grader and answer forks of one supervisor."""

    def __init__(self, spawn: SpawnFork, watch_memory: WatchMemory) -> None:
        self._spawn = spawn
        self._watch_memory = watch_memory
        self._spare: asyncio.Task[KernelChannel] | None = None
        #: Graders by exercise (spec key), made or being made; `_wanted` is the current one.
        self._graders: dict[str, asyncio.Task[_Grader]] = {}
        self._wanted: str | None = None
        self._answer: KernelChannel | None = None
        self._cancelled = False
        #: Milliseconds of the last check's parts, for the benchmark.
        self.timings: dict[str, float] = {}

    # -- forks -----------------------------------------------------------------------
    async def _fork(self) -> KernelChannel:
        """A fresh fork: the warm spare when it is ready, else a new one."""
        spare, self._spare = self._spare, None
        channel: KernelChannel | None = None
        if spare is not None:
            with contextlib.suppress(Exception):
                channel = await spare
            if channel is not None and channel.dead:
                channel = None
        if channel is None:
            channel = await self._spawn()
        self.keep_spare()
        return channel

    async def spare_ready(self) -> None:
        """Wait until the spare fork is ready (a learner types for a while between checks)."""
        self.keep_spare()
        if self._spare is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._spare)

    def keep_spare(self) -> None:
        """Start a spare fork in the background (at most one)."""
        if self._spare is None or (self._spare.done() and self._spare.exception() is not None):
            self._spare = asyncio.ensure_future(self._spawn())

    # -- the grader --------------------------------------------------------------------
    def prefetch(self, spec: dict[str, Any]) -> None:
        """Start the grader of an exercise (its reference values) before the first check.

        A grader being made is never cancelled (a cancelled spawn would leave a fork
        behind); graders of other exercises are closed once they are done.
        """
        key = _key(spec)
        self._wanted = key
        for other, task in list(self._graders.items()):
            if other != key and task.done():
                del self._graders[other]
                _close_grader(task)
        if key not in self._graders:
            self._graders[key] = asyncio.ensure_future(self._new_grader(spec, key))

    async def _grader_for(self, spec: dict[str, Any]) -> _Grader:
        key = _key(spec)
        self.prefetch(spec)
        grader = await asyncio.shield(self._graders[key])
        if grader.channel.dead:  # it died (the server was replaced...): make another
            del self._graders[key]
            self.prefetch(spec)
            grader = await asyncio.shield(self._graders[key])
        return grader

    async def _new_grader(self, spec: dict[str, Any], key: str) -> _Grader:
        channel = await self._fork()
        grader = _Grader(key, channel)
        try:
            reply = await asyncio.wait_for(
                channel.request({"op": "reference", "spec": spec}), REFERENCE_TIMEOUT
            )
        except (TimeoutError, KernelDied) as exc:
            channel.close()
            raise GradingFailure("check-error", f"the grader did not answer: {exc}") from exc
        reference = reply.get("reference")
        if not isinstance(reference, dict):
            channel.close()
            raise GradingFailure("check-error", str(reply.get("internal_error") or "no reference"))
        if reference.get("broken"):
            grader.broken = str(reference["broken"])[:500]
        grader.reference = reference
        return grader

    # -- a check -----------------------------------------------------------------------
    async def grade(
        self,
        spec: dict[str, Any],
        program: list[dict[str, Any]],
        code: str,
        *,
        cell_timeout: float,
    ) -> CheckResult:
        """The verdict on the answer `program` computes (`code`: its learner cells, joined)."""
        started = time.perf_counter()
        self._cancelled = False
        try:
            grader = await self._grader_for(spec)
        except GradingFailure as failure:
            log.error("grader failed: %s", failure)
            return _check_error(str(failure))
        reference_ms = (time.perf_counter() - started) * 1000
        if grader.broken:
            return _check_error(grader.broken)
        assert grader.reference is not None
        draws = grader.reference.get("draws") or []
        request = {
            "op": "answer",
            "program": program,
            "names": list(spec.get("names") or []),
            "kind": spec.get("kind") or "value",
            "draws": draws,
        }
        timeout = max(MIN_ANSWER_TIMEOUT, cell_timeout * max(1, len(draws)))
        answer_started = time.perf_counter()
        answer = await self._run_answer(request, timeout)
        answer_ms = (time.perf_counter() - answer_started) * 1000
        if isinstance(answer, CheckResult):
            return answer
        judge_started = time.perf_counter()
        try:
            reply = await asyncio.wait_for(
                grader.channel.request({"op": "judge", "answer": answer, "code": code}),
                REFERENCE_TIMEOUT,
            )
        except (TimeoutError, KernelDied) as exc:
            grader.channel.close()
            log.error("the grader did not judge: %s", exc)
            return _check_error(f"the grader did not answer ({exc})")
        self.timings = {
            "fork_ms": self.timings.get("fork_ms", 0.0),
            "reference_ms": reference_ms,
            "answer_ms": answer_ms,
            "judge_ms": (time.perf_counter() - judge_started) * 1000,
            "total_ms": (time.perf_counter() - started) * 1000,
        }
        if "internal_error" in reply:
            log.error("the grader failed: %s", reply.get("tb") or reply["internal_error"])
            return _check_error(str(reply["internal_error"]))
        return CheckResult.from_wire(reply.get("check"))

    async def _run_answer(
        self, request: dict[str, Any], timeout: float
    ) -> dict[str, Any] | CheckResult:
        """The answer fork's report, checked as data; or the CheckResult saying why none came."""
        forking = time.perf_counter()
        try:
            channel = await self._fork()
        except (KernelDied, OSError) as exc:
            return _check_error(f"no fork for the answer ({exc})")
        self.timings["fork_ms"] = (time.perf_counter() - forking) * 1000
        self._answer = channel
        watcher = asyncio.ensure_future(self._watch_memory(channel))
        try:
            reply = await asyncio.wait_for(channel.request(request), timeout)
        except TimeoutError:
            return _answer_failed("timeout", timeout)
        except KernelDied:
            await asyncio.sleep(0)
            if self._cancelled:
                return _answer_failed("interrupted", timeout)
            killed = watcher.done() and not watcher.cancelled() and watcher.result()
            return _answer_failed("killed" if killed else "crashed", timeout)
        finally:
            watcher.cancel()
            channel.close()
            self._answer = None
        answer = reply.get("answer")
        try:
            return checked_answer(answer)
        except BadValue as bad:
            log.warning("an answer fork sent a bad report: %s", bad)
            return _answer_failed("crashed", timeout)

    def cancel(self) -> None:
        """Stop a check in progress (the learner pressed ctrl+c): its answer fork is killed."""
        if self._answer is not None:
            self._cancelled = True
            self._answer.close()

    async def close(self) -> None:
        if self._answer is not None:
            self._answer.close()
        tasks = [t for t in (self._spare, *self._graders.values()) if t is not None]
        self._spare, self._graders = None, {}
        for task in tasks:
            with contextlib.suppress(BaseException):
                done: _Grader | KernelChannel = await asyncio.wait_for(asyncio.shield(task), 5)
                (done.channel if isinstance(done, _Grader) else done).close()


def _close_grader(task: asyncio.Task[_Grader]) -> None:
    if not task.cancelled() and task.exception() is None:
        task.result().channel.close()


def checked_answer(answer: object) -> dict[str, Any]:
    """An answer fork's report with every value checked as data (BadValue otherwise)."""
    if not isinstance(answer, dict):
        raise BadValue("the answer report is not an object")
    if answer.get("broken"):
        return {"broken": str(answer["broken"])[:500]}
    draws = answer.get("draws")
    if not isinstance(draws, list) or len(draws) > 8:
        raise BadValue("the answer report has no draws")
    budget = Budget()
    return {"draws": [_checked_draw(d, budget) for d in draws]}


def _checked_draw(draw: object, budget: Budget) -> dict[str, Any]:
    if not isinstance(draw, dict):
        raise BadValue("a draw is not an object")
    out: dict[str, Any] = {}
    if isinstance(draw.get("error"), dict):
        out["error"] = _facts(draw["error"])
        return out
    values = draw.get("values")
    if isinstance(values, dict):
        if len(values) > 64:
            raise BadValue("too many values")
        out["values"] = {str(k)[:100]: checked_value(v, budget) for k, v in values.items()}
    rebound = draw.get("rebound")
    if isinstance(rebound, list):
        out["rebound"] = [str(n)[:100] for n in rebound[:32] if isinstance(n, str)]
    why = draw.get("why_none")
    if isinstance(why, dict):
        out["why_none"] = {str(k)[:100]: _facts(v) for k, v in list(why.items())[:64]}
    if draw.get("not_callable"):
        out["not_callable"] = str(draw["not_callable"])[:60]
    calls = draw.get("calls")
    if isinstance(calls, list):
        if len(calls) > 256:
            raise BadValue("too many calls")
        out["calls"] = [_checked_call(c, budget) for c in calls]
    return out


def _checked_call(call: object, budget: Budget) -> dict[str, Any]:
    if not isinstance(call, dict):
        raise BadValue("a call is not an object")
    if isinstance(call.get("error"), dict):
        return {"error": _facts(call["error"])}
    return {"value": checked_value(call.get("value"), budget)}


def _facts(facts: object) -> dict[str, Any]:
    """Facts about an error or a None gradient: short strings and numbers only."""
    if not isinstance(facts, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in list(facts.items())[:16]:
        if isinstance(value, bool | int | float) or value is None:
            out[str(key)[:40]] = value
        elif isinstance(value, str):
            out[str(key)[:40]] = value[:1000]
    return out


def _key(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _check_error(message: str) -> CheckResult:
    return CheckResult(
        passed=False, feedback="", diagnosis="check-error", details={"message": message[:500]}
    )


def _answer_failed(outcome: str, timeout: float) -> CheckResult:
    """Re-running the answer ended without values: said as the learner's error."""
    return CheckResult(
        passed=False,
        feedback="",
        diagnosis="error",
        details={"type": "RerunFailed", "phase": "rerun", "outcome": outcome, "limit": timeout},
    )
