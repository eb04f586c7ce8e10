"""The namespace as the inspector shows it, kept up to date incrementally.

After every cell the kernel describes its tensor-like names (tf.Variable, tf.Tensor,
NumPy arrays, Python and NumPy numbers) in name order, at most `MAX_NAMES`. A cell
must cost the same whatever the namespace holds, so:

- An object already summarised is not summarised again. Tensors and numbers are
  immutable: the same object is the same summary. A Variable (assigned in place) or a
  NumPy array (written in place) is fingerprinted (`summaries.fingerprint`), and only
  summarised again when its fingerprint changed; each change bumps its version, which
  the gradients shown beside it are checked against.
- Summaries copy only a bounded number of values off the tensor's device
  (`summaries`).
- The work after a cell has a time budget (`CELL_BUDGET`). Past it, the names still to
  summarise are sent as rows "not refreshed" (`state: "stale"`, shape and dtype only)
  and the frontend asks for them when it shows them (`refresh`), so a cell's result
  never waits for the inspector.
- Every read of a learner's object runs under a time limit and catches BaseException
  (`time_limit.ObjectGuard`): an object whose `numpy`, `dtype` or `__repr__` raises or
  sleeps becomes a row "could not be shown" (`state: "failed"`), never a crashed cell.
- Only the rows that changed since the previous snapshot cross the wire: each snapshot
  is numbered (`seq`) and says which one it builds on (`base`; 0 for a whole one), with
  the full list of names in order (`tutor.kernel.namespace_view` puts it together).
"""

from __future__ import annotations

import operator
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tutor.kernel.protocol import Said
from tutor.kernel.worker import inspector_words, summaries
from tutor.kernel.worker.time_limit import ObjectGuard, ObjectTimeout

MAX_NAMES = 200
#: Seconds of summarising after a cell; the names left are sent "not refreshed".
CELL_BUDGET = 0.05
#: Seconds of summarising for one `refresh` request.
REFRESH_BUDGET = 0.25
#: Seconds one object may take to be read before it is "could not be shown".
OBJECT_BUDGET = 0.5

CURRENT, STALE, FAILED = "current", "stale", "failed"

#: The gradient (wire dict) shown beside each name, computed once the versions are known.
Gradients = Callable[[], Mapping[str, dict[str, Any]]]


@dataclass
class _Known:
    """What the snapshot knows of one object (keyed by its id, checked by identity)."""

    ref: Callable[[], Any]
    kind: str
    view: dict[str, Any]
    fingerprint: object = None
    version: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.view.get("state") == FAILED)


def _reference(value: Any) -> Callable[[], Any]:
    """A weak reference where the type allows one (a dropped tensor is freed at once);
    numbers cannot have one and are small."""
    try:
        return weakref.ref(value)
    except TypeError:
        return lambda: value


