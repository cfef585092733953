"""The benchmark runs (its CI smoke mode), and the build's background rendering changes nothing in the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_runs(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nold\n\n## PDF engine (issue 21)\n\nMeasured by hand.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke", "--work", str(tmp_path / "work"), "--write", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("floor", "check", "mkdocs", "build"):
        assert f"| 1,000 | {name} |" in proc.stdout
    # the smoke test times the real full briefing against `briefing check` of the same project
    assert "| real | check (real) |" in proc.stdout and "| real | pdf (full) |" in proc.stdout
    report = out.read_text(encoding="utf-8")
    assert "## Machine and run" in report and "## Targets" in report and "## Commands" in report
    # a section measured by hand survives the run that rewrites the rest
    assert report.endswith("## PDF engine (issue 21)\n\nMeasured by hand.\n") and "\nold\n" not in report


def test_the_report_records_a_command_that_runs_again(monkeypatch):
    """BENCHMARKS.md names the command of its run, quoted so that it can be pasted into a shell."""
    import importlib.util
    import shlex

    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench", bench)  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    argv = ["--work", "/tmp/bench work", "--note", "Code of commit 4dea7b3 (a sum); machine idle."]
    text = bench.report_markdown([], {"date": "today"}, argv, (1.0, 1.0), Path("/tmp/bench work"), note=argv[-1])
    line = next(line for line in text.splitlines() if line.startswith("- **command:**"))
    assert shlex.split(line.split("`")[1]) == ["python", "benchmarks/bench.py", *argv], line
