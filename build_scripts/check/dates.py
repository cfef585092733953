"""Dates that cannot be: a source read before it was published, a figure dated centuries before the
sources that state it, and a quote that "states" a figure only inside a date ("by June 2026" for a
fact of 2026 robots)."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import units
from ..factbase import FactBase
from ..records.models import Range
from .statements import claimed, native_amounts

#: A figure dated this many years or more before the date of a source that states it is flagged.
MAX_YEARS_BEFORE_SOURCE = 100

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: Just before a number: "June ", "June 30, ", "30/06/", "FY", "in ", "by the end of "...
_DATE_BEFORE = re.compile(
    rf"(?:\b{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?|\b\d{{1,2}}[-/.]|\d{{4}}[-/.]|\bFY\s?|"
    r"\b(?:in|by|since|until|till|from|through|during|year|fiscal year|calendar year|end of|early|mid|late)\s+(?:the\s+)?)$",
    re.I,
)
#: Just after a number: "-06-30", "/2026", " June", "'s".
_DATE_AFTER = re.compile(rf"^(?:[-/.]\d{{1,2}}\b|\s+{_MONTH}(?:\s|$|,))", re.I)


def check_dates(fb: FactBase) -> None:
    """Add the findings of impossible or suspicious dates."""
    for source in fb.sources.values():
        if source.published is not None and source.accessed < source.published:
            fb.report.error(
                fb.where(source, "accessed"),
                f"accessed {source.accessed.isoformat()} is before the source was published ({source.published.isoformat()}); "
                "one of the two dates is wrong",
                "date-order",
            )
    stated = {sid: source.published or source.accessed for sid, source in fb.sources.items()}
    for fact in fb.facts.values():
        year = fact.as_of.year
        for citation in fact.citations:
            date = stated.get(citation.source)
            if date is not None and date.year - year >= MAX_YEARS_BEFORE_SOURCE:
                fb.report.warning(
                    fb.where(fact, "as_of"),
                    f"as_of {fact.as_of.isoformat()} is {date.year - year} years before source {citation.source!r} "
                    f"({date.isoformat()}) states the figure; check the year",
                    "date-gap",
                )
                break
        if fact.is_number and fact.unit != "year" and not units.rate_pair(fact.unit):
            _date_mistaken(fb, fact)


def _date_mistaken(fb: FactBase, fact) -> None:
    for i, citation in enumerate(fact.citations):
        figure = claimed(fact, citation, fb.settings.agreement_tolerance, fb.amounts)
        # only a whole number up to 9999 can be read off a date: most figures are not looked at further
        wanted = [w for w in ((figure.low, figure.high) if isinstance(figure, Range) else (figure,)) if _small_whole(w)]
        if not wanted:
            continue
        amounts = native_amounts(fact, citation, fb.amounts)
        for want in wanted:
            same = [a for a in amounts if a.value == want]
            if same and all(_in_date(citation.quote, a.start, a.end, a.value) for a in same):
                fb.report.error(
                    fb.where(fact, "citations", i, "quote"),
                    f"the quote gives {same[0].text.strip()!r} only as part of a date, not as the figure of fact {fact.id!r}; "
                    "cite a passage that states the figure",
                    "quote-date-as-figure",
                )
                break


def _small_whole(value: Decimal) -> bool:
    return 1 <= value <= 9999 and value == value.to_integral_value()


def _in_date(quote: str, start: int, end: int, value: Decimal) -> bool:
    if value != value.to_integral_value() or value < 1:
        return False
    before, after = quote[max(0, start - 30) : start], quote[end : end + 12]
    if _DATE_AFTER.match(after) and value <= 9999:
        return True
    if not _DATE_BEFORE.search(before):
        return False
    if re.search(r"\b(?:in|by|since|until|till|from|through|during|end of|early|mid|late)\s+(?:the\s+)?$", before, re.I):
        return 1000 <= value <= 2999  # "in 2026" is a year; "in 30 cities" is not a date
    return value <= 2999
