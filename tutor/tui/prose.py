"""Short prose from lessons and checks as terminal text: soft line breaks, `code` spans.

Hints, check feedback and question explanations are written like the lessons' Markdown
(wrapped lines, `tf.cast` in backticks) but shown in the log and the cards as Rich
`Text`. These pure functions reflow them and style the code spans without ever
reading markup, so nothing from a lesson or a kernel can style the screen.
"""

from __future__ import annotations

import re

from rich.text import Text

from tutor.textflow import plain_inline, reflow

#: How a `code` span looks in prose (bold keeps it readable with NO_COLOR).
CODE_STYLE = "bold"
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose_text(text: str, style: str = "") -> Text:
    """`text` reflowed, Markdown escapes undone, its `code` spans styled (the backticks
    dropped); never markup."""
    shown = Text(style=style)
    flowed = plain_inline(reflow(text))
    position = 0
    for span in _CODE_SPAN.finditer(flowed):
        shown.append(flowed[position : span.start()])
        shown.append(span.group(1), style=CODE_STYLE)
        position = span.end()
    shown.append(flowed[position:])
    return shown
