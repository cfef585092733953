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

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

import pygal
from lxml import etree
from markupsafe import Markup, escape
from pygal.style import Style

from ..check.rates import reference_rate
from ..factbase import FactBase
from ..validate.models import Fact
from .formatting import Formatter

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 720
#: Print colours (light background); on screen the custom properties of briefing.css win.
PALETTE = (
    ("--briefing-chart-1", "#303f9f"),  # the figure a chart is about
    ("--briefing-chart-2", "#7986cb"),  # the whole it sits within
    ("--briefing-chart-3", "#e65100"),  # context figures
)
GUIDE = "#c4c4c4"  # gridlines in print; on screen, the text colour faded
LABEL_SIZE = 13
TICK_SIZE = 11
LABEL_GAP = 20  # room above a bar for its label


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
    below: list[Part] = field(default_factory=list)  # a second line, under the first


@dataclass
class Drawing:
    """A pygal chart ready to render, with what the SVG must say about it."""

    chart: pygal.graph.graph.Graph
    title: str
    desc: str
    labels: list[Label]
    kind: str  # "bars" or "points"
    facts: list[str]


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


def _config(name: str, palette: tuple[int, ...], **kwargs) -> dict:
    """pygal options shared by the charts; ``palette`` gives each series its PALETTE entry."""
    return dict(
        style=_style(palette),
        js=[],
        css=["file://style.css", "file://graph.css", "inline:" + _extra_css(name, palette)],
        disable_xml_declaration=True,
        explicit_size=True,
        width=WIDTH,
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


def _tick(fmt: Formatter, unit: str) -> Callable[[float], str]:
    def format_tick(value: float) -> str:
        return fmt.amount(Decimal(repr(value)).normalize().quantize(Decimal(1)), unit, digits=1)

    return format_tick


# -- the charts ---------------------------------------------------------------------


def draw_funding(fb: FactBase, fmt: Formatter) -> Drawing:
    """The first-year allocation drawn within the five-year ceiling, yen with dollars."""
    ceiling_id, first_id = "noetra-funding-ceiling", "noetra-first-year-allocation"
    ceiling, first = _fact(fb, ceiling_id), _fact(fb, first_id)
    ceiling_usd, rate_id = _usd(fb, fmt, ceiling_id)
    first_usd, _ = _usd(fb, fmt, first_id)
    rate = _fact(fb, rate_id)
    top = float(_amount(fb, ceiling_id))
    chart = pygal.HorizontalBar(
        **_config("funding", (1, 0), height=190, margin_left=36, margin_right=36, range=(0, top), y_labels=[top * i / 5 for i in range(6)], show_y_labels=False)
    )
    chart.value_formatter = _tick(fmt, ceiling.unit)
    chart.add("ceiling", [float(_amount(fb, ceiling_id))])
    chart.add("first year", [float(_amount(fb, first_id))])
    labels = [
        Label(0, 0, [Part("Ceiling, " + _period(fb, ceiling_id) + ": ", ceiling_id), Part(_value_text(fmt, ceiling), ceiling_id, figure=True), Part(f" ({ceiling_usd})", ceiling_id, rate_id)]),
        Label(1, 0, [Part("Allocated for " + _period(fb, first_id) + ": ", first_id), Part(_value_text(fmt, first), first_id, figure=True), Part(f" ({first_usd})", first_id, rate_id)]),
    ]
    desc = (
        f"Bar chart on one scale. Noetra's public funding ceiling for {_period(fb, ceiling_id)} is "
        f"{_value_text(fmt, ceiling)} ({ceiling_usd}); the allocation for {_period(fb, first_id)}, "
        f"{_value_text(fmt, first)} ({first_usd}), fills part of it. Dollar amounts at the desk's reference rate of "
        f"{_value_text(fmt, rate)}."
    )
    return Drawing(chart, "Noetra's first-year allocation within its funding ceiling", desc, labels, "bars", [ceiling_id, first_id, rate_id])


def draw_targets(fb: FactBase, fmt: Formatter) -> Drawing:
    """The deployment target placed on a time line from the revised strategy to the target year."""
    pairs = [("robot-deployment-target", "robot-target-year")]  # (count, year): add pairs as facts appear
    start_id = "robot-strategy-revision-date"
    start = _fact(fb, start_id).value
    if not isinstance(start, dt.date):
        raise ValueError(f"chart: fact {start_id!r} is not a date")
    points = [(int(_amount(fb, year_id)), float(_amount(fb, count_id))) for count_id, year_id in pairs]
    last = max(year for year, _ in points)
    high = max(count for _, count in points)
    step = 2 if last - start.year > 8 else 1
    years = list(range(start.year, last + 1, step))
    if years[-1] != last:
        years.append(last)
    chart = pygal.XY(
        **_config(
            "targets",
            (0,),
            height=280,
            xrange=(start.year, last),
            range=(0, high * 1.25),
            x_labels=years,
            y_labels=[high * i / 4 for i in range(6)],
            dots_size=7,
            stroke=False,
            show_x_guides=True,
        )
    )
    count_unit = _fact(fb, pairs[0][0]).unit
    chart.value_formatter = lambda v: fmt.number(Decimal(repr(v)).quantize(Decimal(1)), digits=1)
    chart.x_value_formatter = lambda v: str(int(v))
    chart.y_title = count_unit.capitalize()
    chart.add("targets", points)
    labels = []
    desc_parts = []
    share_id = "physical-ai-market-share-goal"
    for i, (count_id, year_id) in enumerate(pairs):
        count, year = _fact(fb, count_id), _fact(fb, year_id)
        below = (
            # the market-share goal comes from the ministry's March announcement, not from the revised strategy
            [Part("and, set in March, "), Part(_value_text(fmt, _fact(fb, share_id)), share_id, figure=True), Part(" of the world physical-AI market")]
            if share_id in fb.facts
            else []
        )
        parts = [Part(_value_text(fmt, count), count_id, figure=True), Part(" by "), Part(_value_text(fmt, year), year_id, figure=True)]
        labels.append(Label(0, i, parts, below))
        desc_parts.append(f"{_value_text(fmt, count)} by {_value_text(fmt, year)}")
    desc = (
        f"Time line from the revised robot strategy of {fmt.date(start)} to {last}. Target: "
        + "; ".join(desc_parts)
        + (f". Separately, a ministry announcement in March set a goal of {_value_text(fmt, _fact(fb, share_id))} of the world physical-AI market by the same year." if share_id in fb.facts else ".")
        + " The sources give no interim milestones."
    )
    return Drawing(chart, "Robot deployment target over time", desc, labels, "points", [p for pair in pairs for p in pair] + [start_id, share_id])


def draw_context(fb: FactBase, fmt: Formatter) -> Drawing:
    """Noetra's money against the national growth strategy, on a logarithmic scale."""
    # top to bottom, as pygal draws series in the order they are added
    rows = [
        ("noetra-first-year-allocation", "Noetra, first year"),
        ("noetra-funding-ceiling", "Noetra, funding ceiling"),
        ("growth-strategy-investment", "National growth strategy"),
    ]
    units = {_fact(fb, fid).unit for fid, _ in rows}
    if len(units) != 1:
        raise ValueError(f"chart: context figures must share one unit, got {sorted(units)}")
    unit = units.pop()
    values = [_amount(fb, fid) for fid, _ in rows]
    low = Decimal(10) ** (min(values).adjusted())
    high = Decimal(10) ** (max(values).adjusted() + 1)
    ticks = []
    t = low
    while t <= high:
        ticks.append(float(t))
        t *= 10
    chart = pygal.HorizontalBar(
        **_config("context", (0, 1, 2), height=250, margin_left=44, margin_right=52, logarithmic=True, zero=float(low), range=(float(low), float(high)), y_labels=ticks, show_y_labels=False)
    )
    chart.value_formatter = _tick(fmt, unit)
    labels = []
    for series, (fid, words) in enumerate(rows):
        fact = _fact(fb, fid)
        chart.add(fid, [float(fact.value)])
        name = Part(f"{words} ({_period(fb, fid)}): ", fid) if fact.period else Part(f"{words}: ")
        labels.append(Label(series, 0, [name, Part(_value_text(fmt, fact), fid, figure=True)]))
    desc = (
        "Bar chart on a logarithmic scale, each gridline ten times the one before. "
        + "; ".join(f"{words}: {_value_text(fmt, _fact(fb, fid))}" for fid, words in reversed(rows))
        + "."
    )
    return Drawing(chart, "Noetra's public funding set against the national growth strategy", desc, labels, "bars", [fid for fid, _ in rows])


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
        "The revised robot strategy, announced on {d}, aims for {n} in use by {y}, and for {s} of the world "
        "physical-AI market by the same year. The sources set no interim milestones, so only the end point is drawn."
    ).format(
        d=f.date("robot-strategy-revision-date"),
        n=f.fig("robot-deployment-target"),
        y=f.fig("robot-target-year"),
        s=f.fig("physical-ai-market-share-goal"),
    )


