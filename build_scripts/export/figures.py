"""Figures for print: each citation becomes a footnote at the page foot instead of a Markdown ``[^id]``.

:class:`PrintFigureRenderer` renders the same values as the site's
:class:`~build_scripts.render.figures.FigureRenderer` (same formatter, same
records); only the citation differs. While a template renders, each citation
leaves an empty placeholder element (``<span class="fn-slot">``) that survives
the Markdown conversion untouched; :mod:`build_scripts.export.markup` turns
each one into a Typst footnote holding :meth:`PrintFigureRenderer.footnote_body`.
"""

from __future__ import annotations

import posixpath

from babel.dates import format_date

from ..render.escaping import Safe as Markup  # escapes for HTML and Markdown alike
from ..render.escaping import escape_text as escape
from ..render.figures import STATUS_SIGN, FigureRenderer, source_name

#: Statuses that are marked in the text with a visible word, not only in the footnote.
FLAGGED = ("disputed", "retracted")


class PrintFigureRenderer(FigureRenderer):
    """The figure functions of one page for print, recording each citation in reading order."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: fact id of each citation placeholder, in reading order
        self.citations: list[str] = []

    def href(self, target: str) -> str:
        """Links stay page-relative (``"facts.md#id"``, from ``facts/x.md``: ``"../sources.md#id"``), as
        Markdown links are: the export points them into the PDF or at the site."""
        path, hash_, fragment = target.partition("#")
        if not path:
            return target
        return posixpath.relpath(path, posixpath.dirname(self.page) or ".") + hash_ + fragment

    def _cite(self, fact_id: str) -> str:
        self.used.setdefault(fact_id, None)
        self.citations.append(fact_id)
        return f'<span class="fn-slot" data-fact="{escape(fact_id)}"></span>'

    def status_flag(self, fact_id: str) -> Markup:
        """A visible status word for disputed and retracted figures ("⚠ disputed"); nothing otherwise."""
        status = self.fb.status(fact_id)
        if status not in FLAGGED:
            return Markup("")
        return Markup('<span class="status-flag status-flag--{s}">{sign}\u00a0{s}</span>').format(
            s=status, sign=STATUS_SIGN[status]
        )

    def _wrap(self, fact_id: str, inner: Markup, cls: str = "fact", extra: Markup = Markup("")) -> Markup:
        status = self.fb.status(fact_id)
        body = Markup("<del>{}</del>").format(inner) if status == "retracted" else inner
        return Markup('<span class="{c}" data-fact="{i}" data-status="{s}"{x}>{b}</span>{flag}{cite}').format(
            c=cls, i=fact_id, s=status, x=extra, b=body, flag=self.status_flag(fact_id), cite=Markup(self._cite(fact_id))
        )

    def footnotes(self) -> str:
        """No Markdown footnote definitions: print footnotes are placed by the layout."""
        return ""

    # -- the footnote itself ------------------------------------------------------
    def footnote_body(self, fact_id: str) -> Markup:
        """The footnote of a fact: its status, then each citation as "Publisher, *Title*, date, address: “quote”".

        The reason is given for disputed and retracted figures, where the reader needs it.
        """
        fact = self.fact(fact_id)
        status = self.fb.status(fact_id)
        head = Markup('<span class="fn-status fn-status--{s}">{S}</span>').format(s=status, S=status.capitalize())
        reason = ""
        if status in FLAGGED:
            reason = fact.note if fact.status and fact.note else ""
            if not reason and fact_id in self.fb.derived:
                # the reason starts with the status, already shown: "disputed: Gate disagrees ..."
                reason = self.fb.status_reason(fact_id).removeprefix(f"{status}: ")
        head += Markup(": {}").format(reason.rstrip(". ") + ".") if reason else Markup(".")
        entries = [self.citation_entry(c) for c in fact.citations if c.source in self.fb.sources]
        return head + Markup(" ") + Markup("; ").join(entries) + Markup(".")

    def short_date(self, value) -> str:
        return format_date(value, format="medium", locale=self.fmt.locale)

    def citation_entry(self, citation) -> Markup:
        """One citation in a footnote: Publisher, *Title*, date, address: “quote” (the date read when undated)."""
        src = self.fb.sources[citation.source]
        if src.published:
            when = Markup('<time datetime="{d}">{t}</time>').format(d=src.published.isoformat(), t=self.short_date(src.published))
        else:
            when = Markup('undated, read <time datetime="{d}">{t}</time>').format(
                d=src.accessed.isoformat(), t=self.short_date(src.accessed)
            )
        url = src.url or src.archive_url
        where = Markup(', <a class="url" href="{u}">{u}</a>').format(u=url) if url else Markup("")
        return Markup('<span class="fn-source" data-source="{i}">{p}, <cite>{t}</cite>, {w}{a}: <q>{q}</q></span>').format(
            i=src.id, t=src.title, p=source_name(src, self.fmt.locale), w=when, a=where, q=citation.quote
        )
