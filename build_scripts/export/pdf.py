"""PDF briefings: the page templates rendered for print and laid out by WeasyPrint.

The same fact records and the same page templates as the site are rendered
with :class:`~build_scripts.export.figures.PrintFigureRenderer`, so each
figure's citation becomes a CSS paged-media footnote (``float: footnote``)
instead of a Markdown ``[^id]`` reference. The Markdown is converted to HTML,
placed into the print template (``templates/print/briefing.html.j2`` with
``print.css``: cover, table of contents with ``target-counter`` page numbers,
running header, "page X of Y" footer) and laid out by WeasyPrint.

One PDF is written per page template (``funding.pdf``, ``overview.pdf`` for the
home page...) and one full briefing, ``briefing.pdf``, with every page in
navigation order, then the facts and sources. Each chapter numbers its
footnotes from 1. The first citation of a fact in a chapter is a footnote; a
later one refers to it by number when both are on the same page, and gets a
footnote of its own when the layout put it on another page (a second layout
pass). The full briefing reuses the chapters' layouts (see :class:`_Renderer`),
and is written in two parts, one per core (see :class:`_Export` and :mod:`.split`).

Output is reproducible: dates come from ``SOURCE_DATE_EPOCH`` or from the
records, never from the clock, and nothing random is generated. Problems are
returned as findings; no PDF is written unless all succeed, and a footnote the
layout failed to place is an error, not a silent loss.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import logging
import os
import posixpath
import re
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup

from ..collector import collector_paused
from ..factbase import FactBase
from ..findings import Location, Report
from ..logs import Records
from ..render.figures import STATUS_SIGN, STATUS_TEXT, UnknownFact
from ..render.formatting import Formatter
from ..render.pages import _template_line, _template_rel, environment, page_context, page_specs
from .figures import PrintFigureRenderer
from .footnote_area import faster_footnotes
from .leaders import shaped_once
from .margin_boxes import without_margin_boxes
from .merging import replace_pages
from .stylesheets import shared_stylesheets
from .names import FULL_BRIEFING, PDF_DIR, page_stem, pdf_name
from .split import PageSummary, StandIn, split_point

log = logging.getLogger(__name__)

PRINT_DIR = "print"
PRINT_TEMPLATE = "briefing.html.j2"
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html", "abbr"]
#: Reference pages: they close the full briefing, after the pages of the navigation.
APPENDIX_PAGES = ("facts.md", "sources.md")
#: The page that is itself the bibliography (no "Sources cited" appendix is added to it).
SOURCES_PAGE = "sources.md"
#: Layout passes at most: a repeated citation that lands on another page than its footnote gets its own.
MAX_PASSES = 3
#: The anchor of the "sources cited" appendix.
APPENDIX_ID = "appendix-sources"
#: A chapter with more second-level headings than this lists only its title in the contents.
TOC_MAX_SECTIONS = 14

_SLOT = re.compile(r'<span class="fn-slot" data-fact="([^"]*)"></span>')
_SEP = "__"


# -- the pieces ---------------------------------------------------------------------
@dataclass(frozen=True)
class TocEntry:
    level: int
    target: str
    text: str


@dataclass
class Chapter:
    """One page template rendered for print: its HTML body (ids prefixed by the page name) and headings."""

    page: str  # "funding.md"
    name: str  # "funding": the chapter's anchor, and the prefix of its ids
    template: str  # path of the template, relative to the root
    title: str
    body: Any  # lxml element holding the chapter
    toc: list[TocEntry]
    ids: set[str]  # the ids of the page before prefixing
    figures: PrintFigureRenderer


@dataclass
class PrintDocument:
    """One PDF: a cover, the contents, the chapters, and (unless a chapter is the bibliography) the sources cited."""

    file: str
    title: str
    chapters: list[Chapter]
    full: bool = False
    #: Laid out only for the full briefing, never written: the chapter alone, without cover, contents or
    #: appendix (a chapter starts on a page of its own, so its pages are the same as in its page PDF).
    bare: bool = False

    @property
    def appendix(self) -> bool:
        return not self.bare and not any(_bibliography(c.page) for c in self.chapters)


@dataclass
class SiteInfo:
    """What the PDFs need from ``mkdocs.yml``: where the site lives and the navigation order."""

    url: str = ""
    directory_urls: bool = True
    nav: list[str] = field(default_factory=list)

    def page_url(self, page: str) -> str | None:
        """Absolute address of a site page (``"facts.md"`` -> ``https://.../facts/``), if the site has an address."""
        if not self.url:
            return None
        stem = page_stem(page)
        if self.directory_urls:
            path = "" if stem == "index" else (stem[: -len("/index")] + "/" if stem.endswith("/index") else stem + "/")
        else:
            path = stem + ".html"
        return self.url.rstrip("/") + "/" + path


# -- entry point --------------------------------------------------------------------
def export_pdfs(root: Path, out_dir: Path | None = None, fb: FactBase | None = None, only: list[str] | None = None) -> Report:
    """Write one PDF per page template and the full briefing into ``out_dir`` (default ``root/site/pdf``).

    With ``only`` (file names such as ``"briefing.pdf"``), just those. Returns the findings; on any
    error nothing is written.
    """
    report = Report()
    root = Path(root).resolve()
    try:
        if fb is None:
            from ..pipeline import check_project

            fb = check_project(root)
        report.extend(fb.report)
        if fb.report.failed():
            return report
        if out_dir is None:
            out_dir = root / fb.settings.site_dir / PDF_DIR
        outputs = build_pdfs(fb, report, only=only)
        if report.failed() or outputs is None:
            return report
        _write_all(Path(out_dir), outputs, report)
    except Exception as exc:  # the last guard: a finding, never a traceback
        report.error(Location(_print_rel(root, fb)), f"PDF export failed: {type(exc).__name__}: {exc}", "pdf")
    return report


def build_pdfs(
    fb: FactBase,
    report: Report,
    timings: dict[str, float] | None = None,
    only: list[str] | None = None,
    parallel: bool = True,
) -> dict[str, bytes] | None:
    """Render every PDF in memory (with ``only``, just the PDFs of those file names): ``{file name: bytes}``;
    ``None`` when a problem was reported (an unknown name in ``only`` is one).

    With ``parallel``, a forked helper lays out chapters on the second core (see :mod:`.parallel`);
    the output is the same either way."""
    with collector_paused():  # the chapters and their layouts live to the end (see build_scripts/collector.py)
        return _build_pdfs(fb, report, timings, only, parallel)


def _build_pdfs(fb: FactBase, report: Report, timings, only, parallel: bool) -> dict[str, bytes] | None:
    root = fb.root
    templates_dir = root / fb.settings.templates_dir
    print_dir = templates_dir / PRINT_DIR
    print_rel = _print_rel(root, fb)
    if not (print_dir / PRINT_TEMPLATE).is_file():
        report.error(Location(print_rel), "print template missing: the PDFs need templates/print/briefing.html.j2", "pdf")
        return None
    site = read_site_info(root)
    formatter = Formatter(fb.settings)
    chapters = render_chapters(fb, formatter, report)
    if report.failed():
        return None
    if not chapters:
        report.warning(Location(fb.settings.templates_dir), "no page templates: no PDF written", "pdf")
        return {}
    print_env = environment(print_dir)
    try:
        template = print_env.get_template(PRINT_TEMPLATE)
    except jinja2.TemplateSyntaxError as exc:
        report.error(Location(print_rel, exc.lineno or 1, 1), f"print template syntax: {exc.message}", "pdf")
        return None
    ordered = order_chapters(chapters, site.nav)
    documents = [PrintDocument(pdf_name(c.page), c.title, [c]) for c in ordered]
    documents.append(PrintDocument(FULL_BRIEFING, "Full briefing", ordered, full=True))
    if only is not None:
        known = {d.file for d in documents}
        unknown = [name for name in only if name not in known]
        if unknown:
            report.error(
                Location(fb.settings.templates_dir),
                f"no PDF named {', '.join(unknown)}; the briefing's PDFs are {', '.join(sorted(known))}",
                "pdf",
            )
            return None
        wanted = set(only)
        if FULL_BRIEFING in wanted:
            # the full briefing is composed from its chapters' layouts: lay out the chapters not asked
            # for on their own, bare (no cover, contents or appendix), and write nothing for them
            documents = [d if d.file in wanted else PrintDocument(d.file, d.title, d.chapters, bare=True) for d in documents]
        else:
            documents = [d for d in documents if d.file in wanted]
    make_renderer = lambda findings: _Renderer(fb, formatter, site, template, print_dir, print_rel, findings)  # noqa: E731
    page_docs = [d for d in documents if not d.full]
    full = next((d for d in documents if d.full), None)
    return _Export(page_docs, full, make_renderer, report, timings).run(parallel)


#: How far the cut between the two sides leans towards the helper, in the units of :func:`_cost`.
#: The helper also draws the full briefing's cover, contents and appendix, and the parent puts the
#: parts together; chapters of prose with many footnotes cost more to draw than their HTML says.
#: Calibrated on the briefing: the two sides then finish their parts within half a second.
FRONT_COST = 24_000


def _cost(doc: PrintDocument) -> int:
    """An estimate of the work of laying out a one-chapter document, known before it is laid out.

    The length of its HTML, twice for a chapter that cites a fact more than once: such a chapter
    usually needs a second layout pass (see :meth:`_Renderer.lay_out`). The estimate only has to
    share the work fairly; it must not depend on timing, so that the output does not either.
    """
    html = _inner_html(doc.chapters[0].body)  # as the footnotes are numbered in
    facts = _SLOT.findall(html)
    return len(html) * (2 if len(set(facts)) < len(facts) else 1)


class _Export:
    """Every wanted PDF, on two cores when possible: the page documents, then the full briefing.

    The chapters are cut in two (:func:`.split.split_point`): the parent takes those at the front, a
    forked helper those at the back (see :mod:`.parallel`). Each side lays out its chapters and writes
    their page PDFs. For the full briefing, each sends the other a summary of its chapters' pages,
    lays out the front document (cover, contents, appendix, one sheet per chapter page) and writes
    its part of the full briefing (see :mod:`.split`); the parent puts the parts together
    (:mod:`.merging`). Without a helper, the parent does both sides in turn, and the output is the
    same bytes. Findings are reported in the documents' order, whichever process found them.
    """

    def __init__(self, docs: list[PrintDocument], full: PrintDocument | None, make_renderer, report: Report, timings) -> None:
        self.docs = docs
        self.full = full
        self.make_renderer = make_renderer
        self.report = report
        self.timings = timings
        cut = split_point([_cost(d) for d in docs], FRONT_COST if full is not None else 0)
        #: the indexes of the documents of each side: the parent's, the helper's
        self.sides = (range(cut), range(cut, len(docs)))
        self.outputs: dict[str, bytes] = {}
        self.found: dict[int, Report] = {}

    def _side_chapters(self, side: int) -> list[Chapter]:
        return [self.docs[i].chapters[0] for i in self.sides[side]]

    # -- the helper ------------------------------------------------------------------
    def _helper_work(self, channel) -> None:
        """In the helper: the back chapters, then (for the full briefing) its part; every result to the parent."""
        from .parallel import Finished

        renderer = self.make_renderer(Report())
        for index in self.sides[1]:
            doc = self.docs[index]
            renderer.report = findings = Report()
            started = time.perf_counter()
            data = renderer.produce(doc)
            failed = data is None or findings.failed()
            promoted = renderer.chapter_promotions.get(doc.chapters[0].page, set())
            seconds = time.perf_counter() - started
            channel.send(("chapter", index, Finished(promoted, None if doc.bare else data, list(findings), failed, seconds)))
            if failed:
                return
        if self.full is None:
            return
        renderer.report = Report()  # the parent reports the front document's findings: it lays out the same
        pages = renderer.summaries(self._side_chapters(1))
        channel.send(("pages", pages))
        _, theirs = channel.recv()
        if pages is None or theirs is None:
            return
        part, findings = renderer.full_part(self.full, {**theirs, **pages}, self._side_chapters(1), front_pages=True)
        channel.send(("part", part, findings))

    # -- the parent ----------------------------------------------------------------------
    def run(self, parallel: bool) -> dict[str, bytes] | None:
        """Every wanted PDF's bytes by file name; ``None`` when a problem was reported."""
        from . import parallel as two_cores

        helper = None
        if parallel and len(self.sides[1]) and two_cores.available(len(self.docs)):
            helper = two_cores.Helper(self._helper_work)  # forked before this process sets up WeasyPrint's fonts
        renderer = self.make_renderer(self.report)
        try:
            ok = all(self._own(renderer, index) for index in self.sides[0])
            received, pages = self._receive_chapters(helper) if ok and helper is not None else ({}, None)
            for index in self.sides[1]:
                if not ok:
                    break
                ok = self._adopt(index, received[index]) if index in received else self._own(renderer, index)
            data = None
            if ok and self.full is not None:
                started = time.perf_counter()
                data = self._full_briefing(renderer, helper, pages, received)
                if self.timings is not None:
                    self.timings[self.full.file] = time.perf_counter() - started
        finally:
            if helper is not None:
                helper.close()
            renderer.report = self.report
            for index in sorted(self.found):
                self.report.extend(self.found[index])
        if not ok or len(self.found) < len(self.docs):
            return None
        if self.full is not None:
            if data is None or self.report.failed():
                return None
            self.outputs[self.full.file] = data
        return self.outputs

    def _own(self, renderer: "_Renderer", index: int) -> bool:
        """Lay out document ``index`` here (writing its PDF unless it is bare)."""
        doc = self.docs[index]
        renderer.report = self.found[index] = Report()
        started = time.perf_counter()
        data = renderer.produce(doc)
        if self.timings is not None and not doc.bare:
            self.timings[doc.file] = time.perf_counter() - started
        if data is not None and not doc.bare:
            self.outputs[doc.file] = data
        return data is not None and not self.found[index].failed()

    def _adopt(self, index: int, result) -> bool:
        """Document ``index`` as the helper finished it: its PDF and its findings."""
        doc = self.docs[index]
        self.found[index] = Report(result.findings)
        if result.failed:
            return False
        if self.timings is not None and not doc.bare:
            self.timings[doc.file] = result.seconds
        if result.pdf is not None:
            self.outputs[doc.file] = result.pdf
        return True

    def _receive_chapters(self, helper) -> tuple[dict, dict | None]:
        """The helper's chapters as it finished them, then its page summaries (``None`` if it stopped before)."""
        received = {}
        while (message := helper.recv()) is not None:
            if message[0] == "chapter":
                received[message[1]] = message[2]
                if message[2].failed:
                    break
            elif message[0] == "pages":
                return received, message[1]
        return received, None

    def _full_briefing(self, renderer: "_Renderer", helper, helper_pages, received) -> bytes | None:
        """The full briefing: both parts, put together; laid out whole if it cannot be composed."""
        doc = self.full
        renderer.report = findings = Report()
        try:
            try:
                pages = renderer.summaries(self._side_chapters(0))
                if helper is not None and helper_pages is not None:
                    helper.send(("pages", pages))
                else:
                    helper_pages = self._helper_side_here(renderer, received).summaries(self._side_chapters(1))
                if pages is None or helper_pages is None:
                    raise _CannotCompose("a chapter has no anchor")
                pages.update(helper_pages)
                alone = not self.sides[1]  # one chapter: the parent's part is the whole
                base, written = renderer.full_part(doc, pages, self._side_chapters(0), front_pages=alone)
                findings.extend(written)
                if alone:
                    return base
                message = helper.recv() if helper is not None and helper_pages is not None else None
                if message is not None and message[0] == "part" and message[1] is not None:
                    part, helper_findings = message[1], message[2]
                else:
                    part, helper_findings = self._helper_side_here(renderer, received).full_part(
                        doc, pages, self._side_chapters(1), front_pages=True
                    )
                findings.extend(helper_findings)
                if base is None or part is None:
                    return None
                return replace_pages(base, [(part, renderer.page_numbers(doc, pages, self._side_chapters(1), front_pages=True))])
            except _CannotCompose as exc:
                log.debug("full briefing laid out whole: %s", exc)
                return renderer.render(doc)
        finally:
            self.report.extend(findings)  # after every chapter's, as the documents come
            renderer.report = self.report

    def _helper_side_here(self, renderer: "_Renderer", received) -> "_Renderer":
        """The parent's renderer, with the helper's chapters laid out here: the helper stopped before its part.

        A chapter the helper finished is laid out once more, bare, with the promotions its passes
        found; the chapters it did not get to were laid out by :meth:`_own` already.
        """
        for index in self.sides[1]:
            doc = self.docs[index]
            page = doc.chapters[0].page
            if page not in renderer.layouts:
                renderer.chapter_promotions[page] = set(received[index].promoted)
                with renderer.reporting_to(Report()):  # the helper reported this chapter's findings
                    if renderer.lay_out(PrintDocument(doc.file, doc.title, doc.chapters, bare=True)) is None:
                        raise _CannotCompose(f"{page} could not be laid out again")
        return renderer


def _part_of(page: str, reference: str) -> bool:
    """Whether ``page`` is the reference page ``reference`` or one of its parts (``sources/k.md``)."""
    return page == reference or page.startswith(page_stem(reference) + "/")


def _bibliography(page: str) -> bool:
    """Whether the page is the bibliography, or a part of it."""
    return _part_of(page, SOURCES_PAGE)


def _print_rel(root: Path, fb: FactBase | None) -> str:
    templates = fb.settings.templates_dir if fb is not None else "templates"
    return f"{templates}/{PRINT_DIR}/{PRINT_TEMPLATE}"


def _write_all(out_dir: Path, outputs: dict[str, bytes], report: Report) -> None:
    """Write every PDF through a temporary file, so that a reader never sees half a file."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in outputs.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=out_dir)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, out_dir / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        report.error(Location(str(out_dir)), f"cannot write the PDFs: {exc.strerror or exc}", "pdf")


# -- mkdocs.yml -----------------------------------------------------------------------
def read_site_info(root: Path) -> SiteInfo:
    """Site address, URL style and page order from ``mkdocs.yml`` (read as text: it may hold custom tags)."""
    path = root / "mkdocs.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return SiteInfo()
    info = SiteInfo()
    if m := re.search(r"^site_url:[ \t]*['\"]?([^'\"\s#]+)", text, re.MULTILINE):
        info.url = m.group(1) if urlsplit(m.group(1)).scheme in ("http", "https") else ""
    if re.search(r"^use_directory_urls:[ \t]*(false|no|off)\b", text, re.MULTILINE | re.IGNORECASE):
        info.directory_urls = False
    if m := re.search(r"^nav:[ \t]*\n((?:[ \t]+.*\n?|[ \t]*\n)*)", text, re.MULTILINE):
        info.nav = re.findall(r"([^\s:'\"]+\.md)\b", m.group(1))
    return info


def _appendix_rank(page: str) -> int | None:
    """The place of a reference page among the appendices (facts, then sources; each index, then its parts)."""
    return next((rank for rank, appendix in enumerate(APPENDIX_PAGES) if _part_of(page, appendix)), None)


def order_chapters(chapters: list[Chapter], nav: list[str]) -> list[Chapter]:
    """Navigation order; pages not in the navigation follow, then the reference pages (facts, sources)."""
    by_page = {c.page: c for c in chapters}
    ordered = [by_page[p] for p in dict.fromkeys(nav) if p in by_page and _appendix_rank(p) is None]
    rest = [c for c in chapters if c not in ordered and _appendix_rank(c.page) is None]
    rest.sort(key=lambda c: (c.page != "index.md", c.page))
    appendix = sorted((c for c in chapters if _appendix_rank(c.page) is not None), key=lambda c: (_appendix_rank(c.page), "/" in c.page, c.page))
    return ordered + rest + appendix


# -- chapters: templates -> Markdown -> HTML ---------------------------------------------
def render_chapters(fb: FactBase, formatter: Formatter, report: Report) -> list[Chapter]:
    """Every page template rendered with the print figure renderer; template problems go to ``report``."""
    templates_dir = fb.root / fb.settings.templates_dir
    env = environment(templates_dir)
    chapters = []
    for spec in page_specs(fb, report):
        path, page = spec.path, spec.name
        rel = path.relative_to(fb.root).as_posix()
        figures = PrintFigureRenderer(fb, formatter, page=page)
        context = page_context(fb, figures)
        context["claim_review"] = lambda review, page: Markup("")  # structured data has no place on paper
        try:
            text = env.get_template(path.relative_to(templates_dir).as_posix()).render({**context, **spec.params})
        except jinja2.TemplateSyntaxError as exc:
            where = _template_rel(fb, templates_dir, exc.name) or rel
            report.error(Location(where, exc.lineno or 1, 1), f"template syntax: {exc.message}", "template")
            continue
        except (UnknownFact, jinja2.TemplateError, ValueError, TypeError, AttributeError, KeyError, LookupError) as exc:
            line, where = _template_line(exc, templates_dir, fb.root, rel)
            message = f"unknown fact id {exc.args[0]!r}" if isinstance(exc, UnknownFact) else str(exc)
            report.error(Location(where, line, 1), f"template: {message}", "template")
            continue
        chapters.append(make_chapter(page, rel, text, figures))
    return chapters


def markdown_to_html(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")


def make_chapter(page: str, template: str, text: str, figures: PrintFigureRenderer) -> Chapter:
    """The chapter of one page: Markdown to HTML, scripts dropped, headings given ids, ids prefixed."""
    import lxml.html

    name = page_stem(page).replace("/", "-")  # the chapter's anchor and the prefix of its ids
    body = lxml.html.fragment_fromstring(markdown_to_html(text) or "<p></p>", create_parent="div")
    for script in body.xpath(".//script"):
        script.drop_tree()
    ids = {el.get("id") for el in body.iter() if isinstance(el.tag, str) and el.get("id")}
    taken = set(ids)
    for heading in body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if not heading.get("id"):
            slug = _slug(heading.text_content())
            candidate, n = slug, 1
            while candidate in taken:
                n += 1
                candidate = f"{slug}-{n}"
            heading.set("id", candidate)
            taken.add(candidate)
    for el in body.iter():
        if isinstance(el.tag, str) and el.get("id"):
            el.set("id", f"{name}{_SEP}{el.get('id')}")
    for link in body.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            link.set("href", f"#{name}{_SEP}{href[1:]}")
    toc, title = [], None
    headings = [h for h in body.iter("h1", "h2")]
    sections = sum(1 for h in headings if h.tag == "h2")
    for heading in headings:
        text_ = " ".join(heading.text_content().split())
        if heading.tag == "h1":
            title = title or text_
            toc.append(TocEntry(1, heading.get("id"), text_))
        elif sections <= TOC_MAX_SECTIONS and not _bibliography(page):
            toc.append(TocEntry(2, heading.get("id"), text_))
    return Chapter(page, name, template, title or name.replace("-", " ").capitalize(), body, toc, taken, figures)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


# -- documents: chapters -> HTML -> PDF ---------------------------------------------------
class _Renderer:
    """Assembles and lays out the documents, sharing fonts between them.

    Each page's PDF is laid out on its own. The full briefing reuses those
    layouts: its chapters are the very pages of the page PDFs (every chapter
    starts on a new page and numbers its footnotes from 1), given the running
    header and footer of their place in the full briefing. Only its cover,
    contents and appendix are laid out anew, in a "front" document that holds
    one empty sheet per chapter page, so that its page counters, and the
    contents' ``target-counter`` page numbers, count the chapter pages
    (:meth:`full_part`).
    """

    def __init__(self, fb, formatter, site, template, print_dir, print_rel, report) -> None:
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        self.fb = fb
        self.fmt = formatter
        self.site = site
        self.template = template
        self.base_url = print_dir.as_uri() + "/"
        self.print_rel = print_rel
        self.report = report
        self.fonts = FontConfiguration()
        # Only local files: the PDFs are built offline and never fetch from the network.
        self.fetcher = URLFetcher(allowed_protocols={"file", "data"})
        self.dates = document_dates(fb, report)
        #: per chapter, the citations that got a footnote of their own because their first one was on another page
        self.chapter_promotions: dict[str, set[int]] = {}
        #: per chapter, its laid-out page PDF (for the full briefing)
        self.layouts: dict[str, Any] = {}
        #: the print stylesheets, parsed once for every document this renderer lays out
        self.stylesheets: dict = {}
        #: the full briefing's front document: (its sheets, the laid-out document, the number of its first sheet)
        self._front_cache: tuple | None = None

    @contextmanager
    def reporting_to(self, report: Report) -> Iterator[Report]:
        """While the block runs, findings go to ``report``; then to where they went before."""
        saved, self.report = self.report, report
        try:
            yield report
        finally:
            self.report = saved

    # -- laying out ---------------------------------------------------------------------
    def _layout(self, html: str, bare: bool = False):
        """WeasyPrint's layout of ``html``; without page margin boxes if ``bare`` (the full briefing replaces them)."""
        import weasyprint

        with faster_footnotes(), shared_stylesheets(self.stylesheets), without_margin_boxes(bare):
            return weasyprint.HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(font_config=self.fonts)

    def _guarded(self, doc: PrintDocument, work):
        """Run ``work()`` with WeasyPrint's warnings collected and its exceptions reported."""
        collector = Records()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        try:
            return work()
        except _CannotCompose:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; report and stop
            self.report.error(Location(self.print_rel), f"{doc.file}: layout failed: {type(exc).__name__}: {exc}", "pdf")
            return None
        finally:
            logger.removeHandler(collector)
            for message in dict.fromkeys(collector.messages):
                self.report.warning(Location(self.print_rel), f"{doc.file}: WeasyPrint: {message}", "pdf")

    def render(self, doc: PrintDocument) -> bytes | None:
        """Lay out a whole document (cover, contents, chapters, appendix) and return its PDF."""
        document = self.lay_out(doc)
        return None if document is None else self._guarded(doc, lambda: _write(document))

    def produce(self, doc: PrintDocument) -> bytes | None:
        """:meth:`render` a document, or only :meth:`lay_out` a bare one (``b""``); ``None`` on a problem."""
        if not doc.bare:
            return self.render(doc)
        return None if self.lay_out(doc) is None else b""

    def lay_out(self, doc: PrintDocument):
        """The laid-out document (WeasyPrint's), after as many passes as its repeated citations need.

        A document of one chapter keeps its layout for the full briefing; ``None`` on a problem.
        """

        def work():
            promoted = {c.name: set(self.chapter_promotions.get(c.page, ())) for c in doc.chapters}
            for _ in range(MAX_PASSES):
                html, footnotes = self.assemble(doc, promoted)
                document = self._layout(html, bare=doc.bare)
                page_of = _anchor_pages(document)
                # a repeated citation on another page than its footnote gets a footnote of its own;
                # only the first of a fact on each page: the others on that page then refer to it
                moved: dict[tuple[str, str, int | None], int] = {}
                for name, k, fact_id, ref, note in footnotes.repeats:
                    if page_of.get(ref) != page_of.get(note):
                        moved.setdefault((name, fact_id, page_of.get(ref)), k)
                if not moved:
                    break
                for (name, _, _), k in moved.items():
                    promoted[name].add(k)
            lost = [note for note in footnotes.notes if note not in page_of]
            if lost:
                self.report.error(
                    Location(self.print_rel),
                    f"{doc.file}: footnote(s) {', '.join(lost)} did not fit on any page; check the print CSS",
                    "pdf",
                )
            if len(doc.chapters) == 1:
                chapter = doc.chapters[0]
                self.chapter_promotions[chapter.page] = promoted[chapter.name]
                self.layouts[chapter.page] = document
            return document

        return self._guarded(doc, work)

    # -- the full briefing, in parts (see .split) ------------------------------------------
    def chapter_pages(self, chapter: Chapter) -> list:
        """The chapter's own pages in its layout: without the cover, contents and appendix of its page PDF."""
        document = self.layouts[chapter.page]
        page_of = _anchor_pages(document)
        if chapter.name not in page_of:
            raise _CannotCompose(f"no anchor for chapter {chapter.name}")
        return document.pages[page_of[chapter.name] : page_of.get(APPENDIX_ID, len(document.pages))]

    def summaries(self, chapters: list[Chapter]) -> dict[str, list[PageSummary]] | None:
        """Per chapter, a summary of each of its pages' content (no margin boxes); ``None`` if one has no anchor."""
        from weasyprint.document import Page

        try:
            return {
                chapter.page: [PageSummary.of(Page(page._page_box.copy_with_children(_content(page)))) for page in self.chapter_pages(chapter)]
                for chapter in chapters
            }
        except _CannotCompose:
            return None

    def full_part(self, doc: PrintDocument, pages: dict[str, list[PageSummary]], own: list[Chapter], front_pages: bool) -> tuple[bytes | None, list]:
        """The full briefing drawing only the pages of the ``own`` chapters, and the cover, contents and
        appendix if ``front_pages``; the other pages stand in blank (see :mod:`.split`).

        ``pages`` summarizes every chapter's pages. The front document is laid out once per renderer
        (its findings go to :attr:`report`). Returns the part (``None`` on a problem) and the
        findings of writing it.
        """
        front = self._front(doc, pages)
        if front is None:
            return None, []
        with self.reporting_to(Report()) as written:
            return self._guarded(doc, lambda: self._write_part(doc, front, pages, {c.page for c in own}, front_pages)), list(written)

    def page_numbers(self, doc: PrintDocument, pages: dict[str, list[PageSummary]], chapters: list[Chapter], front_pages: bool) -> list[int]:
        """The numbers (from 0) of the pages of ``chapters`` in the full briefing, and of the cover, contents
        and appendix if ``front_pages``: the pages of the part that draws them."""
        _, front, first = self._front_cache
        count = sum(len(pages[c.page]) for c in doc.chapters)
        numbers = list(range(first)) if front_pages else []
        number, wanted = first, {c.page for c in chapters}
        for chapter in doc.chapters:
            for _ in pages[chapter.page]:
                if chapter.page in wanted:
                    numbers.append(number)
                number += 1
        if front_pages:
            numbers.extend(range(first + count, len(front.pages)))
        return numbers

    def _front(self, doc: PrintDocument, pages: dict[str, list[PageSummary]]):
        """The front document: cover, contents, one empty sheet per chapter page (with the contents'
        targets, so that its page counters count the chapters' pages), appendix. ``None`` on a problem."""
        targets = {entry.target for chapter in doc.chapters for entry in chapter.toc}
        sheets = [
            {"chapter": chapter.title, "anchors": sorted(a for a in summary.anchors if a in targets)}
            for chapter in doc.chapters
            for summary in pages[chapter.page]
        ]
        if self._front_cache is not None and self._front_cache[0] == sheets:
            return self._front_cache[1]

        def work():
            html, _ = self.assemble(doc, {}, sheets=sheets)
            front = self._layout(html)
            page_of = _anchor_pages(front)
            first = page_of.get("sheet-1")
            if first is None or any(page_of.get(f"sheet-{i + 1}") != first + i for i in range(len(sheets))):
                raise _CannotCompose("the sheets of the front document are not one per page")
            self._front_cache = (sheets, front, first)
            return front

        return self._guarded(doc, work)

    def _write_part(self, doc: PrintDocument, front, pages: dict[str, list[PageSummary]], own: set[str], front_pages: bool) -> bytes:
        from weasyprint.document import Page

        _, _, first = self._front_cache
        count = sum(len(pages[c.page]) for c in doc.chapters)
        front_page = (lambda page: page) if front_pages else (lambda page: StandIn(PageSummary.of(page)))  # noqa: E731
        merged = [front_page(page) for page in front.pages[:first]]
        sheets = iter(front.pages[first : first + count])
        for chapter in doc.chapters:
            real = self.chapter_pages(chapter) if chapter.page in own else None
            for number, summary in enumerate(pages[chapter.page]):
                sheet = next(sheets)
                furniture = _furniture(sheet)
                if real is not None:
                    page = real[number]
                    merged.append(Page(page._page_box.copy_with_children(_content(page) + furniture)))
                else:
                    dressing = PageSummary.of(Page(sheet._page_box.copy_with_children(furniture)))
                    merged.append(StandIn(summary.followed_by(dressing)))
        merged.extend(front_page(page) for page in front.pages[first + count :])
        return _write(front.copy(merged))

    # -- HTML of one document ------------------------------------------------------
    def assemble(self, doc: PrintDocument, promoted: dict[str, set[int]], sheets: list[dict] | None = None) -> tuple[str, "_Footnotes"]:
        """The document's HTML, and its footnotes (with the repeated citations).

        With ``sheets``, the chapters are replaced by one empty page each (the front document of the full briefing).
        """
        numbering = _Footnotes(promoted)
        chapters = []
        sources: dict[str, None] = {}
        for chapter in doc.chapters:
            for fact_id in chapter.figures.used:
                for citation in self.fb.facts[fact_id].citations:
                    sources.setdefault(citation.source, None)
            for el in chapter.body.iter():
                if isinstance(el.tag, str) and el.get("data-source"):
                    sources.setdefault(el.get("data-source"), None)
            if sheets is not None:
                continue
            body = copy.deepcopy(chapter.body)
            self._rewrite_links(body, chapter)
            html = numbering.fill(_inner_html(body), chapter)
            chapters.append({"name": chapter.name, "title": chapter.title, "page": chapter.page, "html": Markup(html)})
        toc = [e for c in doc.chapters for e in c.toc]
        appendix = None
        if doc.appendix:
            ids = list(self.fb.sources) if doc.full else [s for s in self.fb.sources if s in sources]
            appendix = [self._source(self.fb.sources[s]) for s in ids]
            toc.append(TocEntry(1, APPENDIX_ID, "Sources" if doc.full else "Sources cited"))
        html = self.template.render(
            settings=self.fb.settings,
            title=self.fb.settings.title,
            subject=self.fb.settings.subject,
            desk=self.fb.settings.desk,
            document={"file": doc.file, "title": doc.title, "full": doc.full, "bare": doc.bare},
            chapters=chapters,
            sheets=sheets,
            toc=toc,
            appendix=appendix,
            dates=self.dates,
            lang=self.fb.settings.locale.replace("_", "-"),
            site_url=self.site.url,
            site_page=self.site.page_url(doc.chapters[0].page) if not doc.full and doc.chapters else self.site.url or None,
            statuses=[{"name": s, "sign": STATUS_SIGN[s], "text": STATUS_TEXT[s]} for s in STATUS_TEXT],
            counts={"facts": len(self.fb.facts), "sources": len(self.fb.sources), "reviews": len(self.fb.reviews)},
        )
        return html, numbering

    def _source(self, src) -> dict:
        fmt = self.fmt
        return {
            "id": src.id,
            "title": src.title,
            "publisher": src.publisher,
            "kind": src.kind.value,
            "published": {"iso": src.published.isoformat(), "text": fmt.date(src.published)} if src.published else None,
            "accessed": {"iso": src.accessed.isoformat(), "text": fmt.date(src.accessed)},
            "url": src.url,
            "archive_url": src.archive_url,
            "note": src.note,
        }

    def _rewrite_links(self, body, chapter: Chapter) -> None:
        """Links between pages point at the site: a chapter reads the same alone and in the full briefing."""
        for link in body.iter("a"):
            href = link.get("href")
            if not href or href.startswith("#") or urlsplit(href).scheme:
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.page), path)) if path else chapter.page
            if target == chapter.page:
                link.set("href", f"#{chapter.name}{_SEP}{fragment}" if fragment in chapter.ids else f"#{chapter.name}")
            elif target.endswith(".md") and (url := self.site.page_url(target)):
                link.set("href", url + (f"#{fragment}" if fragment else ""))
            elif not target.endswith(".md") and (base := self.site.page_url(chapter.page)):
                link.set("href", urljoin(base, href))  # a file of the site ("../data/facts.json")
            else:
                link.attrib.pop("href", None)


