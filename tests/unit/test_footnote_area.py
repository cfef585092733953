"""The faster footnote area (build_scripts/export/footnote_area.py): WeasyPrint's heights, at every step.

The module replaces one WeasyPrint method while a document is laid out. These
tests hold it to WeasyPrint's own answer: the heights it computes equal the ones
WeasyPrint's method computes at every footnote placed, it steps aside wherever a
sum would not be exact, and a real chapter's PDF comes out byte-identical with
it and without it.
"""

from __future__ import annotations

import contextlib
import hashlib

import pytest
import weasyprint
from weasyprint.layout import LayoutContext

from build_scripts.export import footnote_area as fa
from build_scripts.export import pdf
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from tests.conftest import ROOT

#: The shape of the briefing's print CSS: a bordered footnote area, footnotes with a top margin only.
CSS = """
@page { size: A5; margin: 15mm 15mm 18mm; @footnote { margin-top: 3mm; border-top: 0.5pt solid black; } }
body { font: 10pt/1.45 "DejaVu Serif", serif; }
.fn { float: footnote; footnote-display: block; font: 7pt/1.35 "DejaVu Sans", sans-serif; margin-top: 1.3mm; }
.fn a { word-break: break-all; }
"""

WORDS = "growth strategy consortium deployment robots funding ministry budget trillion yen".split()


def footnote_heavy_html(css: str = CSS, paragraphs: int = 24) -> str:
    """Paragraphs citing two to four footnotes each, of one to five sentences, some with a long address."""
    body = []
    for p in range(paragraphs):
        text = " ".join(WORDS[(p + i) % len(WORDS)] for i in range(40 + p % 7 * 9))
        notes = []
        for n in range(2 + p % 3):
            sentences = 1 + (p * 3 + n) % 5
            note = " ".join(f"Source {p}.{n}, {WORDS[(p + n + s) % len(WORDS)]} report, page {s}." for s in range(sentences))
            if (p + n) % 4 == 0:
                note += f' <a href="https://example.org/{p}/{n}/a-long-address-without-spaces-{"x" * (20 + p)}">link</a>'
            notes.append(f'<span class="fn">{note}</span>')
        body.append(f"<p>{text} {' more '.join(notes)} end.</p>")
    return f"<!doctype html><html><head><style>{css}</style></head><body>{''.join(body)}</body></html>"


def render(html: str, fast: bool):
    with fa.faster_footnotes() if fast else contextlib.nullcontext():
        return weasyprint.HTML(string=html).render()


@pytest.fixture
def steps(monkeypatch):
    """Lay out with WeasyPrint's own method, and at each footnote placed, what the sum gives: (footnotes, WeasyPrint's height, the sum)."""
    seen: list[tuple[int, float, float | None]] = []

    def both(context):
        footnotes = list(context.current_page_footnotes)
        area = context.current_footnote_area
        summed = fa._summed(context, area, footnotes)
        overflow = fa._ORIGINAL(context)
        if footnotes:
            seen.append((len(footnotes), area.height, None if summed is None else summed[0]))
        return overflow

    monkeypatch.setattr(LayoutContext, "_update_footnote_area", both)
    return seen


def test_the_sum_is_weasyprints_height_at_every_footnote_placed(steps):
    document = render(footnote_heavy_html(), fast=False)
    assert len(document.pages) >= 6
    assert len(steps) >= 60, steps
    assert max(n for n, _, _ in steps) >= 4  # pages with several footnotes, where the method grew quadratic
    wrong = [(n, height, summed) for n, height, summed in steps if summed is None or abs(height - summed) > 1e-9 * height]
    assert not wrong, wrong


