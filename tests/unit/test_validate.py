"""Validate stage: records against the models, with every finding at the field it is about.

Each kind of problem has a test with exact ``LINE:COL`` and a valid counterpart
that gives no finding. Fixture roots are written into ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from build_scripts.pipeline import check_project
from tests.conftest import write_facts

#: Three sources of different publishers and kinds.
SOURCES = """\
- id: meti-release
  title: METI press release
  publisher: Ministry of Economy, Trade and Industry
  kind: government
  url: https://www.meti.go.jp/press/release.html
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
  published: 2026-06-29
  accessed: 2026-06-30
"""

# line numbers of FACT:    1     2      3      4     5     6         7       8
FACT = """\
- id: {id}
  label: Funding ceiling
  value: {value}
  unit: {unit}
  as_of: 2026-06-30
  citations:
    - source: {source}
      quote: "{quote}"
"""


def fact(id="funding-ceiling", value="1000000000000", unit="JPY", source="news-a", quote="up to 1 trillion yen", extra=""):
    """One fact record; ``extra`` lines go between ``as_of`` and ``citations`` (line 6 on)."""
    text = FACT.format(id=id, value=value, unit=unit, source=source, quote=quote)
    return text.replace("  citations:\n", extra + "  citations:\n")


def check(tmp_path: Path, files: dict[str, str]):
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES, **files})
    return check_project(root)


def located(fb) -> list[tuple[str, int, int, str]]:
    """``(file, line, col, severity)`` of every finding, in report order."""
    return [(f.location.file, f.location.line, f.location.col, f.severity.value) for f in fb.report]


def only_error(fb, file="facts/a.yaml"):
    shown = fb.report.format()
    assert len(fb.report) == 1, shown
    (finding,) = list(fb.report)
    assert finding.severity.value == "error", shown
    assert finding.location.file == file, shown
    return finding


def at(finding) -> tuple[int, int]:
    return finding.location.line, finding.location.col


def clean(fb):
    assert len(fb.report) == 0, fb.report.format()
    return fb


# --------------------------------------------------------------------------
# The valid baseline
# --------------------------------------------------------------------------


def test_valid_fact_and_sources(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact()}))
    assert set(fb.sources) == {"meti-release", "news-a", "news-b"}
    f = fb.facts["funding-ceiling"]
    assert f.file == "facts/a.yaml" and f.index == 0 and f.topic == "a"
    assert fb.topics == {"a": ["funding-ceiling"]}


# --------------------------------------------------------------------------
# Required and unknown fields
# --------------------------------------------------------------------------


def test_missing_field_points_at_its_record(tmp_path):
    text = fact().replace("  value: 1000000000000\n", "")
    f = only_error(check(tmp_path, {"a.yaml": text}))
    assert f.message == "fact is missing required field 'value'"
    assert at(f) == (1, 3), f.format()


def test_missing_field_of_a_second_record(tmp_path):
    text = fact(id="first") + fact(id="second").replace("  as_of: 2026-06-30\n", "")
    f = only_error(check(tmp_path, {"a.yaml": text}))
    assert f.message == "fact is missing required field 'as_of'"
    assert at(f) == (9, 3), f.format()


def test_missing_source_field(tmp_path):
    # the fact cites another source: an invalid source is not registered, so citing it would be a second error
    fb = check(tmp_path, {"a.yaml": fact(source="meti-release"), "sources.yaml": SOURCES.replace("  publisher: Paper A\n", "")})
    f = only_error(fb, "facts/sources.yaml")
    assert f.message == "source is missing required field 'publisher'"
    assert at(f) == (7, 3), f.format()


def test_unknown_field_typo_points_at_the_key(tmp_path):
    text = fact().replace("  as_of:", "  as_off:")
    fb = check(tmp_path, {"a.yaml": text})
    messages = {(f.location.line, f.location.col): f.message for f in fb.report}
    assert messages == {
        (1, 3): "fact is missing required field 'as_of'",
        (5, 3): "unknown field 'as_off' (allowed: id, label, unit, value, qualifier, as_of, period, status, note, citations)",
    }, fb.report.format()


def test_unknown_field_in_a_citation_lists_the_citation_fields(tmp_path):
    text = fact().replace("      quote:", "      qoute:")
    fb = check(tmp_path, {"a.yaml": text})
    messages = {(f.location.line, f.location.col): f.message for f in fb.report}
    assert messages == {
        (7, 7): "fact is missing required field 'citations.0.quote'",
        (8, 7): "unknown field 'citations.0.qoute' (allowed: source, quote, locator, states, via)",
    }, fb.report.format()


def test_unknown_field_in_a_range(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(value="{low: 1, high: 2, mid: 3}", unit="robots")}))
    assert f.message == "unknown field 'value.mid' (allowed: low, high)"
    assert at(f) == (3, 28), f.format()


def test_empty_field_points_at_its_key(tmp_path):
    # an empty value has no position of its own: the key is the place, not the next line
    f = only_error(check(tmp_path, {"a.yaml": fact().replace("  label: Funding ceiling", "  label:")}))
    assert f.message.startswith("label: "), f.message
    assert at(f) == (2, 3), f.format()


def test_empty_citations_points_at_its_key(tmp_path):
    text = fact().split("  citations:")[0] + "  citations:\n"
    f = only_error(check(tmp_path, {"a.yaml": text}))
    assert f.message.startswith("citations: "), f.message
    assert at(f) == (6, 3), f.format()


def test_no_citations(tmp_path):
    text = fact().split("  citations:")[0] + "  citations: []\n"
    f = only_error(check(tmp_path, {"a.yaml": text}))
    assert f.message.startswith("citations: "), f.message
    assert at(f) == (6, 3), f.format()


# --------------------------------------------------------------------------
# Slugs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Funding_Ceiling", "-funding", "funding ceiling", "ÿen"])
def test_bad_slug(tmp_path, bad):
    f = only_error(check(tmp_path, {"a.yaml": fact(id=f'"{bad}"')}))
    assert f.message.startswith("id: not a slug"), f.message
    assert at(f) == (1, 7), f.format()


@pytest.mark.parametrize("good", ["funding-ceiling", "fy2026-allocation", "2040-target"])
def test_good_slug(tmp_path, good):
    fb = clean(check(tmp_path, {"a.yaml": fact(id=good)}))
    assert list(fb.facts) == [good]


def test_bad_source_slug(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact(source="News_A")})
    f = only_error(fb)
    assert f.message.startswith("citations.0.source: not a slug"), f.message
    assert at(f) == (7, 15), f.format()


# --------------------------------------------------------------------------
# Values: exact numbers, never floats
# --------------------------------------------------------------------------


def test_float_value_is_refused_with_a_hint(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(value="162.5", unit="JPY-per-USD")}))
    assert "binary floating-point" in f.message, f.message
    assert 'write it as a quoted decimal string: "162.5"' in f.message, f.message
    assert at(f) == (3, 10), f.format()


def test_float_states_is_refused_with_a_hint(tmp_path):
    extra_states = fact().replace('      quote: "up to 1 trillion yen"\n', '      quote: "up to 1 trillion yen"\n      states: 1.5\n')
    f = only_error(check(tmp_path, {"a.yaml": extra_states}))
    assert f.message.startswith("citations.0.states: binary floating-point"), f.message
    assert '"1.5"' in f.message
    assert at(f) == (9, 15), f.format()


def test_float_in_a_range_is_refused(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(value="{low: 1.5, high: 2}", unit="robots")}))
    assert f.message.startswith("value.low: binary floating-point"), f.message
    assert at(f) == (3, 16), f.format()


@pytest.mark.parametrize("value", ["true", "false", "yes"])
def test_bool_value_is_refused(tmp_path, value):
    fb = check(tmp_path, {"a.yaml": fact(value=value)})
    if value == "yes":  # YAML 1.2: "yes" is a plain string, refused as not a number
        f = only_error(fb)
        assert "'yes' is not a number" in f.message, f.message
    else:
        f = only_error(fb)
        assert f.message == "value: expected a number, got a boolean", f.message
    assert at(f) == (3, 10), f.format()


def test_decimal_string_is_read_exactly(tmp_path):
    text = fact(value='"162.5"', unit="JPY-per-USD", source="news-a", quote="387.3 billion yen (approximately 2.383 billion USD)")
    fb = clean(check(tmp_path, {"a.yaml": text}))
    value = fb.facts["funding-ceiling"].value
    assert type(value) is Decimal
    assert value == Decimal("162.5") and str(value) == "162.5"


def test_decimal_string_keeps_every_digit(tmp_path):
    # a binary float would turn this into 0.1000000000000000055511151231257827...
    text = fact(value='"0.1"', unit="percent", quote="0.1% of the budget")
    fb = clean(check(tmp_path, {"a.yaml": text}))
    value = fb.facts["funding-ceiling"].value
    assert type(value) is Decimal and value.as_tuple() == Decimal("0.1").as_tuple()


def test_integer_and_separated_string_are_exact(tmp_path):
    fb = clean(
        check(
            tmp_path,
            {"a.yaml": fact(id="a") + fact(id="b", value='"1,000,000,000,000"')},
        )
    )
    assert fb.facts["a"].value == fb.facts["b"].value == Decimal(10) ** 12
    assert all(type(f.value) is Decimal for f in fb.facts.values())


@pytest.mark.parametrize("value", ['"1e12"', '"one trillion"', '"NaN"'])
def test_non_decimal_strings_are_refused(tmp_path, value):
    f = only_error(check(tmp_path, {"a.yaml": fact(value=value)}))
    assert f.message.startswith("value: "), f.message
    assert at(f) == (3, 10), f.format()


# --------------------------------------------------------------------------
# Ranges and the other kinds of value
# --------------------------------------------------------------------------


def test_range_valid(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(value="{low: 40, high: 50}", unit="companies", quote="between 40 and 50 companies")}))
    value = fb.facts["funding-ceiling"].value
    assert (value.low, value.high) == (Decimal(40), Decimal(50))
    assert type(value.low) is Decimal


def test_range_low_above_high(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(value="{low: 50, high: 40}", unit="companies", quote="between 40 and 50 companies")}))
    assert f.message == "value: low is greater than high", f.message
    assert at(f) == (3, 3), f.format()


def test_range_missing_high(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(value="{low: 40}", unit="companies")}))
    assert f.message == "fact is missing required field 'value.high'", f.message
    # a missing field points at the mapping that lacks it: here the range
    assert at(f) == (3, 10), f.format()


def test_date_fact(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(value="2026-04-01", unit="date", quote="from April 1, 2026")}))
    assert fb.facts["funding-ceiling"].value == dt.date(2026, 4, 1)


@pytest.mark.parametrize("value", ["5", "April 2026", "2026-04-01T10:00:00"])
def test_date_fact_needs_a_date(tmp_path, value):
    f = only_error(check(tmp_path, {"a.yaml": fact(value=value, unit="date")}))
    assert "needs a date value" in f.message, f.message
    assert at(f) == (3, 10), f.format()


def test_names_fact(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(value="[SoftBank, Sony]", unit="names", quote="SoftBank and Sony hold shares")}))
    assert fb.facts["funding-ceiling"].value == ["SoftBank", "Sony"]


@pytest.mark.parametrize("value", ["[]", "SoftBank", "[SoftBank, 5]"])
def test_names_fact_needs_a_list_of_names(tmp_path, value):
    f = only_error(check(tmp_path, {"a.yaml": fact(value=value, unit="names")}))
    assert "needs a non-empty list of names" in f.message, f.message
    # a list is located at its key, a scalar at the value
    assert at(f) == ((3, 10) if value == "SoftBank" else (3, 3)), f.format()


def test_text_fact(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(value="Tied to yearly reviews", unit="text", quote="funding depends on yearly reviews")}))
    assert fb.facts["funding-ceiling"].value == "Tied to yearly reviews"


@pytest.mark.parametrize("value", ["[a, b]", '"  "'])
def test_text_fact_needs_a_text(tmp_path, value):
    f = only_error(check(tmp_path, {"a.yaml": fact(value=value, unit="text")}))
    assert "needs a short text" in f.message, f.message
    assert at(f) == ((3, 3) if value.startswith("[") else (3, 10)), f.format()


# --------------------------------------------------------------------------
# Units and qualifiers
# --------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["robotz", "yen", "jpy", "JPY-per-XYZ"])
def test_unknown_unit(tmp_path, unit):
    f = only_error(check(tmp_path, {"a.yaml": fact(unit=unit)}))
    assert f.message.startswith(f"unit: unknown unit {unit!r}"), f.message
    assert "ISO 4217" in f.message and "robots" in f.message
    assert at(f) == (4, 9), f.format()


@pytest.mark.parametrize("unit", ["JPY", "KRW", "USD-per-JPY", "percent", "robots"])
def test_known_units(tmp_path, unit):
    quote = {"percent": "1 trillion percent", "robots": "1 trillion robots"}.get(unit, "up to 1 trillion yen")
    fb = check(tmp_path, {"a.yaml": fact(unit=unit, quote=quote)})
    assert not [f for f in fb.report if f.message.startswith("unit:")], fb.report.format()


def test_extra_unit_from_settings(tmp_path):
    root = tmp_path / "root"
    (root).mkdir()
    (root / "pyproject.toml").write_text('[tool.briefing]\nextra_units = ["gigawatts"]\n', encoding="utf-8")
    write_facts(root, {"sources.yaml": SOURCES, "a.yaml": fact(value=5, unit="gigawatts", quote="5 gigawatts")})
    clean(check_project(root))


def test_qualifier_on_a_text_fact(tmp_path):
    text = fact(value="Tied to yearly reviews", unit="text", quote="yearly reviews", extra="  qualifier: about\n")
    f = only_error(check(tmp_path, {"a.yaml": text}))
    assert "qualifier 'about' applies only to numbers" in f.message, f.message
    assert at(f) == (6, 14), f.format()


def test_qualifier_on_a_number(tmp_path):
    clean(check(tmp_path, {"a.yaml": fact(extra="  qualifier: up-to\n")}))


def test_unknown_qualifier(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(extra="  qualifier: roughly\n")}))
    assert f.message.startswith("qualifier: input should be"), f.message
    assert at(f) == (6, 14), f.format()


# --------------------------------------------------------------------------
# Editor-set status
# --------------------------------------------------------------------------


def test_status_without_note(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(extra="  status: disputed\n")}))
    assert "status 'disputed' set by an editor needs a note" in f.message, f.message
    assert at(f) == (6, 11), f.format()


@pytest.mark.parametrize("status", ["disputed", "retracted"])
def test_status_with_note(tmp_path, status):
    fb = clean(check(tmp_path, {"a.yaml": fact(extra=f"  status: {status}\n  note: The ministry withdrew the figure.\n")}))
    assert fb.status("funding-ceiling") == status


def test_status_confirmed_cannot_be_typed(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(extra="  status: confirmed\n  note: Sure.\n")}))
    assert f.message.startswith("status: "), f.message
    assert at(f) == (6, 11), f.format()


# --------------------------------------------------------------------------
# Sources: URL schemes and dates
# --------------------------------------------------------------------------

BAD_URLS = SOURCES + """\
- id: news-c
  title: Article C
  publisher: Paper C
  kind: news
  url: javascript:alert(1)
  archive_url: "data:text/html,<b>hi</b>"
  accessed: 2026-06-30
