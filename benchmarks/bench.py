#!/usr/bin/env python3
"""Benchmark ``briefing`` against the baselines a user would compare it with, in one run.

For each size (1,000, 10,000 and 100,000 facts by default) it writes a
synthetic project with ``benchmarks/synth.py N`` and measures, as whole processes
(wall time and peak resident memory of the child and the processes it starts, together):

* ``floor``: parsing the same fact files with PyYAML's ``CSafeLoader`` alone
  (libyaml), keeping the data as a loader would; the floor for ``check``;
* ``check``: ``briefing check``;
* ``mkdocs``: a plain ``mkdocs build`` of the same pages, already rendered to
  Markdown (no briefing plugin): the baseline for ``build``;
* ``build``: ``briefing build --no-pdf`` (check, render, mkdocs with the
  briefing plugin, the figure promise scan), run in turns with ``mkdocs`` so
  that both see the same load;
* ``pdf (all)``: ``briefing pdf``, every PDF (1,000 facts, and the repository's
  own briefing);
* ``check (real)`` and ``pdf (full)``: ``briefing check`` and ``briefing pdf
  --only briefing.pdf`` (check, render, lay out, write) of the repository's own
  briefing, run in turns so that both see the same load.

It reports medians and checks the targets: of issue 23 (issue 8 before it),
check of 10,000 facts within 2.5x the floor, the build of 1,000 facts within
1.5x plain mkdocs, time growing no worse than linearly from 10,000 to 100,000
facts; and of issue 21, the full-briefing PDF at most 1.5 s and 4x ``briefing
check`` of the same project, every PDF of 1,000 facts at most 15 s and 500 MB.
A full run writes ``BENCHMARKS.md``; ``--smoke`` runs the smallest size once
and the real full briefing against its check (seconds), as the CI smoke test.

    python benchmarks/bench.py                     # full run, writes BENCHMARKS.md
    python benchmarks/bench.py --sizes 1000,10000  # some sizes
    python benchmarks/bench.py --smoke             # CI: 1,000 facts, one repeat
    python benchmarks/bench.py --sizes 10000 --only floor,check --no-pdf   # the check's target alone, faster
    python benchmarks/bench.py --sizes 1000 --no-pdf --only mkdocs,build   # the build's target alone

Exit status: 1 if any measured command failed (a benchmark that measures a
failure measures nothing); missed targets are reported, not fatal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))  # memory.py beside it, however this file is loaded
from memory import TreePeak  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 100_000)
LARGE = 100_000
#: The data's own "today": the synthetic sources were read up to 2026-06-30, so staleness
#: (a warning a year after a source was read) is the same whenever the benchmark runs.
PINNED_TODAY = "2026-07-01"

#: The floor: libyaml through PyYAML, every fact file, the data kept as a loader keeps it.
FLOOR_SCRIPT = (
    "import sys, glob, yaml\n"
    "data = []\n"
    "for path in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
    "    with open(path, 'rb') as f:\n"
    "        data.append(yaml.load(f, Loader=yaml.CSafeLoader))\n"
)

CHECK_LIMIT = 2.5  # briefing check / libyaml-only parse, 10,000 facts
BUILD_LIMIT = 1.5  # briefing build --no-pdf / plain mkdocs build, 1,000 facts
TARGETS = {
    "check": "`briefing check` of 10,000 facts within 2.5x the libyaml-only parse",
    "build": "`briefing build --no-pdf` of 1,000 facts within 1.5x plain `mkdocs build`",
    "growth": "time growing no worse than linearly from 10,000 to 100,000 facts",
    "pdf": "the full-briefing PDF of the real briefing at most 1.5 s and at most 4x `briefing check` of the same project in the same run (whole process: check, render, lay out, write)",
    "pdf-1k": "every PDF of a 1,000-fact project (`briefing pdf`) at most 15 s and 500 MB peak",
}
#: The measurements' names (``--only`` picks among them).
MEASUREMENTS = frozenset({"floor", "check", "mkdocs", "build", "pdf (all)", "check (real)", "pdf (full)"})
#: Limits of the PDF targets (issue 21).
PDF_FULL_LIMIT_S = 1.5
PDF_FULL_LIMIT_CHECKS = 4
PDF_1K_LIMIT_S = 15
PDF_1K_LIMIT_MB = 500


# -- running and measuring ---------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    stderr: str = ""
    load: float = 0.0  # 1-minute load average when the run started (other work on the machine)


@dataclass
class Measure:
    size: int | None
    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def load(self) -> float:
        return statistics.median(r.load for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024


def run_measured(command: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """Run ``command`` to completion: wall time, peak RSS (the largest of ``os.wait4``'s and of the summed
    sizes of the command and the processes it started, sampled: see ``memory.py``), exit code, stderr tail."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        sampler = TreePeak(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        together = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    return Run(seconds, max(usage.ru_maxrss, together), proc.returncode, tail, load)


