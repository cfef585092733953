"""Charts drawn at build time from the fact records, as inline SVG (with pygal).

A template places a chart with ``{{ chart("funding") }}``: a ``<figure
class="chart">`` holding the SVG and a caption whose figures come from
``fig()`` and so carry their citations. :func:`chart_svg` gives the SVG alone,
for the PDF export or any other use.

The SVG is made to be published, not just drawn:

* **No network, no script.** pygal's external tooltip script is disabled
  (``js=[]``) and its inline configuration script removed; nothing refers to
  any address.
* **Deterministic.** pygal's random chart id and the dated comment it writes
  are replaced or removed, so the same records give byte-identical SVG.
* **Accessible.** ``role="img"`` with a ``<title>`` and a ``<desc>`` that
  state every figure shown; the caption repeats them with citations.
* **Light, dark and print.** Text and lines use ``currentColor``; series
  colours are plain in the SVG's own stylesheet (what WeasyPrint, which
  ignores ``@media`` rules inside SVG, uses for the PDFs) and, on screen, come
  from the CSS custom properties ``--briefing-chart-*`` that
  ``docs/assets/briefing.css`` sets for mkdocs-material's light and slate
  schemes.
* **Figures marked.** Every label that states a figure carries
  ``data-fact="<fact id>"``, like a figure in prose; axis ticks are scale
  marks, not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

import pygal
from lxml import etree
from markupsafe import Markup
from pygal.style import Style

from ..check.rates import reference_rate
from ..check.statements import claimed
from ..factbase import FactBase
from ..records.models import Fact
from .figures import source_name
from .formatting import Formatter

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 560  # the wide drawing, for columns from about 560 px: drawn at least at its size, its text stays 12 px
NARROW_WIDTH = 360  # the narrow drawing, for phones: shown instead of the wide one by briefing.css
#: Print colours (light background); on screen the custom properties of briefing.css win.
PALETTE = (
    ("--briefing-chart-1", "#303f9f"),  # the figure a chart is about
    ("--briefing-chart-2", "#7986cb"),  # the whole it sits within
    ("--briefing-chart-3", "#e65100"),  # context figures
)
GUIDE = "#c4c4c4"  # gridlines in print; on screen, the text colour faded
LABEL_SIZE = 14
TICK_SIZE = 12
LABEL_GAP = 22  # room above a bar for one line of its label


class UnknownChart(ValueError):
    """A template asked for a chart that is not defined."""


@dataclass
class Part:
    """One run of a chart label: its text and the fact it states, if any."""

    text: str
    fact: str | None = None
    converted_with: str | None = None  # the rate fact of a converted amount
    figure: bool = False  # the figure itself (set in bold), not words around it


@dataclass
class Label:
    """A label attached to the mark of value ``index`` of series ``series``."""

    series: int
    index: int
    parts: list[Part]
    below: list[Part] = field(default_factory=list)  # a second line, under the first (drawn so on narrow charts)


@dataclass
class Drawing:
    """A pygal chart ready to render, with what the SVG must say about it."""

    chart: pygal.graph.graph.Graph
    title: str
    desc: str
    labels: list[Label]
    kind: str  # "bars" or "points"
    facts: list[str]
    narrow: bool = False


@dataclass(frozen=True)
class ChartDef:
    draw: Callable[[FactBase, Formatter], Drawing]
    caption: Callable  # (FigureRenderer) -> Markup


# -- helpers --------------------------------------------------------------------


def _fact(fb: FactBase, fact_id: str) -> Fact:
    try:
        return fb.facts[fact_id]
    except KeyError:
        from .figures import UnknownFact

        raise UnknownFact(fact_id) from None


def _amount(fb: FactBase, fact_id: str) -> Decimal:
    fact = _fact(fb, fact_id)
    if not isinstance(fact.value, Decimal):
        raise ValueError(f"chart: fact {fact_id!r} is not a single number")
    return fact.value


def _value_text(fmt: Formatter, fact: Fact) -> str:
    return fmt.value(fact.value, fact.unit, fact.qualifier)


def _usd(fb: FactBase, fmt: Formatter, fact_id: str, to: str = "USD") -> tuple[str, str]:
    """("about US$6.2 billion", rate fact id): the amount converted at the desk's reference rate."""
    fact = _fact(fb, fact_id)
    found = reference_rate(fb, fact.unit, to, fact.as_of)
    if found is None:
        raise ValueError(f"chart: no reference exchange rate fact for {fact.unit} to {to}")
    rate, factor = found
    return "about " + fmt.converted(_amount(fb, fact_id), factor, to)[1], rate.id


