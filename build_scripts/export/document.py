"""One PDF as a Typst document: which chapters it holds, and its source and data for the compiler.

The source is short: it imports the print template (``templates/print/briefing.typ``),
applies its ``briefing`` function and holds each chapter's markup (see :mod:`.markup`).
What the document says about itself (title, dates, publisher, addresses, the sources it
cites) goes to the template as JSON (:func:`document_meta`), so the design is in one file.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..factbase import FactBase
from ..render.figures import STATUS_SIGN, STATUS_TEXT
from ..render.formatting import Formatter
from .chapters import SEP, Chapter, is_bibliography
from .markup import Links, Writer, string
from .site_info import SiteInfo

#: The print template, in ``templates/print/``.
TEMPLATE = "briefing.typ"
#: The label of the "sources cited" appendix.
APPENDIX_ID = "appendix-sources"
#: Addresses a link may lead to from a PDF; any other scheme is dropped, its text kept.
LINK_SCHEMES = ("http", "https", "mailto")


@dataclass
class PrintDocument:
    """One PDF: a cover, the contents, the chapters, and (unless a chapter is the bibliography) the sources cited."""

    file: str
    title: str
    chapters: list[Chapter]
    full: bool = False

    @property
    def appendix(self) -> bool:
        return not any(is_bibliography(c.page) for c in self.chapters)


@dataclass(frozen=True)
class Edition:
    """What every document of one export shares: the records, the site, the dates."""

    fb: FactBase
    site: SiteInfo
    fmt: Formatter
    facts_as_of: dict | None
    built: dict
    date: tuple[int, int, int]


def source_text(doc: PrintDocument, edition: Edition) -> str:
    """The Typst source of ``doc``: the template applied to each chapter's markup."""
    labels = {APPENDIX_ID} | {c.name for c in doc.chapters} | {i for c in doc.chapters for i in c.ids}
    by_page = {c.page: c for c in doc.chapters}
    notes: dict[str, str] = {}
    parts = [f'#import "/{TEMPLATE}": *', "#show: briefing", ""]
    for chapter in doc.chapters:
        links = Links(
            resolve=lambda href, chapter=chapter: _resolve(href, chapter, by_page, labels, edition.site),
            note=lambda fact_id, chapter=chapter: str(chapter.figures.footnote_body(fact_id)),
            notes_markup=notes,  # a fact's footnote reads the same in every chapter: written once
        )
        writer = Writer(chapter.name, links, chapter.outlined_levels)
        writer.collect_footnotes(chapter.body)
        parts.append(f"#chapter(name: {string(chapter.name)}, title: {string(chapter.title)})[")
        parts.append(writer.flow(chapter.body))
        parts.append("]")
        parts.append("")
    return "\n".join(parts)


def _resolve(href: str, chapter: Chapter, by_page: dict[str, Chapter], labels: set[str], site: SiteInfo) -> tuple[str, str] | None:
    """Where a link of ``chapter`` leads in this document: a label, an address, or nowhere (``None``).

    A link to a page of the document leads into it; to a page of the site that is not in the
    document, to the site (when it has an address); to anything else, nowhere: its text stays.
    """
    if not href:
        return None
    if href.startswith("#"):
        return ("label", href[1:]) if href[1:] in labels else None
    parts = urlsplit(href)
    if parts.scheme:
        return ("url", href) if parts.scheme in LINK_SCHEMES else None
    if parts.netloc:
        return None
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.page), path)) if path else chapter.page
    if target in by_page:
        name = by_page[target].name
        inside = f"{name}{SEP}{fragment}"
        return ("label", inside if fragment and inside in labels else name)
    if target.endswith(".md"):
        url = site.page_url(target)
        return ("url", url + (f"#{fragment}" if fragment else "")) if url else None
    base = site.page_url(chapter.page)
    return ("url", urljoin(base, href)) if base else None  # a file of the site ("../data/facts.json")


def document_meta(doc: PrintDocument, edition: Edition) -> str:
    """What the print template shows of ``doc`` beyond its chapters, as JSON."""
    fb, site = edition.fb, edition.site
    settings = fb.settings
    cited: dict[str, None] = {}
    for chapter in doc.chapters:
        for fact_id in chapter.figures.used if chapter.figures else ():
            for citation in fb.facts[fact_id].citations:
                cited.setdefault(citation.source, None)
        for el in chapter.body.iter():
            if isinstance(el.tag, str) and el.get("data-source") in fb.sources:
                cited.setdefault(el.get("data-source"), None)
    appendix = None
    if doc.appendix:
        ids = list(fb.sources) if doc.full else [s for s in fb.sources if s in cited]
        appendix = {
            "title": "Sources" if doc.full else "Sources cited",
            "intro": (
                f"The documents {'this briefing draws' if doc.full else 'this section draws'} on, in the order of the "
                "desk's bibliography. The desk quotes them only in short excerpts."
            ),
            "sources": [_source(fb.sources[s], edition.fmt) for s in ids],
        }
    site_page = site.page_url(doc.chapters[0].page) if not doc.full and doc.chapters else None
    meta = {
        "title": settings.title,
        "document-title": settings.title if doc.full else f"{settings.title}: {doc.title}",
        "subject": settings.subject,
        "desk": settings.desk,
        "licence": settings.licence,
        "licence-url": settings.licence_url,
        "lang": settings.locale.split("_")[0].lower(),
        "part-label": "Edition" if doc.full else "Section",
        "part": "Full briefing" if doc.full else doc.title,
        "facts-as-of": edition.facts_as_of,
        "built": edition.built,
        "date": list(edition.date),
        "counts": {"facts": len(fb.facts), "sources": len(fb.sources), "reviews": len(fb.reviews)},
        "site-url": site.url or None,
        "site-page": site_page or site.url or None,
        "report-address": site.report_address,
        "statuses": [{"name": s, "sign": STATUS_SIGN[s], "text": STATUS_TEXT[s]} for s in STATUS_TEXT],
        "appendix": appendix,
    }
    return json.dumps(meta, ensure_ascii=False, sort_keys=True)


def _source(src, fmt: Formatter) -> dict:
    return {
        "id": src.id,
        "title": src.title,
        "publisher": src.publisher,
        "kind": src.kind.value,
        "published": fmt.date(src.published) if src.published else None,
        "accessed": fmt.date(src.accessed),
        "url": src.url,
        "archive-url": src.archive_url,
        "note": src.note,
    }
