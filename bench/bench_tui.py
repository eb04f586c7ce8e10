"""Figures for the Textual tutor (prints, asserts nothing).

- time to first frame of `TutorApp`, against a bare Textual app composing the same
  widgets, measured in the same run, each in a fresh process (imports included, bytecode
  cached as after an install), as wall time and as the child's CPU time;
- time until the kernel is ready (TensorFlow imported in the fork server, a kernel forked);
- input echo latency while a long cell runs (the UI loop stays free);
- RSS of the UI process, and whether TensorFlow stayed out of it.

Run: `uv run python bench/bench_tui.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

FIRST_FRAME_CHILD = r"""
import os, resource, sys, time
launched = float(os.environ["BENCH_LAUNCHED"])
from textual.app import App

# The first frame is the first screen the app paints (`App._display` is where Textual
# writes a frame to the terminal; headless, it is called and writes nothing): work an
# app defers until after its first refresh is not in the figure, as the learner does
# not wait for it.
painted = App._display

def first_paint(self, screen, renderable):
    if renderable is not None and not getattr(self, "_bench_reported", False):
        self._bench_reported = True
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(time.time() - launched, usage.ru_utime + usage.ru_stime, flush=True)
        os._exit(0)  # the figure is taken; nothing after the first frame matters here
    painted(self, screen, renderable)

App._display = first_paint
which = sys.argv[1]
if which == "bare":
    from textual.containers import Grid, Vertical, VerticalScroll
    from textual.widgets import Footer, Markdown, OptionList, Static, TextArea

    class Bare(App[None]):
        def compose(self):
            with Grid():
                with VerticalScroll():
                    yield Static("heading")
                    yield Markdown("")
                with Vertical():
                    yield VerticalScroll()
                    yield OptionList()
                    yield TextArea()
                with VerticalScroll():
                    yield Static("No tensors yet")
            yield Static("status")
            yield Footer()

    app = Bare()
else:
    from tutor.tui.app import TutorApp

    def never():
        raise RuntimeError("the session is built after the first frame; not needed here")

    app = TutorApp(never)
app.run(headless=True, size=(140, 40))
"""


def first_frame(which: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from launching a fresh interpreter to the first frame."""
    env = dict(os.environ, BENCH_LAUNCHED=repr(time.time()))
    # As installed: bytecode cached (kept out of the source tree), not compiled each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "bench-pycache"))
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_CHILD, which],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = out.stdout.strip().splitlines()[0].split()
    return float(wall), float(cpu)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def echo_latencies(pilot: Any, cell_input: Any) -> list[float]:
    """Milliseconds from a key press to the character being in the input, ten times."""
    latencies = []
    for char in "abcdefghij":
        before = time.perf_counter()
        await pilot.press(char)
        while not cell_input.text.endswith(char):
            await pilot.pause(0.001)
        latencies.append((time.perf_counter() - before) * 1000)
    return latencies


async def kernel_figures() -> None:
    from tutor.options import Options
    from tutor.session import open_session
    from tutor.tui.app import TutorApp
    from tutor.tui.widgets.cell_input import CellInput

    started = time.perf_counter()
    app = TutorApp(lambda: open_session(Options(device="cpu", timeout=60)))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.tutor_screen
        while screen.kernel_status != "ready":
            await pilot.pause(0.05)
        ready = time.perf_counter() - started
        print(f"kernel ready after            {ready:8.2f} s (from app start)")
        cell_input = screen.query_one("#input", CellInput)
        cell_input.focus()
        idle = await echo_latencies(pilot, cell_input)
        cell_input.load_text("s = 0\nfor i in range(40_000_000):\n    s += i\n")
        cell_input.move_cursor(cell_input.document.end)
        await pilot.press("enter")
        while screen.kernel_status != "busy":
            await pilot.pause(0.01)
        latencies = await echo_latencies(pilot, cell_input)
        still_busy = screen.kernel_status == "busy"
        print(
            f"input echo while a cell runs  {statistics.median(latencies):8.2f} ms median, "
            f"{max(latencies):.2f} ms max (cell still running: {still_busy}); "
            f"idle: {statistics.median(idle):.2f} ms (Pilot's own key round trip included)"
        )
        print(f"UI process RSS                {rss_mib():8.1f} MiB")
        print(f"tensorflow in the UI process  {'tensorflow' in sys.modules!s:>8}")
        await pilot.press("ctrl+c")
        await screen.session.kernel.close() if screen.session else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    print(f"load average {os.getloadavg()[0]:.2f} (CPU time is the steadier figure under load)")
    bare, tutor = [], []
    first_frame("bare")  # warm the file and bytecode caches for both
    first_frame("tutor")
    for _ in range(args.rounds):
        bare.append(first_frame("bare"))
        tutor.append(first_frame("tutor"))
    for i, what in ((0, "wall"), (1, "CPU ")):
        b = statistics.median(x[i] for x in bare)
        t = statistics.median(x[i] for x in tutor)
        print(
            f"first frame ({what}), bare app {b * 1000:7.1f} ms, tutor {t * 1000:7.1f} ms "
            f"median of {args.rounds} ({t / b:.2f}x the bare app; goal <= 1.15x)"
        )
    os.environ.setdefault("TUTOR_HOME", tempfile.mkdtemp(prefix="bench-tui-"))
    asyncio.run(kernel_figures())


if __name__ == "__main__":
    main()