"""


def test_javascript_and_data_urls_are_refused(tmp_path):
    fb = check(tmp_path, {"sources.yaml": BAD_URLS, "a.yaml": fact()})
    got = [(f.location.line, f.location.col, f.message.split(";")[0]) for f in fb.report]
    assert got == [
        (22, 8, "url: URL scheme javascript: not allowed"),
        (23, 16, "archive_url: URL scheme data: not allowed"),
    ], fb.report.format()
    assert all(f.severity.value == "error" and f.location.file == "facts/sources.yaml" for f in fb.report)


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "www.example.org", "JavaScript:alert(1)"])
def test_other_schemes_are_refused(tmp_path, url):
    sources = SOURCES.replace("https://www.meti.go.jp/press/release.html", url)
    f = only_error(check(tmp_path, {"sources.yaml": sources, "a.yaml": fact()}), "facts/sources.yaml")
    assert f.message.startswith("url: "), f.message
    assert at(f) == (5, 8), f.format()


def test_http_and_https_urls(tmp_path):
    sources = SOURCES.replace("  accessed: 2026-06-30\n- id: news-a", "  archive_url: http://archive.org/web/x\n  accessed: 2026-06-30\n- id: news-a")
    fb = clean(check(tmp_path, {"sources.yaml": sources, "a.yaml": fact()}))
    assert fb.sources["meti-release"].archive_url == "http://archive.org/web/x"


def test_future_accessed_date(tmp_path):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    sources = SOURCES.replace("  published: 2026-06-29\n  accessed: 2026-06-30", f"  accessed: {tomorrow}")
    f = only_error(check(tmp_path, {"sources.yaml": sources, "a.yaml": fact()}), "facts/sources.yaml")
    assert f.message == f"accessed: date {tomorrow} is in the future", f.message
    assert at(f) == (16, 13), f.format()


def test_accessed_today(tmp_path):
    today = dt.date.today().isoformat()
    sources = SOURCES.replace("  published: 2026-06-29\n  accessed: 2026-06-30", f"  accessed: {today}")
    clean(check(tmp_path, {"sources.yaml": sources, "a.yaml": fact()}))


def test_unknown_source_kind(tmp_path):
    f = only_error(check(tmp_path, {"sources.yaml": SOURCES.replace("kind: government", "kind: official"), "a.yaml": fact()}), "facts/sources.yaml")
    assert f.message.startswith("kind: input should be"), f.message
    assert at(f) == (4, 9), f.format()


# --------------------------------------------------------------------------
# Identity and references across files
# --------------------------------------------------------------------------


def test_duplicate_fact_ids_across_files(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact(), "b.yaml": "# Second topic\n\n" + fact(id="other") + fact()})
    f = only_error(fb, "facts/b.yaml")
    assert f.code == "duplicate-id"
    assert at(f) == (11, 7), f.format()
    assert "duplicate fact id 'funding-ceiling'" in f.message
    assert "facts/a.yaml:1:7" in f.message and str(f.location) == "facts/b.yaml:11:7"
    assert [str(r) for r in f.related] == ["facts/a.yaml:1:7"]
    # the first definition is the one kept
    assert fb.facts["funding-ceiling"].file == "facts/a.yaml"


def test_same_ids_in_different_files_of_different_kinds_warn(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact(id="news-a")})
    (f,) = list(fb.report)
    assert f.severity.value == "warning" and f.code == "id-clash", fb.report.format()
    assert at(f) == (1, 7)


def test_distinct_ids(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(), "b.yaml": fact(id="funding-ceiling-2")}))
    assert list(fb.facts) == ["funding-ceiling", "funding-ceiling-2"]


def test_duplicate_source_ids(tmp_path):
    sources = SOURCES + SOURCES.split("- id: news-a")[0]
    f = only_error(check(tmp_path, {"sources.yaml": sources, "a.yaml": fact()}), "facts/sources.yaml")
    assert "duplicate source id 'meti-release'" in f.message and "facts/sources.yaml:1:7" in f.message, f.message
    assert at(f) == (18, 7), f.format()


def test_dangling_source_id_suggests_the_nearest(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(source="newsa")}))
    assert f.code == "unknown-source"
    assert f.message == "fact 'funding-ceiling' cites unknown source 'newsa'; did you mean 'news-a'?", f.message
    assert at(f) == (7, 15), f.format()


def test_dangling_source_id_with_nothing_near(tmp_path):
    f = only_error(check(tmp_path, {"a.yaml": fact(source="reuters-wire")}))
    assert f.message == "fact 'funding-ceiling' cites unknown source 'reuters-wire'", f.message


def test_missing_sources_file(tmp_path):
    root = tmp_path / "root"
    write_facts(root, {"a.yaml": fact()})
    fb = check_project(root)
    assert ("facts/sources.yaml", 1, 1, "error") in located(fb), fb.report.format()


REVIEW = """\
- id: review-funding
  claim: "up to 1 trillion yen"
  source: {source}
  fact: {fact}
  rating: accurate
  explanation: The ceiling matches the ministry's figure.
