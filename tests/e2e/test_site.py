"""End-to-end: build the real site and inspect its HTML for the briefing's promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.site.publish import build_site
from build_scripts.pipeline import check_project
from build_scripts.render.formatting import Formatter
from build_scripts.render.figures import STATUS_WORDS

pytestmark = pytest.mark.e2e

PAGES = ["index", "funding", "consortium", "targets", "context", "sources", "facts", "disagreements", "fact-checks", "methodology", "data"]


def page(site: Path, name: str) -> BeautifulSoup:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


# An independent reading of RECORDS.md promise 1 (not the build's own scanner), so that a bug in
# one does not hide a bug in the other.
# Charts (inline SVG) are not prose, as for the build's scanner; their figure labels are checked in test_reader_site.py.
EXEMPT = "[data-fact], [data-figure-exempt], [data-source], [data-quote], .footnote, sup, code, pre, time, script, .headerlink, svg, .chart__number"


def stray_digits(soup: BeautifulSoup) -> list[str]:
    art = BeautifulSoup(str(article(soup)), "lxml")
    for el in art.select(EXEMPT):
        el.decompose()
    return [s.strip() for s in art.find_all(string=re.compile(r"\d"))]


@pytest.mark.parametrize("name", PAGES)
def test_page_exists_and_reads_as_briefing(site_dir, name):
    soup = page(site_dir, name)
    art = article(soup)
    assert art is not None and art.find("h1"), name
    words = len(art.get_text(" ").split())
    assert words > 120, f"{name} has only {words} words"


@pytest.mark.parametrize("name", PAGES)
def test_no_digit_in_prose_outside_a_fact(site_dir, name):
    assert stray_digits(page(site_dir, name)) == []


def test_every_fact_is_on_the_facts_page_with_a_permalink(site_dir, built_project):
    fb = check_project(built_project)
    soup = page(site_dir, "facts")
    fmt = Formatter(fb.settings)
    for fact in fb.facts.values():
        row = soup.find(id=fact.id)
        assert row is not None and row.get("data-fact") == fact.id, fact.id
        assert row.find("a", href=f"#{fact.id}"), f"no permalink for {fact.id}"
        assert fmt.value(fact.value, fact.unit, fact.qualifier) in row.get_text(" "), fact.id
        assert STATUS_WORDS[fb.status(fact.id)] in row.get_text(" ")  # the status in words
        for citation in fact.citations:
            assert row.find(attrs={"data-source": citation.source}), (fact.id, citation.source)


def test_figures_are_formatted_values_with_a_citation_footnote(site_dir, built_project):
    fb = check_project(built_project)
    fmt = Formatter(fb.settings)
    seen = 0
    for name in ["index", "funding", "consortium", "targets", "context"]:
        soup = page(site_dir, name)
        for el in article(soup).select("span.fact[data-fact]:not(.fact--converted)"):
            fact = fb.facts[el["data-fact"]]
            if fact.unit not in ("date",):
                assert fmt.value(fact.value, fact.unit, fact.qualifier) in el.get_text(), el
            ref = el.find_next_sibling("sup")
            assert ref is not None and ref.a["href"] == f"#fn:{fact.id}", el
            note = soup.find(id=f"fn:{fact.id}")
            assert note is not None
            assert note.find("a", href=re.compile(rf"facts/#{re.escape(fact.id)}$")), f"footnote of {fact.id} does not link to its permalink"
            for citation in fact.citations:  # each source named once, its quotes a hover away on its title
                entry = note.find(attrs={"data-source": citation.source})
                assert entry is not None and citation.quote in entry.find("cite")["title"], (fact.id, citation.source)
            seen += 1
    assert seen >= 30, seen


def test_every_topic_page_uses_its_facts(site_dir, built_project):
    fb = check_project(built_project)
    used = set()
    for name in ["index", "funding", "consortium", "targets", "context"]:
        used |= {el["data-fact"] for el in article(page(site_dir, name)).select("[data-fact]")}
    unused = sorted(set(fb.facts) - used)
    assert len(unused) <= len(fb.facts) // 5, f"facts never placed on a briefing page: {unused}"


def test_conversion_names_the_reference_rate(site_dir):
    soup = page(site_dir, "index")
    conv = article(soup).select_one(".fact--converted")
    assert conv is not None, "the overview shows the funding ceiling in US dollars"
    assert conv["data-converted-with"] == "jpy-per-usd-reference"
    assert "reference rate" in conv.parent.get_text(" ")


def test_sources_page_lists_every_source_with_its_facts(site_dir, built_project):
    fb = check_project(built_project)
    soup = page(site_dir, "sources")
    for source in fb.sources.values():
        entry = soup.select_one(f'[data-source="{source.id}"]')
        assert entry is not None, source.id
        cited = {a["href"].split("#")[1] for a in entry.select("a[href*='facts/#']")}
        assert cited == {f.id for f in fb.cited_by(source.id)}, source.id


def test_disagreements_page_shows_both_sides(site_dir):
    art = article(page(site_dir, "disagreements"))
    robot = art.select_one('[data-fact="robot-deployment-target"]')
    assert robot is not None
    text = robot.get_text(" ")
    assert "23,000" in text and "10 million" in text
    conv = art.select_one('.conflict--conversion[data-fact="noetra-funding-ceiling"]')
    assert conv is not None and "¥270,270" in conv.get_text(" ")


def test_no_external_fonts_or_scripts(site_dir):
    for html in site_dir.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        for el in soup.select("link[href]:not([rel=canonical]), script[src]"):  # a canonical link is never fetched
            ref = el.get("href") or el.get("src")
            assert not re.match(r"^(https?:)?//", ref), f"{html}: {ref}"


def test_hand_typed_number_breaks_the_build_with_a_located_message(project):
    template = project / "templates" / "funding.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "The programme will also buy 99 robots.")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_site(project, pdf=False)
    messages = [f.format() for f in report.errors]
    assert any(m.startswith("templates/funding.md.j2:4:29: error: number in prose") for m in messages), messages
    assert not (project / "site").exists(), "a failed build must not publish a site"


def test_failed_build_leaves_previous_site_untouched(project):
    assert not build_site(project, pdf=False).failed()
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "templates" / "targets.md.j2").write_text("# Targets\n\nAbout 12 robots.\n", encoding="utf-8")
    assert build_site(project, pdf=False).failed()
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_quote_that_does_not_state_the_value_fails_the_check(project):
    path = project / "facts" / "funding.yaml"
    text = path.read_text(encoding="utf-8")
    assert "387.3 billion yen allocated" in text
    path.write_text(text.replace("387.3 billion yen allocated", "a first tranche allocated"), encoding="utf-8")
    fb = check_project(project)
    errors = [f.format() for f in fb.report.errors]
    assert any("quote does not state the figure ¥387.3 billion" in e and e.startswith("facts/funding.yaml:") for e in errors), errors


def test_real_quotes_state_their_facts():
    from tests.conftest import ROOT

    fb = check_project(ROOT)
    assert fb.report.errors == [], fb.report.format()
    assert len(fb.facts) >= 30
    used = {c.source for f in fb.facts.values() for c in f.citations}
    assert used == set(fb.sources)


def test_mkdocs_build_strict_works_from_the_root(project, tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=project, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert (out / "funding" / "index.html").is_file()
