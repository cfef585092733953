"""Every figure in every snapshot accounted for (issue 19, point 4): ``briefing sources audit`` and ``check``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.pages import render_pages
from tests.conftest import ROOT, SHARED_SOURCES, copy_project, write_facts

ARTICLE = """\
Big Plan: 23k Robots!
The government will provide up to 1 trillion yen (approximately $3.7M) over five years.
It aims to deploy about 10 million robots across 18 sectors by 2040.
Some 44 companies are expected to invest, the paper said.
The page has 90 SQL problems and 4 stories.
A 10-million-robot plan.
"""
SOURCES = """\
- id: gate
  title: Gate page
  publisher: Gate
  kind: aggregator
  accessed: 2026-06-30
  snapshot: {hash}
- id: wire
  title: Wire
  publisher: Wire
  kind: wire
  accessed: 2026-06-30
"""
FACTS = """\
- id: rate
  label: Rate
  value: "162.5"
  unit: JPY-per-USD
  qualifier: about
  as_of: 2026-06-30
  citations:
    - source: wire
      quote: "162.5 yen per dollar"
- id: robots
  label: Robots to deploy
  value: 10000000
  unit: robots
  qualifier: about
  as_of: 2026-06-30
  citations:
    - source: gate
      quote: "It aims to deploy about 10 million robots across 18 sectors by 2040."
- id: sectors
  label: Sectors
  value: 18
  unit: sectors
  as_of: 2026-06-30
  citations:
    - source: wire
      quote: "18 sectors"
- id: investors
  label: Investors
  value: 44
  unit: companies
  as_of: 2026-06-30
  citations:
    - source: wire
      quote: "44 companies"
- id: ceiling
  label: Ceiling
  value: 1000000000000
  unit: JPY
  qualifier: up-to
  as_of: 2026-06-30
  citations:
    - source: wire
      quote: "up to 1 trillion yen"
