"""A lesson step as plain text: light Markdown conversion, wrapped to the terminal.

Step text is Markdown whose math is already Unicode. Here paragraphs are wrapped,
headings and list items kept readable, quotes marked with "|", and code, output and
display-math blocks kept line for line, indented four spaces (never wrapped, since a
matrix drawn over three lines must stay three lines). No colours, no boxes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutor.curriculum.model import Lesson, Question
from tutor.line.strings import say
from tutor.prediction_verdict import howto
from tutor.textflow import join_lines, plain_inline, wrap

_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w-]*)")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
# Characters of 2-D layouts (matrices, stacked fractions): such lines are kept as drawn.
_DRAWN = re.compile(r"[⎡⎢⎣⎤⎥⎦⎛⎜⎝⎞⎟⎠⎧⎨⎩⎫⎬⎭│─┌┐└┘]|\S {3,}\S")

CODE_INDENT = "    "


def markdown_lines(markdown: str, width: int) -> list[str]:
    """`markdown` as plain lines of at most `width` columns (code lines may be longer)."""
    width = max(width, 20)
    out: list[str] = []
    for block in _blocks(markdown.splitlines(), width):
        if out:
            out.append("")
        out.extend(block)
    return out


def _blocks(lines: list[str], width: int) -> Iterator[list[str]]:
    """Each block of the text converted: a paragraph, a list item, a heading, a fence."""
    i = 0
    paragraph: list[str] = []

    def flush() -> Iterator[list[str]]:
        if paragraph:
            yield _paragraph(paragraph, width)
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        heading = _HEADING.match(line)
        in_item = bool(paragraph) and bool(_LIST_ITEM.match(paragraph[0]))
        if fence:
            yield from flush()
            marker, kind = fence.group(1), fence.group(2)
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i].rstrip())
                i += 1
            head = [CODE_INDENT + "# output:"] if kind == "output" else []
            yield head + [CODE_INDENT + b if b.strip() else "" for b in body]
        elif not line.strip():
            yield from flush()
        elif heading:
            yield from flush()
            yield [heading.group(1)]
        elif _LIST_ITEM.match(line):
            yield from flush()
            paragraph.append(line)
        elif not in_item and _is_drawn(line):
            yield from flush()
            drawn = [line.rstrip()]
            while i + 1 < len(lines) and lines[i + 1].strip() and _is_drawn(lines[i + 1]):
                i += 1
                drawn.append(lines[i].rstrip())
            yield [d if d.startswith(CODE_INDENT) else CODE_INDENT + d for d in drawn]
        else:
            paragraph.append(line)
        i += 1
    yield from flush()


def _is_drawn(line: str) -> bool:
    """Indented code, or a line of a 2-D math layout: kept as it is."""
    return line.startswith((CODE_INDENT, "\t")) or bool(_DRAWN.search(line))


def _paragraph(lines: list[str], width: int) -> list[str]:
    """A paragraph (or a list item with its continuation lines, or a quote) wrapped."""
    first = lines[0]
    item = _LIST_ITEM.match(first)
    if item:
        bullet = "-" if item.group(2) in "-*+" else item.group(2)
        body = join_lines([_plain(x.strip()) for x in [item.group(3), *lines[1:]]])
        prefix = item.group(1) + bullet + " "
        indent = " " * len(prefix)
        return wrap(body, width, initial_indent=prefix, subsequent_indent=indent)
    if first.lstrip().startswith(">"):
        text = join_lines([_plain(line.strip().lstrip(">").strip()) for line in lines])
        return wrap(text, width, initial_indent="| ", subsequent_indent="| ")
    text = join_lines([_plain(line.strip()) for line in lines])
    return wrap(text, width)


def _plain(text: str) -> str:
    return plain_inline(text)


def step_lines(
    *,
    lesson: Lesson,
    lesson_number: int,
    lesson_total: int,
    step_index: int,
    status: str | None,
    width: int,
) -> list[str]:
    """A whole step as the learner reads it: header, prose, the exercise or question."""
    lang = lesson.lang
    step = lesson.steps[step_index]
    header = say(
        lang,
        "lesson-header",
        number=lesson_number,
        total=lesson_total,
        title=lesson.title,
        step=step_index + 1,
        steps=len(lesson.steps),
        step_title=step.title,
    )
    lines = [*wrap(header, max(width, 20)), ""]
    lines += markdown_lines(step.text, width)
    status_text = say(lang, "status", status=say(lang, f"status-{status}")) if status else ""
    if step.exercise is not None:
        lines += ["", _titled(say(lang, "exercise", id=step.exercise.id), status_text)]
        lines += markdown_lines(step.exercise.prompt, width)
        lines += wrap(say(lang, "exercise-howto"), max(width, 20))
    elif step.question is not None:
        lines += ["", _titled(say(lang, "question", id=step.question.id), status_text)]
        lines += _question_lines(step.question, lang, width)
    return lines


def _titled(title: str, status: str) -> str:
    return f"{title} ({status})" if status else title


def _question_lines(question: Question, lang: str, width: int) -> list[str]:
    lines = markdown_lines(question.prompt, width)
    for n, option in enumerate(question.options, start=1):
        prefix = f"  {n}. "
        wrapped = wrap(
            plain_inline(" ".join(option.split())),
            max(width, 20),
            initial_indent=prefix,
            subsequent_indent=" " * len(prefix),
        )
        lines += wrapped or [prefix]
    if question.kind == "predict":
        lines += ["", *(CODE_INDENT + line for line in question.code.splitlines()), ""]
        return lines + wrap(
            join_lines([howto(question, lang), say(lang, "predict-howto")]), max(width, 20)
        )
    key = "question-howto" if question.kind == "choice" else "number-howto"
    return lines + wrap(say(lang, key), max(width, 20))
