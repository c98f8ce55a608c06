"""Every check id a Finding can carry has a Chinese name (rules/check-names.yaml): the
findings list shows the name, never the id.

The ids are read from the source: the ``id`` of every ``Finding(…)``, and where it is a
parameter of the function building it (``_finding(check, …)``), the strings its callers in
the same module pass; a module constant is followed to its value.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jixiao.interchange.check_names import check_name, packaged_check_names, parse_check_names
from jixiao.interchange.problems import InputRejected

SOURCE = Path(__file__).resolve().parents[2] / "src" / "jixiao"
READ_FROM_DATA = {"src/jixiao/core/snapshots.py"}
"""Findings rebuilt from a stored snapshot keep the id they were stored with."""
FINDING_CLASSES = {"Finding"}


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.FunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node  # type: ignore[return-value]
    return None


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if position < len(call.args) else None


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents = _parents(self.tree)
        self.constants = {
            target.id: node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    def resolve(self, expr: ast.expr | None, depth: int = 0) -> tuple[set[str], list[str]]:
        """The strings ``expr`` can be, and what could not be read."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}, []
        if isinstance(expr, ast.IfExp):
            a, x = self.resolve(expr.body, depth)
            b, y = self.resolve(expr.orelse, depth)
            return a | b, x + y
        if isinstance(expr, ast.Name) and depth < 4:
            function = _function(expr, self.parents)
            names = [a.arg for a in function.args.args] if function else []
            if expr.id in names:
                return self._callers(function, names.index(expr.id), expr.id, depth)
            if expr.id in self.constants:
                return self.resolve(self.constants[expr.id], depth + 1)
        where = f"{self.path}:{getattr(expr, 'lineno', '?')}"
        return set(), [f"{where} {ast.unparse(expr) if expr else None}"]

    def _callers(self, function: ast.FunctionDef, position: int, name: str, depth: int):
        found: set[str] = set()
        unread: list[str] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and _callee(node) == function.name:
                strings, missed = self.resolve(_argument(node, position, name), depth + 1)
                found |= strings
                unread += missed
        return found, unread


def finding_ids(root: Path) -> tuple[set[str], list[str]]:
    ids: set[str] = set()
    unread: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _Module(path)
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and _callee(node) in FINDING_CLASSES:
                strings, missed = module.resolve(_argument(node, 0, "id"))
                ids |= strings
                unread += missed
    return ids, unread


def test_the_source_is_read_whole() -> None:
    ids, unread = finding_ids(SOURCE)
    assert len(ids) > 50
    assert all(line.split(":")[0].endswith(tuple(READ_FROM_DATA)) for line in unread), unread


def test_every_check_id_has_a_chinese_name() -> None:
    ids, _unread = finding_ids(SOURCE)
    names = packaged_check_names()
    assert not sorted(ids - set(names))
    assert all(check_name(i) != i for i in ids)


def test_every_name_is_of_a_check_that_exists() -> None:
    ids, _unread = finding_ids(SOURCE)
    assert not sorted(set(packaged_check_names()) - ids)


def test_names_are_distinct() -> None:
    names = list(packaged_check_names().values())
    assert len(names) == len(set(names))


def test_a_malformed_file_is_rejected_in_chinese() -> None:
    with pytest.raises(InputRejected, match="format"):
        parse_check_names("names: {}")
    with pytest.raises(InputRejected):
        parse_check_names("format: jixiao-check-names/1\nnames: [a]")
