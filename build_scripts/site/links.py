"""Internal links of the built site, checked on every build.

Every ``href`` and ``src`` of the built HTML that stays inside the site — a
relative link, a path under the site's own address, or an absolute URL that
starts with ``site_url`` (canonical links) — must name a file of the site, and
its ``#fragment`` an ``id`` (or ``<a name>``) of the page it points to.
Problems are reported at the page's source (its template or Markdown file),
on the line that carries the link when it can be found there.

Run by the ``briefing`` mkdocs plugin after mkdocs has written the site, so
``mkdocs build`` and ``briefing build`` both fail on a broken internal link.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..findings import Location, Report

#: Attributes that hold a URL, by element.
URL_ATTRS = {"a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
             "iframe": ("src",), "source": ("src",), "audio": ("src",), "video": ("src", "poster"),
             "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",)}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: The fragment targets of a page; plain strings (lxml's "smart" ones each keep a reference to their element).
_IDS = etree.XPath("//@id | //a/@name", smart_strings=False)


@dataclass(frozen=True)
class BrokenLink:
    """A link of a built page whose target is missing."""

    page: str  # the page's path in the site, e.g. "funding/index.html"
    url: str  # the link as written in the HTML
    reason: str


class SiteLinks:
    """The internal links of one built site, and whether their targets exist."""

    def __init__(self, site_dir: Path, site_url: str = "") -> None:
        self.site_dir = Path(site_dir)
        self.site_url = site_url or ""
        path = urlsplit(self.site_url).path or "/"
        self.prefix = path if path.endswith("/") else path + "/"
        self._ids: dict[str, set[str] | None] = {}
        self._kinds: dict[str, tuple[bool, bool]] = {}  # target -> (is a file, is a folder): a page has thousands of links to a few targets
        self._links: dict[str, list[str]] = {}  # pages read ahead (preload), by path in the site
        self._resolved: dict[tuple[str, str], tuple[str, str, bool] | None] = {}  # (folder of the page, url) -> parse()

    def preload(self, page: str, html: str, tree=None) -> None:
        """Read the built page ``page`` from its HTML, as mkdocs writes it, instead of from the file later
        (``tree``: the page already parsed by lxml, if it is).

        A caller that has each page at hand as it is built can hand it over, so that the check after
        the build only resolves links.
        """
        self.add(page, *self.read(html, tree))

    @classmethod
    def read(cls, html: str, tree=None) -> tuple[list[str], set[str]]:
        """The links of a built page, each once in document order, and its fragment targets."""
        if tree is None:
            tree = lxml.html.fromstring(html) if html.strip() else None
        if tree is None:
            return [], set()
        return list(dict.fromkeys(cls._urls(tree))), cls._targets(tree)

    def add(self, page: str, urls: list[str], ids: set[str]) -> None:
        """Take the links and fragment targets of the built page ``page`` as :meth:`read` gives them."""
        self._links[page] = urls
        folder = posixpath.dirname(page)
        for url in urls:
            self.parse(page, url, folder)  # now, while mkdocs builds the next page; the files are looked at later
        self._ids[page] = ids

    # -- reading pages --------------------------------------------------------------
    def pages(self) -> list[str]:
        """The HTML pages of the site, as paths relative to it, in a stable order."""
        return sorted(p.relative_to(self.site_dir).as_posix() for p in self.site_dir.rglob("*.html"))

    def _tree(self, page: str):
        try:
            data = (self.site_dir / page).read_bytes()
        except OSError:
            return None
        if not data.strip():
            return None
        return lxml.html.fromstring(data)

    def ids(self, page: str) -> set[str] | None:
        """The fragment targets of ``page`` (``id`` and ``<a name>``); ``None`` if it is not HTML."""
        if page not in self._ids:
            if not page.endswith((".html", ".htm")):
                self._ids[page] = None
            else:
                tree = self._tree(page)
                self._ids[page] = self._targets(tree) if tree is not None else set()
        return self._ids[page]

    @staticmethod
    def _targets(tree) -> set[str]:
        return set(_IDS(tree))

    @staticmethod
    def _urls(tree) -> Iterator[str]:
        for el in tree.iter(*URL_ATTRS):
            for attr in URL_ATTRS[el.tag]:
                value = el.get(attr)
                if value is not None:
                    yield value.strip()

    def links(self, page: str) -> Iterator[str]:
        """Every URL of ``page``'s elements, in document order."""
        if page in self._links:
            yield from self._links[page]
            return
        tree = self._tree(page)
        if tree is None:
            return
        self._ids.setdefault(page, self._targets(tree))
        yield from self._urls(tree)

    # -- resolving links -----------------------------------------------------------
    def resolve(self, page: str, url: str) -> tuple[str, str] | None:
        """``(target path in the site, fragment)`` of an internal link; ``None`` for an external one."""
        parsed = self.parse(page, url)
        if parsed is None:
            return None
        target, fragment, directory = parsed
        if directory or self._kind(target)[1]:
            target = posixpath.normpath(posixpath.join(target, "index.html"))
        return target, fragment

    def parse(self, page: str, url: str, folder: str | None = None) -> tuple[str, str, bool] | None:
        """What the link says without looking at the site: ``(target, fragment, whether the target is
        a folder)``, ``None`` for an external link. The build parses each page's links as the page is
        built (``preload``), so that after the build only the files are looked at. ``folder``: the
        page's folder, if the caller has it."""
        if url[:1] in ("", "#", "?"):  # depends on the page itself
            return self._parse(page, url)
        # the same links (navigation, assets, records) stand on every page of a folder: parse each once
        key = (posixpath.dirname(page) if folder is None else folder, url)
        if key not in self._resolved:
            self._resolved[key] = self._parse(page, url)
        return self._resolved[key]

    def _parse(self, page: str, url: str) -> tuple[str, str, bool] | None:
        if url[:1] == "#":  # most links of a record-heavy page: what urlsplit() would make of it
            return page, unquote(url[1:]), False
        if self.site_url and url.startswith(self.site_url):
            url = self.prefix + url[len(self.site_url):].lstrip("/")
        elif url.startswith("//") or _SCHEME.match(url):
            return None  # another host, or mailto:, tel:... (javascript: and data: never pass validation)
        parts = urlsplit(url)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if not path:
            return page, fragment, False
        if path.startswith("/"):
            if not (path.startswith(self.prefix) or path == self.prefix.rstrip("/")):
                return "/" + path.lstrip("/"), fragment, False  # outside the site's own path: reported as such
            target = path[len(self.prefix):]
        else:
            target = posixpath.join(posixpath.dirname(page), path)
        directory = path.endswith("/") or target in ("", ".")
        target = posixpath.normpath(target) if target else "."
        return target, fragment, directory or target == "."

    def _kind(self, target: str) -> tuple[bool, bool]:
        """Whether ``target`` is a file and whether it is a folder of the site (asked once per target)."""
        kind = self._kinds.get(target)
        if kind is None:
            path = self.site_dir / target
            kind = self._kinds[target] = (path.is_file(), path.is_dir())
        return kind

    def check(self, page: str, url: str) -> str | None:
        """Why the link ``url`` of ``page`` is broken, or ``None`` if it is fine or external."""
        resolved = self.resolve(page, url)
        return None if resolved is None else self._check(*resolved)

    def _check(self, target: str, fragment: str) -> str | None:
        if target.startswith(("../", "/")) or target == "..":
            return "it points outside the site"
        if not self._kind(target)[0]:
            return f"no file {target} in the built site"
        if fragment:
            ids = self.ids(target)
            if ids is not None and fragment not in ids:
                return f"no element with id {fragment!r} in {target}"
        return None

    def broken(self, pages: Iterable[str] | None = None, skip: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> list[BrokenLink]:
        """The broken internal links of ``pages`` (default: every page).

        Targets under a folder of ``skip`` are not checked (written later in the build);
        with ``only``, nothing else is.
        """
        found = []
        # a link means the same on every page of a folder (navigation, assets, records): judge it once
        verdicts: dict[tuple[str, str], str | None] = {}
        for page in self.pages() if pages is None else pages:
            folder = posixpath.dirname(page)
            seen: set[str] = set()
            for url in self.links(page):
                if url in seen:
                    continue
                seen.add(url)
                key = (page, url) if url[:1] in ("", "#", "?") else (folder, url)
                if key not in verdicts:
                    verdicts[key] = self._verdict(page, url, skip, only)
                reason = verdicts[key]
                if reason:
                    found.append(BrokenLink(page, url, reason))
        return found

    def _verdict(self, page: str, url: str, skip: tuple[str, ...], only: tuple[str, ...]) -> str | None:
        resolved = self.resolve(page, url)
        if resolved is None:
            return None
        if skip and resolved[0].startswith(skip):
            return None
        if only and not resolved[0].startswith(only):
            return None
        return self._check(*resolved)


def locate_link(source: Path | None, rel: str, link: BrokenLink) -> Location:
    """Where the link stands in the page's source: the line holding its fragment or its last path part."""
    if source is None:
        return Location(rel)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(rel)
    parts = urlsplit(link.url)
    stem = parts.path.rstrip("/").rsplit("/", 1)[-1]
    stem_md = stem[:-5] if stem.endswith(".html") else stem
    needles = [link.url, f"#{parts.fragment}" if parts.fragment else "", parts.fragment, stem, stem_md]
    for needle in (n for n in needles if n and n not in (".", "..")):
        for number, line in enumerate(lines, 1):
            col = line.find(needle)
            if col >= 0:
                return Location(rel, number, col + 1)
    return Location(rel)


def check_site_links(
    site_dir: Path,
    sources: dict[str, tuple[Path | None, str]],
    report: Report,
    site_url: str = "",
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] = (),
    fallback: str = "mkdocs.yml",
    links: SiteLinks | None = None,
) -> int:
    """Add an error to ``report`` for every broken internal link of the built site; return how many.

    ``sources`` maps a page's path in the site (``"funding/index.html"``) to its source file
    and that file's path relative to the root; pages without one (theme pages such as
    ``404.html``) are reported at ``fallback``. ``links``, if given, has pages read ahead.
    """
    links = links if links is not None else SiteLinks(site_dir, site_url)
    broken = links.broken(skip=skip, only=only)
    for link in broken:
        source, rel = sources.get(link.page, (None, fallback))
        url = "/" + (link.page[: -len("index.html")] if link.page.endswith("index.html") else link.page)
        report.error(
            locate_link(source, rel, link),
            f"broken link on page {url}: {link.url!r}: {link.reason}",
            "broken-link",
        )
    return len(broken)
