"""The PDF briefings of the built project, opened and read as a reader's tools would.

The site is built once (``built_project``, which runs ``briefing build`` with the
PDFs); every test here reads its ``site/pdf/`` folder. What a page should contain
is worked out independently of the export: the page templates are rendered with
the site's own figure renderer, and the values formatted with the site's
:class:`~build_scripts.render.formatting.Formatter`.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from build_scripts.dates import build_date
from build_scripts.export.names import FULL_BRIEFING, pdf_name
from build_scripts.export.site_info import read_site_info
from build_scripts.logs import Records
from build_scripts.pipeline import check_project
from build_scripts.render.figures import FigureRenderer, source_name
from build_scripts.render.formatting import Formatter
from build_scripts.render.pages import SUFFIX, environment, page_context, page_templates
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

PAGES = [p.name[: -len(SUFFIX)] + ".md" for p in page_templates(ROOT / "templates")]
NAV_ORDER = ["index.md", "funding.md", "consortium.md", "targets.md", "context.md", "disagreements.md", "fact-checks.md"]


# -- helpers ------------------------------------------------------------------------
def norm(text: str) -> str:
    """Text as compared: compatibility forms (ligatures, no-break spaces) folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def read_pdf(path: Path) -> list[str]:
    """The text of each page, read strictly: any pypdf warning fails the test."""
    handler = Records()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            reader = PdfReader(path, strict=True)
            pages = [page.extract_text() or "" for page in reader.pages]
    finally:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]
    return pages


@pytest.fixture(scope="module")
def pdf_dir(site_dir: Path) -> Path:
    return site_dir / "pdf"


@pytest.fixture(scope="module")
def fb(built_project: Path):
    fb = check_project(built_project)
    assert not fb.report.errors
    return fb


@pytest.fixture(scope="module")
def texts(pdf_dir: Path) -> dict[str, list[str]]:
    return {path.name: read_pdf(path) for path in sorted(pdf_dir.glob("*.pdf"))}


def facts_on(fb, page: str) -> list[str]:
    """The facts a page cites, found by rendering its template with the site's figure renderer."""
    templates = fb.root / fb.settings.templates_dir
    figures = FigureRenderer(fb, Formatter(fb.settings), page=page)
    environment(templates).get_template(page[:-3] + SUFFIX).render(page_context(fb, figures))
    return list(figures.used)


