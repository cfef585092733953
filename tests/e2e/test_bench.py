"""The benchmark runs (its CI smoke mode), and the build's background rendering changes nothing in the site."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.synth import write as synth
from tests.conftest import record_instances

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_runs(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nold\n\n## PDF engine (issue 21)\n\nMeasured by hand.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke", "--work", str(tmp_path / "work"), "--write", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("floor", "check", "mkdocs", "build"):
        assert f"| 1,000 | {name} |" in proc.stdout
    # the smoke test times the real full briefing against `briefing check` of the same project
    assert "| real | check (real) |" in proc.stdout and "| real | pdf (full) |" in proc.stdout
    report = out.read_text(encoding="utf-8")
    assert "## Machine and run" in report and "## Targets" in report and "## Commands" in report
    # a section measured by hand survives the run that rewrites the rest
    assert report.endswith("## PDF engine (issue 21)\n\nMeasured by hand.\n") and "\nold\n" not in report


def _no_threads_left() -> None:
    import threading

    assert threading.active_count() == 1, f"a failed build left threads behind, and no later build can fork: {threading.enumerate()}"


def _count_background(monkeypatch) -> list:
    """The background renderers started from now on (a test of the forked renderer must see one start)."""
    from build_scripts.build import background

    return record_instances(monkeypatch, background.BackgroundPages)


def test_background_rendering_builds_the_same_site(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 200)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    started = _count_background(monkeypatch)
    report = build_site(root, pdf=False)  # pages rendered by a child process
    assert not report.failed(), report.format()
    assert started, "the build rendered in process: is a thread running in the test process?"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process")))  # rendered in process
    mismatched = []

    def compare(cmp: filecmp.dircmp) -> None:
        mismatched.extend(os.path.join(cmp.left, n) for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for sub in cmp.subdirs.values():
            compare(sub)

    compare(filecmp.dircmp(root / "site", tmp_path / "in-process"))
    assert not mismatched


def test_background_rendering_reports_template_errors(tmp_path, monkeypatch):
    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    (root / "templates" / "index.md.j2").write_text("# Index\n\n{{ fig('no-such-fact') }}\n", encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "keep.txt").write_text("published", encoding="utf-8")
    report = build_site(root, pdf=False)
    assert [f.format() for f in report.errors] == ["templates/index.md.j2:3:1: error: template: unknown fact id 'no-such-fact'"]
    assert (root / "site" / "keep.txt").read_text(encoding="utf-8") == "published"  # the old site is untouched
    _no_threads_left()


def test_background_scan_reports_figures_without_a_source(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    index = root / "templates" / "index.md.j2"
    index.write_text(index.read_text(encoding="utf-8") + "\nAbout 40 briefings so far.\n\n<p data-figure-exempt>Since 1998.</p>\n", encoding="utf-8")
    started = _count_background(monkeypatch)
    report = build_site(root, pdf=False)
    assert started
    errors = [f.format() for f in report.errors]
    assert len(errors) == 1 and errors[0].startswith("templates/index.md.j2:") and "'About 40 briefings so far.'" in errors[0], errors
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process"))
    with pytest.raises(MkDocsException):
        build(config)  # rendered and scanned in process: the same finding
    assert [f.format() for f in config.plugins["briefing"].report.errors] == errors
    _no_threads_left()


def test_background_link_check_reports_what_the_in_process_one_does(tmp_path, monkeypatch):
    """The child reads each built page's links as mkdocs writes it; the broken ones are those found in process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    facts = root / "templates" / "facts" / "[topic].md.j2"
    facts.write_text(facts.read_text(encoding="utf-8") + '\n<a href="../../sources/#no-such-anchor">all sources</a> and <a href="../gone/">gone</a>\n', encoding="utf-8")
    started = _count_background(monkeypatch)
    report = build_site(root, pdf=False)
    assert started
    errors = [f.format() for f in report.errors]
    assert errors and all("broken link" in e and e.startswith("templates/facts/[topic].md.j2:") for e in errors), errors
    assert any("no-such-anchor" in e for e in errors) and any("'../gone/'" in e for e in errors)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process"))
    with pytest.raises(MkDocsException):
        build(config)
    assert [f.format() for f in config.plugins["briefing"].report.errors] == errors
    _no_threads_left()


