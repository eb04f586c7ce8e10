"""The supervisor's copy of the kernel's namespace snapshot, kept up to date from deltas.

After a cell the kernel sends only the inspector rows that changed, with the full list
of names in order (`tutor.kernel.worker.snapshot`): re-sending and re-decoding 200
unchanged rows would cost more than the cell. Each delta is numbered (`seq`) and says
which snapshot it builds on (`base`, 0 for a whole one). A delta that does not build on
the copy held here (a reply that was never applied) is refused, and the caller asks the
kernel for the whole snapshot again (`{"op": "snapshot"}`).

Every row is decoded as untrusted (`VariableView.from_wire`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from tutor.kernel.protocol import MAX_VARIABLES, VariableView, clean_text

#: `Kernel.refresh`: the names to fill in -> the whole snapshot after.
Refresh = Callable[[Sequence[str]], Awaitable[tuple[VariableView, ...]]]


class NamespaceView:
    """The inspector's rows as of the last snapshot applied."""

    def __init__(self) -> None:
        self._views: dict[str, VariableView] = {}
        self._seq = 0
        #: The list of names as last received, and as cleaned (the same after most cells).
        self._raw_names: list[object] = []
        self._names: list[str] = []

    @property
    def variables(self) -> tuple[VariableView, ...]:
        return tuple(self._views.values())

    def apply(self, delta: object) -> tuple[VariableView, ...] | None:
        """The whole snapshot after `delta`, or None when `delta` cannot be applied
        (malformed, or built on a snapshot this copy does not hold)."""
        if not isinstance(delta, dict):
            return None
        seq, base = delta.get("seq"), delta.get("base")
        names, rows = delta.get("names"), delta.get("rows")
        seq, base = _count(seq), _count(base)
        if seq is None or base is None or not isinstance(names, list):
            return None
        if not isinstance(rows, list) or (base != 0 and base != self._seq):
            return None
        views = {} if base == 0 else dict(self._views)
        for row in rows[:MAX_VARIABLES]:
            view = VariableView.from_wire(row)
            if view is not None:
                views[view.name] = view
        names = names[:MAX_VARIABLES]
        if names != self._raw_names:
            self._raw_names = names
            self._names = list(dict.fromkeys(clean_text(n, 100) for n in names))
        order = self._names
        if any(name not in views for name in order):
            return None
        self._views = {name: views[name] for name in order}
        self._seq = seq
        return self.variables


def _count(value: object) -> int | None:
    """A non-negative int, or None (a bool is not a count)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def stale_names(variables: Sequence[VariableView]) -> list[str]:
    """The names of `variables` not refreshed yet."""
    return [v.name for v in variables if v.state == "stale"]


async def refreshed(
    refresh: Refresh, variables: tuple[VariableView, ...]
) -> tuple[VariableView, ...]:
    """`variables` with every row "not refreshed" filled in: the kernel is asked again
    while each answer leaves fewer such rows (each answer is one short, bounded piece of
    work, so a cell asked for meanwhile runs between two of them)."""
    waiting = stale_names(variables)
    while waiting:
        variables = await refresh(waiting)
        left = stale_names(variables)
        if len(left) >= len(waiting):
            break
        waiting = left
    return variables
