"""What the learner's own tapes answered during a cell, as TensorFlow returned it.

While a cell runs, `tf.GradientTape.gradient` is wrapped: the wrapper calls
TensorFlow's own method with the same arguments, returns its result unchanged (or lets
its error through), and notes the answer for each source. So the inspector can show,
beside `x`, exactly what `t.gradient(y, x)` gave the learner, a None included, with the
reason TensorFlow gave None. The reason is read from what the tape really did where
that is known (the Variables it watched, noted before the call: a non-persistent tape
forgets them once it answers), else from the learner's code (`gradient_reasons`).

Only the latest answer per source is kept, so a training loop that asks its tape a
thousand times holds one gradient, not a thousand.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import linecache
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

from tutor.kernel.protocol import Said
from tutor.kernel.worker import inspector_words, summaries
from tutor.kernel.worker.gradient_book import GradientBook, gradient_wire

#: Characters of a tape's or target's text kept in a label.
MAX_TEXT = 40


@dataclass
class _Site:
    """Where a `gradient` call was made: the cell and the call's source position."""

    filename: str
    line: int
    position: tuple[int | None, int | None, int | None, int | None] | None


@dataclass
class _Answer:
    site: _Site | None
    source: Any
    gradient: Any
    target: Any
    #: The Variables the tape watched before it answered (None when unknown).
    watched: tuple[Any, ...] | None
    watch_accessed: bool


class TapeAnswers:
    """The answers of one cell, by source object."""

    def __init__(self) -> None:
        self._answers: dict[int, _Answer] = {}

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Wrap `tf.GradientTape.gradient` for the duration of a cell."""
        import tensorflow as tf

        tape_class = tf.GradientTape
        original = tape_class.gradient
        answers = self

        @functools.wraps(original)
        def gradient(tape: Any, target: Any, sources: Any, *args: Any, **kwargs: Any) -> Any:
            before = _watched(tape)
            result = original(tape, target, sources, *args, **kwargs)
            answers._note(target, sources, result, before, sys._getframe(1))
            return result

        tape_class.gradient = gradient
        try:
            yield
        finally:
            tape_class.gradient = original

    def _note(
        self,
        target: Any,
        sources: Any,
        result: Any,
        before: tuple[tuple[Any, ...] | None, bool],
        frame: FrameType,
    ) -> None:
        import tensorflow as tf

        try:
            if not tf.executing_eagerly():
                return  # inside a tf.function being traced: nothing to show yet
            flat_sources = tf.nest.flatten(sources)
            flat_results = tf.nest.flatten(result) if result is not None else [None]
            if len(flat_results) != len(flat_sources):
                return
            site = _site(frame)
            watched, accessed = before
            for source, grad in zip(flat_sources, flat_results, strict=True):
                self._answers[id(source)] = _Answer(site, source, grad, target, watched, accessed)
        except Exception:  # noting must never change what the learner's call returns
            return

    def record_into(self, book: GradientBook, namespace: Mapping[str, Any]) -> set[str]:
        """Put each answer beside the names bound to its source; returns those names."""
        if not self._answers:
            return set()
        names_of: dict[int, list[str]] = {}
        for name, value in list(namespace.items()):
            if type(name) is str and not name.startswith("_"):
                names_of.setdefault(id(value), []).append(name)
        answered: set[str] = set()
        for answer in self._answers.values():
            texts = _call_texts(answer.site)
            if texts is None:
                continue
            tape_text, target_text, code = texts
            for name in names_of.get(id(answer.source), []):
                if namespace.get(name) is not answer.source:
                    continue
                label = f"{tape_text}.gradient({target_text}, {name}) ="
                reason: Said | None = None
                if answer.gradient is None:
                    reason = _reason(answer, name, tape_text, target_text, code, namespace)
                try:
                    wire = gradient_wire(
                        answer.gradient, of=target_text, source="tape", label=label, reason=reason
                    )
                except Exception:
                    continue
                book.record(name, answer.source, answer.target, target_text, wire)
                answered.add(name)
        self._answers.clear()
        return answered


def _watched(tape: Any) -> tuple[tuple[Any, ...] | None, bool]:
    """The Variables `tape` watches now, and whether it watches what it reads."""
    accessed = bool(getattr(tape, "_watch_accessed_variables", True))
    try:
        return tuple(tape.watched_variables()), accessed
    except Exception:  # a used non-persistent tape: TensorFlow raises its own error next
        return None, accessed


def _site(frame: FrameType) -> _Site | None:
    code = frame.f_code
    if not code.co_filename.startswith("<cell"):
        return None
    position = None
    with contextlib.suppress(IndexError, ValueError):
        position = list(code.co_positions())[frame.f_lasti // 2]
    return _Site(code.co_filename, frame.f_lineno or 0, position)


def _call_texts(site: _Site | None) -> tuple[str, str, str] | None:
    """(tape text, target text, the cell's code) of the call at `site`."""
    if site is None:
        return None
    code = "".join(linecache.getlines(site.filename))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "gradient"
    ]
    exact = [
        c
        for c in calls
        if site.position == (c.lineno, c.end_lineno, c.col_offset, c.end_col_offset)
    ]
    on_line = [c for c in calls if c.lineno <= site.line <= (c.end_lineno or c.lineno)]
    found = exact or (on_line if len(on_line) == 1 else [])
    if not found:
        return None
    call = found[0]
    assert isinstance(call.func, ast.Attribute)
    tape = ast.get_source_segment(code, call.func.value) or "tape"
    target_node = call.args[0] if call.args else _keyword(call, "target")
    target = (ast.get_source_segment(code, target_node) if target_node else None) or "?"
    return _short(tape), _short(target), code


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _reason(
    answer: _Answer,
    name: str,
    tape: str,
    target: str,
    code: str,
    namespace: Mapping[str, Any],
) -> Said:
    """Why the tape answered None for `name` (words to say)."""
    source = answer.source
    fields = {"source": name, "tape": tape, "target": target}
    kind = summaries.kind_of_type(type(source))
    if summaries.is_tensor_kind(kind):
        dtype = source.dtype
        if not (dtype.is_floating or dtype.is_complex):
            return inspector_words.tape_reason("integer", dtype=dtype.name, **fields)
        if kind == "Variable":
            if not source.trainable:
                return inspector_words.tape_reason("not-trainable", **fields)
            unwatched = answer.watched is not None and not any(w is source for w in answer.watched)
            if unwatched and not answer.watch_accessed:
                return inspector_words.tape_reason("not-watched-variable", **fields)
    else:
        got = type.__dict__["__name__"].__get__(type(source))
        return inspector_words.tape_reason("not-a-tensor", got_type=got, **fields)
    from tutor.kernel.worker.gradient_reasons import grad_none_reason

    probe = f"{code}\n__tutor_answer = {tape}.gradient({target}, {name})\n"
    try:
        found = grad_none_reason(probe, namespace, "__tutor_answer")
    except Exception:
        found = {"reason": "not-connected"}
    reason = str(found.get("reason"))
    if reason == "outside-tape":
        fields["target"] = str(found.get("target") or target)
    if reason in ("not-watched", "outside-tape", "left-tensorflow", "not-connected"):
        return inspector_words.tape_reason(reason, **fields)
    return inspector_words.tape_reason("not-connected", **fields)
