"""Every lesson's Chinese, laid out at 80 and 200 columns, breaks like Chinese.

A line may end before a Latin token (a name, a number, code) only when the token did
not fit on it: "做 m 组试验，每组掷 n" / "次，…" (a half-empty line before "次") or
"还不对：" / "freqs 的形状…" are what this guards against. The tutor's Markdown is
rendered by Textual's own widget (as the lesson pane and the cards show it) and by
the line mode's text layout; both must hold for every paragraph of every lesson.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownParagraph
from tui_pilot import screen_text

from tutor.curriculum.loader import load_course
from tutor.curriculum.model import Lesson
from tutor.kernel.protocol import CheckResult
from tutor.line.lesson_text import markdown_lines
from tutor.line.result_text import check_lines
from tutor.textflow import break_unit, display_width
from tutor.tui.line_breaking import install

WIDTHS = (80, 200)
#: The start of a line that is a Latin token: a word, a number, a piece of code.
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9_`$\\(\[][^\s\u2e80-\uffef]*")
#: Lines that begin a block rather than continue a paragraph (line mode).
_BLOCK_START = re.compile(r"^\s*([-*+]|\d+[.)]|\|)\s")


def bad_breaks(lines: list[str], width: int) -> list[tuple[str, str]]:
    """Pairs of lines of one paragraph where the second starts with a Latin token that
    would have fitted, with a space before it, at the end of the first."""
    found = []
    for line, after in itertools.pairwise(lines):
        if not _LATIN_TOKEN.match(after.lstrip()) or not line.strip():
            continue
        # the token with what must stay with it (closing punctuation: "f，")
        unit = break_unit().match(after.lstrip())
        assert unit is not None
        if display_width(line.rstrip()) + 1 + display_width(unit.group().rstrip()) <= width:
            found.append((line, after))
    return found


def too_wide(lines: list[str], width: int) -> list[str]:
    """Lines of prose wider than the terminal (code, indented, keeps its lines)."""
    return [line for line in lines if not line.startswith("    ") and display_width(line) > width]


def lesson_markdown(lesson: Lesson) -> Iterator[str]:
    """Every piece of Markdown a learner reads in a lesson: prose, tasks, hints, feedback."""
    for step in lesson.steps:
        yield step.text
        if step.exercise is not None:
            yield step.exercise.prompt
            yield from step.exercise.hints
            yield from step.exercise.feedback.values()
        if step.question is not None:
            yield step.question.prompt
            yield from step.question.options
            yield from step.question.hints
            if step.question.explanation:
                yield step.question.explanation


class MarkdownPage(App[None]):
    """One lesson's Markdown, all of it on one tall screen."""

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Markdown(self.markdown)


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
async def test_the_tui_breaks_chinese_only_where_a_latin_token_did_not_fit(width: int) -> None:
    install()
    problems: list[str] = []
    for lesson in load_course("zh").lessons:
        document = "\n\n".join(lesson_markdown(lesson))
        app = MarkdownPage(document)
        height = 4 * document.count("\n") + 200
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            screen = screen_text(app).split("\n")
            for paragraph in app.query(MarkdownParagraph):
                region = paragraph.content_region
                lines = [
                    row[region.x : region.right].rstrip()
                    for row in screen[region.y : region.bottom]
                ]
                problems += [
                    f"{lesson.id}: {a!r} / {b!r}" for a, b in bad_breaks(lines, region.width)
                ]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("width", WIDTHS)
def test_line_mode_breaks_chinese_only_where_a_latin_token_did_not_fit(width: int) -> None:
    problems: list[str] = []
    course = load_course("zh")  # step_lines lays each of these out with markdown_lines
    for lesson in course.lessons:
        for exercise in lesson.exercises:  # a check's verdict line, then its words
            for text in exercise.feedback.values():
                lines = check_lines(CheckResult(passed=False, feedback=text), "zh", width)[1:]
                problems += [f"{lesson.id}: {a!r} / {b!r}" for a, b in bad_breaks(lines, width)]
                problems += [f"{lesson.id}: too wide: {a!r}" for a in too_wide(lines, width)]
        for text in lesson_markdown(lesson):
            paragraph: list[str] = []
            laid_out = markdown_lines(text, width)
            problems += [f"{lesson.id}: too wide: {a!r}" for a in too_wide(laid_out, width)]
            for line in [*laid_out, ""]:
                if not line.strip() or line.startswith("    ") or _BLOCK_START.match(line):
                    problems += [
                        f"{lesson.id}: {a!r} / {b!r}" for a, b in bad_breaks(paragraph, width)
                    ]
                    paragraph = [line] if _BLOCK_START.match(line) else []
                else:
                    paragraph.append(line)
    assert not problems, "\n".join(problems[:20])


def test_the_check_finds_a_bad_break() -> None:
    assert bad_breaks(["做 m 组试验，每组掷", "n 次，再算频率"], 40)
    assert not bad_breaks(["做 m 组试验，每组掷 n 次，再算频", "率"], 30)
    assert not bad_breaks(["一二三四五六七八", "tf.reduce_mean(x)"], 20)
    assert not bad_breaks(["一二三四五六七八九", "f，结果"], 20)  # "f，" stays together
