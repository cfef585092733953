"""Templates in folders and with a bracketed part: one page per topic or per initial, and links that find them.

A large fact base splits its Facts and Sources pages (``facts/[topic].md.j2``,
``sources/[letter].md.j2``) so that no page grows with it; every link to a
record then points at the page that holds it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_scripts.site.data import facts_data
from build_scripts.export.names import pdf_name
from build_scripts.export.chapters import Chapter, order_chapters
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.figures import page_url
from build_scripts.render.pages import page_specs, render_pages
from tests.conftest import ROOT

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini"

FACTS_PART = """\
{% import "_macros.j2" as m with context %}
# Facts of {{ topic }}

{{ m.fact_table(fb.facts_of(topic)) }}
"""
SOURCES_PART = """\
{% import "_macros.j2" as m with context %}
# Sources under {{ letter | upper }}

{% for s in sources if s.id.startswith(letter) %}
{{ m.source_entry(s) }}

{% endfor %}
"""
LINKS = """\
# Links

Robots: {{ link("robots") }}; the ministry: <a href="{{ source_href('ministry') }}">source</a>.
"""


def split_project(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    templates = root / "templates"
    shutil.copyfile(ROOT / "templates" / "_macros.j2", templates / "_macros.j2")
    (templates / "facts").mkdir()
    (templates / "facts" / "[topic].md.j2").write_text(FACTS_PART, encoding="utf-8")
    (templates / "sources").mkdir()
    (templates / "sources" / "[letter].md.j2").write_text(SOURCES_PART, encoding="utf-8")
    (templates / "links.md.j2").write_text(LINKS, encoding="utf-8")
    return root


def rendered(root: Path, **options) -> dict[str, str]:
    fb = check_project(root)
    report = Report()
    pages = render_pages(fb, report, **options)
    assert not report.failed(), report.format()
    return {p.name: p.markdown for p in pages}


def test_one_page_per_topic_and_per_initial(tmp_path):
    root = split_project(tmp_path)
    fb = check_project(root)
    names = [s.name for s in page_specs(fb)]
    assert names == ["links.md", "page.md", "facts/programme.md", "sources/m.md", "sources/p.md", "sources/w.md"]
    pages = rendered(root)
    assert pages["facts/programme.md"].startswith("# Facts of programme\n")
    assert 'id="robots"' in pages["facts/programme.md"]
    assert pages["sources/m.md"].startswith("# Sources under M\n") and 'id="source-ministry"' not in pages["sources/w.md"]
    assert "#source-ministry" in pages["sources/m.md"] and "#source-wire-one" in pages["sources/w.md"]


def test_links_point_at_the_page_holding_the_record(tmp_path):
    pages = rendered(split_project(tmp_path))
    assert 'href="../facts/programme/#robots"' in pages["links.md"]
    assert 'href="../sources/m/#source-ministry"' in pages["links.md"]
    # from a page in a folder, two levels up
    assert 'href="../../sources/w/#source-wire-one"' in pages["facts/programme.md"]
    assert 'href="../../facts/programme/#announced"' in pages["sources/w.md"]


def test_links_without_directory_urls(tmp_path):
    pages = rendered(split_project(tmp_path), directory_urls=False)
    assert 'href="facts/programme.html#robots"' in pages["links.md"]
    assert 'href="../sources/w.html#source-wire-one"' in pages["facts/programme.md"]


def test_without_split_templates_records_stay_on_the_facts_and_sources_pages(tmp_path):
    root = split_project(tmp_path)
    shutil.rmtree(root / "templates" / "facts")
    shutil.rmtree(root / "templates" / "sources")
    pages = rendered(root)
    assert 'href="../facts/#robots"' in pages["links.md"] and 'href="../sources/#source-ministry"' in pages["links.md"]


def test_data_downloads_link_the_record_page(tmp_path):
    fb = check_project(split_project(tmp_path))
    records = {r["id"]: r for r in facts_data(fb, "https://example.org/b/")["facts"]}
    assert records["robots"]["permalink"] == "https://example.org/b/facts/programme/#robots"


@pytest.mark.parametrize("bad", ["facts/[region].md.j2", "[topic]-[letter].md.j2"])
def test_unknown_bracketed_part_is_a_located_error(tmp_path, bad):
    root = split_project(tmp_path)
    (root / "templates" / bad).write_text("# x\n", encoding="utf-8")
    report = Report()
    pages = render_pages(check_project(root), report)
    assert report.failed()
    (finding,) = report.errors
    assert str(finding.location) == f"templates/{bad}:1:1"
    assert "[topic], [letter]" in finding.message
    assert "links.md" in {p.name for p in pages}  # the other pages still render


def test_page_urls():
    assert page_url("index.md") == "" and page_url("facts.md") == "facts/"
    assert page_url("facts/energy.md") == "facts/energy/" and page_url("facts/index.md") == "facts/"
    assert page_url("facts/energy.md", directory_urls=False) == "facts/energy.html"


def test_pdfs_of_pages_in_folders(tmp_path):
    assert pdf_name("facts/energy.md") == "facts-energy.pdf"

    def chapter(page):
        return Chapter(page, page, "", page, None, None)

    pages = ["sources/b.md", "facts/x.md", "funding.md", "sources.md", "index.md", "facts.md", "facts/a.md", "sources/a.md"]
    ordered = [c.page for c in order_chapters([chapter(p) for p in pages], nav=["funding.md", "facts.md"])]
    assert ordered == ["funding.md", "index.md", "facts.md", "facts/a.md", "facts/x.md", "sources.md", "sources/a.md", "sources/b.md"]