"""


def test_review_naming_known_fact_and_source(tmp_path):
    fb = clean(check(tmp_path, {"a.yaml": fact(), "reviews.yaml": REVIEW.format(source="news-a", fact="funding-ceiling")}))
    assert fb.reviews["review-funding"].fact == "funding-ceiling"


def test_review_naming_unknown_fact_and_source(tmp_path):
    fb = check(tmp_path, {"a.yaml": fact(), "reviews.yaml": REVIEW.format(source="newsa", fact="funding-ceilng")})
    got = [(f.location.file, f.location.line, f.location.col, f.code, f.message) for f in fb.report]
    assert got == [
        ("facts/reviews.yaml", 3, 11, "unknown-source", "review 'review-funding' names unknown source 'newsa'; did you mean 'news-a'?"),
        ("facts/reviews.yaml", 4, 9, "unknown-fact", "review 'review-funding' names unknown fact 'funding-ceilng'; did you mean 'funding-ceiling'?"),
    ], fb.report.format()


def test_review_bad_rating(tmp_path):
    reviews = REVIEW.format(source="news-a", fact="funding-ceiling").replace("rating: accurate", "rating: mostly-true")
    f = only_error(check(tmp_path, {"a.yaml": fact(), "reviews.yaml": reviews}), "facts/reviews.yaml")
    assert f.message.startswith("rating: input should be"), f.message
    assert at(f) == (5, 11), f.format()


def test_all_problems_reported_in_one_run(tmp_path):
    fb = check(
        tmp_path,
        {
            "a.yaml": fact(value="162.5") + fact(id="Bad_Id"),
            "b.yaml": fact(id="third", source="nowhere"),
            "reviews.yaml": REVIEW.format(source="news-a", fact="missing-fact"),
        },
    )
    assert [(f, line, col) for f, line, col, _ in located(fb)] == [
        ("facts/a.yaml", 3, 10),
        ("facts/a.yaml", 9, 7),
        ("facts/b.yaml", 7, 15),
        ("facts/reviews.yaml", 4, 9),
    ], fb.report.format()


def test_invalid_source_is_not_reported_again_as_unknown(tmp_path):
    from build_scripts.pipeline import check_project
    from tests.conftest import write_facts

    root = write_facts(
        tmp_path,
        {
            "sources.yaml": "- id: src-a\n  title: A\n  publisher: P\n  kind: newz\n  accessed: 2026-01-01\n",
            "t.yaml": "- id: f\n  label: L\n  value: 3\n  unit: robots\n  as_of: 2026-01-01\n  citations:\n    - source: src-a\n      quote: \"3 robots\"\n",
        },
    )
    messages = [f.format() for f in check_project(root).report]
    assert messages == ["facts/sources.yaml:4:9: error: kind: input should be 'government', 'wire', 'news', 'analysis', 'aggregator' or 'dataset' (got 'newz')"]
