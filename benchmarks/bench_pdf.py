#!/usr/bin/env python3
"""Time the PDF export against issue 21's targets: whole processes, as a user runs them.

Not a test: it prints a table and exits 0 unless a command failed. Each run is a fresh
process (``briefing check``, ``briefing pdf --only briefing.pdf``, ``briefing pdf``); the
check and the full briefing are run in turns, so both see the same load, and compared run
for run. Peak memory is that of the process and the processes it starts, together.

    python benchmarks/bench_pdf.py                       # the repository's own briefing, 5 runs
    python benchmarks/bench_pdf.py --synth 1000 --runs 3 # every PDF of a 1,000-fact project

Targets: the full briefing at most 1.5 s and at most 4x ``briefing check`` of the same
project; every PDF of a 1,000-fact project at most 15 s and 500 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import PDF_1K_LIMIT_MB, PDF_1K_LIMIT_S, PDF_FULL_LIMIT_CHECKS, PDF_FULL_LIMIT_S, run_measured, synthesize, tool  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB (the process and the processes it started, together) of one run."""
    run = run_measured(command, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{run.stderr[-3000:]}")
    return run.seconds, run.max_rss_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="briefing project (default: this repository)")
    parser.add_argument("--synth", type=int, default=None, metavar="N", help="time a synthetic project of N facts instead")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command (default 5)")
    args = parser.parse_args()
    briefing = tool("briefing")
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        root = args.root.resolve()
        if args.synth:
            root = synthesize(args.synth, work, dict(os.environ))
        load = os.getloadavg()[0]
        check, full, every = [], [], []
        for _ in range(args.runs):
            check.append(timed([*briefing, "check", "--root", str(root)]))
            full.append(timed([*briefing, "pdf", "--only", "briefing.pdf", "--root", str(root), "--out", str(work / "full")]))
        for _ in range(args.runs):
            every.append(timed([*briefing, "pdf", "--root", str(root), "--out", str(work / "all")]))
        ratios = [f[0] / c[0] for c, f in zip(check, full)]
        med = lambda runs: statistics.median(r[0] for r in runs)  # noqa: E731
        peak = lambda runs: max(r[1] for r in runs)  # noqa: E731
        print(f"PDF export of {root} ({args.runs} fresh processes each, median; {os.cpu_count()} CPUs, load {load:.1f} at the start)")
        print()
        print("| command | wall (s) | peak (MB) | runs (s) |")
        print("|---|---:|---:|---|")
        for name, runs in (("briefing check", check), ("briefing pdf --only briefing.pdf", full), ("briefing pdf (every PDF)", every)):
            print(f"| `{name}` | {med(runs):.2f} | {peak(runs):.0f} | {', '.join(f'{r[0]:.2f}' for r in runs)} |")
        print()
        print(f"- full briefing: {med(full):.2f} s, {statistics.median(ratios):.1f}x the check"
              f" (limits for the real briefing: {PDF_FULL_LIMIT_S} s, {PDF_FULL_LIMIT_CHECKS}x)")
        print(f"- every PDF: {med(every):.2f} s, peak {peak(every):.0f} MB (limits for 1,000 facts: {PDF_1K_LIMIT_S} s, {PDF_1K_LIMIT_MB} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
