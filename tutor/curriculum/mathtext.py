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
and the 2-D layout are written here because latex2text flattens structure
(`x^{n-1}` → `x^n-1`) and draws neither matrices nor stacked fractions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache


class MathError(ValueError):
    """A formula the renderer cannot draw; the message says what and where."""


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Token:
    kind: str  # cmd | char | { | } | ^ | _ | & | newline
    text: str
    pos: int


def _tokenize(src: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 >= n:
                raise MathError("a lone backslash at the end")
            d = src[i + 1]
            if d.isascii() and d.isalpha():
                j = i + 1
                while j < n and src[j].isascii() and src[j].isalpha():
                    j += 1
                tokens.append(_Token("cmd", src[i + 1 : j], i))
                i = j
                continue
            if d == "\\":
                tokens.append(_Token("newline", "\\\\", i))
            else:
                tokens.append(_Token("cmd", " " if d in "\n\t" else d, i))
            i += 2
            continue
        if c in " \t\r\n":
            i += 1
            continue
        if c in "{}^_&":
            tokens.append(_Token(c, c, i))
        elif c == "%":
            raise MathError("a bare % (a TeX comment); write \\% for a percent sign")
        elif c in "#$":
            raise MathError(f"a bare {c!r} inside maths")
        else:
            tokens.append(_Token("char", c, i))
        i += 1
    return tokens


# --------------------------------------------------------------------------- tree

# Classes (after TeX): ord, op, bin, rel, open, close, punct; "space" for explicit space.


@dataclass
class _Atom:
    text: str
    cls: str = "ord"
    limits: bool = False  # an operator whose scripts go under/over it in display
    big: bool = False  # from \big( ... : paired into a _Fenced when possible


@dataclass
class _Space:
    text: str


@dataclass
class _Group:
    items: list[_Node]


@dataclass
class _Scripts:
    base: _Node
    sub: list[_Node] | None = None
    sup: list[_Node] | None = None


@dataclass
class _Frac:
    num: list[_Node]
    den: list[_Node]
    style: str = "auto"  # auto | display | text


@dataclass
class _Binom:
    top: list[_Node]
    bottom: list[_Node]


@dataclass
class _Sqrt:
    body: list[_Node]
    index: list[_Node] | None = None


@dataclass
class _Fenced:
    left: str
    items: list[_Node]
    right: str


@dataclass
class _Matrix:
    env: str
    rows: list[list[list[_Node]]]


@dataclass
class _Accent:
    body: list[_Node]
    mark: str
    every: bool = False  # put the mark on every character (\overline)


_Node = _Atom | _Space | _Group | _Scripts | _Frac | _Binom | _Sqrt | _Fenced | _Matrix | _Accent

# --------------------------------------------------------------------------- tables

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip

_REL = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "in": "∈",
    "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "mapsto": "↦",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔",
    "implies": "⇒", "impliedby": "⇐", "iff": "⇔", "longrightarrow": "→",
    "longleftarrow": "←", "Longrightarrow": "⇒", "Longleftarrow": "⇐",
    "Longleftrightarrow": "⇔", "longmapsto": "↦", "perp": "⊥", "mid": "|",
    "parallel": "∥", "ll": "≪", "gg": "≫", "prec": "≺", "succ": "≻", "models": "⊨",
    "vdash": "⊢", "coloneqq": "≔", "doteq": "≐", "lesssim": "≲", "gtrsim": "≳",
}  # fmt: skip

_BIN = {
    "pm": "±", "mp": "∓", "times": "×", "cdot": "·", "odot": "⊙", "otimes": "⊗",
    "oplus": "⊕", "circ": "∘", "ast": "∗", "star": "⋆", "cup": "∪", "cap": "∩",
    "setminus": "∖", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "div": "÷",
    "bullet": "∙", "diamond": "⋄", "sqcup": "⊔", "uplus": "⊎",
}  # fmt: skip

_ORD = {
    "infty": "∞", "partial": "∂", "nabla": "∇", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "nexists": "∄", "neg": "¬", "lnot": "¬", "ell": "ℓ",
    "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dotsc": "…",
    "dotsb": "⋯", "prime": "′", "top": "⊤", "bot": "⊥", "angle": "∠", "triangle": "△",
    "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "hbar": "ħ", "imath": "ı", "jmath": "ȷ",
    "|": "‖", "Vert": "‖", "vert": "|", "%": "%", "#": "#", "$": "$", "&": "&", "_": "_",
    "checkmark": "✓", "square": "□", "degree": "°", "surd": "√",
}  # fmt: skip

_OPEN = {"{": "{", "lbrace": "{", "langle": "⟨", "lfloor": "⌊", "lceil": "⌈", "lvert": "|",
         "lVert": "‖", "lbrack": "["}  # fmt: skip
