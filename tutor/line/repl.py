"""`tutor --plain`: the line-mode tutor's entry point (`run(options) -> exit status`).

Interactive when stdin and stdout are terminals; otherwise script mode, reading
cells and commands from stdin. Either way the learner's session is the one
`tutor.session.open_session` builds, the same as the Textual tutor's.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

from tutor.line.line_tutor import LineTutor, terminal_width
from tutor.options import Options

if TYPE_CHECKING:
    from tutor.curriculum.model import Course
    from tutor.session import Session


def _load_course(lang: str) -> Course:
    from tutor.curriculum.loader import load_course

    return load_course(lang)


def run(options: Options) -> int:
    """Open the learner's session and run the line tutor on it."""
    from tutor.session import open_session

    session = open_session(options)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    try:
        return asyncio.run(_main(session, interactive))
    except KeyboardInterrupt:
        return 130


async def _main(session: Session, interactive: bool) -> int:
    store = session.store
    notices = session.store_notices()  # a damaged record repaired, nothing saved...
    try:
        if interactive:
            from tutor.line.history import history_for
            from tutor.line.interactive import color_allowed, run_interactive

            tutor = LineTutor(
                session,
                sys.stdout,
                width=terminal_width(),
                color=color_allowed(),
                load_course=_load_course,
            )
            tutor.tell_store(notices)
            return await run_interactive(tutor, history=history_for(store))
        from tutor.line.script import run_script

        tutor = LineTutor(session, sys.stdout, width=terminal_width(), load_course=_load_course)
        tutor.tell_store(notices)
        return await run_script(tutor, sys.stdin)
    finally:
        # Everything is saved as it happens; what still could not be saved is said.
        for event in await session.close():
            print(session.store_message(event), file=sys.stderr)
