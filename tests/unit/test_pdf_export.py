"""PDF export on small projects: what it writes, how it cites, and how bad input is reported."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from build_scripts.export.figures import PrintFigureRenderer
from build_scripts.export.pdf import (
    FULL_BRIEFING,
    PrintDocument,
    _Footnotes,
    _Renderer,
    document_dates,
    build_pdfs,
    export_pdfs,
    order_chapters,
    read_site_info,
    render_chapters,
)
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.formatting import Formatter
from build_scripts.render.pages import environment
from tests.conftest import ROOT, record_instances, write_facts
from tests.pdfshape import pdf_shape

SOURCES = """\
- id: wire
  title: "Robots *everywhere*: the [plan]"
  publisher: Example Wire
  kind: wire
  url: https://example.org/wire/robots
  published: 2026-06-30
  accessed: 2026-07-01
- id: paper
  title: Paper story
  publisher: Example Paper
  kind: news
  accessed: 2026-07-02
"""

FACTS = """\
- id: firms
  label: Companies in the consortium
  value: 44
  unit: companies
  as_of: 2026-06-30
  citations:
    - source: wire
      quote: "44 companies have joined"
    - source: paper
      quote: "44 companies"
- id: robots
  label: Robots to deploy
  value: 10000000
  unit: robots
  qualifier: about
  as_of: 2026-06-20
  status: disputed
  note: The desk doubts the figure.
  citations:
    - source: wire
      quote: "about 10 million robots"
"""

PAGE = """\
# Programme

The consortium has {{ fig("firms") }}. It plans {{ fig("robots") }}.

## Details

