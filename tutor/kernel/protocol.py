"""The messages between the supervisor (UI process) and a kernel, and the cell result.

Wire format: one JSON object per line, UTF-8. Requests go to the kernel, replies and
events come back. Everything decoded here comes from a process that runs a learner's
code, so `*.from_wire` trusts nothing: unknown keys are ignored, wrong types become
safe defaults, every string is cleaned of terminal control sequences and capped.

The frontends show these objects and never see the wire; `to_json` gives the shapes
fixed by the command-line contract in DESIGN.md (`tutor eval --json`, `tutor check --json`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal, cast

Outcome = Literal["ok", "error", "interrupted", "timeout", "killed", "crashed"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "error", "interrupted", "timeout", "killed", "crashed")

#: The longest line the supervisor reads from a kernel; a longer one ends that kernel.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
#: Captured stdout or stderr kept per cell.
MAX_STREAM_CHARS = 20_000
#: A value's repr, a preview, a message.
MAX_TEXT_CHARS = 4_000
MAX_VARIABLES = 200
MAX_PLOTS = 8
MAX_PLOT_POINTS = 5_000

# C0 and C1 control characters except tab and newline; ESC starts every terminal sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
# Unicode format characters (category Cf: bidi overrides and isolates such as U+202E,
# zero-width spaces and joiners, tag characters) and the line and paragraph separators:
# invisible, yet they reorder or hide what a terminal shows. tests/test_protocol_strict.py
# checks this class against the running Python's Unicode database.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def clean_text(value: object, limit: int = MAX_TEXT_CHARS) -> str:
    """A string safe to put on a terminal: escape sequences removed, controls and format
    characters shown escaped (`\\x07`, `\\u202e`), capped."""
    if not isinstance(value, str):
        return ""
    text = _ANSI.sub("", value)
    text = text.replace("\r\n", "\n")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = _FORMAT.sub(_escaped, text)
    if len(text) > limit:
        dropped = len(text) - limit
        text = text[:limit] + f"\n… [{dropped} more characters not shown]"
    return text


def _opt_text(value: object, limit: int = MAX_TEXT_CHARS) -> str | None:
    return None if value is None else clean_text(value, limit)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(value: object) -> int:
    """A count that cannot be negative (an execution count): anything else is 0."""
    number = _int_or_none(value)
    return number if number is not None and number >= 0 else 0


def _finite(value: object) -> float | None:
    """A finite number, or None (NaN, infinities, huge integers and non-numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _duration(value: object) -> float:
    """Milliseconds: finite and not negative, else 0."""
    number = _finite(value)
    return number if number is not None and number >= 0 else 0.0


def _float(value: object) -> float:
    """A matrix entry: NaN and infinities are kept (a tensor may hold them), junk is NaN."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _finite_list(value: object, limit: int) -> tuple[float, ...]:
    return tuple(v for v in (_finite(x) for x in _list(value, limit)) if v is not None)


def _dict(value: object) -> dict[str, Any]:
    return cast(dict[str, Any], value) if isinstance(value, dict) else {}


def _list(value: object, limit: int) -> list[Any]:
    return list(value[:limit]) if isinstance(value, list) else []


#: A message id: lowercase words, dots and dashes ("hint.reshape-values").
_MESSAGE_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,79}")
#: How deep a fact may hold another message (a hint made of sentences, a limit's words).
_MAX_SAID_DEPTH = 6

#: A fact of a message: plain data, or a message of its own (a word that is translated too).
Fact = Any


@dataclass(frozen=True)
class Said:
    """Words to say: a message id of the catalog (tutor/words) and the facts its `{fields}`
    are filled from. The kernel sends these instead of sentences; a frontend says them in
    the learner's language when it shows them (`tutor.words.tell`), so switching language
    re-renders without asking the kernel. A fact is a str, int, float, bool, a list of
    those, or a `Said` (a word that is translated too)."""

    id: str
    facts: dict[str, Fact] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "facts": {k: _fact_wire(v) for k, v in self.facts.items()}}

    @classmethod
    def from_wire(cls, data: object, depth: int = 0) -> Said | None:
        if not isinstance(data, dict) or depth > _MAX_SAID_DEPTH:
            return None
        msgid = data.get("id")
        if not isinstance(msgid, str) or not _MESSAGE_ID.fullmatch(msgid):
            return None
        facts: dict[str, Fact] = {}
        for key, value in list(_dict(data.get("facts")).items())[:20]:
            if isinstance(key, str) and key.isidentifier() and not key.startswith("_"):
                fact = _fact(value, depth)
                if fact is not None:
                    facts[key[:40]] = fact
        return cls(msgid, facts)


def _fact_wire(value: Fact) -> Any:
    if isinstance(value, Said):
        return value.to_wire()
    if isinstance(value, list | tuple):
        return [_fact_wire(v) for v in value]
    return value


def _wire_number(value: bool | int | float) -> bool | int | float | None:
    """A bool as it is, an int that fits 64 bits, a finite float; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else None
    return _finite(value)


def _fact(value: object, depth: int) -> Fact:
    """A fact from the wire: a short clean string, a finite number, a bool, a short list of
    those, or a message; anything else is None (the fact is left out)."""
    if isinstance(value, bool | int | float):
        return _wire_number(value)
    if isinstance(value, str):
        return clean_text(value, 500)
    if isinstance(value, list):
        items = [_fact(v, depth) for v in value[:32] if not isinstance(v, list)]
        return [v for v in items if v is not None]
    if isinstance(value, dict):
        return Said.from_wire(value, depth + 1)
    return None


def _words_or_text(value: object, limit: int = MAX_TEXT_CHARS) -> str | Said:
    """Words to say (a `Said` on the wire), else text as it is (an exception's message,
    a label the learner wrote)."""
    if isinstance(value, dict):
        return Said.from_wire(value) or ""
    return clean_text(value, limit)


def _said_text(value: str | Said | None, lang: str) -> Any:
    """`value` in `lang` (for the command line's JSON, which has no frontend to say it)."""
    if value is None or isinstance(value, str):
        return value
    from tutor.words import tell

    return tell(lang, value)


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong in a cell, in the learner's terms."""

    type: str
    #: The exception's own text ("name 'x' is not defined"), or the tutor's words for
    #: what stopped the cell (a time limit, a crash).
    message: str | Said
    #: What to do about it, in plain words (tutor/kernel/worker/hints).
    hint: Said | None = None
    #: The traceback trimmed to the learner's own lines (may be empty).
    traceback: str = ""
    #: 1-based line of the cell where it happened, when known.
    line: int | None = None

    @classmethod
    def from_wire(cls, data: object) -> ErrorInfo | None:
        if not isinstance(data, dict):
            return None
        return cls(
            type=clean_text(data.get("type"), 200) or "Error",
            message=_words_or_text(data.get("message")),
            hint=Said.from_wire(data.get("hint")),
            traceback=clean_text(data.get("traceback")),
            line=_line(data.get("line")),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message.to_wire() if isinstance(self.message, Said) else self.message,
            "hint": None if self.hint is None else self.hint.to_wire(),
            "traceback": self.traceback,
            "line": self.line,
        }

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "type": self.type,
            "message": _said_text(self.message, lang),
            "hint": _said_text(self.hint, lang),
            "traceback": self.traceback,
            "line": self.line,
        }


