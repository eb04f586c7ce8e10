"""The interactive prompt of `--plain`: `>>> ` / `... `, history, Tab completion, Ctrl-C.

Enter runs the input once it is a complete statement (Python REPL rules, see
`code_input.is_complete`), otherwise it starts a new, auto-indented line. Ctrl-C
at the prompt clears the line; while a cell runs it interrupts the cell (the kernel
gets SIGINT, the tutor keeps going). Ctrl-D on an empty line leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prompt_toolkit import PromptSession
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.lexers import Lexer, PygmentsLexer
from prompt_toolkit.output.color_depth import ColorDepth

from tutor.line.code_input import is_complete
from tutor.line.completer import TutorCompleter
from tutor.line.line_tutor import LineTutor
from tutor.line.strings import yes_replies

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

INDENT = "    "


def color_allowed() -> bool:
    """Colours unless NO_COLOR is set or the terminal is dumb."""
    return "NO_COLOR" not in os.environ and os.environ.get("TERM", "") != "dumb"


def _python_lexer() -> Lexer:
    # Pygments always installed (Rich and Textual depend on it); imported when the prompt
    # is built, not when the module is.
    from pygments.lexers.python import PythonLexer

    return PygmentsLexer(PythonLexer)


def key_bindings() -> KeyBindings:
    """Enter runs complete input or adds an indented line; Tab indents or completes."""
    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.document.is_cursor_at_the_end and is_complete(buffer.text):
            cleaned = buffer.text.rstrip()
            if cleaned != buffer.text:
                buffer.set_document(Document(cleaned), bypass_readonly=True)
            buffer.validate_and_handle()
            return
        line = buffer.document.current_line_before_cursor
        indent = line[: len(line) - len(line.lstrip())]
        if line.rstrip().endswith(":"):
            indent += INDENT
        buffer.insert_text("\n" + indent)

    at_line_start = Condition(lambda: not _current_line_before_cursor().strip())

    @bindings.add("tab", filter=at_line_start)
    def _indent(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text(INDENT)

    return bindings


def _current_line_before_cursor() -> str:
    from prompt_toolkit.application.current import get_app

    return get_app().current_buffer.document.current_line_before_cursor


def prompt_session(
    tutor: LineTutor,
    *,
    history: History | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> PromptSession[str]:
    """The prompt for cells and commands, wired to the tutor's session."""
    session = tutor.session
    colours = color_allowed()
    return PromptSession(
        message=">>> ",
        multiline=True,
        prompt_continuation=lambda width, line, soft: "... ",
        key_bindings=key_bindings(),
        history=history or InMemoryHistory(),
        completer=TutorCompleter(
            session.complete, lambda: [lesson.id for lesson in session.course.lessons]
        ),
        complete_while_typing=False,
        lexer=_python_lexer() if colours else None,
        color_depth=None if colours else ColorDepth.MONOCHROME,
        enable_open_in_editor=False,
        input=input,
        output=output,
    )


@contextlib.contextmanager
def interrupts_cell(tutor: LineTutor) -> Iterator[None]:
    """While the body runs, Ctrl-C (SIGINT) interrupts the kernel's cell, not the tutor."""
    loop = asyncio.get_running_loop()
    pending: set[asyncio.Task[None]] = set()

    def on_sigint() -> None:
        tutor.say("interrupting")
        task = loop.create_task(tutor.session.interrupt())
        pending.add(task)
        task.add_done_callback(pending.discard)

    try:
        loop.add_signal_handler(signal.SIGINT, on_sigint)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
        installed = False
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


async def run_interactive(
    tutor: LineTutor,
    *,
    history: History | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> int:
    """Prompt, run, print, until `:quit` or Ctrl-D. Returns the exit status (0)."""
    prompt = prompt_session(tutor, history=history, input=input, output=output)

    async def confirm(question: str, default: bool = False) -> bool:
        ask: PromptSession[str] = PromptSession(input=input, output=output)
        try:
            reply = await ask.prompt_async(question)
        except (KeyboardInterrupt, EOFError):
            return False
        reply = reply.strip().lower()
        if not reply:
            return default
        return reply in yes_replies()

    tutor.set_confirm(confirm)
    tutor.say("welcome")
    tutor.show_step()
    kernel = tutor.session.kernel
    starting = asyncio.get_running_loop().create_task(kernel.start())
    if kernel.info is None:
        tutor.say("loading")  # and again, briefly, if something waits for it (tell_start)
    try:
        while not tutor.done:
            try:
                text = await prompt.prompt_async(default=tutor.take_pending_input())
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            with interrupts_cell(tutor):
                await tutor.handle(text)
    finally:
        if not starting.done():
            starting.cancel()
        with contextlib.suppress(BaseException):
            await starting
    tutor.say("bye")
    return 0
