"""The one object a build passes through its stages.

``briefing build`` checks the project once, makes a :class:`BuildContext` and
hands it to the mkdocs plugin before mkdocs runs; a plain ``mkdocs build`` or
``mkdocs serve`` has the plugin make one itself. The stages read what earlier
stages put in it (the checked fact base, the settings, the build date) and add
their own results to it (findings, the built pages' sources), so nothing is
kept in module globals and nothing is checked twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .factbase import FactBase
from .findings import Report
from .settings import Settings


@dataclass
class BuildContext:
    """One build's data: made once per build, passed from stage to stage."""

    root: Path
    settings: Settings
    fb: FactBase  # loaded, validated and checked: its own ``report`` holds the checks' findings
    built: dt.datetime  # the build date every output states (build_scripts.dates.build_date: never the clock)
    report: Report = field(default_factory=Report)  # findings of the site stages (templates, pages, links)
    #: The source file (path, path relative to the root) of each built page, by its path in the site:
    #: filled by the plugin after mkdocs wrote the pages, read by the PDF links check.
    link_sources: dict[str, tuple[Path, str]] = field(default_factory=dict)

    @classmethod
    def checked(cls, root: Path) -> "BuildContext":
        """Load, validate and check the project at ``root`` (once) and wrap the result with its build date."""
        from .dates import build_date
        from .pipeline import check_project

        fb = check_project(root)
        return cls(root=fb.root, settings=fb.settings, fb=fb, built=build_date(fb))
