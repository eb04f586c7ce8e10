"""The gradient the inspector shows beside each name, and when it stops being true.

Two sources, never confused:
- the tutor's automatic gradient ("source": "tutor"): each cell runs under the tutor's
  own tape, and when the cell makes a float target, d(sum target)/d(v) for every
  trainable float Variable v it depends on. It is labelled as the tutor's ("auto
  ∂y/∂x"), and it is computed once, in the cell that made the target: a later cell
  recomputes nothing.
- what the learner's own tape answered ("source": "tape"), recorded as the call returned
  it (`tape_answers`), a None with the reason TensorFlow gave None. Where the learner
  asked their tape about a name, the tutor's gradient is not shown for it.

An entry is dropped as soon as it would be stale: the name or its target rebound to
another object, or the Variable changed in place since (its snapshot version moved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tutor.kernel.protocol import Said
from tutor.kernel.worker import inspector_words, summaries

#: Characters of a target's text kept in a label.
MAX_TARGET_CHARS = 40


@dataclass
class _Entry:
    var: Callable[[], Any]
    target: Callable[[], Any]
    #: The target's name when it is one (its rebinding ends the entry).
    target_name: str | None
    wire: dict[str, Any]
    #: The Variable's snapshot version the gradient belongs to (set at the next snapshot).
    version: int | None = None


@dataclass
class GradientBook:
    """The gradients shown, by name."""

    _entries: dict[str, _Entry] = field(default_factory=dict)

    def record(
        self, name: str, var: Any, target: Any, target_text: str, wire: dict[str, Any]
    ) -> None:
        self._entries[name] = _Entry(
            var=_reference(var),
            target=_reference(target),
            target_name=target_text if target_text.isidentifier() else None,
            wire=wire,
        )

    def current(
        self, namespace: Mapping[str, Any], version_of: Callable[[Any], int | None]
    ) -> dict[str, dict[str, Any]]:
        """The wire dicts still true, by name (the same dict object while unchanged)."""
        live: dict[str, dict[str, Any]] = {}
        for name, entry in list(self._entries.items()):
            value = namespace.get(name)
            if value is None or entry.var() is not value or self._target_rebound(entry, namespace):
                del self._entries[name]
                continue
            version = version_of(value)
            if entry.version is None:
                entry.version = version
            elif version is not None and version != entry.version:
                del self._entries[name]  # the Variable changed since: its gradient is stale
                continue
            live[name] = entry.wire
        return live

    @staticmethod
    def _target_rebound(entry: _Entry, namespace: Mapping[str, Any]) -> bool:
        if entry.target_name is None:
            return False
        if entry.target_name not in namespace:
            return True
        return namespace[entry.target_name] is not entry.target()


def _reference(value: Any) -> Callable[[], Any]:
    import weakref

    try:
        return weakref.ref(value)
    except TypeError:
        return lambda: value


def is_float_variable(value: Any) -> bool:
    """A trainable float tf.Variable (what the tutor's tape watches); never raises."""
    try:
        if summaries.kind_of_type(type(value)) != "Variable":
            return False
        return bool(value.trainable and value.dtype.is_floating)
    except Exception:
        return False


def read_variables(namespace: Mapping[str, Any], tape: Any) -> list[tuple[str, Any]]:
    """(name, Variable) for the public names bound to a trainable float Variable that
    `tape` watched (read during the cell): the only ones a target can depend on."""
    try:
        watched = {id(v): v for v in tape.watched_variables()}
    except Exception:
        return []
    return [
        (name, value)
        for name, value in list(namespace.items())
        if id(value) in watched
        and watched[id(value)] is value
        and type(name) is str
        and not name.startswith("_")
        and is_float_variable(value)
    ]


def tutor_label(target_text: str, name: str) -> Said:
    """`auto ∂y/∂x`: the tutor's gradient, said to be the tutor's."""
    target = target_text[:MAX_TARGET_CHARS] or "?"
    if not target.isidentifier():
        target = f"({target})"
    return inspector_words.tutor_gradient(f"∂{target}/∂{name}")


def gradient_wire(
    grad: Any, *, of: str, source: str, label: str | Said, reason: Said | None = None
) -> dict[str, Any]:
    """The wire dict of a gradient (a tensor, or None with its reason)."""
    if grad is None:
        preview, shape = "None", None
    else:
        summary = summaries.summarise(grad, "Tensor")
        preview, shape = summary["preview"], summary["shape"]
    return {
        "of": of[:MAX_TARGET_CHARS],
        "preview": preview,
        "shape": shape,
        "source": source,
        "label": label.to_wire() if isinstance(label, Said) else label,
        "reason": "" if reason is None else reason.to_wire(),
    }


def record_automatic(
    book: GradientBook,
    namespace: Mapping[str, Any],
    tape: Any,
    target: tuple[str, Any],
    *,
    skip: Iterable[str] = (),
) -> None:
    """The tutor's d(sum target)/d(v) for each Variable the target depends on."""
    import tensorflow as tf

    text, value = target
    skipped = set(skip)
    named = [(n, v) for n, v in read_variables(namespace, tape) if n not in skipped]
    if not named:
        return
    try:
        grads = tape.gradient(value, [v for _, v in named])
    except Exception:
        return
    for (name, var), grad in zip(named, grads, strict=True):
        if grad is None:
            continue
        if isinstance(grad, tf.IndexedSlices):
            grad = tf.convert_to_tensor(grad)
        try:
            wire = gradient_wire(grad, of=text, source="tutor", label=tutor_label(text, name))
        except Exception:
            continue
        book.record(name, var, value, text, wire)
