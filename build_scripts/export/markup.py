"""The HTML of a rendered page written as Typst markup, for the PDFs.

Why by hand: the page templates produce Markdown, which Python-Markdown (with the
site's own extensions) turns into HTML; Typst reads neither. There is no pandoc
wheel, and the HTML here is a small, known set of elements: headings,
paragraphs, lists, definition lists, tables, emphasis, links, quotes, abbr,
footnote references, the citation placeholders of
:class:`~build_scripts.export.figures.PrintFigureRenderer` and figures holding an
inline SVG chart. Each becomes a call of a Typst function (``#strong[...]``,
``#table(...)``, or a function of the print template such as ``#note`` or
``#chart``), never Typst's lightweight syntax, and every character of text that
Typst's markup gives a meaning to is escaped (:func:`text`), so that record text
(quotes, titles, labels) reaches the page as text. Elements outside the set keep
their text. Element ids become labels, and links to them internal links.
"""

from __future__ import annotations

import copy

import math
import re
from dataclasses import dataclass, field
from typing import Callable

#: Characters with a meaning in Typst markup, escaped with a backslash (which Typst reads as the
#: character itself): always the markup and code characters and the quotes (smart quotes would
#: change a verbatim quote); the others only where they would form a shorthand or a comment
#: (``--``, ``-?``, ``...``, ``//``, ``/*``), so that text stays one run of text (many escapes make
#: many tiny text elements, and a large document slow to lay out).
_SPECIAL = re.compile(r"""([\\#*_$@<>\[\]`~=+'"]|-(?=[-?])|\.(?=\.)|/(?=[/*]))""")
#: At the start of a run, what could begin a list, a heading or a term, or continue (or, for a
#: semicolon, end) the function call written just before.
_LEADING = re.compile(r"^(?:(\d+)\.|([-+./(;]))")
_SPACE = re.compile(r"[ \t\r\n\f]+")
_LABEL = re.compile(r"[^A-Za-z0-9_.:-]")

BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th blockquote figure figcaption "
    "div section article aside nav header footer hr pre details summary".split()
)
#: Left out of print: scripts, and the site's controls (the Facts table's filter), which do nothing on paper.
SKIPPED = frozenset("script style template noscript form select option button input textarea output label".split())


def text(value: str) -> str:
    """Text as Typst markup: whitespace collapsed, every markup character escaped."""
    escaped = _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", value))
    return _LEADING.sub(lambda m: f"{m.group(1)}\\." if m.group(1) is not None else "\\" + m.group(2), escaped)