_CLOSE = {"}": "}", "rbrace": "}", "rangle": "⟩", "rfloor": "⌋", "rceil": "⌉", "rvert": "|",
          "rVert": "‖", "rbrack": "]"}  # fmt: skip

_BIG_OPS = {"sum": "∑", "prod": "∏", "coprod": "∐", "bigcup": "⋃", "bigcap": "⋂",
            "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
            "bigsqcup": "⨆"}  # fmt: skip
_INTEGRALS = {"int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮"}
_LIMIT_FUNCS = {"lim", "limsup", "liminf", "max", "min", "sup", "inf", "det", "Pr", "gcd",
                "argmax", "argmin"}  # fmt: skip
_FUNCS = {"sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh",
          "cosh", "tanh", "coth", "log", "ln", "lg", "exp", "deg", "dim", "ker", "hom", "arg",
          "sgn", "tr", "rank", "diag", "softmax"}  # fmt: skip
_FUNC_TEXT = {"limsup": "lim sup", "liminf": "lim inf"}

_SPACES = {",": " ", ":": " ", ";": " ", ">": " ", " ": " ", "~": " ", "!": "", "quad": "  ",
           "qquad": "    ", "enspace": " ", "thinspace": " ", "medspace": " ",
           "thickspace": " ", "negthinspace": ""}  # fmt: skip
_IGNORED = {"displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "nonumber",
            "notag", "limits", "nolimits", "left.", "mathstrut", "strut"}  # fmt: skip
_FONTS = {"mathbf", "boldsymbol", "bm", "mathit", "mathsf", "mathtt", "mathcal", "mathscr",
          "mathfrak", "mathrm", "mathnormal", "pmb"}  # fmt: skip
_TEXTS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "mbox", "textnormal",
          "hbox"}  # fmt: skip
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "tilde": "\u0303",
            "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
            "check": "\u030c", "breve": "\u0306", "acute": "\u0301", "grave": "\u0300",
            "mathring": "\u030a"}  # fmt: skip
_WIDE_ACCENTS = {"overline": "\u0305", "underline": "\u0332"}
_BIG_SIZES = {"big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr",
              "biggr", "Biggr", "bigm", "Bigm", "biggm", "Biggm"}  # fmt: skip
_FRACS = {"frac": "auto", "dfrac": "display", "tfrac": "text", "cfrac": "display"}
_MATRICES = {"matrix": ("", ""), "bmatrix": ("[", "]"), "pmatrix": ("(", ")"),
             "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "Bmatrix": ("{", "}"),
             "smallmatrix": ("", ""), "cases": ("{", ""), "aligned": ("", ""),
             "align": ("", ""), "align*": ("", ""), "gathered": ("", ""), "split": ("", ""),
             "array": ("", "")}  # fmt: skip
_CHAR_CLASS = {"+": "bin", "-": "bin", "−": "bin", "*": "bin", "=": "rel", "<": "rel",
               ">": "rel", ":": "rel", ",": "punct", ";": "punct", "(": "open", "[": "open",
               ")": "close", "]": "close", "!": "close", "?": "close"}  # fmt: skip
_CHAR_TEXT = {"-": "−", "*": "∗", "'": "′"}
_OPENING_DELIMS = set("([{⟨⌊⌈")
_CLOSING_DELIMS = set(")]}⟩⌋⌉")