def tool(name: str) -> list[str]:
    """The console script ``name`` of this interpreter's environment (what a user runs), else ``python -m``."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", {"briefing": "build_scripts"}.get(name, name)]


def shown(command: list[str], work: Path) -> str:
    """A command as it reads in the report: tools by name, paths relative to the work folder."""
    parts = []
    for i, part in enumerate(command):
        if i == 0 and Path(part).parent == Path(sys.executable).parent:
            part = Path(part).name
        if part.startswith(str(work)):
            part = "$WORK" + part[len(str(work)):]
        parts.append(part)
    def one(part: str) -> str:
        if part == FLOOR_SCRIPT:
            return "'<floor script>'"
        return shlex.quote(part)

    return " ".join(one(p) for p in parts)


# -- preparing the inputs -------------------------------------------------------------------
def synthesize(size: int, work: Path, env: dict[str, str]) -> Path:
    """``python benchmarks/synth.py size``, reused while the generator is unchanged (a stamp records its source hash)."""
    import hashlib

    out = work / f"synth-{size}"
    source = (ROOT / "benchmarks" / "synth.py").read_bytes()
    templates = b"".join(p.read_bytes() for p in sorted((ROOT / "templates").rglob("*")) if p.is_file())
    stamp = hashlib.sha256(source + templates).hexdigest()
    if (out / ".synth-stamp").is_file() and (out / ".synth-stamp").read_text() == stamp:
        return out
    shutil.rmtree(out, ignore_errors=True)
    run = run_measured([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(size), str(out)], env)
    if run.returncode != 0:
        raise SystemExit(f"benchmarks/synth.py {size} failed:\n{run.stderr}")
    (out / ".synth-stamp").write_text(stamp)
    return out


def render_plain(root: Path, out: Path) -> None:
    """Render the briefing's pages once into ``out/docs`` with an ``mkdocs.yml`` that has no briefing plugin."""
    import yaml

    from build_scripts.findings import Report
    from build_scripts.pipeline import check_project
    from build_scripts.render.pages import render_pages

    from mkdocs.utils.yaml import yaml_load  # mkdocs' own reader: it resolves the !ENV tags of site_url and repo_url

    config = yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    fb = check_project(root)
    report = Report()
    pages = render_pages(fb, report, site_url=config.get("site_url") or "", directory_urls=config.get("use_directory_urls", True))
    if fb.report.failed() or report.failed():
        raise SystemExit(f"cannot render {root}:\n{fb.report.format()}\n{report.format()}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(root / config.get("docs_dir", "docs"), out / "docs")
    for page in pages:
        (out / "docs" / page.name).parent.mkdir(parents=True, exist_ok=True)
        (out / "docs" / page.name).write_text(page.markdown, encoding="utf-8")
    config["plugins"] = [p for p in config.get("plugins", []) if p != "briefing" and not (isinstance(p, dict) and "briefing" in p)]
    config["docs_dir"], config["site_dir"] = "docs", "site"
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def real_project(work: Path) -> Path:
    """A copy of the repository's own briefing (what ``briefing pdf`` exports)."""
    out = work / "real"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for part in ("facts", "templates", "docs", "mkdocs.yml", "pyproject.toml"):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, out / part)
        elif src.is_file():
            shutil.copy2(src, out / part)
    return out


def has_pdf_export() -> bool:
    try:
        import importlib.util

        return importlib.util.find_spec("build_scripts.export.pdf") is not None
    except ImportError:
        return False