"""


def make(tmp_path: Path, facts: str = FACTS, audit: str | None = None, reviews: str | None = None) -> Path:
    folder = tmp_path / "snaps"
    folder.mkdir(exist_ok=True)
    (folder / "gate.txt").write_text(ARTICLE, encoding="utf-8")
    digest = "sha256:" + hashlib.sha256(ARTICLE.encode()).hexdigest()
    files = {"sources.yaml": SOURCES.format(hash=digest), "a.yaml": facts}
    if audit:
        files["audit.yaml"] = audit
    if reviews:
        files["reviews.yaml"] = reviews
    root = write_facts(tmp_path / "root", files)
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def no_inherited_folder(monkeypatch):
    monkeypatch.delenv("BRIEFING_SNAPSHOTS", raising=False)


def figures(fb):
    return {(f.figure, f.line): f for f in fb.audit.figures}


def test_each_figure_is_classified(tmp_path):
    fb = check_project(make(tmp_path))
    got = figures(fb)
    assert got[("23k", 1)].verdict == "contradicting" and got[("23k", 1)].fact == "robots"
    assert got[("approximately $3.7M", 2)].verdict == "contradicting" and got[("approximately $3.7M", 2)].conversion
    assert got[("up to 1 trillion yen", 2)].verdict == "agreeing" and got[("up to 1 trillion yen", 2)].fact == "ceiling"
    assert got[("about 10 million", 3)].verdict == "cited"
    assert got[("18", 3)].verdict == "cited" and got[("2040", 3)].verdict == "cited"
    assert got[("Some 44", 4)].verdict == "agreeing" and got[("Some 44", 4)].fact == "investors"
    assert got[("90", 5)].verdict == "unrelated" and got[("4", 5)].verdict == "unrelated"
    assert got[("10", 6)].verdict == "agreeing" and got[("10", 6)].value == "10000000"  # "10-million-robot"


def test_contradictions_are_warnings_located_in_the_snapshot(tmp_path):
    fb = check_project(make(tmp_path))
    found = [f for f in fb.report if f.code == "audit-contradiction"]
    where = sorted((f.location.file.rsplit("/", 1)[-1], f.location.line, f.location.col) for f in found)
    assert where == [("gate.txt", 1, 11), ("gate.txt", 2, 51)], fb.report.format()
    assert all(f.severity.value == "warning" for f in found)
    robots = next(f for f in found if f.location.line == 1)
    assert "'23k'" in robots.message and "'robots'" in robots.message and "about 10 million robots" in robots.message
    conversion = next(f for f in found if f.location.line == 2)
    assert "approximately $3.7M" in conversion.message and "162.5" in conversion.message


def test_agreeing_uncited_figures_get_a_suggested_citation(tmp_path):
    fb = check_project(make(tmp_path))
    notes = [f for f in fb.report if f.code == "audit-suggestion"]
    investors = next(f for f in notes if "'investors'" in f.message)
    assert investors.severity.value == "note" and investors.location.line == 4
    assert 'quote: "Some 44 companies are expected to invest, the paper said."' in investors.message
    assert not fb.report.failed(strict=False)


def test_a_review_accounts_for_a_contradiction(tmp_path):
    reviews = (
        '- id: r1\n  claim: "23k Robots!"\n  source: gate\n  fact: robots\n  rating: incorrect\n  explanation: Ten million.\n'
    )
    fb = check_project(make(tmp_path, reviews=reviews))
    assert figures(fb)[("23k", 1)].reviewed_by == "r1"
    assert [f.location.line for f in fb.report if f.code == "audit-contradiction"] == [2]


def test_a_figure_marked_irrelevant_is_accounted_for(tmp_path):
    marks = '- source: gate\n  figure: "23k"\n  line: 1\n  reason: The headline of the aggregator page, reviewed by hand.\n'
    fb = check_project(make(tmp_path, audit=marks))
    figure = figures(fb)[("23k", 1)]
    assert figure.verdict == "irrelevant" and "reviewed by hand" in figure.detail
    assert [f.location.line for f in fb.report if f.code == "audit-contradiction"] == [2]
    # the marks file is not a file of facts
    assert "audit" not in fb.topics


def test_a_bad_mark_is_a_located_error(tmp_path):
    fb = check_project(make(tmp_path, audit="- source: gate\n  figure: 23k\n"))
    (f,) = [f for f in fb.report if f.code == "audit-file"]
    assert (f.location.file, f.location.line) == ("facts/audit.yaml", 1)


def test_a_cited_wrong_conversion_is_still_reported_by_the_audit(tmp_path):
    facts = FACTS.replace('      quote: "up to 1 trillion yen"\n', '      quote: "up to 1 trillion yen"\n    - source: gate\n      quote: "up to 1 trillion yen (approximately $3.7M)"\n')
    fb = check_project(make(tmp_path, facts=facts))
    figure = figures(fb)[("approximately $3.7M", 2)]
    assert figure.verdict == "cited" and figure.conversion and "270270" in figure.detail
    assert [f.code for f in fb.report if f.code == "conversion"]  # and the citation's own check says so


def test_audit_command_counts_per_source_and_json(tmp_path, capsys):
    root = make(tmp_path)
    assert main(["sources", "audit", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "gate: 3 cited, 3 agreeing, 2 contradicting, 3 unrelated, 0 irrelevant", out
    assert any(line.endswith(("contradicting: '23k' -> robots: contradicts the fact",)) for line in out.splitlines()), out
    assert main(["sources", "audit", "--root", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"]["gate"]["contradicting"] == 2
    assert {f["verdict"] for f in data["figures"]} == {"cited", "agreeing", "contradicting", "unrelated"}


def test_unreviewed_contradictions_are_shown_to_readers(tmp_path):
    root = make(tmp_path)
    shutil.copytree(ROOT / "templates", root / "templates")
    fb = check_project(root)
    report = Report()
    pages = {p.name: p.markdown for p in render_pages(fb, report)}
    page = pages["disagreements.md"]
    assert "## Figures not yet reviewed" in page
    assert "Big Plan: 23k Robots!" in page and "Not yet reviewed by the desk" in page


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the repository")
def test_the_hard_way_on_the_real_sources(tmp_path, monkeypatch):
    """Without the citations that carry the wrong conversion and the outlier count, the audit still finds both."""
    monkeypatch.setenv("BRIEFING_SNAPSHOTS", str(SHARED_SOURCES))
    root = copy_project(tmp_path / "copy")
    funding = root / "facts" / "funding.yaml"
    text = funding.read_text(encoding="utf-8")
    cut = '    - source: gate-sovereign-ai-plan\n      quote: "the Japanese government will provide up to 1 trillion yen (approximately $3.7M) in fiscal support over the next five years"\n      locator: summary paragraph\n'
    assert cut in text
    funding.write_text(text.replace(cut, ""), encoding="utf-8")
    targets = root / "facts" / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    cut = '    - source: gate-sovereign-ai-plan\n      quote: "Local Model + 23k Robots!"\n      locator: headline\n'
    assert cut in text
    targets.write_text(text.replace(cut, ""), encoding="utf-8")
    assert "states:" not in targets.read_text(encoding="utf-8")
    # the reviews that name them go too: nothing typed by an editor points at either figure
    (root / "facts" / "reviews.yaml").unlink()
    fb = check_project(root)
    assert not fb.report.errors, fb.report.format()
    bad = {(f.figure, f.verdict) for f in fb.audit.figures if f.verdict == "contradicting"}
    assert ("23k", "contradicting") in bad and ("approximately $3.7M", "contradicting") in bad, bad
    found = {f.location for f in fb.report if f.code == "audit-contradiction"}
    gate = "002_f07f471359243ea2.txt"
    assert {(l.file.rsplit("/", 1)[-1], l.line, l.col) for l in found} == {(gate, 1, 15), (gate, 10, 90)}, fb.report.format()
    assert main(["sources", "audit", "--root", str(root)]) == 0