def _period(fb: FactBase, fact_id: str) -> str:
    return (_fact(fb, fact_id).period or "").replace("-", "\u2013")


def _style(palette: tuple[int, ...]) -> Style:
    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="currentColor",
        foreground_strong="currentColor",
        foreground_subtle="currentColor",
        guide_stroke_color="currentColor",
        major_guide_stroke_color="currentColor",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="1",
        stroke_width_hover="1",
        transition="0s",
        font_family="sans-serif",
        label_font_size=TICK_SIZE,
        major_label_font_size=TICK_SIZE,
        value_font_size=LABEL_SIZE,
        colors=tuple(PALETTE[i][1] for i in palette),
    )


def _config(name: str, palette: tuple[int, ...], narrow: bool = False, **kwargs) -> dict:
    """pygal options shared by the charts; ``palette`` gives each series its PALETTE entry."""
    return dict(
        style=_style(palette),
        js=[],
        css=["file://style.css", "file://graph.css", "inline:" + _extra_css(name, palette)],
        disable_xml_declaration=True,
        explicit_size=True,
        width=NARROW_WIDTH if narrow else WIDTH,
        show_legend=False,
        print_values=False,
        tooltip_border_radius=0,
        truncate_label=-1,
        margin=12,
        **kwargs,
    )


def _extra_css(name: str, palette: tuple[int, ...]) -> str:
    # WeasyPrint applies the SVG's own rules but skips @media blocks: print gets plain colours,
    # screens get the custom properties of briefing.css (light and slate schemes), plain ones as fallback.
    p = f"#chart-{name}"
    screen = "".join(
        f"{p} .color-{i}{{fill:var({PALETTE[k][0]},{PALETTE[k][1]});stroke:var({PALETTE[k][0]},{PALETTE[k][1]})}}"
        for i, k in enumerate(palette)
    )
    screen += f"{p} .axis .guide.line,{p} .axis .major.guide.line{{stroke:currentColor;stroke-opacity:.25}}"
    return (
        f"{p} .axis .guide.line,{p} .axis .major.guide.line{{stroke:{GUIDE};stroke-dasharray:none}}"
        f"{p} .chart-label{{fill:currentColor;font-size:{LABEL_SIZE}px;font-family:sans-serif}}"
        f"{p} .chart-label .chart-label__figure{{font-weight:bold}}"
        f"@media screen{{{screen}}}"
    )


def _ticks(top: float, narrow: bool) -> list[float]:
    """Gridlines from zero to ``top``: fewer on a narrow drawing, so that their labels do not collide."""
    steps = 2 if narrow else 4
    return [top * i / steps for i in range(steps + 1)]


def _tick(fmt: Formatter, unit: str) -> Callable[[float], str]:
    def format_tick(value: float) -> str:
        return fmt.amount(Decimal(repr(value)).normalize().quantize(Decimal(1)), unit, digits=1)

    return format_tick


# -- the charts ---------------------------------------------------------------------


