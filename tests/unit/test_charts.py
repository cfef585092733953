"""The charts drawn from the fact records: deterministic, offline, accessible, every figure tied to a fact."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from lxml import etree

from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.charts import CHARTS, UnknownChart, chart, chart_svg, drawing
from build_scripts.render.figures import FigureRenderer
from build_scripts.render.formatting import Formatter
from build_scripts.render.pages import render_pages
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def fb():
    fb = check_project(ROOT)
    assert not fb.report.failed(), fb.report.format()
    return fb


def _tree(svg: str):
    return etree.fromstring(svg.encode("utf-8"))


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_is_byte_identical_across_processes(fb, name):
    here = chart_svg(fb, name)
    assert here == chart_svg(fb, name)
    code = (
        "import sys; from pathlib import Path; from build_scripts.pipeline import check_project; "
        "from build_scripts.render.charts import chart_svg; "
        f"sys.stdout.write(chart_svg(check_project(Path({str(ROOT)!r})), {name!r}))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert other == here


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_needs_no_network_and_runs_no_script(fb, name):
    svg = chart_svg(fb, name)
    assert "<script" not in svg
    assert not re.search(r"(?:https?:)?//(?!www\.w3\.org/(?:2000/svg|1999/xlink))", svg), "an address other than the SVG namespaces"
    assert "@import" not in svg and "url(" not in svg
    assert "<!--" not in svg, "comments (pygal dates them)"
    assert not re.search(r"\bid=\"chart-[0-9a-f]{8}-", svg), "a random pygal id"


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_has_a_text_alternative_stating_its_figures(fb, name):
    root = _tree(chart_svg(fb, name))
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    title, desc = by_id[ids[0]], by_id[ids[1]]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert root[0] is title, "the title is the first child, as the SVG accessibility API expects"
    fmt = Formatter(fb.settings)
    for label in root.iter(f"{SVG}text"):
        if "chart-label" not in (label.get("class") or ""):
            continue
        for el in [label, *label.iter(f"{SVG}tspan")]:
            if el.get("data-fact"):
                fact = fb.facts[el.get("data-fact")]
                assert fmt.value(fact.value, fact.unit, fact.qualifier) in desc.text or fact.unit == "year", (name, fact.id)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_figure_in_a_chart_label_is_a_fact(fb, name):
    root = _tree(chart_svg(fb, name))
    labels = [t for t in root.iter(f"{SVG}text") if "chart-label" in (t.get("class") or "")]
    assert labels
    fmt = Formatter(fb.settings)
    for text in labels:
        pieces = [(text.get("data-fact"), text.text or "")] + [
            (span.get("data-fact") or text.get("data-fact"), span.text or "") for span in text.iter(f"{SVG}tspan")
        ]
        for fact_id, piece in pieces:
            if re.search(r"\d", piece):
                assert fact_id in fb.facts, (name, piece)
    shown = {t.get("data-fact") for t in labels} | {s.get("data-fact") for t in labels for s in t.iter(f"{SVG}tspan")}
    values = "".join(t.xpath("string()") for t in labels)
    for fact_id in shown - {None}:
        fact = fb.facts[fact_id]
        assert fmt.value(fact.value, fact.unit, fact.qualifier) in values, fact_id


def test_chart_colours_follow_the_scheme_on_screen_and_stay_plain_in_print(fb):
    svg = chart_svg(fb, "funding")
    style = _tree(svg).find(f"{SVG}defs/{SVG}style").text
    screen = style[style.index("@media screen") :]
    assert "var(--briefing-chart-1," in screen and "currentColor" in screen
    assert "var(" not in style[: style.index("@media screen")], "WeasyPrint reads the rules outside @media: no var() there"
    css = (ROOT / "docs" / "assets" / "briefing.css").read_text(encoding="utf-8")
    assert '[data-md-color-scheme="slate"]' in css and "--briefing-chart-1" in css


def test_funding_chart_shows_the_dollar_equivalent(fb):
    root = _tree(chart_svg(fb, "funding"))
    converted = [s for s in root.iter(f"{SVG}tspan") if s.get("data-converted-with")]
    assert {s.get("data-converted-with") for s in converted} == {"jpy-per-usd-reference"}
    assert all("US$" in s.text for s in converted)


def test_chart_figure_has_a_cited_caption(fb):
    figures = FigureRenderer(fb, Formatter(fb.settings), page="funding.md")
    html = str(chart(fb, figures, "funding"))
    assert html.startswith('<figure class="chart" data-chart="funding"')
    caption = html[html.index("<figcaption") :]
    assert "[^noetra-funding-ceiling]" in caption and "[^jpy-per-usd-reference]" in caption
    assert "\n\n" not in html, "a blank line would end the raw HTML block in Markdown"
    assert set(figures.used) >= {"noetra-funding-ceiling", "noetra-first-year-allocation", "jpy-per-usd-reference"}


def test_unknown_chart_is_a_located_template_error(project):
    template = project / "templates" / "funding.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + '\n{{ chart("nope") }}\n', encoding="utf-8")
    fb = check_project(project)
    report = Report()
    render_pages(fb, report)
    messages = [f.format() for f in report.errors]
    assert any(m.startswith("templates/funding.md.j2:") and "unknown chart 'nope'" in m for m in messages), messages
    with pytest.raises(UnknownChart):
        chart_svg(fb, "nope")


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("narrow", [False, True])
def test_bars_compare_sizes_on_one_linear_scale_and_no_chart_is_a_single_point(fb, name, narrow):
    d = drawing(fb, name, narrow=narrow)
    assert not d.chart.config.logarithmic, "bars that compare sizes need a linear scale"
    assert d.kind == "bars" and len(d.labels) >= 2, "a chart of a single point says nothing a sentence would not"
    root = _tree(chart_svg(fb, name, narrow=narrow))
    bars = sorted((float(r.get("width")), r) for r in root.iter(f"{SVG}rect") if "rect" in (r.get("class") or ""))
    assert len(bars) >= 2
    if name == "context":
        values = sorted(float(fb.facts[f].value) for f in d.facts)  # the largest bar is as many times the smallest as the amounts are
        ratio = bars[-1][0] / bars[0][0]
        assert ratio == pytest.approx(values[-1] / values[0], rel=0.05)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_text_is_at_least_twelve_units_in_both_drawings(fb, name):
    for narrow in (False, True):
        root = _tree(chart_svg(fb, name, narrow=narrow))
        style = drawing(fb, name, narrow=narrow).chart.config.style
        assert min(style.label_font_size, style.major_label_font_size, style.value_font_size) >= 12
        css = "".join(s.text for s in root.iter(f"{SVG}style"))
        assert re.search(r"\.chart-label\{[^}]*font-size:1[2-9]px", css), "labels drawn at 12 units or more"
        assert float(root.get("viewBox").split()[2]) == (360 if narrow else 560)


def test_targets_chart_shows_each_stated_figure(fb):
    text = "".join(t.xpath("string()") for t in _tree(chart_svg(fb, "targets")).iter(f"{SVG}text"))
    assert "about 10 million robots" in text and "23,000 robots" in text
