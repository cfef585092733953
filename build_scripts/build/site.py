"""Build the published site: mkdocs into a folder aside, the PDFs beside it, then swap it in.

The old ``site/`` is replaced only when everything succeeded, so a failed
build never leaves a half-published site.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..findings import Location, Report
from ..logs import Records
from . import background


def _mkdocs_config(root: Path, site_dir: Path | None = None, **overrides):
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    kwargs = {"config_file": str(root / "mkdocs.yml"), **overrides}
    if site_dir is not None:
        kwargs["site_dir"] = str(site_dir)
    return load_config(**kwargs)


def build_site(root: Path, strict: bool = False, pdf: bool = True) -> Report:
    """Check, render and build the site into ``<root>/site`` (and the PDFs); return the findings.

    On any failure the previous ``site/`` is left as it was.
    """
    from ..pipeline import check_project
    from ..settings import load_settings

    root = root.resolve()
    settings = load_settings(root)
    fb = check_project(root, reuse=True)  # the plugin reuses this check
    report = Report(fb.report)
    if report.failed(strict):
        return report
    # The checked records live as long as the build, and mkdocs makes garbage by the page: spare the
    # collector from walking them again and again (a big fact base is millions of objects; the forked
    # renderer also keeps sharing their memory pages), and give them back to it once the build is done.
    gc.freeze()
    try:
        return _build_checked(root, settings, fb, report, strict, pdf)
    finally:
        gc.unfreeze()


def _build_checked(root: Path, settings, fb, report: Report, strict: bool, pdf: bool) -> Report:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    target = root / settings.site_dir
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=root))
    handler = Records()  # the warnings mkdocs logs: --strict fails on them, as mkdocs does
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        try:
            config = _mkdocs_config(root, staging, strict=strict)
            with background.enabled(), _mkdocs_build_date(fb):  # the plugin renders the pages in a second process (background.py)
                build(config)
        except MkDocsException as exc:
            plugin = _briefing_plugin(locals().get("config"))
            if plugin is not None and getattr(plugin, "report", None) is not None and plugin.report.failed():
                report.extend(plugin.report)  # the located findings behind the abort
            else:
                report.error(Location("mkdocs.yml"), f"site build failed: {exc}", "build")
            return report
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
        if strict and handler.records:
            report.error(Location("mkdocs.yml"), f"mkdocs logged {len(handler.records)} warning(s) in strict mode", "build")
            return report
        if pdf:
            from ..export.pdf import export_pdfs

            report.extend(export_pdfs(root, out_dir=staging / "pdf", fb=fb))
            if report.failed(strict):
                return report
            plugin = _briefing_plugin(config)
            if plugin is not None:  # the pages' links to the PDFs, now that they are written
                from .links import check_site_links

                check_site_links(staging, plugin.link_sources(), report, site_url=config.site_url or "", only=("pdf/",))
                if report.failed(strict):
                    return report
        _swap(staging, target)
        staging = None
        return report
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)



def _briefing_plugin(config):
    if config is None:
        return None
    return config.plugins.get("briefing")


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with renames only (both are on one filesystem)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)  # put the published site back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _mkdocs_build_date(fb) -> Iterator[None]:
    """While mkdocs builds, its ``SOURCE_DATE_EPOCH`` (the sitemap's dates) is the project's build date.

    mkdocs reads the date only from that variable. It is set for the block and put back after,
    so that nothing else in the process (the PDF export among them) inherits one project's date:
    they ask :func:`build_scripts.dates.build_date` themselves.
    """
    from ..dates import build_date

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(build_date(fb).timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def serve_site(root: Path, dev_addr: str = "127.0.0.1:8000") -> None:
    """Live preview: mkdocs serve, with the briefing plugin watching facts and templates."""
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(config_file=str(root.resolve() / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
