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
from pathlib import Path

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
    _reproducible_dates(fb)
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
            with background.enabled():  # the plugin renders the pages in a second process (background.py)
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


#: The SOURCE_DATE_EPOCH this module set, if any: a later build of another project in the same process
#: pins its own dates instead of inheriting the first project's.
_pinned_epoch: str | None = None


def _reproducible_dates(fb) -> None:
    """Pin build dates (sitemap, PDF metadata) to the newest date in the records unless the caller set one."""
    global _pinned_epoch
    current = os.environ.get("SOURCE_DATE_EPOCH")
    if current is not None and current != _pinned_epoch:
        return
    import calendar

    from ..render.publication import last_updated

    newest = last_updated(fb)
    if newest is not None:
        _pinned_epoch = os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(newest.timetuple()))


def serve_site(root: Path, dev_addr: str = "127.0.0.1:8000") -> None:
    """Live preview: mkdocs serve, with the briefing plugin watching facts and templates."""
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(config_file=str(root.resolve() / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
