"""Public APIs only: no module of the package changes a third-party module or class, or reads its private parts.

The test reads the package's source (its syntax trees, not its behaviour): a dependency's
release can silently switch off or break a replaced function, so none may be replaced.

What counts as third-party: every name an ``import`` binds from outside the package (the
standard library included: its private parts are no more promised than anyone's). Flagged:

* an assignment (``=``, ``+=``, ``del``, ``setattr``) to an attribute reached from such a name
  (``weasyprint.Page.paint = ...``, ``setattr(mkdocs.utils, "x", ...)``);
* a read of a private attribute (``_name``, not ``__dunder__``) reached from such a name
  (``sys._getframe``);
* a read of a private attribute of any object when the package itself never defines an
  attribute of that name (``page._page_box``): it can only be someone else's.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "build_scripts"

def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _defined_attributes(trees: list[ast.AST]) -> set[str]:
    """Every attribute name the package defines: functions, classes, assignments to ``x.name``, class bodies, fields."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)  # module and class attributes
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names


def _foreign_names(tree: ast.AST) -> set[str]:
    """The names bound in a module by imports from outside the package."""
    foreign = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "build_scripts":
                    foreign.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] not in ("build_scripts", "__future__"):
                for alias in node.names:
                    foreign.add(alias.asname or alias.name)
    return foreign


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def violations(path: Path, tree: ast.AST, defined: set[str]) -> list[str]:
    """The places in one module that break the rules, as ``file:line: what``."""
    foreign = _foreign_names(tree)
    rel = path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(tree):
        # a dependency's private module (``_ruamel_yaml``, ``weasyprint._x``): not its public face
        imported = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        for name in imported:
            if name.split(".")[0] != "build_scripts" and any(_private(part) for part in name.split(".")):
                found.append(f"{rel}:{node.lineno}: imports {name}, a private module of a dependency")
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        while targets:
            target = targets.pop()
            if isinstance(target, (ast.Tuple, ast.List)):
                targets.extend(target.elts)
            elif isinstance(target, ast.Attribute) and _root(target) in foreign:
                found.append(f"{rel}:{node.lineno}: assigns to {ast.unparse(target)}, an attribute of a third-party name")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") and node.args:
            if _root(node.args[0]) in foreign:
                found.append(f"{rel}:{node.lineno}: {node.func.id} on {ast.unparse(node.args[0])}, a third-party name")
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if _root(node) in foreign:
                found.append(f"{rel}:{node.lineno}: reads {ast.unparse(node)}, a private attribute of a third-party name")
            elif node.attr not in defined:
                found.append(f"{rel}:{node.lineno}: reads {ast.unparse(node)}, a private attribute the package never defines")
    return found


def _all_violations() -> dict[str, list[str]]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in _sources()}
    defined = _defined_attributes(list(trees.values()))
    return {path.relative_to(ROOT).as_posix(): violations(path, tree, defined) for path, tree in trees.items()}


def test_no_module_replaces_or_reads_the_private_parts_of_a_dependency():
    found = [v for vs in _all_violations().values() for v in vs]
    assert not found, "\n".join(found)


def test_the_pdf_export_modules_are_gone():
    """The modules that replaced WeasyPrint's functions during a layout are removed, not merely unused."""
    for name in ("footnote_area", "stylesheets", "leaders", "margin_boxes", "replacing", "split", "merging", "parallel"):
        assert not (PACKAGE / "export" / f"{name}.py").exists(), name


@pytest.mark.parametrize(
    "source, what",
    [
        ("import weasyprint\nweasyprint.HTML.render = None\n", "assigns to weasyprint.HTML.render"),
        ("from weasyprint.layout import page\npage.make_page = None\n", "assigns to page.make_page"),
        ("import mkdocs.utils as u\nu.x += 1\n", "assigns to u.x"),
        ("import pygal\nsetattr(pygal.Bar, 'x', 1)\n", "setattr on pygal.Bar"),
        ("import sys\nframe = sys._getframe()\n", "reads sys._getframe"),
        ("def f(page):\n    return page._page_box\n", "reads page._page_box"),
        ("from typst import Compiler\ndel Compiler.compile\n", "assigns to Compiler.compile"),
        ("from _ruamel_yaml import CParser\n", "imports _ruamel_yaml"),
        ("import weasyprint._private.x\n", "imports weasyprint._private.x"),
    ],
)
def test_the_check_catches_each_kind(tmp_path, source, what):
    """The check fails on each kind of breach (so that its silence above means something)."""
    path = ROOT / "build_scripts" / "_example.py"  # a path inside the package, never written
    tree = ast.parse(source)
    found = violations(path, tree, _defined_attributes([tree]) - {"_page_box", "_getframe"})
    assert any(what in v for v in found), found


def test_own_private_attributes_and_local_names_pass():
    source = "import os\nclass A:\n    def __init__(self):\n        self._x = 1\n    def y(self):\n        return self._x\nvalue = os.path\n"
    tree = ast.parse(source)
    assert violations(ROOT / "build_scripts" / "_example.py", tree, _defined_attributes([tree])) == []