def _line(value: object) -> int | None:
    number = _int_or_none(value)
    return number if number is not None and number >= 1 else None


#: Who computed a gradient: the tutor's own tape ("tutor"), or the learner's ("tape").
GRADIENT_SOURCES = ("tutor", "tape")


@dataclass(frozen=True)
class Gradient:
    """A gradient shown beside a name in the inspector.

    Either the tutor's automatic gradient, d(sum of `of`)/d(variable) from the tutor's own
    tape (`source` "tutor"), or what the learner's own tape answered for that name
    (`source` "tape"), a None included (`preview` "None", with its `reason`).
    """

    of: str
    preview: str
    shape: tuple[int, ...] | None = None
    #: "tutor" or "tape" (see the class doc).
    source: str = "tutor"
    #: How to label it: "auto ∂y/∂x" (the tutor's, words to say), "t.gradient(y, x) ="
    #: (the learner's call, as written); "" from a kernel that sent none.
    label: str | Said = ""
    #: Why the learner's tape answered None, words to say ("" otherwise).
    reason: str | Said = ""

    @classmethod
    def from_wire(cls, data: object) -> Gradient | None:
        if not isinstance(data, dict):
            return None
        source = data.get("source")
        return cls(
            of=clean_text(data.get("of"), 200),
            preview=clean_text(data.get("preview")),
            shape=_shape(data.get("shape")),
            source=source if isinstance(source, str) and source in GRADIENT_SOURCES else "tutor",
            label=_words_or_text(data.get("label"), 200),
            reason=_words_or_text(data.get("reason"), 500),
        )

    def label_for(self, name: str) -> str | Said:
        """What the inspector writes before the values beside `name`: the kernel's label,
        else `∂y/∂x` (a target that is not a name in parentheses)."""
        if self.label:
            return self.label
        target = self.of or "?"
        if not target.isidentifier():
            target = f"({target})"
        return f"∂{target}/∂{name}"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "of": self.of,
            "preview": self.preview,
            "shape": _shape_json(self.shape),
            "source": self.source,
            "label": _said_text(self.label, lang),
            "reason": _said_text(self.reason, lang),
        }


