"""Chinese breaks between characters in Textual widgets and Rich text (tutor.tui.line_breaking)."""

from __future__ import annotations

import io
import itertools

from rich.console import Console
from rich.text import Text
from textual.content import Content

from tutor.textflow import display_width
from tutor.tui.line_breaking import install

SENTENCE = "做 m 组试验，每组掷 n 次，再用 tf.reduce_mean(x, axis=0) 求出各面的频率 freqs。"


def rich_lines(text: str, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    return [line.plain.rstrip() for line in Text(text).wrap(console, width)]


def test_textual_and_rich_fill_each_line_with_chinese() -> None:
    assert install()
    for width in (20, 30, 41):
        for lines in (
            [str(line).rstrip() for line in Content(SENTENCE).wrap(width)],
            rich_lines(SENTENCE, width),
        ):
            assert all(display_width(line) <= width for line in lines), lines
            # every line but the last is full, give or take one wide character or a
            # Latin token that did not fit
            for line, after in itertools.pairwise(lines):
                token = after.split(" ")[0] if after[:1].isascii() else after[:1]
                assert display_width(line) + 1 + display_width(token) > width, (line, after)
            assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")


def test_english_wraps_as_before() -> None:
    install()
    text = "the quick brown fox jumps over the lazy dog"
    assert [str(line) for line in Content(text).wrap(10)] == [
        "the quick",
        "brown fox",
        "jumps over",
        "the lazy",
        "dog",
    ]
    assert rich_lines(text, 10) == ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
