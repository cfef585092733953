"""End-to-end: the built site read as a new reader meets it (issue 20): the first screen, the charts' captions,
the sources a reader can follow, and plain language on every reader's page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.pipeline import check_project
from build_scripts.render.figures import STATUS_WORDS, independent_sources

pytestmark = pytest.mark.e2e

READER_PAGES = ["index", "funding", "consortium", "targets", "context", "disagreements", "fact-checks", "facts",
                "sources", "data", "methodology", "changes", "about"]
#: Words of the machinery, which belong on the editors' page only. ("build" is ordinary English: only "the build".)
TOOL_WORDS = re.compile(
    r"\b(checker|templates?|tolerance|configured|mkdocs|jinja|yaml|schema\.org|claimreview|json-ld|the build|this build|commit)\b|\(s\)",
    re.IGNORECASE,
)


def _soup(site: Path, name: str) -> BeautifulSoup:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_the_overview_opens_with_key_figure_cards_and_a_key_to_the_marks(site_dir, built_project):
    fb = check_project(built_project)
    article = _soup(site_dir, "index").select_one("article")
    blocks = [el for el in article.children if getattr(el, "name", None) and el.name not in ("h1", "a")]
    assert "pdf-links" in blocks[0].get("class", [])
    assert "key-figures" in blocks[1].get("class", []), "the key figures come first, before the summary"
    assert "status-key" in blocks[2].get("class", [])
    cards = blocks[1].select(".key-figure")
    assert len(cards) >= 4
    for card in cards:
        fact_id = card["data-fact"]
        value = card.select_one(".key-figure__value span.fact")
        assert value["data-fact"] == fact_id and value.find_next_sibling("sup")  # cited
        assert card.select_one(".key-figure__what").get_text(strip=True)
        status = card.select_one(".key-figure__status").get_text(" ", strip=True)
        assert STATUS_WORDS[fb.status(fact_id)] in status
        n = independent_sources(fb, fact_id)
        assert f"{n} independent source{'' if n == 1 else 's'}" in status
    key = " ".join(blocks[2].get_text(" ").split())
    for word in STATUS_WORDS.values():
        assert word in key
    links = blocks[0].select("a.pdf-link")
    assert [a.get_text() for a in links] == ["Download this page as PDF", "Download the full briefing as PDF"]


def test_status_marks_are_named_for_screen_readers_without_aria_label_on_abbr(site_dir):
    for name in ("index", "funding", "targets"):
        marks = _soup(site_dir, name).select("article abbr.fact-status")
        assert marks
        for mark in marks:
            assert "aria-label" not in mark.attrs
            assert mark.select_one(".briefing-sr-only").get_text() in {w.lower() for w in STATUS_WORDS.values()}


@pytest.mark.parametrize("page, name", [("funding", "funding"), ("targets", "targets"), ("context", "context")])
def test_chart_has_a_title_a_numbered_caption_and_a_source_line(site_dir, built_project, page, name):
    fb = check_project(built_project)
    figure = _soup(site_dir, page).select_one(f'figure.chart[data-chart="{name}"]')
    assert figure.select_one(".chart__title").get_text(strip=True)
    caption = " ".join(figure.find("figcaption").get_text(" ").split())
    assert caption.startswith("Figure 1.")
    source_line = figure.select_one(".chart__source").get_text()
    assert source_line.startswith("Source: ")
    # every source of a figure the chart draws is named
    facts = {svg_el["data-fact"] for svg_el in figure.select(".chart__image--wide [data-fact]")}
    for fact_id in facts:
        for citation in fb.facts[fact_id].citations:
            assert fb.sources[citation.source].publisher in source_line, (fact_id, citation.source)
    # a wide and a narrow drawing, with their own ids
    svgs = figure.select("svg[role=img]")
    assert len(svgs) == 2 and len({s["aria-labelledby"] for s in svgs}) == 2


def test_footnotes_name_publisher_title_and_date_once_per_source(site_dir, built_project):
    fb = check_project(built_project)
    soup = _soup(site_dir, "funding")
    for note in soup.select(".footnote li"):
        entries = note.select("[data-source]")
        ids = [e["data-source"] for e in entries]
        assert len(ids) == len(set(ids)), "a source repeated in one footnote"
        for entry in entries:
            src = fb.sources[entry["data-source"]]
            text = " ".join(entry.get_text(" ").split())
            assert text.startswith(src.publisher) and entry.find("cite").get_text() == src.title
            if src.kind.value == "aggregator":
                assert "aggregator" in text.split(src.title)[0], "an aggregator is named as such"
            assert entry.find("time") is not None
        assert not note.select("q"), "quotes are a hover or a click away, not a block in the text"
        assert note.find("a", string="Quotes and fact record")


def test_sources_page_shows_address_kind_and_what_a_source_relays(site_dir, built_project):
    fb = check_project(built_project)
    soup = _soup(site_dir, "sources")
    for src in fb.sources.values():
        entry = soup.select_one(f'.source-entry[data-source="{src.id}"]')
        terms = [dt.get_text() for dt in entry.select("dt")]
        assert {"Publisher", "Kind", "Address"} <= set(terms)
        assert ("Relays" in terms) == bool(src.via)
        if src.kind.value == "aggregator":
            assert "aggregator" in entry.select("dd")[terms.index("Kind")].get_text()
            # and wherever it is cited
            refs = _soup(site_dir, "facts").select(f'.source-ref[data-source="{src.id}"]')
            assert refs and all("aggregator" in e.get_text() for e in refs)
    unnamed = [s.publisher for s in fb.sources.values() if "not named" in s.publisher.lower() or "unidentified" in s.publisher.lower()]
    assert unnamed == [], "a publisher the document does not name is 'Unnamed ...', one short label"


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_pages_speak_plain_language(site_dir, name):
    """No words of the machinery on a reader's page (code, such as the data files' field names, is the point
    there), in the text or in a hover text. The editors' notes on records are their own words (left aside)."""
    article = _soup(site_dir, name).select_one("article")
    for el in article.select("code, pre, script, .fact-note"):
        el.decompose()
    text = " ".join(article.get_text(" ").split())
    hover = " ".join(el["title"] for el in article.find_all(title=True))
    found = [m.group(0) for m in TOOL_WORDS.finditer(text + " " + hover)]
    assert found == [], found


def test_editors_page_holds_the_technical_account(site_dir):
    text = " ".join(_soup(site_dir, "editors").select_one("article").get_text(" ").split())
    for words in ("briefing check", "templates", "conversion_tolerance", "BRIEFING_SITE_URL"):
        assert words in text