class _CannotCompose(Exception):
    """The full briefing cannot be put together from the chapters' layouts (it is then laid out whole)."""


class _Footnotes:
    """Numbers the citation placeholders of each chapter in reading order, from 1.

    The first citation of a fact in a chapter is a footnote; later ones refer to
    it by number, unless a layout pass found them on another page than that
    footnote (``promoted``: chapter name -> citation numbers), in which case they
    get a footnote of their own.
    """

    def __init__(self, promoted: dict[str, set[int]]) -> None:
        self.promoted = promoted
        #: (chapter, citation number, fact, anchor of the reference, anchor of its footnote) of each repeated citation
        self.repeats: list[tuple[str, int, str, str, str]] = []
        #: the anchor of every footnote
        self.notes: list[str] = []

    def fill(self, html: str, chapter: Chapter) -> str:
        name = chapter.name
        promoted = self.promoted.get(name, set())
        latest: dict[str, int] = {}
        counter = {"slot": 0, "note": 0}

        def replace(match: re.Match) -> str:
            fact_id = match.group(1)
            counter["slot"] += 1
            k = counter["slot"]
            if fact_id in latest and k not in promoted:
                n = latest[fact_id]
                ref, note = f"fnref-{name}-{k}", f"fn-{name}-{n}"
                self.repeats.append((name, k, fact_id, ref, note))
                return f'<a class="fn-again" id="{ref}" href="#{note}" data-fact="{fact_id}">{n}</a>'
            counter["note"] += 1
            n = latest[fact_id] = counter["note"]
            self.notes.append(f"fn-{name}-{n}")
            body = chapter.figures.footnote_body(fact_id)
            return f'<span class="footnote" id="fn-{name}-{n}" data-n="{n}" data-fact="{fact_id}">{body}</span>'

        return _SLOT.sub(replace, html)


