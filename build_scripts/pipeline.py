"""The stages run in order: load and validate, then check. Rendering and building call this first."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from .collector import collector_paused
from .factbase import FactBase
from .settings import load_settings
from .validate.records import fact_files, load_factbase

#: The last fact base checked with ``reuse=True``, with the signature of its input.
_last: tuple[tuple, FactBase] | None = None


def check_project(root: Path, *, reuse: bool = False) -> FactBase:
    """Load, validate and cross-check every record under ``root``; findings are in ``.report``.

    With ``reuse``, a fact base checked earlier in this process is returned again
    when nothing it was made from has changed: the same root, the same fact files
    with the same contents, the same settings and the same day (staleness depends
    on it). ``briefing build`` checks the facts, then mkdocs runs the plugin,
    which needs them too: they are read and checked once.
    """
    from .check import run_checks

    global _last
    root = root.resolve()
    settings = load_settings(root)
    key = _signature(root, settings.facts_dir) if reuse else None
    if key is not None and _last is not None and _last[0] == key:
        return _last[1]
    fb = FactBase(root=root, settings=settings)
    # The records live until the process ends: the collector would rescan them again and again while they
    # are built (PERF-NOTES), so it is paused during loading and checking, and what they left is then frozen.
    with collector_paused(freeze=True):
        load_factbase(fb)
        if not fb.report.errors:
            run_checks(fb)
    if key is not None:
        _last = (key, fb)
    return fb


def _signature(root: Path, facts_dir: str) -> tuple:
    """What a check result depends on: the settings file, each fact file's name and contents, and the day."""
    digest = hashlib.blake2b(digest_size=16)
    for path in [root / "pyproject.toml", *fact_files(root / facts_dir)] if (root / facts_dir).is_dir() else [root / "pyproject.toml"]:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
        digest.update(b"\0")
    # the snapshot folder named by the environment (the setting is in pyproject.toml, hashed above)
    return (str(root), facts_dir, digest.hexdigest(), os.environ.get("BRIEFING_TODAY"), os.environ.get("BRIEFING_SNAPSHOTS"), dt.date.today())
