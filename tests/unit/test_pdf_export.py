"""PDF export on small projects: what it writes, how it cites, and how bad input is reported."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_scripts.dates import build_date
from build_scripts.export.chapters import order_chapters, render_chapters
from build_scripts.export.document import PrintDocument, source_text
from build_scripts.export.figures import PrintFigureRenderer
from build_scripts.export.names import FULL_BRIEFING
from build_scripts.export.pdf import build_pdfs, export_pdfs, make_edition
from build_scripts.export.site_info import read_site_info
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.formatting import Formatter
from tests.conftest import ROOT, write_facts
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
repo_url: https://example.org/desk/briefing
nav:
  - Programme: programme.md
  - Overview: index.md
  - How we work: method.md
"""

METHOD = """\
# How we work

Every figure has a record; see the [programme](programme.md#details).
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
    (root / "docs").mkdir()
    (root / "docs" / "method.md").write_text(METHOD, encoding="utf-8")
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
    assert not report.warnings, report.format()  # a clean build says nothing
    out = root / "site" / "pdf"
    assert sorted(p.name for p in out.iterdir()) == ["briefing.pdf", "overview.pdf", "programme.pdf"]
    text = text_of(out / "programme.pdf")
    assert "44 companies" in text and "about 10 million robots" in text
    assert "⚠ disputed" in text.replace("\u00a0", " ")
    # the footnote: Publisher, *Title*, date, address, and the quote
    assert "Example Wire, Robots *everywhere*: the [plan], Jun 30, 2026, https://example.org/wire/robots: “44 companies have joined”" in text
    assert "Example Paper, Paper story, undated, read Jul 2, 2026: “44 companies”" in text
    assert "Facts as of June 30, 2026" in text and "Built July 1, 2026" in text
    full = text_of(out / FULL_BRIEFING)
    # the order of mkdocs.yml's nav, the hand-written page included, then the sources
    assert full.index("Programme") < full.index("Overview") < full.index("How we work") < full.index("Sources")
    info = PdfReader(out / FULL_BRIEFING).metadata
    assert info["/CreationDate"].startswith("D:20260701000000")


def test_cover_and_back_page(tmp_path):
    root = make_project(tmp_path)
    out = tmp_path / "out"
    assert not export_pdfs(root, out_dir=out).failed()
    for name, address in (("programme.pdf", "https://example.org/test/programme/"), (FULL_BRIEFING, "https://example.org/test/")):
        pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(out / name).pages]
        cover, back = pages[0], pages[-1]
        assert "Japan's sovereign AI programme" in cover and "Publisher The briefing desk" in cover
        assert "Facts as of June 30, 2026" in cover and f"Online {address}" in cover
        assert "Published by The briefing desk" in back
        assert "CC BY 4.0" in back and "Found an error?" in back and "https://example.org/desk/briefing" in back
        assert f"Page {len(pages)} of {len(pages)}" in back and "Page 1 of" not in cover
        assert any("Contents" in page for page in pages[1:3])


def test_no_site_address_no_address_on_the_cover(tmp_path):
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text(MKDOCS.replace("site_url: https://example.org/test/\n", ""), encoding="utf-8")
    out = tmp_path / "out"
    assert not export_pdfs(root, out_dir=out).failed()
    cover = text_of(out / "programme.pdf")
    assert "Online" not in cover and "example.org/test" not in cover


def test_site_address_read_through_mkdocs_config_loading(tmp_path, monkeypatch):
    """``site_url: !ENV ...`` is mkdocs' syntax: the address is whatever mkdocs makes of it."""
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text(MKDOCS.replace("site_url: https://example.org/test/", "site_url: !ENV [BRIEFING_TEST_SITE_URL]"), encoding="utf-8")
    monkeypatch.setenv("BRIEFING_TEST_SITE_URL", "https://elsewhere.example/b/")
    assert read_site_info(root).url == "https://elsewhere.example/b/"
    monkeypatch.delenv("BRIEFING_TEST_SITE_URL")
    assert read_site_info(root).url == ""


def test_metadata_tagging_and_fonts(tmp_path):
    root = make_project(tmp_path)
    out = tmp_path / "out"
    assert not export_pdfs(root, out_dir=out).failed()
    reader = PdfReader(out / "programme.pdf")
    info = reader.metadata
    assert info["/Title"] == "Japan's sovereign AI programme: Programme"
    assert info["/Author"] == "The briefing desk"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog  # tagged for screen readers
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[^0-9]{0,3}1\b", xmp), xmp  # declares PDF/UA-1
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # only the fonts the Typst compiler carries: the same glyphs on every machine
    assert fonts and all(f.startswith(("LibertinusSerif", "DejaVuSansMono", "NewCM")) for f in fonts), fonts