def expected_value(fb, fact_id: str) -> str:
    fact = fb.facts[fact_id]
    return Formatter(fb.settings).value(fact.value, fact.unit, fact.qualifier)


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` is in the text; long text values (a paragraph, maybe across pages, or a table cell's
    lines among its neighbours') by their ends, or as a start followed later by the rest (a phrase cut by a page
    break, the page's footnotes and running heads between its two halves)."""
    needle = norm(needle)
    if needle in haystack:
        return True
    if len(needle) <= 40:
        return False
    if len(needle) > 80 and needle[:40] in haystack and needle[-40:] in haystack:
        return True
    for k, char in enumerate(needle):
        if char != " " or max(k, len(needle) - k) < 40:  # the longer half says which passage it is
            continue
        start = haystack.find(needle[:k])
        if start >= 0 and haystack.find(needle[k + 1 :], start + k) >= 0:
            return True
    return False


def footnote_entry(fb, citation) -> str:
    """How a footnote gives a citation: Publisher, Title, date, address: “quote” (the bibliography differs)."""
    src = fb.sources[citation.source]
    locale = fb.settings.locale
    when = format_date(src.published, "medium", locale=locale) if src.published else "undated, read " + format_date(src.accessed, "medium", locale=locale)
    entry = f"{source_name(src)}, {src.title}, {when}"
    if src.url or src.archive_url:
        entry += f", {src.url or src.archive_url}"
    return norm(f"{entry}: “{citation.quote}”")


# -- the files ------------------------------------------------------------------------
def test_one_pdf_per_page_and_the_full_briefing(pdf_dir: Path):
    names = {p.name for p in pdf_dir.glob("*.pdf")}
    expected = {pdf_name(page) for page in PAGES} | {FULL_BRIEFING}
    assert names == expected
    assert "overview.pdf" in names  # the home page's PDF


def test_files_are_valid_pdfs_with_fixed_metadata(fb, pdf_dir: Path, texts):
    stamp = build_date(fb).strftime("D:%Y%m%d%H%M%S")
    for path in sorted(pdf_dir.glob("*.pdf")):
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path.name
        info = PdfReader(path, strict=True).metadata
        assert info["/CreationDate"].startswith(stamp) and info["/ModDate"].startswith(stamp), path.name
        assert info["/Title"].startswith("Japan"), path.name
        assert all(texts[path.name]), f"{path.name} has a page without text"


def test_page_counts_are_plausible(texts):
    per_page = {name: len(pages) for name, pages in texts.items() if name != FULL_BRIEFING}
    for name, count in per_page.items():
        # cover, contents, at least one page of content, (sources aside) the sources cited, back page
        assert 4 <= count <= 40, (name, count)
    full = len(texts[FULL_BRIEFING])
    # the full briefing holds every chapter once (and the methodology), with one cover, contents and back page
    assert sum(n - 4 for n in per_page.values()) <= full <= sum(per_page.values()), (full, per_page)


# -- cover, furniture, contents ------------------------------------------------------------
def test_cover_names_title_subject_and_dates(fb, texts):
    fmt = Formatter(fb.settings)
    newest = max(f.as_of for f in fb.facts.values())
    built = build_date(fb).date()
    site = read_site_info(fb.root)
    for name, pages in texts.items():
        cover = norm(pages[0])
        assert norm(fb.settings.title) in cover, name
        assert norm(fb.settings.subject) in cover, name
        assert f"Facts as of {fmt.date(newest)}" in cover, name
        assert f"Built {fmt.date(built)}" in cover, name
        assert f"Publisher {norm(fb.settings.desk)}" in cover, name
        # the site's address when mkdocs.yml gives one (as mkdocs reads it), none otherwise
        assert ("Online https://" in cover) == bool(site.url), name


def test_back_page_names_publisher_licence_and_how_to_report_an_error(fb, texts):
    for name, pages in texts.items():
        back = norm(pages[-1])
        assert f"Published by {norm(fb.settings.desk)}" in back, name
        assert norm(fb.settings.licence) in back and "Found an error?" in back, name


def test_the_full_briefing_includes_the_methodology(fb, texts):
    methodology = (fb.root / "docs" / "methodology.md").read_text(encoding="utf-8")
    title = norm(re.search(r"^# (.+)$", methodology, re.MULTILINE)[1])
    assert title in norm("\n".join(texts[FULL_BRIEFING]))


def test_running_header_and_page_x_of_y_footer(fb, texts):
    for name, pages in texts.items():
        total = len(pages)
        assert f"Page 1 of {total}" not in norm(pages[0]), f"{name}: the cover carries no footer"
        for number, text in enumerate(pages[1:], start=2):
            page = norm(text)
            assert f"Page {number} of {total}" in page, (name, number)
            assert norm(fb.settings.title) in page, (name, number)


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


# "Title . . . . 12": the leader may be a single dot when the title nearly fills the line ("Future. 36"),
# while "387.3" (a dot inside a number) must not pass for a leader.
_TOC_LINE = re.compile(r"^(?P<title>.+?)(?:\s+(?:\.\s*)+|\.\s+(?:\.\s*)*)(?P<page>\d+)$")
_TOC_LEADER = re.compile(r"^(?:\.\s*)+(?P<page>\d+)$")


@pytest.mark.parametrize("name", [FULL_BRIEFING, "funding.pdf", "facts.pdf"])
def test_contents_page_numbers_match_the_headings(pdf_dir: Path, texts, name):
    reader = PdfReader(pdf_dir / name, strict=True)
    pages = texts[name]
    toc: list[tuple[str, int]] = []
    title = norm(PdfReader(pdf_dir / name).metadata["/Title"]).split(":")[0]
    for text in pages[1:]:
        # the running header (the briefing's title, then the chapter's) is not an entry
        lines = [line.strip() for line in text.splitlines() if not norm(line).startswith(title)]
        if toc and not any(_TOC_LINE.match(line) for line in lines):
            break
        pending = ""  # an entry too long for one line continues on the next
        for line in lines:
            if m := _TOC_LEADER.match(line):  # the leader wrapped onto a line of its own
                toc.append((norm(pending), int(m["page"])))
                pending = ""
            elif m := _TOC_LINE.match(line):
                toc.append((norm(f"{pending} {m['title']}"), int(m["page"])))
                pending = ""
            elif line and line != "Contents":
                pending = f"{pending} {line}"
    assert toc, f"{name}: no table of contents found"
    # headings in reading order (the PDF outline, made from the headings); the contents list them in the same order
    headings = [(depth, norm(title), page) for depth, title, page in _outline(reader) if depth <= 1]
    position = 0
    matched = set()
    for title, number in toc:
        while position < len(headings) and headings[position][1] != title:
            position += 1
        assert position < len(headings), f"{name}: contents entry {title!r} has no heading (in this order)"
        page = headings[position][2]
        assert number == page + 1, f"{name}: contents say {title!r} is on page {number}, it is on page {page + 1}"
        assert title in norm(pages[page]), f"{name}: heading {title!r} not found on page {page + 1}"
        matched.add(position)
        position += 1
    chapters = [(i, t) for i, (d, t, _) in enumerate(headings) if d == 0]
    assert all(i in matched for i, _ in chapters), f"{name}: chapters missing from the contents"


def test_full_briefing_follows_the_navigation(fb, pdf_dir: Path):
    reader = PdfReader(pdf_dir / FULL_BRIEFING, strict=True)
    chapters = [norm(title) for depth, title, _ in _outline(reader) if depth == 0]
    titles = []
    for page in NAV_ORDER + ["facts.md", "sources.md"]:
        if page in PAGES:
            source = (fb.root / "templates" / (page[:-3] + SUFFIX)).read_text(encoding="utf-8")
            titles.append(norm(re.search(r"^# (.+)$", source, re.MULTILINE)[1]))
    positions = [chapters.index(t) for t in titles]
    assert positions == sorted(positions), chapters
    assert chapters[-2:] == titles[-2:]  # facts, then sources, close the briefing


# -- figures and their footnotes -------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_figure_of_the_page_and_its_footnote(fb, texts, page):
    text = norm("\n".join(texts[pdf_name(page)]))
    cited = facts_on(fb, page)
    shown = list(fb.facts) if page == "facts.md" else cited
    missing = [(f, expected_value(fb, f)) for f in shown if not contains(text, expected_value(fb, f))]
    assert not missing, f"{page}: figures missing from the PDF: {missing}"
    for fact_id in cited:
        for citation in fb.facts[fact_id].citations:
            entry = footnote_entry(fb, citation)
            # a line may end after the hyphen of a compound ("AI-" / "industry"): read it joined again too
            assert contains(text, entry) or contains(text.replace("- ", "-"), entry), f"{page}: footnote of {fact_id!r} does not give {entry!r}"


def test_full_briefing_has_every_figure_of_every_page(fb, texts):
    text = norm("\n".join(texts[FULL_BRIEFING]))
    for page in PAGES:
        for fact_id in facts_on(fb, page):
            assert contains(text, expected_value(fb, fact_id)), (page, fact_id)


_NOTE = re.compile(r"^(\d+)\. (?:Confirmed|Reported|Disputed|Retracted)\b", re.MULTILINE)


def test_no_footnote_is_lost_or_repeated(texts):
    """Each chapter numbers its footnotes from 1, without gaps, each at the bottom of a page, and once
    on a page (a fact cited again pages later gets its footnote again, with the same number).

    The full briefing holds the same footnotes as the pages' PDFs together.
    """
    total = 0
    for page in PAGES:
        name = pdf_name(page)
        per_page = [[int(n) for n in _NOTE.findall(text)] for text in texts[name]]
        assert all(len(numbers) == len(set(numbers)) for numbers in per_page), f"{name}: a footnote twice on a page"
        defined = [n for numbers in per_page for n in numbers]
        assert sorted(set(defined)) == list(range(1, len(set(defined)) + 1)), f"{name}: footnotes {defined}"
        total += len(defined)
    full = [int(n) for text in texts[FULL_BRIEFING] for n in _NOTE.findall(text)]
    assert len(full) == total


def test_disputed_figures_say_so_in_words(fb, texts):
    found = 0
    for page in PAGES:
        text = norm("\n".join(texts[pdf_name(page)]))
        for fact_id in facts_on(fb, page):
            if fb.status(fact_id) == "disputed":
                value = norm(expected_value(fb, fact_id))
                assert re.search(re.escape(value) + r"\d* ?⚠ disputed", text), (page, fact_id)
                found += 1
    assert found, "the project has disputed figures in its pages"


def test_sources_appendix_lists_every_source(fb, texts):
    text = norm("\n".join(texts["funding.pdf"]))
    assert "Sources cited" in text
    full = norm("\n".join(texts[FULL_BRIEFING]))
    for src in fb.sources.values():
        assert norm(src.title) in full and norm(src.publisher) in full, src.id
        if src.url:
            assert src.url in full.replace(" ", ""), src.id


def test_charts_are_drawn(fb, texts):
    """A page with a chart carries the chart's labels: the site's SVG, laid out in the PDF."""
    from build_scripts.render.charts import drawing

    seen = 0
    for page in PAGES:
        source = (fb.root / "templates" / (page[:-3] + SUFFIX)).read_text(encoding="utf-8")
        for chart in re.findall(r"chart\(\s*[\"']([\w-]+)[\"']", source):
            text = norm("\n".join(texts[pdf_name(page)]))
            for label in drawing(fb, chart).labels:
                words = norm("".join(part.text for part in label.parts))
                assert words in text, (page, chart, words)
            seen += 1
    if not seen:
        pytest.skip("no page template draws a chart")


def test_each_chart_keeps_its_title_caption_and_source_line_on_one_page(fb, texts):
    from build_scripts.render.charts import chart_svg, drawing

    seen = 0
    for page in PAGES:
        source = (fb.root / "templates" / (page[:-3] + SUFFIX)).read_text(encoding="utf-8")
        for chart in re.findall(r"chart\(\s*[\"']([\w-]+)[\"']", source):
            found = re.search(r"<title[^>]*>([^<]+)</title>", chart_svg(fb, chart))
            title = norm(html.unescape(found[1])) if found else ""
            pages = [norm(text) for text in texts[pdf_name(page)]]
            holding = [text for text in pages if title and title in text]
            assert holding, (page, chart, "title not found")
            labels = [norm("".join(part.text for part in label.parts)) for label in drawing(fb, chart).labels]
            assert all(label in holding[0] for label in labels) and "Source: " in holding[0], (page, chart)
            seen += 1
    assert seen or not any("chart(" in (fb.root / "templates" / (p[:-3] + SUFFIX)).read_text(encoding="utf-8") for p in PAGES)


def test_a_clean_export_says_nothing(fb):
    """No warning from the layout: a reader of the build log is told only about the records."""
    from build_scripts.export.pdf import build_pdfs
    from build_scripts.findings import Report

    report = Report()
    assert build_pdfs(fb, report) is not None
    assert not [f for f in report if f.code == "pdf"], report.format()


# -- the site links to the PDFs -----------------------------------------------------------------
def test_pages_link_their_pdf_and_the_overview_the_full_briefing(site_dir: Path):
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="pdf-link" href="pdf/overview.pdf"' in index
    assert 'href="pdf/briefing.pdf"' in index
    funding = (site_dir / "funding" / "index.html").read_text(encoding="utf-8")
    assert 'class="pdf-link" href="../pdf/funding.pdf"' in funding
    assert (site_dir / "pdf" / "funding.pdf").is_file()


# -- reproducible ---------------------------------------------------------------------------------
def test_export_is_byte_identical(built_project: Path, pdf_dir: Path, tmp_path: Path):
    """``briefing pdf`` in a fresh process (other hash seed) rewrites exactly the files ``briefing build`` wrote."""
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(built_project), "pdf", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    first = {p.name: p.read_bytes() for p in pdf_dir.glob("*.pdf")}
    second = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"not reproducible: {different}"


def test_full_briefing_alone_is_the_same_file(built_project: Path, pdf_dir: Path, tmp_path: Path):
    """``briefing pdf --only briefing.pdf`` (what the benchmark times) writes just the full briefing, byte for byte."""
    out = tmp_path / "full"
    run = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(built_project), "pdf", "--only", FULL_BRIEFING, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == [FULL_BRIEFING]
    assert (out / FULL_BRIEFING).read_bytes() == (pdf_dir / FULL_BRIEFING).read_bytes()


# -- pictures of pages ------------------------------------------------------------------------------
def _render_gray(pdf: Path, page: int, out: Path) -> tuple[int, int, bytes]:
    """Page ``page`` as an 8-bit grey image (pdftoppm, PGM): width, height, pixels."""
    stem = out / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)], check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, "not a PGM image"
    width, height = int(m[1]), int(m[2])
    return width, height, data[m.end() : m.end() + width * height]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("name,page", [(FULL_BRIEFING, 1), (FULL_BRIEFING, 5), ("funding.pdf", 1), ("funding.pdf", 3)])
def test_rendered_pages_are_not_blank(pdf_dir: Path, tmp_path: Path, name, page):
    width, height, pixels = _render_gray(pdf_dir / name, page, tmp_path)
    assert width > 200 and height > 300 and len(pixels) == width * height
    mean = sum(pixels) / len(pixels)
    variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
    inked = sum(1 for p in pixels if p < 160) / len(pixels)
    assert variance > 150, f"{name} page {page} looks blank (variance {variance:.0f})"
    assert inked > 0.01, f"{name} page {page} has almost no ink ({inked:.2%})"


#: Where the pictures of the PDFs' first pages go: CI uploads this folder as an artifact.
PAGES_DIR = ROOT / "tests" / "_out" / "pdf-pages"
FIRST_PAGES = 3


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_pages_of_every_pdf_as_pictures(pdf_dir: Path):
    """pdftoppm draws the first pages of each PDF (PNG, 60 dpi) into tests/_out/pdf-pages/, for a reader to look at."""
    shutil.rmtree(PAGES_DIR, ignore_errors=True)
    PAGES_DIR.mkdir(parents=True)
    for pdf in sorted(pdf_dir.glob("*.pdf")):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(FIRST_PAGES), str(pdf), str(PAGES_DIR / pdf.stem)], check=True)
        pictures = sorted(PAGES_DIR.glob(f"{pdf.stem}-*.png"))
        assert len(pictures) == FIRST_PAGES, (pdf.name, pictures)
        assert all(p.stat().st_size > 2000 for p in pictures), pdf.name
