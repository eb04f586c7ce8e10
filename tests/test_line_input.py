"""Reading input in `--plain`: complete statements, script cells, commands, bare answers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tutor.line as line_package
from tutor.cell_rules import answers_question as bare_answer
from tutor.line.code_input import ScriptSplitter, is_complete
from tutor.line.commands import COMMANDS, parse_command
from tutor.line.strings import PREFIX
from tutor.words import known


def split(script: str) -> list[str]:
    splitter = ScriptSplitter()
    items = [item for line in script.splitlines() for item in splitter.feed(line)]
    return items + splitter.close()


def test_script_lines_become_cells_and_commands() -> None:
    script = (
        "x = tf.range(4)\n"
        ":vars\n"
        "def f(x):\n"
        "    return x * 2\n"
        "\n"
        "y = f(x)\n"
        "for i in range(2):\n"
        "    print(i)\n"
        "z = [1,\n"
        "     2]\n"
        "if y:\n"
        "    a = 1\n"
        "else:\n"
        "    a = 2\n"
        "@tf.function\n"
        "def g():\n"
        "    return 1\n"
        ":check\n"
        "1 +\n"
    )
    assert split(script) == [
        "x = tf.range(4)",
        ":vars",
        "def f(x):\n    return x * 2",
        "y = f(x)",
        "for i in range(2):\n    print(i)",
        "z = [1,\n     2]",
        "if y:\n    a = 1\nelse:\n    a = 2",
        "@tf.function\ndef g():\n    return 1",
        ":check",
        "1 +",
    ]


def test_a_block_at_the_end_of_input_still_runs() -> None:
    assert split("def f():\n    return 1") == ["def f():\n    return 1"]


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("x = 1", True),
        ("def f():", False),
        ("def f():\n    return 1", False),
        ("def f():\n    return 1\n    ", True),
        ("x = [1,", False),
        ("x = [1,\n2]", True),
        ("1 +", True),  # a syntax error runs: the kernel explains it
        (":next", True),
        ("", True),
    ],
)
def test_enter_runs_only_complete_input(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


def test_commands_parse_and_unknown_ones_get_a_suggestion() -> None:
    command = parse_command(":goto tensors 2")
    assert (command.name, command.argument) == ("goto", "tensors 2")
    assert parse_command(":n").name == "next"
    unknown = parse_command(":nxt")
    assert unknown.name is None and unknown.suggestion == "next"
    assert parse_command(":zzzzzz").suggestion is None
    assert set(COMMANDS) >= {"next", "prev", "lessons", "goto", "hint", "solution", "check"}


def test_bare_numbers_answer_only_questions() -> None:
    assert bare_answer("2", "choice")
    assert not bare_answer("(2)", "choice")
    assert not bare_answer("b", "choice")
    assert bare_answer("-0.25", "number") and bare_answer("1e-3", "number")
    assert not bare_answer("2", None)
    assert not bare_answer("x", "number")


def test_every_phrase_the_line_tutor_says_is_in_the_catalog() -> None:
    """The line tutor names its phrases by key ("check-passed"); each is "line." + key."""
    said: set[str] = set()
    for path in Path(line_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            method = isinstance(node.func, ast.Attribute) and name == "say"
            index = 0 if method else 1
            if name in ("say", "say_count") and len(node.args) > index:
                key = node.args[index]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    said.add(key.value)
    assert len(said) > 40
    assert {key for key in said if not known(PREFIX + key)} == set()