def test_built_pages_read_by_the_parent_give_what_the_child_gives(tmp_path, monkeypatch, caplog):
    """When the child falls behind, the parent reads built pages itself (background.BACKLOG): the same
    figure findings, broken links and exempted texts, in the same order, as an in-process build."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.build.background import BackgroundPages
    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 500)  # a page of facts for each of five topics
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    facts = root / "templates" / "facts" / "[topic].md.j2"
    facts.write_text(
        facts.read_text(encoding="utf-8")
        + '\nAbout 40 briefings so far.\n\n<p data-figure-exempt>Since 1998 on {{ topic }}.</p>\n\n<p data-figure-exempt>Also 1997.</p>\n\n'
        '<a href="../../sources/#no-such-anchor">all sources</a> and <a href="../gone/">gone</a>\n',
        encoding="utf-8",
    )
    turns = iter(range(10**6))
    monkeypatch.setattr(BackgroundPages, "_child_behind", lambda self: next(turns) % 3 != 0)  # two pages in three here
    started = _count_background(monkeypatch)

    def exempted_log() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.getMessage().startswith("figure-exempt text")]

    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing"):
        report = build_site(root, pdf=False)
        background_log = exempted_log()
        caplog.clear()
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process"))
        with pytest.raises(MkDocsException):
            build(config)
        in_process_log = exempted_log()
    assert started and started[0]._here and started[0]._to_child  # both processes read pages, with findings
    errors = [f.format() for f in report.errors]
    assert any("broken link" in e for e in errors) and any("About 40 briefings" in e for e in errors), errors
    assert [f.format() for f in config.plugins["briefing"].report.errors] == errors
    assert len(background_log) > 3 and background_log == in_process_log
    _no_threads_left()


def test_pages_are_read_after_every_other_plugin(tmp_path, monkeypatch):
    """What a later plugin or hook changes in a page is in the published page: the figure scan and the link
    check read the page after them."""
    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    (root / "hook.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</article>', '<p>Added by a hook: 99 robots.</p></article>', 1)\n",
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    report = build_site(root, pdf=False)
    assert report.failed()
    assert any("'Added by a hook: 99 robots.'" in f.message for f in report.errors), report.format()
    _no_threads_left()


def test_checked_records_are_kept_from_the_collector_during_the_build(tmp_path, monkeypatch):
    """The build freezes what exists after the check (the collector then skips it while mkdocs works,
    and the forked renderer keeps sharing its memory), and unfreezes it when done, whatever happens."""
    import gc

    from build_scripts.build import site

    root = tmp_path / "synth"
    synth(root, 100)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    frozen = []
    original = site._build_checked

    def recording(*args, **kwargs):
        frozen.append(gc.get_freeze_count())
        return original(*args, **kwargs)

    monkeypatch.setattr(site, "_build_checked", recording)
    assert not site.build_site(root, pdf=False).failed()
    assert frozen and frozen[0] > 1000
    assert gc.get_freeze_count() == 0
    (root / "templates" / "index.md.j2").write_text("# Index\n\n{{ fig('no-such-fact') }}\n", encoding="utf-8")
    assert site.build_site(root, pdf=False).failed()
    assert gc.get_freeze_count() == 0


def _search_index(site) -> str:
    return (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_search_index_is_made_by_the_child(tmp_path, monkeypatch):
    """The child indexes each page for search (build/search.py): the parent parses no page for it, and the
    index is the one an in-process build writes. A page a hook changes before the search plugin reads it
    is indexed by the parent, as it is then."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from build_scripts.build.site import build_site

    root = tmp_path / "synth"
    synth(root, 200)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    indexed_here = []
    original = SearchIndex.add_entry_from_context

    def counting(self, page):
        indexed_here.append(page.url)  # in this process only: the child counts in its own copy
        return original(self, page)

    monkeypatch.setattr(SearchIndex, "add_entry_from_context", counting)
    started = _count_background(monkeypatch)
    from build_scripts.build.background import PARENT, BackgroundPages

    claim = BackgroundPages.claim
    # as on a small site, the child begins every page before mkdocs' second pass reaches it
    monkeypatch.setattr(BackgroundPages, "claim", lambda self, number: False)
    assert not build_site(root, pdf=False).failed()
    assert started and indexed_here == []
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process")))
    assert indexed_here  # the in-process build did index here
    assert _search_index(root / "site") == _search_index(tmp_path / "in-process")
    pages = sorted(indexed_here)

    # as on a large site, the child has begun no page when the second pass reaches it: the parent claims
    # each and indexes it itself, the child skips them all, and the index is the same
    index, entries = BackgroundPages.index, BackgroundPages.search_entries

    def claimed_first(self, src_uri, page):
        number = index(self, src_uri, page)
        assert self._shared.take(number, PARENT)  # before the child can read the message
        return number

    monkeypatch.setattr(BackgroundPages, "index", claimed_first)
    monkeypatch.setattr(BackgroundPages, "claim", claim)
    monkeypatch.setattr(BackgroundPages, "search_entries", lambda self: pytest.fail("no page was the child's"))
    indexed_here.clear()
    assert not build_site(root, pdf=False).failed()
    assert sorted(indexed_here) == pages
    assert _search_index(root / "site") == _search_index(tmp_path / "in-process")
    for name, value in [("index", index), ("search_entries", entries), ("claim", lambda self, number: False)]:
        monkeypatch.setattr(BackgroundPages, name, value)

    (root / "hook.py").write_text(
        "from mkdocs.plugins import event_priority\n\n"
        "@event_priority(100)  # before the search plugin reads the page\n"
        "def on_page_context(context, page, config, nav):\n"
        "    if page.file.src_uri == 'about.md':\n"
        "        page.content += '<p>Changed by a hook after conversion.</p>'\n"
        "    return context\n",
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    indexed_here.clear()
    assert not build_site(root, pdf=False).failed()
    assert indexed_here == ["about/"]
    assert "Changed by a hook after conversion." in _search_index(root / "site")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "in-process-hook")))
    assert _search_index(root / "site") == _search_index(tmp_path / "in-process-hook")
    _no_threads_left()


def test_the_report_records_a_command_that_runs_again(monkeypatch):
    """BENCHMARKS.md names the command of its run, quoted so that it can be pasted into a shell."""
    import importlib.util
    import shlex

    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench", bench)  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    argv = ["--work", "/tmp/bench work", "--note", "Code of commit 4dea7b3 (a sum); machine idle."]
    text = bench.report_markdown([], {"date": "today"}, argv, (1.0, 1.0), Path("/tmp/bench work"), note=argv[-1])
    line = next(line for line in text.splitlines() if line.startswith("- **command:**"))
    assert shlex.split(line.split("`")[1]) == ["python", "benchmarks/bench.py", *argv], line
