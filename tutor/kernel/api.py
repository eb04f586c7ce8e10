"""What a frontend and the session may ask of a kernel: the `Kernel` protocol.

`KernelClient` (client.py) is the real one, a sandboxed TensorFlow process; tests of
the UI's own behaviour use a fake with the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol

from tutor.kernel.protocol import (
    CellResult,
    CheckResult,
    GivensResult,
    KernelInfo,
    Said,
    VariableView,
)

KernelStatus = Literal["starting", "ready", "busy", "restarting", "dead"]

#: Called with the new status and, while it matters, words saying why ("loading
#: TensorFlow", "after a crash"), said by the frontend in the learner's language.
StatusListener = Callable[[KernelStatus, Said | None], None]


class Kernel(Protocol):
    """A place where a learner's cells run, one namespace at a time. It speaks no
    language: what it has to say comes back as message ids and facts (`Said`)."""

    @property
    def status(self) -> KernelStatus: ...

    @property
    def info(self) -> KernelInfo | None:
        """Set once the kernel has been ready at least once."""
        ...

    def add_listener(self, listener: StatusListener) -> None: ...

    async def start(self) -> KernelInfo:
        """Start (or wait for) the kernel. Safe to call more than once."""
        ...

    async def run_cell(self, code: str, *, timeout: float | None = None) -> CellResult:
        """Run one cell in the namespace; waits for the kernel if it is still starting.

        Never raises for anything the learner's code does: timeouts, crashes and kills
        come back as a result with that outcome (and the kernel restarts itself).
        """
        ...

    async def interrupt(self) -> None:
        """Stop the running cell: SIGINT, then SIGKILL after a short grace."""
        ...

    async def restart(self) -> KernelInfo:
        """A fresh kernel with an empty namespace (`tf`, `np`, `plot` only)."""
        ...

    async def refresh(self, names: Sequence[str]) -> tuple[VariableView, ...]:
        """Fill in the inspector rows a cell's result left "not refreshed" (`VariableView.state`
        "stale": the kernel's time budget after the cell ran out); returns the whole
        namespace snapshot after. Never raises."""
        ...

    async def complete(self, text: str) -> list[str]:
        """Completions for the dotted name that ends `text` (`tf.res` -> `tf.reshape`)."""
        ...

    async def bind_givens(
        self, code: str, seed: int, *, show: tuple[str, ...] = (), fill_only: bool = False
    ) -> GivensResult:
        """Bind an exercise's givens (`code`, run alone with `seed`) into the namespace:
        missing names bound, names holding the same data kept, others rebound (reported).
        `show` names the givens whose kind, shape and dtype the card lists."""
        ...

    def prefetch_grading(self, spec: dict[str, Any]) -> None:
        """Prepare the grader of an exercise (`ExerciseSpec.to_wire()`) in the background."""
        ...

    async def grade(
        self, spec: dict[str, Any], program: list[dict[str, Any]], code: str
    ) -> CheckResult:
        """Judge an answer outside the learner's kernel: `program` (the learner's cells and
        where givens were bound, see tutor.grading.history) re-run in a clean fork, its
        values compared in a grader fork. `code` is the program's learner cells, joined."""
        ...

    async def close(self) -> None: ...
