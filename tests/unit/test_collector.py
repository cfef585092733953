"""The collector is paused while the PDFs are laid out, and runs again afterwards."""

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