class NamespaceSnapshot:
    """The kernel's side of the inspector: summaries it knows and rows it has sent."""

    def __init__(self) -> None:
        self._known: dict[int, _Known] = {}
        self._sent: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
        self._seq = 0
        self._shown: list[tuple[str, Any, str]] = []
        self._views: dict[str, dict[str, Any]] = {}
        #: The namespace's keys as last seen, and its public names sorted (sorted again
        #: only when a name comes or goes, not after every cell).
        self._keys: list[Any] = []
        self._sorted: list[str] = []

    # -- what a cell, a refresh, a resend answer --------------------------------------
    def after_cell(self, namespace: Mapping[str, Any], gradients: Gradients) -> dict[str, Any]:
        """The snapshot after a cell: what changed is summarised, within `CELL_BUDGET`."""
        self._shown = self._shown_names(namespace)
        self._views = {}
        self._summarise(self._shown, CELL_BUDGET, force=False)
        alive = {id(value) for _, value, _ in self._shown}
        for key in [k for k in self._known if k not in alive]:
            del self._known[key]
        return self._delta(gradients(), whole=False)

    def refresh(self, names: Iterable[str], gradients: Gradients) -> dict[str, Any]:
        """Summarise the named rows left "not refreshed" (the frontend is showing them)."""
        wanted = set(names)
        todo = [
            entry
            for entry in self._shown
            if entry[0] in wanted and self._views.get(entry[0], {}).get("state") == STALE
        ]
        self._summarise(todo, REFRESH_BUDGET, force=True)
        return self._delta(gradients(), whole=False)

    def resend(self, gradients: Gradients) -> dict[str, Any]:
        """Every row again (the frontend lost track), without summarising anything."""
        self._sent.clear()
        return self._delta(gradients(), whole=True)

    def version_of(self, value: Any) -> int | None:
        """How many times `value` changed in place since first seen; None if unknown."""
        known = self._lookup(value)
        return None if known is None else known.version

    def _shown_names(self, namespace: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
        """(name, value, kind) of the public tensor-like names, in name order, capped."""
        # The keys are compared by identity, in the dict's order (which only changes
        # when a name comes or goes): no learner's key object (`globals()[obj]`) is
        # ever hashed or compared here.
        keys = list(namespace)
        if len(keys) != len(self._keys) or not all(map(operator.is_, keys, self._keys)):
            self._keys = keys
            self._sorted = sorted(k for k in keys if type(k) is str and not k.startswith("_"))
        shown: list[tuple[str, Any, str]] = []
        for name in self._sorted:
            value = namespace.get(name)
            try:
                kind = summaries.kind_of_type(type(value))
            except Exception:  # a class whose MRO cannot even be read is not tensor-like
                continue
            if kind is not None:
                shown.append((name, value, kind))
                if len(shown) >= MAX_NAMES:
                    break
        return shown

    # -- summarising --------------------------------------------------------------------
    def _lookup(self, value: Any) -> _Known | None:
        known = self._known.get(id(value))
        return known if known is not None and known.ref() is value else None

    def _summarise(
        self, entries: list[tuple[str, Any, str]], budget: float, *, force: bool
    ) -> None:
        started = time.monotonic()
        with ObjectGuard() as guard:
            for name, value, kind in entries:
                known = self._lookup(value)
                if known is not None and (known.failed or _immutable(kind)) and not force:
                    self._views[name] = known.view
                    continue
                if guard.interrupted or time.monotonic() - started > budget:
                    self._views[name] = _stale(value, kind, guard)
                    continue
                self._views[name] = self._update(value, kind, known, guard)

    def _update(
        self, value: Any, kind: str, known: _Known | None, guard: ObjectGuard
    ) -> dict[str, Any]:
        fingerprint: object = None
        if not _immutable(kind):
            fingerprint, error = guard.run(
                OBJECT_BUDGET, lambda: summaries.fingerprint(value, kind)
            )
            if error is not None:
                return self._failure(value, kind, error, guard)
            if known is not None and fingerprint == known.fingerprint:
                return known.view
        summary, error = guard.run(OBJECT_BUDGET, lambda: summaries.summarise(value, kind))
        if error is not None or summary is None:
            return self._failure(value, kind, error, guard)
        view = {**summary, "state": CURRENT}
        if known is not None:
            known.view, known.fingerprint = view, fingerprint
            known.version += 1
        else:
            self._remember(value, kind, view, fingerprint)
        return view

    def _failure(
        self, value: Any, kind: str, error: BaseException | None, guard: ObjectGuard
    ) -> dict[str, Any]:
        if guard.interrupted:
            return _stale(value, kind, guard)  # stopped by the learner, not by the object
        view = _failed_view(error)
        self._remember(value, kind, view, None)
        return view

    def _remember(self, value: Any, kind: str, view: dict[str, Any], fingerprint: object) -> None:
        try:
            ref = _reference(value)
        except BaseException:  # an object that refuses even a reference is not cached
            return
        self._known[id(value)] = _Known(ref=ref, kind=kind, view=view, fingerprint=fingerprint)

    # -- the wire -----------------------------------------------------------------------
    def _delta(self, gradients: Mapping[str, dict[str, Any]], *, whole: bool) -> dict[str, Any]:
        rows = []
        names = []
        for name, _value, kind in self._shown:
            names.append(name)
            view = self._views[name]
            grad = gradients.get(name) if view.get("state") == CURRENT else None
            sent = self._sent.get(name)
            if sent is not None and sent[0] is view and sent[1] is grad:
                continue
            self._sent[name] = (view, grad)
            rows.append({"name": name, "kind": kind, **view, "grad": grad})
        for name in [n for n in self._sent if n not in self._views]:
            del self._sent[name]
        base = 0 if whole else self._seq
        self._seq += 1
        return {"seq": self._seq, "base": base, "names": names, "rows": rows}


def _immutable(kind: str) -> bool:
    return kind not in ("Variable", "ndarray")


def _stale(value: Any, kind: str, guard: ObjectGuard) -> dict[str, Any]:
    meta, _ = guard.run(OBJECT_BUDGET, lambda: summaries.metadata(value, kind))
    return {
        "shape": (meta or {}).get("shape"),
        "dtype": (meta or {}).get("dtype"),
        "preview": "",
        "summary": "",
        "matrix": None,
        "state": STALE,
        "note": inspector_words.not_refreshed().to_wire(),
    }


def _failed_view(error: BaseException | None) -> dict[str, Any]:
    why: str | Said
    if isinstance(error, ObjectTimeout):
        why = inspector_words.took_too_long(OBJECT_BUDGET)
    else:
        # The class's own name slot: a learner's metaclass may fake `__name__`.
        why = type.__dict__["__name__"].__get__(type(error)) if error is not None else "?"
    return {
        "shape": None,
        "dtype": None,
        "preview": "",
        "summary": "",
        "matrix": None,
        "state": FAILED,
        "note": inspector_words.not_shown(why).to_wire(),
    }
