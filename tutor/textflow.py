"""Text for terminals in two scripts: display width, CJK-aware joining and wrapping.

Lesson sources are hard-wrapped. Joining wrapped lines with a space is right for English
and wrong for Chinese (a space would appear mid-sentence); a Chinese character also takes
two terminal columns. These pure functions are shared by the lesson parser and both
frontends.
"""

from __future__ import annotations

import functools
import re

from rich.cells import cell_len

_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)


# Compiled when first used: this wide character class is slow to compile, and an
# app's first frame does not need it.
@functools.cache
def _is_cjk() -> re.Pattern[str]:
    return re.compile(rf"[{_CJK}]")


def is_cjk(char: str) -> bool:
    return bool(_is_cjk().match(char))


#: Full-width punctuation: no space goes next to it, even before a Latin word.
_CJK_PUNCTUATION = "，。、；：！？）》」』】〕（《「『【〔"


def _no_space_between(left: str, right: str) -> bool:
    """Whether two lines join without a space: between two CJK characters, or next to
    full-width punctuation ("下标：" + "0 到 5"). A CJK word and a Latin one keep theirs."""
    if not left or not right:
        return False
    if is_cjk(left) and is_cjk(right):
        return True
    return left in _CJK_PUNCTUATION or right in _CJK_PUNCTUATION


def display_width(text: str) -> int:
    """Terminal columns `text` takes (a Chinese character 2, a combining mark 0).

    Rich's rule, the one Textual lays text out with, so both frontends, the lesson math
    and the TUI agree on every width.
    """
    return cell_len(text)


_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_FENCE_LINE = re.compile(r"^[ \t]*(```|~~~)")


def join_cjk_breaks(text: str) -> str:
    """Remove the line breaks of hard-wrapped text that fall between two CJK characters.

    Markdown turns a line break into a space, which is wrong between two Chinese
    characters ("两点 连线"). Quote lines join with the quote line before them; headings
    and code fences are left alone.
    """
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    joinable = False  # whether the last line of `out` may take the next one
    for line in lines:
        if _FENCE_LINE.match(line):
            fenced = not fenced
            out.append(line)
            joinable = False
            continue
        if fenced:
            out.append(line)
            continue
        previous = out[-1] if out else ""
        quoted = _QUOTE.match(line)
        if quoted and _QUOTE.match(previous):
            rest = line[quoted.end() :].lstrip()
        elif not quoted and not _QUOTE.match(previous):
            rest = line.lstrip()
        else:
            rest = ""
        stripped = previous.rstrip()
        if joinable and rest and stripped and _no_space_between(stripped[-1], rest[0]):
            out[-1] = stripped + rest
        else:
            out.append(line)
        joinable = bool(line.strip()) and not line.lstrip().startswith(("#", "|"))
    return "\n".join(out)


def join_lines(lines: list[str]) -> str:
    """One paragraph from its wrapped lines: a space between words, none between CJK."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out and not _no_space_between(out[-1], line[0]):
            out += " "
        out += line
    return out


_CLOSING = "，。、；：！？）》」』】〕…,.;:!?)"
_OPENING = "（《「『【〔"
#: Spaces a line may break at. Not U+00A0: a no-break space keeps its neighbours together.
_SPACE = " \t\r\n\f\v"
_UNIT = (
    rf"[{_OPENING}]*(?![{_OPENING}])[{_CJK}][{_CLOSING}]*[{_SPACE}]*"
    rf"|[{_OPENING}]*[^{_SPACE}{_CJK}]+[{_CLOSING}]*[{_SPACE}]*"
)


#: The pieces a line may be broken between, each with the spaces after it: a CJK
#: character, or a run of other characters (a word, a number, `tf.reshape(x,`).
#: Closing punctuation stays with what comes before it and opening punctuation with
#: what comes after it, so no line starts with `，` or ends with `（` (kinsoku).
#: Compiled when first used (a wide character class: slow to compile, and English text
#: never needs it, see tutor.tui.line_breaking).
@functools.cache
def break_unit() -> re.Pattern[str]:
    return re.compile(rf"{_UNIT}|[{_SPACE}]+")


#: The same pieces with the spaces before them (the shape Rich's wrapper expects).
@functools.cache
def spaced_unit() -> re.Pattern[str]:
    return re.compile(rf"[{_SPACE}]*(?:{_UNIT})")


def _tokens(text: str) -> list[str]:
    """Breakable pieces of one paragraph (see `break_unit`)."""
    return break_unit().findall(text)


def gap(left: str, right: str) -> str:
    """The space between two phrases set side by side: " ", or "" where Chinese wants
    none ("Not yet: the shape" but "还不对：形状")."""
    left, right = left.rstrip(), right.lstrip()
    return "" if _no_space_between(left[-1:], right[:1]) else " "


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
                if taken + display_width(ch) > room:
                    break
                piece += ch
                taken += display_width(ch)
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
