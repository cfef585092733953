"""Property-based tests of the loader and checker: whatever a fact file holds, findings, never a traceback.

Hypothesis writes arbitrary documents as fact files beside a valid
``sources.yaml`` and runs the whole check (:func:`check_project`): generated
text (unicode, YAML punctuation, anchors, tags, tabs, directives), generated
data structures dumped to YAML (odd scalars, nested structures, record-like
mappings with wrong types in every field) and raw bytes. The check must
return, and every finding must point at a real place: a file of the project
and a line within that file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from build_scripts.pipeline import check_project

SOURCES = """\
- id: news-a
  title: Article A
  publisher: Paper A
  kind: news
  url: https://news.example/a
  accessed: 2026-06-30
"""

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_file(content: str | bytes, name: str = "a.yaml") -> None:
    """Write ``content`` as ``facts/<name>`` and check the project; assert findings are well located."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        facts = root / "facts"
        facts.mkdir()
        (facts / "sources.yaml").write_text(SOURCES, encoding="utf-8")
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        (facts / name).write_bytes(data)
        fb = check_project(root)  # must not raise
        lines = {
            f"facts/{p.name}": max(1, p.read_bytes().count(b"\n") + 1) for p in facts.iterdir()
        }
        for finding in fb.report:
            loc = finding.location
            assert loc.file in lines, finding.format()
            assert 1 <= loc.line <= lines[loc.file], (finding.format(), lines[loc.file])
            assert loc.col >= 1, finding.format()
            assert finding.message and "\n" not in finding.format().split(": ", 1)[0]
            assert "Traceback" not in finding.message


# -- generated text ---------------------------------------------------------------------
#: Pieces of YAML syntax, records and trouble, glued together in any order.
FRAGMENTS = [
    "- ", "  ", "    ", "\n", "\n", "\n", ": ", ":", "id: ", "label: ", "value: ", "unit: ", "as_of: ", "citations:",
    "source: news-a", "quote: ", "note: ", "status: disputed", "qualifier: about", "robots", "JPY", "text", "names",
    "date", "2026-06-30", "2026-02-30", "2999-01-01", "5", "1.5", "-0", "0x1F", "1e9", ".inf", ".nan", "~", "null",
    "true", "yes", "'", '"', "\\", "[", "]", "{", "}", ",", "?", "&a ", "*a", "<<: ", "!!python/object:os.system ",
    "!!binary ", "!local ", "%YAML 1.1\n", "---\n", "...\n", "# comment", "\t", "|\n", ">-\n", "\ufeff", "\u2028",
    "\x85", "é", "漢字", "🙂", "{{ 7*7 }}", "<script>", "`", "**", "\r\n", "\x00", "\x07",
]
yaml_like_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


@PROPERTY_SETTINGS
@given(yaml_like_text)
@example("- id: a\n  label: x\n  value: &a [*a]\n")
@example("- &a [*a, *a]\n")
@example("- " + "[" * 200 + "]" * 200)
@example("%YAML 1.1\n---\n- id: a\n")
@example("- id: x\n  id: y\n")
def test_yaml_like_text_gives_findings_not_tracebacks(text):
    check_file(text)


@PROPERTY_SETTINGS
@given(unicode_text)
def test_any_unicode_text_gives_findings_not_tracebacks(text):
    check_file(text)


@PROPERTY_SETTINGS
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf- id: a\n")
@example(b"- id: \xff\xfe\n")
@example(b"")
def test_any_bytes_give_findings_not_tracebacks(data):
    check_file(data)