def _shape(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list) or len(value) > 32:
        return None
    dims = [d if isinstance(d, int) and not isinstance(d, bool) and d >= 0 else -1 for d in value]
    return tuple(dims)


def _shape_json(shape: tuple[int, ...] | None) -> list[int] | None:
    return None if shape is None else list(shape)


#: A row of the inspector: shown as it is now; "not refreshed" yet (the kernel's time
#: budget after the cell ran out: `Kernel.refresh` fills it in); "could not be shown"
#: (reading the object raised, or took too long).
VIEW_STATES = ("current", "stale", "failed")


@dataclass(frozen=True)
class VariableView:
    """One tensor-like name of the namespace, as the inspector shows it."""

    name: str
    #: "Variable", "Tensor", "ndarray", "int", "float", "bool", "complex".
    kind: str
    shape: tuple[int, ...] | None
    dtype: str | None
    #: The value, summarised when large (NumPy's print options).
    preview: str
    grad: Gradient | None = None
    #: One line for screen readers, words to say: "3x4 float32, min -2.1, max 3.0".
    summary: str | Said = ""
    #: A matrix's values for a heatmap (at most 32x32: a larger matrix's block means);
    #: None otherwise.
    matrix: tuple[tuple[float, ...], ...] | None = None
    #: One of `VIEW_STATES`: "current", "stale" (not refreshed), "failed" (could not be
    #: shown); only "current" rows have a preview and a gradient.
    state: str = "current"
    #: Why a row is not "current", words to say ("not refreshed yet", "could not be
    #: shown (KeyboardInterrupt)"); the frontend shows them in place of the value.
    note: str | Said = ""

    @classmethod
    def from_wire(cls, data: object) -> VariableView | None:
        if not isinstance(data, dict):
            return None
        state = data.get("state")
        return cls(
            name=clean_text(data.get("name"), 100),
            kind=clean_text(data.get("kind"), 40),
            shape=_shape(data.get("shape")),
            dtype=_opt_text(data.get("dtype"), 40),
            preview=clean_text(data.get("preview")),
            grad=Gradient.from_wire(data.get("grad")),
            summary=_words_or_text(data.get("summary"), 300),
            matrix=_matrix(data.get("matrix")),
            state=state if isinstance(state, str) and state in VIEW_STATES else "current",
            note=_words_or_text(data.get("note"), 100),
        )

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "shape": _shape_json(self.shape),
            "dtype": self.dtype,
            "preview": self.preview,
            "summary": _said_text(self.summary, lang),
            "grad": None if self.grad is None else self.grad.to_json(lang),
            "state": self.state,
            "note": _said_text(self.note, lang),
        }


