"""Promise 4: status is earned, not typed, and says why.

``confirmed``: stated by an official document (a government source), or by
citations of at least two independent origins (see :mod:`.origins`: outlets
relaying one report are one origin), without disagreement. ``reported``: one
origin. ``disputed``: citations disagree, unless every dissent is a claim the
desk has reviewed and rated ``incorrect`` (the rejected claim is then named in
the reason). ``retracted`` and an editor's ``disputed``: set by an editor, with
a note. :func:`status_reason` is the one place that words the reason readers see.
"""

from __future__ import annotations

from babel import Locale
from babel.lists import format_list

from ..factbase import Conflict, Derived, FactBase
from ..records.models import Fact, Rating, Review, SourceKind
from .origins import origins, same_outlet
from .snapshots import normalise


def derive_statuses(fb: FactBase) -> None:
    """Set ``fb.derived[fact]``: status, the origins that back it, rejected claims, and the reason."""
    locale = Locale.parse(fb.settings.locale)  # once, not for every reason worded
    for fact in fb.facts.values():
        derived = fb.derived.setdefault(fact.id, Derived())
        conflicts = [c for c in derived.conflicts if c.kind == "values"]
        rejected: dict[int, Review] = {}
        for conflict in conflicts:
            review = rejecting_review(fb, fact, conflict)
            if review is not None:
                rejected[conflict.second.citation] = review
        open_conflicts = [c for c in conflicts if c.second.citation not in rejected]
        dissent = {c.second.citation for c in conflicts}
        backing = [c for i, c in enumerate(fact.citations) if i not in dissent and c.source in fb.sources]
        official = [fb.sources[c.source] for c in backing if fb.sources[c.source].kind == SourceKind.government]
        found: list[str] = []  # one name per origin ("Nikkei" and "Nikkei Asia" are one)
        for c in backing:
            for name in origins(fb.sources[c.source], c, fb.origin_keys):
                if not any(same_outlet(name, known, fb.origin_keys) for known in found):
                    found.append(name)
        derived.origins = found
        derived.rejected = list(dict.fromkeys(r.id for r in rejected.values()))
        if fact.status:
            derived.status = fact.status
        elif open_conflicts:
            derived.status = "disputed"
        elif official or len(found) >= 2:
            derived.status = "confirmed"
        else:
            derived.status = "reported"
        derived.reason = status_reason(fb, fact, derived, open_conflicts, official, locale)


def rejecting_review(fb: FactBase, fact: Fact, conflict: Conflict) -> Review | None:
    """A review of this fact, rated incorrect, of the dissenting citation's source, whose claim is its quote."""
    if conflict.second.citation is None:
        return None
    citation = fact.citations[conflict.second.citation]
    quote = normalise(citation.quote)
    for review in fb.reviews_of(fact.id):
        if review.rating != Rating.incorrect or review.source != citation.source:
            continue
        claim = normalise(review.claim)
        if claim in quote or quote in claim:
            return review
    return None


def status_reason(fb: FactBase, fact: Fact, derived: Derived, open_conflicts: list[Conflict], official, locale: Locale | str | None = None) -> str:
    """Why the fact has its status, in readers' words ("confirmed: Kyodo News and Nikkei, independently");
    ``locale`` is the settings' locale, parsed or not."""
    locale = locale or fb.settings.locale
    if fact.status:
        reason = f"{fact.status}: set by the desk: {fact.note}"
    elif open_conflicts:
        who = sorted({
            origins(fb.sources[fact.citations[c.second.citation].source], fact.citations[c.second.citation], fb.origin_keys)[0]
            for c in open_conflicts
            if c.second.citation is not None and fact.citations[c.second.citation].source in fb.sources
        })
        reason = f"disputed: {format_list(who, locale=locale) if who else 'a source'} disagree{'s' * (len(who) == 1)} with the other sources"
    elif official:
        reason = f"confirmed: an official document ({format_list(sorted({s.publisher for s in official}), locale=locale)})"
    elif len(derived.origins) >= 2:
        reason = f"confirmed: {format_list(derived.origins, locale=locale)}, independently"
    elif derived.origins:
        relayed = len({c.source for c in fact.citations}) > 1
        reason = f"reported: only {derived.origins[0]}" + (" (the other sources relay the same report)" if relayed else "")
    else:
        reason = "reported: one source"
    for review_id in derived.rejected:
        review = fb.reviews[review_id]
        reason += f"; rejected claim: “{review.claim}” ({fb.sources[review.source].publisher}, rated incorrect)"
    return reason