def _write(document) -> bytes:
    """The PDF of a laid-out document; a leader's repeated text is shaped once (see :mod:`.leaders`)."""
    with shaped_once():
        return document.write_pdf()


def _content(page) -> list:
    """The boxes of a laid-out page but its margin boxes (running header and footer)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    return [box for box in page._page_box.children if not isinstance(box, MarginBox)]


def _furniture(page) -> list:
    """The margin boxes of a laid-out page: its running header and footer."""
    from weasyprint.formatting_structure.boxes import MarginBox

    return [box for box in page._page_box.children if isinstance(box, MarginBox)]


def _anchor_pages(document) -> dict[str, int]:
    """The page (0-based) of every anchor of a laid-out document."""
    page_of: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, number)
    return page_of


def _inner_html(element) -> str:
    import lxml.html

    text = Markup.escape(element.text or "")
    return str(text) + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


# -- dates -----------------------------------------------------------------------------------
def document_dates(fb: FactBase, report: Report | None = None) -> dict:
    """The cover's dates and the PDF metadata dates, none of them from the clock.

    "Facts as of" is the newest ``as_of`` of the facts; the build date is
    ``SOURCE_DATE_EPOCH`` when set, else the newest date in the records.
    """
    fmt = Formatter(fb.settings)
    as_of = max((f.as_of for f in fb.facts.values()), default=None)
    records = [f.as_of for f in fb.facts.values()] + [s.accessed for s in fb.sources.values()]
    built: dt.datetime | None = None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            built = dt.datetime.fromtimestamp(int(epoch.strip()), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            if report is not None:
                report.warning(Location("SOURCE_DATE_EPOCH"), f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}; using the records' newest date", "pdf")
    if built is None:
        newest = max(records, default=dt.date(1970, 1, 1))
        built = dt.datetime.fromtimestamp(calendar.timegm(newest.timetuple()), tz=dt.timezone.utc)
    stamp = built.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "facts_as_of": {"iso": as_of.isoformat(), "text": fmt.date(as_of)} if as_of else None,
        "built": {"iso": built.date().isoformat(), "text": fmt.date(built.date())},
        "created": stamp,
        "modified": stamp,
    }
