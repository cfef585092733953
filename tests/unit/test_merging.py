"""Putting PDF parts together: pages taken from another part keep their content, fonts and links."""

from __future__ import annotations

import io

import pytest
import weasyprint
from pypdf import PdfReader

from build_scripts.export.merging import replace_pages
from tests.pdfshape import pdf_shape

STYLE = "<style>@page { size: A6 } section { break-after: page }</style>"


def part(*pages: str, links: bool = False) -> bytes:
    """A PDF of one page per text; with ``links``, the second page links to the first and to a site."""
    body = []
    for number, text in enumerate(pages):
        extra = ' <a href="#p0">first</a> <a href="https://example.org/x">site</a>' if links and number == 1 else ""
        body.append(f'<section id="p{number}"><p>{text}{extra}</p></section>')
    return weasyprint.HTML(string=STYLE + "".join(body)).write_pdf()


def texts(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data), strict=True).pages]


def test_pages_come_from_the_part_that_owns_them():
    base, donor = part("alpha one", "alpha two", "alpha three"), part("beta one", "beta two", "beta three")
    merged = replace_pages(base, [(donor, [1])])
    assert texts(merged) == ["alpha one", "beta two", "alpha three"]


def test_a_taken_page_keeps_its_links_and_they_resolve_in_the_base():
    base = part("alpha one", "blank", "alpha three")
    donor = part("blank", "beta two ŝ", "blank", links=True)  # a glyph the base's fonts do not have
    merged = replace_pages(base, [(donor, [1])])
    shape = pdf_shape(merged)
    assert shape["pages"][1]["text"] == "beta two ŝ first site"
    assert [target for _, target in shape["pages"][1]["links"]] == ["p0", "https://example.org/x"]
    assert shape["names"]["p0"][0] == 0  # the internal link's destination: the base's first page
    assert shape["pages"][0]["links"] == [] and shape["pages"][2]["links"] == []


def test_the_base_keeps_its_metadata_and_the_output_is_reproducible():
    base = weasyprint.HTML(string="<title>Base</title>" + STYLE + "<section>a</section><section>b</section>").write_pdf()
    donor = part("c", "d")
    first, second = replace_pages(base, [(donor, [0])]), replace_pages(base, [(donor, [0])])
    assert first == second
    assert pdf_shape(first)["metadata"]["/Title"] == "Base"
    assert first.startswith(base[:8])  # the same PDF version


def test_parts_of_other_lengths_are_refused():
    with pytest.raises(ValueError, match="pages"):
        replace_pages(part("a", "b"), [(part("c"), [0])])
