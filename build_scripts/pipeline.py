"""The stages run in order: load and validate, then check. Rendering and building call this first."""

from __future__ import annotations

from pathlib import Path

from .factbase import FactBase
from .settings import load_settings
from .records.validate import load_factbase


def check_project(root: Path) -> FactBase:
    """Load, validate and cross-check every record under ``root``; findings are in ``.report``.

    Each call checks afresh: a build checks once and passes the result on in its
    :class:`~build_scripts.context.BuildContext`.
    """
    from .check import run_checks
    from .collector import collector_paused

    root = root.resolve()
    fb = FactBase(root=root, settings=load_settings(root))
    # the records are built in one go and live on: the collector would walk them again and again for
    # nothing (collector.py)
    with collector_paused():
        load_factbase(fb)
        if not fb.report.errors:
            run_checks(fb)
    return fb
