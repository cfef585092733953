"""The collector is paused while the PDFs are laid out and while `briefing check` checks, and runs again afterwards."""

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


def test_briefing_check_runs_with_the_collector_paused(monkeypatch, capsys):
    from build_scripts import cli, pipeline
    from tests.conftest import ROOT

    seen = []
    real = pipeline.check_project
    monkeypatch.setattr(pipeline, "check_project", lambda root: seen.append(gc.isenabled()) or real(root))
    assert cli.main(["check", "--root", str(ROOT)]) == 0
    assert seen == [False] and gc.isenabled()  # paused for the check, running again after it
