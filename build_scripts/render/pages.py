"""Render the Jinja templates of ``templates/`` into the Markdown of the briefing pages.

Each ``templates/NAME.md.j2`` becomes the page ``NAME.md`` (also in
subfolders: ``templates/facts/x.md.j2`` becomes ``facts/x.md``); templates and
folders whose name starts with ``_`` are layouts and macros only. A part of a
template's path in brackets makes one page per value (:data:`PAGE_PARAMETERS`):
``facts/[topic].md.j2`` renders ``facts/funding.md``, ``facts/targets.md``...
with ``topic`` set, so that a large fact base gets pages of bounded size.
Templates are autoescaped: record text reaches a page as text, never as markup
or as template code.
"""

from __future__ import annotations

import re
import traceback
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..factbase import FactBase
from ..findings import Location, Report
from .figures import KIND_WORDS, STATUS_SIGN, STATUS_TEXT, STATUS_WORDS, FigureRenderer, UnknownFact, independent_sources, permalink, source_name
from .publication import Publication, last_updated
from .formatting import Formatter
from .escaping import finalize
from .jsonld import claim_review, script_tag
from .template_cache import TemplateCache

SUFFIX = ".md.j2"


@dataclass
class RenderedPage:
    """A page's Markdown and the template it came from (relative to the root).

    ``figures`` is the figure renderer the page was rendered with: the PDF export reads the
    citations it recorded (the site needs only the Markdown, where they are footnotes already).
    """

    name: str
    markdown: str
    template: str
    figures: FigureRenderer | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Medium:
    """What differs between the site and the print rendering of a page; everything else is shared.

    ``figures`` makes the page's figure renderer (``FigureRenderer`` on the site, the print one in
    the PDFs); ``context`` replaces names of the template context (print drops the structured data).
    """

    figures: type = FigureRenderer
    context: dict = field(default_factory=dict)


#: The bracketed parts a template path may hold, and the values each takes: one page per value.
PAGE_PARAMETERS = {
    "topic": lambda fb: sorted(fb.topics),  # the fact files: facts/[topic].md.j2 -> facts/funding.md
    "letter": lambda fb: sorted({source_id[0] for source_id in fb.sources}),  # sources/[letter].md.j2 -> sources/k.md
}
_PARAMETER = re.compile(r"\[([^\]/]*)\]")


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its name, its template and the values of the template's bracketed parts."""

    name: str  # "facts/funding.md"
    path: Path  # the template file
    params: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def page_templates(templates_dir: Path) -> list[Path]:
    """The page templates (not layouts or macros), in path order (top level first)."""
    found = []
    for path in templates_dir.rglob(f"*{SUFFIX}"):
        parts = path.relative_to(templates_dir).parts
        if not any(part.startswith("_") for part in parts):
            found.append(path)
    return sorted(found, key=lambda p: (len(p.relative_to(templates_dir).parts), p.relative_to(templates_dir).as_posix()))


def page_specs(fb: FactBase, report: Report | None = None) -> list[PageSpec]:
    """Every page of the fact base's templates, bracketed templates expanded, in a stable order.

    A template whose bracketed part is not one of :data:`PAGE_PARAMETERS` is reported (and skipped).
    """
    templates_dir = fb.root / fb.settings.templates_dir
    specs = []
    for path in page_templates(templates_dir):
        rel = path.relative_to(templates_dir).as_posix()
        names = _PARAMETER.findall(rel)
        if not names:
            specs.append(PageSpec(page_name(path, templates_dir), path))
            continue
        if len(names) > 1 or names[0] not in PAGE_PARAMETERS:
            if report is not None:
                report.error(
                    Location(path.relative_to(fb.root).as_posix()),
                    f"template name {rel!r}: a page template may hold one bracketed part, one of "
                    f"{', '.join('[' + n + ']' for n in PAGE_PARAMETERS)}",
                    "template",
                )
            continue
        (name,) = names
        for value in PAGE_PARAMETERS[name](fb):
            specs.append(PageSpec(page_name(path, templates_dir).replace(f"[{name}]", value), path, {name: value}))
    return specs


