"""The Textual tutor's pure parts: layout of the inspector, cell text, input rules."""

from __future__ import annotations

import dataclasses

from rich.text import Text
from tui_pilot import plain_text

from tutor.cell_rules import is_complete, next_line_indent
from tutor.kernel.protocol import CellResult, CheckResult, ErrorInfo, Gradient, VariableView
from tutor.tui.cell_text import check_entry, input_entry, result_entry
from tutor.tui.completion import completion_insert, shared_extension, token_before
from tutor.tui.input_history import InputHistory, history_from_store
from tutor.tui.inspector_table import gradient_label, inspector_table, shape_text
from tutor.tui.keys import SCREEN_KEYS, help_rows
from tutor.tui.strings import EN, strings_for
from tutor.tui.widgets.question_card import choice_from_key
from tutor.tui.widgets.status_bar import StatusFacts, status_text

X = VariableView(
    "x", "Variable", (4,), "float32", "[0. 1. 2. 3.]", grad=Gradient("y", "[0. 4. 8. 12.]")
)
Y = VariableView("y", "Tensor", (), "float32", "28.0")

ZH = strings_for("zh")


def test_shape_text_is_python_tuple_notation() -> None:
    assert shape_text(()) == "()"
    assert shape_text((4,)) == "(4,)"
    assert shape_text((2, -1)) == "(2, ?)"
    assert shape_text(None) == ""


def test_gradient_label_names_target_and_variable() -> None:
    assert gradient_label(Gradient("y", ""), "x") == "∂y/∂x"
    assert gradient_label(Gradient("2 * x", ""), "x") == "∂(2 * x)/∂x"


def test_inspector_puts_the_gradient_on_the_variables_row_when_wide() -> None:
    for width in (48, 100):
        lines = plain_text(inspector_table([X, Y], width), width=width).splitlines()
        row = next(line for line in lines if line.lstrip().startswith("x "))
        assert "∂y/∂x [0. 4. 8. 12.]" in row, (width, lines)
        assert "(4,)" in row


def test_inspector_gives_a_matrix_a_block_rather_than_fold_its_rows() -> None:
    rows = "[[0. 1. 2. 3.]\n [4. 5. 6. 7.]]"
    m = VariableView("m", "Tensor", (2, 4), "float32", rows)
    lines = plain_text(inspector_table([X, m], 48), width=48).splitlines()
    assert any("[[0. 1. 2. 3.]" in line for line in lines), lines
    assert any("∂y/∂x [0. 4. 8. 12.]" in line for line in lines), lines


def test_inspector_has_no_gradient_column_until_a_gradient_exists() -> None:
    assert "gradient" not in plain_text(inspector_table([Y], 100), width=100)
    assert "gradient" in plain_text(inspector_table([X, Y], 100), width=100)


def test_inspector_narrow_keeps_shape_and_gradient_readable() -> None:
    text = plain_text(inspector_table([X, Y], 34), width=34)
    assert "(4,) f32 Variable" in text
    assert "∂y/∂x [0. 4. 8. 12.]" in text
    assert all(len(line) <= 34 for line in text.splitlines())


def test_inspector_never_reads_markup_from_the_kernel() -> None:
    evil = VariableView("z", "Tensor", (1,), "float32", "[red]boom[/red]")
    assert "[red]boom[/red]" in plain_text(inspector_table([evil], 100), width=100)


def test_cell_text_shows_numbers_output_errors_and_hints_literally() -> None:
    result = CellResult(
        "error",
        stdout="[bold]hi[/bold]\n",
        error=ErrorInfo("AttributeError", "no tf.reshapre", hint="did you mean tf.reshape?"),
        execution_count=7,
    )
    text = plain_text(result_entry(result, EN))
    assert "[bold]hi[/bold]" in text
    assert "AttributeError: no tf.reshapre" in text
    assert "did you mean tf.reshape?" in text
    assert "In [7]:" in plain_text(input_entry("x = 1", 7))
    assert "In [ ]:" in plain_text(input_entry("x = 1", None, "queued"))


def test_value_is_shown_as_out() -> None:
    text = plain_text(result_entry(CellResult("ok", value="[link]3[/link]", execution_count=2), EN))
    assert "Out[2]: [link]3[/link]" in text


def test_lost_kernel_tells_what_was_lost_and_the_way_back() -> None:
    for outcome in ("timeout", "killed", "crashed"):
        result = CellResult.failed(outcome, "X", "")
        text = plain_text(result_entry(result, EN))
        assert EN.kernel_lost[outcome] in text
        assert "variables are gone" in text and "ctrl+r" in text


