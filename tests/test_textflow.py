"""Joining and wrapping text in English and Chinese for terminal columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tutor.textflow import display_width, join_cjk_breaks, join_lines, wrap


def test_chinese_lines_join_without_a_space() -> None:
    assert join_lines(["按这个常数的", "绝对值缩放。"]) == "按这个常数的绝对值缩放。"
    assert join_lines(["scale by the", "absolute value"]) == "scale by the absolute value"
    assert join_lines(["用 `tf.norm`", "计算"]) == "用 `tf.norm` 计算"


def test_breaks_between_cjk_are_removed_in_markdown() -> None:
    text = "消去 5 行，\n每列留下一个数。\n\n- 列表\n- item"
    assert join_cjk_breaks(text) == "消去 5 行，每列留下一个数。\n\n- 列表\n- item"


def test_wide_characters_count_twice() -> None:
    assert display_width("张量") == 4
    assert display_width("x²") == 2


def test_wrap_chinese_fits_the_width() -> None:
    text = (
        "范数是向量的大小的一种度量，它满足四条性质：非负、齐次、三角不等式和只有零向量的范数为零。"
    )
    lines = wrap(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines) == text


def test_wrap_english_breaks_at_spaces() -> None:
    lines = wrap("the quick brown fox jumps over the lazy dog", 10)
    assert lines == ["the quick", "brown fox", "jumps over", "the lazy", "dog"]


def test_wrap_with_indents() -> None:
    assert wrap("one two three", 9, initial_indent="- ", subsequent_indent="  ") == [
        "- one two",
        "  three",
    ]


@given(st.text(alphabet="ab 张量，x", max_size=80), st.integers(min_value=4, max_value=40))
def test_wrap_never_exceeds_the_width_and_keeps_the_text(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_reflow_joins_prose_and_keeps_lists() -> None:
    from tutor.textflow import reflow

    assert reflow("You summed\neach row.\n\n- one\n- two") == "You summed each row.\n\n- one\n- two"
    assert reflow("你对每一行\n求了和。") == "你对每一行求了和。"


def test_plain_inline_undoes_markdown_but_not_code() -> None:
    from tutor.textflow import plain_inline

    assert plain_inline(r"P(B \| A) is **read** as `__doc__`") == "P(B | A) is read as `__doc__`"
    assert plain_inline(r"`a \| b` and a\*b") == r"`a \| b` and a*b"


def test_no_line_starts_with_closing_punctuation() -> None:
    text = "这一课是后面所有课程都要用到的工具箱：创建张量、改变形状，以及最容易出错的几条规则。"
    for width in range(8, 40):
        for line in wrap(text, width):
            assert line[0] not in "，。、；：！？）", (width, line)


def test_cjk_paragraphs_are_prewrapped_for_markdown() -> None:
    from tutor.textflow import wrap_cjk_markdown

    source = (
        "对两个随机变量 A 和 B，联合概率是二者同时发生的概率。对离散变量，它是一张表，"
        "用 `tf.reduce_sum(J, axis=1)` 求和。\n\n"
        "```python\nJ = tf.constant([[0.1, 0.2]])\n```\n\n"
        "- 列表项保持原样，不会被重新折行，即使它很长很长很长很长很长很长\n"
        "English stays as it is."
    )
    out = wrap_cjk_markdown(source, 30)
    first = out.split("\n\n")[0]
    lines = first.split("  \n")
    assert len(lines) > 1 and all(display_width(line) <= 30 for line in lines)
    assert "`tf.reduce_sum(J,\u00a0axis=1)`" in first  # a code span is never split
    assert "```python\nJ = tf.constant([[0.1, 0.2]])\n```" in out
    assert "- 列表项保持原样，不会被重新折行，即使它很长很长很长很长很长很长" in out
    assert out.endswith("English stays as it is.")
