"""The LaTeX-to-Unicode renderer: a corpus of formulas with the text a learner sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tutor.curriculum.mathtext import MathError, render_display, render_inline

INLINE = [
    # scripts: Unicode where it exists, a readable fallback where not
    (r"x^2", "x²"),
    (r"x_i", "xᵢ"),
    (r"x^{n-1}", "xⁿ⁻¹"),
    (r"a_{ij}", "aᵢⱼ"),
    (r"x_{i-1}", "xᵢ₋₁"),
    (r"x_{k+1}", "xₖ₊₁"),
    (r"x_i^2", "xᵢ²"),
    (r"\|\mathbf{X}\|_F", "‖X‖_F"),
    (r"e^{x_2}", "e^(x₂)"),
    (r"x^{q}", "x^q"),
    (r"\mathbf{A}^\top", "Aᵀ"),
    (r"\mathbb{R}^{m\times n}", "ℝᵐˣⁿ"),
    (r"\mathbf{x}=[x_1,\dots,x_n]^\top\in\mathbb{R}^n", "x = [x₁, …, xₙ]ᵀ ∈ ℝⁿ"),
    (r"f'(x)", "f′(x)"),
    (r"\mathbb{E}[X]", "𝔼[X]"),
    # Greek and symbols
    (r"\alpha\beta\Gamma\theta\lambda\sigma\Omega", "αβΓθλσΩ"),
    (r"\partial \nabla \infty \emptyset", "∂∇∞∅"),
    (r"a\le b\ge c\ne d\approx e", "a ≤ b ≥ c ≠ d ≈ e"),
    (r"x\in A\cup B\cap C", "x ∈ A ∪ B ∩ C"),
    (r"\mathbf{A}\odot\mathbf{B}", "A ⊙ B"),
    (r"a\cdot b\times c", "a · b × c"),
    (r"f:\mathbb{R}\to\mathbb{R}", "f : ℝ → ℝ"),
    (r"f(\mathbf{x})=0\iff\forall i,\ x_i=0", "f(x) = 0 ⇔ ∀i, xᵢ = 0"),
    (r"A\perp B\mid C", "A ⊥ B | C"),
    (r"\lvert x\rvert", "|x|"),
    (r"\|\mathbf{x}\|", "‖x‖"),
    (r"x_1,\ldots,x_n,\cdots", "x₁, …, xₙ, ⋯"),
    (r"a\quad b\,c", "a  b c"),
    # fractions and roots
    (r"\frac{a}{b}", "a/b"),
    (r"\frac{x+1}{2y}", "(x + 1)/(2y)"),
    (r"\frac{dy}{dx}", "dy/dx"),
    (r"\frac{\partial f}{\partial x_i}", "∂f/∂xᵢ"),
    (r"\frac{d}{dx}f(x)", "(d/dx)f(x)"),
    (r"\frac{f(x)}{g(x)}", "f(x)/g(x)"),
    (r"\frac{1}{2}", "½"),
    (r"c=\tfrac59(f-32)", "c = ⁵⁄₉(f − 32)"),
    (r"\dfrac{35}{12}", "³⁵⁄₁₂"),
    (r"\frac{g'}{[g(x)]^2}", "g′/[g(x)]²"),
    (r"\frac{P(A,B)}{P(B)}", "P(A, B)/P(B)"),
    (
        r"\cos\theta=\frac{\mathbf{x}^\top\mathbf{y}}{\|\mathbf{x}\|\|\mathbf{y}\|}",
        "cos θ = xᵀy/(‖x‖‖y‖)",
    ),
    (r"\frac{-1}{x}", "−1/x"),
    (r"\sqrt{x}", "√x"),
    (r"\sqrt{x+1}", "√(x + 1)"),
    (r"\sqrt[3]{x}", "∛x"),
    # operators with limits
    (r"\sum_{i=1}^{d}x_i", "∑ᵢ₌₁ᵈ xᵢ"),
    (r"\prod_k d_k", "∏ₖ dₖ"),
    (r"\int_0^1 f(x)\,dx", "∫₀¹ f(x) dx"),
    (r"\lim_{h\to 0} f(h)", "lim_{h→0} f(h)"),
    (r"\sum_{k\le i}a_{kj}", "∑_{k≤i} aₖⱼ"),
    (r"\operatorname{cumsum}_0\mathbf{A}", "cumsum₀ A"),
    (r"\log x + \sin(x)", "log x + sin(x)"),
    # delimiters, text, fonts
    (r"\left(\frac{a}{b}\right)^2", "(a/b)²"),
    (r"\big(\sum_i|x_i|^p\big)^{1/p}", "(∑ᵢ |xᵢ|ᵖ)^(1/p)"),
    (r"\Big[x\Big]", "[x]"),
    (r"\{1,\dots,6\}", "{1, …, 6}"),
    (r"x \text{ if } x>0", "x if x > 0"),
    (r"\mathrm{Var}[X]=E[(X-E[X])^2]", "Var[X] = E[(X − E[X])²]"),
    (r"\mathsf{X}\mathcal{S}\mathit{y}", "XSy"),
    (r"P(D_1{=}1)", "P(D₁=1)"),
    (r"\hat p", "p̂"),
    (r"\bar a", "ā"),
    (r"-x + y", "−x + y"),
    (r"\begin{bmatrix}1&2\\3&4\end{bmatrix}", "[1 2; 3 4]"),
    (r"\binom{n}{k}", "C(n, k)"),
]


@pytest.mark.parametrize(("latex", "expected"), INLINE)
def test_inline(latex: str, expected: str) -> None:
    assert render_inline(latex) == expected


DISPLAY = [
    (r"\frac{a+b}{2}", ["a + b", "─────", "  2"]),
    (
        r"\mathbf{A} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
        ["A = ⎡1 2⎤", "    ⎣3 4⎦"],
    ),
    (
        r"\begin{pmatrix} a \\ b \\ c \end{pmatrix}",
        ["⎛a⎞", "⎜b⎟", "⎝c⎠"],
    ),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", ["│a b│", "│c d│"]),
    (
        r"\begin{bmatrix} 10 & 2 \\ 3 & 400 \end{bmatrix}",
        ["⎡10  2 ⎤", "⎣3  400⎦"],
    ),
    (
        r"\lim_{h\to 0}\frac{f(x+h)-f(x)}{h}",
        ["    f(x + h) − f(x)", "lim ───────────────", "h→0        h"],
    ),
    (r"\sum_{i=1}^{n} x_i", [" n", " ∑  xᵢ", "i=1"]),
    (r"\frac{dy}{dx}=\frac{dy}{du}\frac{du}{dx}", ["dy   dy du", "── = ── ──", "dx   du dx"]),
    (r"\|\mathbf{X}\|_F^2", ["‖X‖²", "   F"]),
    (r"x^2 + y_i", ["x² + yᵢ"]),
    (
        r"\left(\frac{a}{b}\right)",
        ["⎛a⎞", "⎜─⎟", "⎝b⎠"],
    ),
    (
        r"|x| = \begin{cases} x & x \ge 0 \\ -x & x < 0 \end{cases}",
        ["|x| = ⎰ x   x ≥ 0", "      ⎱ −x  x < 0"],
    ),
    (
        r"\begin{aligned} a &= b + c \\ &= d \end{aligned}",
        ["a = b + c", "  = d"],
    ),
    (r"\sqrt{\frac{a}{b}}", [" ⎛a⎞", "√⎜─⎟", " ⎝b⎠"]),
]


@pytest.mark.parametrize(("latex", "expected"), DISPLAY)
def test_display(latex: str, expected: list[str]) -> None:
    assert render_display(latex) == expected


def test_display_lines_are_aligned_columns() -> None:
    lines = render_display(
        r"\mathbf{A}=\begin{bmatrix}a_{11}&\cdots&a_{1n}\\\vdots&\ddots&\vdots\\a_{m1}&\cdots&a_{mn}\end{bmatrix}"
    )
    assert len(lines) == 3
    assert lines[1].startswith("A = ⎢")
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1  # the block is a rectangle: the bracket column lines up


REFUSED = [
    (r"\frac{a}", "denominator"),
    (r"x^", "attach"),
    (r"{x", "never closed"),
    (r"x}", "unmatched"),
    (r"\left( x", "\\left without \\right"),
    (r"x \right)", "\\right without \\left"),
    (r"\begin{weird} x \end{weird}", "unknown environment"),
    (r"\begin{bmatrix} x \end{pmatrix}", "ended by"),
    (r"\nosuchcommand", "unknown command"),
    (r"x^2^3", "double superscript"),
    (r"50%", "percent"),
    (r"\text{\foo}", "commands inside text"),
    ("x \\", "lone backslash"),
]


@pytest.mark.parametrize(("latex", "message"), REFUSED)
def test_refuses_what_it_cannot_draw(latex: str, message: str) -> None:
    with pytest.raises(MathError, match=re.escape(message)):
        render_display(latex)


def test_line_breaks_need_display() -> None:
    with pytest.raises(MathError, match="display"):
        render_inline(r"a \\ b")
    assert render_display(r"a = 1 \\ b = 2") == ["a = 1", "b = 2"]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(MathError, match="nested too deeply"):
        render_inline("{" * 500 + "x" + "}" * 500)


REFERENCE = Path("/work/shared/reference/curriculum.md")


def _reference_formulas() -> list[str]:
    if not REFERENCE.exists():
        return []
    return re.findall(r"(?<![\\$])\$([^$\n]+?)\$", REFERENCE.read_text(encoding="utf-8"))


@pytest.mark.skipif(
    not REFERENCE.exists(), reason="the curriculum reference is not on this machine"
)
def test_every_formula_of_the_curriculum_reference_renders() -> None:
    formulas = _reference_formulas()
    assert len(formulas) > 100
    for latex in formulas:
        inline = render_inline(latex)
        display = render_display(latex)
        assert "\\" not in inline, latex
        assert all("\\" not in line for line in display), latex
        assert inline.strip(), latex


_PIECES = [
    *"xyz012 +-=^_{}()[]|&,'\\",
    r"\frac", r"\sqrt", r"\left(", r"\right)", r"\sum", r"\mathbf", r"\big(", r"\alpha",
    r"\begin{bmatrix}", r"\end{bmatrix}", r"\\", r"\text{a}", r"\lim", r"\hat", r"\|",
    r"\{", r"\mathbb{R}", r"\tfrac", r"\binom", r"\begin{cases}", r"\end{cases}",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join) | st.text(max_size=30))
def test_any_input_renders_or_raises_math_error(latex: str) -> None:
    for render in (render_inline, render_display):
        try:
            result = render(latex)
        except MathError:
            continue
        text = result if isinstance(result, str) else "\n".join(result)
        assert "\\" not in text
