"""The parsing half of `mathtext`: LaTeX maths to a small tree of atoms and boxes.

Tokenizer, symbol tables and a recursive-descent parser for the subset of LaTeX
maths the lessons use. Layout (inline and 2-D) lives in `mathtext`, which is the
public API; names here are public only so that module can use them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
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
class Atom:
    text: str
    cls: str = "ord"
    limits: bool = False  # an operator whose scripts go under/over it in display
    big: bool = False  # from \big( ... : paired into a Fenced when possible


@dataclass
class Space:
    text: str


@dataclass
class Group:
    items: list[Node]


@dataclass
class Scripts:
    base: Node
    sub: list[Node] | None = None
    sup: list[Node] | None = None


@dataclass
class Frac:
    num: list[Node]
    den: list[Node]
    style: str = "auto"  # auto | display | text


@dataclass
class Binom:
    top: list[Node]
    bottom: list[Node]


@dataclass
class Sqrt:
    body: list[Node]
    index: list[Node] | None = None


@dataclass
class Fenced:
    left: str
    items: list[Node]
    right: str


@dataclass
class Matrix:
    env: str
    rows: list[list[list[Node]]]


@dataclass
class Accent:
    body: list[Node]
    mark: str
    every: bool = False  # put the mark on every character (\overline)


Node = Atom | Space | Group | Scripts | Frac | Binom | Sqrt | Fenced | Matrix | Accent

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
            "notag", "limits", "nolimits", "mathstrut", "strut"}  # fmt: skip
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
MATRICES = {"matrix": ("", ""), "bmatrix": ("[", "]"), "pmatrix": ("(", ")"),
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

SUP = dict(zip("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾", strict=True))
SUP.update(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True))
SUP.update(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ", strict=True))
SUP.update(zip("αβγδεθιφϕχ", "ᵅᵝᵞᵟᵋᶿᶥᶲᶲᵡ", strict=True))
SUP.update({"⊤": "ᵀ", "×": "ˣ", "′": "′", "″": "″", "∗": "*", " ": ""})
SUB = dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎", strict=True))
SUB.update(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
SUB.update(zip("βγρφϕχ", "ᵦᵧᵨᵩᵩᵪ", strict=True))
SUB.update({",": ",", " ": ""})

ALIGNED = {"aligned", "align", "align*", "split"}
VULGAR = {"1/2": "½", "1/3": "⅓", "2/3": "⅔", "1/4": "¼", "3/4": "¾", "1/5": "⅕",
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
    if getattr(spec, "macroname", None) != name:
        return None
    return repl


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
    zip(
        "0123456789",
        ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"],
        strict=True,
    )
)

# --------------------------------------------------------------------------- parser


class Parser:
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

    def rows(self, end: Callable[[_Token], bool]) -> list[list[list[Node]]]:
        """Rows of cells separated by `\\\\` and `&`, up to a token `end` accepts."""
        rows: list[list[list[Node]]] = [[[]]]
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

    def row(self, end: Callable[[_Token], bool], into: list[Node] | None = None) -> list[Node]:
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

    def _attach_script(self, items: list[Node], tok: _Token) -> None:
        arg = self.argument(f"{tok.text} needs something to attach")
        if items and isinstance(items[-1], Scripts):
            target = items[-1]
        else:
            base: Node = items.pop() if items and not isinstance(items[-1], Space) else Group([])
            target = Scripts(base)
            items.append(target)
        if tok.kind == "^":
            if target.sup is not None:
                raise MathError("a double superscript: use braces, x^{ab}")
            target.sup = arg
        else:
            if target.sub is not None:
                raise MathError("a double subscript: use braces, x_{ab}")
            target.sub = arg

    def group(self, what: str) -> list[Node]:
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

    def argument(self, what: str) -> list[Node]:
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
            return [Atom(tok.text)]
        node = self.atom()
        return [node] if node is not None else []

    def raw_group(self, what: str) -> str:
        """The source text of a braced group, for \\text and environment names."""
        tok = self.peek()
        if tok is not None and tok.kind == "char":
            return self.take().text
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

    def optional(self) -> list[Node] | None:
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

    def atom(self) -> Node | None:
        tok = self.take()
        if tok.kind == "{":
            items = self.row(lambda t: t.kind == "}")
            if self.at_end():
                raise MathError("a { is never closed")
            self.take()
            return Group(items)
        if tok.kind == "char":
            return self._char(tok)
        return self._command(tok)

    def _char(self, tok: _Token) -> Node:
        c = tok.text
        if c.isascii() and c.isdigit():
            digits = c
            while (
                (nxt := self.peek()) is not None
                and nxt.kind == "char"
                and (
                    (nxt.text.isascii() and nxt.text.isdigit())
                    or (nxt.text == "." and self._digit_after(self.i + 1))
                )
            ):
                digits += self.take().text
            return Atom(digits)
        if c == "~":
            return Space(" ")
        if c == "'":
            primes = "′"
            while (nxt := self.peek()) is not None and nxt.kind == "char" and nxt.text == "'":
                self.take()
                primes += "′"
            return Atom({"′′": "″", "′′′": "‴"}.get(primes, primes))
        return Atom(_CHAR_TEXT.get(c, c), _CHAR_CLASS.get(c, "ord"))

    def _digit_after(self, index: int) -> bool:
        if index >= len(self.tokens):
            return False
        t = self.tokens[index]
        return t.kind == "char" and t.text.isascii() and t.text.isdigit()

    def _command(self, tok: _Token) -> Node | None:
        name = tok.text
        if tok.kind != "cmd":
            raise MathError(f"unexpected {tok.text!r}")
        if name in _SPACES:
            return Space(_SPACES[name])
        if name in _IGNORED:
            return None
        if name in _GREEK:
            return Atom(_GREEK[name])
        if name in _REL:
            return Atom(_REL[name], "rel")
        if name in _BIN:
            return Atom(_BIN[name], "bin")
        if name in _ORD:
            return Atom(_ORD[name])
        if name in _OPEN:
            return Atom(_OPEN[name], "open")
        if name in _CLOSE:
            return Atom(_CLOSE[name], "close")
        if name in _BIG_OPS:
            return self._limits(Atom(_BIG_OPS[name], "op", limits=True))
        if name in _INTEGRALS:
            return self._limits(Atom(_INTEGRALS[name], "op"))
        if name in _LIMIT_FUNCS:
            return self._limits(Atom(_FUNC_TEXT.get(name, name), "op", limits=True))
        if name in _FUNCS:
            return Atom(name, "op")
        if name == "operatorname":
            star = self._star()
            text = _plain_text(self.raw_group("\\operatorname"))
            return self._limits(Atom(text, "op", limits=star))
        if name in _FRACS:
            num = self.argument(f"\\{name} needs a numerator")
            den = self.argument(f"\\{name} needs a denominator")
            return Frac(num, den, _FRACS[name])
        if name in ("binom", "dbinom", "tbinom"):
            top = self.argument("\\binom needs two arguments")
            return Binom(top, self.argument("\\binom needs two arguments"))
        if name == "sqrt":
            index = self.optional()
            return Sqrt(self.argument("\\sqrt needs an argument"), index)
        if name in _FONTS:
            body = self.argument(f"\\{name} needs an argument")
            return Group(body)
        if name == "mathbb":
            return Atom(_double_struck(_plain_text(self.raw_group("\\mathbb"))))
        if name in _TEXTS:
            return Atom(_plain_text(self.raw_group(f"\\{name}")))
        if name in _ACCENTS:
            return Accent(self.argument(f"\\{name} needs an argument"), _ACCENTS[name])
        if name in _WIDE_ACCENTS:
            body = self.argument(f"\\{name} needs an argument")
            return Accent(body, _WIDE_ACCENTS[name], every=True)
        if name == "left":
            return self._left()
        if name == "right":
            raise MathError("\\right without \\left")
        if name in ("middle",):
            return Atom(self._delimiter("\\middle"), "rel")
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
            return Atom(delim, cls, big=True)
        if name == "not":
            nxt = self.atom()
            negated = {"=": "≠", "∈": "∉", "≡": "≢", "⊂": "⊄", "∼": "≁", "<": "≮", ">": "≯"}
            if isinstance(nxt, Atom) and nxt.text in negated:
                return Atom(negated[nxt.text], "rel")
            if isinstance(nxt, Atom) and len(nxt.text) == 1:
                return Atom(nxt.text + "\u0338", nxt.cls)
            raise MathError("\\not applies to one symbol")
        if name == "begin":
            return self._environment()
        if name == "end":
            raise MathError("\\end without \\begin")
        fallback = _pylatexenc_symbol(name)
        if fallback is not None:
            return Atom(fallback)
        raise MathError(f"unknown command \\{name}")

    def _star(self) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "char" and tok.text == "*":
            self.take()
            return True
        return False

    def _limits(self, op: Atom) -> Atom:
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

    def _left(self) -> Fenced:
        left = self._delimiter("\\left")
        items = self.row(lambda t: t.kind == "cmd" and t.text == "right")
        if self.at_end():
            raise MathError("\\left without \\right")
        self.take()
        return Fenced(left, items, self._delimiter("\\right"))

    def _environment(self) -> Matrix:
        env = self.raw_group("\\begin").strip()
        if env not in MATRICES:
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
        return Matrix(env, rows)


def _plain_text(raw: str) -> str:
    """The text of \\text{...}: escapes resolved, anything else refused."""
    text = re.sub(r"\\([%&_#${}])", r"\1", raw)
    text = re.sub(r"\\[,;: ]|~", " ", text)
    text = text.replace("{", "").replace("}", "")
    if "\\" in text or "$" in text:
        raise MathError(f"commands inside text are not supported: {raw!r}")
    return text


def _pair_big_delimiters(items: list[Node]) -> list[Node]:
    """Turn `\\big( ... \\big)` pairs into fenced groups so display can size them."""
    if not any(isinstance(x, Atom) and x.big for x in items):
        return items
    out: list[Node] = []
    stack: list[tuple[int, Atom]] = []
    for item in items:
        if isinstance(item, Atom) and item.big and item.cls != "rel":
            same_as_open = bool(stack) and stack[-1][1].text == item.text
            if item.cls == "close" or (item.cls == "ord" and same_as_open):
                if stack:
                    start, opener = stack.pop()
                    inner = out[start:]
                    del out[start:]
                    out.append(Fenced(opener.text, inner, item.text))
                    continue
            elif item.cls in ("open", "ord"):
                stack.append((len(out), item))
                continue
        out.append(item)
    # Unpaired openers were held back: put them back in place as plain atoms.
    for start, opener in reversed(stack):
        out.insert(start, Atom(opener.text, "open"))
    return out
