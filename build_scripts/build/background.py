"""Render the briefing's pages in a second process while mkdocs builds the site.

Rendering the templates of a large briefing costs about a quarter of what
mkdocs itself spends on the same pages, and the two are independent: mkdocs
needs a page's Markdown only when it reaches that page. So during
``briefing build`` the plugin forks a child right after checking the facts
(the child shares the checked fact base, copy-on-write), the child renders the
page templates one after the other and sends each page as soon as it is done,
and mkdocs reads each page from it when it gets there (``on_page_read_source``).
On a machine with two cores the rendering then costs almost no wall time. The
child then computes the data downloads (``data_files``; mkdocs writes them
after reading every page) and, once mkdocs builds the pages, scans
each built page for figures without a source (``check_page``) while mkdocs
builds the next one. It also makes the site's search index from each page's
converted content (``search.py``), during mkdocs' first pass, when it would
otherwise wait. On a large site the child falls behind; the parent then takes
work back, so that both cores work until the end instead of the parent waiting
for the child: it indexes the pages the child has not begun by the time mkdocs'
second pass reaches them (:meth:`BackgroundPages.claim`), and reads a built page
itself while the child has :data:`BACKLOG` built pages still to read (it then
sends the child only the page's links, for the link check).

The pages, their order and every finding are the same as with
:func:`build_scripts.render.pages.render_pages`; only the moment a template
problem is reported moves, from before mkdocs starts to the first page that
cannot be read (the build fails all the same, and leaves the published site
alone). Only ``briefing build`` turns this on (:func:`enabled`); ``mkdocs
serve``, which runs threads, and a plain ``mkdocs build`` render in process, as
does any platform without ``fork``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import traceback
from pathlib import Path
from typing import Iterator

from ..factbase import FactBase
from ..findings import Finding, Location, Report
from ..render.pages import PageSpec, RenderedPage, environment, page_specs, render_page

_enabled = False

#: Who indexes a handed-over page for search: nobody yet, the child, the parent (one byte a page, shared).
PENDING, CHILD, PARENT = 0, 1, 2
#: Pages beyond this many handed over are always the child's (the shared claims are 1 MB).
MAX_CLAIMS = 1 << 20
#: Built pages the child may have still to read before the parent reads the next one itself.
BACKLOG = 2


@contextlib.contextmanager
def enabled() -> Iterator[None]:
    """Within the block, the plugin renders pages in a background process when it can."""
    global _enabled
    outer, _enabled = _enabled, True
    try:
        yield
    finally:
        _enabled = outer


def available() -> bool:
    """Whether to fork the renderer: only when enabled and no other thread runs.

    Forking a process that runs threads (a test's browser driver, a server) can copy a lock some
    thread holds, and the child then waits for it forever: such processes render in process.
    """
    return _enabled and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()



def _render_all(
    fb: FactBase, specs: list[PageSpec], site_url: str, directory_urls: bool, queue, extra, inbox, site_dir, shared=None, publication=None
) -> None:
    """The child: render every template in order, sending each page, then compute the ``extra`` files,
    then send the findings; then read the built pages the parent sends (figure promise, links), until
    told to finish."""
    # The reader thread must get its turn as soon as the parent writes: with the default switch
    # interval (5 ms) the pipe stays full that long while this process renders, and the parent waits.
    sys.setswitchinterval(0.0002)
    _die_with_parent()
    inbox = _drained(inbox)
    try:
        from ..render.formatting import Formatter

        env = environment(fb.root / fb.settings.templates_dir)
        formatter = Formatter(fb.settings)
        report = Report()
        for spec in specs:
            page = render_page(fb, env, formatter, spec, report, site_url, directory_urls, publication)
            queue.put(("page", spec.name, None if page is None else page.markdown))
        if extra is not None:
            queue.put(("extra", extra(fb, site_url, directory_urls)))
        queue.put(("report", list(report)))
        _scan_pages(inbox, queue, site_dir, site_url, shared)
    except BaseException:  # noqa: BLE001 - whatever happens, the parent must hear of it
        queue.put(("crash", traceback.format_exc()))


def _die_with_parent() -> None:
    """Have the kernel stop this child when the build that forked it dies (a killed build leaves no
    renderer behind): Linux's ``PR_SET_PDEATHSIG``, through ctypes (Python's ``os`` does not offer it)."""
    import ctypes
    import os
    import signal

    known = multiprocessing.parent_process()
    parent = known.pid if known is not None else os.getppid()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _drained(conn):
    """A queue of what the parent sends on ``conn``, read by a thread of the child as it comes.

    The parent writes to a pipe (a ``multiprocessing.Queue`` would leave a feeder thread in the parent,
    stuck for good when the child is stopped, and no later build could fork); this thread keeps the
    pipe empty while the child renders, so that the parent's writes never wait on it.
    """
    import queue as queue_module

    pages: queue_module.SimpleQueue = queue_module.SimpleQueue()

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = ("finish", None, ())  # the parent is gone: nothing more to read
            pages.put(message)
            if message[0] == "finish":
                return

    threading.Thread(target=read, name="briefing-inbox", daemon=True).start()
    return pages


def _scan_pages(inbox, queue, site_dir, site_url: str, shared=None) -> None:
    """What the parent sends, in order: each converted page for the search index (``entries_of``), unless
    the parent has claimed it first (in ``shared``, a :class:`Shared`);
    each built page, read while mkdocs builds the next ones, for the figure-promise scan
    (``check_page``) and its links (``SiteLinks.preload``), or only the links of a page the parent
    read itself; at the end, the check of every internal link."""
    from .links import SiteLinks, check_site_links
    from .search import entries_of

    report = Report()
    exempted: list[tuple[int, str, str]] = []
    entries: dict[str, list[dict]] = {}
    links = SiteLinks(Path(site_dir), site_url) if site_dir is not None else None
    while True:
        message = inbox.get()
        if message[0] == "index":  # a converted page for the search index (search.py)
            _, number, src_uri, page = message
            if shared is None or shared.take(number, CHILD):
                entries[src_uri] = entries_of(page)
            continue
        if message[0] == "entries":
            queue.put(("entries", entries))
            entries = {}
            continue
        if message[0] == "finish":
            _, sources, skip = message
            broken = Report()
            if links is not None and sources is not None:
                check_site_links(links.site_dir, sources, broken, site_url=site_url, skip=skip, links=links)
            queue.put(("scans", list(report), exempted, list(broken)))
            return
        if message[0] == "links":  # a built page the parent read: its links, for the link check
            _, dest, urls, ids = message
            if links is not None:
                links.add(dest, urls, ids)
            continue
        _, number, html, dest, scan = message
        tree = _read_built(number, html, scan, report, exempted)
        if links is not None:
            links.preload(dest, html, tree)
        if shared is not None:
            shared.read.value += 1


def _read_built(number: int, html: str, scan, report: Report, exempted: list[tuple[int, str, str]]):
    """Parse built page ``number`` once and, with ``scan`` = (source, source relative to the root, page url),
    scan it for figures without a source (findings to ``report``, exempted texts as (number, url, text));
    the parsed page, for its links. Done by the child, or by the parent when the child is behind."""
    from .promise import check_page

    tree = _parse(html)
    if scan is not None:
        source, rel, url = scan
        exempted.extend((number, url, text) for text in check_page(html, source, rel, url, report, tree))
    return tree


def _parse(html: str):
    """The built page as lxml reads it, or ``None`` (empty, or unreadable: each reader then tries on its own).

    Plain ``etree`` elements, not ``lxml.html``'s: the same parser and tree, without a Python class
    lookup for every element the readers walk (a fifth of the scan on a large page)."""
    from lxml import etree

    if not html.strip():
        return None
    try:
        return etree.fromstring(html, etree.HTMLParser())
    except (ValueError, etree.ParserError):
        return None


class Shared:
    """What both processes see, in shared memory made before the fork: which process indexes each
    handed-over page (a byte a page, set once, under a lock), and how many built pages the child has
    read (``read.value``, written by the child only)."""

    def __init__(self, context, size: int = MAX_CLAIMS) -> None:
        self._who = context.RawArray("b", size)
        self._lock = context.Lock()
        self.read = context.RawValue("q", 0)

    def take(self, number: int, who: int) -> bool:
        """Claim page ``number`` for ``who`` unless the other process has; whether ``who`` holds it now."""
        if number >= len(self._who):
            return who == CHILD  # beyond the shared bytes: the child's, unasked
        with self._lock:
            if self._who[number] == PENDING:
                self._who[number] = who
            return self._who[number] == who


def later_file(config, path: str, fetch):
    """A generated mkdocs file whose content is ``fetch()``, called when mkdocs writes it (or reads it)."""
    from mkdocs.structure.files import File

    class _Later(File):
        @property
        def _content(self):
            if self.__dict__.get("_fetch") is not None:
                self.__dict__["_value"] = self.__dict__.pop("_fetch")()
            return self.__dict__.get("_value")

        @_content.setter
        def _content(self, value) -> None:
            self.__dict__["_value"] = value

    file = _Later.generated(config, path, content="")
    file.__dict__["_fetch"] = fetch
    return file


class BackgroundPages:
    """The pages of a fact base, rendered by a child process; :meth:`markdown` waits for one."""

    def __init__(
        self, fb: FactBase, site_url: str = "", directory_urls: bool = True, extra=None, site_dir: Path | None = None, publication=None
    ) -> None:
        """Start rendering; ``extra(fb, site_url, directory_urls)``, if given, is computed by the child too,
        after the pages (the plugin's data downloads, a dict of files, needed only when mkdocs writes
        the static files), see :meth:`extra`. With ``site_dir``, the child also checks the links of
        the built site (:meth:`built`, :meth:`scans`)."""
        #: Problems found before rendering (a template name with an unknown bracketed part).
        self.early = Report()
        self.specs = page_specs(fb, self.early)
        #: The pages to come, in rendering order, as placeholders without Markdown.
        self.pages = [RenderedPage(s.name, "", s.path.relative_to(fb.root).as_posix()) for s in self.specs]
        self._names = {p.name for p in self.pages}
        self._done: dict[str, str | None] = {}
        self._extra = None
        self._scans: tuple[list[Finding], list[tuple[str, str]]] | None = None
        self._findings: list[Finding] | None = None
        self._crash: str | None = None
        self._entries: dict[str, list[dict]] | None = None
        self._asked = False
        self._handed = 0
        self._built = 0  # pages built, in order
        self._to_child = 0  # built pages sent to the child to read
        self._site_dir = site_dir
        self._here = Report()  # findings of the built pages read here
        self._exempted_here: list[tuple[int, str, str]] = []
        context = multiprocessing.get_context("fork")
        self._shared = Shared(context)
        self._queue = context.Queue()  # child -> parent
        inbox_reader, self._inbox = context.Pipe(duplex=False)  # parent -> child: built pages to scan
        self._process = context.Process(
            target=_render_all,
            args=(fb, self.specs, site_url, directory_urls, self._queue, extra, inbox_reader, site_dir, self._shared, publication),
            name="briefing-render",
            daemon=True,
        )
        self._process.start()
        inbox_reader.close()  # the child's end: a write to a stopped child then fails instead of waiting

    def _receive(self) -> None:
        if self._crash is not None or self._scans is not None:
            raise RuntimeError("nothing more to come")
        try:
            message = self._queue.get(timeout=1)
        except Exception:  # queue.Empty: is the child still there?
            if not self._process.is_alive():
                self._crash = f"the page renderer stopped (exit code {self._process.exitcode})"
            return
        kind = message[0]
        if kind == "extra":
            self._extra = message[1]
        elif kind == "page":
            self._done[message[1]] = message[2]
        elif kind == "report":
            self._findings = message[1]
        elif kind == "scans":
            self._scans = (message[1], message[2], message[3])
        elif kind == "entries":
            self._entries = message[1]
        else:
            self._crash = message[1]

    def extra(self):
        """What ``extra`` computed, waiting for it (``None`` if the child failed first: see :meth:`report`)."""
        while self._extra is None and self._crash is None and self._findings is None:
            self._receive()
        return self._extra

    def extra_file(self, path: str):
        """One file of what ``extra`` computed (``extra`` returns a dict of files)."""
        files = self.extra()
        if files is None or path not in files:
            from mkdocs.exceptions import PluginError

            problem = self.report()
            raise PluginError(f"the data download {path} was not made: {problem.format() or 'the page renderer gave none'}")
        return files[path]

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def markdown(self, name: str) -> str | None:
        """The Markdown of page ``name``, waiting for it; ``None`` if its template failed (see :meth:`report`)."""
        while name not in self._done and self._crash is None and self._findings is None:
            self._receive()
        return self._done.pop(name, None)  # mkdocs keeps the page's own copy: not twice in memory

    def report(self) -> Report:
        """The findings of rendering, once every page is rendered (a crash of the child is one of them)."""
        while self._findings is None and self._crash is None:
            self._receive()
        report = Report(self._findings or ())
        if self._crash is not None:
            report.error(Location("templates"), f"rendering the pages failed: {self._crash.strip().splitlines()[-1]}", "template")
        return report

    def built(self, html: str, dest: str, scan: tuple[Path, str, str] | None) -> None:
        """Hand a built page (its path in the site, ``dest``) to the child: for the link check, and, with
        ``scan`` = (source, source relative to the root, page url), for figures without a source.

        While the child has :data:`BACKLOG` built pages still to read, the page is read here instead,
        and the child gets only its links."""
        number, self._built = self._built, self._built + 1
        if not self._child_behind():
            self._to_child += 1
            self._send(("page", number, html, dest, scan))
            return
        from .links import SiteLinks

        tree = _read_built(number, html, scan, self._here, self._exempted_here)
        if self._site_dir is not None:
            self._send(("links", dest, *SiteLinks.read(html, tree)))

    def index(self, src_uri: str, page) -> int:
        """Hand a converted page (a :class:`~build_scripts.build.search.IndexedPage`) to the child for the
        search index; its number, for :meth:`claim`."""
        number, self._handed = self._handed, self._handed + 1
        self._send(("index", number, src_uri, page))
        return number

    def _child_behind(self) -> bool:
        return self._to_child - self._shared.read.value >= BACKLOG

    def claim(self, number: int) -> bool:
        """Take the indexing of handed-over page ``number`` from the child if it has not begun it: whether
        this process is to index it (then the child skips it, and its entries do not come)."""
        return self._shared.take(number, PARENT)

    def ask_entries(self) -> None:
        """Tell the child that every page is handed over: it sends the entries once it has indexed them."""
        if not self._asked:
            self._asked = True
            self._send(("entries",))

    def search_entries(self) -> dict[str, list[dict]]:
        """The search entries of every page handed over with :meth:`index`, by ``src_uri``, waiting for them."""
        self.ask_entries()
        if self._crash is None:
            while self._entries is None and self._crash is None:
                self._receive()
        entries, self._entries = self._entries, None
        if entries is None:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"the search index was not made: {self.report().format() or 'the page renderer gave none'}")
        return entries

    def _send(self, message) -> None:
        try:
            self._inbox.send(message)
        except OSError:  # the child stopped: _receive() tells why
            pass

    def scans(self, sources: dict[str, tuple[Path, str]] | None = None, skip: tuple[str, ...] = ()) -> tuple[Report, list[tuple[str, str]], Report]:
        """The findings of the figure scans of every :meth:`built` page, the ``data-figure-exempt`` texts
        as (page url, text) in order, and the broken internal links of the site (``sources`` and ``skip``
        as for :func:`~build_scripts.build.links.check_site_links`; no link check without ``sources``)."""
        self.report()  # every page rendered first
        if self._crash is None:
            self._send(("finish", sources, skip))
            while self._scans is None and self._crash is None:
                self._receive()
        report = Report(self._scans[0] if self._scans else ())
        report.extend(self._here)
        if self._crash is not None:
            report.error(Location("templates"), f"scanning the built pages failed: {self._crash.strip().splitlines()[-1]}", "build")
        # in the order built; within a page, in the page's order (the sort is stable)
        exempted = sorted([*(self._scans[1] if self._scans else ()), *self._exempted_here], key=lambda e: e[0])
        return report, [(url, text) for _, url, text in exempted], Report(self._scans[2] if self._scans else ())

    def close(self) -> None:
        """Stop the child if it still runs (the build failed) and reap it."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._queue.close()
        self._inbox.close()
