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


def test_a_break_next_to_full_width_punctuation_leaves_no_space() -> None:
    assert join_lines(["结果的下标：", "0 到 5"]) == "结果的下标：0 到 5"
    assert join_cjk_breaks("返回下标：\n0 到 5。") == "返回下标：0 到 5。"
    assert join_lines(["用 tf.ones", "得到"]) == "用 tf.ones 得到"  # a Latin word keeps its space


def test_quoted_chinese_lines_join_and_headings_stay_apart() -> None:
    text = "> 算的是相距很远的两点\n> 连线的斜率。\n\n### 标题\n正文"
    assert join_cjk_breaks(text) == "> 算的是相距很远的两点连线的斜率。\n\n### 标题\n正文"
    fenced = "```python\n# 注释\n# 注释\n```"
    assert join_cjk_breaks(fenced) == fenced


def test_gap_between_phrases() -> None:
    from tutor.textflow import gap

    assert gap("Not yet:", "the shape") == " "
    assert gap("还不对：", "这") == ""
    assert gap("✗", "不是") == " "


def test_break_units_keep_latin_tokens_whole_and_split_chinese() -> None:
    from tutor.textflow import break_unit

    units = break_unit().findall("做 m 组试验，用 tf.reduce_sum(x) 求和（按行）。")
    assert units[:3] == ["做 ", "m ", "组"]
    assert "验，" in units  # closing punctuation stays with the character before it
    assert "tf.reduce_sum(x) " in units
    assert "（按" in units  # opening punctuation stays with the character after it
    assert "（shift+F6 " in break_unit().findall("记录（shift+F6 反向）")  # a Latin one too
    assert "".join(units) == "做 m 组试验，用 tf.reduce_sum(x) 求和（按行）。"
