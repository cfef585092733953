"""Load stage: every way a YAML file can be malformed gives one located error, never an exception.

Each test writes a small facts folder (a valid ``sources.yaml`` and one bad
file ``a.yaml``), runs the whole check, and asserts the exact
``FILE:LINE:COL`` of the finding for the bad file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.findings import Report, Severity
from build_scripts.records.yaml_files import load_file
from build_scripts.pipeline import check_project
from tests.conftest import write_facts

SOURCES = """\
- id: news-a
  title: Article A
  publisher: Paper A
  kind: news
  accessed: 2026-06-30
"""

VALID_FACT = """\
- id: robot-target
  label: Robots to be deployed
  value: 5
  unit: robots
  as_of: 2026-06-30
  citations:
    - source: news-a
      quote: "5 robots will be deployed"
"""


def check(tmp_path: Path, files: dict[str, str | bytes]):
    """Run the whole check on a facts folder holding ``sources.yaml`` and ``files``."""
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES})
    for name, content in files.items():
        path = root / "facts" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return check_project(root)


def only_finding(fb, file: str = "facts/a.yaml"):
    """The single finding about ``file`` (and assert there are no others anywhere)."""
    shown = fb.report.format()
    assert len(fb.report) == 1, shown
    (finding,) = list(fb.report)
    assert finding.location.file == file, shown
    assert finding.severity is Severity.ERROR, shown
    return finding


def where(finding) -> tuple[int, int]:
    return finding.location.line, finding.location.col


def test_valid_file_gives_no_finding(tmp_path):
    fb = check(tmp_path, {"a.yaml": VALID_FACT})
    assert len(fb.report) == 0, fb.report.format()
    assert list(fb.facts) == ["robot-target"]


def test_malformed_yaml_is_located_at_the_problem(tmp_path):
    # "a: b" inside a plain scalar: the second colon is where the parser stops
    text = VALID_FACT.replace("  label: Robots to be deployed", "  label: Robots: to be deployed")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "yaml-syntax"
    assert "malformed YAML" in f.message and "mapping values are not allowed" in f.message, f.message
    assert where(f) == (2, 16), f.format()


def test_unclosed_flow_sequence(tmp_path):
    f = only_finding(check(tmp_path, {"a.yaml": "- id: x\n  label: [unclosed\n"}))
    assert f.code == "yaml-syntax"
    # the parser notices at the end of the input, after the last line
    assert where(f) == (3, 1), f.format()


def test_tab_indentation(tmp_path):
    text = VALID_FACT.replace("  unit: robots", "\tunit: robots")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "tab"
    assert "tab" in f.message and "spaces" in f.message
    assert where(f) == (4, 1), f.format()


def test_tab_after_spaces_is_located_at_the_tab(tmp_path):
    text = VALID_FACT.replace("      quote:", "    \t  quote:")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "tab"
    assert where(f) == (8, 5), f.format()


def test_duplicate_key_is_located_at_the_second_key(tmp_path):
    text = VALID_FACT.replace("  unit: robots\n", "  unit: robots\n  value: 6\n")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "yaml-syntax"
    assert "duplicate key" in f.message and "value" in f.message, f.message
    assert where(f) == (5, 3), f.format()


def test_duplicate_key_inside_a_citation(tmp_path):
    text = VALID_FACT + "      source: news-b\n"
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert "duplicate key" in f.message and "source" in f.message, f.message
    assert where(f) == (9, 7), f.format()


def test_byte_order_mark(tmp_path):
    f = only_finding(check(tmp_path, {"a.yaml": b"\xef\xbb\xbf" + VALID_FACT.encode()}))
    assert f.code == "bom"
    assert "byte-order mark" in f.message
    assert where(f) == (1, 1), f.format()


def test_non_utf8_byte(tmp_path):
    data = VALID_FACT.replace("Robots to be deployed", "Robots caf?").encode().replace(b"?", b"\xe9")
    f = only_finding(check(tmp_path, {"a.yaml": data}))
    assert f.code == "encoding"
    assert "0xe9" in f.message and "UTF-8" in f.message, f.message
    # "  label: Robots caf" is 19 characters: the bad byte is column 20
    assert where(f) == (2, 20), f.format()


def test_non_utf8_byte_column_counts_characters_not_bytes(tmp_path):
    # "¥" is two bytes in UTF-8 but one column; so is "–" (three bytes) on the line before
    text = "# Funding – yen\n- id: x\n  label: ¥ caf?\n"
    data = text.encode().replace(b"?", b"\xe9")
    f = only_finding(check(tmp_path, {"a.yaml": data}))
    assert f.code == "encoding"
    # "  label: ¥ caf" is 14 characters: the bad byte is column 15
    assert where(f) == (3, 15), f.format()


@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_empty_file(tmp_path, text):
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "empty-file"
    assert "empty" in f.message
    assert where(f) == (1, 1), f.format()


def test_comments_only_file(tmp_path):
    f = only_finding(check(tmp_path, {"a.yaml": "# Funding facts\n# to be written\n"}))
    assert f.code == "empty-file"
    assert "no records" in f.message
    assert where(f) == (1, 1), f.format()


def test_impossible_date_is_located_at_the_value(tmp_path):
    text = VALID_FACT.replace("as_of: 2026-06-30", "as_of: 2026-02-30")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "yaml-value"
    assert "day is out of range" in f.message, f.message
    assert where(f) == (5, 10), f.format()


def test_impossible_date_in_sources(tmp_path):
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES.replace("accessed: 2026-06-30", "accessed: 2026-13-01")})
    f = only_finding(check_project(root), "facts/sources.yaml")
    assert where(f) == (5, 13), f.format()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("id: x\nlabel: y\n", "a mapping"),
        ("just some text\n", "a text"),
        ("42\n", "int"),
    ],
)
def test_top_level_not_a_list(tmp_path, text, found):
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "not-a-list"
    assert "expected a list of records" in f.message and found in f.message, f.message
    assert where(f) == (1, 1), f.format()


def test_list_item_not_a_record(tmp_path):
    f = only_finding(check(tmp_path, {"a.yaml": VALID_FACT + "- just a line\n"}))
    assert f.code == "not-a-record"
    assert where(f) == (9, 3), f.format()


def test_unknown_tag_is_refused_not_constructed(tmp_path):
    text = VALID_FACT.replace("value: 5", "value: !!python/object:os.system x")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "yaml-tag"
    assert where(f) == (3, 10), f.format()


def test_every_broken_file_is_reported_in_one_run(tmp_path):
    fb = check(
        tmp_path,
        {
            "a.yaml": "- id: x\n\tlabel: y\n",
            "b.yaml": "",
            "c.yaml": VALID_FACT.replace("2026-06-30", "2026-02-30"),
            "d.yaml": VALID_FACT.replace("robot-target", "robot-target-two"),
        },
    )
    got = sorted((f.location.file, f.code) for f in fb.report)
    assert got == [("facts/a.yaml", "tab"), ("facts/b.yaml", "empty-file"), ("facts/c.yaml", "yaml-value")], fb.report.format()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xef\xbb\xbf- id: x\n",
        b"- id: \xff\n",
        b"- id: x\n\t- y\n",
        b"- [\n",
        b"- as_of: 2026-02-30\n",
        b"key: value\n",
    ],
)
def test_load_file_never_raises(tmp_path, content):
    path = tmp_path / "facts" / "a.yaml"
    path.parent.mkdir()
    path.write_bytes(content)
    report = Report()
    raw = load_file(path, tmp_path, report)
    assert raw.rel == "facts/a.yaml"
    if raw.parsed:
        assert raw.data == {"key": "value"}
        assert len(report) == 0
    else:
        assert raw.data is None
        assert len(report.errors) == 1, report.format()
        assert report.errors[0].location.file == "facts/a.yaml"


# -- files that are not what they look like ---------------------------------------------------
def test_records_in_a_subfolder_are_reported_not_skipped_in_silence(tmp_path):
    (tmp_path / "root" / "facts" / "drafts").mkdir(parents=True)
    (tmp_path / "root" / "facts" / "drafts" / "b.yaml").write_text(VALID_FACT, encoding="utf-8")
    fb = check(tmp_path, {"a.yaml": VALID_FACT})
    (f,) = [f for f in fb.report if f.code == "file"]
    assert f.format() == "facts/drafts/b.yaml:1:1: warning: records in a subfolder of facts/ are not read; move the file into facts/"


def test_a_template_reached_through_a_link_leaving_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside.md.j2"
    outside.write_text("# secret\n", encoding="utf-8")
    templates = tmp_path / "root" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.md.j2").symlink_to(outside)
    (templates / "gone.md.j2").symlink_to(templates / "missing.md.j2")
    fb = check(tmp_path, {"a.yaml": VALID_FACT})
    found = sorted(f.format() for f in fb.report if f.code == "file")
    assert found == [
        "templates/gone.md.j2:1:1: error: templates/gone.md.j2 is a symbolic link to nothing "
        f"({templates / 'missing.md.j2'}); replace the link by the file itself",
        f"templates/page.md.j2:1:1: error: templates/page.md.j2 is a symbolic link leading outside the project (to {outside}); "
        "replace the link by the file itself",
    ]


def test_a_link_inside_the_project_is_read(tmp_path):
    shared = tmp_path / "root" / "shared"
    shared.mkdir(parents=True)
    (shared / "a.yaml").write_text(VALID_FACT, encoding="utf-8")
    (tmp_path / "root" / "facts").mkdir()
    (tmp_path / "root" / "facts" / "a.yaml").symlink_to(shared / "a.yaml")
    fb = check(tmp_path, {})
    assert not fb.report.errors and list(fb.facts) == ["robot-target"], fb.report.format()


def test_a_figure_dated_centuries_before_its_source_is_flagged(tmp_path):
    fb = check(tmp_path, {"a.yaml": VALID_FACT.replace("as_of: 2026-06-30", "as_of: 1026-06-30")})
    (f,) = [f for f in fb.report if f.code == "date-gap"]
    assert f.format().startswith("facts/a.yaml:5:10: warning: as_of 1026-06-30 is 1000 years before source 'news-a'")


@pytest.mark.parametrize("value", ["!!bool maybe", '!!int ""'])
def test_a_value_that_does_not_fit_its_tag_is_located_not_a_traceback(tmp_path, value):
    text = VALID_FACT.replace("as_of: 2026-06-30", f"as_of: {value}")
    f = only_finding(check(tmp_path, {"a.yaml": text}))
    assert f.code == "yaml-value" and "does not fit its tag" in f.message, f.format()
    assert where(f) == (5, 10), f.format()