def draw_funding(fb: FactBase, fmt: Formatter, narrow: bool = False) -> Drawing:
    """The first-year allocation drawn within the five-year ceiling, yen with dollars, on one linear scale."""
    ceiling_id, first_id = "noetra-funding-ceiling", "noetra-first-year-allocation"
    ceiling, first = _fact(fb, ceiling_id), _fact(fb, first_id)
    ceiling_usd, rate_id = _usd(fb, fmt, ceiling_id)
    first_usd, _ = _usd(fb, fmt, first_id)
    rate = _fact(fb, rate_id)
    top = float(_amount(fb, ceiling_id))
    chart = pygal.HorizontalBar(
        **_config(
            "funding", (1, 0), narrow, height=250 if narrow else 200, margin_left=40 if narrow else 48, margin_right=40 if narrow else 48,
            range=(0, top), y_labels=_ticks(top, narrow), show_y_labels=False,
        )
    )
    chart.value_formatter = _tick(fmt, ceiling.unit)
    chart.add("ceiling", [float(_amount(fb, ceiling_id))])
    chart.add("first year", [float(_amount(fb, first_id))])
    labels = [
        Label(0, 0, [Part("Ceiling, " + _period(fb, ceiling_id) + ": ", ceiling_id)], [Part(_value_text(fmt, ceiling), ceiling_id, figure=True), Part(f" ({ceiling_usd})", ceiling_id, rate_id)]),
        Label(1, 0, [Part("Allocated for " + _period(fb, first_id) + ": ", first_id)], [Part(_value_text(fmt, first), first_id, figure=True), Part(f" ({first_usd})", first_id, rate_id)]),
    ]
    desc = (
        f"Bar chart on one linear scale. Noetra's public funding ceiling for {_period(fb, ceiling_id)} is "
        f"{_value_text(fmt, ceiling)} ({ceiling_usd}); the allocation for {_period(fb, first_id)}, "
        f"{_value_text(fmt, first)} ({first_usd}), fills part of it. Dollar amounts at the desk's reference rate of "
        f"{_value_text(fmt, rate)}."
    )
    return Drawing(chart, "The first year's money against the five-year ceiling", desc, labels, "bars", [ceiling_id, first_id, rate_id], narrow)


def draw_targets(fb: FactBase, fmt: Formatter, narrow: bool = False) -> Drawing:
    """The robot target as each source states it, on one linear scale: where one source is wrong, it shows."""
    fact_id = "robot-deployment-target"
    fact = _fact(fb, fact_id)
    if not isinstance(fact.value, Decimal):
        raise ValueError(f"chart: fact {fact_id!r} is not a single number")
    # one bar per figure stated, with the publishers stating it, in order of first citation
    stated: dict[Decimal, list[str]] = {}
    for citation in fact.citations:
        value = claimed(fact, citation, fb.settings.agreement_tolerance, fb.amounts)  # the figure the quote states, as the checker reads it
        src = fb.sources.get(citation.source)
        if src is not None:
            names = stated.setdefault(Decimal(value), [])
            if src.publisher not in names:
                names.append(src.publisher)
    if len(stated) < 2:
        raise ValueError(f"chart: the sources of {fact_id!r} agree; there is no disagreement to draw")
    top = float(max(stated))
    chart = pygal.HorizontalBar(
        **_config(
            "targets", tuple(0 if v == fact.value else 2 for v in stated), narrow, height=(130 if narrow else 100) * len(stated) + 30,
            margin_left=40 if narrow else 48, margin_right=40 if narrow else 48, range=(0, top), y_labels=_ticks(top, narrow), show_y_labels=False,
        )
    )
    chart.value_formatter = _tick(fmt, fact.unit)
    labels = []
    desc_parts = []
    for series, (value, names) in enumerate(stated.items()):
        chart.add(str(value), [float(value)])
        text = fmt.value(value, fact.unit, fact.qualifier if value == fact.value else "exact")
        who = ("the desk's figure, stated by " if value == fact.value else "stated by ") + fmt.plural(len(names), "publisher", "publishers")
        labels.append(Label(series, 0, [Part(text, fact_id, figure=True), Part(":")], [Part(who, fact_id)]))
        desc_parts.append(f"{text}, {who} ({fmt.names(names)})")
    desc = "Bar chart on one linear scale of the robot deployment target as the sources state it: " + "; ".join(desc_parts) + "."
    return Drawing(chart, "The robot target, as each source states it", desc, labels, "bars", [fact_id], narrow)


