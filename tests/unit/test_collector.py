"""The collector is paused while the PDFs are laid out, while the records are loaded and checked and while
`briefing build` runs, and runs again afterwards."""

from __future__ import annotations

import gc

from build_scripts.collector import collector_paused


def test_paused_then_running_again():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_paused_collector_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_briefing_build_runs_with_the_collector_paused(monkeypatch, tmp_path):
    """A short process, as `briefing pdf`: the checked records live to its end (BENCHMARKS.md, issue 23)."""
    from build_scripts import cli
    from build_scripts.findings import Report
    from build_scripts.site import publish

    seen = []
    monkeypatch.setattr(publish, "build_site", lambda root, strict=False, pdf=True: seen.append(gc.isenabled()) or Report())
    assert cli.main(["build", "--no-pdf", "--root", str(tmp_path)]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_the_check_runs_with_the_collector_paused(monkeypatch, capsys):
    from build_scripts import check, cli
    from tests.conftest import ROOT

    seen = []
    real = check.run_checks
    monkeypatch.setattr(check, "run_checks", lambda fb: seen.append(gc.isenabled()) or real(fb))
    assert cli.main(["check", "--root", str(ROOT)]) == 0
    assert seen == [False] and gc.isenabled()  # paused for the check, running again after it
