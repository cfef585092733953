"""What the PDFs need from the site's configuration, read through mkdocs' own config loading.

``mkdocs.yml`` may use mkdocs' YAML tags (``!ENV`` for the address, ``!relative``...), inherit
from another file and have defaults: only mkdocs reads it as mkdocs does. The PDFs take the
site's address (none when unset), its URL style, its navigation order, the docs folder, the
Markdown extensions the site's pages are converted with and its repository (where readers
report an error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..findings import Location, Report
from ..render.figures import page_url


@dataclass
class SiteInfo:
    """The parts of the site's configuration the PDFs use."""

    url: str = ""
    directory_urls: bool = True
    nav: list[str] = field(default_factory=list)
    docs_dir: Path | None = None
    markdown_extensions: list = field(default_factory=list)
    markdown_configs: dict = field(default_factory=dict)
    #: where readers report an error: the site's repository (``repo_url``), if it names one
    report_address: str | None = None

    def page_url(self, page: str) -> str | None:
        """Absolute address of a site page (``"facts.md"`` -> ``https://.../facts/``), if the site has an address."""
        if not self.url:
            return None
        return self.url.rstrip("/") + "/" + page_url(page, self.directory_urls)


def nav_pages(nav) -> list[str]:
    """The Markdown pages of a navigation as mkdocs loaded it, in order (links to addresses left out)."""
    found: list[str] = []

    def walk(item) -> None:
        if isinstance(item, str):
            if item.endswith(".md") and not urlsplit(item).scheme:
                found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav or [])
    return found


def read_site_info(root: Path, report: Report | None = None) -> SiteInfo:
    """The site's configuration from ``root/mkdocs.yml`` as mkdocs loads it; defaults without the file.

    A configuration mkdocs refuses is reported (an error, when ``report`` is given).
    """
    path = root / "mkdocs.yml"
    if not path.is_file():
        return SiteInfo()
    from mkdocs.exceptions import ConfigurationError

    from ..site.publish import mkdocs_config

    try:
        # the PDFs need no plugin: loading them (the briefing plugin imports the site build) is left out
        config = mkdocs_config(root, plugins=[])
    except (ConfigurationError, OSError) as exc:
        if report is not None:
            report.error(Location("mkdocs.yml"), f"the site's configuration cannot be read: {exc}", "pdf")
        return SiteInfo()
    url = config.site_url or ""
    return SiteInfo(
        url=url if urlsplit(url).scheme in ("http", "https") else "",
        directory_urls=bool(config.use_directory_urls),
        nav=nav_pages(config.nav),
        docs_dir=Path(config.docs_dir),
        markdown_extensions=list(config.markdown_extensions),
        markdown_configs=dict(config.mdx_configs),
        report_address=config.repo_url if urlsplit(config.repo_url or "").scheme in ("http", "https") else None,
    )
