"""Parse a lesson's words (`en.md`, `zh.md`): front matter, steps, examples, blocks.

The format is lessons/README.md's. The parser reads line by line and never
raises: everything wrong becomes a `LoadProblem` naming the file and line.

What the parsed text holds:

- A step's text is its Markdown without the `## ` heading and without its
  `::: exercise` / `::: question` block (those become objects). Code fences stay,
  examples included, so a frontend shows them in place. Text before the first
  `## ` heading is a first step titled with the lesson's title.
- Maths is already rendered (`tutor.curriculum.mathtext`). Inline `$...$` (pandoc's
  rule: no space just inside the dollars, the closing one not followed by a digit;
  `\\$` is a literal dollar) is replaced by its Unicode, with the characters
  Markdown would act on (`` ` * _ < | ``) backslash-escaped. A display block
  (`$$` on its own lines, or `$$ ... $$` alone on a line) becomes a fenced
  ```` ```text ```` block holding the drawn lines, so every frontend shows it
  verbatim in a monospace cell grid. Dollars inside code spans and code fences
  are left alone.
- A formula that cannot be drawn is reported in `formula_problems` and shown as
  its LaTeX source in a code span / code block: the lesson still loads (the
  validator fails on it), unlike structural problems, which leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tutor.curriculum.mathtext import MathError, render_display, render_inline
from tutor.curriculum.model import Example, LoadProblem
from tutor.textflow import join_cjk_breaks

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_RAISES = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
_MARKDOWN_ACTIVE = re.compile(r"([`*_<|])")
_FRONT_MATTER_KEYS = ("title",)
_SPECIAL = re.compile(r"[\\`$]")


@dataclass(frozen=True)
class BlockWords:
    """The words of one `::: exercise` or `::: question` block."""

    kind: str  # "exercise" | "question"
    id: str
    line: int
    prompt: str
    options: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    feedback: dict[str, str] = field(default_factory=dict)
    #: Line of each `::: feedback ID`, for messages.
    feedback_lines: dict[str, int] = field(default_factory=dict)
    explanation: str = ""


@dataclass(frozen=True)
class MarkdownStep:
    """One step: its heading, rendered Markdown, examples and at most one block."""

    title: str
    line: int
    text: str
    examples: tuple[Example, ...] = ()
    block: BlockWords | None = None


@dataclass(frozen=True)
class MarkdownLesson:
    """A whole `.md` file, parsed."""

    path: str
    title: str
    steps: tuple[MarkdownStep, ...]

    @property
    def blocks(self) -> tuple[BlockWords, ...]:
        return tuple(s.block for s in self.steps if s.block is not None)


@dataclass
class ParsedMarkdown:
    """The result: the lesson (None when the file is unusable) and what is wrong."""

    lesson: MarkdownLesson | None
    problems: list[LoadProblem] = field(default_factory=list)
    formula_problems: list[LoadProblem] = field(default_factory=list)


Lines = list[tuple[int, str]]


# --------------------------------------------------------------------------- maths in Markdown


def render_markdown_math(lines: Lines, path: str, problems: list[LoadProblem]) -> str:
    """The Markdown of `lines` with its `$...$` and `$$...$$` maths drawn in Unicode."""
    out: list[str] = []
    prose: Lines = []
    fence: tuple[str, int] | None = None
    i = 0

    def flush() -> None:
        if prose:
            out.append(join_cjk_breaks(_render_inline_math(prose, path, problems)))
            prose.clear()

    while i < len(lines):
        number, line = lines[i]
        if fence is not None:
            out.append(line)
            if _closes_fence(line, fence):
                fence = None
            i += 1
            continue
        opening = _FENCE.match(line)
        if opening and not (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            flush()
            fence = (opening.group(2)[0], len(opening.group(2)))
            out.append(line)
            i += 1
            continue
        if line.strip().startswith("$$"):
            flush()
            i = _display_block(lines, i, path, problems, out)
            continue
        prose.append((number, line))
        i += 1
    flush()
    return "\n".join(out)


def _closes_fence(line: str, fence: tuple[str, int]) -> bool:
    stripped = line.strip()
    char, length = fence
    return len(stripped) >= length and stripped == char * len(stripped)


def _display_block(
    lines: Lines, i: int, path: str, problems: list[LoadProblem], out: list[str]
) -> int:
    """Render the `$$` block starting at lines[i]; return the index after it."""
    number, first = lines[i]
    indent = first[: len(first) - len(first.lstrip())]
    body = first.strip()[2:]
    source: list[str] = []
    end = i
    if body.rstrip().endswith("$$") and body.strip() != "":
        source.append(body.rstrip()[:-2])
    else:
        source.append(body)
        end = i + 1
        while end < len(lines) and not lines[end][1].rstrip().endswith("$$"):
            source.append(lines[end][1])
            end += 1
        if end >= len(lines):
            problems.append(LoadProblem(path, number, "a $$ display formula is never closed"))
            out.extend(line for _, line in lines[i:])
            return len(lines)
        source.append(lines[end][1].rstrip()[:-2])
    latex = "\n".join(source).strip()
    try:
        drawn = list(_render_display_cached(latex))
    except MathError as exc:
        problems.append(LoadProblem(path, number, f"cannot draw formula {latex!r}: {exc}"))
        drawn = latex.splitlines()
    ticks = "`" * max(3, 1 + max((len(m) for x in drawn for m in re.findall("`+", x)), default=0))
    out.append(f"{indent}{ticks}text")
    out.extend(f"{indent}{x}" for x in drawn)
    out.append(f"{indent}{ticks}")
    return end + 1


def _render_inline_math(prose: Lines, path: str, problems: list[LoadProblem]) -> str:
    text = "\n".join(line for _, line in prose)
    first_line = prose[0][0]
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        special = _SPECIAL.search(text, i)
        if special is None:
            out.append(text[i:])
            break
        out.append(text[i : special.start()])
        i = special.start()
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "$`\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if c == "`":
            run = _run_length(text, i, "`")
            close = _find_backtick_run(text, i + run, run)
            if close < 0:
                out.append(text[i : i + run])
                i += run
            else:
                out.append(text[i : close + run])
                i = close + run
            continue
        if c == "$":
            end = _closing_dollar(text, i)
            if end > 0:
                latex = text[i + 1 : end]
                number = first_line + text.count("\n", 0, i)
                out.append(_inline_formula(latex.strip("$"), number, path, problems))
                i = end + 1 + (1 if text.startswith("$$", i) else 0)
                continue
        out.append(c)
        i += 1
    return "".join(out)


#: Inline formulas up to this many characters never break across lines (no-break spaces).
UNBROKEN_FORMULA = 30


@lru_cache(maxsize=4096)
def _render_inline_cached(latex: str) -> str:
    return render_inline(latex)  # the same formula recurs across steps and languages


@lru_cache(maxsize=1024)
def _render_display_cached(latex: str) -> tuple[str, ...]:
    return tuple(render_display(latex))


def _run_length(text: str, i: int, char: str) -> int:
    j = i
    while j < len(text) and text[j] == char:
        j += 1
    return j - i


def _find_backtick_run(text: str, start: int, run: int) -> int:
    i = start
    while (i := text.find("`", i)) >= 0:
        length = _run_length(text, i, "`")
        if length == run:
            return i
        i += length
    return -1


def _closing_dollar(text: str, i: int) -> int:
    """Index of the `$` closing the formula opened at i, or -1 (then it is a dollar)."""
    double = text.startswith("$$", i)
    start = i + (2 if double else 1)
    if start >= len(text) or text[start].isspace():
        return -1
    j = start
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "`" or (c == "\n" and not text[j + 1 :].split("\n", 1)[0].strip()):
            return -1  # a formula never holds a code span nor crosses a blank line
        if c == "$":
            if double:
                return j if text.startswith("$$", j) and j > start else -1
            after = text[j + 1 : j + 2]
            if not text[j - 1].isspace() and not after.isdigit():
                return j
            return -1
        j += 1
    return -1


def _inline_formula(latex: str, line: int, path: str, problems: list[LoadProblem]) -> str:
    try:
        drawn = _render_inline_cached(latex)
    except MathError as exc:
        problems.append(LoadProblem(path, line, f"cannot draw formula {latex!r}: {exc}"))
        return f"`{latex}`" if "`" not in latex else latex.replace("\\", "\\\\")
    if len(drawn) <= UNBROKEN_FORMULA:
        # a short formula stays on one line: wrapping "P(A" / "= a)" apart misreads it
        drawn = drawn.replace(" ", "\u00a0")
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", drawn)
    return text.replace("](", "]\\(")


# --------------------------------------------------------------------------- the document


@dataclass
class _Block:
    kind: str
    id: str
    line: int
    prompt: Lines = field(default_factory=list)
    hints: list[Lines] = field(default_factory=list)
    feedback: dict[str, Lines] = field(default_factory=dict)
    feedback_lines: dict[str, int] = field(default_factory=dict)
    explanation: Lines | None = None
    section: Lines | None = None

    def target(self) -> Lines:
        return self.section if self.section is not None else self.prompt


@dataclass
class _Step:
    title: str
    line: int
    text: Lines = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    block: BlockWords | None = None
    block_line: int = 0


@dataclass
class _Fence:
    char: str
    length: int
    info: str
    line: int
    code: list[str] = field(default_factory=list)
    in_block: bool = False


class _MarkdownParser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.lstrip("\ufeff").splitlines()
        self.problems: list[LoadProblem] = []
        self.formula_problems: list[LoadProblem] = []
        self.steps: list[_Step] = []
        self.block: _Block | None = None
        self.fence: _Fence | None = None
        self.pending_example: int | None = None  # index in the step's examples

    def problem(self, line: int, message: str) -> None:
        self.problems.append(LoadProblem(self.path, line, message))

    def parse(self) -> ParsedMarkdown:
        title, start = self.front_matter()
        self.steps.append(_Step(title, start + 1))
        for index in range(start, len(self.lines)):
            self.line(index + 1, self.lines[index])
        if self.fence is not None:
            self.problem(self.fence.line, "this code block is never closed")
        if self.block is not None:
            self.problem(
                self.block.line, f"::: {self.block.kind} {self.block.id} is never closed by :::"
            )
            self.close_block()
        steps = [s for s in (self.finish_step(x, title) for x in self.steps) if s is not None]
        if not steps:
            self.problem(1, "the lesson has no steps")
        lesson = (
            MarkdownLesson(self.path, title, tuple(steps)) if title and not self.problems else None
        )
        return ParsedMarkdown(lesson, self.problems, self.formula_problems)

    def front_matter(self) -> tuple[str, int]:
        if not self.lines or self.lines[0].strip() != "---":
            self.problem(1, "missing front matter: the file starts with ---, title: ..., ---")
            return "", 0
        title = ""
        for index in range(1, len(self.lines)):
            line = self.lines[index]
            if line.strip() == "---":
                if not title:
                    self.problem(1, "the front matter has no title")
                return title, index + 1
            if not line.strip():
                continue
            key, colon, value = line.partition(":")
            key = key.strip()
            if not colon or key not in _FRONT_MATTER_KEYS:
                self.problem(
                    index + 1, f"unknown front matter line {line.strip()!r} (known: title)"
                )
            elif key == "title":
                title = self.render([(index + 1, value.strip().strip("\"'"))])
        self.problem(1, "the front matter is never closed by ---")
        return "", len(self.lines)

    def render(self, lines: Lines) -> str:
        return render_markdown_math(lines, self.path, self.formula_problems).strip()

    # lines ---------------------------------------------------------------------

    def line(self, number: int, line: str) -> None:
        if self.fence is not None:
            self.fence_line(number, line)
            return
        opening = _FENCE.match(line)
        if opening and not (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            marker = opening.group(2)
            self.fence = _Fence(marker[0], len(marker), opening.group(3).strip(), number)
            self.fence.in_block = self.block is not None
            self.check_info(number, self.fence.info)
            self.text(number, line, keeps_example=self.fence.info.split()[:1] == ["output"])
            return
        if line.startswith(":::"):
            self.directive(number, line)
            return
        if line.startswith("## "):
            if self.block is not None:
                self.problem(
                    number,
                    f"a step heading inside ::: {self.block.kind} {self.block.id} (close it with :::)",
                )
                self.close_block()
            self.steps.append(_Step(line[3:].strip(), number))
            self.pending_example = None
            return
        if line.startswith("# "):
            self.problem(
                number, "a level-1 heading: the title is in the front matter; steps are ## headings"
            )
            return
        self.text(number, line, keeps_example=not line.strip())

    def text(self, number: int, line: str, *, keeps_example: bool) -> None:
        target = self.block.target() if self.block is not None else self.steps[-1].text
        target.append((number, line))
        if not keeps_example:
            self.pending_example = None

    def check_info(self, number: int, info: str) -> None:
        words = info.split()
        if not words:
            return
        language, attributes = words[0], words[1:]
        if language not in ("python", "output") and not attributes:
            return
        for attribute in attributes:
            key, equals, value = attribute.partition("=")
            if language != "python" or key != "raises" or not equals:
                self.problem(
                    number,
                    f"unknown code block attribute {attribute!r} (known: python raises=Error)",
                )
            elif not _RAISES.match(value):
                self.problem(number, f"raises= needs an exception name, not {value!r}")

    def fence_line(self, number: int, line: str) -> None:
        fence = self.fence
        assert fence is not None
        self.text(number, line, keeps_example=True)
        if not _closes_fence(line, (fence.char, fence.length)):
            fence.code.append(line)
            return
        self.fence = None
        words = fence.info.split()
        language = words[0] if words else ""
        code = "\n".join(fence.code)
        if fence.in_block:
            return
        step = self.steps[-1]
        if language == "python":
            raises = next((w.partition("=")[2] for w in words[1:] if w.startswith("raises=")), None)
            step.examples.append(Example(code=code, raises=raises or None, line=fence.line))
            self.pending_example = len(step.examples) - 1
        elif language == "output":
            if self.pending_example is None:
                self.problem(fence.line, "an output block must come right after a python example")
            else:
                example = step.examples[self.pending_example]
                step.examples[self.pending_example] = Example(
                    code=example.code, output=code, raises=example.raises, line=example.line
                )
            self.pending_example = None
        else:
            self.pending_example = None

    # blocks --------------------------------------------------------------------

    def directive(self, number: int, line: str) -> None:
        words = line[3:].split()
        name, args = (words[0], words[1:]) if words else ("", [])
        block = self.block
        self.pending_example = None
        if name in ("exercise", "question"):
            if block is not None:
                self.problem(
                    number, f"::: {name} inside ::: {block.kind} {block.id} (close it with :::)"
                )
                self.close_block()
            step = self.steps[-1]
            if step.block is not None or step.block_line:
                self.problem(
                    number, "a step holds at most one exercise or question: start a ## step"
                )
            if len(args) != 1 or not ID_PATTERN.match(args[0]):
                self.problem(number, f"::: {name} needs one id of letters, digits, - and _")
            self.block = _Block(name, args[0] if args else "", number)
            step.block_line = number
            return
        if block is None:
            what = "closes nothing" if not name else f"{name} outside an exercise or question"
            self.problem(number, f"::: {what}")
            return
        if not name:
            self.close_block()
        elif name == "hint" and not args:
            block.section = []
            block.hints.append(block.section)
        elif name == "beside" and block.kind == "exercise" and not args:
            # the words set beside a passing answer: `::: feedback beside`, spelled shorter
            if "beside" in block.feedback:
                self.problem(number, "a second ::: beside")
            block.section = []
            block.feedback["beside"] = block.section
            block.feedback_lines["beside"] = number
        elif name == "feedback" and block.kind == "exercise":
            if len(args) != 1 or not ID_PATTERN.match(args[0]):
                self.problem(
                    number, "::: feedback needs one id (a mistake or a built-in diagnosis)"
                )
            key = args[0] if args else ""
            if key in block.feedback:
                self.problem(number, f"a second ::: feedback {key}")
            block.section = []
            block.feedback[key] = block.section
            block.feedback_lines[key] = number
        elif name == "explanation" and block.kind == "question" and not args:
            if block.explanation is not None:
                self.problem(number, "a second ::: explanation")
            block.section = []
            block.explanation = block.section
        else:
            allowed = (
                "hint, feedback ID, beside" if block.kind == "exercise" else "hint, explanation"
            )
            self.problem(
                number,
                f"::: {' '.join(words)} is not allowed in a {block.kind} (allowed: {allowed})",
            )

    def close_block(self) -> None:
        block = self.block
        assert block is not None
        self.block = None
        prompt, options = block.prompt, list[Lines]()
        if block.kind == "question":
            prompt, options = _split_options(block.prompt)
        self.steps[-1].block = BlockWords(
            kind=block.kind,
            id=block.id,
            line=block.line,
            prompt=self.render(prompt),
            options=tuple(self.render(o) for o in options),
            hints=tuple(self.render(h) for h in block.hints),
            feedback={k: self.render(v) for k, v in block.feedback.items()},
            feedback_lines=dict(block.feedback_lines),
            explanation=self.render(block.explanation or []),
        )

    def finish_step(self, step: _Step, title: str) -> MarkdownStep | None:
        text = self.render(step.text)
        first = step is self.steps[0]
        if first and not text and not step.examples and step.block is None:
            return None
        if not step.title:
            self.problem(step.line, "a step heading with no title")
        rendered_title = self.render([(step.line, step.title)]) if not first else title
        return MarkdownStep(rendered_title, step.line, text, tuple(step.examples), step.block)


def _split_options(prompt: Lines) -> tuple[Lines, list[Lines]]:
    """A question's prompt and the `- ` items ending it (its options)."""
    start: int | None = None
    for index, (_, line) in enumerate(prompt):
        if line.startswith("- "):
            start = index if start is None else start
        elif line.strip() and not line.startswith("  "):
            start = None
    if start is None:
        return prompt, []
    options: list[Lines] = []
    for number, line in prompt[start:]:
        if line.startswith("- "):
            options.append([(number, line[2:].strip())])
        elif line.strip():
            options[-1].append((number, line.strip()))
    return prompt[:start], options


def parse_markdown(text: str, path: str) -> ParsedMarkdown:
    """Parse one language file; never raises (problems carry file and line)."""
    return _MarkdownParser(text, path).parse()
