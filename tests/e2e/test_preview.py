"""``briefing serve``: a save rebuilds the pages it changed, and what is served is what a full build makes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.synth import write as synth

pytestmark = pytest.mark.e2e


def _pages(site: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}


@pytest.fixture
def serving(tmp_path, monkeypatch):
    """Builds as ``mkdocs serve --dirty`` (what ``briefing serve`` runs) makes them, one plugin throughout."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path / "synth"
    synth(root, 300)  # three topics: an edit to one leaves most pages as they were
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    served = tmp_path / "served"
    served.mkdir()
    plugins = []

    def rebuild(site: Path = served, dirty: bool = True):
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=False)
        if not plugins:
            plugins.append(config.plugins["briefing"])
            plugins[0].on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
        return _pages(site)

    yield root, served, rebuild
    if plugins:
        plugins[0].on_shutdown()


def _edit_label(root: Path) -> tuple[str, str]:
    """A one-line edit: the third fact of the first topic gets a new label; (its topic, the new label)."""
    path = sorted(p for p in (root / "facts").glob("*.yaml") if p.stem not in ("sources", "reviews"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith("  label: ")][2]
    label = lines[at].removeprefix("  label: ").strip() + " (edited)"
    lines[at] = f"  label: {label}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path.stem, label


def test_a_fact_edit_rebuilds_only_the_pages_it_changes(serving, tmp_path):
    root, served, rebuild = serving
    before = rebuild()
    topic, label = _edit_label(root)
    after = rebuild()
    rebuilt = sorted(name for name in after if after[name][0] != before[name][0])
    changed = sorted(name for name in after if after[name][1] != before[name][1])
    assert changed and set(changed) <= set(rebuilt)
    assert len(rebuilt) < len(after) / 2, rebuilt  # not the whole site
    assert f"{topic}/index.html" in changed
    # what is served is what a full build of the edited project makes
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    full = tmp_path / "full"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(full), strict=False)
    plugin = config.plugins["briefing"]
    plugin.on_shutdown()
    plugin.on_startup(command="serve", dirty=False)  # the same plugin, as a preview that rebuilds everything
    build(config, serve_url="http://127.0.0.1:8000/")
    assert {n: c for n, (_, c) in _pages(full).items()} == {n: c for n, (_, c) in after.items()}
    assert label in (served / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_template_edit_rebuilds_every_page(serving):
    root, served, rebuild = serving
    before = rebuild()
    index = root / "templates" / "index.md.j2"
    index.write_text(index.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    after = rebuild()
    assert sorted(after) == sorted(before)
    assert all(after[name][0] != before[name][0] for name in after)  # every page built again


def test_a_failed_rebuild_is_followed_by_a_full_one(serving):
    from mkdocs.exceptions import MkDocsException

    root, served, rebuild = serving
    rebuild()
    index = root / "templates" / "index.md.j2"
    good = index.read_text(encoding="utf-8")
    index.write_text(good + "\nAbout 40 briefings so far.\n", encoding="utf-8")
    with pytest.raises(MkDocsException):
        rebuild()
    index.write_text(good, encoding="utf-8")
    os.utime(index)
    first = rebuild()
    assert "About 40 briefings" not in first["index.html"][1].decode()


# -- what is served after an incremental rebuild is what a full build makes -------------------------------

#: A full build as a separate ``mkdocs serve`` without --dirty would make it (its own process: mkdocs keeps
#: one instance of a plugin that has on_startup per process, and the preview's must keep its session).
FULL_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins["briefing"].on_startup(command="serve", dirty=False)
build(config, serve_url="http://127.0.0.1:8000/")
"""


#: material's search plugin merges the index of a dirty build its own way, made for one page a rebuild (it
#: keeps old entries of the other rebuilt pages beside the new): the briefing plugin leaves another plugin's
#: work as it is.
SEARCH_INDEX = "search/search_index.json"


def _site(site: Path) -> dict[str, bytes]:
    """Every file of a built site by path, but the search index (:data:`SEARCH_INDEX`)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() != SEARCH_INDEX}


def _full_build(root: Path, site: Path) -> dict[str, bytes]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FULL_BUILD, str(root / "mkdocs.yml"), str(site)], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return _site(site)


def _assert_same_site(served: Path, full: dict[str, bytes], what: str) -> None:
    got = _site(served)
    missing, extra = sorted(full.keys() - got.keys()), sorted(got.keys() - full.keys())
    differ = sorted(name for name in full.keys() & got.keys() if full[name] != got[name])
    assert not (missing or extra or differ), f"after {what}: missing {missing[:5]}, extra {extra[:5]}, different {differ[:5]}"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _topic_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "facts").glob("*.yaml") if p.stem not in ("sources", "reviews"))


def _fact_block(path: Path, n: int) -> str:
    """The ``n``-th fact record of a file, as written (up to the blank line that ends it)."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [b for b in blocks if b.lstrip().startswith("- id:")][n]


SPARE = """
- id: {id}
  label: A spare statement no page names on its own
  value: The desk keeps this statement for the record.
  unit: text
  as_of: 2024-03-01
  citations:
    - source: {source}
      quote: "{quote}"