def _caption_context(f) -> Markup:
    return Markup(
        "Public money for Noetra, {a} in the first year and a ceiling of {c}, set against the national growth "
        "strategy's {g} of public and private investment over {d}. The scale is logarithmic: each gridline marks "
        "ten times the amount of the one before, so on an ordinary scale Noetra's bars would barely show."
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
            rect.set("y", _num(y + LABEL_GAP))
            rect.set("height", _num(max(h - LABEL_GAP, 4)))
            for key in ("x", "width"):
                rect.set(key, _num(float(rect.get(key))))
            _text(layer, label.parts, float(rect.get("x")), y + LABEL_GAP - 6, "start")
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
        style.text = style.text.replace(f"#chart-{name} ", f".briefing-chart--{name} ").replace(f"#chart-{name}", f".briefing-chart--{name}")
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


def drawing(fb: FactBase, name: str, fmt: Formatter | None = None) -> Drawing:
    try:
        definition = CHARTS[name]
    except KeyError:
        raise UnknownChart(f"unknown chart {name!r}; the charts are {', '.join(sorted(CHARTS))}") from None
    return definition.draw(fb, fmt or Formatter(fb.settings))


def chart_svg(fb: FactBase, name: str) -> str:
    """The chart ``name`` as a standalone ``<svg>`` element (no XML declaration), deterministic."""
    d = drawing(fb, name)
    d.chart.uuid = name  # pygal's id is random by default
    d.chart.add_xml_filter(lambda root: _finish(root, name, d))
    return d.chart.render(is_unicode=True)


def chart(fb: FactBase, figures, name: str) -> Markup:
    """The chart as a captioned figure for a page; the caption's figures are cited on that page."""
    svg = chart_svg(fb, name)
    caption = CHARTS[name].caption(figures)
    return Markup(
        '<figure class="chart" data-chart="{n}" markdown="1">\n'
        '<div class="chart__image">{svg}</div>\n'
        '<figcaption markdown="span">{c}</figcaption>\n'
        "</figure>"
    ).format(n=name, svg=Markup(svg), c=caption)
