"""The template functions that place figures on a page.

Templates never type a number: they call ``fig("fact-id")`` and friends,
which format the value, wrap it in an element carrying ``data-fact`` and add a
footnote citing the sources. The footnote definitions are collected per page
and appended by :mod:`build_scripts.render.pages`.
"""

from __future__ import annotations

from decimal import Decimal

from babel.lists import format_list

from .escaping import Safe as Markup  # escapes for HTML and Markdown alike (see escaping.py)
from .escaping import escape_text as escape

from ..check.rates import reference_rate
from ..factbase import FactBase
from ..records.models import Fact
from .formatting import Formatter

STATUS_TEXT = {
    "confirmed": "Confirmed: stated by an official document, or by two independent origins that agree (outlets relaying one report count once).",
    "reported": "Reported: one origin only; not yet confirmed independently.",
    "disputed": "Disputed: the sources disagree, or the desk doubts the figure. See “Where sources disagree”.",
    "retracted": "Retracted: the desk withdrew this figure; it is kept for the record.",
}
#: The status as a word, for readers (the key to the marks, the cards, the tables).
STATUS_WORDS = {"confirmed": "Confirmed", "reported": "Reported", "disputed": "Disputed", "retracted": "Retracted"}
#: A source's kind, as the Sources page says it.
KIND_WORDS = {
    "government": "government publication",
    "wire": "news agency report",
    "news": "news report",
    "analysis": "analysis or commentary",
    "aggregator": "aggregator: a site that republishes other publishers' reports",
    "dataset": "dataset",
}
STATUS_SIGN = {"confirmed": "✓", "reported": "●", "disputed": "⚠", "retracted": "✗"}


def source_name(src, locale: str = "en") -> str:
    """The publisher as readers see it: "ABAB News, relaying Kyodo News" where the document relays another's report;
    an aggregator named as such ("Gate (aggregator)") unless its name says so already."""
    name = src.publisher
    if src.kind.value == "aggregator" and "aggregator" not in name.casefold():
        name += " (aggregator)"
    return f"{name}, relaying {format_list(list(src.via), locale=locale)}" if src.via else name


def independent_sources(fb: FactBase, fact_id: str) -> int:
    """How many independent origins back the fact, as the checker counted them when it derived the status
    (outlets relaying one report count once)."""
    derived = fb.derived.get(fact_id)
    return len(derived.origins) if derived is not None else 0


def page_url(page: str, directory_urls: bool = True) -> str:
    """The address of page ``page`` ("facts/funding.md") from the site's root, as mkdocs writes it."""
    name = page[:-3] if page.endswith(".md") else page
    if not directory_urls:
        return f"{name}.html"
    if name == "index" or name.endswith("/index"):
        return name[: -len("index")]
    return f"{name}/"


def record_pages(fb: FactBase):
    """Where records live: ``(page of a topic's facts, page of a source)``, as functions.

    The Facts page (``facts.md``) and the Sources page (``sources.md``) hold every record, unless
    the templates split them (``facts/[topic].md.j2``, ``sources/[letter].md.j2``; see
    :mod:`build_scripts.render.pages`).
    """
    templates = fb.root / fb.settings.templates_dir
    by_topic = (templates / "facts" / "[topic].md.j2").is_file()
    by_letter = (templates / "sources" / "[letter].md.j2").is_file()
    return (
        (lambda topic: f"facts/{topic}.md") if by_topic else (lambda topic: "facts.md"),
        (lambda source_id: f"sources/{source_id[0]}.md") if by_letter else (lambda source_id: "sources.md"),
    )


def permalink(fb: FactBase, fact_id: str, site_url: str = "", directory_urls: bool = True, facts_page=None) -> str:
    """The address of a fact's record on the site (absolute with ``site_url``, else from the site's root).

    ``facts_page`` is :func:`record_pages`' first function (looked up when not given).
    """
    facts_page = facts_page or record_pages(fb)[0]
    base = site_url.rstrip("/") + "/" if site_url else ""
    return f"{base}{page_url(facts_page(fb.facts[fact_id].topic), directory_urls)}#{fact_id}"


class UnknownFact(KeyError):
    """A template named a fact id that does not exist."""


