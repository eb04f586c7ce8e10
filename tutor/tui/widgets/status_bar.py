"""The status line: kernel state, device, TensorFlow version, isolation, lesson, exercises."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from tutor.tui.strings import EN, UiStrings
from tutor.words import tell

if TYPE_CHECKING:
    from tutor.kernel.protocol import KernelInfo, Said

_STATE_STYLE = {
    "starting": "bold yellow",
    "ready": "bold green",
    "busy": "bold cyan",
    "restarting": "bold yellow",
    "dead": "bold red",
}


def status_detail(detail: Said | None, lang: str) -> str:
    """The kernel client's status detail (message id and facts) in the learner's words."""
    return tell(lang, detail)


@dataclass(frozen=True)
class StatusFacts:
    """What the status bar shows; replaced whole, so a render never sees half an update."""

    kernel: str = "starting"
    #: Why the kernel is in that state, while it matters (the kernel client's words).
    detail: Said | None = None
    info: KernelInfo | None = None
    lesson_number: int = 0
    lesson_total: int = 0
    done: int = 0
    total: int = 0
    #: While the learner's record is not being saved: why, in a few words (else "").
    store: str = ""


def status_text(facts: StatusFacts, strings: UiStrings) -> Text:
    """The status line as Text: pieces separated by a dim bar; the detail only while it matters."""
    sep = (" │ ", "dim")
    state = strings.kernel_states.get(facts.kernel, facts.kernel)
    parts: list[Text] = [
        Text.assemble(
            (strings.kernel + " ", "dim"), (state, _STATE_STYLE.get(facts.kernel, "bold"))
        )
    ]
    detail = status_detail(facts.detail, strings.lang) if facts.kernel != "ready" else ""
    if detail:
        parts[0].append(f" ({detail})", style="dim")
    info = facts.info
    if info is not None:
        device = ", ".join(d.removeprefix("/device:") for d in info.devices) or "CPU"
        parts.append(Text(device))
        parts.append(Text.assemble(("TF ", "dim"), info.tensorflow))
        level = info.isolation_level
        parts.append(
            Text.assemble(
                (strings.isolation + " ", "dim"), strings.isolation_levels.get(level, level)
            )
        )
    if facts.lesson_total:
        parts.append(
            Text(strings.lesson_of.format(n=facts.lesson_number, total=facts.lesson_total))
        )
    if facts.total:
        parts.append(Text(strings.exercises_done.format(done=facts.done, total=facts.total)))
    if facts.store:  # first, so a narrow terminal cuts anything but this
        parts.insert(0, Text(f"⚠ {facts.store}", style="bold red"))
    line = Text()
    for i, part in enumerate(parts):
        if i:
            line.append(*sep)
        line.append_text(part)
    return line


class StatusBar(Widget):
    """One line at the bottom; `update_facts(...)` changes some facts and redraws."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, strings: UiStrings = EN, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts = StatusFacts()
        self.strings = strings

    def update_facts(self, **changes: object) -> None:
        self.facts = replace(self.facts, **changes)  # type: ignore[arg-type]
        self.refresh()

    def set_strings(self, strings: UiStrings) -> None:
        self.strings = strings
        self.refresh()

    def render(self) -> Text:
        return status_text(self.facts, self.strings)
