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
