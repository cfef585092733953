"""Figures as words: fact values formatted with Babel ("up to ¥1 trillion", "about 10 million robots").

Every number a reader sees goes through :func:`format_value`, so the site, the
PDFs and the data downloads say a figure the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent, get_currency_symbol

from .. import units
from ..settings import Settings
from ..records.models import Qualifier, Range

QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.about: "about",
    Qualifier.up_to: "up to",
    Qualifier.at_least: "at least",
    Qualifier.more_than: "more than",
    Qualifier.less_than: "less than",
}

#: Amounts from this size up are written with a scale word ("387.3 billion").
COMPACT_FROM = Decimal(1_000_000)


def plural(count: int, one: str, other: str, locale: str = "en") -> str:
    """"1 source", "3 sources": the count with the word its locale's plural rule asks for (Babel's CLDR rules).

    ``one`` and ``other`` are the two English forms; a locale with more plural categories uses ``other``
    for all but ``one``.
    """
    form = Locale.parse(locale).plural_form(count)
    return f"{format_decimal(count, locale=locale)} {one if form == 'one' else other}"


class Formatter:
    """Formats values for one locale and one set of currency symbols."""

    def __init__(self, settings: Settings) -> None:
        self.locale = settings.locale
        self.symbols = dict(settings.currency_symbols)

    def symbol(self, code: str) -> str:
        """The currency symbol: the configured one, else the locale's."""
        return self.symbols.get(code) or get_currency_symbol(code, locale=self.locale)

    def number(self, value: Decimal, digits: int = 3) -> str:
        """A plain amount: grouped digits below a million, a scale word from there ("2.383 billion")."""
        if abs(value) >= COMPACT_FROM:
            return format_compact_decimal(value, format_type="long", locale=self.locale, fraction_digits=digits)
        return format_decimal(value, locale=self.locale, decimal_quantization=False)

    def amount(self, value: Decimal, unit: str, digits: int = 3) -> str:
        """A number with its unit, without qualifier: "¥387.3 billion", "10 million robots", "30%"."""
        if units.is_currency(unit):
            return f"{self.symbol(unit)}{self.number(value, digits)}"
        if unit == "percent":
            return format_percent(value / 100, locale=self.locale, decimal_quantization=False)
        if unit == "year":
            return str(int(value))
        pair = units.rate_pair(unit)
        if pair:
            return f"{self.symbol(pair[0])}{self.number(value, digits)} per {self.symbol(pair[1])}1"
        if unit in units.COUNT_UNITS:
            one, many = units.COUNT_UNITS[unit]
            return f"{self.number(value, digits)} {one if value == 1 else many}"
        return f"{self.number(value, digits)} {unit}"

    def range(self, value: Range, unit: str) -> str:
        """A range with its unit on the high end: "¥1–2 trillion" is avoided for clarity: "¥1 trillion to ¥2 trillion"."""
        return f"{self.amount(value.low, unit)} to {self.amount(value.high, unit)}"

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def plural(self, count: int, one: str, other: str) -> str:
        """"1 source", "3 sources" in this formatter's locale (see :func:`plural`)."""
        return plural(count, one, other, self.locale)

    def names(self, value: list[str]) -> str:
        return format_list(value, locale=self.locale)

    def value(self, value, unit: str, qualifier: Qualifier = Qualifier.exact) -> str:
        """Any fact value as the text shown to readers, qualifier included."""
        if unit == "date":
            return self.date(value)
        if unit == "names":
            return self.names(value)
        if unit == "text":
            return str(value)
        text = self.range(value, unit) if isinstance(value, Range) else self.amount(value, unit)
        words = QUALIFIER_WORDS[Qualifier(qualifier)]
        return f"{words} {text}" if words else text

    def converted(self, value: Decimal, rate: Decimal, unit: str) -> tuple[Decimal, str]:
        """``value`` (in the rate's first currency) divided by ``rate``, rounded to 2 significant digits."""
        result = value / rate
        exponent = result.adjusted() - 1
        rounded = result.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)
        return rounded, self.amount(rounded, unit, digits=1)