# -- the benchmark ------------------------------------------------------------------------------
def benchmark(sizes: list[int], repeat: int, repeat_large: int, work: Path, pdf: bool, log, real_pdf: bool = False, only: frozenset[str] = frozenset()) -> list[Measure]:
    """The measures; ``pdf`` adds every PDF (1,000 facts and the real briefing), ``real_pdf`` the real
    briefing's full-briefing PDF against its check only (seconds: the smoke test runs it); ``only``, if
    not empty, names the measurements to run (the others are skipped)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_TODAY": PINNED_TODAY, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    measures: list[Measure] = []

    def measure(size: int | None, name: str, command: list[str], times: int, cwd: Path | None = None, into=None) -> Measure | None:
        """Run ``command`` ``times`` times; with ``into``, the runs join the measure of that name already there
        (interleaved runs of two commands see the same load)."""
        if only and name not in only:
            return None
        m = next((x for x in measures if x.name == name and x.size == size), None) if into is not None else None
        if m is None:
            m = Measure(size, name, command)
            measures.append(m)
        for i in range(times):
            run = run_measured(command, env, cwd)
            m.runs.append(run)
            log(f"  {name:<10} {'' if size is None else f'{size:>7,}'} run {i + 1}/{times}: {run.seconds:8.2f} s {run.max_rss_kb / 1024:8.0f} MB"
                + ("" if run.returncode == 0 else f"  FAILED (exit {run.returncode})"))
            if run.returncode != 0:
                log("    " + run.stderr.strip().replace("\n", "\n    ")[-2000:])
                break
        return m

    briefing = tool("briefing")
    for size in sizes:
        times = repeat_large if size >= LARGE else repeat
        log(f"{size:,} facts:")
        root = synthesize(size, work, env)
        plain = work / f"plain-{size}"
        if not only or "mkdocs" in only:
            render = run_measured([sys.executable, str(Path(__file__).resolve()), "--render-plain", str(root), str(plain)], env)
            if render.returncode != 0:
                raise SystemExit(f"rendering the plain baseline failed:\n{render.stderr}")
        # the check and its floor run in turns, so that both see the same load (their ratio is the target)
        for _ in range(times):
            measure(size, "floor", [sys.executable, "-c", FLOOR_SCRIPT, str(root / "facts")], 1, into=measures)
            measure(size, "check", [*briefing, "check", "--root", str(root)], 1, into=measures)
        for _ in range(times):  # in turns too: the build and its baseline
            measure(size, "mkdocs", [*tool("mkdocs"), "build", "-q", "-f", str(plain / "mkdocs.yml")], 1, into=measures)
            measure(size, "build", [*briefing, "build", "--no-pdf", "--root", str(root)], 1, into=measures)
        if pdf and size == 1_000:  # every PDF of 1,000 facts (issue 21's target)
            measure(size, "pdf (all)", [*briefing, "pdf", "--root", str(root), "--out", str(work / f"pdf-{size}")], max(1, min(times, 3)))
    if pdf or real_pdf:
        real = real_project(work)
        log("the real briefing:")
        runs = max(3, repeat)  # the full briefing is compared with `briefing check` of the same project, run for run
        for _ in range(runs):
            measure(None, "check (real)", [*briefing, "check", "--root", str(real)], 1, into=measures)
            measure(None, "pdf (full)", [*briefing, "pdf", "--only", "briefing.pdf", "--root", str(real), "--out", str(work / "real-full")], 1, into=measures)
        if pdf:
            measure(None, "pdf (all)", [*briefing, "pdf", "--root", str(real), "--out", str(work / "real-pdf")], max(1, repeat))
    return measures


# -- the verdicts ---------------------------------------------------------------------------------
def find(measures: list[Measure], name: str, size: int | None) -> Measure | None:
    return next((m for m in measures if m.name == name and m.size == size and m.ok), None)


def verdicts(measures: list[Measure]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows; verdict is "met", "missed" or "not measured"."""
    rows = []
    check, floor = find(measures, "check", 10_000), find(measures, "floor", 10_000)
    if check and floor:
        ratio = check.median / floor.median
        rows.append((TARGETS["check"], f"{check.median:.2f} s / {floor.median:.2f} s = {ratio:.2f}x (limit {CHECK_LIMIT}x)", "met" if ratio <= CHECK_LIMIT else "missed"))
    else:
        rows.append((TARGETS["check"], "-", "not measured"))
    build, mk = find(measures, "build", 1_000), find(measures, "mkdocs", 1_000)
    if build and mk:
        ratio = build.median / mk.median
        rows.append((TARGETS["build"], f"{build.median:.2f} s / {mk.median:.2f} s = {ratio:.2f}x (limit {BUILD_LIMIT}x)", "met" if ratio <= BUILD_LIMIT else "missed"))
    else:
        rows.append((TARGETS["build"], "-", "not measured"))
    growth = []
    for name in ("check", "build", "floor", "mkdocs"):
        small, large = find(measures, name, 10_000), find(measures, name, LARGE)
        if small and large:
            growth.append((name, large.median / small.median))
    if growth:
        text = "; ".join(f"{name} {factor:.1f}x" for name, factor in growth) + " for 10x the facts (limit 10x)"
        ours = [f for n, f in growth if n in ("check", "build")]
        rows.append((TARGETS["growth"], text, "met" if ours and all(f <= 10 for f in ours) else "missed" if ours else "not measured"))
    else:
        rows.append((TARGETS["growth"], "-", "not measured"))
    full, check = find(measures, "pdf (full)", None), find(measures, "check (real)", None)
    if full and check:
        ratio = full.median / check.median
        text = f"{full.median:.2f} s (limit {PDF_FULL_LIMIT_S} s); `briefing check` {check.median:.2f} s: {ratio:.1f}x (limit {PDF_FULL_LIMIT_CHECKS}x)"
        every = find(measures, "pdf (all)", None)
        if every:
            text += f"; every PDF of the real briefing {every.median:.2f} s"
        rows.append((TARGETS["pdf"], text, "met" if full.median <= PDF_FULL_LIMIT_S and ratio <= PDF_FULL_LIMIT_CHECKS else "missed"))
    else:
        rows.append((TARGETS["pdf"], "-", "not measured"))
    thousand = find(measures, "pdf (all)", 1_000)
    if thousand:
        text = f"{thousand.median:.2f} s (limit {PDF_1K_LIMIT_S} s), peak {thousand.peak_mb:.0f} MB (limit {PDF_1K_LIMIT_MB} MB)"
        rows.append((TARGETS["pdf-1k"], text, "met" if thousand.median <= PDF_1K_LIMIT_S and thousand.peak_mb <= PDF_1K_LIMIT_MB else "missed"))
    else:
        rows.append((TARGETS["pdf-1k"], "-", "not measured"))
    return rows


