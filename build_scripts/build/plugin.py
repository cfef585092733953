"""The ``briefing`` mkdocs plugin: facts checked, pages rendered and figures policed at build time.

It is what makes ``mkdocs build --strict`` and ``mkdocs serve`` work straight
from the repository root: the generated pages are added to the build in
memory (never written into ``docs/``), and serve watches facts and templates.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..factbase import FactBase
from ..findings import Location, Report
from ..pipeline import check_project
from ..render.pages import RenderedPage, render_pages
from ..render.publication import Publication, furniture
from . import background
from .config import BriefingPluginConfig
from .links import check_site_links
from .data import data_files
from .promise import check_page

log = logging.getLogger("mkdocs.plugins.briefing")


def _log_report(report: Report) -> None:
    # Check warnings are logged at INFO: they fail `briefing check --strict`, and must not
    # turn `mkdocs build --strict` red for disagreements the site itself publishes.
    for finding in report:
        (log.error if finding.severity.value == "error" else log.info)(finding.format())


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    """Loads and checks the facts, renders the templates into pages and scans the built HTML."""

    def on_config(self, config):
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self.report = Report()
        self.outputs: dict[str, str] = {}  # built page (dest_uri) -> its source (src_uri), for the link check
        self.fb = check_project(self.root, reuse=True)  # `briefing build` has just checked them: not twice
        _log_report(self.fb.report)
        if self.fb.report.failed():
            raise PluginError(f"fact records have errors: {self.fb.report.summary()}")
        self.publication = Publication.from_config(config)
        self.background = None
        if background.available():  # `briefing build`: a child renders the pages while mkdocs works (background.py)
            self.background = background.BackgroundPages(
                self.fb,
                site_url=config.site_url or "",
                directory_urls=config.use_directory_urls,
                extra=data_files,
                site_dir=Path(config.site_dir),
                publication=self.publication,
            )
            self.pages: list[RenderedPage] = self.background.pages
            self.report.extend(self.background.early)
        else:
            self.pages = render_pages(
                self.fb, self.report, site_url=config.site_url or "", directory_urls=config.use_directory_urls, publication=self.publication
            )
        if self.report.failed():
            _log_report(self.report)
            raise PluginError(f"templates have errors: {self.report.summary()}")
        self.generated = {p.name for p in self.pages}  # asked of every page: once, not per page
        self.sources: dict[str, tuple[Path, str]] = {}
        config.setdefault("extra", {})["briefing"] = {"facts": len(self.fb.facts), **furniture(self.fb, self.publication)}
        return config

    def on_pre_build(self, config) -> None:
        # every plugin is configured by now: the child makes the search index too, if the site has one
        self.search = None
        if self.background is not None:
            from .search import BackgroundIndex

            self.search = BackgroundIndex.take_over(config.plugins, self.background)

    def on_files(self, files: Files, config) -> Files:
        for page in self.pages:
            clash = files.get_file_from_path(page.name)
            if clash is not None:
                self.report.error(
                    Location(Path(clash.abs_src_path).relative_to(self.root).as_posix()),
                    f"hand-written page collides with the page generated from {page.template}; remove one",
                    "page-clash",
                )
                files.remove(clash)
            files.append(File.generated(config, page.name, content=page.markdown))
            self.sources[page.name] = (self.root / page.template, page.template)
        # the data downloads (documented on the Data page), generated like the pages: never written into docs/
        if self.background is not None:  # made by the child after the pages: only the names now (of an empty base)
            empty = FactBase(root=self.root, settings=self.fb.settings)
            downloads = dict.fromkeys(data_files(empty, config.site_url or "", config.use_directory_urls))
        else:
            downloads = data_files(self.fb, config.site_url or "", config.use_directory_urls)
        for path, content in downloads.items():
            clash = files.get_file_from_path(path)
            if clash is not None:
                self.report.error(
                    Location(Path(clash.abs_src_path).relative_to(self.root).as_posix()),
                    f"hand-written file collides with the generated data download {path}; remove it",
                    "page-clash",
                )
                files.remove(clash)
            if self.background is not None:
                files.append(background.later_file(config, path, partial(self.background.extra_file, path)))
            else:
                files.append(File.generated(config, path, content=content))
        for file in files.documentation_pages():
            if file.src_uri not in self.sources and file.abs_src_path:
                path = Path(file.abs_src_path)
                rel = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
                self.sources[file.src_uri] = (path, rel)
        return files

    def on_page_read_source(self, page, config) -> str | None:
        """A generated page's Markdown from the background renderer, waiting for it if needed."""
        if self.background is None or page.file.src_uri not in self.background:
            return None
        markdown = self.background.markdown(page.file.src_uri)
        if markdown is None:  # its template failed: report every template problem, as on_config would have
            self.report.extend(self.background.report())
            _log_report(self.report)
            raise PluginError(f"templates have errors: {self.report.summary()}")
        return markdown

    def on_build_error(self, error) -> None:
        if getattr(self, "background", None) is not None:
            self.background.close()

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Link each generated page to its PDF (the overview also to the full briefing), under its title.

        Raw HTML, so mkdocs does not validate the links: the PDFs are written after mkdocs builds.
        """
        if page.file.src_uri not in self.generated:
            return markdown
        from ..export.names import add_pdf_links

        return add_pdf_links(markdown, page.file.src_uri, page.url)

    @event_priority(-100)  # after every other plugin: the content as the theme will get it
    def on_page_content(self, html: str, page, config, files) -> str:
        """Hand the converted page to the child for the search index (search.py)."""
        if getattr(self, "search", None) is not None:
            page.content = html
            self.search.hand_over(page)
        return html

    @event_priority(-100)  # after every other plugin: the HTML as mkdocs writes it
    def on_post_page(self, output: str, page, config) -> str:
        self.outputs[page.file.dest_uri] = page.file.src_uri
        scan = self.config.check_figures and page.file.src_uri in self.sources
        if self.background is not None:  # read by the child while mkdocs builds the next page
            where = (*self.sources[page.file.src_uri], page.url) if scan else None
            self.background.built(output, page.file.dest_uri, where)
            return output
        if scan:
            source, rel = self.sources[page.file.src_uri]
            for text in check_page(output, source, rel, page.url, self.report):
                log.info("figure-exempt text on /%s: %s", page.url, text)
        return output

    def link_sources(self) -> dict[str, tuple[Path, str]]:
        """The source file (path, path relative to the root) of each built page, by its path in the site."""
        return {dest: self.sources[src] for dest, src in self.outputs.items() if src in self.sources}

    def on_post_build(self, config) -> None:
        # internal links of every page; the PDFs are written after mkdocs, and checked then by `briefing build`
        from ..export.names import PDF_DIR

        if self.background is not None:  # every page is rendered and read by now: collect the findings, stop the child
            self.report.extend(self.background.report())
            scanned, exempted, broken = self.background.scans(self.link_sources(), skip=(f"{PDF_DIR}/",))
            self.report.extend(scanned)
            for url, text in exempted:
                log.info("figure-exempt text on /%s: %s", url, text)
            self.background.close()
            self.report.extend(broken)
        else:
            check_site_links(Path(config.site_dir), self.link_sources(), self.report, site_url=config.site_url or "", skip=(f"{PDF_DIR}/",))
        if self.report.failed():
            _log_report(self.report)
            raise PluginError(f"the built site breaks the briefing's promises: {self.report.summary()}")
        if not config.site_url:
            # mkdocs writes the sitemap with addresses from the site's root ("/funding/") when it has no
            # address: a sitemap needs full addresses, so a site without one gets none rather than guesses.
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                Path(config.site_dir, name).unlink(missing_ok=True)

    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.fb.settings.facts_dir))
        server.watch(str(self.root / self.fb.settings.templates_dir))
        return server
