"""When Enter runs a cell: the rules both frontends share."""

from __future__ import annotations

from tutor.cell_rules import is_complete


def test_two_empty_lines_run_even_an_unclosed_bracket() -> None:
    assert not is_complete("x = tf.range(12")
    assert not is_complete("x = tf.range(12\n")
    assert is_complete("x = tf.range(12\n\n")
    assert not is_complete("for i in range(3):\n    print(i)")
    assert is_complete("for i in range(3):\n    print(i)\n")
