"""Promise 2: the quote supports the figure.

A number is supported when the quote states it in some written form; a list of
names when each name appears in one of the fact's quotes; an exchange rate
when a quote states an amount in both currencies whose ratio is the rate.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .. import units
from ..factbase import FactBase
from ..render.formatting import Formatter
from ..records.models import Fact, Range
from .amounts import CURRENCY_NAMES
from .statements import _is_year, claimed, interval, native_amounts, reading

#: Quotes longer than this many words get a warning: excerpts, not copies.
MAX_QUOTE_WORDS = 40
#: How close a rate quote's implied ratio must be to the rate fact.
RATE_QUOTE_TOLERANCE = Decimal("0.01")


def check_quotes(fb: FactBase) -> None:
    """Add a finding for every citation whose quote does not state its figure."""
    fmt = Formatter(fb.settings)
    for fact in fb.facts.values():
        for i, citation in enumerate(fact.citations):
            words = len(citation.quote.split())
            if words > MAX_QUOTE_WORDS:
                fb.report.warning(
                    fb.where(fact, "citations", i, "quote"),
                    f"quote of {words} words is long; keep verbatim excerpts to about 30 words",
                    "long-quote",
                )
            if citation.states is not None:
                if not fact.is_number:
                    fb.report.error(fb.where(fact, "citations", i, "states"), "'states' applies only to numeric facts", "states")
                elif citation.states == fact.value:
                    fb.report.warning(fb.where(fact, "citations", i, "states"), "'states' equals the fact's value; remove it", "states")
        if units.rate_pair(fact.unit):
            _check_rate(fb, fact)
        elif fact.is_number:
            _check_number(fb, fact, fmt)
        elif fact.unit == "names":
            _check_names(fb, fact)


def _check_number(fb: FactBase, fact: Fact, fmt: Formatter) -> None:
    slack = fb.settings.agreement_tolerance
    for i, citation in enumerate(fact.citations):
        if isinstance(fact.value, Range):
            _check_range(fb, fact, fmt, i)
            continue
        found = reading(fact, citation, slack, fb.amounts)
        if found.amount is not None:
            if citation.states is not None and citation.states != fact.value:
                needed = [a for a in found.candidates if fact.unit == "year" or not _is_year(a)]
                if len(needed) <= 1:
                    fb.report.warning(
                        fb.where(fact, "citations", i, "states"),
                        "'states' is not needed: the quote states one figure, which the checker reads itself; remove it",
                        "states",
                    )
            continue
        said = ", ".join(repr(a.text) for a in found.candidates)  # worded only for a finding
        if found.ambiguous:
            message = (
                f"quote states several figures ({said}) and none is the figure "
                f"{fmt.amount(fact.value, fact.unit)} of fact {fact.id!r}: record the one this source gives with 'states:'"
            )
        else:
            shown = fmt.amount(claimed(fact, citation, slack, fb.amounts), fact.unit)
            hint = f"; it states {said}" if said else ""
            message = f"quote does not state the figure {shown} of fact {fact.id!r}{hint}"
        fb.report.error(fb.where(fact, "citations", i, "quote"), message, "quote-missing-figure")


def _check_range(fb: FactBase, fact: Fact, fmt: Formatter, i: int) -> None:
    citation = fact.citations[i]
    figure = citation.states if citation.states is not None else fact.value
    wanted = [figure.low, figure.high] if isinstance(figure, Range) else [figure]
    amounts = native_amounts(fact, citation, fb.amounts)
    found = {a.value for a in amounts}
    missing = [w for w in wanted if w not in found]
    if not missing:
        return
    shown = ", ".join(fmt.amount(w, fact.unit) for w in missing)
    hint = f"; it states {', '.join(repr(a.text) for a in amounts)}: if the source gives a different figure, record it with 'states:'" if amounts else ""
    fb.report.error(
        fb.where(fact, "citations", i, "quote"),
        f"quote does not state the figure {shown} of fact {fact.id!r}{hint}",
        "quote-missing-figure",
    )


def _check_names(fb: FactBase, fact: Fact) -> None:
    quotes = " ".join(c.quote for c in fact.citations).casefold()
    for i, name in enumerate(fact.value):
        if name.casefold() not in quotes:
            fb.report.error(
                fb.where(fact, "value", i),
                f"name {name!r} of fact {fact.id!r} appears in none of its quotes",
                "quote-missing-name",
            )


def _per_phrase(have: str, want: str) -> re.Pattern[str]:
    """What follows an amount that states a rate: "(yen) per dollar", "to the dollar", "a dollar"..."""
    def names(code: str) -> str:
        return "|".join([code, *(rx for rx, c in CURRENCY_NAMES.items() if c == code)])

    return re.compile(
        rf"\s*(?:(?:{names(have)})\s+)?(?:per|to\s+(?:the|one|a)|a|against\s+(?:the|one|a))\s+(?:{names(want)})(?![A-Za-z])",
        re.IGNORECASE,
    )


def _check_rate(fb: FactBase, fact: Fact) -> None:
    have, want = units.rate_pair(fact.unit)
    rate = fact.value if isinstance(fact.value, Decimal) else None
    per = _per_phrase(have, want)
    for i, citation in enumerate(fact.citations):
        amounts = fb.amounts(citation.quote)
        ok = rate is not None and (
            any(
                a.unit == have and b.unit == want and b.value and abs(a.value / b.value / rate - 1) <= RATE_QUOTE_TOLERANCE
                for a in amounts
                for b in amounts
            )
            # "the yen traded at about 150 per dollar": the rate stated as such
            or any(
                a.unit in (None, have)
                and per.match(citation.quote, a.end)
                and interval(a.value, a.qualifier, RATE_QUOTE_TOLERANCE).meets(interval(rate, fact.qualifier.value, RATE_QUOTE_TOLERANCE))
                for a in amounts
            )
        )
        if not ok:
            fb.report.error(
                fb.where(fact, "citations", i, "quote"),
                f"quote does not support the exchange rate {fact.value} {fact.unit}: it needs an amount in {have} "
                f"and its {want} equivalent whose ratio is within {RATE_QUOTE_TOLERANCE:%} of the rate",
                "quote-missing-figure",
            )
