"""``briefing serve`` renders and rebuilds only the pages an edit changes.

A :class:`PreviewSession` is what the plugin keeps between the rebuilds of one
``briefing serve`` (mkdocs keeps a plugin that has ``on_startup`` for the whole
process): the last good build's checked records and rendered pages, what each
page read from the records (:mod:`build_scripts.render.reads`), the compiled
templates and the snapshots of past commits the Changes page reads.

On a save the project is checked as in a full build (the whole fact base: a
status may depend on any other record); then only the pages that read a record
the save changed are rendered again, the others kept as they were. Each
generated page (and data download) is a real file in a folder of the session's
own, rewritten only when its content changed, so mkdocs' documented ``--dirty``
mode converts just those pages, and material's search plugin merges its index
as it does for any dirty build (its own way: the plugin does not reach into
another plugin's work). Every page and download served is what ``briefing
build`` makes, byte for byte (tests/e2e/test_preview.py compares them for
several kinds of edit); the preview's search index is material's dirty merge,
made for one page a rebuild: it keeps the old entries of the other pages a save
rebuilt beside their new ones, more with each save, until the server restarts
(the editors' page says so).

A change to a template, a setting, ``mkdocs.yml``, the theme overrides, the set
of hand-written pages, the footer every page shows, or the set or the titles of
the generated pages can change every page (titles in the navigation, the
footer): then every page is rendered, the served folder emptied and every page
built again, as after a build that failed while writing the site. A save that
leaves the records with errors changes nothing served, and the next good save is
compared with the last good build.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
import jinja2.bccache

from ..history.diff import SnapshotCache
from ..render.formatting import Formatter
from ..render.pages import RenderedPage, environment, page_specs, render_page
from ..render.reads import Changes, ReadingFactBase, Reads, file_hashes, merged, record_changes, template_reads
from .data import data_files
from .links import SiteLinks


class PageFolder:
    """Generated files as real files, each rewritten only when its content changes."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="briefing-pages-"))

    def write(self, name: str, content: str | bytes) -> Path:
        """The file holding ``content`` for the page ``name``; untouched (same mtime) if it already does."""
        path = self.path / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            if path.read_bytes() == data:
                return path
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def remove(self) -> None:
        """Delete the folder (when serving ends)."""
        shutil.rmtree(self.path, ignore_errors=True)


def layout_signature(root: Path, settings, config) -> str:
    """What every page depends on besides the records: templates, settings, mkdocs.yml, theme overrides,
    which hand-written pages exist and their titles (in every page's navigation; the rest of their
    contents is mkdocs' own dirty check)."""
    digest = hashlib.blake2b(digest_size=16)
    paths = [root / "pyproject.toml", Path(config.config_file_path or root / "mkdocs.yml")]
    for folder in (root / settings.templates_dir, *(Path(d) for d in config.theme.dirs if Path(d).is_relative_to(root))):
        paths.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    docs = Path(config.docs_dir)
    for path in sorted(docs.rglob("*")) if docs.is_dir() else ():
        digest.update(b"doc\0" + str(path.relative_to(docs)).encode())
        if path.suffix == ".md" and path.is_file():
            digest.update(title_part(path.read_text(encoding="utf-8", errors="replace")).encode() + b"\0")
    return digest.hexdigest()


def empty_folder(folder: Path) -> None:
    """Remove what is in ``folder`` (the served site), keeping the folder itself."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


#: A page's title in mkdocs: its front matter's, else its first level-one heading (``# Title`` or underlined with ``=``).
_HEADING = re.compile(r"^(#[ \t]|=+[ \t]*$)", re.MULTILINE)


def title_part(markdown: str) -> str:
    """The start of a page up to the line that gives its title in mkdocs' navigation (front matter included);
    the whole page when no line does, so that any change counts."""
    end = 0
    if markdown.startswith("---"):
        close = markdown.find("\n---", 3)
        end = close + 4 if close >= 0 else len(markdown)
    found = _HEADING.search(markdown, end)
    if found is None:
        return markdown
    line_end = markdown.find("\n", found.start())
    return markdown[: len(markdown) if line_end < 0 else line_end]


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as Jinja compiled them, kept in memory between rebuilds (Jinja's documented
    bytecode cache: a template is compiled again when its source changes). mkdocs makes the theme's Jinja
    environment afresh for every build; without this, a save spends a tenth of a second compiling
    material's templates again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(_key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[_key(bucket)] = bucket.bytecode_to_string()


def _key(bucket: jinja2.bccache.Bucket) -> str:
    """A template's entry, apart for each set of environment options (a ``mkdocs.yml`` edit may change them)."""
    from ..render.template_cache import environment_key

    return f"{environment_key(bucket.environment)}/{bucket.key}"


@dataclass
class _Kept:
    """A page of the last good build and what it read."""

    page: RenderedPage
    reads: Reads