def test_outline_and_internal_links(tmp_path):
    root = make_project(tmp_path, page=PAGE + "\n[Overview](index.md) and [data](../data/facts.json).\n")
    out = tmp_path / "out"
    assert not export_pdfs(root, out_dir=out).failed()
    full = pdf_shape((out / FULL_BRIEFING).read_bytes())
    titles = [(depth, title) for depth, title, *_ in full["outline"]]
    assert (0, "Programme") in titles and (1, "Details") in titles and (0, "How we work") in titles and (0, "Sources") in titles
    links = [target for page in full["pages"] for _, target in page["links"]]
    # in the full briefing, a link to a page of it leads into it; to a page it lacks, to the site
    assert any(not t.startswith("http") for t in links), links
    assert "https://example.org/test/facts/#firms" in links and "https://example.org/test/data/facts.json" in links
    alone = pdf_shape((out / "programme.pdf").read_bytes())
    alone_links = [target for page in alone["pages"] for _, target in page["links"]]
    assert "https://example.org/test/" in alone_links  # the overview is not in this PDF: its page on the site


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
    assert error.location.file == "templates/print/briefing.typ"
    assert not (tmp_path / "out").exists()


def test_broken_print_template_is_a_located_finding(tmp_path):
    root = make_project(tmp_path)
    template = root / "templates" / "print" / "briefing.typ"
    template.write_text(template.read_text(encoding="utf-8") + "\n#let broken = (\n", encoding="utf-8")
    report = export_pdfs(root, out_dir=tmp_path / "out")
    assert report.failed() and "Traceback" not in report.format()
    [error] = report.errors
    assert error.location.file == "templates/print/briefing.typ" and error.location.line > 1, error
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
    edition = make_edition(fb, read_site_info(fb.root), Report())
    assert edition.built["iso"] == "2026-07-01" and edition.date == (2026, 7, 1)
    assert edition.facts_as_of["iso"] == "2026-06-30"  # the newest as_of


