"""The command line: help, version, and the choice of frontend."""

from __future__ import annotations

import os
import subprocess
import sys

from tutor import __version__
from tutor.cli import build_parser


def _tutor(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TERM": "xterm-256color"},
        check=False,
    )


def test_version_and_help_describe_every_subcommand() -> None:
    assert _tutor("--version").stdout.strip() == f"tutor {__version__}"
    text = _tutor("--help").stdout
    for command in ("lessons", "eval", "check", "progress", "--plain", "--lang", "--device"):
        assert command in text


def test_sub_options_do_not_override_the_common_ones() -> None:
    args = build_parser().parse_args(["--lang", "zh", "--timeout", "3", "check", "a", "b"])
    assert args.lang == "zh" and args.timeout == 3.0
    args = build_parser().parse_args(["--lesson", "x", "progress", "reset"])
    assert args.lesson == "x"


def test_without_a_terminal_the_line_tutor_runs() -> None:
    done = _tutor("--lesson", "tensors", stdin=":help\n")
    assert done.returncode == 0, done.stderr
    assert ":goto" in done.stdout  # the line tutor's help, not a Textual screen


def test_the_chosen_language_is_remembered() -> None:
    assert _tutor("--lesson", "tensors", stdin=":lang zh\n:quit\n").returncode == 0
    assert "命令" in _tutor(stdin=":help\n").stdout
    assert "Commands" in _tutor("--lang", "en", stdin=":help\n").stdout
