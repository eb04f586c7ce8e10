"""LaTeX maths drawn with Unicode for the terminal.

`render_inline` gives one line (for `$...$` in prose); `render_display` gives a
block of lines (for `$$...$$`) with stacked fractions, matrices as 2-D blocks with
tall brackets, and limits under `∑`/`lim`. Anything the renderer cannot draw
raises `MathError`: the output never holds a raw backslash, so a lesson never
shows LaTeX source to a learner by accident (the validator reports the formula).

Choices, made for what terminal fonts actually draw:

- Letters stay plain: `\\mathbf{x}`, `\\mathsf`, `\\mathcal`, `\\mathrm` give `x`, not
  the Mathematical Alphanumeric Symbols (U+1D400...), which many monospace fonts
  lack and terminals then draw in a fallback font at the wrong width. Only
  `\\mathbb` maps, because ℝ, ℕ, ℤ, ℚ, ℂ (and 𝔼) carry meaning.
- Sub- and superscripts use Unicode (x², xᵢ, xⁿ⁻¹, aᵢⱼ, Aᵀ, ℝᵐˣⁿ) when every
  character has a form; otherwise `x_F`, `x_(k≤i)`, `e^(x₂)` inline, and in display
  the script is raised or lowered one line. Limits of operators that cannot be
  subscripted inline keep braces so they do not read as an argument: `lim_{h→0}`.
- Inline fractions are `a/b`, parenthesised where needed (`(x + 1)/(2y)`,
  `(d/dx)f(x)`); fractions of two integers use vulgar forms (½, ⁵⁄₉).
- Long arrows are drawn short (`\\iff` → ⇔, `\\implies` → ⇒): the long forms are
  wider than one cell in many fonts.
- Spacing follows TeX's classes in a simplified way: one space around relations
  and binary operators, after commas and around operators like ∑ and sin; none in
  scripts.

pylatexenc's symbol table supplies the long tail of plain symbols; the parser
(`mathtree`) and the layout (here) are our own because latex2text flattens
structure (`x^{n-1}` → `x^n-1`) and draws neither matrices nor stacked fractions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from tutor.curriculum.mathtree import (
    ALIGNED,
    MATRICES,
    SUB,
    SUP,
    VULGAR,
    Accent,
    Atom,
    Binom,
    Fenced,
    Frac,
    Group,
    MathError,
    Matrix,
    Node,
    Parser,
    Scripts,
    Space,
    Sqrt,
)
from tutor.textflow import display_width

__all__ = ["MathError", "render_display", "render_inline"]


# --------------------------------------------------------------------------- classes


def _edge_class(node: Node, right: bool) -> str:
    """The TeX class `node` shows on its left (or its right) side, for spacing."""
    if isinstance(node, Atom):
        return node.cls
    if isinstance(node, Space):
        return "space"
    if isinstance(node, Scripts):
        return _edge_class(node.base, right)
    if isinstance(node, Fenced):
        if right:
            return "close" if node.right else "ord"
        return "open" if node.left else "ord"
    if isinstance(node, Accent | Group) and _single(node):
        return _edge_class(_single(node), right)  # type: ignore[arg-type]
    return "ord"


def _single(node: Group | Accent) -> Node | None:
    items = node.items if isinstance(node, Group) else node.body
    # A braced group is an ordinary atom in TeX ({=} does not space): only fonts and
    # accents, which wrap one atom, pass their class through.
    if isinstance(node, Group):
        return None
    return items[0] if len(items) == 1 else None


def _classes(items: Sequence[Node]) -> list[tuple[str, str]]:
    """(left, right) class of each item, binary operators made unary where TeX does."""
    raw = [(_edge_class(x, right=False), _edge_class(x, right=True)) for x in items]
    out: list[tuple[str, str]] = []
    for k, (left, right) in enumerate(raw):
        if left == "bin":
            prev = next((out[j][1] for j in range(k - 1, -1, -1) if out[j][1] != "space"), None)
            nxt = next((raw[j][0] for j in range(k + 1, len(raw)) if raw[j][0] != "space"), None)
            if prev in (None, "bin", "op", "rel", "open", "punct") or nxt in (
                None,
                "rel",
                "close",
                "punct",
            ):
                left = right = "ord"
        out.append((left, right))
    return out


def _space_between(a: str, b: str, script: bool) -> bool:
    if script or a == "space" or b == "space":
        return False
    if b == "rel":
        return a not in ("open", "rel")
    if a == "rel":
        return b not in ("close", "punct", "rel")
    if a == "bin" or b == "bin":
        return True
    if a == "punct":
        return b not in ("close", "punct")
    if a == "op":
        return b in ("ord", "op")
    if b == "op":
        return a in ("ord", "close", "op")
    return False


# --------------------------------------------------------------------------- inline


def _to_script(text: str, table: dict[str, str]) -> str | None:
    if not text or any(ch not in table for ch in text):
        return None
    return "".join(table[ch] for ch in text)


def _numeric_fraction(frac: Frac) -> str | None:
    """½ or ⁵⁄₉ for a fraction of two integers, else None."""
    if len(frac.num) == 1 and len(frac.den) == 1:
        num, den = frac.num[0], frac.den[0]
        if (
            isinstance(num, Atom)
            and isinstance(den, Atom)
            and num.text.isascii()
            and den.text.isascii()
            and num.text.isdigit()
            and den.text.isdigit()
        ):
            key = f"{num.text}/{den.text}"
            return VULGAR.get(key) or f"{_to_script(num.text, SUP)}⁄{_to_script(den.text, SUB)}"
    return None


def _is_atomic(items: Sequence[Node], *, denominator: bool = False) -> bool:
    """Whether `items` read as one factor without parentheses around them."""
    items = [x for x in items if not isinstance(x, Space)]
    if not items:
        return True
    if len(items) == 1:
        return _is_atomic_node(items[0])
    classes = _classes(items)
    if any(left in ("bin", "rel", "punct", "op") for left in _outside_brackets(classes)):
        return False
    if not denominator:
        # Juxtaposed factors and brackets read as one numerator: xᵀy/…, f(x)/…
        return all(isinstance(x, Atom) or _is_atomic_node(x) for x in items)
    first = items[0]
    # dx, ∂xᵢ: a differential is one factor.
    if len(items) == 2 and isinstance(first, Atom) and first.text in ("d", "∂"):
        return _is_atomic_node(items[1])
    # [g(x)]², (a+b): one bracketed span; f(x), P(A): a name applied to one.
    start = 0
    if classes[0][0] != "open" and isinstance(first, Atom) and first.cls == "ord":
        start = 1
    return bool(classes[start][0] == "open" and _matching_close(classes, start) == len(items) - 1)


def _outside_brackets(classes: list[tuple[str, str]]) -> list[str]:
    """The left classes of the items not inside brackets."""
    depth = 0
    out = []
    for left, right in classes:
        if depth == 0:
            out.append(left)
        if left == "open":
            depth += 1
        if right == "close":
            depth = max(0, depth - 1)
    return out


def _matching_close(classes: list[tuple[str, str]], start: int) -> int:
    depth = 0
    for k in range(start, len(classes)):
        left, right = classes[k]
        if left == "open":
            depth += 1
        if right == "close":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _is_atomic_node(node: Node) -> bool:
    if isinstance(node, Atom):
        return node.cls == "ord" or node.cls == "op"
    if isinstance(node, Frac):
        return _numeric_fraction(node) is not None
    if isinstance(node, Group):
        return _is_atomic(node.items)
    if isinstance(node, Accent):
        return _is_atomic(node.body)
    if isinstance(node, Scripts):
        return not isinstance(node.base, Frac) or _is_atomic_node(node.base)
    return True


def _juxtaposed(items: Sequence[Node], classes: list[tuple[str, str]], k: int) -> bool:
    """Whether item k touches a neighbour that would read as multiplying it."""
    if (
        k + 1 < len(items)
        and not isinstance(items[k + 1], Space)
        and classes[k + 1][0] in ("ord", "open", "op")
    ):
        return True
    return bool(
        k > 0 and not isinstance(items[k - 1], Space) and classes[k - 1][1] in ("ord", "close")
    )


def _inline_row(items: Sequence[Node], script: bool) -> str:
    classes = _classes(items)
    out: list[str] = []
    for k, item in enumerate(items):
        if k and _space_between(classes[k - 1][1], classes[k][0], script):
            out.append(" ")
        text = _inline(item, script)
        if (
            isinstance(item, Frac)
            and _numeric_fraction(item) is None
            and _juxtaposed(items, classes, k)
        ):
            text = f"({text})"
        out.append(text)
    return "".join(out)


def _inline(node: Node, script: bool) -> str:
    if isinstance(node, Atom | Space):
        return node.text
    if isinstance(node, Group):
        return _inline_row(node.items, script)
    if isinstance(node, Accent):
        return _accent(_inline_row(node.body, script), node)
    if isinstance(node, Scripts):
        return _inline_scripts(node, script)
    if isinstance(node, Frac):
        return _inline_frac(node, script)
    if isinstance(node, Binom):
        return f"C({_inline_row(node.top, True)}, {_inline_row(node.bottom, True)})"
    if isinstance(node, Sqrt):
        return _inline_sqrt(node, script)
    if isinstance(node, Fenced):
        return node.left + _inline_row(node.items, script) + node.right
    return _inline_matrix(node, script)


def _accent(text: str, node: Accent) -> str:
    if not text:
        return ""
    if node.every:
        return "".join(ch + node.mark if not unicodedata.combining(ch) else ch for ch in text)
    return text[0] + node.mark + text[1:]


def _script_text(items: list[Node], table: dict[str, str], braces: bool) -> str:
    text = _inline_row(items, True)
    unicode = _to_script(text, table)
    if unicode is not None:
        return unicode
    mark = "^" if table is SUP else "_"
    if braces:
        return f"{mark}{{{text}}}"
    return f"{mark}{text}" if display_width(text) == 1 else f"{mark}({text})"


def _inline_scripts(node: Scripts, script: bool) -> str:
    base = _inline(node.base, script)
    if isinstance(node.base, Frac) and not _is_atomic_node(node.base):
        base = f"({base})"
    braces = isinstance(node.base, Atom) and node.base.cls == "op"
    if node.sub is not None:
        base += _script_text(node.sub, SUB, braces)
    if node.sup is not None:
        base += _script_text(node.sup, SUP, braces)
    return base


def _inline_frac(node: Frac, script: bool) -> str:
    numeric = _numeric_fraction(node)
    if numeric is not None:
        return numeric
    num = _inline_row(node.num, script)
    den = _inline_row(node.den, script)
    if not _is_atomic(node.num):
        num = f"({num})"
    if not _is_atomic(node.den, denominator=True):
        den = f"({den})"
    return f"{num}/{den}"


def _inline_sqrt(node: Sqrt, script: bool) -> str:
    body = _inline_row(node.body, script)
    if not _is_atomic(node.body):
        body = f"({body})"
    if node.index is None:
        return f"√{body}"
    index = _inline_row(node.index, True)
    special = {"3": "∛", "4": "∜"}
    if index in special:
        return special[index] + body
    sup = _to_script(index, SUP)
    return f"{sup}√{body}" if sup else f"root({index})({body})"


def _inline_matrix(node: Matrix, script: bool) -> str:
    left, right = MATRICES[node.env]
    if node.env in ALIGNED:
        rows = [
            "".join(_inline_aligned_cell(cell, c) for c, cell in enumerate(row))
            for row in node.rows
        ]
    else:
        texts = [[_inline_row(cell, script) for cell in row] for row in node.rows]
        sep = ", " if any(" " in t for row in texts for t in row) else " "
        rows = [sep.join(row) for row in texts]
    return left + "; ".join(rows) + right


def _inline_aligned_cell(cell: list[Node], column: int) -> str:
    text = _inline_row(cell, False)
    classes = _classes(cell)
    if column % 2 == 1 and classes and classes[0][0] in ("rel", "bin"):
        return " " + text
    return text


# --------------------------------------------------------------------------- display


@dataclass
class _Box:
    lines: list[str]
    base: int = 0
    width: int = field(default=0)

    def __post_init__(self) -> None:
        self.width = max((display_width(x) for x in self.lines), default=0)
        self.lines = [_pad(x, self.width) for x in self.lines]

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def below(self) -> int:
        return self.height - self.base - 1


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _center(text: str, width: int) -> str:
    gap = width - display_width(text)
    return " " * (gap // 2) + text + " " * (gap - gap // 2)


def _hcat(boxes: Sequence[_Box]) -> _Box:
    boxes = [b for b in boxes if b.height]
    if not boxes:
        return _Box([""])
    above = max(b.base for b in boxes)
    below = max(b.below for b in boxes)
    lines = [""] * (above + below + 1)
    for b in boxes:
        blank = " " * b.width
        column = [blank] * (above - b.base) + b.lines + [blank] * (below - b.below)
        lines = [x + y for x, y in zip(lines, column, strict=True)]
    return _Box(lines, above)


def _vstack(boxes: Sequence[_Box], base: int, align: str = "center") -> _Box:
    width = max(b.width for b in boxes)
    place = _center if align == "center" else _pad
    lines = [place(line, width) for b in boxes for line in b.lines]
    return _Box(lines, base)


_TALL = {
    "(": ("⎛", "⎜", "⎝"), ")": ("⎞", "⎟", "⎠"), "[": ("⎡", "⎢", "⎣"), "]": ("⎤", "⎥", "⎦"),
    "⌈": ("⎡", "⎢", "⎢"), "⌉": ("⎤", "⎥", "⎥"), "⌊": ("⎢", "⎢", "⎣"), "⌋": ("⎥", "⎥", "⎦"),
    "|": ("│", "│", "│"), "‖": ("‖", "‖", "‖"),
}  # fmt: skip


def _tall_delimiter(delim: str, height: int, base: int) -> _Box:
    if not delim:
        return _Box([""] * height, base)
    if height == 1:
        return _Box([delim], 0)
    if delim in _TALL:
        top, mid, bottom = _TALL[delim]
        return _Box([top] + [mid] * (height - 2) + [bottom], base)
    if delim in "{}":
        if height == 2:
            return _Box(["⎰", "⎱"] if delim == "{" else ["⎱", "⎰"], base)
        top, middle, bottom = ("⎧", "⎨", "⎩") if delim == "{" else ("⎫", "⎬", "⎭")
        centre = (height - 1) // 2
        lines = ["⎪"] * height
        lines[0], lines[centre], lines[-1] = top, middle, bottom
        return _Box(lines, base)
    lines = [" " * display_width(delim)] * height
    lines[base] = delim
    return _Box(lines, base)


def _fence(box: _Box, left: str, right: str) -> _Box:
    return _hcat(
        [
            _tall_delimiter(left, box.height, box.base),
            box,
            _tall_delimiter(right, box.height, box.base),
        ]
    )


def _display_row(items: Sequence[Node], script: bool) -> _Box:
    if script:
        return _Box([_inline_row(items, True)])
    classes = _classes(items)
    boxes: list[_Box] = []
    for k, item in enumerate(items):
        box = _display(item)
        if k and (
            _space_between(classes[k - 1][1], classes[k][0], False) or _touching(items, classes, k)
        ):
            boxes.append(_Box([" "]))
        if (
            isinstance(item, Frac)
            and box.height == 1
            and _numeric_fraction(item) is None
            and _juxtaposed(items, classes, k)
        ):
            box = _Box([f"({box.lines[0]})"])
        boxes.append(box)
    return _hcat(boxes)


def _is_stacked(node: Node) -> bool:
    if isinstance(node, Frac) and node.style == "text":
        return False
    return isinstance(node, Frac | Binom | Matrix) or (
        isinstance(node, Scripts) and isinstance(node.base, Frac | Matrix)
    )


def _touching(items: Sequence[Node], classes: list[tuple[str, str]], k: int) -> bool:
    """Whether items k-1 and k would touch (so a stacked fraction needs a gap)."""
    if isinstance(items[k - 1], Space) or isinstance(items[k], Space):
        return False
    if not (_is_stacked(items[k - 1]) or _is_stacked(items[k])):
        return False
    return classes[k - 1][1] not in ("open",) and classes[k][0] not in ("close", "punct")


def _display(node: Node) -> _Box:
    if isinstance(node, Atom | Space):
        return _Box([node.text])
    if isinstance(node, Group):
        return _display_row(node.items, False)
    if isinstance(node, Accent):
        body = _display_row(node.body, False)
        if body.height != 1:
            raise MathError("an accent over a tall expression cannot be drawn")
        return _Box([_accent(body.lines[0].rstrip(), node)])
    if isinstance(node, Scripts):
        return _display_scripts(node)
    if isinstance(node, Frac):
        if node.style == "text":
            return _Box([_inline_frac(node, False)])
        num = _display_row(node.num, False)
        den = _display_row(node.den, False)
        width = max(num.width, den.width)
        rule = _Box(["─" * width])
        return _vstack([num, rule, den], num.height)
    if isinstance(node, Binom):
        top = _display_row(node.top, False)
        bottom = _display_row(node.bottom, False)
        return _fence(_vstack([top, bottom], top.height - 1), "(", ")")
    if isinstance(node, Sqrt):
        body = _display_row(node.body, False)
        if body.height == 1:
            return _Box([_inline_sqrt(node, False)])
        if node.index is not None:
            raise MathError("an n-th root of a tall expression cannot be drawn")
        fenced = _fence(body, "(", ")")
        root = _tall_delimiter("√", fenced.height, fenced.base)
        return _hcat([root, fenced])
    if isinstance(node, Fenced):
        return _fence(_display_row(node.items, False), node.left, node.right)
    return _display_matrix(node)


def _display_scripts(node: Scripts) -> _Box:
    base = _display(node.base)
    op_limits = isinstance(node.base, Atom) and node.base.cls == "op" and node.base.limits
    if op_limits:
        parts = []
        if node.sup is not None:
            parts.append(_Box([_inline_row(node.sup, True)]))
        parts.append(base)
        if node.sub is not None:
            parts.append(_Box([_inline_row(node.sub, True)]))
        return _vstack(parts, base.base + (1 if node.sup is not None else 0))
    sub = _to_script(_inline_row(node.sub, True), SUB) if node.sub is not None else ""
    sup = _to_script(_inline_row(node.sup, True), SUP) if node.sup is not None else ""
    if sub is not None and sup is not None and base.height == 1:
        return _Box([base.lines[0].rstrip() + sub + sup] if base.lines else [sub + sup])
    # A column to the right: Unicode scripts beside the top/bottom lines,
    # others raised above or lowered below the base.
    top: list[str] = []
    bottom: list[str] = []
    beside = [""] * base.height
    if node.sup is not None:
        if sup is not None:
            beside[0] = sup
        else:
            top = [_inline_row(node.sup, True)]
    if node.sub is not None:
        if sub is not None:
            beside[-1] = (beside[-1] + sub) if base.height == 1 else sub
        else:
            bottom = [_inline_row(node.sub, True)]
    column = _Box(top + beside + bottom, len(top) + base.base)
    return _hcat([base, column])


def _display_matrix(node: Matrix) -> _Box:
    aligned = node.env in ALIGNED
    cells = [
        [
            _aligned_cell(cell, c) if aligned else _display_row(cell, False)
            for c, cell in enumerate(row)
        ]
        for row in node.rows
    ]
    columns = max((len(row) for row in cells), default=0)
    if columns == 0:
        return _Box([""])
    widths = [
        max((row[c].width for row in cells if c < len(row)), default=0) for c in range(columns)
    ]
    plain = all(" " not in line.strip() for row in cells for b in row for line in b.lines)
    gap = "" if node.env == "gathered" else "  " if node.env == "cases" or not plain else " "
    lines: list[str] = []
    for row in cells:
        above = max(b.base for b in row)
        below = max(b.below for b in row)
        for r in range(above + below + 1):
            line = ""
            for c in range(columns):
                box = row[c] if c < len(row) else _Box([""])
                k = r - (above - box.base)
                text = box.lines[k].rstrip() if 0 <= k < box.height else ""
                if aligned:
                    line += ("  " if c and c % 2 == 0 else "") + (
                        " " * (widths[c] - display_width(text)) + text
                        if c % 2 == 0
                        else _pad(text, widths[c])
                    )
                else:
                    place = _pad if node.env == "cases" else _center
                    line += (gap if c else "") + place(text, widths[c])
            lines.append(line)
    body = _Box(lines, (len(lines) - 1) // 2)
    if node.env == "cases":
        return _hcat([_tall_delimiter("{", body.height, body.base), _Box([" "]), body])
    left, right = MATRICES[node.env]
    return _fence(body, left, right)


def _aligned_cell(cell: list[Node], column: int) -> _Box:
    box = _display_row(cell, False)
    classes = _classes(cell)
    if column % 2 == 1 and classes and classes[0][0] in ("rel", "bin"):
        return _hcat([_Box([" "]), box])  # `&=` spaces like `{}=` in TeX
    return box


# --------------------------------------------------------------------------- API


def _parse(latex: str) -> list[list[list[Node]]]:
    parser = Parser(latex)
    rows = parser.rows(lambda t: False)
    return rows


def _checked(text: str, latex: str) -> str:
    if "\\" in text:  # never show LaTeX source to a learner by accident
        raise MathError(f"could not render {latex!r}")
    return unicodedata.normalize("NFC", text)


def render_inline(latex: str) -> str:
    """One line of Unicode for `$...$`; raises MathError for what it cannot draw."""
    try:
        rows = _parse(latex)
    except RecursionError as exc:  # pragma: no cover - depth is capped in the parser
        raise MathError("the formula is nested too deeply") from exc
    if len(rows) > 1 or len(rows[0]) > 1:
        raise MathError("line breaks (\\\\) and & need display maths ($$...$$)")
    return _checked(_inline_row(rows[0][0], False), latex)


def render_display(latex: str) -> list[str]:
    """Lines of Unicode for `$$...$$`: stacked fractions, matrices, limits."""
    rows = _parse(latex)
    if any(len(row) > 1 for row in rows):
        raise MathError("& outside a matrix or aligned block")
    boxes = [_display_row(row[0], False) for row in rows]
    box = boxes[0] if len(boxes) == 1 else _vstack(boxes, 0, align="left")
    lines = [line.rstrip() for line in box.lines]
    while len(lines) > 1 and not lines[0]:
        lines.pop(0)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return [_checked(line, latex) for line in lines]
