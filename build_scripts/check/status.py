"""Promise 4: status is earned, not typed.

``confirmed``: stated by a government source, or by two independent
publishers, without disagreement. ``reported``: stated by one other
publisher. ``disputed``: citations disagree (or an editor says so).
``retracted``: set by an editor only.
"""

from __future__ import annotations

from ..factbase import Derived, FactBase
from ..render.formatting import plural
from ..validate.models import SourceKind


def derive_statuses(fb: FactBase) -> None:
    """Set ``fb.derived[fact].status`` and the reason shown to readers on hover."""
    for fact in fb.facts.values():
        derived = fb.derived.setdefault(fact.id, Derived())
        value_conflicts = [c for c in derived.conflicts if c.kind == "values"]
        sources = [fb.sources[c.source] for c in fact.citations if c.source in fb.sources]
        publishers = sorted({s.publisher.casefold() for s in sources})
        if fact.status:
            derived.status, derived.reason = fact.status, f"Set by the desk: {fact.note}"
        elif value_conflicts:
            derived.status = "disputed"
            derived.reason = f"{plural(len(value_conflicts), 'disagreement', 'disagreements', fb.settings.locale)} between the figures the sources state."
        elif any(s.kind == SourceKind.government for s in sources):
            derived.status, derived.reason = "confirmed", "A government source states it."
        elif len(publishers) >= 2:
            derived.status, derived.reason = "confirmed", f"{len(publishers)} independent publishers state it."
        else:
            derived.status, derived.reason = "reported", "One publisher states it."