def _matrix(value: object) -> tuple[tuple[float, ...], ...] | None:
    if not isinstance(value, list) or not value or len(value) > 32:
        return None
    rows = []
    for row in value:
        if not isinstance(row, list) or len(row) > 32:
            return None
        rows.append(tuple(_float(v) for v in row))
    return tuple(rows)


@dataclass(frozen=True)
class Series:
    """One line (or set of points) of a plot: finite numbers only."""

    #: The learner's label, or words to say ("tangent at x=1").
    label: str | Said
    x: tuple[float, ...]
    y: tuple[float, ...]
    #: "line", "points", "dashed", "bar".
    style: str = "line"
    #: Points the wire carried that were not two finite numbers, left out.
    dropped: int = 0

    @classmethod
    def from_wire(cls, data: object) -> Series | None:
        if not isinstance(data, dict):
            return None
        raw_x = _list(data.get("x"), MAX_PLOT_POINTS)
        raw_y = _list(data.get("y"), MAX_PLOT_POINTS)
        x: list[float] = []
        y: list[float] = []
        for a, b in zip(raw_x, raw_y, strict=False):
            fa, fb = _finite(a), _finite(b)
            if fa is not None and fb is not None:
                x.append(fa)
                y.append(fb)
        return cls(
            label=_words_or_text(data.get("label"), 100),
            x=tuple(x),
            y=tuple(y),
            style=clean_text(data.get("style"), 20) or "line",
            dropped=min(len(raw_x), len(raw_y)) - len(x),
        )

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        label = _said_text(self.label, lang)
        return {"label": label, "x": list(self.x), "y": list(self.y), "style": self.style}


@dataclass(frozen=True)
class PlotData:
    """A picture as plain data: computed in the kernel, drawn by a frontend."""

    title: str
    series: tuple[Series, ...]
    x_label: str = ""
    y_label: str = ""
    #: Horizontal reference lines (y values) and vertical ones (x values).
    hlines: tuple[float, ...] = ()
    vlines: tuple[float, ...] = ()
    #: One line for screen readers and `--plain`, words to say.
    summary: str | Said = ""

    @property
    def dropped(self) -> int:
        """Points left out because they were not finite (the picture says so)."""
        return sum(s.dropped for s in self.series)

    @classmethod
    def from_wire(cls, data: object) -> PlotData | None:
        if not isinstance(data, dict):
            return None
        series = tuple(s for s in (Series.from_wire(v) for v in _list(data.get("series"), 16)) if s)
        return cls(
            title=clean_text(data.get("title"), 200),
            series=series,
            x_label=clean_text(data.get("x_label"), 100),
            y_label=clean_text(data.get("y_label"), 100),
            hlines=_finite_list(data.get("hlines"), 16),
            vlines=_finite_list(data.get("vlines"), 16),
            summary=_words_or_text(data.get("summary"), 300),
        )

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "title": self.title,
            "series": [s.to_json(lang) for s in self.series],
            "x_label": self.x_label,
            "y_label": self.y_label,
            "hlines": list(self.hlines),
            "vlines": list(self.vlines),
            "summary": _said_text(self.summary, lang),
        }