def test_build_date_without_source_date_epoch_is_the_newest_record_date(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    fb = check_project(make_project(tmp_path))
    assert build_date(fb).date().isoformat() == "2026-07-02"  # the newest `accessed`


def test_bad_source_date_epoch_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    fb = check_project(make_project(tmp_path))
    report = Report()
    assert build_date(fb, report).date().isoformat() == "2026-07-02"
    assert report.warnings and "SOURCE_DATE_EPOCH" in report.warnings[0].message


def test_site_build_leaves_no_build_date_behind(tmp_path, monkeypatch):
    """mkdocs gets the build date for the duration of its build; nothing else inherits it."""
    from build_scripts.site.publish import _pinned_dates

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    fb = check_project(make_project(tmp_path))
    import os

    epoch = str(int(build_date(fb).timestamp()))
    with _pinned_dates(epoch):
        assert os.environ["SOURCE_DATE_EPOCH"] == epoch
    assert "SOURCE_DATE_EPOCH" not in os.environ


# -- pieces ----------------------------------------------------------------------------------
def test_site_info_from_mkdocs_yml(tmp_path):
    info = read_site_info(make_project(tmp_path))
    assert info.url == "https://example.org/test/"
    assert info.nav == ["programme.md", "index.md", "method.md"]
    assert info.page_url("facts.md") == "https://example.org/test/facts/"
    assert info.page_url("index.md") == "https://example.org/test/"
    assert info.report_address == "https://example.org/desk/briefing"


def test_a_configuration_mkdocs_refuses_is_a_finding(tmp_path):
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    report = export_pdfs(root, out_dir=tmp_path / "out")
    assert report.failed() and any(e.location.file == "mkdocs.yml" for e in report.errors), report.format()


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
    assert "<q>about 10 million robots</q>" in body
    assert figures.href("facts.md#robots") == "facts.md#robots"


def _pages(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]


def test_a_repeated_citation_refers_to_its_footnote_on_the_same_page_and_repeats_it_on_another(tmp_path):
    filler = "\n\n".join("A paragraph that fills the page with words, and more words, and more words again." * 3 for _ in range(40))
    page = (f"# Programme\n\nFirst {{{{ fig(\"firms\") }}}}, again {{{{ fig(\"firms\") }}}}.\n\n{filler}\n\n"
            "Later {{ fig(\"firms\") }}, and once more {{ fig(\"firms\") }}.\n")
    root = make_project(tmp_path, page=page)
    out = tmp_path / "out"
    assert not export_pdfs(root, out_dir=out, only=["programme.pdf"]).failed()
    pages = _pages(out / "programme.pdf")
    note = "1. Confirmed."
    first = next(i for i, p in enumerate(pages) if "First" in p)
    later = next(i for i, p in enumerate(pages) if "Later" in p)
    assert later > first
    assert pages[first].count(note) == 1  # cited twice on the page, one footnote
    assert pages[later].count(note) == 1  # cited again pages later, twice: the same footnote at this page's foot, once
    assert "2. Confirmed." not in " ".join(pages)  # the copy does not count as a new footnote


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
def test_two_processes_write_the_same_bytes_as_one(tmp_path, monkeypatch):
    import multiprocessing

    root = make_project(tmp_path)
    serial = build_pdfs(check_project(root), Report(), parallel=False)
    started = []
    original = multiprocessing.context.SpawnProcess.start
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", lambda self: (started.append(self), original(self))[1])
    both = build_pdfs(check_project(root), Report())
    assert started, "no second process was started"
    assert both == serial


def test_page_pdfs_are_laid_out_in_batches_each_in_a_process_of_its_own(tmp_path, monkeypatch):
    """Typst keeps what it laid out for the next documents of its process: the page PDFs go in
    bounded batches, each to a fresh process that then ends; the full briefing is laid out here,
    after them. The bytes are the same as from one process."""
    import multiprocessing

    from build_scripts.export import workers

    root = make_project(tmp_path)
    serial = build_pdfs(check_project(root), Report(), parallel=False)
    started = []
    original = multiprocessing.context.SpawnProcess.start
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", lambda self: (started.append(self), original(self))[1])
    monkeypatch.setattr(workers, "BATCH_CHARS", 1)  # every page PDF a batch of its own
    timings: dict[str, float] = {}
    assert build_pdfs(check_project(root), Report(), timings=timings) == serial
    # a process per page PDF at least (the pool starts a replacement for each that ends, idle if
    # there is no batch left), none of them alive after
    assert len(started) >= len(serial) - 1
    assert not any(process.is_alive() for process in started)
    assert set(timings) == set(serial)


def test_batches_keep_the_order_and_their_size():
    jobs = [workers_job(name, size) for name, size in [("a", 40), ("b", 50), ("c", 30), ("d", 120), ("e", 10)]]
    from build_scripts.export.workers import batches_of

    batches = batches_of(jobs, limit=100)
    assert [[job.file for job in batch] for batch in batches] == [["a", "b"], ["c"], ["d"], ["e"]]
    assert batches_of([], limit=100) == []


def workers_job(name: str, size: int):
    from build_scripts.export.workers import Job

    return Job(name, "x" * size, "{}")


def test_a_register_split_by_fact_file_is_left_out_of_the_full_briefing(tmp_path):
    """Each part of a register split by fact file (``facts/[topic].md.j2``) has its own PDF; the full
    briefing keeps the register's own page and leaves the parts out (they repeat, as tables, the
    figures and footnotes of the briefing's pages)."""
    root = make_project(tmp_path)
    (root / "templates" / "facts.md.j2").write_text("# Facts\n\nThe records, one page per fact file.\n", encoding="utf-8")
    (root / "templates" / "facts").mkdir()
    (root / "templates" / "facts" / "[topic].md.j2").write_text(
        "# Records of {{ topic }}\n\n{% for f in fb.facts_of(topic) %}- {{ f.label }}: {{ fig(f.id) }}\n{% endfor %}",
        encoding="utf-8",
    )
    report = export_pdfs(root)
    assert not report.failed(), report.format()
    out = root / "site" / "pdf"
    assert (out / "facts-programme.pdf").is_file() and (out / "facts.pdf").is_file()
    assert "Records of programme" in text_of(out / "facts-programme.pdf")
    full = text_of(out / FULL_BRIEFING)
    assert "Records of programme" not in full
    assert "The records, one page per fact file." in full and "Programme" in full


def test_the_full_briefing_source_holds_every_chapter_once(tmp_path):
    root = make_project(tmp_path)
    fb = check_project(root)
    report = Report()
    site = read_site_info(root)
    chapters = order_chapters(render_chapters(fb, site, report), site.nav)
    assert [c.page for c in chapters] == ["programme.md", "index.md", "method.md"]
    source = source_text(PrintDocument(FULL_BRIEFING, "Full", chapters, full=True), make_edition(fb, site, report))
    assert [line for line in source.splitlines() if line.startswith("#chapter(")] == [
        '#chapter(name: "programme", title: "Programme")[',
        '#chapter(name: "index", title: "Overview")[',
        '#chapter(name: "method", title: "How we work")[',
    ]
    assert "<script" not in source
