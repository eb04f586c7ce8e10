"""Chinese that wraps like Chinese in every Textual widget and Rich renderable.

Textual (`textual._wrap.chunks`) and Rich (`rich._wrap.words`) break lines only at
whitespace. A Chinese sentence has none, so it is one long "word": it jumps to the
next line whole, leaving the line before it half empty ("做 m 组试验，每组掷 n" /
"次，…"), and is then cut wherever the width ends. Neither library has a setting for
this, so `install()` replaces those two word splitters with ones that also break
between CJK characters (`tutor.textflow.break_unit`: Latin words, numbers and code
tokens stay whole, closing punctuation never starts a line). English text splits
exactly as before. Every widget benefits at once: prose, cards, the log, toasts,
the palette, the help.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from tutor.textflow import break_unit, spaced_unit

log = logging.getLogger(__name__)


_ORIGINAL: dict[str, Callable[[str], Iterable[tuple[int, int, str]]]] = {}


def textual_chunks(text: str) -> Iterator[tuple[int, int, str]]:
    """`textual._wrap.chunks`: (start, end, piece) with the spaces after each piece.

    ASCII text breaks only at spaces, as Textual's own splitter does: that one is used
    (the wide CJK pattern is then never compiled, which keeps it off the first frame)."""
    if text.isascii() and "textual" in _ORIGINAL:
        yield from _ORIGINAL["textual"](text)
        return
    for match in break_unit().finditer(text):
        yield match.start(), match.end(), match.group()


def rich_words(text: str) -> Iterator[tuple[int, int, str]]:
    """`rich._wrap.words`: (start, end, piece) with the spaces before and after it."""
    if text.isascii() and "rich" in _ORIGINAL:
        yield from _ORIGINAL["rich"](text)
        return
    for match in spaced_unit().finditer(text):
        yield match.start(), match.end(), match.group()


def install() -> bool:
    """Put the CJK-aware splitters in place (idempotent); False if a library changed shape.

    A test renders Chinese through a Textual widget and a Rich `Text`, so an upgrade
    that renames these functions fails loudly there instead of silently here.
    """
    try:
        import rich._wrap as rich_wrap
        import textual._wrap as textual_wrap
    except ImportError:  # private modules: a Rich or Textual release may move them
        log.warning("could not install CJK line breaking: a module moved")
        return False
    if not callable(getattr(textual_wrap, "chunks", None)) or not callable(
        getattr(rich_wrap, "words", None)
    ):
        log.warning("could not install CJK line breaking: a word splitter moved")
        return False
    if textual_wrap.chunks is not textual_chunks:
        _ORIGINAL["textual"] = textual_wrap.chunks
        textual_wrap.chunks = textual_chunks
    if rich_wrap.words is not rich_words:
        _ORIGINAL["rich"] = rich_wrap.words
        rich_wrap.words = rich_words
    return True
