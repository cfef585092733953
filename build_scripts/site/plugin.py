"""The ``briefing`` mkdocs plugin: facts checked, pages rendered and figures policed at build time.

It is what makes ``mkdocs build --strict`` and ``mkdocs serve`` work straight
from the repository root: the generated pages are added to the build in
memory (never written into ``docs/``), and serve watches facts and templates.
It works through mkdocs' documented events only; a full build has its pages
rendered in a second process, each ready when mkdocs comes to read it
(:mod:`~build_scripts.render.ahead`).

``briefing build`` checks the project once and hands its
:class:`~build_scripts.context.BuildContext` to the plugin (:meth:`BriefingPlugin.use_context`)
before mkdocs runs; the plugin adds its findings and the built pages' sources
to that context. Under a plain ``mkdocs build`` or ``mkdocs serve`` the plugin
checks the project itself, once per build.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import lxml.html
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..context import BuildContext
from ..findings import Location, Report
from ..render.ahead import PagesAhead, Rendering
from ..render.pages import RenderedPage, environment, page_specs, render_pages
from ..render.publication import Publication, furniture
from .config import BriefingPluginConfig
from .data import data_files
from .links import SiteLinks, check_site_links
from .preview import PageFolder, empty_folder, layout_signature
from .promise import check_page

log = logging.getLogger("mkdocs.plugins.briefing")


def _log_report(report: Report) -> None:
    # Check warnings are logged at INFO: they fail `briefing check --strict`, and must not
    # turn `mkdocs build --strict` red for disagreements the site itself publishes.
    for finding in report:
        (log.error if finding.severity.value == "error" else log.info)(finding.format())


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    """Loads and checks the facts, renders the templates into pages and scans the built HTML."""

    def __init__(self) -> None:
        super().__init__()
        self._reset()

    def _reset(self) -> None:
        self.command = "build"
        self.dirty = False
        self._given: BuildContext | None = None
        self._folder: PageFolder | None = None  # generated files as files, for dirty rebuilds (preview.py)
        self._layout: str | None = None  # the layout signature of the last good build
        self._templates: tuple[Path, object] | None = None  # (folder, Jinja environment) a preview keeps
        self.ahead: PagesAhead | None = None  # the pages of a full build, rendered in a second process
        self.outputs: dict[str, str] = {}  # built page (dest_uri) -> its source (src_uri), for the link check

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Which mkdocs command runs (``build``, ``serve``, ``gh-deploy``), and whether it rebuilds only
        changed pages (``--dirty``, as ``briefing serve`` does); with this event the plugin instance is
        kept across the rebuilds of ``mkdocs serve``."""
        self.command = command
        self.dirty = dirty
        if dirty:
            self._folder = PageFolder()

    def on_shutdown(self) -> None:
        self._end_ahead(finish=False)
        # mkdocs keeps a plugin with on_startup for the whole process: the next command starts afresh
        if self._folder is not None:
            self._folder.remove()
        self._reset()

    def on_build_error(self, error) -> None:
        self._layout = None  # the pages a failed build left are built again next time
        self._end_ahead(finish=False)

    def use_context(self, context: BuildContext) -> None:
        """Build the next site from ``context`` (already checked) instead of checking the project again."""
        self._given = context

    def on_config(self, config):
        self._end_ahead(finish=False)  # a renderer an earlier build of this process left (one that never ran)
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        context, self._given = self._given, None
        if context is not None and context.root != root:  # handed over for another project's build
            context = None
        given = context is not None
        if context is None:
            context = BuildContext.checked(root)
        self.context = context
        fb = context.fb
        if not given and self.command in ("build", "gh-deploy") and Path(config.site_dir) == root / "site":
            # a plain `mkdocs build` publishes where `briefing build` does: site_dir is a briefing setting
            # (mkdocs' default folder stands for "not chosen"; `mkdocs build -d DIR` still wins)
            config.site_dir = str(root / context.settings.site_dir)
        _log_report(fb.report)
        if fb.report.failed():
            raise PluginError(f"fact records have errors: {fb.report.summary()}")
        # mkdocs serve puts the local server's address in site_url: a preview shows the pages as a build with
        # no published address makes them, not the preview's address as the briefing's (nor its port as a figure)
        self.site_url = "" if self.command == "serve" else config.site_url or ""
        self.publication = replace(Publication.from_config(config), site_url=self.site_url)
        self.pages: list[RenderedPage] = []
        if self.dirty:  # a preview keeps its compiled templates between rebuilds (Jinja reloads changed files)
            templates_dir = context.root / context.settings.templates_dir
            if self._templates is None or self._templates[0] != templates_dir:
                self._templates = (templates_dir, environment(templates_dir))
            self.pages = render_pages(
                fb, context.report, site_url=self.site_url, directory_urls=config.use_directory_urls, publication=self.publication, env=self._templates[1]
            )
            self.templates = {p.name: p.template for p in self.pages}
        else:  # each page rendered (ahead, in a second process) by the time mkdocs converts it: on_pre_page
            specs = page_specs(fb, context.report)
            self.templates = {spec.name: spec.path.relative_to(fb.root).as_posix() for spec in specs}
            if not context.report.failed():
                self.ahead = PagesAhead(fb, specs, Rendering(self.site_url, config.use_directory_urls, self.publication))
        if context.report.failed():
            _log_report(context.report)
            raise PluginError(f"templates have errors: {context.report.summary()}")
        self.generated = set(self.templates)  # asked of every page: once, not per page
        self.sources: dict[str, tuple[Path, str]] = {}
        config.setdefault("extra", {})["briefing"] = {"facts": len(fb.facts), **furniture(fb, self.publication)}
        return config

    def on_pre_build(self, config) -> None:
        self.links = SiteLinks(Path(config.site_dir), config.site_url or "")  # the built pages' links, read as each is written
        if not self.dirty:
            self.outputs = {}
            return
        layout = layout_signature(self.context.root, self.context.settings, config)
        if layout != self._layout:  # every page may change: build them all (the served folder emptied)
            empty_folder(Path(config.site_dir))
            self.outputs = {}
        self._layout = layout

    def _add(self, files: Files, config, path: str, content: str, what: str) -> None:
        """Add a generated file; a hand-written file of the same name is reported and left out."""
        clash = files.get_file_from_path(path)
        if clash is not None:
            self.context.report.error(
                Location(Path(clash.abs_src_path).relative_to(self.context.root).as_posix()),
                f"hand-written {what}",
                "page-clash",
            )
            files.remove(clash)
        if self._folder is not None:  # a file that is newer only when the content changed (preview.py)
            files.append(File.generated(config, path, abs_src_path=str(self._folder.write(path, content))))
        else:
            files.append(File.generated(config, path, content=content))

    def on_files(self, files: Files, config) -> Files:
        """The rendered pages and the data downloads join mkdocs' files (in memory, never in ``docs/``)."""
        root = self.context.root
        rendered = {page.name: page.markdown for page in self.pages}  # a page rendered ahead gets its Markdown in on_pre_page
        for name, template in self.templates.items():
            self._add(files, config, name, rendered.get(name, ""), f"page collides with the page generated from {template}; remove one")
            self.sources[name] = (root / template, template)
        # the data downloads (documented on the Data page), generated like the pages
        for path, content in data_files(self.context.fb, self.site_url, config.use_directory_urls).items():
            self._add(files, config, path, content, f"file collides with the generated data download {path}; remove it")
        for file in files.documentation_pages():
            if file.src_uri not in self.sources and file.abs_src_path:
                path = Path(file.abs_src_path)
                rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                self.sources[file.src_uri] = (path, rel)
        return files

    @event_priority(100)  # before other plugins: they see the page's Markdown
    def on_pre_page(self, page, config, files):
        """A page rendered ahead (:mod:`~build_scripts.render.ahead`) becomes its file's content now, as
        mkdocs comes to read it; a template that failed stops the build with every template's problems."""
        if self.ahead is not None and page.file.src_uri in self.generated:
            rendered = self.ahead.take(page.file.src_uri, self.context.report)
            if rendered is None:
                self._end_ahead()
                _log_report(self.context.report)
                raise PluginError(f"templates have errors: {self.context.report.summary()}")
            page.file.content_string = rendered.markdown
        return page

    def _end_ahead(self, finish: bool = True) -> None:
        """Take the pages not taken yet (``finish``: their findings count) and end the second process."""
        if self.ahead is not None:
            ahead, self.ahead = self.ahead, None
            if finish:
                ahead.finish(self.context.report)
            else:
                ahead.close()

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Link each generated page to its PDF (the overview also to the full briefing), under its title.

        Raw HTML, so mkdocs does not validate the links: the PDFs are written after mkdocs builds.
        """
        if page.file.src_uri not in self.generated:
            return markdown
        from ..export.names import add_pdf_links

        return add_pdf_links(markdown, page.file.src_uri, page.url)

    @event_priority(-100)  # after every other plugin: the HTML as mkdocs writes it
    def on_post_page(self, output: str, page, config) -> str:
        self.outputs[page.file.dest_uri] = page.file.src_uri
        # each page parsed once, for the figure scan and the link check (which then reads no page again)
        tree = lxml.html.document_fromstring(output) if output.strip() else None
        if self.context.settings.check_figures and page.file.src_uri in self.sources:
            source, rel = self.sources[page.file.src_uri]
            for text in check_page(output, source, rel, page.url, self.context.report, tree):
                log.info("figure-exempt text on /%s: %s", page.url, text)
        self.links.preload(page.file.dest_uri, output, tree)
        return output

    def on_post_build(self, config) -> None:
        # internal links of every page; the PDFs are written after mkdocs, and checked then by `briefing build`
        from ..export.names import PDF_DIR

        context = self.context
        self._end_ahead()  # every page was taken as mkdocs converted it: this only ends the second process
        context.link_sources = {dest: self.sources[src] for dest, src in self.outputs.items() if src in self.sources}
        check_site_links(
            Path(config.site_dir), context.link_sources, context.report, site_url=config.site_url or "", skip=(f"{PDF_DIR}/",), links=self.links
        )  # the address mkdocs built for
        if context.report.failed():
            self._layout = None  # its pages are built (and scanned) again next time
            _log_report(context.report)
            raise PluginError(f"the built site breaks the briefing's promises: {context.report.summary()}")
        if not config.site_url:
            # mkdocs writes the sitemap with addresses from the site's root ("/funding/") when it has no
            # address: a sitemap needs full addresses, so a site without one gets none rather than guesses.
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                Path(config.site_dir, name).unlink(missing_ok=True)

    def on_serve(self, server, config, builder):
        settings = self.context.settings
        server.watch(str(self.context.root / settings.facts_dir))
        server.watch(str(self.context.root / settings.templates_dir))
        if (self.context.root / "pyproject.toml").is_file():  # the settings
            server.watch(str(self.context.root / "pyproject.toml"))
        return server
