"""The inspector's order: the names the last cell changed come first.

The kernel lists its namespace alphabetically; a learner who just bound `lt` and `gt`
wants to see them, not `X` and `Y` from the lesson's setup, at the top of a small
inspector. Both frontends order their variables with these pure functions.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from tutor.kernel.protocol import VariableView


def bound_in_order(code: str) -> list[str]:
    """The names a cell binds, in the order they appear in it (each once)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.append((node.lineno, node.col_offset, node.id))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append((node.lineno, node.col_offset, node.name))
    names: list[str] = []
    for _, _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _facts(view: VariableView) -> tuple[object, ...]:
    # The gradient is left out: it follows the cell's target, not the name itself.
    return (view.kind, view.shape, view.dtype, view.preview)


def changed_names(
    previous: Sequence[VariableView], current: Sequence[VariableView], code: str
) -> list[str]:
    """The names of `current` the cell changed: those it binds (in its order), then
    those that are new or hold another value (a `.assign`, a setup) in the kernel's order."""
    before = {view.name: _facts(view) for view in previous}
    present = {view.name for view in current}
    changed = [name for name in bound_in_order(code) if name in present]
    for view in current:
        if view.name not in changed and before.get(view.name) != _facts(view):
            changed.append(view.name)
    return changed


def recent_first(
    current: Sequence[VariableView], changed: Sequence[str]
) -> tuple[VariableView, ...]:
    """`current` with the `changed` names first, in that order; the rest as they were."""
    by_name = {view.name: view for view in current}
    first = [by_name[name] for name in changed if name in by_name]
    rest = [view for view in current if view.name not in set(changed)]
    return (*first, *rest)
