"""The ``briefing`` mkdocs plugin: facts checked, pages rendered and figures policed at build time.

It is what makes ``mkdocs build --strict`` and ``mkdocs serve`` work straight
from the repository root: the generated pages are added to the build in
memory (never written into ``docs/``), and serve watches facts and templates.
It works through mkdocs' documented events only.

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
from ..render.pages import RenderedPage, render_pages
from ..render.publication import Publication, furniture
from .config import BriefingPluginConfig
from .data import data_files
from .links import SiteLinks, check_site_links
from .preview import PreviewSession, empty_folder, layout_signature
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
        self.session: PreviewSession | None = None  # what `briefing serve` keeps between rebuilds (preview.py)
        self._writing = False  # this build has started changing the served folder
        self.outputs: dict[str, str] = {}  # built page (dest_uri) -> its source (src_uri), for the link check
        self.links: SiteLinks | None = None  # a full build's pages, their links read as mkdocs writes each

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Which mkdocs command runs (``build``, ``serve``, ``gh-deploy``), and whether it rebuilds only
        changed pages (``--dirty``, as ``briefing serve`` does); with this event the plugin instance is
        kept across the rebuilds of ``mkdocs serve``."""
        self.command = command
        self.dirty = dirty
        if dirty:
            self.session = PreviewSession()

    def on_shutdown(self) -> None:
        # mkdocs keeps a plugin with on_startup for the whole process: the next command starts afresh
        if self.session is not None:
            self.session.remove()
        self._reset()

    def on_build_error(self, error) -> None:
        if self.session is not None:  # pages a failure left half-built are built again next time
            self.session.failed(written=self._writing)

    def use_context(self, context: BuildContext) -> None:
        """Build the next site from ``context`` (already checked) instead of checking the project again."""
        self._given = context

    def on_config(self, config):
        self._writing = False
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
        if self.session is not None:  # a preview renders again only the pages the edit changed (preview.py)
            inputs = layout_signature(context.root, context.settings, config)
            self.pages: list[RenderedPage] = self.session.render(
                fb, context.report, inputs, self.site_url, config.use_directory_urls, self.publication
            )
        else:
            self.pages = render_pages(fb, context.report, site_url=self.site_url, directory_urls=config.use_directory_urls, publication=self.publication)
        if context.report.failed():
            _log_report(context.report)
            raise PluginError(f"templates have errors: {context.report.summary()}")
        self.generated = {page.name for page in self.pages}  # asked of every page: once, not per page
        self.sources: dict[str, tuple[Path, str]] = {}
        config.setdefault("extra", {})["briefing"] = {"facts": len(fb.facts), **furniture(fb, self.publication)}
        return config

    def on_pre_build(self, config) -> None:
        self._writing = True
        # a full build reads each page's links as it is written; a preview reads the pages a save rewrote
        self.links = SiteLinks(Path(config.site_dir), config.site_url or "") if self.session is None else None
        if self.session is None:
            self.outputs = {}
            return
        self.session.layout(config.extra["briefing"], self.pages)
        if self.session.full_build():  # every page may change: build them all (the served folder emptied)
            empty_folder(Path(config.site_dir))
            self.outputs = {}

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
        if self.session is not None:  # a file that is newer only when the content changed (preview.py)
            files.append(File.generated(config, path, abs_src_path=str(self.session.folder.write(path, content))))
        else:
            files.append(File.generated(config, path, content=content))

    def on_files(self, files: Files, config) -> Files:
        """The rendered pages and the data downloads join mkdocs' files (in memory, never in ``docs/``)."""
        root = self.context.root
        for page in self.pages:
            self._add(files, config, page.name, page.markdown, f"page collides with the page generated from {page.template}; remove one")
            self.sources[page.name] = (root / page.template, page.template)
        # the data downloads (documented on the Data page), generated like the pages
        make = self.session.data_files if self.session is not None else data_files
        for path, content in make(self.context.fb, self.site_url, config.use_directory_urls).items():
            self._add(files, config, path, content, f"file collides with the generated data download {path}; remove it")
        for file in files.documentation_pages():
            if file.src_uri not in self.sources and file.abs_src_path:
                path = Path(file.abs_src_path)
                rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
                self.sources[file.src_uri] = (path, rel)
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Link each generated page to its PDF (the overview also to the full briefing), under its title.

        Raw HTML, so mkdocs does not validate the links: the PDFs are written after mkdocs builds.
        """
        if page.file.src_uri not in self.generated:
            return markdown
        from ..export.names import add_pdf_links

        return add_pdf_links(markdown, page.file.src_uri, page.url)

    @event_priority(-100)
    def on_env(self, env, config, files):
        if self.session is not None:
            # the theme's templates compiled once per preview, not once per save: an overlay of mkdocs'
            # environment (Jinja's documented Environment.overlay) with the session's bytecode cache;
            # on_env is mkdocs' event for changing the environment, and it builds with the one returned
            return env.overlay(bytecode_cache=self.session.theme_templates)
        return env

    @event_priority(-100)  # after every other plugin: the HTML as mkdocs writes it
    def on_post_page(self, output: str, page, config) -> str:
        self.outputs[page.file.dest_uri] = page.file.src_uri
        # each page parsed once, for the figure scan and the link check (which then reads no page again)
        tree = lxml.html.document_fromstring(output) if output.strip() else None
        if self.context.settings.check_figures and page.file.src_uri in self.sources:
            source, rel = self.sources[page.file.src_uri]
            for text in check_page(output, source, rel, page.url, self.context.report, tree):
                log.info("figure-exempt text on /%s: %s", page.url, text)
        if self.links is not None:
            self.links.preload(page.file.dest_uri, output, tree)
        return output

    def on_post_build(self, config) -> None:
        # internal links of every page; the PDFs are written after mkdocs, and checked then by `briefing build`
        from ..export.names import PDF_DIR

        context = self.context
        context.link_sources = {dest: self.sources[src] for dest, src in self.outputs.items() if src in self.sources}
        site_url = config.site_url or ""  # the address mkdocs built for
        links = self.session.site_links(Path(config.site_dir), site_url) if self.session is not None else self.links
        check_site_links(Path(config.site_dir), context.link_sources, context.report, site_url=site_url, skip=(f"{PDF_DIR}/",), links=links)
        if context.report.failed():  # (on_build_error: its pages are built and scanned again next time)
            _log_report(context.report)
            raise PluginError(f"the built site breaks the briefing's promises: {context.report.summary()}")
        if not config.site_url:
            # mkdocs writes the sitemap with addresses from the site's root ("/funding/") when it has no
            # address: a sitemap needs full addresses, so a site without one gets none rather than guesses.
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                Path(config.site_dir, name).unlink(missing_ok=True)
        if self.session is not None:
            self.session.succeeded()

    def on_serve(self, server, config, builder):
        settings = self.context.settings
        server.watch(str(self.context.root / settings.facts_dir))
        server.watch(str(self.context.root / settings.templates_dir))
        if (self.context.root / "pyproject.toml").is_file():  # the settings
            server.watch(str(self.context.root / "pyproject.toml"))
        return server
