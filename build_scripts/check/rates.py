"""Reference exchange rates: facts whose unit is ``XXX-per-YYY``."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from .. import units
from ..factbase import FactBase
from ..records.models import Fact


def rate_facts(fb: FactBase) -> list[Fact]:
    """Every usable exchange-rate fact (a single number, not retracted)."""
    return [f for f in fb.facts.values() if units.rate_pair(f.unit) and isinstance(f.value, Decimal) and f.status != "retracted"]


def reference_rate(fb: FactBase, have: str, want: str, on: dt.date) -> tuple[Fact, Decimal] | None:
    """The rate fact nearest in date to ``on`` converting ``have`` into ``want``, and the factor.

    The factor is what an amount in ``want`` is multiplied by to give ``have``
    (for JPY and USD with a ``JPY-per-USD`` fact of 162.5, the factor is 162.5);
    an inverse fact (``USD-per-JPY``) is used as its reciprocal. Of two facts
    equally near, the one with the smaller id is used.
    """
    days, entries = _rate_index(fb).get(frozenset((have, want)), ((), ()))
    if not entries:
        return None
    target = on.toordinal()
    at = bisect.bisect_left(days, target)
    gap = min(abs(days[i] - target) for i in (at - 1, at) if 0 <= i < len(days))
    best: tuple[str, Fact] | None = None
    for day in {target - gap, target + gap}:
        for _, fact_id, fact in entries[bisect.bisect_left(days, day) : bisect.bisect_right(days, day)]:
            if units.rate_pair(fact.unit) in ((have, want), (want, have)) and (best is None or fact_id < best[0]):
                best = (fact_id, fact)
    if best is None:
        return None
    fact = best[1]
    factor = fact.value if units.rate_pair(fact.unit) == (have, want) else 1 / fact.value
    return fact, factor


def _rate_index(fb: FactBase) -> dict[frozenset, tuple[list[int], list[tuple[int, str, Fact]]]]:
    """Usable rate facts by currency pair, sorted by date, with their days (for bisect: a list of them made
    per lookup grew with the square of the fact base); built once per fact base (rebuilt if facts are added)."""

    def make() -> dict[frozenset, tuple[list[int], list[tuple[int, str, Fact]]]]:
        index: dict[frozenset, list[tuple[int, str, Fact]]] = {}
        for fact in rate_facts(fb):
            index.setdefault(frozenset(units.rate_pair(fact.unit)), []).append((fact.as_of.toordinal(), fact.id, fact))
        for entries in index.values():
            entries.sort(key=lambda e: (e[0], e[1]))
        return {pair: ([e[0] for e in entries], entries) for pair, entries in index.items()}

    return fb.cached_index("rates", make)


def rounded_rate(value: Decimal) -> Decimal:
    """An implied exchange rate as findings give it: four significant digits, plain notation."""
    return Decimal(f"{value:.4g}") if value < 10**4 else value.quantize(Decimal(1))