def environment(templates_dir: Path, cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment shared by the site and the print templates; with ``cache``, a folder where the
    compiled templates are kept between builds (:mod:`.template_cache`)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=TemplateCache(cache) if cache is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # every {{ expression }} that is not markup is escaped for HTML and Markdown alike
        finalize=finalize,
    )


def template_cache(fb: FactBase) -> Path | None:
    """Where the project keeps its compiled templates (the ``cache_dir`` setting), or ``None`` for nowhere."""
    return fb.root / fb.settings.cache_dir / "templates" if fb.settings.cache_dir else None


def page_context(fb: FactBase, figures: FigureRenderer, site_url: str = "", publication: Publication | None = None, history=None) -> dict:
    """Names available in every template.

    ``history``: the snapshots of past revisions the change log reads, kept by a preview server between
    its rebuilds (:class:`~build_scripts.history.diff.SnapshotCache`); a build makes its own."""
    facts, sources, reviews = fb.records()
    publication = publication or Publication(site_url=site_url)
    site_url = site_url or publication.site_url
    return {
        "site_url": site_url,
        "publication": publication,
        "last_updated": last_updated(fb),
        "edit_href": lambda fact_id: _edit_href(fb, publication, fact_id),
        "issue_href": lambda fact_id: _issue_href(fb, figures, publication, fact_id),
        "plural": figures.fmt.plural,
        "source_name": source_name,
        "claim_review": lambda review, page: script_tag(claim_review(fb, review, site_url + page, site_url)),
        "fb": fb,
        "settings": fb.settings,
        "facts": facts,
        "sources": sources,
        "reviews": reviews,
        "topics": fb.topics,
        "status": fb.status,
        "status_reason": fb.status_reason,
        "status_text": STATUS_TEXT,
        "status_words": STATUS_WORDS,
        "kind_words": KIND_WORDS,
        "status_sign": STATUS_SIGN,
        "independent_sources": lambda fact_id: independent_sources(fb, fact_id),
        "fmt": figures.fmt,
        "fig": figures.fig,
        "date": figures.date,
        "names": figures.names,
        "text": figures.text,
        "period": figures.period,
        "label": figures.label,
        "link": figures.link,
        "badge": figures.badge,
        "value_text": figures.value_text,
        "fact": figures.fact,
        "href": figures.href,
        "fact_href": figures.fact_href,
        "source_href": figures.source_href,
        "chart": lambda name: _charts().chart(fb, figures, name),
        "file_href": lambda path: _file_href(figures, path),
        "changes": _change_log(fb, history),  # read from git only when a template uses it, then once per build
    }


def _charts():
    # imported when a template draws a chart: pygal is not needed to check or to build otherwise
    from . import charts

    return charts


def _change_log(fb: FactBase, history=None):
    from ..history.changes import change_log  # (git history; imported when pages are rendered)

    return change_log(fb, history)


def _edit_href(fb: FactBase, publication: Publication, fact_id: str) -> str:
    """The fact's record in the repository's web editor, at its line ("" when the repository is not set)."""
    fact = fb.facts[fact_id]
    return publication.edit_href(fact.file, fb.where(fact).line)


def _issue_href(fb: FactBase, figures: FigureRenderer, publication: Publication, fact_id: str) -> str:
    """A new issue about the fact, its title and a first line filled in ("" when the repository is not set);
    about the briefing as a whole when ``fact_id`` is empty."""
    if not fact_id:
        return publication.report_href(fb.settings.title)
    fact = fb.facts[fact_id]
    page = permalink(fb, fact_id, publication.site_url, figures.directory_urls) if publication.site_url else ""
    body = (
        f"Fact: {fact.label}\nShown as: {figures.value_text(fact_id)}\n"
        + (f"On the site: {page}\n" if page else "")
        + f"Record: {fact.file} (id {fact.id})\n\nWhat is wrong, and which source says so:\n"
    )
    return publication.issue_href(f"Correction: {fact.label}", body)


