"""Linked print stylesheets parsed once per export (build_scripts/export/stylesheets.py).

The module hands each document a copy of a sheet parsed once. These tests hold it
to what WeasyPrint does when every document parses its own sheets: the same
PDF bytes, the same warnings for each document, the same ``@page``,
``@counter-style`` and ``@font-face`` effects. They also check that it parses
once where it can, and per document where a copy would not be exact.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
from pathlib import Path

import pypdf
import pytest
import tinycss2
import weasyprint
import weasyprint.css
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from build_scripts.export import pdf
from build_scripts.export import stylesheets as ss
from build_scripts.findings import Report
from build_scripts.logs import Records
from build_scripts.pipeline import check_project
from tests.conftest import ROOT

#: Every kind of rule whose parse changes the document's state, and a property WeasyPrint warns about.
RICH_CSS = """
@page { size: A6; margin: 12mm 10mm;
  @bottom-center { content: "page " counter(page, stars) " of " counter(pages); font-size: 7pt; } }
@page :first { @top-center { content: "first page"; } }
@counter-style stars { system: cyclic; symbols: "*" "+" "#"; suffix: " "; }
@font-face { font-family: Body; src: local("DejaVu Serif"); }
body { font: 10pt/1.4 Body, serif; no-such-property: 1; }
ol { list-style: stars; }
h1 { color: #335; break-before: page; }
"""


def page(title: str, items: int, head: str = '<link rel="stylesheet" href="print.css">') -> str:
    body = "".join(f"<h1>{title} {n}</h1><ol>{''.join(f'<li>{title} item {i}</li>' for i in range(items))}</ol>" for n in range(3))
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


DOCUMENTS = [page("Funding", 12), page("Targets", 30), page("Context", 5)]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "print.css").write_text(RICH_CSS, encoding="utf-8")
    return tmp_path


@pytest.fixture
def parses(monkeypatch) -> list[int]:
    """Counts the parses of linked sheets (WeasyPrint reads them as bytes)."""
    seen: list[int] = []
    original = tinycss2.parse_stylesheet_bytes

    def counting(*args, **kwargs):
        seen.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tinycss2, "parse_stylesheet_bytes", counting)
    return seen


def lay_out_all(folder, documents: list[str], shared: bool) -> tuple[list[bytes], list[list[str]]]:
    """Each document's PDF and WeasyPrint's warnings while it was laid out, one font configuration for all."""
    fonts, fetcher, cache = FontConfiguration(), URLFetcher(), {}
    pdfs, warnings = [], []
    logger = logging.getLogger("weasyprint")
    for html in documents:
        heard = Records()
        logger.addHandler(heard)
        try:
            with ss.shared_stylesheets(cache) if shared else contextlib.nullcontext():
                document = weasyprint.HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=fetcher).render(font_config=fonts)
        finally:
            logger.removeHandler(heard)
        pdfs.append(document.write_pdf())
        warnings.append(heard.messages)
    return pdfs, warnings


def test_documents_sharing_a_parse_are_byte_identical_and_warned_alike(folder, parses):
    shared, shared_warnings = lay_out_all(folder, DOCUMENTS, shared=True)
    assert len(parses) == 1, "the linked sheet was parsed more than once"
    parses.clear()
    alone, alone_warnings = lay_out_all(folder, DOCUMENTS, shared=False)
    assert len(parses) == len(DOCUMENTS)
    assert [hashlib.sha256(p).hexdigest() for p in shared] == [hashlib.sha256(p).hexdigest() for p in alone]
    assert shared_warnings == alone_warnings
    assert all(any("no-such-property" in m for m in w) for w in shared_warnings), shared_warnings


def test_a_copied_sheet_keeps_its_page_rules_counter_styles_and_fonts(folder):
    (_, copied), _ = lay_out_all(folder, [DOCUMENTS[1], DOCUMENTS[0]], shared=True)  # the second one gets a copy
    (alone,), _ = lay_out_all(folder, [DOCUMENTS[0]], shared=False)
    assert copied == alone
    reader = pypdf.PdfReader(io.BytesIO(copied))
    assert len(reader.pages) == 3, "the A6 @page rule or break-before did not apply"
    first, second = (" ".join(reader.pages[n].extract_text().split()) for n in (0, 1))
    assert "first page" in first and "first page" not in second  # @page :first
    assert "page * of 3" in first and "page + of 3" in second, (first, second)  # @counter-style in a margin box
    assert "* + # * + #" in first  # ... and in the list markers
    fonts = {str(font["/BaseFont"]) for p in reader.pages for font in p["/Resources"]["/Font"].values()}
    assert any(name.endswith("+Body") for name in fonts), fonts  # the @font-face family, embedded under its name


@pytest.mark.parametrize(
    "css",
    [
        "@layer base { body { color: #333; } } @layer base, extra;",  # cascade layers: order depends on the document
    ],
)
def test_a_sheet_with_layers_is_parsed_per_document(folder, parses, css):
    (folder / "print.css").write_text(RICH_CSS + css, encoding="utf-8")
    shared, _ = lay_out_all(folder, DOCUMENTS, shared=True)
    assert len(parses) == len(DOCUMENTS) + 1  # one trial parse, then each document's own
    parses.clear()
    assert shared == lay_out_all(folder, DOCUMENTS, shared=False)[0]


def test_style_elements_and_missing_sheets_are_left_to_weasyprint(folder, parses, monkeypatch):
    strings: list[int] = []
    parse = tinycss2.parse_stylesheet
    monkeypatch.setattr(tinycss2, "parse_stylesheet", lambda *a, **k: strings.append(1) or parse(*a, **k))
    documents = [page("Inline", 4, head=f"<style>{RICH_CSS}</style>"), page("Missing", 4, head='<link rel="stylesheet" href="gone.css">')] * 2
    shared, shared_warnings = lay_out_all(folder, documents, shared=True)
    assert not parses  # the missing sheet fails to load before any parse
    assert len(strings) == 2  # each document's <style> is its own
    alone, alone_warnings = lay_out_all(folder, documents, shared=False)
    assert shared == alone
    assert shared_warnings == alone_warnings
    assert all(any("gone.css" in m for m in w) for w in shared_warnings[1::2]), shared_warnings


def test_another_font_configuration_parses_again(folder, parses):
    fetcher, cache = URLFetcher(), {}
    for fonts in (FontConfiguration(), FontConfiguration()):
        for _ in range(2):
            with ss.shared_stylesheets(cache):
                weasyprint.HTML(string=DOCUMENTS[0], base_url=folder.as_uri() + "/", url_fetcher=fetcher).render(font_config=fonts)
    # the second font configuration has not seen the sheet's @font-face: a copy would miss it
    assert len(parses) == 2


def test_the_name_is_put_back_after_an_error_and_not_replaced_twice():
    with pytest.raises(RuntimeError):
        with ss.shared_stylesheets({}) as active:
            assert active and isinstance(weasyprint.css.CSS, ss._SharedSheets)
            raise RuntimeError("layout failed")
    assert weasyprint.css.CSS is ss._ORIGINAL
    with ss.shared_stylesheets({}) as outer:
        with ss.shared_stylesheets({}) as inner:
            assert outer and not inner
        assert isinstance(weasyprint.css.CSS, ss._SharedSheets)
    assert weasyprint.css.CSS is ss._ORIGINAL


def same_either_way(folder, css: str, documents=DOCUMENTS) -> tuple[list[bytes], list[list[str]]]:
    """Lay the documents out with ``css`` as print.css, shared and not: the same PDFs and warnings."""
    (folder / "print.css").write_text(css, encoding="utf-8")
    shared, shared_warnings = lay_out_all(folder, documents, shared=True)
    alone, alone_warnings = lay_out_all(folder, documents, shared=False)
    assert [hashlib.sha256(p).hexdigest() for p in shared] == [hashlib.sha256(p).hexdigest() for p in alone]
    assert shared_warnings == alone_warnings
    return shared, shared_warnings


def test_a_sheet_redefining_decimal_is_refused_in_every_document(folder):
    _, warnings = same_either_way(folder, RICH_CSS + '@counter-style decimal { system: cyclic; symbols: "X"; }')
    assert all(any("decimal" in m for m in w) for w in warnings), warnings


def test_invalid_var_values_warn_in_every_document(folder, parses):
    _, warnings = same_either_way(folder, RICH_CSS + ":root { --w: red; } p, li { width: var(--w); }")
    assert len(parses) == 1 + len(DOCUMENTS)  # shared once, then once per document without sharing
    assert all(any("width: red" in m for m in w) for w in warnings), warnings


def test_a_sheet_with_a_color_profile_is_parsed_per_document(folder, parses):
    icc = Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc"
    (folder / "profile.icc").write_bytes(icc.read_bytes())
    css = RICH_CSS + "@color-profile --p { src: url(profile.icc); components: r, g, b; } h1 { color: color(--p 0.2 0.3 0.5); }"
    same_either_way(folder, css)
    assert len(parses) == 2 * len(DOCUMENTS) + 1  # a trial parse, then each document's own, twice over


def test_an_import_in_a_linked_sheet_is_shared(folder, parses):
    (folder / "extra.css").write_text("@page :left { margin-left: 20mm; } li { color: #a00; }", encoding="utf-8")
    same_either_way(folder, '@import url("extra.css");' + RICH_CSS)
    assert len(parses) == 2 + 2 * len(DOCUMENTS)  # print.css and extra.css once, then per document


def test_the_export_parses_the_print_css_once_with_the_same_bytes(monkeypatch, parses):
    fb = check_project(ROOT)
    assert not fb.report.failed(), fb.report.format()
    wanted = ["funding.pdf", "targets.pdf"]

    def export(shared: bool) -> dict[str, str]:
        if not shared:
            monkeypatch.setattr(pdf, "shared_stylesheets", lambda cache: contextlib.nullcontext())
        report = Report()
        outputs = pdf.build_pdfs(fb, report, only=wanted, parallel=False)
        assert not report.failed(), report.format()
        return {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}

    shared = export(shared=True)
    assert len(parses) == 1, f"print.css parsed {len(parses)} times for {len(wanted)} documents"
    parses.clear()
    assert shared == export(shared=False)
    assert len(parses) >= len(wanted)
    assert weasyprint.css.CSS is ss._ORIGINAL
