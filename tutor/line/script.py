"""Script mode of `--plain`: cells and commands read line by line from a pipe or file.

`printf 'x = tf.range(4)\n:vars\n' | tutor --plain --lesson tensors` runs the cell,
prints the inspector and exits; each input is echoed after a `>>> ` prompt (`... `
for its further lines), so the transcript reads like the interactive session. The lines are split into cells by Python REPL rules
(`code_input.ScriptSplitter`). Exit status: 0, or 1 when a `:check` did not pass.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from tutor.line.code_input import ScriptSplitter
from tutor.line.line_tutor import LineTutor


async def run_script(tutor: LineTutor, source: TextIO) -> int:
    """Run every cell and command of `source` in order; stop at EOF or `:quit`."""
    loop = asyncio.get_running_loop()
    splitter = ScriptSplitter()
    while not tutor.done:
        line = await loop.run_in_executor(None, source.readline)
        items = splitter.feed(line) if line else splitter.close()
        for item in items:
            tutor.echo(item)  # the transcript shows what ran, as the prompt would
            await tutor.handle(item)
            if tutor.done:
                break
        if not line:
            break
    return 1 if tutor.check_failed else 0
