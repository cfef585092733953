"""Pausing Python's cyclic garbage collector while a stage builds many long-lived objects.

Why this exists: the collector runs a full collection each time the objects that
survived earlier ones have grown by a quarter, and each walks every tracked
object. The checked records (millions of objects in a large fact base) and the
PDF layouts (box trees kept for the full briefing) are built in one go and live
on, so the collector walked them again and again for nothing (PERF-NOTES; half a
second of each PDF process). Reference counting still frees what is not in a
cycle, and the paused collector is started again when the stage ends.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """While the block runs, no cyclic collection. The collector runs again after it if it ran before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
