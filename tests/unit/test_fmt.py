"""``briefing fmt``: canonical layout of fact files, keeping comments, quotes and key order."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from build_scripts.cli import main
from build_scripts.edit.fmt import FormatError, canonical, format_files
from tests.conftest import ROOT

MESSY = """\
---
# yaml-language-server: $schema=../build_scripts/schema/facts.schema.json
# Funding facts.

-   id: ceiling    
    label: "Funding ceiling"   # the editors' words
    value: 1000000000000
    unit: JPY
    qualifier: up-to
    as_of: 2026-06-30
    note: >-
        A ceiling, not a budget: later tranches depend
        on yearly reviews.
    citations:
    -   source: wire-one
        quote: "up to 1 trillion yen ($6.1 billion) over five years, a very long quote that must never be folded onto a second line by the formatter"
        # the second source says it differently
    -   source: 'paper-two'
        quote: as much as ¥1 trillion
      # a comment between records
-   id: members
    value: [SoftBank, Sony]
    unit: names


"""

CANONICAL = """\
# yaml-language-server: $schema=../build_scripts/schema/facts.schema.json
# Funding facts.

- id: ceiling
  label: "Funding ceiling"   # the editors' words
  value: 1000000000000
  unit: JPY
  qualifier: up-to
  as_of: 2026-06-30
  note: >-
    A ceiling, not a budget: later tranches depend
    on yearly reviews.
  citations:
    - source: wire-one
      quote: "up to 1 trillion yen ($6.1 billion) over five years, a very long quote that must never be folded onto a second line by the formatter"
    # the second source says it differently
    - source: 'paper-two'
      quote: as much as ¥1 trillion
# a comment between records
- id: members
  value: [SoftBank, Sony]
  unit: names
