"""Pages rendered ahead in a second process (render/ahead.py) are the pages a render in one process makes.

Whatever order mkdocs asks for them in, whether the second process runs, dies half-way or is not used
(one core), the pages and the findings are those of :func:`render_pages`; a build that stops early ends
the second process.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render import ahead as ahead_module
from build_scripts.render.ahead import PagesAhead, Rendering
from build_scripts.render.pages import page_specs, render_pages
from tests.conftest import copy_project

RENDERING = Rendering(site_url="https://example.org/briefing/", directory_urls=True)


def in_one_go(fb) -> tuple[dict[str, tuple[str, str]], list]:
    report = Report()
    pages = render_pages(fb, report, site_url=RENDERING.site_url, directory_urls=RENDERING.directory_urls)
    return {p.name: (p.markdown, p.template) for p in pages}, list(report)


def taken(fb, order=None, forked=True, monkeypatch=None, after_first=None) -> tuple[dict[str, tuple[str, str] | None], list]:
    if not forked:
        monkeypatch.setattr(ahead_module, "_can_fork", lambda: False)
    specs = page_specs(fb)
    ahead = PagesAhead(fb, specs, RENDERING)
    assert (ahead._process is not None) == forked
    report = Report()
    names = [s.name for s in specs]
    pages = {}
    try:
        for i, name in enumerate(order(names) if order else names):
            page = ahead.take(name, report)
            pages[name] = (page.markdown, page.template) if page is not None else None
            if i == 0 and after_first:
                after_first(ahead)
        ahead.finish(report)
    finally:
        ahead.close()
    return pages, list(report)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("ahead") / "project")
    return check_project(root)


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    monkeypatch.setattr(ahead_module.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)


@pytest.mark.parametrize("order", [None, lambda names: names[::-1], lambda names: sorted(names, key=len)], ids=["in-order", "reversed", "shuffled"])
def test_pages_rendered_ahead_are_the_pages_of_one_render(checked, order):
    expected, findings = in_one_go(checked)
    got, got_findings = taken(checked, order)
    assert got == expected and got_findings == findings
    assert len(got) > 5


def test_without_a_second_process_the_pages_are_the_same(checked, monkeypatch):
    expected, _ = in_one_go(checked)
    assert taken(checked, forked=False, monkeypatch=monkeypatch)[0] == expected


def test_a_second_process_that_dies_leaves_its_pages_to_this_one(checked, monkeypatch):
    expected, _ = in_one_go(checked)
    here = []
    render_here = PagesAhead._render_here
    monkeypatch.setattr(PagesAhead, "_render_here", lambda self, name: here.append(name) or render_here(self, name))

    def kill(ahead):
        ahead._process.kill()
        ahead._process.join()

    assert taken(checked, after_first=kill)[0] == expected
    assert here, "no page was left to this process"


def test_template_errors_are_all_reported_as_a_render_in_one_go_reports_them(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "templates" / "funding.md.j2").write_text("{{ fig('no-such-fact') }}\n", encoding="utf-8")
    (root / "templates" / "targets.md.j2").write_text("{% if %}\n", encoding="utf-8")
    fb = check_project(root)
    expected, findings = in_one_go(fb)
    specs = page_specs(fb)
    ahead = PagesAhead(fb, specs, RENDERING)
    report = Report()
    try:
        first_failed = next(s.name for s in specs if ahead.take(s.name, report) is None)  # the build stops here
        ahead.finish(report)  # and collects the other templates' problems
    finally:
        ahead.close()
    assert first_failed in ("funding.md", "targets.md")
    assert list(report) == findings and len(report.errors) == 2
    assert {f.location.file for f in report.errors} == {"templates/funding.md.j2", "templates/targets.md.j2"}
    assert "funding.md" not in expected


def test_a_build_that_stops_early_ends_the_second_process(checked):
    specs = page_specs(checked)
    ahead = PagesAhead(checked, specs, RENDERING)
    process = ahead._process
    assert process is not None
    pid = process.pid
    ahead.take(specs[0].name, Report())
    ahead.close()
    assert ahead._process is None
    assert pid not in [child.pid for child in multiprocessing.active_children()]
    assert not Path(f"/proc/{pid}").exists()  # ended and reaped
