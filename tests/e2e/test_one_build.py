"""``briefing build`` and a plain ``mkdocs build`` are one build: the same site, the same findings.

The plugin works through mkdocs' public events in one process; ``briefing build``
checks the project once and passes its context to the plugin.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

from benchmarks.synth import write as synth

pytestmark = pytest.mark.e2e


def _mkdocs(root: Path, site: Path):
    """A plain ``mkdocs build`` of ``root`` into ``site``: its config (the plugin's findings are in its context)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    build(config)
    return config


def _differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def compare(cmp: filecmp.dircmp) -> None:
        found.extend(os.path.join(cmp.left, n) for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for sub in cmp.subdirs.values():
            compare(sub)

    compare(filecmp.dircmp(left, right))
    return found


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return root


def test_mkdocs_build_and_briefing_build_give_the_same_site(project, tmp_path, monkeypatch):
    from build_scripts.site.publish import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")
    report = build_site(project, pdf=False)
    assert not report.failed(), report.format()
    _mkdocs(project, tmp_path / "plain")
    assert not _differences(project / "site", tmp_path / "plain")


def test_briefing_build_checks_the_project_once(project, monkeypatch):
    from build_scripts import pipeline
    from build_scripts.site.publish import build_site

    calls = []
    original = pipeline.load_factbase
    monkeypatch.setattr(pipeline, "load_factbase", lambda fb: calls.append(fb.root) or original(fb))
    assert not build_site(project, pdf=False).failed()
    assert calls == [project.resolve()]


def test_build_date_is_passed_on_not_left_in_the_environment(project, monkeypatch):
    from build_scripts.site.publish import build_site

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert not build_site(project, pdf=False).failed()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the records' date was pinned for that build only


def test_template_errors_are_reported_and_the_site_kept(project):
    from build_scripts.site.publish import build_site

    (project / "templates" / "index.md.j2").write_text("# Index\n\n{{ fig('no-such-fact') }}\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "keep.txt").write_text("published", encoding="utf-8")
    report = build_site(project, pdf=False)
    assert [f.format() for f in report.errors] == ["templates/index.md.j2:3:1: error: template: unknown fact id 'no-such-fact'"]
    assert (project / "site" / "keep.txt").read_text(encoding="utf-8") == "published"  # the old site is untouched


def test_figures_without_a_source_are_found_by_both_commands(project, tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.site.publish import build_site

    index = project / "templates" / "index.md.j2"
    index.write_text(index.read_text(encoding="utf-8") + "\nAbout 40 briefings so far.\n\n<p data-figure-exempt>Since 1998.</p>\n", encoding="utf-8")
    errors = [f.format() for f in build_site(project, pdf=False).errors]
    assert len(errors) == 1 and errors[0].startswith("templates/index.md.j2:") and "'About 40 briefings so far.'" in errors[0], errors
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    with pytest.raises(MkDocsException):
        build(config)  # the same finding from a plain mkdocs build
    assert [f.format() for f in config.plugins["briefing"].context.report.errors] == errors


def test_broken_links_are_found_by_both_commands(project, tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.site.publish import build_site

    facts = project / "templates" / "facts" / "[topic].md.j2"
    facts.write_text(facts.read_text(encoding="utf-8") + '\n<a href="../../sources/#no-such-anchor">all sources</a> and <a href="../gone/">gone</a>\n', encoding="utf-8")
    errors = [f.format() for f in build_site(project, pdf=False).errors]
    assert errors and all("broken link" in e and e.startswith("templates/facts/[topic].md.j2:") for e in errors), errors
    assert any("no-such-anchor" in e for e in errors) and any("'../gone/'" in e for e in errors)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    with pytest.raises(MkDocsException):
        build(config)
    assert [f.format() for f in config.plugins["briefing"].context.report.errors] == errors


def test_pages_are_read_after_every_other_plugin(project):
    """What a later plugin or hook changes in a page is in the published page: the figure scan and the link
    check read the page after them."""
    from build_scripts.site.publish import build_site

    (project / "hook.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</article>', '<p>Added by a hook: 99 robots.</p></article>', 1)\n",
        encoding="utf-8",
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    report = build_site(project, pdf=False)
    assert report.failed()
    assert any("'Added by a hook: 99 robots.'" in f.message for f in report.errors), report.format()