def draw_context(fb: FactBase, fmt: Formatter, narrow: bool = False) -> Drawing:
    """Noetra's money against the national growth strategy, on one linear scale: the smaller bars are slivers,
    and each label says how many times they fit into the strategy."""
    # top to bottom, as pygal draws series in the order they are added
    whole_id = "growth-strategy-investment"
    rows = [
        (whole_id, "National growth strategy"),
        ("noetra-funding-ceiling", "Noetra, funding ceiling"),
        ("noetra-first-year-allocation", "Noetra, first year"),
    ]
    units = {_fact(fb, fid).unit for fid, _ in rows}
    if len(units) != 1:
        raise ValueError(f"chart: context figures must share one unit, got {sorted(units)}")
    unit = units.pop()
    whole = _amount(fb, whole_id)
    top = float(whole)
    chart = pygal.HorizontalBar(
        **_config(
            "context", (2, 1, 0), narrow, height=330 if narrow else 260, margin_left=40 if narrow else 48, margin_right=40 if narrow else 48,
            range=(0, top), y_labels=_ticks(top, narrow), show_y_labels=False,
        )
    )
    chart.value_formatter = _tick(fmt, unit)
    labels = []
    desc_parts = []
    for series, (fid, words) in enumerate(rows):
        fact = _fact(fb, fid)
        chart.add(fid, [float(fact.value)])
        name = Part(f"{words} ({_period(fb, fid)}): ", fid) if fact.period else Part(f"{words}: ")
        below = [Part(_value_text(fmt, fact), fid, figure=True)]
        share = ""
        if fid != whole_id:
            times = (whole / _amount(fb, fid)).quantize(Decimal(1))
            share = f"1/{fmt.number(times)} of the strategy"
            below.append(Part(f", {share}", fid))  # a ratio of two cited figures
        labels.append(Label(series, 0, [name], below))
        desc_parts.append(f"{words}: {_value_text(fmt, fact)}" + (f" ({share})" if share else ""))
    desc = "Bar chart on one linear scale. " + "; ".join(desc_parts) + "."
    return Drawing(chart, "Noetra's public money within the national growth strategy", desc, labels, "bars", [fid for fid, _ in rows], narrow)


def _caption_funding(f) -> Markup:
    return Markup(
        "The allocation for {p1}, {a} ({au}), is the only part of the ceiling of {c} ({cu}) over {p2} "
        "fixed so far; the rest is released only after yearly reviews. Dollar amounts at the desk's reference rate of {r}."
    ).format(
        p1=f.period("noetra-first-year-allocation"),
        a=f.fig("noetra-first-year-allocation"),
        au=f.conversion("noetra-first-year-allocation", "USD"),
        c=f.fig("noetra-funding-ceiling"),
        cu=f.conversion("noetra-funding-ceiling", "USD"),
        p2=f.period("noetra-funding-ceiling"),
        r=f.fig("jpy-per-usd-reference"),
    )


def _caption_targets(f) -> Markup:
    return Markup(
        "The revised robot strategy aims for {n} in use by {y}. Every source gives that figure except one "
        "aggregator's headline, whose figure in the thousands is drawn on the same scale: it barely shows."
    ).format(n=f.fig("robot-deployment-target"), y=f.fig("robot-target-year"))


def _caption_context(f) -> Markup:
    return Markup(
        "Public money for Noetra, {a} in the first year and a ceiling of {c}, set against the national growth "
        "strategy's {g} of public and private investment over {d}, all on one scale: Noetra's bars are slivers."
    ).format(
        a=f.fig("noetra-first-year-allocation"),
        c=f.fig("noetra-funding-ceiling"),
        g=f.fig("growth-strategy-investment"),
        d=f.fig("growth-strategy-duration"),
    )


