"""What each citation states: the amounts of a quote read in terms of its fact's unit.

Shared by the quote, agreement and conversion checks, so that all three read
a quote the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Sequence

from .. import units
from ..records.models import Citation, Fact, Range
from .amounts import NUMBER_WORDS, Amount, extract_amounts

#: Relative slack of an "about" figure when comparing statements.
ABOUT = Decimal("0.10")
#: How the functions below read a quote's amounts: :func:`extract_amounts`, or (in the checks) the fact base's
#: ``amounts`` reader, which reads each quote once.
Read = Callable[[str], Sequence[Amount]]


def amount_kind(unit: str) -> str | None:
    """The unit an extracted amount must carry to state a figure in ``unit`` (None: a bare count)."""
    if units.is_currency(unit) or unit == "percent":
        return unit
    return None


def native_amounts(fact: Fact, citation: Citation, read: Read = extract_amounts) -> list[Amount]:
    """The quote's amounts in the fact's own unit (same currency, percent, or counts)."""
    kind = amount_kind(fact.unit)
    return [a for a in read(citation.quote) if a.unit == kind]


@dataclass(frozen=True)
class Reading:
    """The figure the checker reads in a quote for its fact: one amount, or why none could be chosen."""

    amount: Amount | None
    candidates: tuple[Amount, ...] = ()  # every amount of the fact's kind the quote states
    ambiguous: bool = False  # several figures, none of them the fact's: 'states:' must choose


def _is_year(amount: Amount) -> bool:
    """A bare four-digit number that reads as a year ("by 2040"), not as a count."""
    return amount.unit is None and amount.value == amount.value.to_integral_value() and 1800 <= amount.value <= 2200 and "," not in amount.text


def reading(fact: Fact, citation: Citation, slack: Decimal = Decimal("0.02"), read: Read = extract_amounts) -> Reading:
    """The figure ``citation``'s quote states for ``fact``, read from the quote itself.

    With ``states:`` the amount of that value (the editor chose among several). Else: the amount
    equal to the fact's value; else the first compatible with it given both qualifiers ("more than
    10" for 12); else the quote's only figure of the fact's kind, which is then the source's own
    figure (a disagreement, if it does not fit). Years are not counts: a quote's "by 2040" is
    passed over when the fact counts something else.
    """
    candidates = tuple(native_amounts(fact, citation, read))
    if isinstance(fact.value, Range):
        return Reading(None, candidates)
    if citation.states is not None:
        return Reading(next((a for a in candidates if a.value == citation.states), None), candidates)
    if not candidates:
        return Reading(None, candidates)
    for amount in candidates:
        if amount.value == fact.value:
            return Reading(amount, candidates)
    wanted = interval(fact.value, fact.qualifier.value, slack)
    for amount in candidates:
        if interval(amount.value, amount.qualifier, slack).meets(wanted):
            return Reading(amount, candidates)
    pool = candidates if fact.unit == "year" else tuple(a for a in candidates if not _is_year(a))
    if len(pool) > 1 and amount_kind(fact.unit) is None:
        # several counts: the one that counts the fact's noun ("One outlet gave 4 companies")
        pool = tuple(a for a in pool if counts_noun(citation.quote, a, fact.unit)) or pool
    if len(pool) == 1:
        return Reading(pool[0], candidates)
    return Reading(None, candidates, ambiguous=len(pool) > 1)


#: Words a count's noun may take, by unit (plural first; a singular counts only joined by a hyphen: "44-company").
COUNT_NOUNS: dict[str, tuple[str, ...]] = {
    "robots": ("robots", "robot"),
    "companies": ("companies", "company", "firms", "firm", "investors", "investor", "shareholders", "members"),
    "sectors": ("sectors", "sector", "fields", "field", "industries", "industry", "areas", "area"),
    "years": ("years", "year"),
}


def noun_words(unit: str) -> tuple[str, ...]:
    """The words that name what a count in ``unit`` counts (the unit itself for units not in the table)."""
    return COUNT_NOUNS.get(unit, (unit, unit[:-1] if unit.endswith("s") else unit))


def counts_noun(text: str, amount: Amount, unit: str) -> bool:
    """Whether the amount is followed (within three words, before any punctuation) by a noun of ``unit``."""
    after = re.split(r"[.,;:()!?\n]", text[amount.end : amount.end + 48], maxsplit=1)[0]
    hyphened = after.startswith("-")
    words = noun_words(unit)
    for i, token in enumerate(after.replace("-", " - ").split()[:4]):
        word = token.strip("'\"’”").lower()
        if any(ch.isdigit() for ch in token) or word in NUMBER_WORDS:  # another figure: its noun is its own
            return False
        if word in words and (word == words[0] or word.endswith("s") or (hyphened and i <= 1)):
            return True
    return False


def stated(fact: Fact, citation: Citation, slack: Decimal = Decimal("0.02"), read: Read = extract_amounts) -> tuple[Amount | None, object]:
    """The amount of the quote that states the citation's figure (if any) and that figure, read once.

    The figure is ``states:`` where the editor chose one, else the amount read in the quote (see
    :func:`reading`), else the fact's value; for a range, the amount is the one giving its high end.
    """
    if isinstance(fact.value, Range):
        amount = next((a for a in native_amounts(fact, citation, read) if a.value == fact.value.high), None)
        return amount, citation.states if citation.states is not None else fact.value
    amount = reading(fact, citation, slack, read).amount
    if citation.states is not None:
        return amount, citation.states
    return amount, amount.value if amount is not None else fact.value


def claimed(fact: Fact, citation: Citation, slack: Decimal = Decimal("0.02"), read: Read = extract_amounts):
    """The figure a citation states (see :func:`stated`)."""
    return stated(fact, citation, slack, read)[1]


@dataclass(frozen=True)
class Interval:
    """The set of true values a statement allows, e.g. "more than 40" is (40, inf)."""

    low: Decimal | None
    high: Decimal | None
    low_open: bool = False
    high_open: bool = False

    def meets(self, other: "Interval") -> bool:
        """Whether the two intervals share at least one value."""
        return _below(self, other) and _below(other, self)


def _below(a: Interval, b: Interval) -> bool:
    # a's low is not above b's high
    if a.low is None or b.high is None:
        return True
    if a.low < b.high:
        return True
    return a.low == b.high and not (a.low_open or b.high_open)


def interval(value, qualifier: str, slack: Decimal) -> Interval:
    """The values a figure allows given its qualifier; ``slack`` covers rounding of exact figures."""
    if isinstance(value, Range):
        return Interval(value.low * (1 - slack), value.high * (1 + slack))
    v = Decimal(value)
    if qualifier == "about":
        return Interval(v * (1 - ABOUT), v * (1 + ABOUT))
    if qualifier == "up-to":
        return Interval(None, v * (1 + slack))
    if qualifier == "at-least":
        return Interval(v * (1 - slack), None)
    if qualifier == "more-than":
        return Interval(v, None, low_open=True)
    if qualifier == "less-than":
        return Interval(None, v, high_open=True)
    return Interval(v * (1 - slack), v * (1 + slack))
