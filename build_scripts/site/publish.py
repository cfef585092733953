"""Build the published site: mkdocs into a folder aside, the PDFs beside it, then swap it in.

The old ``site/`` is replaced only when everything succeeded, so a failed
build never leaves a half-published site. ``site`` is a symbolic link to one
complete build in ``.site-builds/``; a new build is published by renaming a
new link over it (one ``rename``, atomic: at every instant ``site/`` is the old
build or the new one, whatever kills the process). A ``site/`` that is still a
real folder is exchanged with the link in one ``renameat2(RENAME_EXCHANGE)``
where the system has it. Builds of one project take turns through a lock
(``.site-builds/lock``): a second build at once is refused with a message.
Faults (a full disk, a read-only project, a ``site`` that cannot be replaced,
a malformed ``SOURCE_DATE_EPOCH``) end in one named message and leave the
published site as it was.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .. import dates
from ..context import BuildContext
from ..findings import Location, Report
from ..logs import Records


def mkdocs_config(root: Path, site_dir: Path | None = None, **overrides):
    """``root/mkdocs.yml`` as mkdocs loads it (its own config loading; ``overrides`` as mkdocs takes them)."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # mkdocs-material's notice about MkDocs 2.0 is no news to a reader
    kwargs = {"config_file": str(root / "mkdocs.yml"), **overrides}
    if site_dir is not None:
        kwargs["site_dir"] = str(site_dir)
    return load_config(**kwargs)


def build_site(root: Path, strict: bool = False, pdf: bool = True) -> Report:
    """Check, render and build the site into ``<root>/site`` (and the PDFs); return the findings.

    On any failure the previous ``site/`` is left as it was.
    """
    from ..settings import load_settings

    root = root.resolve()
    settings = load_settings(root)
    report = Report()
    epoch_problem = dates.epoch_problem(os.environ.get("SOURCE_DATE_EPOCH"))
    if epoch_problem:
        report.error(Location("SOURCE_DATE_EPOCH"), epoch_problem, "build")
        return report
    target = site_target(root, settings, report)
    if target is None:
        return report
    try:
        with _build_lock(target):
            context = BuildContext.checked(root)  # checked once: the plugin builds from this context
            report.extend(context.fb.report)
            if report.failed(strict):
                return report
            with _pinned_dates(str(int(context.built.timestamp()))):
                return _build_checked(context, report, strict, pdf, target)
    except _Busy as exc:
        report.error(Location(settings.site_dir), str(exc), "build-busy")
    except OSError as exc:
        report.error(Location(settings.site_dir), f"the site could not be written: {_os_message(exc)}; the published site is unchanged", "build-io")
    return report


