"""Tab completion for `--plain`: commands locally, Python names from the kernel.

Names and attributes (`tf.res` -> `tf.reshape`) come from the live namespace via
`Session.complete`, asked asynchronously so a slow or starting kernel never freezes
the prompt; after `COMPLETION_TIMEOUT` seconds there are simply no completions.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from tutor.line.commands import COMMANDS
from tutor.options import LANGUAGES

COMPLETION_TIMEOUT = 2.5
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?$")


class TutorCompleter(Completer):
    """Completes `:commands` and their arguments, and Python names through the kernel."""

    def __init__(
        self,
        complete: Callable[[str], Awaitable[list[str]]],
        lesson_ids: Callable[[], list[str]],
    ) -> None:
        self._complete = complete
        self._lesson_ids = lesson_ids

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        """Commands only: the kernel is asked in `get_completions_async`."""
        yield from self._command_completions(document.text_before_cursor)

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        before = document.text_before_cursor
        if before.lstrip().startswith(":"):
            for completion in self._command_completions(before):
                yield completion
            return
        match = _DOTTED.search(before)
        if match is None:
            return
        word = match.group()
        try:
            found = await asyncio.wait_for(self._complete(before), COMPLETION_TIMEOUT)
        except TimeoutError:
            return
        for name in found:
            if name.startswith(word.rpartition(".")[0]):
                yield Completion(
                    name, start_position=-len(word), display=name.rpartition(".")[2] or name
                )

    def _command_completions(self, before: str) -> Iterable[Completion]:
        text = before.lstrip()
        if not text.startswith(":"):
            return
        name, space, argument = text[1:].partition(" ")
        if not space:
            for command in COMMANDS:
                if command.startswith(name):
                    yield Completion(":" + command, start_position=-len(text))
            return
        choices: list[str] = []
        if name == "goto" and " " not in argument:
            choices = self._lesson_ids()
        elif name == "lang":
            choices = list(LANGUAGES)
        for choice in choices:
            if choice.startswith(argument):
                yield Completion(choice, start_position=-len(argument))