Again: {{ fig("firms") }}. See the [facts](facts.md#firms).
"""

MKDOCS = """\
site_name: Test
site_url: https://example.org/test/
nav:
  - Programme: programme.md
  - Overview: index.md
"""


def make_project(tmp_path: Path, page: str = PAGE, facts: str = FACTS, print_templates: bool = True) -> Path:
    root = write_facts(tmp_path / "p", {"sources.yaml": SOURCES, "programme.yaml": facts})
    templates = root / "templates"
    templates.mkdir()
    (templates / "programme.md.j2").write_text(page, encoding="utf-8")
    (templates / "index.md.j2").write_text("# Overview\n\nIn short: {{ fig(\"robots\") }}.\n", encoding="utf-8")
    if print_templates:
        shutil.copytree(ROOT / "templates" / "print", templates / "print")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")  # 2026-07-01T00:00:00Z


def text_of(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(path, strict=True).pages).split())


# -- the output ---------------------------------------------------------------------------
def test_small_project_exports_page_pdfs_and_the_full_briefing(tmp_path):
    root = make_project(tmp_path)
    report = export_pdfs(root)
    assert not report.failed(), report.format()
    out = root / "site" / "pdf"
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pdf", "overview.pdf", "programme.pdf"]
    text = text_of(out / "programme.pdf")
    assert "44 companies" in text and "about 10 million robots" in text
    assert "⚠ disputed" in text.replace("\u00a0", " ")
    # the footnote: title, publisher, date, address
    assert "Robots *everywhere*: the [plan], Example Wire, Jun 30, 2026, https://example.org/wire/robots" in text
    assert "Paper story, Example Paper, undated, read Jul 2, 2026" in text
    assert "Facts as of June 30, 2026" in text and "Built July 1, 2026" in text
    full = text_of(out / FULL_BRIEFING)
    assert full.index("Programme") < full.index("Overview")  # the order of mkdocs.yml's nav
    info = PdfReader(out / FULL_BRIEFING).metadata
    assert info["/CreationDate"].startswith("D:20260701000000")


def test_same_input_same_bytes(tmp_path):
    root = make_project(tmp_path)
    assert not export_pdfs(root, out_dir=tmp_path / "a").failed()
    assert not export_pdfs(root, out_dir=tmp_path / "b").failed()
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


# -- bad input: findings, never a traceback, and nothing written ---------------------------------
def test_unknown_fact_is_reported_at_its_template_line(tmp_path):
    root = make_project(tmp_path, page="# Programme\n\nFine.\n\n{{ fig(\"no-such-fact\") }}\n")
    out = tmp_path / "out"
    report = export_pdfs(root, out_dir=out)
    assert report.failed()
    [error] = report.errors
    assert (error.location.file, error.location.line) == ("templates/programme.md.j2", 5)
    assert "no-such-fact" in error.message
    assert not out.exists()


def test_template_syntax_error_is_reported(tmp_path):
    root = make_project(tmp_path, page="# Programme\n\n{% if %}\n")
    report = export_pdfs(root, out_dir=tmp_path / "out")
    [error] = report.errors
    assert error.location.file == "templates/programme.md.j2" and error.location.line == 3


def test_bad_facts_are_reported_and_old_pdfs_stay(tmp_path):
    root = make_project(tmp_path, facts=FACTS.replace("value: 44", "value: 44.5"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "programme.pdf").write_bytes(b"old")
    report = export_pdfs(root, out_dir=out)
    assert report.failed()
    assert any(e.location.file == "facts/programme.yaml" for e in report.errors), report.format()
    assert (out / "programme.pdf").read_bytes() == b"old"


def test_missing_print_template_is_reported(tmp_path):
    root = make_project(tmp_path, print_templates=False)
    report = export_pdfs(root, out_dir=tmp_path / "out")
    [error] = report.errors
    assert error.location.file == "templates/print/briefing.html.j2"
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_finding(tmp_path):
    root = make_project(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    report = export_pdfs(root, out_dir=blocker / "pdf")
    assert report.failed() and "cannot write" in report.errors[0].message


def test_missing_root_is_a_finding(tmp_path):
    report = export_pdfs(tmp_path / "nowhere", out_dir=tmp_path / "out")
    assert report.failed()


# -- dates ---------------------------------------------------------------------------------
def test_build_date_from_source_date_epoch(tmp_path):
    fb = check_project(make_project(tmp_path))
    dates = document_dates(fb)
    assert dates["built"]["iso"] == "2026-07-01"
    assert dates["created"] == "2026-07-01T00:00:00Z"
    assert dates["facts_as_of"]["iso"] == "2026-06-30"  # the newest as_of


def test_build_date_without_source_date_epoch_is_the_newest_record_date(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    fb = check_project(make_project(tmp_path))
    assert document_dates(fb)["built"]["iso"] == "2026-07-02"  # the newest `accessed`


def test_bad_source_date_epoch_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    fb = check_project(make_project(tmp_path))
    report = Report()
    assert document_dates(fb, report)["built"]["iso"] == "2026-07-02"
    assert report.warnings and "SOURCE_DATE_EPOCH" in report.warnings[0].message


# -- pieces ----------------------------------------------------------------------------------
def test_site_info_from_mkdocs_yml(tmp_path):
    info = read_site_info(make_project(tmp_path))
    assert info.url == "https://example.org/test/"
    assert info.nav == ["programme.md", "index.md"]
    assert info.page_url("facts.md") == "https://example.org/test/facts/"
    assert info.page_url("index.md") == "https://example.org/test/"


def test_print_figures_cite_with_placeholders_and_flag_disputed(tmp_path):
    fb = check_project(make_project(tmp_path))
    figures = PrintFigureRenderer(fb, Formatter(fb.settings), page="programme.md")
    out = str(figures.fig("robots"))
    assert '<span class="fn-slot" data-fact="robots"></span>' in out
    assert "⚠\u00a0disputed" in out and "[^" not in out
    assert figures.footnotes() == ""
    body = str(figures.footnote_body("robots"))
    assert "Disputed" in body and "The desk doubts the figure." in body
    # record text is escaped for HTML and Markdown alike
    assert "&#42;everywhere&#42;" in body and "&#91;plan&#93;" in body
    assert '<a class="url" href="https://example.org/wire/robots">' in body
    assert figures.href("facts.md#robots") == "facts.md#robots"


def test_repeated_citations_refer_to_the_footnote_unless_promoted(tmp_path):
    fb = check_project(make_project(tmp_path))
    chapter = SimpleNamespace(name="programme", figures=PrintFigureRenderer(fb, Formatter(fb.settings)))
    slot = '<span class="fn-slot" data-fact="firms"></span>'
    html = f"<p>a{slot} b{slot} c{slot}</p>"
    numbering = _Footnotes(promoted={})
    out = numbering.fill(html, chapter)
    assert out.count('class="footnote"') == 1 and out.count('class="fn-again"') == 2
    assert [(k, ref, note) for _, k, _, ref, note in numbering.repeats] == [
        (2, "fnref-programme-2", "fn-programme-1"),
        (3, "fnref-programme-3", "fn-programme-1"),
    ]
    assert numbering.notes == ["fn-programme-1"]
    numbering = _Footnotes(promoted={"programme": {3}})
    out = numbering.fill(html, chapter)
    assert out.count('class="footnote"') == 2 and len(numbering.repeats) == 1
    assert 'id="fn-programme-2" data-n="2"' in out
    # numbering starts again in each chapter
    other = SimpleNamespace(name="other", figures=chapter.figures)
    assert 'id="fn-other-1" data-n="1"' in numbering.fill(html, other)


def test_links_point_into_the_document_or_at_the_site(tmp_path):
    root = make_project(tmp_path, page=PAGE + "\n[Overview](index.md) and [data](../data/facts.json).\n")
    fb = check_project(root)
    report = Report()
    fmt = Formatter(fb.settings)
    site = read_site_info(root)
    chapters = order_chapters(render_chapters(fb, fmt, report), site.nav)
    assert [c.page for c in chapters] == ["programme.md", "index.md"]
    template = environment(root / "templates" / "print").get_template("briefing.html.j2")
    renderer = _Renderer(fb, fmt, site, template, root / "templates" / "print", "templates/print/briefing.html.j2", report)
    alone, _ = renderer.assemble(PrintDocument("programme.pdf", "Programme", chapters[:1]), {})
    assert 'href="https://example.org/test/facts/#firms"' in alone
    assert 'href="https://example.org/test/"' in alone
    assert 'href="https://example.org/test/data/facts.json"' in alone
    full, _ = renderer.assemble(PrintDocument(FULL_BRIEFING, "Full", chapters, full=True), {})
    # a chapter reads the same alone and in the full briefing: links to other pages go to the site
    assert 'href="https://example.org/test/"' in full and 'id="programme__details"' in full
    assert "<script" not in full


def _pages_text(data: bytes) -> list[str]:
    import io

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data), strict=True).pages]


def test_full_briefing_is_composed_from_the_page_layouts(tmp_path, monkeypatch):
    """The chapters are laid out once, for their own PDFs; the full briefing only lays out its front and back."""
    import build_scripts.export.pdf as pdf

    fb = check_project(make_project(tmp_path))
    layouts = []
    original = pdf._Renderer._layout

    def counting(self, html, bare=False):
        document = original(self, html, bare=bare)
        layouts.append(len(document.pages))
        return document

    monkeypatch.setattr(pdf._Renderer, "_layout", counting)
    report = Report()
    outputs = pdf.build_pdfs(fb, report)
    assert not report.failed(), report.format()
    pages = _pages_text(outputs[FULL_BRIEFING])
    per_page = len(layouts) - 1
    assert layouts[per_page] == len(pages)  # the last layout is the front document, as long as the briefing
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
    # the chapters' pages are those of the page PDFs, under the full briefing's header and footer
    programme = _pages_text(outputs["programme.pdf"])
    body = lambda text: text.split("Japan's sovereign AI programme")[0]  # noqa: E731 (before the furniture)
    assert any(body(p) == body(programme[2]) for p in pages)


def test_full_briefing_laid_out_whole_when_it_cannot_be_composed(tmp_path, monkeypatch):
    import build_scripts.export.pdf as pdf

    def refuse(self, doc, pages):
        raise pdf._CannotCompose("test")

    fb = check_project(make_project(tmp_path))
    composed = pdf.build_pdfs(fb, Report())[FULL_BRIEFING]
    monkeypatch.setattr(pdf._Renderer, "_front", refuse)
    report = Report()
    whole = pdf.build_pdfs(fb, report)[FULL_BRIEFING]
    assert not report.failed(), report.format()
    assert len(_pages_text(whole)) == len(_pages_text(composed))
    assert _pages_text(whole)[1] == _pages_text(composed)[1]  # the same contents page


def test_full_briefing_from_two_parts_reads_as_one_written_whole(tmp_path, monkeypatch):
    """Each side writes the pages of its chapters; put together, the links, destinations and outline are
    those of the full briefing written in one piece (where the parent owns every chapter)."""
    import build_scripts.export.pdf as pdf

    fb = check_project(make_project(tmp_path))
    report = Report()
    parts = pdf.build_pdfs(fb, report, only=[FULL_BRIEFING])[FULL_BRIEFING]
    monkeypatch.setattr(pdf, "split_point", lambda costs, head_start=0: len(costs))
    whole = pdf.build_pdfs(fb, Report(), only=[FULL_BRIEFING])[FULL_BRIEFING]
    assert parts != whole, "the full briefing was not written in two parts"
    shape = pdf_shape(parts)
    assert shape == pdf_shape(whole)
    assert any(link for page in shape["pages"] for link in page["links"]) and shape["names"] and shape["outline"]


def test_no_garbage_collection_while_the_pdfs_are_laid_out(tmp_path, monkeypatch):
    """The layouts live until the full briefing is written: the collector would walk them again and again."""
    import gc

    import build_scripts.export.parallel as parallel

    import build_scripts.export.pdf as pdf

    fb = check_project(make_project(tmp_path))
    monkeypatch.setattr(parallel, "available", lambda count: False)  # collections in this process only
    collections, running = [], []
    run = pdf._Export.run

    def laying_out(self, parallel):
        running.append(True)
        try:
            return run(self, parallel)
        finally:
            running.clear()

    def counting(phase, info):
        if phase == "start" and running:
            collections.append(info["generation"])

    monkeypatch.setattr(pdf._Export, "run", laying_out)
    gc.callbacks.append(counting)
    try:
        report = Report()
        assert build_pdfs(fb, report) is not None, report.format()
    finally:
        gc.callbacks.remove(counting)
    assert collections == []
    assert gc.isenabled()


def test_chapters_citing_a_fact_twice_count_double_in_the_split():
    import lxml.html

    from build_scripts.export.pdf import _cost

    def doc(html):
        return SimpleNamespace(chapters=[SimpleNamespace(body=lxml.html.fragment_fromstring(html, create_parent="div"))])

    once = doc('<p>A <span class="fn-slot" data-fact="a"></span> B <span class="fn-slot" data-fact="b"></span></p>')
    twice = doc('<p>A <span class="fn-slot" data-fact="a"></span> B <span class="fn-slot" data-fact="a"></span></p>')
    assert _cost(twice) == 2 * _cost(once) > 0


# -- choosing the PDFs ------------------------------------------------------------------------------
def test_only_the_full_briefing_lays_out_bare_chapters_and_writes_one_file(tmp_path, monkeypatch):
    """``--only briefing.pdf``: the chapters are laid out without cover, contents or appendix, and the
    full briefing is the very file the export of every PDF writes."""
    import build_scripts.export.parallel as parallel
    import build_scripts.export.pdf as pdf

    root = make_project(tmp_path)
    assert not export_pdfs(root, out_dir=tmp_path / "all").failed()
    monkeypatch.setattr(parallel, "available", lambda count: False)  # every layout in this process, where it is recorded
    htmls = []
    original = pdf._Renderer._layout

    def recording(self, html, bare=False):
        htmls.append(html)
        return original(self, html, bare=bare)

    monkeypatch.setattr(pdf._Renderer, "_layout", recording)
    report = export_pdfs(root, out_dir=tmp_path / "full", only=[FULL_BRIEFING])
    assert not report.failed(), report.format()
    assert [p.name for p in (tmp_path / "full").iterdir()] == [FULL_BRIEFING]
    assert (tmp_path / "full" / FULL_BRIEFING).read_bytes() == (tmp_path / "all" / FULL_BRIEFING).read_bytes()
    *chapters, front = htmls
    assert len(chapters) >= 2 and all('class="cover"' not in h and 'class="toc"' not in h for h in chapters)
    assert all('id="appendix-sources"' not in h for h in chapters)
    assert 'class="cover"' in front and 'id="appendix-sources"' in front


def test_only_a_page_pdf(tmp_path):
    root = make_project(tmp_path)
    report = export_pdfs(root, out_dir=tmp_path / "out", only=["programme.pdf"])
    assert not report.failed(), report.format()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["programme.pdf"]
    assert "Sources cited" in text_of(tmp_path / "out" / "programme.pdf")


def test_only_an_unknown_pdf_is_a_finding_naming_the_real_ones(tmp_path):
    root = make_project(tmp_path)
    report = export_pdfs(root, out_dir=tmp_path / "out", only=["programe.pdf"])
    assert report.failed()
    assert "no PDF named programe.pdf" in report.format() and "programme.pdf" in report.format()
    assert not (tmp_path / "out").exists()


# -- two cores ------------------------------------------------------------------------------------
def _outputs(root: Path, monkeypatch=None, **options) -> tuple[dict[str, bytes], str]:
    report = Report()
    outputs = build_pdfs(check_project(root), report, **options)
    assert outputs is not None and not report.failed(), report.format()
    return outputs, report.format()


@pytest.mark.parametrize("only", [None, [FULL_BRIEFING]])
def test_two_processes_write_the_same_bytes_as_one(tmp_path, monkeypatch, only):
    import build_scripts.export.parallel as parallel

    root = make_project(tmp_path)
    serial, serial_findings = _outputs(root, parallel=False, only=only)
    helpers = record_instances(monkeypatch, parallel.Helper)
    both, both_findings = _outputs(root, only=only)
    assert helpers, "no helper process was started"
    assert helpers[0].received == ["chapter", "pages", "part"], "the helper did not lay out its chapter and write its part"
    assert both == serial and both_findings == serial_findings


@pytest.mark.parametrize("last", [None, "chapter", "pages"])
def test_parent_takes_over_when_the_helper_dies(tmp_path, monkeypatch, last):
    """The helper dies at once, after sending its chapter, or after its pages (before its part)."""
    import os

    import build_scripts.export.parallel as parallel

    root = make_project(tmp_path)
    serial, serial_findings = _outputs(root, parallel=False)
    original = parallel.Channel.send

    def dying(self, message):
        if last is None:
            os._exit(3)
        original(self, message)
        if message[0] == last:
            os._exit(3)

    monkeypatch.setattr(parallel.Channel, "send", dying)
    helpers = record_instances(monkeypatch, parallel.Helper)
    both, both_findings = _outputs(root)
    assert helpers[0].received == ([] if last is None else ["chapter"] if last == "chapter" else ["chapter", "pages"])
    assert both == serial and both_findings == serial_findings