class PreviewSession:
    """What one ``briefing serve`` keeps between its rebuilds (see the module's description).

    The state of the last good build changes only when a build succeeds (:meth:`succeeded`): a build that
    fails is compared with nothing, and the next one with the last good build.
    """

    def __init__(self) -> None:
        self.folder = PageFolder()
        self.history = SnapshotCache()  # the Changes page's snapshots of commits (a commit never changes)
        self.theme_templates = CompiledTemplates()  # the theme's compiled templates (plugin.on_env)
        self._templates: tuple[Path, object] | None = None  # (folder, Jinja environment): compiled once, reloaded when changed
        self._template_reads: tuple[str, dict[str, Reads]] = ("", {})  # (inputs, reads by template) of those templates
        # the last good build
        self._inputs: str | None = None
        self._layout: str | None = None
        self._fb = None
        self._files: dict[str, str] = {}
        self._pages: dict[tuple, _Kept] = {}
        self._data: dict[str, str] | None = None
        self._links: dict[str, tuple] = {}  # built page -> (its file's mtime and size, its links, its ids)
        # this build, kept by succeeded()
        self._next: dict = {}
        #: The pages rendered by the last call of render (names), for tests and the log.
        self.rendered: list[str] = []

    def remove(self) -> None:
        """Delete the session's files (when serving ends)."""
        self.folder.remove()

    def environment(self, templates_dir: Path):
        if self._templates is None or self._templates[0] != templates_dir:
            self._templates = (templates_dir, environment(templates_dir))
        return self._templates[1]

    def render(self, fb, report, inputs: str, site_url: str, directory_urls: bool, publication) -> list[RenderedPage]:
        """The pages of the checked fact base ``fb``: those that read something the edit changed rendered
        again, the others as the last good build rendered them. ``inputs``: :func:`layout_signature`."""
        root = fb.root
        templates_dir = root / fb.settings.templates_dir
        env = self.environment(templates_dir)
        files = file_hashes(root, root / fb.settings.facts_dir)
        full = self._fb is None or inputs != self._inputs
        changes = Changes() if full else record_changes(self._fb, fb, self._files, files)
        if self._template_reads[0] != inputs:
            self._template_reads = (inputs, {})
        by_template = self._template_reads[1]
        reader = ReadingFactBase(fb)
        formatter = Formatter(fb.settings)
        pages: list[RenderedPage] = []
        kept: dict[tuple, _Kept] = {}
        self.rendered = []
        for spec in page_specs(fb, report):
            rel = spec.path.relative_to(templates_dir).as_posix()
            key = (spec.name, rel, tuple(sorted(spec.params.items())))
            before = None if full else self._pages.get(key)
            if before is not None and not before.reads.touched_by(changes):
                kept[key] = before
                pages.append(before.page)
                continue
            reads = Reads()
            page = render_page(
                reader, env, formatter, spec, report, site_url, directory_urls, publication, history=self.history, track=reader.reading(reads)
            )
            if page is None:
                continue
            # the site needs the Markdown only; a page kept for many saves must not keep its build's records alive
            page = replace(page, figures=None)
            if rel not in by_template:
                by_template[rel] = template_reads(env, rel)
            kept[key] = _Kept(page, merged(by_template[rel], reads))
            pages.append(page)
            self.rendered.append(page.name)
        self._next = {"inputs": inputs, "fb": fb, "files": files, "pages": kept, "changed": full or bool(changes)}
        return pages

    def data_files(self, fb, site_url: str, directory_urls: bool) -> dict[str, str]:
        """The data downloads: made again when a record changed (they list every record), else kept."""
        if self._next.get("changed", True) or self._data is None:
            self._next["data"] = data_files(fb, site_url, directory_urls)
        else:
            self._next["data"] = self._data
        return self._next["data"]

    def layout(self, furniture: dict, pages: list[RenderedPage]) -> str:
        """What every built page shows besides its own content: the inputs of :func:`layout_signature`, the footer,
        and the generated pages' names and titles. When it changes, every page is built again."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(str(self._next.get("inputs")).encode() + b"\0")
        digest.update(json.dumps(furniture, sort_keys=True, default=str).encode() + b"\0")
        for page in sorted(pages, key=lambda p: p.name):
            digest.update(page.name.encode() + b"\0" + title_part(page.markdown).encode() + b"\0")
        self._next["layout"] = digest.hexdigest()
        return self._next["layout"]

    def full_build(self) -> bool:
        """Whether the served folder must be built afresh (its layout changed, or the last build failed)."""
        return self._next.get("layout") != self._layout

    def succeeded(self) -> None:
        """The build was published: it is what the next one is compared with."""
        step = self._next
        self._inputs, self._layout, self._fb, self._files = step["inputs"], step.get("layout"), step["fb"], step["files"]
        self._pages, self._data = step["pages"], step.get("data")
        self._links = step.get("links", self._links)
        self._next = {}

    def failed(self, written: bool) -> None:
        """The build failed; if it had started ``written`` the served site, the next one builds every page afresh."""
        self._next = {}
        if written:
            self._inputs = self._layout = self._fb = self._data = None
            self._pages, self._files, self._links = {}, {}, {}

    def site_links(self, site_dir: Path, site_url: str) -> SiteLinks:
        """The links of the served site for the link check: read from the pages this build wrote, and kept
        from the last good build for the pages it left as they were (the same file: same time and size)."""
        links = SiteLinks(site_dir, site_url)
        known = {}
        for page in links.pages():
            path = Path(site_dir) / page
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            before = self._links.get(page)
            if before is not None and before[0] == key:
                urls, ids = before[1], before[2]
            else:
                urls, ids = SiteLinks.read(path.read_text(encoding="utf-8", errors="replace"))
            links.add(page, urls, ids)
            known[page] = (key, urls, ids)
        self._next["links"] = known
        return links