def machine() -> dict[str, str]:
    from importlib import metadata

    info = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} (nproc)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
    }
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
        info["cpu"] = model
    except (OSError, StopIteration):
        pass
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    versions = []
    for dist in ("mkdocs", "mkdocs-material", "ruamel.yaml", "ruamel.yaml.clib", "PyYAML", "pydantic", "typst"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    info["packages"] = ", ".join(versions)
    return info


def report_markdown(measures: list[Measure], info: dict[str, str], argv: list[str], loads: tuple, work: Path, note: str = "") -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python benchmarks/bench.py` (issue 8): every figure below comes from one full run of",
        "that script on the machine described here. Times are whole-process wall times, the median of",
        "the runs; memory is the peak resident set size of the measured process and the processes it",
        "started, together (sampled from `/proc`; never less than `os.wait4`'s largest single process).",
        "",
        "## Machine and run",
        "",
        *(f"- **{key}:** {value}" for key, value in info.items()),
        f"- **command:** `{shlex.join(['python', 'benchmarks/bench.py', *argv])}`",
        f"- **load average (1 min) before and after the run:** {loads[0]:.2f}, {loads[1]:.2f}",
        "- **data:** `benchmarks/synth.py N` (100 facts a file, one source per 20 facts, 1-3 citations per fact, about",
        "  600 bytes of YAML per fact; a page per briefing, the Facts page split by briefing and the Sources page by",
        "  initial, a navigation of the overview and the reference pages), checked with `BRIEFING_TODAY=" + PINNED_TODAY + "`: the data's own today, so that",
        "  the same sources are stale (a quarter of them, read more than a year before) whenever it runs;",
        "  `NO_MKDOCS_2_WARNING=1`.",
    ]
    if note:
        lines += [f"- **note:** {note}"]
    lines += [
        "",
        "## Results",
        "",
        "| facts | measurement | median wall time | peak memory | runs | load average at start |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for m in measures:
        size = f"{m.size:,}" if m.size is not None else "real briefing"
        if m.ok:
            lines.append(f"| {size} | {m.name} | {m.median:.2f} s | {m.peak_mb:,.0f} MB | {len(m.runs)} | {m.load:.2f} |")
        else:
            lines.append(f"| {size} | {m.name} | failed (exit {m.runs[-1].returncode if m.runs else '-'}) | - | {len(m.runs)} | - |")
    lines += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {measured} | {verdict} |" for t, measured, verdict in verdicts(measures)]
    lines += [
        "",
        "## Commands",
        "",
        "`$WORK` is the work folder; `$WORK/synth-N` holds the project written by `python benchmarks/synth.py N $WORK/synth-N`,",
        "`$WORK/plain-N` the same pages rendered once to Markdown for plain mkdocs",
        "(`python benchmarks/bench.py --render-plain $WORK/synth-N $WORK/plain-N`). For each size:",
        "",
    ]
    shown_names: set[str] = set()
    for m in measures:
        if m.name in shown_names:
            continue
        shown_names.add(m.name)
        command = shown(m.command, work)
        if m.size is not None:
            command = command.replace(f"-{m.size}", "-N")
        lines.append(f"- **{m.name}:** `{command}`")
    lines += [
        "",
        "The floor script (`python -c`, with the facts folder as argument):",
        "",
        "```python",
        FLOOR_SCRIPT.rstrip(),
        "```",
        "",
        "The plain mkdocs baseline is the same site without the `briefing` plugin: the same pages, the same",
        "`docs/`, theme, search plugin and Markdown extensions. `build` is everything `briefing build --no-pdf`",
        "does, in one process: check the facts (once: the plugin reuses the check), render the pages (compiled",
        "templates kept between builds), build with mkdocs, scan every built page for figures without a source",
        "and read its links (each page parsed once, as mkdocs writes it), check every internal link, write the",
        "data downloads, and swap the new site in. `pdf (full)` is `briefing pdf --only briefing.pdf`: check,",
        "render and lay out the full briefing alone, in one process; `pdf (all)` lays out the page PDFs in",
        "batches, each in a process of its own (two at a time), then the full briefing.",
        "",
    ]
    return "\n".join(lines)