CHARTS: dict[str, ChartDef] = {
    "funding": ChartDef(draw_funding, _caption_funding),
    "targets": ChartDef(draw_targets, _caption_targets),
    "context": ChartDef(draw_context, _caption_context),
}


# -- SVG ----------------------------------------------------------------------------


def _q(tag: str) -> str:
    # pygal builds its tree with un-namespaced tags under a default namespace map
    return tag


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _finish(root, name: str, drawing: Drawing):
    """(``name`` is the chart's name, with ``-narrow`` for its narrow drawing: ids and classes stay unique.)"""
    """Make pygal's tree publishable: deterministic, script-free, accessible, labelled."""
    # comments (one carries the date of the build) and scripts
    for node in list(root.iter(etree.Comment)):
        node.getparent().remove(node)
    for node in list(root.iter(_q("script"))):
        node.getparent().remove(node)
    # tooltip machinery: needs pygal's script, which is not shipped
    for g in list(root.iter(_q("g"))):
        classes = (g.get("class") or "").split()
        if "tooltip-overlay" in classes or "text-overlay" in classes or ("overlay" in classes and not g.xpath(".//*[local-name()='circle']")):
            g.getparent().remove(g)
    for node in list(root.iter(_q("desc"), _q("title"))):
        node.getparent().remove(node)
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("id") and node is not root:
            del node.attrib["id"]
        if isinstance(node.tag, str) and "tooltip-trigger" in (node.get("class") or ""):
            node.set("class", node.get("class").replace(" tooltip-trigger", ""))
    # text alternative
    root.set("role", "img")
    root.set("aria-labelledby", f"chart-{name}-title chart-{name}-desc")
    root.set("class", f"pygal-chart briefing-chart briefing-chart--{name}")
    # scale down to the column (site, print) while keeping the drawn proportions
    root.set("style", "width:100%;height:auto")
    title = etree.Element(_q("title"), id=f"chart-{name}-title")
    title.text = drawing.title
    desc = etree.Element(_q("desc"), id=f"chart-{name}-desc")
    desc.text = drawing.desc
    root.insert(0, desc)
    root.insert(0, title)
    # labels
    plot = next(g for g in root.iter(_q("g")) if (g.get("class") or "").split() == ["plot"])
    layer = etree.SubElement(plot, _q("g"), {"class": "chart-labels"})
    for label in drawing.labels:
        series = next(
            g for g in plot.iter(_q("g")) if f"serie-{label.series}" in (g.get("class") or "").split()
        ) if drawing.kind == "bars" else next(
            g for g in root.iter(_q("g")) if f"serie-{label.series}" in (g.get("class") or "").split() and g.xpath(".//*[local-name()='circle']")
        )
        if drawing.kind == "bars":
            rect = series.xpath(".//*[local-name()='rect']")[label.index]
            y, h = float(rect.get("y")), float(rect.get("height"))
            lines = [label.parts, label.below] if label.below else [label.parts]
            gap = LABEL_GAP + (len(lines) - 1) * (LABEL_SIZE + 4)
            rect.set("y", _num(y + gap))
            rect.set("height", _num(max(h - gap, 4)))
            for key in ("x", "width"):
                rect.set(key, _num(float(rect.get(key))))
            for i, line in enumerate(lines):
                _text(layer, line, float(rect.get("x")), y + gap - 6 - (len(lines) - 1 - i) * (LABEL_SIZE + 4), "start")
        else:
            dot = series.xpath(".//*[local-name()='circle']")[label.index]
            cx, cy = float(dot.get("cx")), float(dot.get("cy"))
            dot.set("cx", _num(cx))
            dot.set("cy", _num(cy))
            # the label of a point sits to its left, its second line below
            _text(layer, label.parts, cx - 14, cy - 4, "end")
            if label.below:
                _text(layer, label.below, cx - 14, cy + LABEL_SIZE + 2, "end")
    # scope the stylesheet to the chart by class, not by id: ids may be rewritten (PDF export)
    for style in root.iter(_q("style")):
        base = name.removesuffix("-narrow")  # the extra rules are written for the chart's name, pygal's for its id
        style.text = re.sub(rf"#chart-{re.escape(base)}(?:-narrow)?\b", f".briefing-chart--{name}", style.text)
    return root


