"""The speed-ups of ``build_scripts.check.amounts`` read exactly what the plain patterns read.

Three shortcuts (see the comment above ``_CORE_LOWER``): numbers are found with a
case-sensitive pattern on the lower-cased text, and the windowed searches for a
currency or a qualifier before a number are skipped when no symbol or phrase
ends there. Each is checked against the pattern it replaces, on generated
text, and the assumptions about ``re.IGNORECASE`` and ``str.lower`` that make
them exact are checked for every Unicode code point.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.check import amounts as A

ODD = set(A._FOLD_ODDITIES)
ALL = [chr(c) for c in range(sys.maxunicode + 1)]


def test_lowercasing_keeps_offsets_except_for_the_oddities():
    assert [c for c in ALL if len(c.lower()) != 1] == ["\u0130"]
    assert "\u0130" in ODD


def test_ignorecase_matches_ascii_letters_as_lowercasing_does():
    letter = re.compile("[a-z]", re.IGNORECASE)
    candidates = {c for c in ALL if letter.fullmatch(c) or (c.lower().isascii() and c.lower().isalpha())} - ODD
    for x in "abcdefghijklmnopqrstuvwxyz":
        pattern = re.compile(x, re.IGNORECASE)
        for c in candidates:
            assert (pattern.fullmatch(c) is not None) == (c.lower() == x), (x, c)
    # the other characters of the patterns are not letters: nothing lower-cases onto them
    others = {ch for phrase in [*A._QUALIFIER_PHRASE, *A.NUMBER_WORDS] for ch in phrase if not ch.isalpha()}
    assert all(c in others for c in ALL if c.lower() in others)


def test_word_and_digit_classes_survive_lowercasing():
    word, digit = re.compile(r"\w"), re.compile(r"\d")
    for c in ALL:
        low = c.lower()
        if low == c or c in ODD:
            continue  # unchanged by lower-casing: nothing to check
        assert bool(word.match(c)) == bool(word.match(low)), c
        assert bool(digit.match(c)) == bool(digit.match(low)), c


def test_str_isspace_is_the_whitespace_of_re():
    everything = "".join(ALL)
    assert set(re.findall(r"\s", everything)) == {c for c in ALL if c.isspace()}


TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                " ", "  ", "\n", "\t", "\u00a0", ",", ".", "(", ")", "-", "$", "¥", "￥", "€", "£", "₩", "US$", "HK$", "USD", "usd",
                "JPY", "yen", "Yen", "won", "%", " percent", "trillion", "Billion", "bn", "k", "M", "m", "about", "ABOUT",
                "up to", "Up To", "more than", "less than", "over", "under", "approx.", "~", "some", "nearly", "at least",
                "one", "One", "TWO", "a", "an", "half", "dozen", "twenty", "seventeen", "FY2026", "art-46633", "30th",
                "\u0130", "\u0131", "\u017f", "\u212a", "\u017fix", "\u212a", "\u0661\u0662", "²", "İki",
            ]
        ),
        st.from_regex(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", fullmatch=True),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,$%-\n", max_size=6),
    ),
    max_size=14,
).map("".join)


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_cores_are_the_matches_of_the_original_pattern(text):
    fast = [(m.span(), m.group("digits"), (m.group("word") or "").lower()) for m in A._cores(text)]
    slow = [(m.span(), m.group("digits"), (m.group("word") or "").lower()) for m in A._CORE.finditer(text)]
    assert fast == slow


@settings(max_examples=250, deadline=None)
@given(TEXT)
def test_filtered_searches_find_what_the_plain_searches_find(text):
    for start in range(len(text) + 1):
        low = max(0, start - A._LOOKBACK)
        m = A._CURRENCY_BEFORE.search(text, low, start)
        if m is None:
            expected = (None, start)
        elif m.group("code"):
            expected = (A.CURRENCY_CODES[m.group("code")], m.start())
        elif m.group("symbol"):
            expected = (A.CURRENCY_SYMBOLS[m.group("symbol")], m.start())
        else:
            expected = (A._BARE_SYMBOLS[m.group("bare")], m.start())
        assert A._currency_before(text, start) == expected, (text, start)
        q = A._QUALIFIER_BEFORE.search(text, low, start)
        expected = (None, start) if q is None else (A._QUALIFIER_PHRASE[q.group("q").lower()], q.start())
        assert A._qualifier_before(text, start) == expected, (text, start)


def test_repeated_extraction_gives_equal_fresh_lists():
    quote = "up to 1 trillion yen ($6.1 billion) over the next five years"
    first = A.extract_amounts(quote)
    first.append("mutated by a caller")
    second = A.extract_amounts(quote)
    assert second == A.extract_amounts(quote) and second is not first and "mutated by a caller" not in second


def test_a_fact_base_reads_each_text_once_and_keeps_nothing_for_the_next(monkeypatch):
    from build_scripts.pipeline import check_project
    from tests.conftest import ROOT

    read: list[str] = []
    real = A._extract
    monkeypatch.setattr(A, "_extract", lambda text: read.append(text) or real(text))
    fb = check_project(ROOT)
    quotes = {c.quote for f in fb.facts.values() if f.is_number for c in f.citations}
    assert quotes and quotes <= set(read) and len(read) == len(set(read))  # every figure's quote read, none twice
    first = len(read)
    assert fb.amounts("¥1 trillion") is fb.amounts("¥1 trillion") and len(read) == first + 1
    first += 1
    again = check_project(ROOT)
    assert again.amounts is not fb.amounts and len(read) == 2 * first - 1  # a new build reads afresh
    assert again.origin_keys is not fb.origin_keys
