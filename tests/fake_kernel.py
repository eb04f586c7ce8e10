"""A scripted stand-in for `tutor.kernel.client.KernelClient`, for tests of the UI's own behaviour.

It implements the `tutor.kernel.api.Kernel` protocol without a process: cells are
answered by a script, checks by a checker, and the test controls when the kernel
becomes ready (`start_gate`) and when a long cell ends (`release`). What TensorFlow
would compute is the real kernel's business and is tested with the real kernel.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from tutor.kernel.api import KernelStatus, StatusListener
from tutor.kernel.protocol import (
    CellResult,
    CheckResult,
    ErrorInfo,
    GivensResult,
    KernelInfo,
    Said,
    VariableView,
)

Script = Callable[[str, int], CellResult]
Checker = Callable[[dict[str, Any], str], CheckResult]

_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*=(?!=)", re.MULTILINE)


def assigning_script(code: str, count: int) -> CellResult:
    """The default script: every `name = ...` becomes a float32 tensor of shape (4,)."""
    names = _ASSIGN.findall(code)
    variables = tuple(
        VariableView(name, "Tensor", (4,), "float32", "[0. 1. 2. 3.]") for name in names
    )
    value = None if names or not code.strip() else f"<{code.strip()}>"
    return CellResult("ok", value=value, variables=variables, execution_count=count)


def passing_when(marker: str) -> Checker:
    """A checker that passes when the learner's code contains `marker`, else diagnoses."""

    def check(spec: dict[str, Any], code: str) -> CheckResult:
        if marker in code:
            return CheckResult(passed=True, feedback="")
        return CheckResult(
            passed=False,
            feedback="The shape is (5,) but (2, 2) was expected.",
            diagnosis="shape",
            details={"name": "A", "got_shape": [5], "expected_shape": [2, 2]},
        )

    return check


class FakeKernel:
    """A kernel whose every answer the test decides."""

    def __init__(
        self,
        script: Script = assigning_script,
        checker: Checker | None = None,
        completions: dict[str, list[str]] | None = None,
        *,
        start_gate: asyncio.Event | None = None,
    ) -> None:
        self.script = script
        self.checker = checker or passing_when("SOLVED")
        self.completions = completions or {}
        self.start_gate = start_gate
        self.release = asyncio.Event()
        self.cells: list[str] = []
        self.checks: list[str] = []
        #: The givens bound (their code) and the exercises whose graders were prefetched.
        self.givens: list[str] = []
        self.prefetched: list[str] = []
        self.restarts = 0
        self.interrupts = 0
        self.closed = False
        self._status: KernelStatus = "starting"
        self._info: KernelInfo | None = None
        self._listeners: list[StatusListener] = []
        self._count = 0
        self._pid = 4000
        self._interrupted = False
        #: The rows of the last cell (what `refresh` fills in), and each refresh asked.
        self.variables: tuple[VariableView, ...] = ()
        self.refreshed: list[list[str]] = []
        self.refreshed_preview = "[0. 1. 2. 3.]"

    @property
    def status(self) -> KernelStatus:
        return self._status

    @property
    def info(self) -> KernelInfo | None:
        return self._info

    def add_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def _set(self, status: KernelStatus, detail: Said | None = None) -> None:
        self._status = status
        for listener in list(self._listeners):
            listener(status, detail)

    async def start(self) -> KernelInfo:
        if self._info is not None:
            return self._info
        self._set("starting", Said("kernel.status-loading"))
        if self.start_gate is not None:
            await self.start_gate.wait()
        self._info = KernelInfo(
            tensorflow="2.21.0",
            python="3.11.9",
            devices=("CPU",),
            isolation={"landlock": "abi 4", "seccomp": True, "rlimits": True},
            pid=self._pid,
        )
        self._set("ready")
        return self._info

    async def run_cell(self, code: str, *, timeout: float | None = None) -> CellResult:
        await self.start()
        self._set("busy")
        self.cells.append(code)
        self._count += 1
        if "LONG" in code:
            self.release.clear()
            await self.release.wait()
            if self._interrupted:
                self._interrupted = False
                self._set("ready")
                stopped = CellResult.failed("interrupted", "KeyboardInterrupt", "interrupted")
                return CellResult(**{**stopped.__dict__, "execution_count": self._count})
        result = self.script(code, self._count)
        if result.execution_count == 0 and result.outcome in ("ok", "error"):
            result = CellResult(**{**result.__dict__, "execution_count": self._count})
        self.variables = result.variables
        # Like the real client: a result without an In number means the kernel was replaced.
        if result.outcome in ("timeout", "killed", "crashed") and not result.execution_count:
            await self._fresh_kernel()
        else:
            self._set("ready")
        return result

    async def _fresh_kernel(self) -> None:
        self._set("restarting")
        self._pid += 1
        self._count = 0
        assert self._info is not None
        self._info = KernelInfo(**{**self._info.__dict__, "pid": self._pid})
        self._set("ready")

    async def interrupt(self) -> None:
        self.interrupts += 1
        self._interrupted = True
        self.release.set()

    async def restart(self) -> KernelInfo:
        await self.start()
        self.restarts += 1
        await self._fresh_kernel()
        assert self._info is not None
        return self._info

    async def refresh(self, names: Sequence[str]) -> tuple[VariableView, ...]:
        """Rows "not refreshed" become current (the script decides what a cell returns)."""
        self.refreshed.append(list(names))
        self.variables = tuple(
            dataclasses.replace(v, state="current", preview=self.refreshed_preview)
            if v.name in names and v.state == "stale"
            else v
            for v in self.variables
        )
        return self.variables

    async def complete(self, text: str) -> list[str]:
        token = re.search(r"[\w.]*$", text)
        key = token.group() if token else ""
        return list(self.completions.get(key, []))

    async def bind_givens(
        self, code: str, seed: int, *, show: tuple[str, ...] = (), fill_only: bool = False
    ) -> GivensResult:
        await self.start()
        self.givens.append(code)
        return GivensResult(bound=tuple(_ASSIGN.findall(code)))

    def prefetch_grading(self, spec: dict[str, Any]) -> None:
        self.prefetched.append(str(spec.get("id")))

    async def grade(
        self, spec: dict[str, Any], program: list[dict[str, Any]], code: str
    ) -> CheckResult:
        self.checks.append(code)
        return self.checker(spec, code)

    async def close(self) -> None:
        self.closed = True
        self._set("dead")


def timeout_result(code: str, count: int) -> CellResult:
    """A cell that ran past its limit and did not stop: the kernel is restarted after it."""
    return CellResult(
        "timeout",
        error=ErrorInfo("TimeoutError", "the cell ran for more than 10 s and was stopped"),
    )
