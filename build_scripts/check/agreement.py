"""Promise 3: sources agree, or the page says they do not.

Each citation's statement of a figure is compared with the fact record and
with every other citation, given the qualifiers ("more than 40" agrees with
44; 23 thousand does not agree with about 10 million). Amounts a quote gives
in another currency are converted with the reference exchange rate.
"""

from __future__ import annotations

from dataclasses import replace

from .. import units
from ..factbase import Conflict, Derived, FactBase, Statement
from ..render.formatting import Formatter
from ..records.models import Fact
from .rates import reference_rate, rounded_rate
from .statements import interval, stated

QUALIFIER_WORD = {"exact": "", "about": "about ", "up-to": "up to ", "at-least": "at least ", "more-than": "more than ", "less-than": "less than "}


def statements(fb: FactBase, fact: Fact, fmt: Formatter, *, located: bool = True) -> list[Statement]:
    """The fact record's statement, then each citation's (as the quote qualifies it).

    With ``located=False`` the statements carry no location yet (finding one may
    mean parsing the file again), nor the record's formatted text: :func:`_located`
    adds them where a conflict needs them.
    """
    record = Statement(
        fact.value, fact.unit, fact.qualifier.value, fmt.value(fact.value, fact.unit, fact.qualifier) if located else None, None,
        fb.where(fact, "value") if located else None,
    )
    out = [record]
    slack = fb.settings.agreement_tolerance
    for i, citation in enumerate(fact.citations):
        amount, figure = stated(fact, citation, slack, fb.amounts)
        qualifier = amount.qualifier if amount else fact.qualifier.value
        out.append(
            Statement(
                figure,
                fact.unit,
                qualifier,
                amount.text if amount else citation.quote,
                i,
                fb.where(fact, "citations", i, "quote") if located else None,
            )
        )
    return out


def _located(fb: FactBase, fact: Fact, st: Statement, fmt: Formatter) -> Statement:
    """``st`` complete: located at the fact's value for the record (with its text), else at the citation's quote."""
    if st.location is not None:
        return st
    if st.citation is None:
        return replace(st, text=fmt.value(fact.value, fact.unit, fact.qualifier), location=fb.where(fact, "value"))
    return replace(st, location=fb.where(fact, "citations", st.citation, "quote"))


def _who(fact: Fact, st: Statement) -> str:
    return "the fact record" if st.citation is None else f"source {fact.citations[st.citation].source!r}"


def check_agreement(fb: FactBase) -> None:
    """Report disagreeing citations and wrong conversions; record them for the status and the pages."""
    fmt = Formatter(fb.settings)
    slack = fb.settings.agreement_tolerance
    for fact in fb.facts.values():
        fb.derived.setdefault(fact.id, Derived())
        if not fact.is_number or units.rate_pair(fact.unit):
            continue
        said = statements(fb, fact, fmt, located=False)
        record, cited = said[0], said[1:]
        # a citation whose quote states the fact's own value backs the record; the others state their own figure
        backing = [st for st in cited if st.value == fact.value]
        for st in cited:
            # every statement is compared with the record; a differing figure also with the earlier differing ones
            own = st.value == fact.value
            others = [record] + ([] if own else [o for o in cited if o.citation < st.citation and o.value != fact.value])
            for other in others:
                if interval(other.value, other.qualifier, slack).meets(interval(st.value, st.qualifier, slack)):
                    continue
                also = other if other is not record or not backing else backing[0]
                same = also is other
                st_at, other_at = _located(fb, fact, st, fmt), _located(fb, fact, other, fmt)
                also_at = other_at if same else _located(fb, fact, also, fmt)
                where = f"{other_at.location}" + (f", {also_at.location}" if not same else "")
                message = (
                    f"sources disagree on {fact.id!r}: {_who(fact, st)} states {_said(fmt, st)} "
                    f"but {_who(fact, other)} states {_said(fmt, other)} ({where})"
                )
                conflict = Conflict("values", fact.id, also_at, st_at, message)
                record_conflict(fb, fact, conflict, st_at.location, "disagreement", [other_at.location, also_at.location])
        if units.is_currency(fact.unit):
            _check_conversions(fb, fact, fmt)


def _said(fmt: Formatter, st: Statement) -> str:
    return QUALIFIER_WORD.get(st.qualifier, "") + fmt.amount(st.value, st.unit) if not hasattr(st.value, "low") else fmt.range(st.value, st.unit)


def _check_conversions(fb: FactBase, fact: Fact, fmt: Formatter) -> None:
    tolerance = fb.settings.conversion_tolerance
    for i, citation in enumerate(fact.citations):
        amounts = fb.amounts(citation.quote)
        for j, foreign in enumerate(amounts):
            if foreign.unit in (None, "percent", fact.unit) or not units.is_currency(foreign.unit):
                continue
            native = next((a for a in reversed(amounts[:j]) if a.unit == fact.unit), None)
            if native is None or not foreign.value:
                continue
            found = reference_rate(fb, fact.unit, foreign.unit, fact.as_of)
            if found is None:
                fb.report.warning(
                    fb.where(fact, "citations", i, "quote"),
                    f"quote converts {fact.unit} into {foreign.unit} but there is no reference rate fact "
                    f"(unit {fact.unit}-per-{foreign.unit}) to check it against",
                    "no-reference-rate",
                )
                continue
            rate_fact, factor = found
            implied = native.value / foreign.value
            off = implied / factor
            if abs(off - 1) <= tolerance:
                continue
            location = fb.where(fact, "citations", i, "quote")
            scale = off if off >= 1 else 1 / off
            size = f"off by a factor of {rounded_rate(scale)}" + (" (orders of magnitude)" if scale >= 100 else "") if scale >= 2 else f"{abs(off - 1):.1%} away"
            message = (
                f"source {citation.source!r} converts {native.text!r} to {foreign.text!r}, implying "
                f"{fmt.amount(rounded_rate(implied), fact.unit + '-per-' + foreign.unit)}; the reference rate is "
                f"{fmt.amount(factor, fact.unit + '-per-' + foreign.unit)} (fact {rate_fact.id!r}, {fb.where(rate_fact, 'value')}): {size}"
            )
            record = Statement(native.value, fact.unit, native.qualifier, native.text, i, location)
            converted = Statement(foreign.value, foreign.unit, foreign.qualifier, foreign.text, i, location)
            conflict = Conflict("conversion", fact.id, record, converted, message, rounded_rate(implied), factor, rate_fact.id)
            record_conflict(fb, fact, conflict, location, "conversion", [fb.where(rate_fact, "value")])


def record_conflict(fb: FactBase, fact: Fact, conflict: Conflict, location, code: str, related) -> None:
    """Record a conflict on the fact and the fact base, and report it: a warning, unless the desk has reviewed
    the dissenting claim and rated it incorrect; the editor then has nothing left to do about it, so it is a
    note (readers still see it, with the rejected claim)."""
    from .status import rejecting_review

    fb.derived.setdefault(fact.id, Derived()).conflicts.append(conflict)
    fb.conflicts.append(conflict)

    review = rejecting_review(fb, fact, conflict)
    if review is None:
        fb.report.warning(location, conflict.message, code, related=related)
    else:
        fb.report.note(location, f"{conflict.message}; reviewed by the desk and rated incorrect (review {review.id!r})", code, related=related)
