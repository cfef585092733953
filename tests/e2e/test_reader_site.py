"""End-to-end: what the built site offers readers besides prose: charts, data downloads, permalinks, search."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.site.data import data_files
from build_scripts.pipeline import check_project

pytestmark = pytest.mark.e2e


def _soup(site: Path, name: str) -> BeautifulSoup:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("page, name", [("funding", "funding"), ("targets", "targets"), ("context", "context")])
def test_chart_on_its_page_with_cited_caption(site_dir, page, name):
    soup = _soup(site_dir, page)
    figure = soup.select_one(f'article figure.chart[data-chart="{name}"]')
    assert figure is not None
    svg = figure.find("svg")
    assert svg is not None and svg.get("role") == "img"
    assert svg.find("title") and svg.find("desc")
    caption = figure.find("figcaption")
    refs = caption.select("sup a.footnote-ref")
    assert len(refs) >= 2
    for ref in refs:
        assert soup.find(id=ref["href"][1:]) is not None
    for text in svg.find_all("text", class_="chart-label"):
        for el in [text, *text.find_all("tspan")]:
            own = "".join(s for s in el.find_all(string=True, recursive=False))
            if re.search(r"\d", own):
                assert el.get("data-fact") or el.find_parent(attrs={"data-fact": True}), own


def test_site_refers_to_nothing_outside(site_dir):
    for html in site_dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for svg in re.findall(r"<svg\b.*?</svg>", text, re.S):
            assert not re.search(r"(?:https?:)?//(?!www\.w3\.org/)", svg), html
        soup = BeautifulSoup(text, "lxml")
        # everything a browser would fetch; a canonical link names the page's address and is never fetched
        for el in soup.select("link[href]:not([rel=canonical]), script[src], img[src], iframe[src], source[src], video[src], audio[src]"):
            ref = el.get("href") or el.get("src")
            assert not re.match(r"^(https?:)?//", ref), f"{html}: {ref}"
    for css in site_dir.rglob("*.css"):
        assert not re.search(r"@import\s+url\((['\"]?)(https?:)?//|url\((['\"]?)https?://", css.read_text(encoding="utf-8")), css


def test_data_files_are_published_as_generated(site_dir, built_project):
    fb = check_project(built_project)
    from mkdocs.config import load_config

    config = load_config(str(built_project / "mkdocs.yml"))
    for path, content in data_files(fb, config.site_url or "", config.use_directory_urls).items():
        assert (site_dir / path).read_bytes() == content.encode("utf-8"), path
    facts = json.loads((site_dir / "data" / "facts.json").read_text(encoding="utf-8"))["facts"]
    assert {f["id"] for f in facts} == set(fb.facts)


def test_data_page_links_resolve_to_the_files(site_dir):
    soup = _soup(site_dir, "data")
    links = {a.get_text(): a["href"] for a in soup.select("article .data-downloads a")}
    assert set(links) == {"facts.json", "facts.csv", "sources.json"}
    for name, href in links.items():
        assert not href.startswith(("/", "http")), href
        target = posixpath.normpath(posixpath.join("data/", href))
        assert (site_dir / target).is_file(), (name, href)
    nav = " ".join(a.get_text(" ", strip=True) for a in soup.select("nav.md-nav a"))
    assert "Data" in nav


def test_facts_page_offers_labelled_filters_and_loads_the_script(site_dir):
    soup = _soup(site_dir, "facts")
    box = soup.select_one("[data-facts-filter]")
    assert box is not None
    for select in box.find_all("select"):
        assert soup.find("label", attrs={"for": select["id"]}) is not None
    assert {o["value"] for o in box.select("select[name=status] option")} >= {"", "confirmed", "reported", "disputed"}
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert any(s.endswith("assets/facts-filter.js") for s in scripts), scripts
    assert (site_dir / "assets" / "facts-filter.js").is_file()
    for row in soup.select("table.facts-table tr[data-fact]"):
        assert row["id"] == row["data-fact"] and row.get("data-topic") and row.get("data-status")


def test_search_index_holds_every_fact_label_on_the_facts_page(site_dir, built_project):
    fb = check_project(built_project)
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    facts_text = " ".join(d["title"] + " " + d["text"] for d in index["docs"] if d["location"].startswith("facts/"))
    missing = [f.label for f in fb.facts.values() if f.label not in facts_text]
    assert missing == []