#: Sections of BENCHMARKS.md measured by hand, not by this script: a full run keeps them as they are.
KEPT_SECTIONS = ("## Issue 23", "## Issue 8 run", "## PDF engine")


def kept_sections(path: Path) -> str:
    """The hand-measured sections of the report at ``path`` (each from its heading to the next one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    kept = []
    for heading in KEPT_SECTIONS:
        start = text.find("\n" + heading)
        if start < 0:
            continue
        end = text.find("\n## ", start + 1)
        kept.append(text[start : end if end >= 0 else len(text)].rstrip() + "\n")
    return "".join(kept)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="comma-separated fact counts (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement below 100,000 facts; the median is reported (default: 3)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per measurement from 100,000 facts (default: 1)")
    parser.add_argument("--smoke", action="store_true", help="CI smoke test: 1,000 facts, one run, the real full briefing only, no BENCHMARKS.md")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md even with --smoke")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurements")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="report file (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a folder in the system temp dir, kept between runs)")
    parser.add_argument("--note", default="", help="a remark on how the run was made, written into BENCHMARKS.md")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated measurements to run, the others skipped (names as in the report: floor, check, mkdocs, build, "
        "'pdf (all)', 'check (real)', 'pdf (full)'); a target is judged only when both its rows ran (default: all)",
    )
    parser.add_argument("--render-plain", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.render_plain:
        sys.path.insert(0, str(ROOT))
        render_plain(Path(args.render_plain[0]), Path(args.render_plain[1]))
        return 0

    sizes = [1_000] if args.smoke else sorted({int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()})
    repeat = 1 if args.smoke else args.repeat
    repeat_large = 1 if args.smoke else args.repeat_large
    pdf = not (args.smoke or args.no_pdf) and has_pdf_export()
    real_pdf = args.smoke and not args.no_pdf and has_pdf_export()  # the smoke test: the real full briefing, seconds
    work = (args.work or Path(tempfile.gettempdir()) / "briefing-bench").resolve()
    work.mkdir(parents=True, exist_ok=True)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    load_before = os.getloadavg()[0]
    log(f"work folder {work}; load average {load_before:.2f}")
    only = frozenset(name.strip() for name in args.only.split(",") if name.strip())
    unknown = only - MEASUREMENTS
    if unknown:
        parser.error(f"--only: unknown measurement(s) {', '.join(sorted(unknown))}; choose from {', '.join(sorted(MEASUREMENTS))}")
    measures = benchmark(sizes, repeat, repeat_large, work, pdf, log, real_pdf=real_pdf, only=only)
    load_after = os.getloadavg()[0]

    print("\n| facts | measurement | median | peak memory | runs |")
    print("|---:|---|---:|---:|---:|")
    for m in measures:
        size = f"{m.size:,}" if m.size is not None else "real"
        print(f"| {size} | {m.name} | {f'{m.median:.2f} s' if m.ok else 'FAILED'} | {f'{m.peak_mb:,.0f} MB' if m.ok else '-'} | {len(m.runs)} |")
    print()
    for target, measured, verdict in verdicts(measures):
        print(f"- {target}: {measured}: {verdict}")
    if not args.smoke or args.write:
        kept = kept_sections(args.out)
        args.out.write_text(report_markdown(measures, machine(), argv, (load_before, load_after), work, args.note) + kept, encoding="utf-8")
        log(f"wrote {args.out}")
    failed = [m for m in measures if not m.ok]
    if failed:
        log("failed: " + ", ".join(f"{m.name} ({m.size})" for m in failed))
        return 1
    print(json.dumps({"ok": True, "measures": len(measures)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