def _text(parent, parts: list[Part], x: float, y: float, anchor: str) -> None:
    """A label: one <text>, a <tspan> per part; ``data-fact`` on the text when one fact states it all."""
    text = etree.SubElement(parent, _q("text"), {"class": "chart-label", "x": _num(x), "y": _num(y), "text-anchor": anchor})
    facts = {p.fact for p in parts}
    whole = facts.pop() if len(facts) == 1 else None
    if whole:
        text.set("data-fact", whole)
    for p in parts:
        span = etree.SubElement(text, _q("tspan"))
        span.text = p.text
        if p.fact and not whole:
            span.set("data-fact", p.fact)
        if p.converted_with:
            span.set("data-converted-with", p.converted_with)
        if p.figure:
            span.set("class", "chart-label__figure")


def drawing(fb: FactBase, name: str, fmt: Formatter | None = None, narrow: bool = False) -> Drawing:
    try:
        definition = CHARTS[name]
    except KeyError:
        raise UnknownChart(f"unknown chart {name!r}; the charts are {', '.join(sorted(CHARTS))}") from None
    return definition.draw(fb, fmt or Formatter(fb.settings), narrow)


def chart_svg(fb: FactBase, name: str, narrow: bool = False) -> str:
    """The chart ``name`` as a standalone ``<svg>`` element (no XML declaration), deterministic; ``narrow``
    draws it for a phone's column (labels on two lines, the same text size)."""
    d = drawing(fb, name, narrow=narrow)
    ident = f"{name}-narrow" if narrow else name
    d.chart.uuid = ident  # pygal's id is random by default
    d.chart.add_xml_filter(lambda root: _finish(root, ident, d))
    return d.chart.render(is_unicode=True)


def chart_sources(fb: FactBase, name: str) -> list[str]:
    """The sources of the figures a chart draws, as readers see their names, in order of first citation."""
    names: dict[str, None] = {}
    for fact_id in drawing(fb, name).facts:
        for citation in _fact(fb, fact_id).citations:
            if citation.source in fb.sources:
                names.setdefault(source_name(fb.sources[citation.source]), None)
    return list(names)


def chart(fb: FactBase, figures, name: str) -> Markup:
    """The chart as a titled, numbered figure with a caption and a "Source:" line; the caption's figures are
    cited on that page. Drawn twice, wide and narrow: briefing.css shows the one that fits the screen, and the
    narrow one is hidden by its own style where that stylesheet is not loaded (print)."""
    title = drawing(fb, name).title
    svg, svg_narrow = chart_svg(fb, name), chart_svg(fb, name, narrow=True)
    number = figures.number_chart()
    caption = CHARTS[name].caption(figures)
    return Markup(
        '<figure class="chart" data-chart="{n}" id="figure-{n}" markdown="1">\n'
        '<p class="chart__title">{t}</p>\n'
        '<div class="chart__image chart__image--wide">{svg}</div>\n'
        '<div class="chart__image chart__image--narrow" style="display:none">{svg_narrow}</div>\n'
        '<figcaption markdown="span"><span class="chart__number">Figure {no}.</span> {c} '
        '<span class="chart__source">Source: {s}.</span></figcaption>\n'
        "</figure>"
    ).format(
        n=name, t=title, svg=Markup(svg), svg_narrow=Markup(svg_narrow), no=number, c=caption, s="; ".join(chart_sources(fb, name))
    )
