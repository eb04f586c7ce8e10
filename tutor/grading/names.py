"""Which names a cell binds, reads and changes in place: read from its syntax tree.

A check re-runs only the cells an answer needs (tutor.grading.history); these say which
those are. Read statically, so a cell is never run to find out.
"""

from __future__ import annotations

import ast

#: Methods that change their object in place (a Variable's assign, a list's append...).
MUTATING_METHODS = frozenset(
    {
        "assign", "assign_add", "assign_sub", "scatter_add", "scatter_sub", "scatter_mul",
        "scatter_div", "scatter_max", "scatter_min", "scatter_update", "scatter_nd_add",
        "scatter_nd_sub", "scatter_nd_update", "batch_scatter_update", "append", "extend",
        "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add",
        "discard", "sort", "reverse", "fill", "put", "resize", "itemset", "setflags",
        "__setitem__", "__delitem__",
    }
)  # fmt: skip


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def names_bound_by(code: str) -> set[str]:
    """The names a cell binds at any depth (assignments, defs, imports, for targets)."""
    tree = _parse(code)
    if tree is None:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def names_read_by(code: str) -> set[str]:
    """The names a cell reads (loads) at any depth."""
    tree = _parse(code)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def names_changed_by(code: str) -> set[str]:
    """The names whose objects a cell changes in place without rebinding them.

    `X[1, 2] = 9`, `X.attr = 1`, `del X[0]`, `X[1, 2].assign(9.0)`, `xs.append(3)`:
    the object bound to X (or xs) is changed, so a cell that needs X needs this cell too.
    """
    tree = _parse(code)
    if tree is None:
        return set()
    changed: set[str] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = list(node.targets)
        for target in targets:
            for item in _unpacked(target):
                if isinstance(item, ast.Subscript | ast.Attribute):
                    root = _root_name(item)
                    if root is not None:
                        changed.add(root)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATING_METHODS
        ):
            root = _root_name(node.func.value)
            if root is not None:
                changed.add(root)
    return changed


def _unpacked(target: ast.expr) -> list[ast.expr]:
    if isinstance(target, ast.Tuple | ast.List):
        return [item for element in target.elts for item in _unpacked(element)]
    if isinstance(target, ast.Starred):
        return _unpacked(target.value)
    return [target]


def _root_name(node: ast.expr) -> str | None:
    """`X` of `X[1].attr[2]`; None when the chain does not start at a name."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def names_needed_by(code: str) -> set[str]:
    """The names a cell reads before binding them itself: what it needs from before.

    `with tf.GradientTape() as t: y = c * c` then `t.gradient(y, c)` needs only `c`.
    Statements are read in order (branches and loop bodies as if they ran once), a
    function needs the globals its body reads.
    """
    tree = _parse(code)
    if tree is None:
        return set()
    return _Needs().statements(tree.body)


class _Needs:
    """Free names of a statement list, in order."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.free: set[str] = set()

    def statements(self, body: list[ast.stmt]) -> set[str]:
        for statement in body:
            self.statement(statement)
        return self.free

    def reads(self, *nodes: ast.AST | None) -> None:
        for node in nodes:
            if node is not None:
                self.free |= _loads(node) - self.bound

    def binds(self, *nodes: ast.AST | None) -> None:
        for node in nodes:
            if node is not None:
                self.bound |= {
                    n.id
                    for n in ast.walk(node)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
                }

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.reads(*node.decorator_list)
            self.free |= _function_needs(node) - self.bound
            self.bound.add(node.name)
        elif isinstance(node, ast.Assign):
            self.reads(node.value, *[t for t in node.targets if not isinstance(t, ast.Name)])
            self.binds(*node.targets)
        elif isinstance(node, ast.AugAssign):
            self.reads(node.value, node.target if not isinstance(node.target, ast.Name) else None)
            if isinstance(node.target, ast.Name) and node.target.id not in self.bound:
                self.free.add(node.target.id)
            self.binds(node.target)
        elif isinstance(node, ast.AnnAssign):
            self.reads(node.value)
            self.binds(node.target)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                self.reads(item.context_expr)
                self.binds(item.optional_vars)
            self.statements(node.body)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.reads(node.iter)
            self.binds(node.target)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.While | ast.If):
            self.reads(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.Try):
            self.statements(node.body)
            for handler in node.handlers:
                self.reads(handler.type)
                if handler.name:
                    self.bound.add(handler.name)
                self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self.bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            self.reads(node)
            self.binds(node)


def names_read_when_called(code: str) -> set[str]:
    """The globals the functions a cell defines read when they are called (later)."""
    tree = _parse(code)
    if tree is None:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found |= _function_needs(node)
    return found


def _loads(node: ast.AST) -> set[str]:
    """Names loaded in an expression, minus those its lambdas and comprehensions bind."""
    loads = {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    local: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Lambda):
            local |= {a.arg for a in _arguments(child.args)}
        elif isinstance(child, ast.comprehension):
            local |= {n.id for n in ast.walk(child.target) if isinstance(n, ast.Name)}
    return loads - local


def _function_needs(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> set[str]:
    """The globals a definition's body reads (its parameters and locals aside)."""
    inner = _Needs()
    if not isinstance(node, ast.ClassDef):
        inner.bound |= {a.arg for a in _arguments(node.args)}
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
    else:
        defaults = list(node.bases)
    needs = inner.statements(node.body)
    for default in defaults:
        needs |= _loads(default)
    return needs


def _arguments(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [a for a in (args.vararg, args.kwarg) if a is not None]
    return found
