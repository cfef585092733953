"""Bare chapters laid out without margin boxes (build_scripts/export/margin_boxes.py).

The full briefing replaces a bare chapter's margin boxes with those of its place
in the full briefing. So skipping them must change nothing in what is written.
Only bare layouts may skip them, and WeasyPrint's function must come back.
"""

from __future__ import annotations

import contextlib
import hashlib

import pytest
import weasyprint.layout
from weasyprint.formatting_structure.boxes import MarginBox

from build_scripts.export import margin_boxes as mb
from build_scripts.export import pdf
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from tests.conftest import ROOT


def with_margin_boxes(pages) -> list[bool]:
    """For each laid-out page, whether it has margin boxes."""
    return [any(isinstance(b, MarginBox) for b in page._page_box.children) for page in pages]


@pytest.fixture
def two_chapters(monkeypatch):
    """The briefing cut to its first two chapters (a full briefing of two is quick to lay out)."""
    order = pdf.order_chapters
    monkeypatch.setattr(pdf, "order_chapters", lambda chapters, nav: order(chapters, nav)[:2])
    fb = check_project(ROOT)
    assert not fb.report.failed(), fb.report.format()
    return fb


def full_briefing(fb, monkeypatch, skip: bool) -> tuple[str, dict[str, list[bool]]]:
    """The full briefing's hash, and for each layout (bare or not) whether each page has margin boxes."""
    if not skip:
        monkeypatch.setattr(pdf, "without_margin_boxes", lambda bare=False: contextlib.nullcontext(False))
    seen: dict[str, list[list[bool]]] = {"bare": [], "written": []}
    layout = pdf._Renderer._layout

    def spy(self, html, bare=False):
        document = layout(self, html, bare=bare)
        seen["bare" if bare else "written"].append(with_margin_boxes(document.pages))
        return document

    monkeypatch.setattr(pdf._Renderer, "_layout", spy)
    report = Report()
    outputs = pdf.build_pdfs(fb, report, only=[pdf.FULL_BRIEFING], parallel=False)
    assert not report.failed(), report.format()
    monkeypatch.setattr(pdf._Renderer, "_layout", layout)
    return hashlib.sha256(outputs[pdf.FULL_BRIEFING]).hexdigest(), seen


def test_the_full_briefing_is_byte_identical_without_the_bare_margin_boxes(two_chapters, monkeypatch):
    skipped, seen = full_briefing(two_chapters, monkeypatch, skip=True)
    assert len(seen["bare"]) >= 2, "the chapters were not laid out bare"
    assert not any(any(pages) for pages in seen["bare"]), "a bare layout made margin boxes"
    assert len(seen["written"]) == 1, "the full briefing was not composed from the chapters' layouts"
    assert any(seen["written"][0]), "the front document lost its margin boxes"
    made, seen_made = full_briefing(two_chapters, monkeypatch, skip=False)
    assert all(any(pages) for pages in seen_made["bare"])  # WeasyPrint makes them when not told otherwise
    assert skipped == made


def test_page_pdfs_keep_their_margin_boxes(monkeypatch):
    seen: list[bool] = []
    layout = pdf._Renderer._layout

    def spy(self, html, bare=False):
        document = layout(self, html, bare=bare)
        seen.extend(with_margin_boxes(document.pages[1:]))
        return document

    monkeypatch.setattr(pdf._Renderer, "_layout", spy)
    outputs = pdf.build_pdfs(check_project(ROOT), Report(), only=["targets.pdf"], parallel=False)
    assert outputs and "targets.pdf" in outputs
    assert seen and all(seen), "a written PDF lost its running header or footer (the cover has none)"


def test_the_function_is_put_back_after_an_error_and_nests():
    with pytest.raises(RuntimeError):
        with mb.without_margin_boxes() as active:
            assert active and weasyprint.layout.make_margin_boxes is mb._none
            raise RuntimeError("layout failed")
    assert weasyprint.layout.make_margin_boxes is mb._ORIGINAL
    with mb.without_margin_boxes(skip=False) as active:
        assert not active and weasyprint.layout.make_margin_boxes is mb._ORIGINAL
    with mb.without_margin_boxes() as outer:
        with mb.without_margin_boxes(skip=False) as inner:
            assert outer and not inner and weasyprint.layout.make_margin_boxes is mb._ORIGINAL
        assert weasyprint.layout.make_margin_boxes is mb._none
    assert weasyprint.layout.make_margin_boxes is mb._ORIGINAL


def test_a_page_with_running_elements_keeps_its_margin_boxes():
    """A running element is laid out only in a margin box: its anchor exists only there."""
    html = (
        "<style>@page { size: A6; @top-center { content: element(head); } }"
        " .head { position: running(head); } h1 { break-before: page; }</style>"
        '<p class="head"><a id="running-anchor" href="#two">to two</a></p>'
        '<h1 id="one">One</h1><p>text</p><h1 id="two">Two</h1><p>text</p>'
    )
    with mb.without_margin_boxes():
        pages = weasyprint.HTML(string=html).render().pages
    assert all(with_margin_boxes(pages))
    assert any("running-anchor" in page.anchors for page in pages)
    plain = "<style>@page { size: A6; @top-center { content: 'head'; } }</style><h1 id='one'>One</h1>"
    with mb.without_margin_boxes():
        (page,) = weasyprint.HTML(string=plain).render().pages
    assert with_margin_boxes([page]) == [False]
