"""Text for terminals in two scripts: display width, CJK-aware joining and wrapping.

Lesson sources are hard-wrapped. Joining wrapped lines with a space is right for English
and wrong for Chinese (a space would appear mid-sentence); a Chinese character also takes
two terminal columns. These pure functions are shared by the lesson parser and both
frontends.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)


# Compiled when first used: these wide character classes are slow to compile, and an
# app's first frame does not need them.
@functools.cache
def _cjk_break() -> re.Pattern[str]:
    return re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")


@functools.cache
def _is_cjk() -> re.Pattern[str]:
    return re.compile(rf"[{_CJK}]")


def is_cjk(char: str) -> bool:
    return bool(_is_cjk().match(char))


def char_width(char: str) -> int:
    """Terminal columns a character takes: 2 for wide East Asian, 0 for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def join_cjk_breaks(text: str) -> str:
    """Remove the line breaks of hard-wrapped text that fall between two CJK characters."""
    return _cjk_break().sub("", text)


def join_lines(lines: list[str]) -> str:
    """One paragraph from its wrapped lines: a space between words, none between CJK."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out


_CLOSING = "，。、；：！？）》」』】〕…,.;:!?)"
_OPENING = "（《「『【〔"


def _tokens(text: str) -> list[str]:
    """Breakable pieces: words with their trailing spaces, and single CJK characters.

    Closing punctuation stays with the character before it and opening punctuation with
    the one after it, so no line starts with `，` or ends with `（` (kinsoku).
    """
    cjk = rf"[{_OPENING}]*[{_CJK}][{_CLOSING}]*[ ]*"
    return re.findall(rf"{cjk}|[^ {_CJK}]+[{_CLOSING}]*[ ]*|[ ]+", text)


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Wrap one paragraph to `width` columns, breaking at spaces or between CJK characters.

    A word longer than the line is cut. Trailing spaces are dropped.
    """
    lines: list[str] = []
    line, used = initial_indent, display_width(initial_indent)
    fresh = True
    for token in _tokens(" ".join(text.split(" ")).strip()):
        word = token.rstrip(" ")
        need = display_width(word)
        if not fresh and used + need > width:
            lines.append(line.rstrip())
            line, used, fresh = subsequent_indent, display_width(subsequent_indent), True
            if not word:
                continue
        while used + need > width and need > 1 and fresh:
            room = max(width - used, 1)
            piece, taken = "", 0
            for ch in word:
                if taken + char_width(ch) > room:
                    break
                piece += ch
                taken += char_width(ch)
            if not piece:
                break
            lines.append(line + piece)
            word = word[len(piece) :]
            need = display_width(word)
            line, used = subsequent_indent, display_width(subsequent_indent)
        line += token if word == token.rstrip(" ") else word + token[len(token.rstrip(" ")) :]
        used += display_width(token)
        fresh = False
    if line.strip():
        lines.append(line.rstrip())
    return lines or [initial_indent.rstrip()]


_STRUCTURE = re.compile(r"^\s*([-*+] |\d+[.)] |```|>|\|)|^ {4}")


def reflow(text: str) -> str:
    """Join the soft line breaks of prose paragraphs; lists, quotes, code stay as written."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    out = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        if any(_STRUCTURE.match(line) for line in lines):
            out.append(paragraph)
        else:
            out.append(join_lines(lines))
    return "\n\n".join(out)


_INLINE_MARKS = re.compile(r"(\*\*|__)(.+?)\1")
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>$])")


def plain_inline(text: str) -> str:
    """Markdown inline marks read as plain text: bold markers dropped, backslash escapes
    undone; `code` spans are kept as written, backticks included."""
    pieces = _CODE_SPAN.split(text)
    for i in range(0, len(pieces), 2):  # even pieces are outside code spans
        prose = _INLINE_MARKS.sub(r"\2", pieces[i])
        pieces[i] = _ESCAPED.sub(r"\1", prose)
    return "".join(pieces)


_PLAIN_PARAGRAPH_LINE = re.compile(r"^(?!\s*([-*+>#|]|\d+[.)]|```|~~~)|\s{4})\S")
_CODE_SPAN_SPACES = re.compile(r"`[^`\n]*`")


def wrap_cjk_markdown(markdown: str, width: int) -> str:
    """Markdown whose plain paragraphs holding CJK text are pre-wrapped to `width` columns.

    Terminal Markdown renderers break lines only at spaces, so a Chinese sentence (no
    spaces) overflows to the next line whole and leaves ragged lines. Here such paragraphs
    are wrapped with `wrap` (between any two CJK characters, never before closing
    punctuation) and joined with Markdown hard breaks. Code spans are kept whole (their
    spaces become no-break spaces); lists, quotes, headings, tables and fences are left
    as they are.
    """
    if width < 10:
        return markdown
    out: list[str] = []
    paragraph: list[str] = []
    fenced = False

    def flush() -> None:
        if not paragraph:
            return
        text = join_lines(paragraph)
        if _is_cjk().search(text):
            text = _CODE_SPAN_SPACES.sub(lambda m: m.group().replace(" ", "\u00a0"), text)
            out.append("  \n".join(wrap(text, width)))
        else:
            out.extend(paragraph)
        paragraph.clear()

    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            fenced = not fenced
            out.append(line)
        elif not fenced and line.strip() and _PLAIN_PARAGRAPH_LINE.match(line):
            paragraph.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)