# -- generated data, dumped to YAML -------------------------------------------------------
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
    | st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(3000, 1, 1))
    | st.sampled_from(["", " ", "2026-06-30", "1,000", "1e3", "NaN", "-", "0.1", "javascript:alert(1)", "JPY", "names"])
)
keys = st.text(max_size=12) | st.sampled_from(["id", "label", "value", "unit", "as_of", "citations", "source", "quote", "low", "high"])
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)
FIELDS = ["id", "label", "value", "unit", "qualifier", "as_of", "period", "status", "note", "citations"]
citations = st.lists(
    st.fixed_dictionaries({}, optional={"source": structures | st.just("news-a"), "quote": structures, "locator": structures, "states": structures}),
    max_size=3,
)
records = st.fixed_dictionaries(
    {},
    optional={
        **{name: structures for name in FIELDS},
        "id": st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,12}\Z") | structures,
        "unit": st.sampled_from(["robots", "JPY", "JPY-per-USD", "names", "text", "date", "percent", "XYZ"]) | structures,
        "value": st.dictionaries(st.sampled_from(["low", "high", "mid"]), scalars, max_size=3) | structures,
        "citations": citations | structures,
    },
)
documents = st.lists(records, max_size=4) | structures


def dump(data) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@PROPERTY_SETTINGS
@given(documents)
@example([{"id": "a", "label": "x", "value": {"low": Decimal("1"), "high": 2}.get("high"), "unit": "robots"}])
def test_generated_data_gives_findings_not_tracebacks(data):
    check_file(dump(data))


@PROPERTY_SETTINGS
@given(st.lists(records, min_size=1, max_size=3))
def test_generated_reviews_and_sources_give_findings_not_tracebacks(data):
    # the same documents read as reviews and as the sources file
    text = dump(data)
    check_file(text, "reviews.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "facts").mkdir()
        (root / "facts" / "sources.yaml").write_text(text, encoding="utf-8")
        fb = check_project(root)
        n = max(1, text.count("\n") + 1)
        for finding in fb.report:
            assert finding.location.file == "facts/sources.yaml", finding.format()
            assert 1 <= finding.location.line <= n, finding.format()


# -- by class: nesting, numbers, hidden characters, outputs ----------------------------------------
def _nested(depth: int, kinds: list[str]):
    value: object = "x"
    for i in range(depth):
        value = [value] if kinds[i % len(kinds)] == "seq" else {"k": value}
    return value


def _findings(content: str, name: str = "a.yaml"):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "facts").mkdir()
        (root / "facts" / "sources.yaml").write_text(SOURCES, encoding="utf-8")
        (root / "facts" / name).write_text(content, encoding="utf-8")
        return list(check_project(root).report)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=150), st.lists(st.sampled_from(["seq", "map"]), min_size=1, max_size=5), st.booleans())
def test_block_and_flow_nesting_is_refused_exactly_beyond_the_limit(depth, kinds, flow):
    from build_scripts.records.yaml_files import MAX_DEPTH

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None if flow else False
    out = io.StringIO()
    yaml.dump([_nested(depth, kinds)], out)
    findings = _findings(out.getvalue())
    deep = [f for f in findings if f.code == "yaml-depth"]
    assert bool(deep) == (depth + 1 > MAX_DEPTH), (depth, [f.format() for f in findings])


FACT = """\
- id: a
  label: {label}
  value: {value}
  unit: robots
  as_of: 2026-06-30
  citations:
    - source: news-a
      quote: "5 robots"
"""

number_texts = st.text(st.sampled_from("0123456789,.-+eE_ \u0665\uff15\u0967\u00b2x"), min_size=1, max_size=40) | st.sampled_from(
    ["1" + "0" * 5000, '"1' + "0" * 20000 + '"', "1e999999", '"1e999999"', ".inf", "-.nan", "0x" + "f" * 200, "0o777", '"1,5"', '"1.000,5"']
)