def _file_href(figures: FigureRenderer, path: str) -> str:
    """The URL of a file of the built site that is not a page ("data/facts.json"), relative to the page."""
    return figures.up() + path


def render_pages(
    fb: FactBase,
    report: Report,
    site_url: str = "",
    directory_urls: bool = True,
    publication: Publication | None = None,
    medium: Medium | None = None,
    env: jinja2.Environment | None = None,
    history=None,
) -> list[RenderedPage]:
    """Render every page; template problems are added to ``report`` at their line.

    The site and the PDFs both render their pages here (``medium`` says which figure renderer).
    ``env``, if given, is an :func:`environment` of the templates folder kept between renders (a preview
    server's): Jinja compiles each template once and again only when its file changes. ``history``: see
    :func:`page_context`."""
    templates_dir = fb.root / fb.settings.templates_dir
    env = env if env is not None else environment(templates_dir, template_cache(fb))
    formatter = Formatter(fb.settings)
    pages = []
    for spec in page_specs(fb, report):
        page = render_page(fb, env, formatter, spec, report, site_url, directory_urls, publication, medium, history=history)
        if page is not None:
            pages.append(page)
    return pages


def page_name(path: Path, templates_dir: Path) -> str:
    """The page a template renders: ``funding.md`` for ``funding.md.j2`` (``facts/[topic].md`` in a subfolder)."""
    return path.relative_to(templates_dir).as_posix()[: -len(SUFFIX)] + ".md"


def render_page(
    fb: FactBase,
    env: jinja2.Environment,
    formatter: Formatter,
    spec: PageSpec,
    report: Report,
    site_url: str = "",
    directory_urls: bool = True,
    publication: Publication | None = None,
    medium: Medium | None = None,
    history=None,
    track=None,
) -> RenderedPage | None:
    """Render one page (``None`` if it fails: the problem is added to ``report`` at its line).

    ``track``, if given, is entered while the template renders (its context made): a preview server notes
    what each page reads there (:mod:`build_scripts.render.reads`)."""
    medium = medium or Medium()
    templates_dir = fb.root / fb.settings.templates_dir
    path = spec.path
    rel = path.relative_to(fb.root).as_posix()
    name = spec.name
    figures = medium.figures(fb, formatter, page=name, directory_urls=directory_urls)
    try:
        context = {**page_context(fb, figures, site_url, publication, history), **medium.context, **spec.params}
        template = env.get_template(path.relative_to(templates_dir).as_posix())
        with track if track is not None else nullcontext():
            body = template.render(context)
            notes = figures.footnotes()  # the footnotes read the sources the page cites
    except jinja2.TemplateSyntaxError as exc:
        where = _template_rel(fb, templates_dir, exc.name) or rel
        report.error(Location(where, exc.lineno or 1, 1), f"template syntax: {exc.message}", "template")
        return None
    except (UnknownFact, jinja2.TemplateError, ValueError, TypeError, AttributeError, LookupError) as exc:
        line, where = _template_line(exc, templates_dir, fb.root, rel)
        message = f"unknown fact id {exc.args[0]!r}" if isinstance(exc, UnknownFact) else str(exc)
        report.error(Location(where, line, 1), f"template: {message}", "template")
        return None
    markdown = body.rstrip("\n") + ("\n\n" + notes if notes else "") + "\n"
    return RenderedPage(name, markdown, rel, figures)


def _template_rel(fb: FactBase, templates_dir: Path, name: str | None) -> str | None:
    return (templates_dir / name).relative_to(fb.root).as_posix() if name else None


def _template_line(exc: BaseException, templates_dir: Path, root: Path, default: str) -> tuple[int, str]:
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(templates_dir):
            return frame.lineno or 1, path.relative_to(root).as_posix()
    return 1, default
