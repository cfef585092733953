"""The PDFs laid out on two cores, in short-lived processes, with bounded memory.

Typst lays out a document on one core and keeps what it laid out in a cache for the next
documents, in the process, for the next ten or so documents it compiles: a process that lays out
forty documents holds the layouts of the last ten of them at once. So the page PDFs are laid out
in batches of a bounded size (:data:`BATCH_CHARS` characters of Typst source), each batch in a
fresh process that ends with it (:class:`concurrent.futures.ProcessPoolExecutor`, one batch per
process, two at a time on two cores); then the full briefing, alone, in this process. Peak memory
is then this process and two batches, or this process and the full briefing, never all of them
(measured in BENCHMARKS.md, "PDF engine").

The processes are started fresh (``spawn``), not forked: Typst runs threads, and a process
forked from one that has used them can hang on a lock no thread will release. The documents'
sources are made before, in this process; Typst gives the same bytes for the same source
wherever it runs, so the output does not depend on how many processes there were.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from ..findings import Finding, Report
from .names import FULL_BRIEFING

#: Characters of Typst source laid out by one process before it ends and frees what Typst kept:
#: at about 150 bytes of memory per character of source, some 30 MB per batch beyond the process
#: itself (two of them at a time).
BATCH_CHARS = 200_000


@dataclass(frozen=True)
class Job:
    """One PDF to lay out: its file name, Typst source and the template's JSON input."""

    file: str
    source: str
    meta: str


@dataclass(frozen=True)
class Typesetting:
    """What a process needs to make its compiler."""

    print_dir: Path
    where: str
    built: dt.datetime


@dataclass
class Result:
    """One laid-out PDF (``None`` after an error) with its findings and the seconds it took."""

    pdf: bytes | None
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def lay_out(jobs: list[Job], setting: Typesetting, parallel: bool = True) -> dict[str, Result]:
    """Every job's result by file name: with ``parallel``, the page PDFs in batches in other processes
    (two at a time when there are two cores), then the full briefing here; else all here, in order."""
    pages = [job for job in jobs if job.file != FULL_BRIEFING]
    full = [job for job in jobs if job.file == FULL_BRIEFING]
    if not (parallel and pages):
        return _run(jobs, setting)
    results: dict[str, Result] = {}
    batches = batches_of(pages)
    workers = min(_cores(), len(batches))
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=1) as pool:
            for done in pool.map(_run, batches, repeat(setting)):
                results.update(done)
    except (BrokenProcessPool, OSError):  # a process died (out of memory?): what it left is laid out here
        for batch in batches:
            if any(job.file not in results for job in batch):
                results.update(_run(batch, setting))
    if any(result.pdf is None for result in results.values()):
        return results  # an error: the full briefing would only repeat it
    results.update(_run(full, setting))
    return results


def batches_of(jobs: list[Job], limit: int | None = None) -> list[list[Job]]:
    """``jobs`` in order, cut into runs of at most ``limit`` (:data:`BATCH_CHARS`) characters of source;
    a larger job alone."""
    limit = BATCH_CHARS if limit is None else limit
    batches: list[list[Job]] = []
    size = limit
    for job in jobs:
        if size + len(job.source) > limit:
            batches.append([])
            size = 0
        batches[-1].append(job)
        size += len(job.source)
    return batches


def _run(jobs: list[Job], setting: Typesetting) -> dict[str, Result]:
    from .typeset import Typesetter

    typesetter = Typesetter(setting.print_dir, setting.where, setting.built)
    results = {}
    for job in jobs:
        started = time.perf_counter()
        report = Report()
        pdf = typesetter.pdf(job.file, job.source, job.meta, report)
        results[job.file] = Result(pdf, list(report), time.perf_counter() - started)
        if pdf is None:
            break
    return results


def _cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