@PROPERTY_SETTINGS
@given(number_texts, st.booleans())
def test_a_number_of_any_size_or_form_is_read_or_refused_located(number, quoted):
    from build_scripts.records.models import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS

    value = '"' + number.replace("\\", "").replace('"', "") + '"' if quoted and not number.startswith('"') else number
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "facts").mkdir()
        (root / "facts" / "sources.yaml").write_text(SOURCES, encoding="utf-8")
        (root / "facts" / "a.yaml").write_text(FACT.format(label="Robots", value=value), encoding="utf-8")
        fb = check_project(root)
    for fact in fb.facts.values():  # accepted: an exact, bounded number written in ASCII digits
        if isinstance(fact.value, Decimal):
            sign, digits, exponent = fact.value.as_tuple()
            assert len(digits) + min(exponent, 0) <= MAX_INTEGER_DIGITS + 1 and -exponent <= MAX_FRACTION_DIGITS
            assert value.strip('"').strip().replace(",", "").replace("-", "", 1).replace(".", "", 1).isascii()
    for finding in fb.report.errors:
        assert finding.location.file in ("facts/a.yaml", "facts/sources.yaml") and finding.location.line >= 1


HIDDEN = "\x00\x07\x08\x0b\x0c\x0d\x1b\x7f\x85\x9b\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"


@PROPERTY_SETTINGS
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), st.text(st.sampled_from(HIDDEN), max_size=3), st.integers(0, 40))
def test_a_hidden_or_reordering_character_in_a_label_is_refused_at_the_label(text, hidden, at):
    import unicodedata

    label = "Robots " + text[:at] + hidden + text[at:]
    # a double-quoted YAML string with every control, format or unassigned character escaped (\U0000202e)
    escaped = "".join(
        f"\\U{ord(c):08x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") else "\\" + c if c in '"\\' else c for c in label
    )
    findings = _findings(FACT.format(label=f'"{escaped}"', value=5))
    hidden_errors = [f for f in findings if f.code == "hidden-character" and f.severity.value == "error"]
    if hidden:
        assert hidden_errors and all(f.location.line == 2 for f in hidden_errors), [f.format() for f in findings]


@PROPERTY_SETTINGS
@given(st.text(max_size=30))
def test_no_csv_cell_starts_a_formula(text):
    from build_scripts.site.data import csv_cell

    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell)
    assert cell in (text, "'" + text)


@PROPERTY_SETTINGS
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_diff_output_holds_no_control_character_and_its_markdown_no_live_markup(text):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from build_scripts.history.diff import md, visible

    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", visible(text))
    html = cmarkgfm.github_flavored_markdown_to_html(f"- {md(text)}", options=Options.CMARK_OPT_UNSAFE)
    assert set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html)) <= {"ul", "li", "p", "code", "em"}, html


@PROPERTY_SETTINGS
@given(st.text(max_size=30) | st.integers(-(10**30), 10**30).map(str) | st.sampled_from(["", "0", "253402300799", "253402300800", "1.5", "-1"]))
def test_any_source_date_epoch_is_taken_or_named(value):
    from build_scripts.dates import MAX_EPOCH, epoch_problem

    problem = epoch_problem(value)
    ok = value.isascii() and value.isdigit() and int(value) <= MAX_EPOCH
    assert (problem is None) == ok and (ok or "SOURCE_DATE_EPOCH" in problem)


@PROPERTY_SETTINGS
@given(st.text(max_size=40))
def test_any_web_address_host_is_judged_without_error(host):
    from build_scripts.records.text import host_problem

    result = host_problem(f"https://{host}/page")
    assert result is None or (isinstance(result[0], bool) and result[1])


quote_numbers = st.lists(
    st.sampled_from(["9" * 50, "1" + "0" * 1500, "0." + "0" * 900 + "1", "1e999999", "trillion", "billion", "million", "thousand", "¥", "$",
                     "yen", "USD", "%", "about", "up to", "5", "robots", ",", ".", " ", "half a", "-"]),
    max_size=30,
).map(" ".join)


@PROPERTY_SETTINGS
@given(quote_numbers)
def test_numbers_of_any_size_in_a_quote_give_findings_not_errors(quote):
    for unit in ("robots", "JPY", "percent"):
        check_file(FACT.format(label="Robots", value=5).replace("unit: robots", f"unit: {unit}").replace('"5 robots"', '"' + quote[:1990] + '"'))
