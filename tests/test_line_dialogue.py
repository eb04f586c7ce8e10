"""`--plain` as a transcript, a screen reader and a learner at a lesson's end read it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from fake_kernel import FakeKernel
from line_course import make_tutor

from tutor.kernel.protocol import CellResult
from tutor.line.line_tutor import help_lines
from tutor.line.script import run_script
from tutor.textflow import display_width


async def script(text: str, **kwargs: object) -> str:
    tutor, _, out = make_tutor(**kwargs)  # type: ignore[arg-type]
    await run_script(tutor, io.StringIO(text))
    return out.getvalue()


async def test_a_piped_script_reads_as_a_dialogue() -> None:
    out = await script(":goto tensors 2\nfor i in range(2):\n    A = tf.zeros(5)\n\n:check\n")
    lines = out.splitlines()
    # each input after its prompt, and what it did right after it
    check = lines.index(">>> :check")
    assert lines[lines.index(">>> for i in range(2):") + 1] == "...     A = tf.zeros(5)"
    assert lines[check + 1] == "Check: not yet."
    assert lines.index(">>> :goto tensors 2") < lines.index(">>> for i in range(2):") < check


def test_a_real_pipe_echoes_its_input(tutor_home: Path) -> None:
    env = {**os.environ, "TUTOR_HOME": str(tutor_home), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--plain", "--lang", "en"],
        input=":lessons\n:quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == ">>> :lessons" and lines[1].startswith("Lessons (")
    assert ">>> :quit" in lines


def test_help_fits_the_terminal_without_stray_lines() -> None:
    for lang in ("en", "zh"):
        for width in (60, 80, 100):
            lines = help_lines(lang, width)
            assert all(display_width(line) <= width for line in lines), (lang, width)
            commands = [line for line in lines if line.startswith("  :")]
            assert len(commands) == 13
            # a description that goes on does so under itself, never at the margin
            first = lines.index(commands[0])
            last = lines.index(commands[-1])
            block = lines[first : last + 1]
            assert all(line.startswith(("  :", " " * 24)) for line in block), (lang, width)


async def test_goto_says_tensorflow_is_starting_first() -> None:
    out = await script(":goto derivatives\n:goto tensors\n")
    assert out.count("TensorFlow is starting") == 1
    assert out.index("TensorFlow is starting") < out.index("Lesson 2 of 2")


async def test_counts_speak_in_the_singular_and_the_plural() -> None:
    tutor, _, out = make_tutor()
    await tutor.handle("a = 1")
    await tutor.handle(":restart")
    assert ":replay re-runs your 1 earlier cell of this lesson." in out.getvalue()
    await tutor.handle(":replay")
    await tutor.handle("b = 2")
    await tutor.handle(":restart")
    assert ":replay re-runs your 2 earlier cells of this lesson." in out.getvalue()
    assert "Replayed 1 cell (0 failed, 0 skipped)." in out.getvalue()


async def test_out_of_memory_is_said_once() -> None:
    message = "The cell used more than 5.9 GiB of memory, so the kernel was stopped."

    def killed(code: str, count: int) -> CellResult:
        return CellResult.failed("killed", "MemoryError", message, hint="Make tensors smaller.")

    out = await script("x = tf.ones((1 << 15, 1 << 15))\n", kernel=FakeKernel(killed))
    assert out.count("memory") == 1, out
    assert "Make tensors smaller." in out


async def test_a_wrong_option_is_named_and_a_hint_offered() -> None:
    out = await script(":goto tensors 3\n3\n:hint\n")
    assert "Not (c) it is undefined. Try another option. :hint gives a hint." in out
    assert "Hint 1: S and S ∪ ∅ are the same event." in out


async def test_a_lesson_ends_with_its_summary_before_the_next() -> None:
    out = await script(":goto tensors 3\n:hint\n2\n:next\n")
    end = out.index("End of lesson 1: Tensors.")
    assert "1 of 2 exercises and questions passed." in out[end:]
    assert "1 hint used." in out[end:]
    assert out.index("Lesson 2 of 2: Derivatives") > end  # a script goes on


async def test_a_learner_may_stay_at_a_lessons_end() -> None:
    tutor, _, out = make_tutor()
    asked: list[str] = []

    async def stay(question: str, default: bool = True) -> bool:
        asked.append(question)
        return False

    tutor.set_confirm(stay)
    await tutor.handle(":goto tensors 3")
    await tutor.handle(":next")
    assert asked == ["Go on to lesson 2: Derivatives? [Y/n] "]
    assert tutor.session.lesson.id == "tensors" and "you stay" in out.getvalue().lower()