@dataclass(frozen=True)
class CellResult:
    """Everything one cell produced, whatever happened in it."""

    outcome: Outcome
    value: str | None = None
    stdout: str = ""
    stderr: str = ""
    error: ErrorInfo | None = None
    elapsed_ms: float = 0.0
    variables: tuple[VariableView, ...] = ()
    plots: tuple[PlotData, ...] = ()
    #: The In/Out number of the cell in its kernel (0 when it never ran).
    execution_count: int = 0
    #: What the tutor has to say about the result itself, shown after its output
    #: ("the inspector cannot show this cell's names: …").
    notes: tuple[Said, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @classmethod
    def from_wire(cls, data: object) -> CellResult:
        d = _dict(data)
        outcome = d.get("outcome") if d.get("outcome") in OUTCOMES else "crashed"
        error = ErrorInfo.from_wire(d.get("error"))
        if outcome == "ok" and error is not None:
            outcome = "error"  # "ok" with an error is impossible: the error is shown
        elif outcome == "error" and error is None:
            error = ErrorInfo(type="Error", message="")  # an error always says which
        return cls(
            outcome=cast(Outcome, outcome),
            value=_opt_text(d.get("value")),
            stdout=clean_text(d.get("stdout"), MAX_STREAM_CHARS),
            stderr=clean_text(d.get("stderr"), MAX_STREAM_CHARS),
            error=error,
            elapsed_ms=_duration(d.get("elapsed_ms")),
            variables=tuple(
                v
                for v in (
                    VariableView.from_wire(x) for x in _list(d.get("variables"), MAX_VARIABLES)
                )
                if v is not None
            ),
            plots=tuple(
                p for p in (PlotData.from_wire(x) for x in _list(d.get("plots"), MAX_PLOTS)) if p
            ),
            execution_count=_count(d.get("execution_count")),
            notes=tuple(n for n in (Said.from_wire(x) for x in _list(d.get("notes"), 8)) if n),
        )

    @classmethod
    def failed(
        cls, outcome: Outcome, type_: str, message: str | Said, hint: Said | None = None
    ) -> CellResult:
        """A result made by the supervisor when the kernel could not give one."""
        return cls(outcome=outcome, error=ErrorInfo(type=type_, message=message, hint=hint))

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """The `tutor eval --json` shape, words said in `lang`."""
        return {
            "outcome": self.outcome,
            "value": self.value,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "error": None if self.error is None else self.error.to_json(lang),
            "elapsed_ms": round(self.elapsed_ms, 3),
            "variables": [v.to_json(lang) for v in self.variables],
            "plots": [p.to_json(lang) for p in self.plots],
            "execution_count": self.execution_count,
            "notes": [_said_text(n, lang) for n in self.notes],
        }


@dataclass(frozen=True)
class KernelInfo:
    """What a ready kernel reports about itself."""

    tensorflow: str
    python: str
    devices: tuple[str, ...]
    #: Each isolation layer and whether it holds ("landlock": "abi 7", "seccomp": True, ...).
    isolation: dict[str, Any] = field(default_factory=dict)
    pid: int = 0
    #: Why the devices differ from what was asked ("no GPU found; running on the CPU").
    device_note: str = ""

    @classmethod
    def from_wire(cls, data: object) -> KernelInfo:
        d = _dict(data)
        iso = {
            clean_text(k, 40): (v if isinstance(v, bool | int) else clean_text(v, 200))
            for k, v in list(_dict(d.get("isolation")).items())[:40]
        }
        return cls(
            tensorflow=clean_text(d.get("tensorflow"), 40),
            python=clean_text(d.get("python"), 40),
            devices=tuple(clean_text(x, 100) for x in _list(d.get("devices"), 16)),
            isolation=iso,
            pid=_count(d.get("pid")),
            device_note=clean_text(d.get("device_note"), 200),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "tensorflow": self.tensorflow,
            "python": self.python,
            "devices": list(self.devices),
            "device_note": self.device_note,
            "isolation": dict(self.isolation),
        }

    @property
    def isolation_level(self) -> str:
        """A word for the status bar: "strong", "partial" or "weak"."""
        held = [k for k in ("landlock", "seccomp", "rlimits") if self.isolation.get(k)]
        if len(held) == 3:
            return "strong"
        return "partial" if held else "weak"


@dataclass(frozen=True)
class CheckResult:
    """The verdict of an exercise's check, as the learner is told it."""

    passed: bool
    #: What the learner reads: encouragement, or what is wrong and why.
    feedback: str
    #: The diagnosis id when a known mistake was recognised ("transposed", "dtype", ...).
    diagnosis: str | None = None
    #: Facts behind the diagnosis, for the feedback's words: {"expected_shape": [4],
    #: "got_shape": [5], "got_dtype": "int32", "axis": 1, "factor": 2.0, "name": "C", ...}.
    details: dict[str, Any] = field(default_factory=dict)
    #: Anything the learner's code printed or raised while being checked.
    cells: tuple[CellResult, ...] = ()

    @classmethod
    def from_wire(cls, data: object) -> CheckResult:
        d = _dict(data)
        details = {
            clean_text(k, 60): _wire_detail(v)
            for k, v in list(_dict(d.get("details")).items())[:30]
        }
        return cls(
            passed=d.get("passed") is True,
            feedback=clean_text(d.get("feedback")),
            diagnosis=_opt_text(d.get("diagnosis"), 80),
            details=details,
            cells=tuple(CellResult.from_wire(c) for c in _list(d.get("cells"), 20)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "feedback": self.feedback,
            "diagnosis": self.diagnosis,
            "details": dict(self.details),
            "cells": [c.to_json() for c in self.cells],
        }


@dataclass(frozen=True)
class Rebinding:
    """A given name that held something else in the learner's namespace and was rebound."""

    name: str
    #: What it held and what it holds now, in a few words ("(4,) float32 Tensor").
    was: str
    now: str


@dataclass(frozen=True)
class GivenView:
    """A given of an exercise as its card shows it."""

    name: str
    kind: str
    shape: tuple[int, ...] | None
    dtype: str | None

    @classmethod
    def from_wire(cls, data: object) -> GivenView | None:
        if not isinstance(data, dict):
            return None
        return cls(
            name=clean_text(data.get("name"), 100),
            kind=clean_text(data.get("kind"), 40),
            shape=_shape(data.get("shape")),
            dtype=_opt_text(data.get("dtype"), 40),
        )


@dataclass(frozen=True)
class GivensResult:
    """What binding an exercise's givens into the learner's namespace did."""

    bound: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    rebound: tuple[Rebinding, ...] = ()
    #: The givens the card names (kind, shape, dtype), in order.
    shown: tuple[GivenView, ...] = ()
    #: The inspector's rows afterwards.
    variables: tuple[VariableView, ...] = ()
    #: Set when the lesson's own setup raised (a fault of the lesson), or the kernel
    #: could not run it (then the supervisor's words to say).
    error: str | Said | None = None

    @classmethod
    def from_wire(cls, data: object, variables: tuple[VariableView, ...] = ()) -> GivensResult:
        d = _dict(data)

        def names(key: str) -> tuple[str, ...]:
            return tuple(clean_text(n, 100) for n in _list(d.get(key), 200))

        rebound = tuple(
            Rebinding(
                clean_text(r.get("name"), 100),
                clean_text(r.get("was"), 80),
                clean_text(r.get("now"), 80),
            )
            for r in _list(d.get("rebound"), 200)
            if isinstance(r, dict)
        )
        shown = tuple(v for v in (GivenView.from_wire(x) for x in _list(d.get("shown"), 50)) if v)
        return cls(
            bound=names("bound"),
            kept=names("kept"),
            rebound=rebound,
            shown=shown,
            variables=variables,
            error=_opt_text(d.get("error"), 500),
        )


def _wire_detail(value: object) -> Any:
    """A detail value: a bool, a finite number, a string, or a short list of finite numbers
    (a shape); anything else (NaN, infinities, nested objects) becomes None."""
    if isinstance(value, bool | int | float):
        return _wire_number(value)
    if isinstance(value, list):
        return [v for v in value[:32] if _finite(v) is not None]
    return clean_text(value, 500) if isinstance(value, str) else None


def encode(message: dict[str, Any]) -> bytes:
    """One wire line."""
    return (json.dumps(message, ensure_ascii=True, separators=(",", ":")) + "\n").encode()


def decode(line: bytes) -> dict[str, Any] | None:
    """A wire line, or None when it is not a JSON object (the caller treats it as garbage)."""
    try:
        data = json.loads(line.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
