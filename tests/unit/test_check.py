"""Check stage: each kind of finding with a fixture that triggers it and one that does not.

Covers promise 2 (the quote supports the figure), promise 3 (sources agree,
conversions checked against the reference rate) and promise 4 (status earned).
Fixture roots are written into ``tmp_path``; locations are asserted exactly.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from build_scripts.pipeline import check_project
from tests.conftest import write_facts

#: Three sources: a government one and two news sources of different publishers.
SOURCES = """\
- id: meti-release
  title: METI press release
  publisher: Ministry of Economy, Trade and Industry
  kind: government
  accessed: 2026-06-30
- id: news-a
  title: Article A
  publisher: Paper A
  kind: news
  accessed: 2026-06-30
- id: news-b
  title: Article B
  publisher: Paper B
  kind: news
  accessed: 2026-06-30
- id: news-a-follow-up
  title: Article A, follow-up
  publisher: paper a
  kind: news
  accessed: 2026-06-30
"""


def fact(id, value, unit, citations, qualifier=None, extra="", as_of="2026-06-30"):
    """A fact record as YAML text. Its lines, without qualifier and extra:

    1 ``- id``, 2 label, 3 value, 4 unit, 5 as_of, 6 citations, then per citation
    ``- source`` and ``quote`` (7 and 8 for the first) and its other fields.
    A qualifier adds one line after unit; ``extra`` lines come after as_of.
    """
    text = f"- id: {id}\n  label: A figure\n  value: {value}\n  unit: {unit}\n"
    if qualifier:
        text += f"  qualifier: {qualifier}\n"
    text += f"  as_of: {as_of}\n{extra}  citations:\n"
    for source, quote, *more in citations:
        text += f'    - source: {source}\n      quote: "{quote}"\n'
        text += "".join(f"      {line}\n" for line in more)
    return text


RATE = fact(
    "jpy-per-usd",
    '"162.5"',
    "JPY-per-USD",
    [("news-a", "387.3 billion yen (approximately 2.383 billion USD)")],
    qualifier="about",
)
RATE_LINES = RATE.count("\n")  # 9: facts after it start on line 10


def check(tmp_path: Path, files: dict[str, str], pyproject: str | None = None):
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES, **files})
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return check_project(root)


def by_code(fb, code):
    return [f for f in fb.report if f.code == code]


def one(fb, code, severity):
    shown = fb.report.format()
    assert len(fb.report) == 1, shown
    (finding,) = list(fb.report)
    assert finding.code == code, shown
    assert finding.severity.value == severity, shown
    return finding


def clean(fb):
    assert len(fb.report) == 0, fb.report.format()
    return fb


def at(finding) -> str:
    return str(finding.location)


# --------------------------------------------------------------------------
# quote-missing-figure: numbers
# --------------------------------------------------------------------------


def test_quote_states_the_number(tmp_path):
    clean(check(tmp_path, {"a.yaml": fact("firms", 44, "companies", [("news-a", "44 companies have joined")])}))


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        (1000000000000, "JPY", "up to ¥1 trillion"),
        (1000000000000, "JPY", "1,000,000,000,000 yen"),
        (1000000000000, "JPY", "as much as 1 trillion yen"),
        (6100000000, "USD", "$6.1 billion"),
        ('"30"', "percent", "30% of the market"),
        (10000000, "robots", "10 million robots"),
    ],
)
def test_quote_states_the_number_in_any_usual_form(tmp_path, value, unit, quote):
    clean(check(tmp_path, {"a.yaml": fact("figure", value, unit, [("meti-release", quote)])}))


def test_quote_missing_the_number(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact("firms", 44, "companies", [("news-a", "43 companies have joined")])})
    f = one(fb, "quote-missing-figure", "error")
    assert at(f) == "facts/a.yaml:8:14"
    assert f.message.startswith("quote does not state the figure 44 companies of fact 'firms'"), f.message
    # the hint names what the quote does state and how to record a differing figure
    assert "it states '43'" in f.message and "'states:'" in f.message, f.message


def test_quote_with_no_number_at_all(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact("firms", 44, "companies", [("news-a", "many companies have joined")])})
    f = one(fb, "quote-missing-figure", "error")
    assert at(f) == "facts/a.yaml:8:14"
    assert "it states" not in f.message, f.message


def test_quote_in_the_wrong_currency_does_not_state_the_figure(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact("ceiling", 1000000000000, "JPY", [("news-a", "$1 trillion")])})
    assert at(one(fb, "quote-missing-figure", "error")) == "facts/a.yaml:8:14"


def test_only_the_failing_citation_is_reported(tmp_path):
    text = fact("firms", 44, "companies", [("news-a", "44 companies"), ("news-b", "dozens of companies", "locator: p. 2")])
    f = one(check(tmp_path, {"a.yaml": text}), "quote-missing-figure", "error")
    assert at(f) == "facts/a.yaml:10:14"


def test_range_needs_both_ends_in_the_quote(tmp_path):
    ok = fact("investors", "{low: 40, high: 50}", "investors", [("news-a", "between 40 and 50 investors")])
    clean(check(tmp_path / "ok", {"a.yaml": ok}))
    bad = fact("investors", "{low: 40, high: 50}", "investors", [("news-a", "up to 50 investors")])
    f = one(check(tmp_path / "bad", {"a.yaml": bad}), "quote-missing-figure", "error")
    assert "40 investors" in f.message and "50 investors" not in f.message.split(" of fact")[0], f.message
    assert at(f) == "facts/a.yaml:8:14"


# --------------------------------------------------------------------------
# quote-missing-name
# --------------------------------------------------------------------------


def test_every_name_in_some_quote(tmp_path):
    text = fact("shareholders", "[SoftBank, Sony]", "names", [("news-a", "led by SoftBank"), ("news-b", "SONY also joined")])
    clean(check(tmp_path, {"a.yaml": text}))


def test_name_missing_from_every_quote(tmp_path):
    text = fact("shareholders", "[SoftBank, Sony, NEC]", "names", [("news-a", "led by SoftBank"), ("news-b", "NEC also joined")])
    f = one(check(tmp_path, {"a.yaml": text}), "quote-missing-name", "error")
    assert f.message == "name 'Sony' of fact 'shareholders' appears in none of its quotes"
    # "  value: [SoftBank, " is 20 characters: the name is at column 21
    assert at(f) == "facts/a.yaml:3:21"


def test_name_missing_in_a_block_list(tmp_path):
    text = fact("shareholders", "\n    - SoftBank\n    - Sony", "names", [("news-a", "led by SoftBank")])
    f = one(check(tmp_path, {"a.yaml": text}), "quote-missing-name", "error")
    assert at(f) == "facts/a.yaml:5:7"


# --------------------------------------------------------------------------
# Exchange-rate facts: the quote must give both amounts
# --------------------------------------------------------------------------


def test_rate_supported_by_a_two_currency_quote(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": RATE}))
    assert fb.facts["jpy-per-usd"].value == Decimal("162.5")


@pytest.mark.parametrize(
    "quote",
    [
        "387.3 billion yen (approximately 2.9 billion USD)",  # ratio 133.6, not 162.5
        "387.3 billion yen",  # no dollar amount
        "the rate was 162.5 yen to the dollar",  # the rate itself, not a conversion
    ],
)
def test_rate_not_supported(tmp_path, quote):
    text = fact("jpy-per-usd", '"162.5"', "JPY-per-USD", [("news-a", quote)], qualifier="about")
    f = one(check(tmp_path, {"a.yaml": text}), "quote-missing-figure", "error")
    assert f.message.startswith("quote does not support the exchange rate 162.5 JPY-per-USD"), f.message
    assert at(f) == "facts/a.yaml:9:14"


def test_inverse_rate_pair_in_the_quote(tmp_path):
    # USD-per-JPY needs an amount in USD and its JPY equivalent
    text = fact("usd-per-jpy", '"0.006153"', "USD-per-JPY", [("news-a", "2.383 billion USD (387.3 billion yen)")])
    clean(check(tmp_path, {"a.yaml": text}))


# --------------------------------------------------------------------------
# long-quote
# --------------------------------------------------------------------------


def _quote_of(words: int) -> str:
    return "44 companies " + " ".join(["joined"] * (words - 2))


def test_quote_of_forty_words_is_fine(tmp_path):
    clean(check(tmp_path, {"a.yaml": fact("firms", 44, "companies", [("news-a", _quote_of(40))])}))


def test_long_quote_warning(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact("firms", 44, "companies", [("news-a", _quote_of(41))])})
    f = one(fb, "long-quote", "warning")
    assert f.message == "quote of 41 words is long; keep verbatim excerpts to about 30 words"
    assert at(f) == "facts/a.yaml:8:14"
    assert not fb.report.failed() and fb.report.failed(strict=True)


# --------------------------------------------------------------------------
# 'states' misuse
# --------------------------------------------------------------------------


def test_states_equal_to_the_value(tmp_path):
    text = fact("firms", 44, "companies", [("news-a", "44 companies", "states: 44")])
    f = one(check(tmp_path, {"a.yaml": text}), "states", "warning")
    assert f.message == "'states' equals the fact's value; remove it"
    assert at(f) == "facts/a.yaml:9:15"


def test_states_on_a_text_fact(tmp_path):
    text = fact("terms", "Tied to yearly reviews", "text", [("news-a", "reviewed each year, 5 times", "states: 5")])
    f = one(check(tmp_path, {"a.yaml": text}), "states", "error")
    assert f.message == "'states' applies only to numeric facts"
    assert at(f) == "facts/a.yaml:9:15"


def test_states_a_differing_compatible_figure(tmp_path):
    # the source's own, rounder figure; compatible with the fact's, so no finding at all
    text = fact("firms", 44, "companies", [("news-a", "44 companies"), ("news-b", "more than 40 firms", "states: 40")])
    fb = clean(check(tmp_path, {"a.yaml": text}))
    assert fb.derived["firms"].conflicts == []


def test_states_that_the_quote_does_not_state(tmp_path):
    text = fact("firms", 44, "companies", [("news-a", "44 companies"), ("news-b", "more than 40 firms", "states: 41")])
    fb = check(tmp_path, {"a.yaml": text})
    (f,) = by_code(fb, "quote-missing-figure")
    assert "41 companies" in f.message and "it states 'more than 40'" in f.message, f.message
    assert at(f) == "facts/a.yaml:10:14"


# --------------------------------------------------------------------------
# disagreement
# --------------------------------------------------------------------------

ROBOTS = fact(
    "robot-target",
    10000000,
    "robots",
    [
        ("news-a", "a target of approximately 10 million robots by 2040"),
        ("news-b", "Local Model + 23k Robots!", "locator: headline", "states: 23000"),
    ],
    qualifier="about",
)


def test_disagreement_names_both_locations(tmp_path):
    fb = check(tmp_path, {"a.yaml": ROBOTS})
    f = one(fb, "disagreement", "warning")
    # reported at the quote that disagrees ...
    assert at(f) == "facts/a.yaml:11:14"
    # ... naming the fact record's value and the citation that backs it
    assert "facts/a.yaml:3:10" in f.message and "facts/a.yaml:9:14" in f.message, f.message
    assert [str(r) for r in f.related] == ["facts/a.yaml:3:10", "facts/a.yaml:9:14"]
    assert "source 'news-b' states 23,000 robots" in f.message, f.message
    assert "about 10 million robots" in f.message, f.message
    # the fact is disputed, and the conflict is kept for the pages
    assert fb.status("robot-target") == "disputed"
    (conflict,) = fb.conflicts
    assert conflict.kind == "values" and conflict.fact == "robot-target"
    assert (conflict.first.location, conflict.second.location) == (f.related[1], f.location)


def test_disagreement_between_two_differing_citations(tmp_path):
    text = fact(
        "firms",
        44,
        "companies",
        [
            ("news-a", "more than 40 firms", "states: 40"),
            ("news-b", "fewer than 30 firms", "states: 30"),
        ],
    )
    fb = check(tmp_path, {"a.yaml": text})
    disagreements = by_code(fb, "disagreement")
    shown = fb.report.format()
    # "fewer than 30" meets neither 44 nor "more than 40"
    assert [at(f) for f in disagreements] == ["facts/a.yaml:11:14", "facts/a.yaml:11:14"], shown
    assert any("facts/a.yaml:8:14" in f.message for f in disagreements), shown
    assert fb.status("firms") == "disputed"


@pytest.mark.parametrize(
    ("value", "qualifier", "quote", "states"),
    [
        (44, None, "more than 40 firms", 40),
        (1000000000000, "up-to", "up to 1 trillion yen", None),
        (10000000, "about", "nearly 10 million", None),
        (44, None, "at least 44 firms", None),
    ],
)
def test_compatible_statements(tmp_path, value, qualifier, quote, states):
    unit = "JPY" if value == 1000000000000 else "companies"
    more = [f"states: {states}"] if states is not None else []
    text = fact("figure", value, unit, [("news-a", f"{value} " + ("yen" if unit == "JPY" else "companies")), ("news-b", quote, *more)], qualifier=qualifier)
    fb = check(tmp_path, {"a.yaml": text})
    assert not by_code(fb, "disagreement"), fb.report.format()
    assert fb.status("figure") == "confirmed"


# --------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------


def ceiling(quote: str) -> str:
    return fact("ceiling", 1000000000000, "JPY", [("news-b", quote)], qualifier="up-to")


def test_wrong_conversion_by_orders_of_magnitude(tmp_path):
    fb = check(tmp_path, {"a.yaml": RATE + ceiling("up to 1 trillion yen (approximately $3.7M)")})
    f = one(fb, "conversion", "warning")
    assert at(f) == f"facts/a.yaml:{RATE_LINES + 9}:14"
    assert "implying ¥270,270 per US$1" in f.message, f.message
    assert "the reference rate is ¥162.5 per US$1 (fact 'jpy-per-usd', facts/a.yaml:3:10)" in f.message, f.message
    assert "orders of magnitude" in f.message, f.message
    assert [str(r) for r in f.related] == ["facts/a.yaml:3:10"]
    (conflict,) = fb.conflicts
    assert conflict.kind == "conversion" and conflict.rate_fact == "jpy-per-usd"
    assert conflict.implied_rate == Decimal("270270") and conflict.reference_rate == Decimal("162.5")
    # a wrong conversion is shown, but it is no disagreement between the sources' figures
    assert fb.status("ceiling") == "reported"


def test_right_conversion(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": RATE + ceiling("up to 1 trillion yen ($6.1 billion)")}))
    assert fb.conflicts == []


def test_conversion_just_outside_the_default_tolerance(tmp_path):
    # 1 trillion / 6.5 billion = 153.8 yen per dollar: 5.3% away from 162.5
    f = one(check(tmp_path, {"a.yaml": RATE + ceiling("up to 1 trillion yen ($6.5 billion)")}), "conversion", "warning")
    assert "implying ¥153.8 per US$1" in f.message and "5.3% away" in f.message, f.message
    assert "orders of magnitude" not in f.message


def test_tolerance_from_settings_accepts_it(tmp_path):
    settings = '[tool.briefing]\nconversion_tolerance = "0.06"\n'
    clean(check(tmp_path, {"a.yaml": RATE + ceiling("up to 1 trillion yen ($6.5 billion)")}, pyproject=settings))


def test_tolerance_from_settings_tightens_it(tmp_path):
    # 1 trillion / 6.1 billion = 163.9 yen per dollar: 0.9% away, refused at 0.5%
    settings = '[tool.briefing]\nconversion_tolerance = "0.005"\n'
    f = one(check(tmp_path, {"a.yaml": RATE + ceiling("up to 1 trillion yen ($6.1 billion)")}, pyproject=settings), "conversion", "warning")
    assert "implying ¥163.9 per US$1" in f.message and "0.9% away" in f.message, f.message


def test_conversion_uses_the_rate_nearest_in_date(tmp_path):
    old_rate = fact(
        "jpy-per-usd-2020",
        '"110"',
        "JPY-per-USD",
        [("news-b", "110 billion yen (1 billion USD)")],
        as_of="2020-01-01",
    )
    fb = clean(check(tmp_path, {"a.yaml": old_rate + RATE + ceiling("up to 1 trillion yen ($6.1 billion)")}))
    assert fb.conflicts == []
    # the same quote against the old rate alone is off by about 33%
    f = one(check(tmp_path / "old", {"a.yaml": old_rate + ceiling("up to 1 trillion yen ($6.1 billion)")}), "conversion", "warning")
    assert "fact 'jpy-per-usd-2020'" in f.message, f.message


def test_inverse_rate_fact_is_used(tmp_path):
    inverse = fact("usd-per-jpy", '"0.006153"', "USD-per-JPY", [("news-a", "2.383 billion USD (387.3 billion yen)")])
    f = one(check(tmp_path, {"a.yaml": inverse + ceiling("up to 1 trillion yen (approximately $3.7M)")}), "conversion", "warning")
    assert "orders of magnitude" in f.message and "fact 'usd-per-jpy'" in f.message, f.message


# --------------------------------------------------------------------------
# no-reference-rate
# --------------------------------------------------------------------------


def test_conversion_without_a_reference_rate(tmp_path):
    f = one(check(tmp_path, {"a.yaml": ceiling("up to 1 trillion yen ($6.1 billion)")}), "no-reference-rate", "warning")
    assert f.message == "quote converts JPY into USD but there is no reference rate fact (unit JPY-per-USD) to check it against"
    assert at(f) == "facts/a.yaml:9:14"


def test_no_conversion_needs_no_rate(tmp_path):
    clean(check(tmp_path, {"a.yaml": ceiling("up to 1 trillion yen over the next five years")}))


def test_a_retracted_rate_is_not_a_reference(tmp_path):
    retracted = RATE.replace("  citations:", "  status: retracted\n  note: Wrong rate.\n  citations:")
    fb = check(tmp_path, {"a.yaml": retracted + ceiling("up to 1 trillion yen ($6.1 billion)")})
    assert [f.code for f in fb.report] == ["no-reference-rate"], fb.report.format()


# --------------------------------------------------------------------------
# Status: earned, not typed
# --------------------------------------------------------------------------


def status_of(tmp_path, citations, extra="", value=44):
    fb = check(tmp_path, {"a.yaml": fact("firms", value, "companies", citations, extra=extra)})
    assert not fb.report.errors, fb.report.format()
    return fb.status("firms"), fb.derived["firms"].reason


def test_confirmed_by_two_publishers(tmp_path):
    status, reason = status_of(tmp_path, [("news-a", "44 companies"), ("news-b", "44 firms")])
    assert status == "confirmed" and reason == "2 independent publishers state it."


def test_confirmed_by_a_government_source(tmp_path):
    status, reason = status_of(tmp_path, [("meti-release", "44 companies")])
    assert status == "confirmed" and reason == "A government source states it."


def test_reported_with_one_source(tmp_path):
    status, reason = status_of(tmp_path, [("news-a", "44 companies")])
    assert status == "reported" and reason == "One publisher states it."


def test_two_sources_of_one_publisher_are_one_publisher(tmp_path):
    # "Paper A" and "paper a" are the same publisher
    status, _ = status_of(tmp_path, [("news-a", "44 companies"), ("news-a-follow-up", "44 firms")])
    assert status == "reported"


def test_disputed_on_disagreement_even_with_a_government_source(tmp_path):
    fb = check(tmp_path, {"a.yaml": ROBOTS.replace("source: news-a", "source: meti-release")})
    assert fb.status("robot-target") == "disputed"
    assert fb.derived["robot-target"].reason == "1 disagreement between the figures the sources state."


@pytest.mark.parametrize("status", ["disputed", "retracted"])
def test_editor_set_status_is_kept(tmp_path, status):
    extra = f"  status: {status}\n  note: The ministry later gave another count.\n"
    got, reason = status_of(tmp_path, [("meti-release", "44 companies"), ("news-a", "44 firms")], extra=extra)
    assert got == status
    assert reason == "Set by the desk: The ministry later gave another count."


def test_retracted_wins_over_a_disagreement(tmp_path):
    text = ROBOTS.replace("  citations:", "  status: retracted\n  note: Withdrawn.\n  citations:")
    fb = check(tmp_path, {"a.yaml": text})
    assert fb.status("robot-target") == "retracted"
    assert fb.derived["robot-target"].status == "retracted"
    # the disagreement is still reported
    assert [f.code for f in fb.report] == ["disagreement"], fb.report.format()


# --------------------------------------------------------------------------
# The stages
# --------------------------------------------------------------------------


def test_checks_do_not_run_on_invalid_records(tmp_path):
    # a validation error stops the run before the cross-checks, which need every record
    text = fact("firms", 44, "companies", [("news-a", "43 companies")]) + fact("Bad", 1, "robots", [("news-a", "1 robot")])
    fb = check(tmp_path, {"a.yaml": text})
    assert [f.code for f in fb.report] == ["schema"], fb.report.format()
    assert fb.derived == {}
