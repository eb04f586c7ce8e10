"""The command line: `tutor`, `tutor --plain`, and the subcommands of DESIGN.md's contract.

Parsing only; each command lives in its own module, imported when it runs, so
`tutor --help` and the UI's first frame never pay for a frontend they do not use.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from tutor import __version__
from tutor.options import DEFAULT_TIMEOUT, LANGUAGES, Options, default_language

DESCRIPTION = """\
A terminal tutor for the mathematics deep learning starts from (linear algebra,
calculus, automatic differentiation, probability), taught with TensorFlow.
Without a command it opens the tutor where you stopped."""


def _merge_rule() -> str:
    from tutor.commands.progress import MERGE_RULE

    return MERGE_RULE


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, help="lesson and interface language")
    parser.add_argument(
        "--lesson", metavar="ID", help="open this lesson (see `tutor lessons list`)"
    )
    parser.add_argument(
        "--device",
        choices=("cpu", "gpu", "auto"),
        default="auto",
        help="where TensorFlow runs (default: auto, a GPU when there is one)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"wall-clock limit for one cell (default {DEFAULT_TIMEOUT:g})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="line-mode tutor (dumb terminals, screen readers, scripts)",
    )
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lessons = sub.add_parser("lessons", help="list the lessons, or check them (the validator)")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    listing = lessons_sub.add_parser("list", help="lessons in order with their exercises")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the titles"
    )
    check_lessons = lessons_sub.add_parser(
        "check", help="prove the curriculum: examples run, solutions pass, wrong answers fail"
    )
    check_lessons.add_argument(
        "paths", nargs="*", metavar="PATH", help="lesson folders (default: all)"
    )
    check_lessons.add_argument("--json", action="store_true", help="machine-readable output")

    ev = sub.add_parser("eval", help="run cells in a fresh sandboxed kernel and print each result")
    ev.add_argument(
        "-c", dest="cells", action="append", default=[], metavar="CODE", help="a cell (repeatable)"
    )
    ev.add_argument(
        "file", nargs="?", metavar="FILE", help="a file of cells separated by '# %%%%' lines"
    )
    ev.add_argument("--json", action="store_true", help="machine-readable output")
    ev.add_argument("--device", choices=("cpu", "gpu", "auto"), default=argparse.SUPPRESS)
    ev.add_argument("--timeout", type=float, default=argparse.SUPPRESS, metavar="SECONDS")

    ch = sub.add_parser("check", help="check your answer to an exercise, as the tutor would")
    ch.add_argument("lesson", metavar="LESSON")
    ch.add_argument("exercise", metavar="EXERCISE")
    ch.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="your code (default: stdin)"
    )
    ch.add_argument("--json", action="store_true", help="machine-readable output")
    ch.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language of the feedback"
    )
    ch.add_argument("--timeout", type=float, default=argparse.SUPPRESS, metavar="SECONDS")

    pr = sub.add_parser("progress", help="show, reset, export or import your record")
    pr_sub = pr.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    show = pr_sub.add_parser("show", help="where you are and what you have done")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    reset = pr_sub.add_parser("reset", help="forget your record (all, or one lesson)")
    reset.add_argument("--lesson", metavar="ID", default=argparse.SUPPRESS, help="only this lesson")
    reset.add_argument("--yes", action="store_true", help="do not ask first")
    export = pr_sub.add_parser("export", help="write your record to a JSON file")
    export.add_argument("file", metavar="FILE")
    imp = pr_sub.add_parser(
        "import",
        help="merge a JSON record into yours",
        description=_merge_rule(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE")
    return parser


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        lang=getattr(args, "lang", None) or default_language(),
        lesson=getattr(args, "lesson", None),
        device=getattr(args, "device", "auto"),
        timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except BrokenPipeError:
        # `tutor lessons list | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _saved_language() -> str | None:
    """The language the learner last chose in the tutor (it wins over the locale)."""
    from tutor.progress import ProgressStore

    store = ProgressStore.open()
    try:
        lang = store.preference("lang")
    finally:
        store.close()
    return lang if lang in LANGUAGES else None


def _can_run_textual() -> bool:
    """A full-screen UI needs a terminal on both ends, and one that is not `dumb`.

    Otherwise (`tutor < script.py`, `tutor | tee log`, TERM=dumb) the line-mode tutor runs.
    """
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _dispatch(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    options = options_from(args)
    from tutor.logs import configure_logging

    configure_logging()
    if args.command is None:
        textual = not args.plain and _can_run_textual()
        if textual:
            from tutor.tui.early_keys import hold_keys

            hold_keys()  # first: keys typed while the tutor loads wait for its input
        if getattr(args, "lang", None) is None:
            options = replace(options, lang=_saved_language() or options.lang)
        if not textual:
            from tutor.line.repl import run as run_plain

            return run_plain(options)
        from tutor.tui.app import run as run_tui

        return run_tui(options)
    if args.command == "lessons":
        if args.lessons_command == "list":
            from tutor.commands.lessons import list_lessons

            return list_lessons(options, as_json=args.json)
        from tutor.validate import main as validate

        return validate(args.paths, as_json=args.json)
    if args.command == "eval":
        from tutor.commands.eval import main as run_eval

        return run_eval(args, options)
    if args.command == "check":
        from tutor.commands.check import main as run_check

        return run_check(args, options)
    if args.command == "progress":
        from tutor.commands.progress import main as run_progress

        return run_progress(args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