_SUP = dict(zip("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾", strict=True))
_SUP.update(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True))
_SUP.update(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ", strict=True))
_SUP.update(zip("αβγδεθιφϕχ", "ᵅᵝᵞᵟᵋᶿᶥᶲᶲᵡ", strict=True))
_SUP.update({"⊤": "ᵀ", "×": "ˣ", "′": "′", "″": "″", "∗": "*", " ": ""})
_SUB = dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎", strict=True))
_SUB.update(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SUB.update(zip("βγρφϕχ", "ᵦᵧᵨᵩᵩᵪ", strict=True))
_SUB.update({",": ",", " ": ""})

_VULGAR = {"1/2": "½", "1/3": "⅓", "2/3": "⅔", "1/4": "¼", "3/4": "¾", "1/5": "⅕",
           "2/5": "⅖", "3/5": "⅗", "4/5": "⅘", "1/6": "⅙", "5/6": "⅚", "1/8": "⅛",
           "3/8": "⅜", "5/8": "⅝", "7/8": "⅞"}  # fmt: skip

_MAX_DEPTH = 60


@cache
def _pylatexenc_symbol(name: str) -> str | None:
    """A plain symbol from pylatexenc's table (the long tail), or None."""
    from pylatexenc.latex2text import get_default_latex_context_db

    spec = get_default_latex_context_db().get_macro_spec(name)
    repl = getattr(spec, "simplify_repl", None) if spec is not None else None
    if not isinstance(repl, str) or not repl.strip() or "%" in repl or "\\" in repl:
        return None
    if spec is None or getattr(spec, "macroname", None) != name:
        return None
    args = getattr(getattr(spec, "arguments_spec_list", None), "__len__", lambda: 0)()
    return repl if not args else None


def _double_struck(text: str) -> str:
    special = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
    out = []
    for ch in text:
        if ch in special:
            out.append(special[ch])
        elif ch.isascii() and ch.isalpha():
            case = "CAPITAL" if ch.isupper() else "SMALL"
            out.append(unicodedata.lookup(f"MATHEMATICAL DOUBLE-STRUCK {case} {ch.upper()}"))
        elif ch.isascii() and ch.isdigit():
            out.append(unicodedata.lookup(f"MATHEMATICAL DOUBLE-STRUCK DIGIT {_DIGITS[ch]}"))
        else:
            out.append(ch)
    return "".join(out)


_DIGITS = dict(
    zip("0123456789", "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split(), strict=True)
)

# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.tokens = _tokenize(src)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.peek()
        if tok is None:
            raise MathError("the formula ends too early")
        self.i += 1
        return tok

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    # rows ------------------------------------------------------------------

    def rows(self, end: Callable[[_Token], bool]) -> list[list[list[_Node]]]:
        """Rows of cells separated by `\\\\` and `&`, up to a token `end` accepts."""
        rows: list[list[list[_Node]]] = [[[]]]
        while True:
            tok = self.peek()
            if tok is None or end(tok):
                break
            if tok.kind == "newline":
                self.take()
                self._skip_optional_length()
                rows.append([[]])
            elif tok.kind == "&":
                self.take()
                rows[-1].append([])
            else:
                rows[-1][-1] = self.row(
                    lambda t: end(t) or t.kind in ("newline", "&"), into=rows[-1][-1]
                )
        if rows[-1] == [[]] and len(rows) > 1:  # a trailing \\ ends the last row
            rows.pop()
        return rows

    def _skip_optional_length(self) -> None:
        tok = self.peek()
        if tok is not None and tok.kind == "char" and tok.text == "[":
            while not self.at_end() and self.take().text != "]":
                pass

    def row(self, end: Callable[[_Token], bool], into: list[_Node] | None = None) -> list[_Node]:
        items = into if into is not None else []
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise MathError("the formula is nested too deeply")
        while True:
            tok = self.peek()
            if tok is None or end(tok):
                break
            if tok.kind == "}":
                raise MathError(f"an unmatched }} at character {tok.pos + 1}")
            if tok.kind in ("&", "newline"):
                what = "&" if tok.kind == "&" else "\\\\"
                raise MathError(f"{what} outside a matrix or aligned block")
            if tok.kind in ("^", "_"):
                self.take()
                self._attach_script(items, tok)
                continue
            node = self.atom()
            if node is not None:
                items.append(node)
        self.depth -= 1
        return _pair_big_delimiters(items)

    def _attach_script(self, items: list[_Node], tok: _Token) -> None:
        arg = self.argument(f"{tok.text} needs something to attach")
        if items and isinstance(items[-1], _Scripts):
            target = items[-1]
        else:
            base: _Node = items.pop() if items and not isinstance(items[-1], _Space) else _Group([])
            target = _Scripts(base)
            items.append(target)
        if tok.kind == "^":
            if target.sup is not None:
                raise MathError("a double superscript: use braces, x^{ab}")
            target.sup = arg
        else:
            if target.sub is not None:
                raise MathError("a double subscript: use braces, x_{ab}")
            target.sub = arg

    def group(self, what: str) -> list[_Node]:
        """A braced group `{...}` (required)."""
        tok = self.peek()
        if tok is None or tok.kind != "{":
            raise MathError(f"{what} needs a {{...}} argument")
        self.take()
        items = self.row(lambda t: t.kind == "}")
        if self.at_end():
            raise MathError("a { is never closed")
        self.take()
        return items

    def argument(self, what: str) -> list[_Node]:
        """One argument: a braced group or a single token (`\\frac12`, `x^2`)."""
        tok = self.peek()
        if tok is None:
            raise MathError(what)
        if tok.kind == "{":
            return self.group(what)
        if tok.kind in ("}", "&", "newline", "^", "_"):
            raise MathError(what)
        if tok.kind == "char" and tok.text.isdigit():
            self.take()
            return [_Atom(tok.text)]
        node = self.atom()
        return [node] if node is not None else []

    def raw_group(self, what: str) -> str:
        """The source text of a braced group, for \\text and environment names."""
        tok = self.peek()
        if tok is None or tok.kind != "{":
            raise MathError(f"{what} needs a {{...}} argument")
        start = self.take().pos + 1
        depth = 1
        while True:
            t = self.peek()
            if t is None:
                raise MathError("a { is never closed")
            self.take()
            if t.kind == "{":
                depth += 1
            elif t.kind == "}":
                depth -= 1
                if depth == 0:
                    return self.src[start : t.pos]

    def optional(self) -> list[_Node] | None:
        tok = self.peek()
        if tok is None or tok.kind != "char" or tok.text != "[":
            return None
        self.take()
        items = self.row(lambda t: t.kind == "char" and t.text == "]")
        if self.at_end():
            raise MathError("a [ is never closed")
        self.take()
        return items

    # atoms -----------------------------------------------------------------

    def atom(self) -> _Node | None:
        tok = self.take()
        if tok.kind == "{":
            items = self.row(lambda t: t.kind == "}")
            if self.at_end():
                raise MathError("a { is never closed")
            self.take()
            return _Group(items)
        if tok.kind == "char":
            return self._char(tok)
        return self._command(tok)

    def _char(self, tok: _Token) -> _Node:
        c = tok.text
        if c.isascii() and c.isdigit():
            digits = c
            while (nxt := self.peek()) is not None and nxt.kind == "char" and (
                (nxt.text.isascii() and nxt.text.isdigit())
                or (nxt.text == "." and self._digit_after(self.i + 1))
            ):
                digits += self.take().text
            return _Atom(digits)
        if c == "~":
            return _Space(" ")
        if c == "'":
            primes = "′"
            while (nxt := self.peek()) is not None and nxt.kind == "char" and nxt.text == "'":
                self.take()
                primes += "′"
            return _Atom({"′′": "″", "′′′": "‴"}.get(primes, primes))
        return _Atom(_CHAR_TEXT.get(c, c), _CHAR_CLASS.get(c, "ord"))

    def _digit_after(self, index: int) -> bool:
        if index >= len(self.tokens):
            return False
        t = self.tokens[index]
        return t.kind == "char" and t.text.isascii() and t.text.isdigit()

    def _command(self, tok: _Token) -> _Node | None:
        name = tok.text
        if tok.kind != "cmd":
            raise MathError(f"unexpected {tok.text!r}")
        if name in _SPACES:
            return _Space(_SPACES[name])
        if name in _IGNORED:
            return None
        if name in _GREEK:
            return _Atom(_GREEK[name])
        if name in _REL:
            return _Atom(_REL[name], "rel")
        if name in _BIN:
            return _Atom(_BIN[name], "bin")
        if name in _ORD:
            return _Atom(_ORD[name])
        if name in _OPEN:
            return _Atom(_OPEN[name], "open")
        if name in _CLOSE:
            return _Atom(_CLOSE[name], "close")
        if name in _BIG_OPS:
            return self._limits(_Atom(_BIG_OPS[name], "op", limits=True))
        if name in _INTEGRALS:
            return self._limits(_Atom(_INTEGRALS[name], "op"))
        if name in _LIMIT_FUNCS:
            return self._limits(_Atom(_FUNC_TEXT.get(name, name), "op", limits=True))
        if name in _FUNCS:
            return _Atom(name, "op")
        if name == "operatorname":
            star = self._star()
            text = _plain_text(self.raw_group("\\operatorname"))
            return self._limits(_Atom(text, "op", limits=star))
        if name in _FRACS:
            num = self.argument(f"\\{name} needs a numerator")
            den = self.argument(f"\\{name} needs a denominator")
            return _Frac(num, den, _FRACS[name])
        if name in ("binom", "dbinom", "tbinom"):
            top = self.argument("\\binom needs two arguments")
            return _Binom(top, self.argument("\\binom needs two arguments"))
        if name == "sqrt":
            index = self.optional()
            return _Sqrt(self.argument("\\sqrt needs an argument"), index)
        if name in _FONTS:
            body = self.argument(f"\\{name} needs an argument")
            return _Group(body)
        if name == "mathbb":
            return _Atom(_double_struck(_plain_text(self.raw_group("\\mathbb"))))
        if name in _TEXTS:
            return _Atom(_plain_text(self.raw_group(f"\\{name}")))
        if name in _ACCENTS:
            return _Accent(self.argument(f"\\{name} needs an argument"), _ACCENTS[name])
        if name in _WIDE_ACCENTS:
            body = self.argument(f"\\{name} needs an argument")
            return _Accent(body, _WIDE_ACCENTS[name], every=True)
        if name == "left":
            return self._left()
        if name == "right":
            raise MathError("\\right without \\left")
        if name in ("middle",):
            return _Atom(self._delimiter("\\middle"), "rel")
        if name in _BIG_SIZES:
            delim = self._delimiter(f"\\{name}")
            if name.endswith("l"):
                cls = "open"
            elif name.endswith("r"):
                cls = "close"
            elif name.endswith("m"):
                cls = "rel"
            else:
                cls = (
                    "open"
                    if delim in _OPENING_DELIMS
                    else "close"
                    if delim in _CLOSING_DELIMS
                    else "ord"
                )
            return _Atom(delim, cls, big=True)
        if name == "not":
            nxt = self.atom()
            negated = {"=": "≠", "∈": "∉", "≡": "≢", "⊂": "⊄", "∼": "≁", "<": "≮", ">": "≯"}
            if isinstance(nxt, _Atom) and nxt.text in negated:
                return _Atom(negated[nxt.text], "rel")
            if isinstance(nxt, _Atom) and len(nxt.text) == 1:
                return _Atom(nxt.text + "\u0338", nxt.cls)
            raise MathError("\\not applies to one symbol")
        if name == "begin":
            return self._environment()
        if name == "end":
            raise MathError("\\end without \\begin")
        fallback = _pylatexenc_symbol(name)
        if fallback is not None:
            return _Atom(fallback)
        raise MathError(f"unknown command \\{name}")

    def _star(self) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "char" and tok.text == "*":
            self.take()
            return True
        return False

    def _limits(self, op: _Atom) -> _Atom:
        while (tok := self.peek()) is not None and tok.kind == "cmd":
            if tok.text == "limits":
                op.limits = True
            elif tok.text == "nolimits":
                op.limits = False
            else:
                break
            self.take()
        return op

    def _delimiter(self, what: str) -> str:
        tok = self.peek()
        if tok is None:
            raise MathError(f"{what} needs a delimiter")
        self.take()
        if tok.kind == "char" and tok.text in "()[]|/.<>":
            return {".": "", "<": "⟨", ">": "⟩"}.get(tok.text, tok.text)
        if tok.kind == "cmd":
            for table in (_OPEN, _CLOSE):
                if tok.text in table:
                    return table[tok.text]
            if tok.text in ("|", "Vert"):
                return "‖"
            if tok.text in ("vert", "mid"):
                return "|"
            if tok.text == "backslash":
                return "∖"
        raise MathError(f"{what} needs a delimiter such as ( [ | or \\{{, not {tok.text!r}")

    def _left(self) -> _Fenced:
        left = self._delimiter("\\left")
        items = self.row(lambda t: t.kind == "cmd" and t.text == "right")
        if self.at_end():
            raise MathError("\\left without \\right")
        self.take()
        return _Fenced(left, items, self._delimiter("\\right"))

    def _environment(self) -> _Matrix:
        env = self.raw_group("\\begin").strip()
        if env not in _MATRICES:
            raise MathError(f"unknown environment {env!r}")
        if env == "array":
            self.raw_group("array")  # the column spec: columns are centred
        rows = self.rows(lambda t: t.kind == "cmd" and t.text == "end")
        if self.at_end():
            raise MathError(f"\\begin{{{env}}} without \\end{{{env}}}")
        self.take()
        closing = self.raw_group("\\end").strip()
        if closing != env:
            raise MathError(f"\\begin{{{env}}} ended by \\end{{{closing}}}")
        return _Matrix(env, rows)


def _plain_text(raw: str) -> str:
    """The text of \\text{...}: escapes resolved, anything else refused."""
    text = re.sub(r"\\([%&_#${}])", r"\1", raw)
    text = re.sub(r"\\[,;: ]|~", " ", text)
    text = text.replace("{", "").replace("}", "")
    if "\\" in text or "$" in text:
        raise MathError(f"commands inside text are not supported: {raw!r}")
    return text


def _pair_big_delimiters(items: list[_Node]) -> list[_Node]:
    """Turn `\\big( ... \\big)` pairs into fenced groups so display can size them."""
    if not any(isinstance(x, _Atom) and x.big for x in items):
        return items
    out: list[_Node] = []
    stack: list[tuple[int, _Atom]] = []
    for item in items:
        if isinstance(item, _Atom) and item.big and item.cls != "rel":
            same_as_open = bool(stack) and stack[-1][1].text == item.text
            if item.cls == "close" or (item.cls == "ord" and same_as_open):
                if stack:
                    start, opener = stack.pop()
                    inner = out[start:]
                    del out[start:]
                    out.append(_Fenced(opener.text, inner, item.text))
                    continue
            elif item.cls in ("open", "ord"):
                stack.append((len(out), item))
                continue
        out.append(item)
    # Unpaired openers were held back: put them back in place as plain atoms.
    for start, opener in reversed(stack):
        out.insert(start, _Atom(opener.text, "open"))
    return out


# --------------------------------------------------------------------------- classes


def _left_class(node: _Node) -> str:
    if isinstance(node, _Atom):
        return node.cls
    if isinstance(node, _Space):
        return "space"
    if isinstance(node, _Scripts):
        return _left_class(node.base)
    if isinstance(node, _Fenced):
        return "open" if node.left else "ord"
    if isinstance(node, _Accent | _Group) and _single(node):
        return _left_class(_single(node))  # type: ignore[arg-type]
    return "ord"


def _right_class(node: _Node) -> str:
    if isinstance(node, _Atom):
        return node.cls
    if isinstance(node, _Space):
        return "space"
    if isinstance(node, _Scripts):
        return _right_class(node.base)
    if isinstance(node, _Fenced):
        return "close" if node.right else "ord"
    if isinstance(node, _Accent | _Group) and _single(node):
        return _right_class(_single(node))  # type: ignore[arg-type]
    return "ord"


def _single(node: _Group | _Accent) -> _Node | None:
    items = node.items if isinstance(node, _Group) else node.body
    # A braced group is an ordinary atom in TeX ({=} does not space): only fonts and
    # accents, which wrap one atom, pass their class through.
    if isinstance(node, _Group):
        return None
    return items[0] if len(items) == 1 else None


def _classes(items: Sequence[_Node]) -> list[tuple[str, str]]:
    """(left, right) class of each item, binary operators made unary where TeX does."""
    raw = [(_left_class(x), _right_class(x)) for x in items]
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


# --------------------------------------------------------------------------- width


def text_width(text: str) -> int:
    """Terminal cells `text` takes: combining marks 0, East Asian wide 2, else 1."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


# --------------------------------------------------------------------------- inline


def _to_script(text: str, table: dict[str, str]) -> str | None:
    if not text or any(ch not in table for ch in text):
        return None
    return "".join(table[ch] for ch in text)


def _numeric_fraction(frac: _Frac) -> str | None:
    """½ or ⁵⁄₉ for a fraction of two integers, else None."""
    if len(frac.num) == 1 and len(frac.den) == 1:
        num, den = frac.num[0], frac.den[0]
        if (
            isinstance(num, _Atom)
            and isinstance(den, _Atom)
            and num.text.isascii()
            and den.text.isascii()
            and num.text.isdigit()
            and den.text.isdigit()
        ):
            key = f"{num.text}/{den.text}"
            return _VULGAR.get(key) or f"{_to_script(num.text, _SUP)}⁄{_to_script(den.text, _SUB)}"
    return None


def _is_atomic(items: Sequence[_Node], *, denominator: bool = False) -> bool:
    """Whether `items` read as one factor without parentheses around them."""
    items = [x for x in items if not isinstance(x, _Space)]
    if not items:
        return True
    if len(items) == 1:
        return _is_atomic_node(items[0])
    classes = _classes(items)
    if any(left in ("bin", "rel", "punct", "op") for left, _ in classes):
        return False
    if not denominator:
        return all(_is_atomic_node(x) for x in items)
    first = items[0]
    # dx, ∂xᵢ: a differential is one factor.
    if len(items) == 2 and isinstance(first, _Atom) and first.text in ("d", "∂"):
        return _is_atomic_node(items[1])
    # [g(x)]², (a+b): one bracketed span; f(x), P(A): a name applied to one.
    start = 0
    if classes[0][0] != "open" and isinstance(first, _Atom) and first.cls == "ord":
        start = 1
    if classes[start][0] == "open" and _matching_close(classes, start) == len(items) - 1:
        return True
    return False


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


def _is_atomic_node(node: _Node) -> bool:
    if isinstance(node, _Atom):
        return node.cls == "ord" or node.cls == "op"
    if isinstance(node, _Frac):
        return _numeric_fraction(node) is not None
    if isinstance(node, _Group):
        return _is_atomic(node.items)
    if isinstance(node, _Accent):
        return _is_atomic(node.body)
    if isinstance(node, _Scripts):
        return not isinstance(node.base, _Frac) or _is_atomic_node(node.base)
    return True


def _juxtaposed(items: Sequence[_Node], classes: list[tuple[str, str]], k: int) -> bool:
    """Whether item k touches a neighbour that would read as multiplying it."""
    if k + 1 < len(items) and not isinstance(items[k + 1], _Space):
        if classes[k + 1][0] in ("ord", "open", "op"):
            return True
    if k > 0 and not isinstance(items[k - 1], _Space):
        if classes[k - 1][1] in ("ord", "close"):
            return True
    return False


def _inline_row(items: Sequence[_Node], script: bool) -> str:
    classes = _classes(items)
    out: list[str] = []
    for k, item in enumerate(items):
        if k and _space_between(classes[k - 1][1], classes[k][0], script):
            out.append(" ")
        text = _inline(item, script)
        if isinstance(item, _Frac) and _numeric_fraction(item) is None:
            if _juxtaposed(items, classes, k):
                text = f"({text})"
        out.append(text)
    return "".join(out)


def _inline(node: _Node, script: bool) -> str:
    if isinstance(node, _Atom | _Space):
        return node.text
    if isinstance(node, _Group):
        return _inline_row(node.items, script)
    if isinstance(node, _Accent):
        return _accent(_inline_row(node.body, script), node)
    if isinstance(node, _Scripts):
        return _inline_scripts(node, script)
    if isinstance(node, _Frac):
        return _inline_frac(node, script)
    if isinstance(node, _Binom):
        return f"C({_inline_row(node.top, True)}, {_inline_row(node.bottom, True)})"
    if isinstance(node, _Sqrt):
        return _inline_sqrt(node, script)
    if isinstance(node, _Fenced):
        return node.left + _inline_row(node.items, script) + node.right
    return _inline_matrix(node, script)


def _accent(text: str, node: _Accent) -> str:
    if not text:
        return ""
    if node.every:
        return "".join(ch + node.mark if not unicodedata.combining(ch) else ch for ch in text)
    return text[0] + node.mark + text[1:]


def _script_text(items: list[_Node], table: dict[str, str], braces: bool) -> str:
    text = _inline_row(items, True)
    unicode = _to_script(text, table)
    if unicode is not None:
        return unicode
    mark = "^" if table is _SUP else "_"
    if braces:
        return f"{mark}{{{text}}}"
    return f"{mark}{text}" if text_width(text) == 1 else f"{mark}({text})"


def _inline_scripts(node: _Scripts, script: bool) -> str:
    base = _inline(node.base, script)
    if isinstance(node.base, _Frac) and not _is_atomic_node(node.base):
        base = f"({base})"
    braces = isinstance(node.base, _Atom) and node.base.cls == "op"
    if node.sub is not None:
        base += _script_text(node.sub, _SUB, braces)
    if node.sup is not None:
        base += _script_text(node.sup, _SUP, braces)
    return base


def _inline_frac(node: _Frac, script: bool) -> str:
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


def _inline_sqrt(node: _Sqrt, script: bool) -> str:
    body = _inline_row(node.body, script)
    if not _is_atomic(node.body):
        body = f"({body})"
    if node.index is None:
        return f"√{body}"
    index = _inline_row(node.index, True)
    special = {"3": "∛", "4": "∜"}
    if index in special:
        return special[index] + body
    sup = _to_script(index, _SUP)
    return f"{sup}√{body}" if sup else f"root({index})({body})"


def _inline_matrix(node: _Matrix, script: bool) -> str:
    left, right = _MATRICES[node.env]
    rows = ["  ".join(_inline_row(cell, script) for cell in row) for row in node.rows]
    if node.env in ("aligned", "align", "align*", "split", "gathered"):
        rows = ["".join(_inline_row(cell, script) for cell in row) for row in node.rows]
    return left + "; ".join(rows) + right


# --------------------------------------------------------------------------- display


@dataclass
class _Box:
    lines: list[str]
    base: int = 0
    width: int = field(default=0)

    def __post_init__(self) -> None:
        self.width = max((text_width(x) for x in self.lines), default=0)
        self.lines = [_pad(x, self.width) for x in self.lines]

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def below(self) -> int:
        return self.height - self.base - 1


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _center(text: str, width: int) -> str:
    gap = width - text_width(text)
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
    lines = [" " * text_width(delim)] * height
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


def _display_row(items: Sequence[_Node], script: bool) -> _Box:
    if script:
        return _Box([_inline_row(items, True)])
    classes = _classes(items)
    boxes: list[_Box] = []
    for k, item in enumerate(items):
        box = _display(item)
        spaced = k > 0 and _space_between(classes[k - 1][1], classes[k][0], False)
        stacked = box.height > 1 or (k > 0 and boxes and _is_stacked(items[k - 1]))
        if k > 0 and (spaced or (stacked and _touching(items, classes, k))):
            boxes.append(_Box([" "]))
        if isinstance(item, _Frac) and box.height == 1 and _numeric_fraction(item) is None:
            if _juxtaposed(items, classes, k):
                box = _Box([f"({box.lines[0]})"])
        boxes.append(box)
    return _hcat(boxes)


def _is_stacked(node: _Node) -> bool:
    return isinstance(node, _Frac | _Binom | _Matrix) or (
        isinstance(node, _Scripts) and isinstance(node.base, _Frac | _Matrix)
    )


def _touching(items: Sequence[_Node], classes: list[tuple[str, str]], k: int) -> bool:
    """Whether items k-1 and k would touch (so a stacked fraction needs a gap)."""
    if isinstance(items[k - 1], _Space) or isinstance(items[k], _Space):
        return False
    if not (_is_stacked(items[k - 1]) or _is_stacked(items[k])):
        return False
    return classes[k - 1][1] not in ("open",) and classes[k][0] not in ("close", "punct")


def _display(node: _Node) -> _Box:
    if isinstance(node, _Atom | _Space):
        return _Box([node.text])
    if isinstance(node, _Group):
        return _display_row(node.items, False)
    if isinstance(node, _Accent):
        body = _display_row(node.body, False)
        if body.height != 1:
            raise MathError("an accent over a tall expression cannot be drawn")
        return _Box([_accent(body.lines[0].rstrip(), node)])
    if isinstance(node, _Scripts):
        return _display_scripts(node)
    if isinstance(node, _Frac):
        if node.style == "text":
            return _Box([_inline_frac(node, False)])
        numeric = _numeric_fraction(node)
        num = _display_row(node.num, False)
        den = _display_row(node.den, False)
        if numeric is not None and node.style == "auto":
            pass  # integers stack like any fraction in display
        width = max(num.width, den.width)
        rule = _Box(["─" * width])
        return _vstack([num, rule, den], num.height)
    if isinstance(node, _Binom):
        top = _display_row(node.top, False)
        bottom = _display_row(node.bottom, False)
        return _fence(_vstack([top, bottom], top.height - 1), "(", ")")
    if isinstance(node, _Sqrt):
        body = _display_row(node.body, False)
        if body.height == 1:
            return _Box([_inline_sqrt(node, False)])
        fenced = _fence(body, "(", ")")
        root = _tall_delimiter("√", fenced.height, fenced.base)
        return _hcat([root, fenced])
    if isinstance(node, _Fenced):
        return _fence(_display_row(node.items, False), node.left, node.right)
    return _display_matrix(node)


def _display_scripts(node: _Scripts) -> _Box:
    base = _display(node.base)
    op_limits = isinstance(node.base, _Atom) and node.base.cls == "op" and node.base.limits
    if op_limits:
        parts = []
        if node.sup is not None:
            parts.append(_Box([_inline_row(node.sup, True)]))
        parts.append(base)
        if node.sub is not None:
            parts.append(_Box([_inline_row(node.sub, True)]))
        return _vstack(parts, base.base + (1 if node.sup is not None else 0))
    sub = _to_script(_inline_row(node.sub, True), _SUB) if node.sub is not None else ""
    sup = _to_script(_inline_row(node.sup, True), _SUP) if node.sup is not None else ""
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


def _display_matrix(node: _Matrix) -> _Box:
    aligned = node.env in ("aligned", "align", "align*", "split")
    gathered = node.env == "gathered"
    cells = [[_aligned_cell(cell, c) if aligned else _display_row(cell, False) for c, cell in
              enumerate(row)] for row in node.rows]  # fmt: skip
    columns = max((len(row) for row in cells), default=0)
    if columns == 0:
        return _Box([""])
    widths = [max((row[c].width for row in cells if c < len(row)), default=0)
              for c in range(columns)]  # fmt: skip
    plain = all(" " not in line.strip() for row in cells for b in row for line in b.lines)
    gap = "" if aligned or gathered else (" " if plain else "  ")
    lines: list[str] = []
    for row in cells:
        above = max(b.base for b in row)
        below = max(b.below for b in row)
        for r in range(above + below + 1):
            parts = []
            for c in range(columns):
                box = row[c] if c < len(row) else _Box([""])
                k = r - (above - box.base)
                text = box.lines[k] if 0 <= k < box.height else ""
                if aligned:
                    part = text.rjust(widths[c]) if c % 2 == 0 else _pad(text, widths[c])
                    part = " " * (widths[c] - text_width(text)) + text if c % 2 == 0 else part
                elif node.env == "cases":
                    part = _pad(text, widths[c]) + ("  " if c + 1 < columns else "")
                    parts.append(part)
                    continue
                else:
                    part = _center(text, widths[c])
                parts.append(part)
            lines.append((gap if not aligned else "").join(parts))
    body = _Box(lines, (len(lines) - 1) // 2)
    left, right = _MATRICES[node.env]
    if node.env == "cases":
        body = _hcat([body, _Box([" "] * body.height, body.base)])
        return _hcat([_tall_delimiter("{", body.height, body.base), _Box([" "]), body])
    return _fence(body, left, right)


def _aligned_cell(cell: list[_Node], column: int) -> _Box:
    box = _display_row(cell, False)
    classes = _classes(cell)
    if column % 2 == 1 and classes and classes[0][0] in ("rel", "bin"):
        return _hcat([_Box([" "]), box])  # `&=` spaces like `{}=` in TeX
    return box


# --------------------------------------------------------------------------- API


def _parse(latex: str) -> list[list[list[_Node]]]:
    parser = _Parser(latex)
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