class FigureRenderer:
    """The figure functions of one page, collecting the footnotes the page needs."""

    def __init__(self, fb: FactBase, formatter: Formatter, page: str = "index.md", directory_urls: bool = True) -> None:
        self.fb = fb
        self.fmt = formatter
        self.page = page
        self.directory_urls = directory_urls
        self.used: dict[str, None] = {}
        self.charts = 0  # charts placed so far: they are numbered per page

    def number_chart(self) -> int:
        """The number of the next chart on this page (Figure 1, 2, ...)."""
        self.charts += 1
        return self.charts

    def href(self, target: str) -> str:
        """The URL of ``target`` ("facts.md#id") relative to this page, as mkdocs would write it.

        Raw HTML links are not rewritten by mkdocs, so the figure markup computes them itself.
        """
        path, _, fragment = target.partition("#")
        return self.up() + page_url(path, self.directory_urls) + (f"#{fragment}" if fragment else "")

    def up(self) -> str:
        """The way from this page's folder in the built site up to the site's root (``""``, ``"../"``...)."""
        return "../" * page_url(self.page, self.directory_urls).count("/")

    def fact_href(self, fact_id: str) -> Markup:
        """The URL of a fact's record (its row on the Facts page, or on its topic's page: see :func:`record_pages`).

        Markup as it is: built from validated slugs (fact ids, fact file names).
        """
        facts_page, _ = self._record_pages()
        return Markup(self.href(f"{facts_page(self.fact(fact_id).topic)}#{fact_id}"))

    def source_href(self, source_id: str) -> Markup:
        """The URL of a source's entry on the Sources page (or on its letter's page); markup, as :meth:`fact_href`."""
        if source_id not in self.fb.sources:
            raise KeyError(f"unknown source id {source_id!r}")
        _, sources_page = self._record_pages()
        return Markup(self.href(f"{sources_page(source_id)}#source-{source_id}"))

    def _record_pages(self):
        if "_records" not in self.__dict__:  # once per page: a reference page links thousands of records
            self._records = record_pages(self.fb)
        return self._records

    def _href_to(self, fact_id: str) -> Markup:
        """The link to a fact's permalink."""
        return self.fact_href(fact_id)

    # -- lookups --------------------------------------------------------------
    def fact(self, fact_id: str) -> Fact:
        try:
            return self.fb.facts[fact_id]
        except KeyError:
            raise UnknownFact(fact_id) from None

    def _cite(self, fact_id: str) -> str:
        self.used.setdefault(fact_id, None)
        return f"[^{fact_id}]"

    # -- markup ---------------------------------------------------------------
    def badge(self, fact_id: str) -> Markup:
        """The status marker shown next to a figure, explained on hover."""
        status = self.fb.status(fact_id)
        reason = self.fb.status_reason(fact_id)
        # the reason starts with the status ("confirmed: Kyodo News and Nikkei, independently")
        title = (reason[:1].upper() + reason[1:]) if reason else STATUS_TEXT[status]
        # The sign is drawn for the eye; a screen reader hears the status word instead (an aria-label is not
        # allowed on <abbr>, and a title alone is not read by every screen reader).
        return Markup(
            '<abbr class="fact-status fact-status--{s}" title="{t}"><span aria-hidden="true">{sign}</span>'
            '<span class="briefing-sr-only">{w}</span></abbr>'
        ).format(s=status, t=title, sign=STATUS_SIGN[status], w=STATUS_WORDS[status].lower())

    def _wrap(self, fact_id: str, inner: Markup, cls: str = "fact", extra: Markup = Markup("")) -> Markup:
        status = self.fb.status(fact_id)
        body = Markup("<del>{}</del>").format(inner) if status == "retracted" else inner
        return Markup('<span class="{c}" data-fact="{i}" data-status="{s}"{x}>{b}{badge}</span>{cite}').format(
            c=cls, i=fact_id, s=status, x=extra, b=body, badge=self.badge(fact_id), cite=Markup(self._cite(fact_id))
        )

    # -- the template functions -------------------------------------------------
    def fig(self, fact_id: str, to: str | None = None) -> Markup:
        """A fact's value, qualifier included, with its status and citation; ``to="USD"`` adds a conversion."""
        fact = self.fact(fact_id)
        if fact.unit == "date":
            return self.date(fact_id)
        text = escape(self.fmt.value(fact.value, fact.unit, fact.qualifier))
        out = self._wrap(fact_id, text)
        if to:
            out += self.converted(fact_id, to)
        return out

    def converted(self, fact_id: str, to: str) -> Markup:
        """" (about US$6.2 billion at the reference rate)": a conversion through a cited rate fact."""
        conv, rate = self._conversion(fact_id, to)
        return Markup(" (") + conv + Markup(" at the reference rate of ") + self.fig(rate.id) + Markup(")")

    def conversion(self, fact_id: str, to: str) -> Markup:
        """"about US$6.2 billion" alone, marked as converted with the reference rate (cite the rate nearby)."""
        return self._conversion(fact_id, to)[0]

    def _conversion(self, fact_id: str, to: str) -> tuple[Markup, Fact]:
        fact = self.fact(fact_id)
        if not isinstance(fact.value, Decimal):
            raise ValueError(f"fact {fact_id!r}: only a single amount can be converted")
        found = reference_rate(self.fb, fact.unit, to, fact.as_of)
        if found is None:
            raise ValueError(f"fact {fact_id!r}: no reference exchange rate fact for {fact.unit} to {to}")
        rate, factor = found
        _, text = self.fmt.converted(fact.value, factor, to)
        rate_text = self.fmt.value(rate.value, rate.unit, rate.qualifier)
        inner = Markup("about {t}").format(t=text)
        extra = Markup(' data-converted-with="{r}" title="Converted by the desk at {rt}, the reference rate"').format(
            r=rate.id, rt=rate_text
        )
        conv = Markup('<span class="fact fact--converted" data-fact="{i}"{x}>{b}</span>').format(i=fact_id, x=extra, b=inner)
        return conv, rate

    def date(self, fact_id: str) -> Markup:
        """A date fact as a ``<time>`` element."""
        fact = self.fact(fact_id)
        inner = Markup('<time datetime="{iso}">{text}</time>').format(iso=fact.value.isoformat(), text=self.fmt.date(fact.value))
        return self._wrap(fact_id, inner)

    def names(self, fact_id: str) -> Markup:
        """A list-of-names fact as a sentence list ("SoftBank, NEC, Sony Group, and Honda")."""
        fact = self.fact(fact_id)
        return self._wrap(fact_id, escape(self.fmt.names(fact.value)), "fact fact--names")

    def text(self, fact_id: str) -> Markup:
        """A text fact (the editors' wording), cited."""
        fact = self.fact(fact_id)
        return self._wrap(fact_id, escape(str(fact.value)), "fact fact--text")

    def period(self, fact_id: str) -> Markup:
        """The span a fact covers ("FY2026-FY2030"), marked as part of that fact."""
        fact = self.fact(fact_id)
        return Markup('<span class="fact-period" data-fact="{i}">{p}</span>').format(i=fact_id, p=(fact.period or "").replace("-", "\u2013"))

    def label(self, fact_id: str) -> Markup:
        """The fact's label, which may contain digits ("FY2026"), marked as part of that fact."""
        fact = self.fact(fact_id)
        return Markup('<span class="fact-label" data-fact="{i}">{l}</span>').format(i=fact_id, l=fact.label)

    def link(self, fact_id: str, text: str | None = None) -> Markup:
        """A link to the fact's permalink on the Facts page."""
        fact = self.fact(fact_id)
        return Markup('<a href="{h}" data-fact="{i}">{t}</a>').format(h=self._href_to(fact_id), i=fact_id, t=text or fact.label)

    def value_text(self, fact_id: str) -> str:
        """The formatted value alone, for use inside other fact-marked markup (tables, captions)."""
        fact = self.fact(fact_id)
        return self.fmt.value(fact.value, fact.unit, fact.qualifier)

    # -- footnotes --------------------------------------------------------------
    def footnotes(self) -> str:
        """Markdown footnote definitions for every fact cited on the page, in order of first use."""
        return "\n".join(self.footnote(fact_id) for fact_id in self.used)

    def footnote(self, fact_id: str) -> str:
        """One fact's footnote: "Publisher, *Title*, date, address (archived copy)" per source, each source once;
        the quotes are a hover away (on each source's title) and a click away (the fact's record)."""
        fact = self.fact(fact_id)
        quotes: dict[str, list[str]] = {}
        for citation in fact.citations:
            if citation.source in self.fb.sources:
                quotes.setdefault(citation.source, []).append(citation.quote)
        parts = [self.source_entry(source_id, quotes[source_id]) for source_id in quotes]
        record = Markup('<a href="{h}">Quotes and fact record</a>').format(h=self._href_to(fact_id))
        return Markup(f"[^{fact_id}]: ") + Markup("; ").join(parts) + Markup(". ") + record

    def source_entry(self, source_id: str, quotes: list[str] = ()) -> Markup:
        """A source as a footnote names it: Publisher, *Title*, date (or when the desk read it), link, archived copy."""
        src = self.fb.sources[source_id]
        if src.published:
            when = Markup('<time datetime="{d}">{t}</time>').format(d=src.published.isoformat(), t=self.fmt.date(src.published))
        else:
            when = Markup('undated, read <time datetime="{d}">{t}</time>').format(d=src.accessed.isoformat(), t=self.fmt.date(src.accessed))
        title = Markup('<cite title="{q}">{t}</cite>').format(q=" … ".join(f"“{q}”" for q in quotes), t=src.title) if quotes else Markup("<cite>{}</cite>").format(src.title)
        links = []
        if src.url:
            links.append(Markup('<a href="{u}" rel="noopener">link</a>').format(u=src.url))
        if src.archive_url:
            links.append(Markup('<a href="{u}" rel="noopener">archived copy</a>').format(u=src.archive_url))
        tail = Markup(", ") + Markup(", ").join(links) if links else Markup("")
        return Markup('<span data-source="{i}">{p}, {t}, {w}{l}</span>').format(i=src.id, p=source_name(src), t=title, w=when, l=tail)
