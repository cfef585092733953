"""The pages of a build rendered in a second process, each ready when mkdocs comes to convert it.

A build renders every page from its template (about a fifth of the build) and then mkdocs
converts the pages one after the other (about half of it). Rendering a page needs nothing
from mkdocs, so a second process renders them in order while mkdocs converts the ones
before: on two cores the rendering costs the build little more than the first page.

The second process is forked after the check, so it has the checked records without their
being copied or sent (they cannot be sent cheaply); each rendered page comes back through a
one-way pipe, in the order of :func:`~build_scripts.render.pages.page_specs`. It renders with
the very code a build in one process runs (:func:`~build_scripts.render.pages.render_page`),
so the pages do not depend on where they were rendered; where a second process cannot help
or cannot be forked safely (one core, threads running, not Linux), or if it dies, the pages
are rendered here when asked for. It ends with its build: after the last page, when the build
stops early (:meth:`PagesAhead.close`), and on its own when the build's process is killed
(it watches its parent), so a killed build leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

from ..factbase import FactBase
from ..findings import Finding, Report
from .formatting import Formatter
from .pages import PageSpec, RenderedPage, environment, render_page, template_cache
from .publication import Publication


@dataclass(frozen=True)
class Rendering:
    """What every page of a build is rendered with, besides the records."""

    site_url: str = ""
    directory_urls: bool = True
    publication: Publication | None = None


@dataclass
class Rendered:
    """One page as the second process sends it: the page (``None`` if its template failed) and the
    findings rendering it added."""

    name: str
    page: RenderedPage | None
    findings: list[Finding] = field(default_factory=list)


class PagesAhead:
    """The pages of ``specs``, rendered ahead in a second process where that helps; :meth:`take` each."""

    def __init__(self, fb: FactBase, specs: list[PageSpec], rendering: Rendering) -> None:
        self.fb = fb
        self.specs = {spec.name: spec for spec in specs}
        self.rendering = rendering
        self._received: dict[str, Rendered] = {}
        self._taken: set[str] = set()
        self._here = None  # (environment, formatter) once a page is rendered in this process
        self._process = None
        self._receiver = None
        if len(specs) > 1 and _can_fork():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_render_all, args=(fb, specs, rendering, os.getpid(), sender), daemon=True)
            self._process.start()
            sender.close()
            self._receiver = receiver

    def take(self, name: str, report: Report) -> RenderedPage | None:
        """The page ``name`` (``None`` if its template failed: the problem is then in ``report``)."""
        rendered = self._received.pop(name, None)
        while rendered is None and self._receiver is not None:
            message = self._receive()
            if message is None:
                break
            if message.name == name:
                rendered = message
            else:
                self._received[message.name] = message
        if rendered is None:
            rendered = self._render_here(name)
        self._taken.add(name)
        report.extend(rendered.findings)
        return rendered.page

    def finish(self, report: Report) -> None:
        """Take the pages not asked for yet (their findings go to ``report``: a build that failed on a
        template reports every template's problems, as one rendered in one go does), and end the
        second process."""
        for name in self.specs:
            if name not in self._taken:
                self.take(name, report)
        self.close()

    def close(self) -> None:
        """End the second process (at once if pages are left: the build stopped early)."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if self._process is not None:
            if self._process.is_alive() and len(self._taken) < len(self.specs):
                self._process.terminate()
            self._process.join()
            self._process.close()
            self._process = None

    def _receive(self) -> Rendered | None:
        try:
            return self._receiver.recv()
        except (EOFError, OSError):  # the second process died (out of memory?): the rest is rendered here
            self.close()
            return None

    def _render_here(self, name: str) -> Rendered:
        if self._here is None:
            self._here = (environment(self.fb.root / self.fb.settings.templates_dir, template_cache(self.fb)), Formatter(self.fb.settings))
        env, formatter = self._here
        return _render(self.fb, env, formatter, self.specs[name], self.rendering)


def _render(fb: FactBase, env, formatter: Formatter, spec: PageSpec, rendering: Rendering) -> Rendered:
    report = Report()
    page = render_page(fb, env, formatter, spec, report, rendering.site_url, rendering.directory_urls, rendering.publication)
    if page is not None:
        page = RenderedPage(page.name, page.markdown, page.template)  # the site needs no figure renderer
    return Rendered(spec.name, page, list(report))


def _render_all(fb: FactBase, specs: list[PageSpec], rendering: Rendering, parent: int, sender) -> None:
    """The second process: render every page in order and send each as it is done."""
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    env = environment(fb.root / fb.settings.templates_dir, template_cache(fb))
    formatter = Formatter(fb.settings)
    try:
        for spec in specs:
            sender.send(_render(fb, env, formatter, spec, rendering))
    except (BrokenPipeError, OSError):  # the build no longer wants the pages
        pass
    finally:
        sender.close()


def _end_with(parent: int) -> None:
    """End this process as soon as ``parent`` is gone (killed: it cannot end us itself)."""
    while os.getppid() == parent:
        time.sleep(0.1)
    os.kill(os.getpid(), signal.SIGKILL)  # at once: nothing of this process is worth finishing


def _can_fork() -> bool:
    """Whether a forked second process can help and is safe: two cores for this process, Linux (where
    ``fork`` is safe; macOS's system libraries are not, and Windows has none), and no other thread
    running (a thread may hold a lock the fork would copy held)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1