"""


def _edits(root: Path) -> list[tuple[str, object]]:
    """Edits of the kinds an editor makes, each a function that changes the project's records."""
    first, second = _topic_files(root)[:2]
    spare = lambda: (first, "- id: spare-figure")  # noqa: E731
    import re

    def value(text: str) -> str:  # a number one larger
        return re.sub(r"^(  value: )(\d+)$", lambda m: m.group(1) + str(int(m.group(2)) + 1), text, count=1, flags=re.M)

    def change_value():
        block = next(b for b in (_fact_block(second, n) for n in range(20)) if re.search(r"^  value: \d+$", b, re.M))
        _replace(second, block, value(block))

    def change_label():
        block = _fact_block(first, 1)
        label = re.search(r"^  label: (.*)$", block, re.M).group(1)
        _replace(first, block, block.replace(f"  label: {label}", f"  label: {label} (revised)"))

    def add_fact():
        source, quote = _a_citation(root)
        with first.open("a", encoding="utf-8") as out:
            out.write(SPARE.format(id="spare-figure-two", source=source, quote=quote))

    def delete_fact():
        path, start = spare()
        block = next(b for b in path.read_text(encoding="utf-8").split("\n\n") if b.lstrip().startswith(start + "\n"))
        _replace(path, "\n\n" + block, "")

    def change_source():
        sources = root / "facts" / "sources.yaml"
        title = re.search(r"^  title: (.*)$", sources.read_text(encoding="utf-8"), re.M).group(1)
        _replace(sources, f"  title: {title}", "  title: A retitled source document")

    def rename_id():
        _replace(first, "- id: spare-figure-two\n", "- id: spare-figure-renamed\n")

    def comment_shifts_lines():
        text = second.read_text(encoding="utf-8")
        second.write_text("# A comment line the desk added, moving every record down.\n" + text, encoding="utf-8")

    return [
        ("a value changed", change_value),
        ("a label changed", change_label),
        ("a fact added", add_fact),
        ("a fact renamed", rename_id),
        ("a fact deleted", delete_fact),
        ("a source changed", change_source),
        ("a comment moving the records", comment_shifts_lines),
    ]


def _a_citation(root: Path) -> tuple[str, str]:
    """A source and a quote of it that the first fact already cites: reused as is."""
    import re

    block = _fact_block(_topic_files(root)[0], 0)
    source = re.search(r"source: (\S+)", block).group(1)
    quote = re.search(r'quote: "([^"]*)"', block).group(1)
    return source, quote


@pytest.fixture(params=["synthetic", "real"])
def editing(request, tmp_path, monkeypatch):
    """A project served as ``briefing serve`` does (dirty builds, one plugin), with a fact no page names."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from tests.conftest import copy_project
    from tests.gitrepo import commit, init

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    if request.param == "synthetic":
        monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
        root = tmp_path / "synth"
        synth(root, 200)
    else:
        root = copy_project(tmp_path / "project")
        # the "suggest a correction" links name each record's line: an edit moving records changes them
        monkeypatch.setenv("BRIEFING_REPO_URL", "https://github.com/desk/briefing")
        monkeypatch.setenv("BRIEFING_EDIT_URI", "edit/main/")
    source, quote = _a_citation(root)
    with _topic_files(root)[0].open("a", encoding="utf-8") as out:
        out.write(SPARE.format(id="spare-figure", source=source, quote=quote))
    init(root)
    commit(root, "The records as published")  # the Changes page reads the history
    served = tmp_path / "served"
    served.mkdir()
    plugins = []

    def rebuild():
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(served), strict=False)
        if not plugins:  # as mkdocs serve --dirty starts every plugin
            plugins.append(config.plugins["briefing"])
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        return plugins[0].session.rendered

    yield root, served, rebuild
    if plugins:
        plugins[0].on_shutdown()


def test_each_kind_of_edit_serves_what_a_full_build_makes(editing, tmp_path):
    from mkdocs.exceptions import MkDocsException

    root, served, rebuild = editing
    everything = rebuild()
    _assert_same_site(served, _full_build(root, tmp_path / "full-0"), "the first build")
    for n, (what, edit) in enumerate(_edits(root), start=1):
        edit()
        rendered = rebuild()
        assert len(rendered) < len(everything), (what, rendered)  # not every page rendered again
        _assert_same_site(served, _full_build(root, tmp_path / f"full-{n}"), what)
    # a save that leaves an error serves nothing new; the save that fixes it is compared with the last good build
    first = _topic_files(root)[0]
    good = first.read_text(encoding="utf-8")
    first.write_text(good + "\n- id: broken\n  label: [unclosed\n", encoding="utf-8")
    with pytest.raises(MkDocsException):
        rebuild()
    import re

    block = _fact_block(first, 2)
    fixed = re.sub(r"^(  label: .*)$", r"\1 (checked again)", block, count=1, flags=re.M)
    first.write_text(good.replace(block, fixed), encoding="utf-8")
    rendered = rebuild()
    assert len(rendered) < len(everything), rendered
    _assert_same_site(served, _full_build(root, tmp_path / "full-fixed"), "an error fixed")


def test_a_hand_written_page_retitled_rebuilds_every_page(serving):
    """Its title is in every page's navigation."""
    root, served, rebuild = serving
    before = rebuild()
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# About this briefing", "# About the desk's briefing"), encoding="utf-8")
    after = rebuild()
    assert all(after[name][0] != before[name][0] for name in after)