@contextlib.contextmanager
def _pinned_dates(epoch: str):
    """Within the block, ``SOURCE_DATE_EPOCH`` (which mkdocs reads for the sitemap, and the PDF export for
    its metadata) is the build's date; the environment is as it was afterwards."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class _Busy(Exception):
    """Another build of the same project holds the lock."""


def _os_message(exc: OSError) -> str:
    where = exc.filename if isinstance(exc.filename, str) else ""
    text = exc.strerror or str(exc)
    return f"{text} ({where})" if where else text


def site_target(root: Path, settings, report: Report) -> Path | None:
    """The folder ``site_dir`` names, or ``None`` with a finding when publishing there could delete the
    project's own files: the project root or a parent of it, a folder outside the project, ``docs/``, the
    facts or templates folders (or a folder holding them), or a regular file."""
    from .. import settings as settings_module

    rel = settings.site_dir
    where = settings_module.setting_location(root, "site_dir")
    target = (root / rel).absolute()
    resolved = Path(os.path.normpath(target))
    keep = [root / name for name in ("docs", settings.facts_dir, settings.templates_dir, ".git", "build_scripts", "tests")]
    problem = None
    if resolved == root or root.is_relative_to(resolved):
        problem = "is the project folder or one of its parents"
    elif not resolved.is_relative_to(root):
        problem = "is outside the project folder"
    elif any(resolved == k or k.is_relative_to(resolved) or resolved.is_relative_to(k) for k in map(lambda p: Path(os.path.normpath(p)), keep)):
        problem = "is or holds one of the project's own folders (docs, facts, templates...)"
    elif resolved.parent != root and not resolved.parent.is_dir():
        problem = "is in a folder that does not exist"
    if problem:
        report.error(where, f"site_dir {rel!r} {problem}: a build replaces that folder; choose a folder of its own such as 'site'", "settings")
        return None
    if not resolved.is_symlink() and resolved.exists() and not resolved.is_dir():
        report.error(Location(rel), f"{rel} is a file, not the site's folder; move it away and build again", "build")
        return None
    return resolved


@contextlib.contextmanager
def _build_lock(target: Path):
    """Hold the project's build lock (``fcntl.flock`` on a file in the builds folder) for the block."""
    builds = _builds_dir(target)
    builds.mkdir(exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on this system: builds do not take turns
        yield
        return
    with open(builds / "lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _Busy("another build of this project is running; the published site is unchanged: build again when it is done") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _builds_dir(target: Path) -> Path:
    """Where the complete builds ``site`` links to are kept, beside it."""
    return target.with_name(f".{target.name}-builds")


def _build_checked(context: BuildContext, report: Report, strict: bool, pdf: bool, target: Path) -> Report:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    root = context.root
    _remove_old_builds(target)  # those a killed build left behind
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=_builds_dir(target)))
    umask = os.umask(0o022)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the site is for everyone to read
    handler = Records()  # the warnings mkdocs logs: --strict fails on them, as mkdocs does
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        try:
            config = mkdocs_config(root, staging, strict=strict)
            plugin = config.plugins.get("briefing")
            if plugin is not None:
                plugin.use_context(context)
            build(config)
        except MkDocsException as exc:
            if context.report.failed():
                report.extend(context.report)  # the located findings behind the abort
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

            report.extend(export_pdfs(root, out_dir=staging / "pdf", fb=context.fb))
            if report.failed(strict):
                return report
            if context.link_sources:  # the pages' links to the PDFs, now that they are written
                from .links import check_site_links

                check_site_links(staging, context.link_sources, report, site_url=config.site_url or "", only=("pdf/",))
                if report.failed(strict):
                    return report
        _swap(staging, target)
        staging = None
        return report
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    """Publish ``staging`` as ``target`` at once: a new symbolic link renamed over the ``target`` link.

    A ``target`` that is still a real folder (a site built before builds were links) is exchanged with
    the new link in one ``renameat2(RENAME_EXCHANGE)``; where the system lacks it, the folder is renamed
    away first (the one moment without a site, once). Old builds are removed afterwards.
    """
    link = target.with_name(f".{target.name}-link-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(f"{_builds_dir(target).name}/{staging.name}", link)
    try:
        if target.is_dir() and not target.is_symlink():
            if not _exchange(link, target):
                old = _builds_dir(target) / f"old-{os.getpid()}"
                os.rename(target, old)
                try:
                    os.rename(link, target)
                except BaseException:
                    os.rename(old, target)
                    raise
            else:
                os.rename(link, _builds_dir(target) / f"old-{os.getpid()}")  # the old folder, now at the link's name
        else:
            os.replace(link, target)
    except BaseException:
        with contextlib.suppress(OSError):
            link.unlink()
        raise
    _remove_old_builds(target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2(RENAME_EXCHANGE)``; whether it was done (``False``
    where the system or the filesystem does not have it). Through ctypes: Python's ``os`` has no renameat2."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_old_builds(target: Path) -> None:
    """Remove every build but the one ``target`` links to (called under the build lock: no build is running)."""
    builds = _builds_dir(target)
    current = os.path.basename(os.readlink(target)) if target.is_symlink() else None
    for entry in builds.iterdir() if builds.is_dir() else ():
        if entry.name in ("lock", current):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    for stale in target.parent.glob(f".{target.name}-link-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def serve_site(root: Path, dev_addr: str = "127.0.0.1:8000") -> None:
    """Live preview: mkdocs serve, with the briefing plugin watching facts, templates and settings.

    A save rebuilds only the pages whose content it changed (mkdocs' dirty builds, see
    ``site/preview.py``); a template or setting change rebuilds every page. Not strict: mkdocs warns of
    every dirty build, and a preview shows the pages with their warnings rather than nothing.
    """
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    serve(config_file=str(root.resolve() / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, build_type="dirty", strict=False)
