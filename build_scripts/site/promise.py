"""The central promise, checked on the built HTML: no figure in article prose without a source.

Every digit in a page's article must sit inside an element carrying
``data-fact`` (a figure rendered from a fact record) or one of the places
RECORDS.md exempts: footnotes and their markers, code, ``<time>`` dates,
bibliography entries (``data-source``), verbatim quotations (``data-quote``)
and elements explicitly marked ``data-figure-exempt`` (which are logged).
Site chrome is outside the article and so never scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..findings import Location, Report

DIGIT = re.compile(r"\d")
EXEMPT_TAGS = frozenset({"code", "pre", "kbd", "samp", "time", "script", "style", "template", "svg", "math"})
EXEMPT_ATTRS = ("data-fact", "data-figure-exempt", "data-source", "data-quote")
EXEMPT_CLASSES = frozenset({"footnote", "footnote-ref", "headerlink", "md-source-file", "md-content__button", "pdf-link", "chart__number"})  # a figure's number is not a figure
ARTICLE_SELECTOR = "article.md-content__inner"


@dataclass(frozen=True)
class Stray:
    """A digit in prose that no fact accounts for."""

    text: str
    snippet: str


def _exempt(tag) -> bool:
    if tag.name in EXEMPT_TAGS:
        return True
    if any(tag.has_attr(a) for a in EXEMPT_ATTRS):
        return True
    if tag.name == "sup" and (tag.get("id", "").startswith("fnref") or tag.find("a", class_="footnote-ref")):
        return True
    return bool(EXEMPT_CLASSES.intersection(tag.get("class", [])))


def scan_html(html: str, tree=None) -> tuple[list[Stray], list[str]]:
    """Stray digits in the article of a built page, and the texts exempted by ``data-figure-exempt``.

    The page is parsed with lxml (libxml2's HTML parser, the one BeautifulSoup's "lxml" builder
    drives) and walked as :func:`scan_html_soup` walks BeautifulSoup's tree, about ten times
    faster. Pages the walk would not read exactly like BeautifulSoup (no article element,
    processing instructions or entity nodes in the article) are scanned with BeautifulSoup.
    """
    try:
        return _scan_lxml(html, tree)
    except _UseSoup:
        return scan_html_soup(html)


class _UseSoup(Exception):
    """The lxml walk cannot vouch for this page."""


#: Tags whose strings BeautifulSoup types specially (Script, Stylesheet, TemplateString, ruby text):
#: ``get_text()`` leaves them out.
_STRING_CONTAINERS = frozenset({"script", "style", "template", "rt", "rp"})


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _exempt_lxml(el) -> bool:
    """:func:`_exempt` for an lxml element."""
    if el.tag in EXEMPT_TAGS:
        return True
    attrib = el.attrib
    if any(a in attrib for a in EXEMPT_ATTRS):
        return True
    if el.tag == "sup" and (
        (el.get("id") or "").startswith("fnref")
        or any("footnote-ref" in _classes(a) or a.get("class") == "footnote-ref" for a in el.iterdescendants("a"))
    ):
        return True
    return bool(EXEMPT_CLASSES.intersection(_classes(el)))


#: The marked elements in document order, found by libxml2 rather than by a walk in Python.
_EXEMPTED = etree.XPath("descendant-or-self::*[@data-figure-exempt]")


def _scan_lxml(html: str, root=None) -> tuple[list[Stray], list[str]]:
    """The walk of :func:`scan_html`; ``root``, if given, is the page already parsed by lxml."""
    if root is None:
        try:
            root = etree.HTML(html, etree.HTMLParser(recover=True))
        except (ValueError, etree.ParserError):
            raise _UseSoup from None
    if root is None:
        raise _UseSoup
    article = next((el for el in root.iter("article") if "md-content__inner" in _classes(el)), None)
    if article is None:
        raise _UseSoup  # BeautifulSoup falls back to the body or the whole document: let it
    for el in article.iter(etree.ProcessingInstruction, etree.Entity):
        raise _UseSoup
    exempted = [" ".join(" ".join(_main_strings(t)).split()) for t in _EXEMPTED(article)]
    strays: list[Stray] = []
    stack = [article]
    while stack:
        node = stack.pop()
        # BeautifulSoup's children of a tag: its text, then each child followed by its tail
        if node.text is not None and node.tag is not etree.Comment:
            _stray(node.text, strays)
        for child in node:
            if child.tag is etree.Comment:
                pass  # a comment's tail is a string of the parent, below
            elif not _exempt_lxml(child):
                stack.append(child)
            if child.tail is not None:
                _stray(child.tail, strays)
    return strays, exempted


def _stray(text: str, strays: list[Stray]) -> None:
    digit = DIGIT.search(text)
    if digit:
        around = text[max(0, digit.start() - 40) : digit.start() + 40]
        strays.append(Stray(text.strip(), " ".join(around.split())))


def _main_strings(tag):
    """The strings BeautifulSoup's ``tag.get_text()`` joins.

    BeautifulSoup types each string by the innermost script, style, template, rt or rp
    element around it, and ``get_text()`` keeps the strings of the tag's own type
    (plain strings, unless the tag is itself such an element); comments never.
    """
    outer = next((a.tag for a in tag.iterancestors() if a.tag in _STRING_CONTAINERS), None)
    wanted = tag.tag if tag.tag in _STRING_CONTAINERS else None

    def walk(el, around):
        inside = el.tag if el.tag in _STRING_CONTAINERS else around
        if el.text and inside == wanted:
            yield el.text
        for child in el:
            if child.tag is not etree.Comment:
                yield from walk(child, inside)
            if child.tail and inside == wanted:
                yield child.tail

    return walk(tag, outer)


def scan_html_soup(html: str) -> tuple[list[Stray], list[str]]:
    """:func:`scan_html` on BeautifulSoup's tree: the reference, and the way for pages lxml's walk does not take."""
    from bs4 import BeautifulSoup, NavigableString, Tag  # imported here: importing bs4 alone costs a build 0.2 s
    from bs4.element import Comment

    soup = BeautifulSoup(html, "lxml")
    article = soup.select_one(ARTICLE_SELECTOR) or soup.body or soup
    strays: list[Stray] = []
    exempted = [" ".join(t.get_text(" ").split()) for t in article.select("[data-figure-exempt]")]
    stack: list[Tag] = [article]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                text = str(child)
                digit = DIGIT.search(text)
                if digit:
                    around = text[max(0, digit.start() - 40) : digit.start() + 40]
                    strays.append(Stray(text.strip(), " ".join(around.split())))
            elif isinstance(child, Tag) and not _exempt(child):
                stack.append(child)
    return strays, exempted


def locate_in_source(source: Path, rel: str, stray: Stray) -> Location:
    """Where the stray text stands in the page's source (template or Markdown), else the file itself."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return Location(rel)
    number = DIGIT.search(stray.text)
    run = re.search(r"[\w.,%$¥€£]*\d[\w.,%]*", stray.text)
    needles = [stray.snippet, run.group(0) if run else "", stray.text[number.start():] if number else ""]
    for needle in (n for n in needles if n):
        for i, line in enumerate(lines, 1):
            col = line.find(needle)
            if col >= 0:
                # point at the digit itself, not the start of the snippet
                digit = DIGIT.search(line, col)
                return Location(rel, i, (digit.start() if digit else col) + 1)
    return Location(rel)


def check_page(html: str, source: Path, rel: str, page_url: str, report: Report, tree=None) -> list[str]:
    """Add an error for every stray digit of a built page; return the exempted texts for the build log.

    ``tree``, if given, is the page parsed by lxml (``lxml.html.document_fromstring``), read once
    for this scan and the link check."""
    strays, exempted = scan_html(html, tree)
    for stray in strays:
        report.error(
            locate_in_source(source, rel, stray),
            f"number in prose of page /{page_url} is not a figure from a fact: {stray.snippet!r}; "
            'place figures with fig("fact-id"), or mark the element data-figure-exempt',
            "figure-without-source",
        )
    return exempted
