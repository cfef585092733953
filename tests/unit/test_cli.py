"""``briefing check``: exit codes and the three output styles, on the real facts and on fixtures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.cli import main
from tests.conftest import ROOT, write_facts

#: A finding line as editors' tools read it.
FINDING = re.compile(r"^[^:]+:\d+:\d+: (error|warning|note): ")
#: The closing lines that follow the findings.
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?(, \d+ notes?)?$")
CHECKED = re.compile(r"^\d+ facts, \d+ sources, \d+ reviews checked$")
GITHUB = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+::\S")

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
"""

GOOD_FACT = """\
- id: firms
  label: Companies in the consortium
  value: 44
  unit: companies
  as_of: 2026-06-30
  citations:
    - source: news-a
      quote: "44 companies have joined"
"""

#: One error (a float, line 3 col 10) and one warning (a fact id that is also a source id, line 9 col 7).
BAD_FACTS = GOOD_FACT.replace("value: 44", "value: 44.0") + GOOD_FACT.replace("id: firms", "id: news-a")
WARNING_ONLY = GOOD_FACT.replace("44 companies have joined", "44 companies have joined " + "and " * 40)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shown(out: str, err: str) -> str:
    return f"\n--- stdout ---\n{out}\n--- stderr ---\n{err}"


def fixture(tmp_path: Path, facts: str, **more: str) -> Path:
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES, "a.yaml": facts, **more})
    return root


def finding_lines(err: str) -> list[str]:
    lines = err.splitlines()
    assert lines, "no output"
    body = [line for line in lines if not (SUMMARY.match(line) or CHECKED.match(line))]
    bad = [line for line in body if not FINDING.match(line)]
    assert not bad, f"lines not in FILE:LINE:COL: severity: message form: {bad}\n{err}"
    return body


# --------------------------------------------------------------------------
# The real project
# --------------------------------------------------------------------------


def test_real_project_checks_clean(capsys):
    code, out, err = run(capsys, "check", "--root", str(ROOT))
    assert code == 0, shown(out, err)
    lines = finding_lines(err)
    assert all(": warning: " in line or ": note: " in line for line in lines), shown(out, err)
    assert SUMMARY.match(err.splitlines()[-2]) and CHECKED.match(err.splitlines()[-1]), shown(out, err)
    assert err.splitlines()[-2].startswith("0 errors"), shown(out, err)
    assert "Traceback" not in out + err


def test_real_project_warnings_fail_strict(capsys):
    # the real facts keep the sources' mistakes on purpose: a wrong conversion and a robot count the desk
    # reviewed and rated incorrect (notes: nothing left for an editor to do), and a disagreement on who
    # leads Noetra that no review settles (a warning, which fails --strict)
    code, out, err = run(capsys, "check", "--root", str(ROOT), "--strict")
    assert code == 1, shown(out, err)
    lines = finding_lines(err)
    assert any(": note: " in line and "orders of magnitude" in line and "rated incorrect" in line for line in lines), shown(out, err)
    assert any(": note: " in line and "23,000 robots" in line and "rated incorrect" in line for line in lines), shown(out, err)
    assert any(": warning: " in line and "sources disagree on 'noetra-lead-company'" in line for line in lines), shown(out, err)


def test_root_option_before_the_subcommand(capsys):
    code, out, err = run(capsys, "--root", str(ROOT), "check")
    assert code == 0, shown(out, err)


def test_real_project_json(capsys):
    code, out, err = run(capsys, "check", "--root", str(ROOT), "--format", "json")
    assert code == 0, shown(out, err)
    data = json.loads(out)
    assert isinstance(data, list) and data, shown(out, err)
    for item in data:
        assert set(item) == {"location", "severity", "message", "code", "related"}, item
        assert item["severity"] in ("error", "warning", "note")
        assert set(item["location"]) == {"file", "line", "col"}
        # a fact file, or a source's snapshot (the audit's findings are located in the source's text)
        assert item["location"]["file"].startswith("facts/") or item["code"].startswith("audit-"), item
    assert {item["code"] for item in data} >= {"conversion", "disagreement"}, shown(out, err)


def test_real_project_github(capsys):
    code, out, err = run(capsys, "check", "--root", str(ROOT), "--format", "github")
    assert code == 0, shown(out, err)
    lines = (out + err).splitlines()
    assert lines and all(GITHUB.match(line) for line in lines), shown(out, err)


# --------------------------------------------------------------------------
# Exit codes on fixtures
# --------------------------------------------------------------------------


def test_clean_fixture(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(fixture(tmp_path, GOOD_FACT)), "--strict")
    assert code == 0, shown(out, err)
    assert err.strip() == "1 facts, 2 sources, 0 reviews checked", shown(out, err)


def test_errors_exit_1(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(fixture(tmp_path, BAD_FACTS)))
    assert code == 1, shown(out, err)
    lines = finding_lines(err)
    assert lines[0].startswith("facts/a.yaml:3:10: error: value: binary floating-point number 44.0"), shown(out, err)
    assert lines[1] == "facts/a.yaml:9:7: warning: fact id 'news-a' is also a source id; permalinks may be confusing", shown(out, err)
    assert err.splitlines()[-1] == "1 error, 1 warning", shown(out, err)


def test_warnings_alone_pass_unless_strict(capsys, tmp_path):
    root = str(fixture(tmp_path, WARNING_ONLY))
    code, out, err = run(capsys, "check", "--root", root)
    assert code == 0, shown(out, err)
    assert finding_lines(err) == ["facts/a.yaml:8:14: warning: quote of 44 words is long; keep verbatim excerpts to about 30 words"]
    code, out, err = run(capsys, "check", "--root", root, "--strict")
    assert code == 1, shown(out, err)


