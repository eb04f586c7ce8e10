"""What `--plain` prints, as pure functions: lesson text, results, the inspector."""

from __future__ import annotations

from line_course import line_course

from tutor.kernel.protocol import (
    CellResult,
    CheckResult,
    ErrorInfo,
    Gradient,
    PlotData,
    Series,
    VariableView,
)
from tutor.line.lesson_text import markdown_lines, step_lines
from tutor.line.result_text import cell_lines, check_lines, variable_detail, variables_table
from tutor.textflow import display_width as cells


def test_markdown_is_wrapped_and_code_kept() -> None:
    md = (
        "## A heading\n\n"
        "A **long** paragraph " + "word " * 30 + "\n\n"
        "- an item that is long enough to wrap " + "more " * 10 + "\n"
        "- another\n\n"
        "```python\nx = tf.range(4)    # a long line is never wrapped, whatever the width\n```\n\n"
        "```output\n[0 1 2 3]\n```\n\n"
        "```text\n    ⎡1  2⎤\nA = ⎣3  4⎦\n```\n\n"
        "> **Common mistake.** a note\n"
    )
    lines = markdown_lines(md, 40)
    assert lines[0] == "A heading"
    assert "**" not in "\n".join(lines)
    prose = [line for line in lines if not line.startswith("    ")]
    assert all(cells(line) <= 40 for line in prose)
    assert "    x = tf.range(4)    # a long line is never wrapped, whatever the width" in lines
    assert lines[lines.index("    # output:") + 1] == "    [0 1 2 3]"
    assert "        ⎡1  2⎤" in lines and "    A = ⎣3  4⎦" in lines
    assert any(line.startswith("- an item") for line in lines)
    assert any(line.startswith("  ") and "more" in line for line in lines)  # item continues
    assert lines[-1].startswith("| Common mistake.")


def test_a_step_shows_its_exercise_or_question() -> None:
    lesson = line_course().lessons[0]
    lines = step_lines(
        lesson=lesson, lesson_number=1, lesson_total=2, step_index=1, status="attempted", width=80
    )
    assert lines[0] == "Lesson 1 of 2: Tensors - step 2 of 3: A matrix"
    assert "Exercise make-a (status: attempted)" in lines
    question = step_lines(
        lesson=lesson, lesson_number=1, lesson_total=2, step_index=2, status=None, width=80
    )
    assert "  2. 0" in question and "Question p-empty" in question


def test_errors_show_type_message_and_hint() -> None:
    result = CellResult(
        "error",
        error=ErrorInfo(
            "AttributeError",
            "module 'tensorflow' has no attribute 'reshapre'",
            hint="Did you mean tf.reshape?",
            traceback='  File "<cell>", line 1',
        ),
    )
    lines = cell_lines(result, "en", 80)
    assert lines == [
        '  File "<cell>", line 1',
        "AttributeError: module 'tensorflow' has no attribute 'reshapre'",
        "Hint: Did you mean tf.reshape?",
    ]
    timeout = cell_lines(CellResult("timeout"), "zh", 80)
    assert timeout == ["已停止：单元运行超过了时间限制。"]


def test_values_stdout_and_plots() -> None:
    plot = PlotData(
        title="", series=(Series("y", (0.0, 1.0), (0.0, 1.0)),), summary="Plot: y; 2 points."
    )
    result = CellResult("ok", value="<tf.Tensor: 3>", stdout="hello\n", plots=(plot,))
    lines = cell_lines(result, "en", 60)
    assert lines[:3] == ["hello", "<tf.Tensor: 3>", "Plot: y; 2 points."]
    assert len(lines) == 3 + 18 and all(cells(line) <= 60 for line in lines)


def test_check_lines() -> None:
    failed = CheckResult(False, "The shape is (5,) but (4,) was expected.", diagnosis="shape")
    assert check_lines(failed, "en", 80) == [
        "Check: not yet.",
        "The shape is (5,) but (4,) was expected.",
    ]
    assert check_lines(CheckResult(True, ""), "zh", 80) == ["检查通过。"]


def views() -> tuple[VariableView, ...]:
    return (
        VariableView(
            "x",
            "Variable",
            (4,),
            "float32",
            "[0. 1. 2. 3.]",
            grad=Gradient("y", "[0. 4. 8. 12.]", (4,)),
        ),
        VariableView("y", "Tensor", (), "float32", "28.0"),
        VariableView(
            "A",
            "Tensor",
            (2, 2),
            "float32",
            "[[0. 1.]\n [2. 3.]]",
            matrix=((0.0, 1.0), (2.0, 3.0)),
        ),
    )


def test_the_inspector_table_puts_value_and_gradient_side_by_side() -> None:
    lines = variables_table(views(), "en", 80)
    header = lines[0].split()
    assert header == ["name", "kind", "shape", "dtype", "value", "gradient"]
    row = next(line for line in lines if line.startswith("x "))
    assert "(4,)" in row and "[0. 1. 2. 3.]" in row and "dy/dx =" in row
    assert row.index("[0. 1. 2. 3.]") < row.index("dy/dx")
    assert any("[0. 4. 8. 12.]" in line for line in lines)
    assert any(line.startswith("y ") and "scalar" in line for line in lines)
    assert any(" [2. 3.]]" in line for line in lines)  # a matrix keeps its rows
    assert all(cells(line) <= 80 for line in lines)
    assert all(cells(line) <= 50 for line in variables_table(views(), "en", 50))


def test_one_variable_in_detail_is_words_not_box_art() -> None:
    lines = variable_detail(views()[2], "en", 80)
    assert lines == ["A: Tensor, 2x2 float32, min 0.0, max 3.0", "[[0. 1.]", " [2. 3.]]"]
    # nothing a screen reader would read out as "box drawing light vertical, shade..."
    assert not any(ch in "".join(lines) for ch in "│┌┐└┘░▒▓█")
