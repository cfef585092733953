"""Tests of build_scripts.check.amounts: reading the amounts a news quote states."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_scripts.check.amounts import (
    QUALIFIERS,
    Amount,
    amount_words,
    extract_amounts,
    parse_amount,
    states_value,
)

D = Decimal
T = D(10) ** 12  # trillion
B = D(10) ** 9  # billion
M = D(10) ** 6  # million


def triples(text: str) -> list[tuple[Decimal, str | None, str]]:
    return [(a.value, a.unit, a.qualifier) for a in extract_amounts(text)]


# --------------------------------------------------------------------------
# Real quotes from the briefing's sources
# --------------------------------------------------------------------------

REAL_QUOTES = [
    (
        "the government would provide up to 1 trillion yen ($6.1 billion) over the next five years",
        [(T, "JPY", "up-to"), (D("6.1") * B, "USD", "exact"), (D(5), None, "exact")],
    ),
    (
        "up to 1 trillion yen (approximately $3.7M) in fiscal support",
        [(T, "JPY", "up-to"), (D(3_700_000), "USD", "about")],
    ),
    (
        "387.3 billion yen (approximately 2.383 billion USD)",
        [(D(387_300_000_000), "JPY", "exact"), (D(2_383_000_000), "USD", "about")],
    ),
    ("Local Model + 23k Robots!", [(D(23_000), None, "exact")]),
    (
        "a target of approximately 10 million robots to be deployed by 2040",
        [(D(10_000_000), None, "about"), (D(2040), None, "exact")],
    ),
    (
        "public and private investment of ¥370 trillion ($2.3 trillion) in 17 sectors",
        [(D(370) * T, "JPY", "exact"), (D("2.3") * T, "USD", "exact"), (D(17), None, "exact")],
    ),
    ("approximately half of the world's industrial robot production", [(D(50), "percent", "about")]),
    ("approximately 70% of the global industrial robotics market", [(D(70), "percent", "about")]),
    ("more than 40 firms", [(D(40), None, "more-than")]),
    ("more than a dozen sectors", [(D(12), None, "more-than")]),
    (
        "as much as ¥1 trillion (about US$6 billion)",
        [(T, "JPY", "up-to"), (D(6) * B, "USD", "about")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), REAL_QUOTES)
def test_real_quotes(text, expected):
    assert triples(text) == expected


def test_real_quote_spans_and_text():
    text = "the government would provide up to 1 trillion yen ($6.1 billion) over the next five years"
    amounts = extract_amounts(text)
    assert [a.text for a in amounts] == ["up to 1 trillion yen", "$6.1 billion", "five"]
    for a in amounts:
        assert text[a.start : a.end] == a.text
    assert amounts[0] == Amount(T, "JPY", "up-to", 29, 49, "up to 1 trillion yen")


@pytest.mark.parametrize(("text", "_expected"), REAL_QUOTES)
def test_spans_cover_their_text(text, _expected):
    for a in extract_amounts(text):
        assert text[a.start : a.end] == a.text
        assert a.text == a.text.strip()


# --------------------------------------------------------------------------
# Numbers, scale words and abbreviations
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # digits, thousands separators, decimals
        ("1,000,000,000,000 yen", T, "JPY"),
        ("2,383 robots", D(2383), None),
        ("18 fields", D(18), None),
        ("1,234.5 units", D("1234.5"), None),
        ("387.3 billion yen", D(387_300_000_000), "JPY"),
        ("2.383 billion USD", D(2_383_000_000), "USD"),
        # scale words
        ("5 thousand workers", D(5000), None),
        ("10 million robots", D(10_000_000), None),
        ("1 trillion", T, None),
        ("2 dozen firms", D(24), None),
        ("a dozen robots", D(12), None),
        ("two dozen firms", D(24), None),
        ("three hundred engineers", D(300), None),
        ("five million robots", D(5_000_000), None),
        ("a million robots", M, None),
        ("half a million robots", D(500_000), None),
        ("half a billion yen", D(500_000_000), "JPY"),
        # abbreviations
        ("$3.7M", D(3_700_000), "USD"),
        ("¥1T", T, "JPY"),
        ("23k", D(23_000), None),
        ("23K units", D(23_000), None),
        ("$6bn", D(6) * B, "USD"),
        ("5 bn", D(5) * B, None),
        ("€2.5mn", D(2_500_000), "EUR"),
        ("$5m", D(5_000_000), "USD"),
        ("¥3 tn", D(3) * T, "JPY"),
    ],
)
def test_numbers_and_scales(text, value, unit):
    assert triples(text) == [(value, unit, "exact")]


def test_values_are_plain_exact_decimals():
    for text, plain in [
        ("387.3 billion yen", "387300000000"),
        ("1 trillion yen", "1000000000000"),
        ("$3.7M", "3700000"),
        ("2.5%", "2.5"),
        ("0.25 percent", "0.25"),
    ]:
        (amount,) = extract_amounts(text)
        assert isinstance(amount.value, Decimal)
        assert str(amount.value) == plain


# --------------------------------------------------------------------------
# Currencies and percentages
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("¥1 trillion", T, "JPY"),
        ("1 trillion yen", T, "JPY"),
        ("USD 2.383 billion", D(2_383_000_000), "USD"),
        ("2.383 billion USD", D(2_383_000_000), "USD"),
        ("$6.1 billion", D("6.1") * B, "USD"),
        ("US$6 billion", D(6) * B, "USD"),
        ("€5", D(5), "EUR"),
        ("₩100 billion", D(100) * B, "KRW"),
        ("100 billion won", D(100) * B, "KRW"),
        ("£3 million", D(3) * M, "GBP"),
        ("CN¥5 billion", D(5) * B, "CNY"),
        ("RMB 5 billion", D(5) * B, "CNY"),
        ("5 billion yuan", D(5) * B, "CNY"),
        ("6 billion US dollars", D(6) * B, "USD"),
        ("6 billion U.S. dollars", D(6) * B, "USD"),
        ("10 euros", D(10), "EUR"),
        ("JPY 500 million", D(500) * M, "JPY"),
        ("30%", D(30), "percent"),
        ("30 %", D(30), "percent"),
        ("30 percent", D(30), "percent"),
        ("30 per cent", D(30), "percent"),
        ("ten percent", D(10), "percent"),
        ("half of the market", D(50), "percent"),
    ],
)
def test_currencies_and_percent(text, value, unit):
    assert triples(text) == [(value, unit, "exact")]


def test_currency_words_are_part_of_the_match():
    assert amount_words("spent ¥1 trillion and 100 billion won and USD 2 billion") == [
        "¥1 trillion",
        "100 billion won",
        "USD 2 billion",
    ]


# --------------------------------------------------------------------------
# Qualifiers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("more than", "more-than"),
        ("over", "more-than"),
        ("at least", "at-least"),
        ("no fewer than", "at-least"),
        ("approximately", "about"),
        ("about", "about"),
        ("around", "about"),
        ("roughly", "about"),
        ("some", "about"),
        ("nearly", "about"),
        ("almost", "about"),
        ("an estimated", "about"),
        ("~", "about"),
        ("up to", "up-to"),
        ("as much as", "up-to"),
        ("a maximum of", "up-to"),
        ("maximum of", "up-to"),
        ("no more than", "up-to"),
        ("less than", "less-than"),
        ("under", "less-than"),
        ("fewer than", "less-than"),
    ],
)
def test_qualifiers(phrase, qualifier):
    text = f"the plan covers {phrase} 40 firms"
    (amount,) = extract_amounts(text)
    assert (amount.value, amount.unit, amount.qualifier) == (D(40), None, qualifier)
    assert amount.text == f"{phrase} 40"
    assert text[amount.start : amount.end] == amount.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("~$5bn", [(D(5) * B, "USD", "about")]),
        ("~5,000 units", [(D(5000), None, "about")]),
        ("Approximately 30 percent", [(D(30), "percent", "about")]),
        ("up to ¥1 trillion", [(T, "JPY", "up-to")]),
        ("more than $6 billion", [(D(6) * B, "USD", "more-than")]),
        ("nearly two dozen firms", [(D(24), None, "about")]),
        ("less than half of the firms", [(D(50), "percent", "less-than")]),
    ],
)
def test_qualifier_before_currency_and_words(text, expected):
    assert triples(text) == expected


def test_qualifier_table_uses_only_known_kinds():
    assert set(QUALIFIERS) == {"about", "up-to", "at-least", "more-than", "less-than"}


@pytest.mark.parametrize(
    "text",
    [
        "moreover 40 firms",  # "over" inside a word
        "thunder 40 firms",  # "under" inside a word
        "over the next 5 years",  # qualifier not directly before the number
    ],
)
def test_qualifier_must_be_a_whole_phrase_right_before(text):
    (amount,) = extract_amounts(text)
    assert amount.qualifier == "exact"


def test_parenthesised_conversion_has_its_own_qualifier():
    got = triples("up to 1 trillion yen ($6.1 billion)")
    assert got == [(T, "JPY", "up-to"), (D("6.1") * B, "USD", "exact")]
    got = triples("up to 1 trillion yen (about $6.1 billion)")
    assert got == [(T, "JPY", "up-to"), (D("6.1") * B, "USD", "about")]


# --------------------------------------------------------------------------
# Number words, years, and what is not an amount
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("over the next five years", [(D(5), None, "exact")]),
        ("Five years later", [(D(5), None, "exact")]),
        ("twenty robots", [(D(20), None, "exact")]),
        ("one of them", []),
        ("the two are allies", []),
        ("a plan for everyone", []),
        ("an estimated figure", []),
        ("half the time", []),
        ("five-year plan", []),
        ("someone", []),
        ("by 2040", [(D(2040), None, "exact")]),
        ("June 30, 2026", [(D(30), None, "exact"), (D(2026), None, "exact")]),
        ("2024-2026", [(D(2024), None, "exact"), (D(2026), None, "exact")]),
        ("10-year plan", [(D(10), None, "exact")]),
    ],
)
def test_number_words_and_years(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "FY2026",
        "in FY2026 budgets",
        "art-46633",
        "COVID-19",
        "on the 30th",
        "the 1st and 2nd",
        "a 5km run",
        "3D printing",
        "5G networks",
        "version v2",
        "Q3",
        "the 1990s",
        "No.5",
        "5m tall",  # lower-case m needs a currency to mean million
    ],
)
def test_skipped_tokens(text):
    assert extract_amounts(text) == []


def test_dotted_version_keeps_only_its_leading_decimal():
    assert triples("release 1.2.3") == [(D("1.2"), None, "exact")]


def test_empty_and_plain_text():
    assert extract_amounts("") == []
    assert extract_amounts("No numbers here.") == []


# --------------------------------------------------------------------------
# parse_amount / amount_words
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("¥1 trillion", T, "JPY", "exact"),
        (" (approximately $3.7M) ", D(3_700_000), "USD", "about"),
        ("30%", D(30), "percent", "exact"),
        ("10,000,000", D(10_000_000), None, "exact"),
    ],
)
def test_parse_amount(text, value, unit, qualifier):
    a = parse_amount(text)
    assert (a.value, a.unit, a.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text", ["", "robots", "¥1 trillion ($6 billion)", "¥1 trillion for robots"])
def test_parse_amount_rejects(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amount_words():
    assert amount_words("387.3 billion yen (approximately 2.383 billion USD)") == [
        "387.3 billion yen",
        "approximately 2.383 billion USD",
    ]


# --------------------------------------------------------------------------
# states_value
# --------------------------------------------------------------------------

CONVERSION = "the government would provide up to 1 trillion yen ($6.1 billion) over the next five years"


@pytest.mark.parametrize(
    ("text", "value", "unit", "tolerance", "expected"),
    [
        (CONVERSION, T, "JPY", D(0), True),
        (CONVERSION, 1_000_000_000_000, "JPY", D(0), True),  # int values are fine
        (CONVERSION, T, "yen", D(0), True),
        (CONVERSION, T, "¥", D(0), True),
        (CONVERSION, T, "USD", D(0), False),
        (CONVERSION, D("6.1") * B, "USD", D(0), True),
        (CONVERSION, D(5), None, D(0), True),
        (CONVERSION, D(6) * B, "USD", D(0), False),
        (CONVERSION, D(6) * B, "USD", D("0.05"), True),
        (CONVERSION, D(5) * B, "USD", D("0.05"), False),
        ("approximately 2.383 billion USD", D(2_383_000_000), "USD", D(0), True),
        ("387.3 billion yen", D(387_300_000_000), "JPY", D(0), True),
        ("1 trillion", T, None, D(0), True),
        ("10 million robots", D(10_000_000), None, D(0), True),
        ("10 million robots", D(10_000_000), "robots", D(0), True),
        ("10 million robots", D(10_000_000), "JPY", D(0), False),
        ("approximately 70% of the market", D(70), "percent", D(0), True),
        ("approximately 70% of the market", D(70), "%", D(0), True),
        ("approximately 70% of the market", D(70), None, D(0), False),
        ("approximately half of production", D(50), "percent", D(0), True),
        ("23k Robots", D(23_000), None, D(0), True),
        ("¥370 trillion ($2.3 trillion)", D("2.3") * T, "USD", D(0), True),
        ("¥370 trillion ($2.3 trillion)", D("2.3") * T, "JPY", D(0), False),
        ("no amounts here", D(1), None, D("0.5"), False),
    ],
)
def test_states_value(text, value, unit, tolerance, expected):
    assert states_value(text, value, unit, tolerance=tolerance) is expected


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators_round_trip(n):
    (amount,) = extract_amounts(f"{n:,} robots")
    assert amount.value == n and amount.unit is None


@given(
    st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([("thousand", 10**3), ("million", 10**6), ("billion", 10**9), ("trillion", 10**12)]),
)
def test_scaled_decimals_are_exact(number, scale):
    word, factor = scale
    text = f"about ¥{number:f} {word}"
    (amount,) = extract_amounts(text)
    assert amount.value == number * factor
    assert (amount.unit, amount.qualifier, amount.text) == ("JPY", "about", text)
    assert states_value(text, number * factor, "JPY")


@pytest.mark.parametrize("text", ["forty-four companies", "twenty-five sectors", "ninety-nine robots"])
def test_compound_number_words_are_not_misread_as_their_last_part(text):
    assert extract_amounts(text) == []


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        ("ſix years", "six years"),  # long s
        ("sİxteen robots", "sixteen robots"),  # dotted capital I
        ("nıne years", "nine years"),  # dotless i
        ("5 thouſand robots", "5 thousand robots"),
        ("5 bıllion yen", "5 billion yen"),
        ("almoſt 5 robots", "almost 5 robots"),
        ("half a thouſand", "half a thousand"),
    ],
)
def test_letters_that_match_ascii_letters_read_as_them_not_a_crash(odd, plain):
    # ``re`` matches these letters to ASCII ones case-insensitively; looking the matched word up in the
    # tables used to raise a KeyError (a traceback from `briefing check` for such a quote)
    assert triples(odd) == triples(plain) and triples(plain)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a report on a plan", []),
        ("US$ a", []),
        ("about a million robots", [(M, None, "about")]),
        ("¥a million", [(M, None, "exact")]),  # a symbol before a number word does not count
        ("a dollar", [(D(1), "USD", "exact")]),
        ("almost a dozen sectors", [(D(12), None, "about")]),
    ],
)
def test_a_and_an_count_only_before_a_scale_or_a_unit(text, expected):
    assert triples(text) == expected