"""


def load(text: str):
    return YAML(typ="safe", pure=True).load(text)


def test_messy_file_gets_the_canonical_layout():
    assert canonical(MESSY) == CANONICAL


def test_canonical_is_idempotent():
    assert canonical(CANONICAL) == CANONICAL
    assert canonical(canonical(MESSY)) == canonical(MESSY)


def test_data_comments_quotes_and_key_order_are_kept():
    out = canonical(MESSY)
    assert load(out) == load(MESSY)
    comments = [line.strip() for line in MESSY.splitlines() if line.strip().startswith("#")]
    assert comments == [line.strip() for line in out.splitlines() if line.strip().startswith("#")]
    assert '"Funding ceiling"' in out and "'paper-two'" in out and "as much as ¥1 trillion" in out
    keys = [line.split(":")[0].strip() for line in out.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert keys[:7] == ["label", "value", "unit", "qualifier", "as_of", "note", "citations"]


def test_end_of_line_comment_keeps_its_spacing():
    assert canonical("- id: a  # two\n- id: b # one\n") == "- id: a  # two\n- id: b # one\n"
    assert canonical("-   id: a    # four\n") == "- id: a    # four\n"


def test_whitespace_normalised():
    assert canonical("- id: a\r\n  label: b   \r\n") == "- id: a\n  label: b\n"
    assert canonical("- id: a") == "- id: a\n"
    assert canonical("- id: a\n\n\n\n") == "- id: a\n"
    assert canonical("---\n- id: a\n") == "- id: a\n"


def test_comment_after_block_scalar_stays_outside_it():
    text = "-   id: a\n    note: >-\n        folded\n            # deeper comment\n    label: x\n"
    # '# deeper comment' is inside the folded scalar here (it is indented more): it is text, kept as such
    assert load(canonical(text)) == load(text)
    text = "- id: a\n  note: |\n    literal\n      # a comment line? no: text\n  # a real comment\n  label: x\n"
    out = canonical(text)
    assert out == text and load(out) == load(text)


def test_block_scalars_and_flow_collections_kept():
    text = "- id: a\n  note: |\n    line one\n      indented\n  value: {low: 1, high: 2}\n  names: [A, B]\n"
    assert canonical(text) == text


def test_only_comments():
    assert canonical("# nothing yet\n\n") == "# nothing yet\n"
    assert canonical("") == ""


def test_malformed_yaml_is_a_located_error():
    with pytest.raises(FormatError) as exc:
        canonical("- id: a\n  label: [unclosed\n")
    assert exc.value.line >= 2 and "malformed YAML" in exc.value.message
    with pytest.raises(FormatError):
        canonical("- id: a\n  id: b\n")  # a duplicate key is refused, not silently dropped


def test_real_fact_files_are_canonical():
    result = format_files(ROOT, sorted((ROOT / "facts").glob("*.yaml")), check=True)
    assert not result.report.errors, result.report.format()
    assert result.changed == [], f"run `briefing fmt`: {result.changed}"


# -- the command ---------------------------------------------------------------------


@pytest.fixture
def facts(tmp_path):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "a.yaml").write_text(MESSY, encoding="utf-8")
    (folder / "b.yaml").write_text(CANONICAL, encoding="utf-8")
    return tmp_path


def test_check_names_files_and_writes_nothing(facts, capsys):
    code = main(["fmt", "--check", "--root", str(facts)])
    err = capsys.readouterr().err
    assert code == 1
    assert "would reformat facts/a.yaml" in err
    assert "facts/b.yaml" not in err
    assert (facts / "facts" / "a.yaml").read_text(encoding="utf-8") == MESSY


def test_fmt_writes_then_check_passes(facts, capsys):
    assert main(["fmt", "--root", str(facts)]) == 0
    assert "reformatted facts/a.yaml" in capsys.readouterr().err
    assert (facts / "facts" / "a.yaml").read_text(encoding="utf-8") == CANONICAL
    assert main(["fmt", "--check", "--root", str(facts)]) == 0
    assert capsys.readouterr().err == ""


def test_fmt_takes_paths(facts, capsys, monkeypatch):
    monkeypatch.chdir(facts)
    assert main(["fmt", "--check", "facts/b.yaml"]) == 0
    assert main(["fmt", "--check", "facts/a.yaml", "facts/b.yaml"]) == 1
    assert main(["fmt", "--check", "facts"]) == 1
    assert "would reformat facts/a.yaml" in capsys.readouterr().err


def test_fmt_reports_unparsable_files_and_leaves_them(facts, capsys):
    bad = facts / "facts" / "c.yaml"
    bad.write_text("- id: a\n  label: [unclosed\n", encoding="utf-8")
    assert main(["fmt", "--root", str(facts)]) == 1
    err = capsys.readouterr().err
    assert "facts/c.yaml:" in err and ": error: cannot format: malformed YAML" in err
    assert bad.read_text(encoding="utf-8") == "- id: a\n  label: [unclosed\n"
    assert (facts / "facts" / "a.yaml").read_text(encoding="utf-8") == CANONICAL  # the others are still formatted


# -- any layout of any records comes out the same ---------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
SCALAR = st.one_of(TEXT, st.integers(-10**15, 10**15), st.dates().map(lambda d: d), st.booleans(), st.none())
RECORD = st.dictionaries(
    st.sampled_from(["id", "label", "value", "unit", "note", "quote", "source", "as_of", "citations", "period"]),
    st.one_of(SCALAR, st.lists(TEXT, min_size=1, max_size=3), st.lists(st.dictionaries(st.sampled_from(["source", "quote", "locator"]), SCALAR, min_size=1), min_size=1, max_size=3)),
    min_size=1,
    max_size=6,
)
LAYOUT = st.sampled_from([(2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 4), (3, 5, 2)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(RECORD, min_size=1, max_size=4), layout=LAYOUT, width=st.sampled_from([40, 80, 4096]))
def test_any_layout_is_canonicalised_without_changing_data(records, layout, width):
    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    yaml.width = width
    buffer = io.StringIO()
    yaml.dump(records, buffer)
    text = buffer.getvalue()
    out = canonical(text)
    assert load(out) == load(text)
    assert canonical(out) == out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(RECORD, min_size=1, max_size=3),
    layout=LAYOUT,
    comments=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=5),
)
def test_comments_anywhere_are_kept_and_the_result_is_stable(records, layout, comments):
    from hypothesis import assume

    yaml = YAML(typ="rt")
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    buffer = io.StringIO()
    yaml.dump(records, buffer)
    lines = buffer.getvalue().splitlines()
    for n, (at, indent) in enumerate(comments):
        lines.insert(min(at, len(lines)), " " * indent + f"# remark {n}")
    text = "\n".join(lines) + "\n"
    try:
        before = load(text)
    except Exception:  # noqa: BLE001 - a comment that breaks a multi-line scalar: not a valid input
        assume(False)
    try:
        out = canonical(text)
    except FormatError as exc:
        # refusing is allowed only with the explicit safety message, never silently changing data
        assert "would change the data" in exc.message or "lose or move a comment" in exc.message
        return
    assert load(out) == before
    assert canonical(out) == out


MESSY_OUTSIDE = "-   id: a\n    label:   x\n"


def test_fmt_never_writes_outside_the_project(tmp_path, capsys):
    outside = tmp_path / "outside.yaml"
    outside.write_text(MESSY_OUTSIDE, encoding="utf-8")
    root = tmp_path / "project"
    (root / "facts").mkdir(parents=True)
    (root / "facts" / "linked.yaml").symlink_to(outside)
    # named on the command line, through a link in facts/, and by default: never rewritten
    assert main(["fmt", "--root", str(root), str(outside)]) == 1
    assert main(["fmt", "--root", str(root), str(root / "facts" / "linked.yaml")]) == 1
    main(["fmt", "--root", str(root)])
    err = capsys.readouterr().err
    assert "is outside the project" in err and "not formatted" in err
    assert outside.read_text(encoding="utf-8") == MESSY_OUTSIDE


def test_fmt_refuses_deep_nesting_before_parsing(tmp_path, capsys):
    root = tmp_path / "project"
    (root / "facts").mkdir(parents=True)
    (root / "facts" / "a.yaml").write_text("- " * 50000 + "x\n", encoding="utf-8")
    assert main(["fmt", "--root", str(root)]) == 1
    assert "facts/a.yaml:1:129: error: YAML nested more than 64 levels deep" in capsys.readouterr().err
