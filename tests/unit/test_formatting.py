"""Figures as readers see them, formatted with Babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from build_scripts.render.formatting import Formatter
from build_scripts.settings import Settings
from build_scripts.records.models import Range


@pytest.fixture
def fmt():
    return Formatter(Settings())


@pytest.mark.parametrize(
    "value, unit, qualifier, expected",
    [
        (D("1000000000000"), "JPY", "exact", "¥1 trillion"),
        (D("1000000000000"), "JPY", "up-to", "up to ¥1 trillion"),
        (D("387300000000"), "JPY", "exact", "¥387.3 billion"),
        (D("2400000000"), "USD", "exact", "US$2.4 billion"),
        (D("2383000000"), "USD", "about", "about US$2.383 billion"),
        (D("10000000"), "robots", "about", "about 10 million robots"),
        (D("44"), "companies", "more-than", "more than 44 companies"),
        (D("1"), "sectors", "exact", "1 sector"),
        (D("30"), "percent", "exact", "30%"),
        (D("2040"), "year", "exact", "2040"),
        (D("162.5"), "JPY-per-USD", "about", "about ¥162.5 per US$1"),
        (D("23000"), "robots", "exact", "23,000 robots"),
        (D("500"), "KRW", "at-least", "at least ₩500"),
    ],
)
def test_value(fmt, value, unit, qualifier, expected):
    assert fmt.value(value, unit, qualifier) == expected


def test_other_kinds(fmt):
    assert fmt.value(dt.date(2026, 6, 30), "date") == "June 30, 2026"
    assert fmt.value(["SoftBank", "NEC", "Sony Group"], "names") == "SoftBank, NEC, and Sony Group"
    assert fmt.value("A text.", "text") == "A text."
    assert fmt.value(Range(low=1, high=2), "percent") == "1% to 2%"


def test_conversion_rounds_to_two_significant_digits(fmt):
    assert fmt.converted(D("1000000000000"), D("162.5"), "USD") == (D("6.2E+9"), "US$6.2 billion")


def test_locale_and_symbols_come_from_settings():
    fmt = Formatter(Settings(locale="en_GB", currency_symbols={}))
    assert fmt.value(D("5"), "USD") == "US$5"
    assert fmt.value(dt.date(2026, 6, 30), "date") == "30 June 2026"