@pytest.fixture
def area_layouts(monkeypatch):
    """Count the layouts of footnote areas: WeasyPrint's method's (the whole area) and the sum's (one footnote)."""
    import weasyprint.layout as layout

    counts = {"whole": [], "alone": [], "placed": 0}
    whole, alone, update = layout.block_level_layout, fa.block_level_layout, fa._update_footnote_area

    def whole_spy(context, box, *args, **kwargs):
        counts["whole"].append(len(box.children))
        return whole(context, box, *args, **kwargs)

    def alone_spy(context, box, *args, **kwargs):
        counts["alone"].append(len(box.children))
        return alone(context, box, *args, **kwargs)

    def update_spy(context):
        counts["placed"] += bool(context.current_page_footnotes)
        return update(context)

    monkeypatch.setattr(layout, "block_level_layout", whole_spy)
    monkeypatch.setattr(fa, "block_level_layout", alone_spy)
    monkeypatch.setattr(fa, "_update_footnote_area", update_spy)
    return counts


def test_each_footnote_is_laid_out_once_per_page(area_layouts):
    """The point of it: placing the k-th footnote of a page does not lay out the k-1 before it again."""
    render(footnote_heavy_html(), fast=False)
    slow = list(area_layouts["whole"])
    assert len(slow) >= 60 and max(slow) >= 4 and sum(slow) > 2 * len(slow)  # the whole area, again and again
    area_layouts["whole"].clear()
    render(footnote_heavy_html(), fast=True)
    assert area_layouts["placed"] >= 60
    assert area_layouts["whole"] == []  # WeasyPrint's method never ran
    assert set(area_layouts["alone"]) == {1}  # areas of one footnote each
    assert len(area_layouts["alone"]) < sum(slow) / 2


@pytest.mark.parametrize(
    "change",
    [
        "@page { @footnote { border-top: none; } }",  # the area's top margin collapses into the first footnote
        ".fn { margin-bottom: 1mm; }",  # the space between two footnotes is no longer the lower one's top margin
        "@page { @footnote { max-height: 40mm; } }",  # the area can overflow for real
        "@page { @footnote { min-height: 20mm; } }",
        '.fn::before { content: "*"; float: left; }',  # something in each footnote floats
    ],
)
def test_where_a_sum_is_not_exact_weasyprints_method_runs(area_layouts, change):
    html = footnote_heavy_html(CSS + change, paragraphs=10)
    fast = render(html, fast=True).write_pdf()
    assert area_layouts["placed"] > 0
    assert len(area_layouts["whole"]) == area_layouts["placed"], "the sum was used where it would not be exact"
    assert fast == render(html, fast=False).write_pdf()


def test_a_real_chapter_is_byte_identical_with_and_without(monkeypatch):
    fb = check_project(ROOT)
    assert not fb.report.failed(), fb.report.format()

    def funding(fast: bool) -> str:
        if not fast:
            monkeypatch.setattr(pdf, "faster_footnotes", contextlib.nullcontext)
        report = Report()
        outputs = pdf.build_pdfs(fb, report, only=["funding.pdf"], parallel=False)
        assert not report.failed(), report.format()
        return hashlib.sha256(outputs["funding.pdf"]).hexdigest()

    assert funding(fast=True) == funding(fast=False)


def test_the_export_uses_it_and_puts_weasyprints_method_back(monkeypatch):
    used: list[int] = []
    update = fa._update_footnote_area

    def spy(context):
        used.append(len(context.current_page_footnotes))
        return update(context)

    monkeypatch.setattr(fa, "_update_footnote_area", spy)
    fb = check_project(ROOT)
    outputs = pdf.build_pdfs(fb, Report(), only=["targets.pdf"], parallel=False)
    assert outputs and "targets.pdf" in outputs
    assert used, "the PDF export laid out footnotes without the faster method"
    assert LayoutContext._update_footnote_area is fa._ORIGINAL


def test_the_method_is_put_back_after_an_error_and_not_replaced_twice():
    with pytest.raises(RuntimeError):
        with fa.faster_footnotes() as active:
            assert active and LayoutContext._update_footnote_area is fa._update_footnote_area
            raise RuntimeError("layout failed")
    assert LayoutContext._update_footnote_area is fa._ORIGINAL
    with fa.faster_footnotes() as outer:
        with fa.faster_footnotes() as inner:
            assert outer and not inner
        assert LayoutContext._update_footnote_area is fa._update_footnote_area  # the inner one left it alone
    assert LayoutContext._update_footnote_area is fa._ORIGINAL
