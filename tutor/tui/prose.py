"""Short prose from lessons and checks as terminal text: soft line breaks, `code` spans.

Hints, check feedback and question explanations are written like the lessons' Markdown
(wrapped lines, `tf.cast` in backticks) but shown in the log and the cards as Rich
`Text`. These pure functions reflow them and style the code spans without ever
reading markup, so nothing from a lesson or a kernel can style the screen.
"""

from __future__ import annotations

import re

from rich.text import Text

#: How a `code` span looks in prose (bold keeps it readable with NO_COLOR).
CODE_STYLE = "bold"
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")
#: A line that starts a Markdown block of its own (list item, heading, quote, table).
_BLOCK_START = re.compile(r"^\s*([-*+>#|]|\d+[.)])\s")


def is_wide(char: str) -> bool:
    """Whether `char` is written without spaces between words (Chinese, Japanese)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x3000 <= code <= 0x303F
    )


def _joiner(before: str, after: str) -> str:
    """What a soft line break between two lines becomes: nothing between CJK, else a space."""
    if before and after and is_wide(before[-1]) and is_wide(after[0]):
        return ""
    return " "


def reflow(text: str) -> str:
    """Join the lines of each paragraph; blank lines and list items keep their breaks."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = [line.strip() for line in block.split("\n")]
        joined = lines[0] if lines else ""
        for line in lines[1:]:
            if _BLOCK_START.match(line):
                joined += "\n" + line
            else:
                joined += _joiner(joined, line) + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def prose_text(text: str, style: str = "") -> Text:
    """`text` reflowed, its `code` spans styled (the backticks dropped); never markup."""
    shown = Text(style=style)
    flowed = reflow(text)
    position = 0
    for span in _CODE_SPAN.finditer(flowed):
        shown.append(flowed[position : span.start()])
        shown.append(span.group(1), style=CODE_STYLE)
        position = span.end()
    shown.append(flowed[position:])
    return shown


def join_wide_soft_breaks(markdown: str) -> str:
    """Markdown with the line breaks between two CJK characters removed (outside code).

    A soft break renders as a space, which splits a Chinese sentence where the
    source file happened to wrap it.
    """
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        previous = out[-1] if out else ""
        if (
            not fenced
            and out
            and previous.strip()
            and line.strip()
            and not _BLOCK_START.match(line)
            and not _FENCE.match(previous)
            and _joiner(previous.rstrip(), line.lstrip()) == ""
        ):
            out[-1] = previous.rstrip() + line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)
