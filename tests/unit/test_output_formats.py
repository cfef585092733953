"""``briefing check --format github|json``: workflow annotations and a machine-readable list.

GitHub reads ``::error file=F,line=L,col=C::MESSAGE`` from a step's output. A
message with a newline, or a file name with a comma or colon, must be escaped
or the annotation is cut short or attached to the wrong place.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest

from build_scripts.cli import main
from build_scripts.findings import Location, Report
from tests.conftest import write_facts

ANNOTATION = re.compile(r"^::(?P<severity>error|warning) file=(?P<file>[^,:]*),line=(?P<line>\d+),col=(?P<col>\d+)::(?P<message>.*)$")

SOURCES = """\
- id: news-a
  title: Article A
  publisher: Paper A
  kind: news
  accessed: 2026-06-30
"""
FACT = """\
- id: firms
  label: Companies in the consortium
  value: 44
  unit: companies
  as_of: 2026-06-30
  citations:
    - source: news-a
      quote: "44 companies have joined"
"""


def unescape(text: str) -> str:
    """How the runner decodes a workflow command's data (``%25``, ``%0A``, ``%3A``, ``%2C``...)."""
    return unquote(text)


def parse(line: str) -> dict:
    m = ANNOTATION.match(line)
    assert m, f"not a workflow annotation: {line!r}"
    return {**m.groupdict(), "file": unescape(m["file"]), "message": unescape(m["message"])}


def report_with_awkward_text() -> Report:
    report = Report()
    report.error(Location("facts/a,b:c.yaml", 3, 14), "100% sure\nsecond line\r\nthird: yes, really")
    report.warning(Location("facts/plain.yaml", 12, 5), "quote of 44 words is long")
    return report


def test_github_one_line_per_finding_with_file_line_col():
    lines = report_with_awkward_text().format("github").splitlines()
    assert len(lines) == 2, lines
    first, second = (parse(line) for line in lines)
    assert first == {"severity": "error", "file": "facts/a,b:c.yaml", "line": "3", "col": "14", "message": "100% sure\nsecond line\r\nthird: yes, really"}
    assert second == {"severity": "warning", "file": "facts/plain.yaml", "line": "12", "col": "5", "message": "quote of 44 words is long"}


def test_github_escapes_percent_newlines_and_property_separators():
    line = report_with_awkward_text().format("github").splitlines()[0]
    assert line == "::error file=facts/a%2Cb%3Ac.yaml,line=3,col=14::100%25 sure%0Asecond line%0D%0Athird: yes, really"
    # percent is escaped first, so an escape sequence in the text is not decoded by mistake
    report = Report()
    report.error(Location("f.yaml", 1, 1), "literal %0A stays")
    assert report.format("github") == "::error file=f.yaml,line=1,col=1::literal %250A stays"
    assert parse(report.format("github"))["message"] == "literal %0A stays"


def test_json_is_a_list_of_findings_in_report_order():
    report = report_with_awkward_text()
    report.error(Location("facts/b.yaml", 2, 1), "second file", "schema", related=[Location("facts/sources.yaml", 4, 3)])
    data = json.loads(report.format("json"))
    assert isinstance(data, list) and len(data) == 3
    assert [d["location"] for d in data] == [
        {"file": "facts/a,b:c.yaml", "line": 3, "col": 14},
        {"file": "facts/b.yaml", "line": 2, "col": 1},
        {"file": "facts/plain.yaml", "line": 12, "col": 5},
    ]
    assert data[0]["message"] == "100% sure\nsecond line\r\nthird: yes, really"
    assert {d["severity"] for d in data} == {"error", "warning"}
    assert data[1]["code"] == "schema"
    assert data[1]["related"] == [{"file": "facts/sources.yaml", "line": 4, "col": 3}]
    assert set(data[0]) == {"location", "severity", "message", "code", "related"}


def test_empty_report_formats():
    assert json.loads(Report().format("json")) == []
    assert Report().format("github") == ""
    assert Report().format("text") == ""


def test_text_stays_file_line_col():
    text = report_with_awkward_text().format("text").splitlines()
    assert text[0].startswith("facts/a,b:c.yaml:3:14: error: 100% sure")


@pytest.fixture
def bad_project(tmp_path):
    # line 3 col 10: a binary float; line 8 col 16: a quote that does not state the figure
    return write_facts(tmp_path / "p", {"sources.yaml": SOURCES, "a.yaml": FACT.replace("value: 44", "value: 44.5")})


def test_cli_github_annotations(capsys, bad_project):
    code = main(["check", "--root", str(bad_project), "--format", "github"])
    out, err = capsys.readouterr()
    assert code == 1
    lines = [line for line in (out + err).splitlines() if line.startswith("::")]
    assert lines, out + err
    first = parse(lines[0])
    assert (first["severity"], first["file"], first["line"], first["col"]) == ("error", "facts/a.yaml", "3", "10")
    assert "binary floating-point" in first["message"]
    # nothing but annotations (and the closing "briefing:" line, if any): no text-style summary
    assert not any(re.match(r"^\d+ errors?, \d+ warnings?$", line) for line in (out + err).splitlines())


def test_cli_json_on_stdout_only(capsys, bad_project):
    code = main(["check", "--root", str(bad_project), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == ""
    data = json.loads(out)
    assert isinstance(data, list) and data
    assert data[0]["location"] == {"file": "facts/a.yaml", "line": 3, "col": 10}
    assert data[0]["severity"] == "error"


def test_cli_json_clean_project_is_an_empty_list(capsys, tmp_path):
    root = write_facts(tmp_path / "p", {"sources.yaml": SOURCES, "a.yaml": FACT})
    code = main(["check", "--root", str(root), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert json.loads(out) == []


def test_a_finding_prints_no_control_character_of_record_text():
    from build_scripts.findings import Finding, Location, Severity

    finding = Finding(Location("facts/a.yaml", 2, 10), Severity.ERROR, "label 'a\x1b]0;pwned\x07b\u202ec\nd' is wrong")
    assert finding.format() == "facts/a.yaml:2:10: error: label 'a\\x1b]0;pwned\\x07b\\u202ec\\x0ad' is wrong"
