"""The declared units a fact's ``unit`` may name.

Currencies come from Babel's ISO 4217 list rather than a hand-kept table; the
other units are the project's own, and a project may add more in settings.
"""

from __future__ import annotations

import re

from babel.numbers import list_currencies

#: Units of counted or measured numbers, with the noun used when formatting.
COUNT_UNITS: dict[str, tuple[str, str]] = {
    "robots": ("robot", "robots"),
    "companies": ("company", "companies"),
    "investors": ("investor", "investors"),
    "sectors": ("sector", "sectors"),
    "fields": ("field", "fields"),
    "people": ("person", "people"),
    "models": ("model", "models"),
    "years": ("year", "years"),
}
#: Units whose value is not a number.
KIND_UNITS = ("date", "names", "text")
#: Numeric units formatted specially.
SPECIAL_UNITS = ("percent", "year")

_RATE = re.compile(r"^([A-Z]{3})-per-([A-Z]{3})$")


#: ISO 4217 currency codes known to Babel (its data, the same for every build).
CURRENCIES = frozenset(list_currencies())


def is_currency(unit: str) -> bool:
    return unit in CURRENCIES


def rate_pair(unit: str) -> tuple[str, str] | None:
    """``("JPY", "USD")`` for ``JPY-per-USD``; ``None`` if ``unit`` is no exchange rate."""
    m = _RATE.match(unit)
    if m and is_currency(m.group(1)) and is_currency(m.group(2)):
        return m.group(1), m.group(2)
    return None


def is_known(unit: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether ``unit`` is declared: a currency, an exchange rate, a built-in unit or an extra one."""
    return (
        is_currency(unit)
        or rate_pair(unit) is not None
        or unit in COUNT_UNITS
        or unit in KIND_UNITS
        or unit in SPECIAL_UNITS
        or unit in extra
    )


def declared_units(extra: tuple[str, ...] = ()) -> list[str]:
    """The non-currency units, for documentation and the JSON Schema."""
    return sorted([*COUNT_UNITS, *KIND_UNITS, *SPECIAL_UNITS, *extra]) + ["<ISO 4217 code>", "<CUR>-per-<CUR>"]
