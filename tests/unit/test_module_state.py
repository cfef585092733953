"""No module of the package keeps state of its own: what a build works out belongs to that build (issue 23).

A memo at module level (``functools.lru_cache``, a dictionary filled by a function, a
``global`` rebound) carries one build's data into the next one in the same process
(``briefing serve`` checks the project again on every save) and hides from a reader
where a result came from. Such memos belong to the fact base (``FactBase.amounts``,
``FactBase.origin_keys``, ``FactBase.locator``, ``FactBase.cached_index``), the build context,
a ``ChangeLog``'s snapshots or the preview session of ``briefing serve``. The test reads every
module's syntax tree; tables filled once while the module is imported are fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "build_scripts"
MEMO_DECORATORS = {"lru_cache", "cache"}
MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear", "remove", "discard", "__setitem__"}


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def module_state(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, what)`` for every memo decorator, ``global`` statement, and mutation inside a function of a
    module-level name."""
    found: list[tuple[int, str]] = []
    module_names = {
        target.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
                if name in MEMO_DECORATORS:
                    found.append((node.lineno, f"@{name} on {node.name}"))
            local = {arg.arg for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]}
            local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            for inner in ast.walk(node):
                if isinstance(inner, ast.Global):
                    found.append((inner.lineno, f"global {', '.join(inner.names)} in {node.name}"))
                target = None
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr in MUTATORS:
                    target = inner.func.value
                elif isinstance(inner, (ast.Assign, ast.AugAssign, ast.Delete)):
                    for t in inner.targets if isinstance(inner, (ast.Assign, ast.Delete)) else [inner.target]:
                        if isinstance(t, (ast.Subscript, ast.Attribute)):
                            target = t.value
                if isinstance(target, ast.Name) and target.id in module_names and target.id not in local:
                    found.append((inner.lineno, f"{node.name} changes the module's {target.id}"))
    return found


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_level_state(path):
    found = module_state(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in found)


@pytest.mark.parametrize(
    "source",
    [
        "from functools import lru_cache\n@lru_cache(maxsize=None)\ndef f(x):\n    return x\n",
        "import functools\n@functools.cache\ndef f(x):\n    return x\n",
        "_seen = {}\ndef f(x):\n    _seen[x] = 1\n",
        "_seen = []\ndef f(x):\n    _seen.append(x)\n",
        "_last = None\ndef f(x):\n    global _last\n    _last = x\n",
        "class Box:\n    pass\n_box = Box()\ndef f(x):\n    _box.value = x\n",
    ],
    ids=["lru_cache", "functools.cache", "dict-filled", "list-appended", "global", "attribute-set"],
)
def test_the_walk_finds_module_level_state(source):
    assert module_state(ast.parse(source))


def test_the_walk_leaves_tables_built_at_import_and_local_state_alone():
    source = (
        "TABLE = {}\nfor k in 'ab':\n    TABLE.setdefault(k, []).append(k)\n"
        "def f(x):\n    TABLE = {}\n    TABLE[x] = 1\n    seen = []\n    seen.append(x)\n    return TABLE.get(x)\n"
        "class Memo:\n    def __init__(self):\n        self._read = {}\n    def __call__(self, t):\n        self._read[t] = 1\n"
    )
    assert module_state(ast.parse(source)) == []
