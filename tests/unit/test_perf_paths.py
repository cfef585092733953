"""The faster paths of issue 8 give the results of the straightforward code they replace.

* the reference-rate lookup (an index by currency pair and date instead of a scan of every fact);
* ``FactBase.cited_by`` and ``reviews_of`` (an index instead of a scan per source or per fact), and
  ``FactBase.records`` (the record tuples every page is rendered with, made once);
* the figure-promise scan (lxml instead of BeautifulSoup's tree).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts import pipeline
from build_scripts.site.promise import scan_html, scan_html_soup
from build_scripts.check.rates import rate_facts, reference_rate
from build_scripts.factbase import FactBase
from build_scripts.settings import Settings
from benchmarks.synth import write as synth
from build_scripts.records.models import Fact



def brute_force_rate(fb, have, want, on):
    """The lookup as it was: every rate fact, nearest date first, then the smaller id."""
    best = None
    for fact in rate_facts(fb):
        pair = (fact.unit.split("-per-")[0], fact.unit.split("-per-")[1])
        if pair == (have, want):
            factor = fact.value
        elif pair == (want, have):
            factor = 1 / fact.value
        else:
            continue
        key = (abs((fact.as_of - on).days), fact.id, fact, factor)
        if best is None or key[:2] < best[:2]:
            best = key
    return (best[2], best[3]) if best else None


def rate_fact(fid: str, unit: str, value: str, day: dt.date, status=None) -> Fact:
    data = {"id": fid, "label": "rate", "unit": unit, "value": value, "as_of": day, "citations": [{"source": "s", "quote": "q"}]}
    if status:
        data.update(status=status, note="why")
    return Fact.model_validate(data)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["JPY-per-USD", "USD-per-JPY", "KRW-per-USD", "JPY-per-EUR"]),
            st.integers(0, 40),
            st.sampled_from(["150", "0.0066", "1300.5", "162.5"]),
            st.booleans(),
        ),
        max_size=12,
    ),
    st.integers(-5, 45),
)
def test_reference_rate_is_the_nearest_rate_as_before(rates, offset):
    fb = FactBase(root=Path("."), settings=Settings())
    start = dt.date(2026, 1, 1)
    for i, (unit, days, value, retracted) in enumerate(rates):
        fact = rate_fact(f"rate-{(i * 7) % 13}-{i}", unit, value, start + dt.timedelta(days=days), "retracted" if retracted else None)
        fb.facts[fact.id] = fact
    on = start + dt.timedelta(days=offset)
    for have, want in [("JPY", "USD"), ("USD", "JPY"), ("KRW", "USD"), ("EUR", "JPY"), ("JPY", "KRW")]:
        assert reference_rate(fb, have, want, on) == brute_force_rate(fb, have, want, on)
    # the index follows facts added later
    late = rate_fact("rate-late", "JPY-per-USD", "99", on)
    fb.facts[late.id] = late
    assert reference_rate(fb, "JPY", "USD", on) == brute_force_rate(fb, "JPY", "USD", on)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    synth(root, 300)
    return root


def test_cited_by_is_the_scan_it_replaces(synthetic):
    fb = pipeline.check_project(synthetic)
    for source_id in [*fb.sources, "no-such-source"]:
        expected = [f for f in fb.facts.values() if any(c.source == source_id for c in f.citations)]
        assert fb.cited_by(source_id) == expected


def test_reviews_of_is_the_scan_it_replaces(synthetic):
    fb = pipeline.check_project(synthetic)
    assert fb.reviews
    for fact_id in [*fb.facts, "no-such-fact"]:
        assert fb.reviews_of(fact_id) == [r for r in fb.reviews.values() if r.fact == fact_id]


def test_every_page_is_rendered_with_the_same_record_tuples(synthetic):
    from build_scripts.render.formatting import Formatter
    from build_scripts.render.figures import FigureRenderer
    from build_scripts.render.pages import page_context

    fb = pipeline.check_project(synthetic)
    figures = [FigureRenderer(fb, Formatter(fb.settings), page=name) for name in ("index.md", "sources.md")]
    first, second = (page_context(fb, f) for f in figures)
    for name, records in [("facts", fb.facts), ("sources", fb.sources), ("reviews", fb.reviews)]:
        assert first[name] == tuple(records.values()) and second[name] is first[name]
    fact = next(iter(fb.facts.values()))
    fb.facts["added-later"] = fact  # records added after the first page: the tuples are made again
    assert page_context(fb, figures[0])["facts"][-1] is fact and len(page_context(fb, figures[0])["facts"]) == len(fb.facts)
    del fb.facts["added-later"]


# -- the figure promise scan ---------------------------------------------------------------
PIECES = [
    "12 robots", "about 40%", "none", " ", "FY2026", "\u0661\u0662", "x²",
    '<span data-fact="f">¥1 trillion</span>', '<span data-figure-exempt="">since 1998</span>',
    '<span data-source="s">2024 report</span>', '<q data-quote="s">387.3 billion yen</q>', "<code>42</code>",
    "<time>2026</time>", "<!-- 99 comment -->", "<script>var a = 1;</script>", "<style>p{margin:0}</style>",
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>', "<sup>2</sup>",
    '<sup><a class="x footnote-ref">3</a></sup>', '<a class="headerlink" href="#x">7</a>',
    '<div class="footnote"><ol><li>5 notes</li></ol></div>', "<ruby>漢<rt>4</rt></ruby>", "<template>8</template>",
    '<p data-figure-exempt="">a <script>1</script> b <span>2</span><!-- 3 --></p>', "<em>", "</em>", "<p>", "</p>",
    "<table><tr><td>6</td></tr></table>", "&amp; 10 &lt;", "<svg><text>9</text></svg>", "<br>", "<li>1. item",
]


@st.composite
def pages(draw) -> str:
    body = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=14)))
    return (
        "<!doctype html><html><head><title>1 page</title></head><body><nav>2 links</nav>"
        f'<article class="md-content__inner md-typeset">{body}</article><footer>2026</footer></body></html>'
    )


@settings(max_examples=300, deadline=None)
@given(pages())
def test_promise_scan_reads_pages_as_beautifulsoup_does(html):
    assert scan_html(html) == scan_html_soup(html)


def test_promise_scan_falls_back_for_pages_without_an_article():
    for html in ("<html><body><p>12 robots</p></body></html>", "<p>3</p>", "", "<?php 1 ?><article class='md-content__inner'>4</article>"):
        assert scan_html(html) == scan_html_soup(html)


def test_promise_scan_of_a_built_site(synthetic, monkeypatch):
    from build_scripts.site.publish import build_site

    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    report = build_site(synthetic, pdf=False)
    assert not report.failed(), report.format()
    built = sorted((synthetic / "site").rglob("*.html"))
    assert len(built) > 5
    for page in random.Random(8).sample(built, 6):
        html = page.read_text(encoding="utf-8")
        assert scan_html(html) == scan_html_soup(html)
