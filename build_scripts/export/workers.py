"""The PDFs laid out on two cores: the full briefing in this process, the page PDFs in a second one.

Typst lays out a document on one core. The full briefing is about as much work as all the page
PDFs together, so a second process takes the page PDFs while this one lays out the full
briefing. The second process is started fresh (:mod:`multiprocessing`'s ``spawn``), not forked:
Typst runs threads, and a process forked from one that has used them can hang on a lock
no thread will release. The documents' sources are made before, in this process; Typst gives
the same bytes for the same source wherever it runs, so the output does not depend on how many
processes there were.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Report
from .names import FULL_BRIEFING


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
    """Every job's result by file name; with ``parallel`` and two cores, the page PDFs in a second process."""
    here = [job for job in jobs if job.file == FULL_BRIEFING]
    there = [job for job in jobs if job.file != FULL_BRIEFING]
    if not (parallel and here and there and _two_cores()):
        return _run(jobs, setting)
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    helper = context.Process(target=_helper, args=(there, setting, sender), daemon=True)
    helper.start()
    sender.close()
    try:
        results = _run(here, setting)
        try:
            results.update(receiver.recv())
        except (EOFError, OSError):  # the helper died (out of memory?): its documents are laid out here
            results.update(_run(there, setting))
    finally:
        receiver.close()
        helper.join()
    return results


def _helper(jobs: list[Job], setting: Typesetting, sender) -> None:
    sender.send(_run(jobs, setting))
    sender.close()


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


def _two_cores() -> bool:
    """Whether a second process can help: two cores for this process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1