def test_json_on_errors(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(fixture(tmp_path, BAD_FACTS)), "--format", "json")
    assert code == 1, shown(out, err)
    data = json.loads(out)
    assert [(d["location"]["line"], d["location"]["col"], d["severity"]) for d in data] == [(3, 10, "error"), (9, 7, "warning")]
    assert err == "", shown(out, err)


def test_json_when_clean_is_an_empty_list(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(fixture(tmp_path, GOOD_FACT)), "--format", "json")
    assert code == 0, shown(out, err)
    assert json.loads(out) == []


def test_github_on_errors(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(fixture(tmp_path, BAD_FACTS)), "--format", "github")
    assert code == 1, shown(out, err)
    lines = (out + err).splitlines()
    assert lines[0].startswith("::error file=facts/a.yaml,line=3,col=10::value: binary floating-point"), shown(out, err)
    assert lines[1].startswith("::warning file=facts/a.yaml,line=9,col=7::fact id 'news-a'"), shown(out, err)
    assert all(GITHUB.match(line) for line in lines), shown(out, err)


def test_github_escapes_properties_and_message(capsys, tmp_path):
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES, "a,b.yaml": GOOD_FACT.replace("value: 44", "value: 44.0")})
    code, out, err = run(capsys, "check", "--root", str(root), "--format", "github")
    assert code == 1, shown(out, err)
    assert "::error file=facts/a%2Cb.yaml,line=3,col=10::" in out + err, shown(out, err)


# --------------------------------------------------------------------------
# Bad input: always located, never a traceback
# --------------------------------------------------------------------------

BAD_INPUTS = {
    "malformed": {"a.yaml": "- id: [\n"},
    "tab": {"a.yaml": "- id: x\n\tlabel: y\n"},
    "bom": {"a.yaml": "\ufeff" + GOOD_FACT},
    "empty": {"a.yaml": ""},
    "comments": {"a.yaml": "# nothing yet\n"},
    "date": {"a.yaml": GOOD_FACT.replace("2026-06-30", "2026-02-30")},
    "mapping": {"a.yaml": "id: x\n"},
    "scalar items": {"a.yaml": "- x\n- 5\n-\n"},
    "non-string keys": {"a.yaml": GOOD_FACT + "  1: x\n  ? [a]\n  : y\n"},
    "wrong types": {"a.yaml": "- id: 5\n  label: [a]\n  value: {low: x}\n  unit: 7\n  as_of: yes\n  citations: {source: x}\n"},
    "alias": {"a.yaml": "- &f\n  id: x\n- *f\n"},
    "no sources": {"sources.yaml": "", "a.yaml": GOOD_FACT},
    "bad reviews": {"a.yaml": GOOD_FACT, "reviews.yaml": "- id: r\n  fact: nope\n"},
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gives_located_errors(capsys, tmp_path, name):
    root = tmp_path / "root"
    write_facts(root, {"sources.yaml": SOURCES, **BAD_INPUTS[name]})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1, shown(out, err)
    assert "Traceback" not in out + err, shown(out, err)
    assert any(": error: " in line for line in finding_lines(err)), shown(out, err)


def test_no_facts_folder(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--root", str(tmp_path))
    assert code == 1, shown(out, err)
    assert finding_lines(err) == ["facts:1:1: error: no facts folder here; pass --root to name the project"], shown(out, err)


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ("[tool.briefing\n", "pyproject.toml:1:15: error: cannot read settings"),
        ('[tool.briefing]\ntitle = "x"\nconversion_tolerence = "0.1"\n', "pyproject.toml:3:1: error: [tool.briefing] unknown setting 'conversion_tolerence'"),
        ('[tool.briefing]\nconversion_tolerance = "lots"\n', "pyproject.toml:2:1: error: [tool.briefing] conversion_tolerance:"),
        # the cache is a folder of its own inside the project: never published, never outside it
        ('[tool.briefing]\ncache_dir = "/tmp/elsewhere"\n', "pyproject.toml:2:1: error: [tool.briefing] cache_dir: Value error, must be a folder inside"),
        ('[tool.briefing]\ncache_dir = "../up"\n', "pyproject.toml:2:1: error: [tool.briefing] cache_dir: Value error, must be a folder inside"),
        ('[tool.briefing]\ntitle = "x"\ncache_dir = "site/cache"\n', "pyproject.toml:3:1: error: [tool.briefing] cache_dir: Value error, must be a folder of its own"),
        ('[tool.briefing]\ncache_dir = "docs/.cache"\n', "pyproject.toml:2:1: error: [tool.briefing] cache_dir: Value error, must be a folder of its own"),
        ('[tool.briefing]\ncache_dir = "facts"\n', "pyproject.toml:2:1: error: [tool.briefing] cache_dir: Value error, must be a folder of its own"),
    ],
)
def test_bad_settings_are_located(capsys, tmp_path, pyproject, expected):
    root = fixture(tmp_path, GOOD_FACT)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1, shown(out, err)
    assert "Traceback" not in out + err, shown(out, err)
    assert err.splitlines()[0].startswith(expected), shown(out, err)


def test_bad_input_in_a_real_process_prints_no_traceback(tmp_path):
    root = fixture(tmp_path, BAD_FACTS, **{"b.yaml": "- id: [\n"})
    (root / "pyproject.toml").write_text('[tool.briefing]\nconversion_tolerance = "0.1"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "build_scripts", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1, shown(proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr, shown(proc.stdout, proc.stderr)
    lines = finding_lines(proc.stderr)
    assert lines[0].startswith("facts/a.yaml:3:10: error: "), shown(proc.stdout, proc.stderr)
    assert lines[-1].startswith("facts/b.yaml:2:1: error: malformed YAML"), shown(proc.stdout, proc.stderr)
