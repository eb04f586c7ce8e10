"""The UI process never imports TensorFlow (nor NumPy): only the kernel's worker does.

A subprocess goes through the UI's real code paths — the CLI, both frontends' modules,
a Session over the real course and store, a real kernel started and a cell run — and
then looks at its own `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    import tutor.cli, tutor.session, tutor.kernel.client, tutor.curriculum.loader
    import tutor.progress, tutor.feedback, tutor.validate
    import tutor.tui.app, tutor.line.repl
    from tutor.options import Options
    from tutor.session import open_session

    async def main():
        session = open_session(Options(lang="en", device="cpu"))
        await session.goto(session.course.lessons[0].id)
        report = await session.run_cell("x = tf.Variable(tf.range(4, dtype=tf.float32))")
        await session.kernel.close()
        return report.result.outcome

    outcome = asyncio.run(main())
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "numpy", "keras"))
    print(json.dumps({"outcome": outcome, "heavy": heavy}))
    """
)


def test_ui_process_never_imports_tensorflow() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["outcome"] == "ok"
    assert report["heavy"] == []