def test_out_of_memory_is_told_once() -> None:
    message = "The cell used more than 5.9 GiB of memory, so the kernel was stopped."
    result = CellResult.failed("killed", "MemoryError", message, hint="Make tensors smaller.")
    text = plain_text(result_entry(result, EN))
    assert text.count("memory") == 1, text  # not "too much memory" thrice over
    assert "Make tensors smaller." in text and "ctrl+r" in text


def test_check_entry_passes_with_the_way_on_and_fails_with_the_diagnosis() -> None:
    assert "F8" in plain_text(check_entry(CheckResult(True, ""), EN, "Well done!"))
    assert "Well done!" in plain_text(check_entry(CheckResult(True, ""), EN, "Well done!"))
    failed = plain_text(check_entry(CheckResult(False, "shape (5,) not (4,)"), EN, "x"))
    assert "Not yet" in failed and "shape (5,) not (4,)" in failed


def test_cell_completeness_follows_the_repl() -> None:
    assert is_complete("x = 1")
    assert not is_complete("for i in range(3):")
    assert not is_complete("x = (1,")
    assert not is_complete("for i in x:\n    print(i)")
    assert is_complete("for i in x:\n    print(i)\n")
    assert is_complete("x = 1 +* 2")  # a syntax error runs, to be reported
    assert not is_complete("   ")
    assert next_line_indent("for i in x:") == "    "
    assert next_line_indent("    y = 1") == "    "


def test_completion_text() -> None:
    assert token_before("y = tf.res") == "tf.res"
    assert token_before("x.") == "x."
    assert token_before("1 + ") == ""
    assert completion_insert("tf.res", "tf.reshape") == "hape"
    assert completion_insert("x.sha", "shape") == "pe"
    assert shared_extension("x.s", ["x.shape", "x.sum"]) == ""
    assert shared_extension("tf.re", ["tf.reshape", "tf.reduce_sum"]) == ""
    assert shared_extension("tf.red", ["tf.reduce_sum", "tf.reduce_mean"]) == "uce_"


def test_history_browses_and_keeps_the_draft() -> None:
    saved: list[str] = []
    history = InputHistory(["a", "b"], saved.append)
    assert history.previous("draft") == "b"
    assert history.previous("b") == "a"
    assert history.previous("a") is None
    assert history.next() == "b"
    assert history.next() == "draft"
    assert history.next() is None
    history.add("c")
    history.add("c")
    assert history.entries == ("a", "b", "c") and saved == ["c"]


def test_history_from_a_failing_store_still_works() -> None:
    class Broken:
        def history(self) -> list[str]:
            raise OSError("disk")

    history = history_from_store(Broken())
    history.add("x = 1")
    assert history.entries == ("x = 1",)


def test_choice_keys() -> None:
    assert choice_from_key("2", 3) == "2"
    assert choice_from_key("c", 3) == "3"
    assert choice_from_key("d", 3) is None
    assert choice_from_key("0", 3) is None
    assert choice_from_key("enter", 3) is None


def test_status_line() -> None:
    from tutor.kernel.protocol import KernelInfo

    info = KernelInfo("2.21.0", "3.11", ("/device:CPU:0",), {"landlock": 4, "seccomp": True})
    facts = StatusFacts("ready", "", info, 2, 8, 1, 6)
    text = status_text(facts, EN).plain
    for part in ("kernel ready", "CPU:0", "TF 2.21.0", "isolation partial", "lesson 2/8", "1/6"):
        assert part in text
    assert "内核 就绪" in status_text(facts, ZH).plain
    assert "loading" in status_text(StatusFacts("starting", "loading"), EN).plain


def test_strings_are_complete_in_both_languages() -> None:
    for field in dataclasses.fields(EN):
        en, zh = getattr(EN, field.name), getattr(ZH, field.name)
        assert en and zh, field.name
        if isinstance(en, dict):
            assert en.keys() == zh.keys(), field.name
    assert strings_for("fr") is EN
    assert {k.words for k in SCREEN_KEYS} <= {f.name for f in dataclasses.fields(EN)}
    assert len(help_rows(ZH)) == len(help_rows(EN))
    assert isinstance(Text(EN.replay_offer), Text)


def test_the_tui_imports_neither_tensorflow_nor_numpy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tutor.tui.app, tutor.tui.screens.tutor_screen, tutor.tui.commands;"
        "print(sorted(m for m in ('tensorflow', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
