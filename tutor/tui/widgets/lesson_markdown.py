"""The lesson's Markdown, with display math kept as drawn.

Display formulas arrive as ```` ```text ```` fences holding a 2-D drawing (stacked
fractions, matrices with bracket characters). Code fences wrap to the pane, but wrapping
a drawing breaks it apart, so math fences keep their lines and scroll sideways instead.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence


class MathAwareFence(MarkdownFence):
    """A fence that marks drawn math (`text` fences) with the `-math` class."""

    def __init__(self, markdown: Markdown, token: Any, code: str) -> None:
        super().__init__(markdown, token, code)
        if (getattr(token, "info", "") or "").strip() == "text":
            self.add_class("-math")


class LessonMarkdown(Markdown):
    """Markdown whose fences know drawn math from code."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name == "fence":
            return MathAwareFence
        return super().get_block_class(block_name)
