"""No module-level mutable state carries a build's data between builds (issue 23, point 1).

The stages that render pages, integrate with mkdocs and read the history (``build_scripts/render``,
``build_scripts/site``, ``build_scripts/history``) keep what they compute in objects their caller owns:
the build context, a ``ChangeLog``, the preview session of ``briefing serve``. The test reads the
modules' syntax trees and flags, in each module:

* a **module-level container the module mutates**: a name bound at module level to a dict, list or set
  (a literal, a comprehension, or a call of ``dict``, ``list``, ``set``, ``defaultdict``, ``OrderedDict``,
  ``Counter``, ``deque``, ``bytearray``) that the module's code changes: an item or attribute assigned
  or deleted (``_CACHE[key] = ...``, ``+=``) or a mutating method called on it (``.append``,
  ``.update``, ``.setdefault``, ``.pop``, ``.clear``...). A table that is only read (labels, patterns,
  ``STATUS_WORDS``) is a constant and allowed, as are frozen sets and tuples;
* a ``global`` statement: a function rebinding a module-level name (``_last = fb``);
* a **memoising decorator** on a function (``functools.lru_cache``, ``functools.cache``): a cache for the
  life of the process, shared by every build in it.

Not seen: a mutation through another name (``c = _TABLE; c[k] = v``) or from another module; those are
left to review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FOLDERS = ("history", "site", "render")
CONTAINER_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}
MUTATORS = {
    "append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear", "remove",
    "discard", "sort", "reverse", "appendleft", "extendleft", "popleft", "__setitem__", "__delitem__",
    "difference_update", "intersection_update", "symmetric_difference_update",
}
MEMOISERS = {"lru_cache", "cache"}


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / "build_scripts" / folder).rglob("*.py"))


def _is_container(value: ast.AST | None) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        return name in CONTAINER_CALLS
    return False


def _module_containers(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign) and _is_container(node.value):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and _is_container(node.value):
            targets = [node.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _root_name(node: ast.AST) -> str | None:
    """``X`` of ``X[...]``, ``X.attr``, ``X[...][...]``."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _decorator_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def module_state(source: str, name: str = "<module>") -> list[str]:
    """The module-level mutable state of a module's source, as ``name:line: what`` (empty when it has none)."""
    tree = ast.parse(source)
    containers = _module_containers(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"{name}:{node.lineno}: global {', '.join(node.names)}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                if _decorator_name(dec) in MEMOISERS:
                    found.append(f"{name}:{node.lineno}: @{_decorator_name(dec)} on {node.name}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)) and _root_name(target) in containers:
                    found.append(f"{name}:{node.lineno}: {_root_name(target)} changed")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            if _root_name(node.func.value) in containers:
                found.append(f"{name}:{node.lineno}: {_root_name(node.func.value)}.{node.func.attr}()")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_level_mutable_state(path: Path):
    assert module_state(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()) == []


@pytest.mark.parametrize(
    "source",
    [
        "_CACHE: dict[tuple, int] = {}\ndef get(k):\n    if k not in _CACHE:\n        _CACHE[k] = 1\n    return _CACHE[k]\n",
        "SEEN = set()\ndef note(x):\n    SEEN.add(x)\n",
        "_last = None\ndef keep(fb):\n    global _last\n    _last = fb\n",
        "from functools import lru_cache\n@lru_cache(maxsize=None)\ndef load(path):\n    return path\n",
        "import functools\n@functools.cache\ndef load(path):\n    return path\n",
        "from collections import defaultdict\n_BY = defaultdict(list)\ndef add(k, v):\n    _BY[k].append(v)\n",
        "_COUNT = {'n': 0}\ndef bump():\n    _COUNT['n'] += 1\n",
    ],
    ids=["dict-cache", "set-add", "global", "lru_cache", "functools.cache", "defaultdict", "augmented"],
)
def test_the_rule_finds_module_level_state(source: str):
    assert module_state(source)


@pytest.mark.parametrize(
    "source",
    [
        "WORDS = {'a': 'A'}\ndef word(k):\n    return WORDS[k]\n",
        "KINDS = frozenset({'a'})\nORDER = ('a', 'b')\n",
        "def f():\n    cache = {}\n    cache['k'] = 1\n    return cache\n",
        "class C:\n    def __init__(self):\n        self.seen = set()\n    def note(self, x):\n        self.seen.add(x)\n",
    ],
    ids=["read-only-table", "frozen", "local", "instance"],
)
def test_the_rule_allows_constants_and_owned_state(source: str):
    assert module_state(source) == []
