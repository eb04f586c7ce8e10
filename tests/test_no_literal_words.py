"""No frontend module holds a sentence for the learner: every one comes from the catalog.

Walks the syntax tree of each module that shows words to a learner and flags every
string that reads like prose (Chinese characters, or two or more words ending in
. ! ? or :), except docstrings and the words of logging calls and of exceptions raised
for developers. A sentence found here belongs in `tutor/words` (`tools/words.py add`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Set
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "tutor"

#: The modules whose words a learner reads.
UI_MODULES = sorted(
    {
        *(ROOT / "tui").rglob("*.py"),
        *(ROOT / "line").rglob("*.py"),
        *(ROOT / "commands").rglob("*.py"),
        ROOT / "session.py",
        ROOT / "feedback.py",
        ROOT / "prediction_verdict.py",
        ROOT / "progress" / "words.py",
        ROOT / "pictures" / "plot_text.py",
    }
)

#: (module, a module-level name) -> why the words assigned to it may stay. Keep it short.
EXEMPT: dict[tuple[str, str], str] = {
    ("tutor/commands/progress.py", "MERGE_RULE"): (
        "`tutor progress import --help`: command-line help is English, like argparse's own"
        " words and every other --help text in tutor/cli.py"
    ),
}

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PROSE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?\s+[A-Za-z]+.*[.!?:]$", re.S)
#: Calls whose words are for developers: logging, warnings and raised exceptions.
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log", "warn"}


def reads_like_prose(text: str) -> bool:
    text = text.strip()
    return bool(CJK.search(text)) or bool(PROSE.search(text))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _for_developers(tree: ast.AST) -> set[int]:
    """The ids of every node inside a logging call or a raised exception."""
    found: set[int] = set()
    for node in ast.walk(tree):
        inside: ast.AST | None = None
        if isinstance(node, ast.Raise) and node.exc is not None:
            inside = node.exc
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in LOGGING and isinstance(node.func, ast.Attribute):
                inside = node
        elif isinstance(node, ast.Assert):
            inside = node
        if inside is not None:
            found.update(id(child) for child in ast.walk(inside))
    return found


def _exempt(tree: ast.Module, names: set[str]) -> set[int]:
    """The ids of every node assigned to one of the module-level `names`."""
    found: set[int] = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            found.update(id(child) for child in ast.walk(node))
    return found


def literal_sentences(path: Path, exempt: Set[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line, text) of each string in `path` that reads like a sentence for a learner,
    but for those assigned to the module-level names in `exempt`."""
    tree = ast.parse(path.read_text("utf-8"))
    skipped = _docstrings(tree) | _for_developers(tree) | _exempt(tree, set(exempt))
    inside_fstring = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) in skipped or id(node) in inside_fstring:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "x" for part in node.values
            )
        else:
            continue
        if reads_like_prose(text):
            yield node.lineno, text


def _name(path: Path) -> str:
    return path.relative_to(ROOT.parent).as_posix()


@pytest.mark.parametrize("path", UI_MODULES, ids=_name)
def test_no_ui_module_holds_a_sentence_for_the_learner(path: Path) -> None:
    exempt = {name for module, name in EXEMPT if module == _name(path)}
    found = [f"{_name(path)}:{line}: {text!r}" for line, text in literal_sentences(path, exempt)]
    assert found == [], "move these into tutor/words:\n" + "\n".join(found)


def test_the_check_sees_a_sentence() -> None:
    assert reads_like_prose("The kernel crashed.")
    assert reads_like_prose("内核")
    assert reads_like_prose("Answer with :answer N:")
    assert not reads_like_prose("ui.key-help")
    assert not reads_like_prose("float32")
    assert not reads_like_prose("%s: %s")
    assert not reads_like_prose("could not load")  # no closing stop: a fragment, not a sentence


def test_every_exemption_is_still_needed() -> None:
    for module, name in EXEMPT:
        path = ROOT.parent / module
        everything = set(literal_sentences(path))
        assert everything - set(literal_sentences(path, {name})), (module, name)


def test_a_sentence_is_found_but_not_a_docstring_a_log_line_or_an_error(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        '"""A module docstring: it is for developers."""\n'
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def tell(name):\n"
        '    """A function docstring."""\n'
        '    log.warning("the kernel did not close cleanly.")\n'
        "    if not name:\n"
        '        raise ValueError("a name is needed here.")\n'
        '    print(f"Forgot {name}.")\n'
        '    return "内核"\n',
        "utf-8",
    )
    assert sorted(literal_sentences(module)) == [(9, "Forgot x."), (10, "内核")]
