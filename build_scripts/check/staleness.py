"""Stale citations: sources the desk last read too long ago.

A figure is only as current as the last reading of its sources. A source whose
``accessed`` date is more than ``stale_after_days`` (a setting, 365 by default)
before today gets a warning at that date, naming every citation of it, so an
editor re-reads the source (and updates ``accessed``) or replaces it.

"Today" is the system date, unless the environment variable ``BRIEFING_TODAY``
names another (``YYYY-MM-DD``): checks that must not depend on the day they
run (tests, reproducible audits) pin it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter

from ..factbase import FactBase

TODAY_VARIABLE = "BRIEFING_TODAY"


def reference_date(today: dt.date | None = None) -> dt.date:
    """The date ages are measured from: ``today`` if given, else ``$BRIEFING_TODAY``, else the system date."""
    if today is not None:
        return today
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            pass
    return dt.date.today()


def check_staleness(fb: FactBase, today: dt.date | None = None) -> None:
    """Warn about every source cited by a fact and last read more than ``stale_after_days`` ago."""
    limit = fb.settings.stale_after_days
    today = reference_date(today)
    cutoff = today - dt.timedelta(days=limit)
    cited: dict[str, list] = {}  # source id -> (fact, citation index), in file order: one pass, not one per source
    for fact in fb.facts.values():
        for i, c in enumerate(fact.citations):
            cited.setdefault(c.source, []).append((fact, i))
    for source in fb.sources.values():
        if source.accessed >= cutoff:
            continue
        citations = cited.get(source.id, [])
        if not citations:
            continue
        per_fact = Counter(fact.id for fact, _ in citations)  # one pass: a source may be cited hundreds of times
        named = ", ".join(fact.id if per_fact[fact.id] == 1 else f"{fact.id} (citation {i + 1})" for fact, i in citations)
        age = (today - source.accessed).days
        fb.report.warning(
            fb.where(source, "accessed"),
            f"stale citation{'s' * (len(citations) != 1)}: source {source.id!r} was last read on {source.accessed.isoformat()}, "
            f"{age} days ago (more than stale_after_days = {limit}); re-read it and update 'accessed', or cite a newer source. "
            f"Cited by: {named}",
            "stale-source",
            related=[fb.where(fact, "citations", i) for fact, i in citations],
        )
