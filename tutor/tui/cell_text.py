"""What the evaluator's log shows for a cell: In/Out numbers, output, errors and their hints.

Pure functions from a cell's code and `CellResult` to Rich renderables. Everything the
kernel sent is untrusted, so it only ever becomes `Text(...)` (never markup) — a cell
printing "[bold red]x[/]" shows those characters literally.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tutor.kernel.protocol import CellResult, CheckResult
from tutor.session import names_lost_by
from tutor.textflow import gap
from tutor.tui.prose import prose_text
from tutor.tui.strings import UiStrings
from tutor.words import tell


def _prompted(prompt: Text, body: RenderableType) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(prompt, body)
    return grid


def in_prompt(number: int | None) -> Text:
    """`In [3]:`, or `In [ ]:` for a cell that has not run yet."""
    shown = " " if not number else str(number)
    return Text(f"In [{shown}]:", style="bold green")


def code_renderable(code: str) -> Syntax:
    """The learner's code, highlighted (Pygments via Rich, no tree-sitter needed)."""
    return Syntax(code, "python", theme="ansi_dark", background_color="default", word_wrap=True)


def input_entry(code: str, number: int | None, note: str = "") -> RenderableType:
    """The echo of a submitted cell, with a note such as "queued"."""
    parts: list[RenderableType] = [_prompted(in_prompt(number), code_renderable(code))]
    if note:
        parts.append(Text(note, style="dim italic"))
    return Group(*parts)


def result_entry(result: CellResult, strings: UiStrings) -> RenderableType | None:
    """Output, value, error and hint of a finished cell; None when it showed nothing."""
    parts: list[RenderableType] = []
    if result.stdout:
        parts.append(Text(result.stdout.rstrip("\n")))
    if result.stderr:
        parts.append(Text(result.stderr.rstrip("\n"), style="yellow"))
    parts += [Text(tell(strings.lang, note), style="yellow") for note in result.notes]
    if result.value is not None:
        out = Text(f"Out[{result.execution_count or ' '}]:", style="bold red")
        if "\n" in result.value:
            # A matrix's rows get the log's whole width (as IPython prints them), so
            # they do not fold beside the prompt.
            parts.append(Group(out, Text(result.value)))
        else:
            parts.append(_prompted(out, Text(result.value)))
    if names_lost_by(result):
        parts.append(lost_kernel_entry(result, strings))
    elif result.outcome == "interrupted":  # stopped in place: names kept, nothing more to say
        parts.append(Text(strings.interrupted, style="bold yellow"))
    elif result.error is not None:
        parts.append(error_entry(result, strings.lang))
    return Group(*parts) if parts else None


def error_entry(result: CellResult, lang: str) -> RenderableType:
    """The error in the learner's terms: type and message, the plain-words hint, the traceback
    (the kernel's words said in `lang`)."""
    error = result.error
    assert error is not None
    parts: list[RenderableType] = []
    if error.traceback:
        parts.append(Text(error.traceback.rstrip("\n"), style="dim"))
    headline = Text.assemble((error.type, "bold red"), ": ", tell(lang, error.message))
    parts.append(headline)
    if error.hint:
        hint = tell(lang, error.hint)
        parts.append(Text.assemble(("→ ", "bold cyan"), prose_text(hint, "cyan")))
    return Group(*parts)


def lost_kernel_entry(result: CellResult, strings: UiStrings) -> RenderableType:
    """A kernel that timed out, was killed or crashed, told plainly with the way back."""
    # The headline names what happened; the supervisor's message says why (for a kill,
    # the memory it used), so the headline does not guess at it.
    what = strings.kernel_lost.get(result.outcome, strings.kernel_lost["crashed"])
    parts: list[RenderableType] = [Text(what, style="bold red")]
    if result.error and result.error.message:
        parts.append(Text(tell(strings.lang, result.error.message)))
    parts.append(Text(strings.kernel_lost_detail))
    if result.outcome == "killed" and result.error and result.error.hint:
        # the way to avoid it (smaller tensors); the way back is the replay offer below
        hint = tell(strings.lang, result.error.hint)
        parts.append(Text.assemble(("→ ", "bold cyan"), prose_text(hint, "cyan")))
    parts.append(Text(strings.replay_offer, style="bold"))
    return Group(*parts)


def check_entry(check: CheckResult, strings: UiStrings, encouragement: str) -> RenderableType:
    """A check's verdict: a word of encouragement and the way on, or the diagnosis."""
    if check.passed:
        words = check.feedback or encouragement
        return Group(
            Text.assemble(("✓ ", "bold green"), prose_text(words, "bold green")),
            Text(strings.way_on, style="green"),
        )
    between = gap(strings.not_yet, check.feedback)
    return Text.assemble(
        ("✗ ", "bold yellow"), (strings.not_yet + between, "bold"), prose_text(check.feedback)
    )