def string(value: str) -> str:
    """A Typst string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def label_name(anchor: str) -> str:
    """The Typst label of an HTML id (a label may hold letters, digits and ``_.:-``)."""
    return _LABEL.sub("-", anchor) or "-"


def label(anchor: str) -> str:
    """A label attached to the element written just before it."""
    return f"#label({string(label_name(anchor))})"


def _take_source_line(caption_el) -> str:
    """The chart's "Source: ..." line, as the site's caption gives it (render/charts.py), taken out of the
    caption so that the print template sets it on a line of its own, once."""
    line = next((n for n in caption_el.iter("span") if "chart__source" in (n.get("class") or "").split()), None)
    if line is None:
        return ""
    words = " ".join(line.text_content().split())
    parent = line.getparent()
    if line.tail:  # keep what follows the line in the caption
        before = line.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + line.tail
        else:
            parent.text = (parent.text or "") + line.tail
    parent.remove(line)
    return words.removeprefix("Source:").strip().removesuffix(".")


@dataclass
class Links:
    """How one chapter's links and citations are written: ``resolve(href)`` gives a label (internal), an address, or ``None``.

    ``note(fact_id)`` is the HTML of the footnote of a cited fact.
    """

    resolve: Callable[[str], tuple[str, str] | None]
    note: Callable[[str], str]
    #: the number of the footnote of each fact cited in the chapter, from 1
    noted: dict[str, int] = field(default_factory=dict)
    #: each cited fact's footnote written as Typst, written once
    notes_markup: dict[str, str] = field(default_factory=dict)


class Writer:
    """Writes one chapter's HTML (an lxml element) as Typst markup."""

    def __init__(self, chapter: str, links: Links, outlined_levels: int = 2) -> None:
        self.chapter = chapter
        self.links = links
        self.outlined_levels = outlined_levels
        self.footnotes: dict[str, object] = {}  # Markdown footnotes of a hand-written page, by id

    # -- blocks -------------------------------------------------------------------------
    def flow(self, element) -> str:
        """The children of ``element``: runs of inline content as paragraphs, blocks as blocks."""
        out: list[str] = []
        run: list[str] = []

        def close_run() -> None:
            joined = "".join(run).strip()
            if joined:
                out.append(joined)
            run.clear()

        if element.text:
            run.append(text(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag in BLOCKS:
                close_run()
                block = self.block(child)
                if block:
                    out.append(block)
            elif tag is not None:
                run.append(self.inline(child))
            if child.tail:
                run.append(text(child.tail))
        close_run()
        return "\n\n".join(out)

    def block(self, el) -> str:
        tag = el.tag
        cls = el.get("class") or ""
        anchor = self._anchor(el)
        if tag in SKIPPED or el.get("hidden") is not None or "footnote" in cls.split() and tag == "div":
            return ""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = int(tag[1])
            outlined = "true" if level <= self.outlined_levels else "false"
            own = el.get("id")
            tail = label(own) if own else ""
            return f"#heading(level: {level}, outlined: {outlined})[{self.inline_children(el).strip()}]{tail}"
        if tag == "p":
            return anchor + self.inline_children(el).strip()
        if tag in ("ul", "ol"):
            points = self._points(el, anchor)
            if points is not None:
                return points
            items = [f"[{self.flow(li)}]" for li in el if isinstance(li.tag, str) and li.tag == "li"]
            if not items:
                return anchor
            if tag == "ol":
                start = el.get("start")
                first = f"start: {int(start)}, " if start and start.isdigit() else ""
                return anchor + f"#enum({first}{', '.join(items)})"
            return anchor + f"#list({', '.join(items)})"
        if tag == "dl":
            return anchor + self._terms(el)
        if tag == "table":
            return anchor + self._table(el)
        if tag == "blockquote":
            return anchor + f"#quote(block: true)[{self.flow(el)}]"
        if tag == "figure":
            return anchor + self._figure(el)
        if tag == "hr":
            return "#rule()"
        if tag == "pre":
            return anchor + f"#raw(block: true, {string(el.text_content())})"
        if tag == "details":
            return anchor + self.flow(el)
        if tag == "summary":
            return anchor + f"#strong[{self.inline_children(el).strip()}]"
        return anchor + self.flow(el)  # div, section, li, dd... and the block elements without a look of their own

    def _points(self, el, anchor: str = "") -> str | None:
        """A list whose items cite sources, as paragraphs with a hanging marker (``#point``), the list's
        ``anchor`` in the first; ``None`` for any other list, and for items holding more than paragraphs
        (a nested list, a table).

        Typst lays a list out as one block, and a block holding footnotes again and again as each
        footnote takes room at the page foot; a page of key figures, each with its footnote, costs
        many times the time and memory of the same text as paragraphs, which take their footnotes
        line by line (measured in BENCHMARKS.md, "PDF engine")."""
        items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
        if not items or not any(_cites(li) for li in items):
            return None
        for li in items:
            blocks = [c for c in li if isinstance(c.tag, str) and c.tag in BLOCKS]
            if any(c.tag != "p" for c in blocks):
                return None
            if blocks and ((li.text or "").strip() or any((c.tail or "").strip() or c.tag != "p" for c in li)):
                return None  # text beside the paragraphs: kept as a list
        start = el.get("start")
        first = int(start) if el.tag == "ol" and start and start.isdigit() else 1
        out = []
        for n, li in enumerate(items):
            marker = string(f"{first + n}." if el.tag == "ol" else "•")
            numbered = ", numbered: true" if el.tag == "ol" else ""
            paragraphs = [c for c in li if isinstance(c.tag, str) and c.tag == "p"]
            parts = [self._anchor(p) + self.inline_children(p).strip() for p in paragraphs] if paragraphs else [self.inline_children(li).strip()]
            for i, part in enumerate(parts):
                mark = anchor.strip() if not out else ""  # a link to the list leads to its first item
                out.append(f"#point({marker if i == 0 else 'none'}{numbered})[{mark}{part}]")
        return "\n".join(out)

    def _anchor(self, el) -> str:
        """A target for links to an element that is not a heading: an invisible mark carrying its id."""
        anchor = el.get("id")
        return f"#metadata(none){label(anchor)} " if anchor and el.tag not in ("h1", "h2", "h3", "h4", "h5", "h6") else ""

    def _terms(self, el) -> str:
        items, term = [], None
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "dt":
                term = self.inline_children(child).strip()
            elif child.tag == "dd":
                items.append(f"terms.item[{term or ''}][{self.flow(child)}]")
                term = None
            elif child.tag == "div":  # <div><dt/><dd/></div>, as HTML allows
                for sub in child:
                    if sub.tag == "dt":
                        term = self.inline_children(sub).strip()
                    elif sub.tag == "dd":
                        items.append(f"terms.item[{term or ''}][{self.flow(sub)}]")
                        term = None
        return f"#terms({', '.join(items)})" if items else ""

    def _table(self, el) -> str:
        head: list[list] = []
        body: list[list] = []
        for part in el:
            if not isinstance(part.tag, str):
                continue
            rows = [part] if part.tag == "tr" else [r for r in part if isinstance(r.tag, str) and r.tag == "tr"]
            (head if part.tag == "thead" else body).extend([[c for c in r if isinstance(c.tag, str) and c.tag in ("td", "th")] for r in rows])
        rows_all = head + body
        if not rows_all:
            return ""
        columns = max(sum(int(c.get("colspan") or 1) for c in row) for row in rows_all)
        # column widths from the longest text of each column: a long quote gets room, a date does not
        longest = [1] * columns
        for row in rows_all:
            for i, cell in enumerate(row[:columns]):
                longest[i] = max(longest[i], len(cell.text_content()))
        widths = ", ".join(f"{max(4.0, math.sqrt(n)):.1f}fr" for n in longest)  # a short column still fits a date

        def cells(row, row_el=None) -> list[str]:
            out = []
            for i, cell in enumerate(row):
                content = self.flow(cell)
                if i == 0 and row_el is not None and row_el.get("id"):  # a fact's row: the target of its permalink
                    content = f"#metadata(none){label(row_el.get('id'))} " + content
                span = int(cell.get("colspan") or 1)
                out.append(f"table.cell(colspan: {span})[{content}]" if span > 1 else f"[{content}]")
            return out

        row_elements = [row[0].getparent() if row else None for row in rows_all]
        parts = []
        if head:
            parts.append("table.header(" + ", ".join(c for row, r in zip(head, row_elements) for c in cells(row, r)) + ")")
        for row, r in zip(body, row_elements[len(head) :]):
            parts.extend(cells(row, r))
        return f"#data-table(columns: ({widths},), {', '.join(parts)})"

    def _figure(self, el) -> str:
        svg = next((s for s in el.iter() if isinstance(s.tag, str) and _local(s.tag) == "svg"), None)
        caption_el = next((c for c in el if isinstance(c.tag, str) and c.tag == "figcaption"), None)
        if caption_el is not None:  # a copy: the chapter's tree is written again for the full briefing
            caption_el = copy.deepcopy(caption_el)
        source_line = _take_source_line(caption_el) if caption_el is not None else ""
        caption = self.inline_children(caption_el).strip() if caption_el is not None else ""
        alt = " ".join((caption_el.text_content() if caption_el is not None else "").split())
        if svg is None:
            return self.flow(el)
        import lxml.etree

        title = next((t.text for t in svg.iter() if isinstance(t.tag, str) and _local(t.tag) == "title" and t.text), "")
        # Typst's SVG renderer does not apply pygal's rules for its background rectangles (a child
        # selector, the keyword `transparent`) and would paint them black: on paper they are nothing.
        for node in svg.iter():
            if isinstance(node.tag, str) and "background" in (node.get("class") or "").split():
                node.set("fill", "none")
        source = lxml.etree.tostring(svg, encoding="unicode")
        return (
            f"#chart(name: {string(el.get('data-chart') or '')}, title: [{text(title)}], "
            f"image: image(bytes({string(source)}), alt: {string(alt or title or 'Chart')}, width: 100%), "
            f"caption: [{caption}], source: [{text(source_line)}])"
        )

    # -- inline -------------------------------------------------------------------------
    def inline_children(self, el) -> str:
        out = [text(el.text)] if el.text else []
        for child in el:
            if isinstance(child.tag, str):
                out.append(self.inline(child))
            if child.tail:
                out.append(text(child.tail))
        return "".join(out)

    def inline(self, el) -> str:
        tag = el.tag
        cls = (el.get("class") or "").split()
        if tag in SKIPPED or el.get("hidden") is not None:
            return ""
        if tag == "span" and "fn-slot" in cls:
            return self._citation(el.get("data-fact") or "")
        if tag == "a":
            if "headerlink" in cls or "footnote-backref" in cls:
                return ""
            if "footnote-ref" in cls:
                return self._markdown_footnote(el.get("href") or "")
            return self._link(el)
        if tag == "sup" and len(el) == 1 and "footnote-ref" in (el[0].get("class") or ""):
            return self._markdown_footnote(el[0].get("href") or "")
        inner = self.inline_children(el)
        if el.get("id"):
            inner = f"#metadata(none){label(el.get('id'))}" + inner
        if tag in ("strong", "b"):
            return f"#strong[{inner}]"
        if tag in ("em", "i", "cite"):
            return f"#emph[{inner}]"
        if tag in ("del", "s"):
            return f"#strike[{inner}]"
        if tag == "q":
            return f"#quote[{inner}]"
        if tag == "code":
            return f"#raw({string(el.text_content())})"
        if tag == "sup":
            return f"#super[{inner}]"
        if tag == "sub":
            return f"#sub[{inner}]"
        if tag == "br":
            return "#linebreak()"
        if tag == "small":
            return f"#text(size: 0.85em)[{inner}]"
        if tag == "span" and "status-flag" in cls:
            status = next((c.split("--", 1)[1] for c in cls if c.startswith("status-flag--")), "")
            return f"#flag({string(status)})[{inner}]"
        if tag == "span" and "fact" in cls and not ({"fact--text", "fact--names", "fact--converted"} & set(cls)):
            return f"#fact[{inner}]"
        if tag in ("svg", "img"):
            return text(el.get("alt") or "")
        if tag in BLOCKS:  # a block inside inline content (a list in a table cell)
            return f"#block[{self.block(el)}]"
        return inner

    def _link(self, el) -> str:
        inner = self.inline_children(el)
        target = self.links.resolve(el.get("href") or "")
        if target is None:
            return inner
        kind, where = target
        if kind == "label":
            return f"#link(label({string(label_name(where))}))[{inner}]"
        return f"#link({string(where)})[{inner}]"

    def _citation(self, fact_id: str) -> str:
        """A citation: the fact's footnote the first time in the chapter, numbered here (from 1 in each
        chapter, as the template's counter counts them); later, the same footnote again (see ``again``
        in the print template: a reference on the page of the footnote, a copy on another page)."""
        body = self.links.notes_markup.get(fact_id)
        if body is None:
            import lxml.html

            note = lxml.html.fragment_fromstring(self.links.note(fact_id), create_parent="span")
            body = self.links.notes_markup[fact_id] = self.inline_children(note).strip()
        number = self.links.noted.get(fact_id)
        if number is not None:
            return f"#again({string(_note_label(self.chapter, number))}, {number})[{body}]"
        number = self.links.noted[fact_id] = len(self.links.noted) + 1
        return f"#note({string(_note_label(self.chapter, number))}, {number})[{body}]"

    def _markdown_footnote(self, href: str) -> str:
        """A footnote of a hand-written page (Python-Markdown's footnotes extension), at its reference."""
        note = self.footnotes.get(href.lstrip("#"))
        if note is None:
            return ""
        return f"#footnote[{self.flow(note).strip()}]"

    def collect_footnotes(self, root) -> None:
        """The Markdown footnotes of a page (``<div class="footnote">``), to be written at their references."""
        for div in root.iter("div"):
            if "footnote" in (div.get("class") or "").split():
                for li in div.iter("li"):
                    if li.get("id"):
                        self.footnotes[li.get("id")] = li


def _cites(el) -> bool:
    """Whether ``el`` holds a citation or a footnote reference (a footnote at the page foot)."""
    return any(
        isinstance(d.tag, str) and ("fn-slot" in (d.get("class") or "").split() or "footnote-ref" in (d.get("class") or "").split())
        for d in el.iter()
    )


def _note_label(chapter: str, number: int) -> str:
    return label_name(f"fn-{chapter}-{number}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
