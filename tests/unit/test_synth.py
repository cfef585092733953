"""``python benchmarks/synth.py N OUT``: realistic fact bases that the checker accepts, the same for the same N."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from benchmarks.synth import main
from build_scripts.records.fast_yaml import stock_load
from build_scripts.pipeline import check_project
from benchmarks.synth import PER_FILE, write

N = 300


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "base"
    assert main([str(N), str(root)]) == 0
    return root


def test_the_checker_accepts_it_without_errors(synthetic, monkeypatch):
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    fb = check_project(synthetic)
    assert not fb.report.errors, fb.report.format()
    assert len(fb.facts) == N
    # realistic, so not spotless: a few sources disagree or were read long ago (warnings only)
    assert {f.code for f in fb.report.warnings} <= {"disagreement", "conversion", "stale-source"}


def test_files_of_one_hundred_records(synthetic):
    files = sorted(p for p in (synthetic / "facts").glob("*.yaml") if p.name not in ("sources.yaml", "reviews.yaml"))
    assert len(files) == N // PER_FILE
    assert all(len(stock_load(p.read_text(encoding="utf-8"))) == PER_FILE for p in files)
    # one page template per topic file
    assert {p.stem for p in files} <= {p.name[: -len(".md.j2")] for p in (synthetic / "templates").glob("*.md.j2")}


def test_varied_content(synthetic):
    fb = check_project(synthetic)
    units = {f.unit for f in fb.facts.values()}
    assert {"JPY", "USD", "percent", "year", "names", "text", "date", "JPY-per-USD"} <= units
    assert units & {"robots", "companies", "investors", "sectors", "people", "models", "years"}
    assert {f.qualifier.value for f in fb.facts.values()} >= {"exact", "about", "up-to"}
    assert {len(f.citations) for f in fb.facts.values()} <= {1, 2, 3}
    assert {1, 2, 3} <= {len(f.citations) for f in fb.facts.values()}
    assert {s.kind.value for s in fb.sources.values()} == {"government", "wire", "news", "analysis", "aggregator", "dataset"}
    assert len({s.publisher for s in fb.sources.values()}) >= 8
    assert any(" (" in c.quote and "$" in c.quote for f in fb.facts.values() if f.unit == "JPY" for c in f.citations)
    assert fb.reviews


def test_deterministic_for_a_given_n(synthetic, tmp_path):
    again = tmp_path / "again"
    write(again, N)
    assert digest(again) == digest(synthetic)
    other = tmp_path / "other"
    write(other, N + 100)
    assert digest(other) != digest(synthetic)


def test_the_cli_reports_what_it_wrote(tmp_path, capsys):
    assert main(["150", str(tmp_path / "x")]) == 0
    err = capsys.readouterr().err
    assert "150 facts in 2 files" in err
    assert os.path.isfile(tmp_path / "x" / "mkdocs.yml")


def test_no_page_and_no_navigation_grows_with_the_fact_base(synthetic, monkeypatch):
    """The records of each briefing on a page of their own, the sources by initial, and a navigation of the
    overview and the reference pages (the overview lists every briefing): what keeps a build linear."""
    import lxml.html

    from build_scripts.site.publish import build_site

    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")
    report = build_site(synthetic, pdf=False)  # the build's own link check: every record link resolves
    assert not report.failed(), report.format()
    fb = check_project(synthetic)
    site = synthetic / "site"
    for topic, ids in fb.topics.items():
        page = lxml.html.fromstring((site / "facts" / topic / "index.html").read_bytes())
        assert set(page.xpath("//tr[@data-fact]/@id")) == set(ids)
    letters = {s[0] for s in fb.sources}
    assert {p.name for p in (site / "sources").iterdir() if p.is_dir()} == letters
    home = lxml.html.fromstring((site / "index.html").read_bytes())
    nav = home.xpath("//nav[contains(@class, 'md-nav--primary')]")[0]
    titles = {" ".join(t.split()) for t in nav.xpath(".//a[contains(@class, 'md-nav__link')]//text()") if t.strip()}
    assert {"Overview", "Facts", "Sources", "Fact checks", "About"} <= titles
    assert not any(topic.split("-")[0].capitalize() in t for t in titles for topic in fb.topics)
    assert all(f"{topic}/" in html for html in [(site / "index.html").read_text(encoding="utf-8")] for topic in fb.topics)


def test_runs_as_the_readme_says_from_any_folder(tmp_path):
    """``python benchmarks/synth.py N OUT``, from outside the checkout: a development tool, not package data."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "synth.py"
    run = subprocess.run([sys.executable, str(script), "120", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "templates" / "_macros.j2").is_file()


def test_is_not_in_the_package():
    import importlib.util

    assert importlib.util.find_spec("build_scripts.synth") is None
