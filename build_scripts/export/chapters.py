"""The chapters of the PDFs: every page of the site, rendered through the site's own rendering path.

The page templates are rendered by :func:`build_scripts.render.pages.render_pages`, the very
loop that renders the site's pages, with the print figure renderer
(:class:`~build_scripts.export.figures.PrintFigureRenderer`). Hand-written pages of the
navigation (``docs/methodology.md``) are read as they are. Each page's Markdown is converted
to HTML with the site's own Markdown extensions (from the mkdocs configuration), its ids
prefixed by the chapter's name, so that chapters can share one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..factbase import FactBase
from ..findings import Location, Report
from ..render.pages import Medium, render_pages
from .figures import PrintFigureRenderer
from .names import page_stem
from .site_info import SiteInfo

#: The fact register: its parts, one per fact file, are left out of the full briefing.
FACTS_PAGE = "facts.md"
#: The page that is itself the bibliography (no "Sources cited" appendix is added to it).
SOURCES_PAGE = "sources.md"
#: Reference pages: they close the full briefing, after the pages of the navigation.
APPENDIX_PAGES = (FACTS_PAGE, SOURCES_PAGE)
#: A chapter with more second-level headings than this lists only its title in the contents.
TOC_MAX_SECTIONS = 14
#: Between a chapter's name and an id of its page, in the ids of a document ("funding__key-figures").
SEP = "__"
#: Markdown extensions when there is no site configuration (the ones the page templates rely on).
DEFAULT_EXTENSIONS = ["tables", "attr_list", "md_in_html", "abbr", "toc"]

#: Print leaves out the structured data (JSON-LD) a page carries for search engines.
PRINT = Medium(figures=PrintFigureRenderer, context={"claim_review": lambda review, page: ""})


@dataclass
class Chapter:
    """One page for print: its HTML (ids prefixed by the chapter's name), title and outline depth."""

    page: str  # "funding.md"
    name: str  # "funding": the chapter's label, and the prefix of its ids
    source: str  # the template or the hand-written page it came from, relative to the root
    title: str
    body: Any  # lxml element holding the page
    figures: PrintFigureRenderer | None
    ids: set[str] = field(default_factory=set)  # the prefixed ids of the page
    outlined_levels: int = 2  # the heading levels the contents list


def part_of(page: str, reference: str) -> bool:
    """Whether ``page`` is the reference page ``reference`` or one of its parts (``sources/k.md``)."""
    return page == reference or page.startswith(page_stem(reference) + "/")


def in_full_briefing(page: str) -> bool:
    """Whether the full briefing holds the page: all but the parts of a fact register split by topic.

    Each part (``facts/funding.md``) repeats, as a table, the figures and footnotes that the
    briefing's pages already print; it has a PDF of its own. At 1,000 facts the parts would make
    half of the full briefing's pages, and most of its layout time and memory (BENCHMARKS.md,
    "PDF engine"). The register's own page, and the bibliography with its parts, stay.
    """
    return not (part_of(page, FACTS_PAGE) and page != FACTS_PAGE)


def is_bibliography(page: str) -> bool:
    """Whether the page is the bibliography, or a part of it."""
    return part_of(page, SOURCES_PAGE)


def render_chapters(fb: FactBase, site: SiteInfo, report: Report) -> list[Chapter]:
    """Every page template rendered for print, and the navigation's hand-written pages; problems go to ``report``."""
    pages = render_pages(fb, report, directory_urls=site.directory_urls, medium=PRINT)
    converter = markdown_converter(site)
    chapters = [make_chapter(p.name, p.template, p.markdown, p.figures, converter) for p in pages]
    rendered = {c.page for c in chapters}
    if site.docs_dir is not None:
        for page in site.nav:
            path = site.docs_dir / page
            if page in rendered or not path.is_file():
                continue
            rel = path.relative_to(fb.root).as_posix() if path.is_relative_to(fb.root) else str(path)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                report.error(Location(rel), f"cannot read the page for the PDFs: {exc}", "pdf")
                continue
            chapters.append(make_chapter(page, rel, text, None, converter))
            rendered.add(page)
    return chapters


def markdown_converter(site: SiteInfo):
    """A Markdown converter set up as the site's (same extensions, same options), for every page in turn."""
    import markdown

    extensions = site.markdown_extensions or DEFAULT_EXTENSIONS
    return markdown.Markdown(extensions=extensions, extension_configs=site.markdown_configs, output_format="html")


def markdown_to_html(text: str, converter) -> str:
    """The page's HTML, converted as the site converts it."""
    return converter.reset().convert(text)


def make_chapter(page: str, source: str, text: str, figures: PrintFigureRenderer | None, converter) -> Chapter:
    """The chapter of one page: Markdown to HTML, scripts dropped, headings given ids, ids prefixed."""
    import lxml.html

    name = page_stem(page).replace("/", "-")
    body = lxml.html.fragment_fromstring(markdown_to_html(text, converter) or "<p></p>", create_parent="div")
    for script in body.xpath(".//script"):
        script.drop_tree()
    # the site's heading permalinks ("¶") and a record's link to itself lead nowhere on paper
    for link in body.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ') or contains(concat(' ', @class, ' '), ' fact-permalink ')]"):
        if "headerlink" in (link.get("class") or "").split():
            link.drop_tree()
        else:
            link.drop_tag()
    taken = {el.get("id") for el in body.iter() if isinstance(el.tag, str) and el.get("id")}
    for heading in body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if not heading.get("id"):
            slug = _slug(heading.text_content())
            candidate, n = slug, 1
            while candidate in taken:
                n += 1
                candidate = f"{slug}-{n}"
            heading.set("id", candidate)
            taken.add(candidate)
    ids = set()
    for el in body.iter():
        if isinstance(el.tag, str) and el.get("id"):
            el.set("id", f"{name}{SEP}{el.get('id')}")
            ids.add(el.get("id"))
    for link in body.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            link.set("href", f"#{name}{SEP}{href[1:]}")
    h1 = next(body.iter("h1"), None)
    title = " ".join(h1.text_content().split()) if h1 is not None else name.replace("-", " ").capitalize()
    sections = sum(1 for _ in body.iter("h2"))
    levels = 1 if sections > TOC_MAX_SECTIONS or is_bibliography(page) else 2
    return Chapter(page, name, source, title, body, figures, ids, levels)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _appendix_rank(page: str) -> int | None:
    """The place of a reference page among the appendices (facts, then sources; each index, then its parts)."""
    return next((rank for rank, appendix in enumerate(APPENDIX_PAGES) if part_of(page, appendix)), None)


def order_chapters(chapters: list[Chapter], nav: list[str]) -> list[Chapter]:
    """Navigation order; pages not in the navigation follow, then the reference pages (facts, sources)."""
    by_page = {c.page: c for c in chapters}
    ordered = [by_page[p] for p in dict.fromkeys(nav) if p in by_page and _appendix_rank(p) is None]
    rest = [c for c in chapters if c not in ordered and _appendix_rank(c.page) is None]
    rest.sort(key=lambda c: (c.page != "index.md", c.page))
    appendix = sorted((c for c in chapters if _appendix_rank(c.page) is not None), key=lambda c: (_appendix_rank(c.page), "/" in c.page, c.page))
    return ordered + rest + appendix
