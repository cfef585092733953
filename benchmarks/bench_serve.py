"""Save-to-served time of ``briefing serve``: from saving a one-line change to a fact file until the
preview server serves the changed page.

    python benchmarks/bench_serve.py --facts 1000          # a synthetic project of 1,000 facts
    python benchmarks/bench_serve.py --root .              # the real project
    python benchmarks/bench_serve.py --facts 1000 --full   # baseline: mkdocs serve rebuilding everything

Each save changes the label of one fact (a different one each time, the line count kept); the time is
measured from the write until an HTTP request for the page of that fact returns the new label. The
median and every run are printed. It starts a server on a free local port and stops it at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def site_root(server: str) -> str | None:
    """The address the site is served under (mkdocs serves it below the path of ``site_url``)."""
    try:
        with urllib.request.urlopen(server, timeout=5) as response:  # redirected to the site's path
            return response.geturl()
    except OSError:
        return None


def fact_file(root: Path) -> Path:
    """The first topic's fact file (not sources or reviews)."""
    return sorted(p for p in (root / "facts").glob("*.yaml") if p.stem not in ("sources", "reviews"))[0]


def page_of(root: Path, topic: str) -> str:
    """The served path of the page listing the topic's facts with their labels."""
    if (root / "templates" / "facts" / "[topic].md.j2").is_file():
        return f"facts/{topic}/"
    return "facts/"


def edit(path: Path, run: int) -> str:
    """Give the ``run``-th fact of the file a new label (one line, same line count); the label."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    labels = [i for i, line in enumerate(lines) if line.startswith("  label: ")]
    at = labels[run % len(labels)]
    label = f"Edited label number {run} for the benchmark"
    lines[at] = f"  label: {label}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--facts", type=int, help="measure on a synthetic project of this many facts")
    where.add_argument("--root", type=Path, help="measure on a copy of this project")
    parser.add_argument("--saves", type=int, default=5, help="saves to time (default: 5)")
    parser.add_argument("--full", action="store_true", help="baseline: plain mkdocs serve, every save rebuilds the whole site")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for a build (default: 300)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    project = work / "project"
    if args.facts:
        from synth import write

        write(project, args.facts)
    else:
        ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-builds", "__pycache__")
        shutil.copytree(args.root.resolve(), project, ignore=ignore, symlinks=True)
        shared = args.root.resolve().parent / "shared"
        if shared.is_dir() and not (work / "shared").exists():
            (work / "shared").symlink_to(shared)  # ../shared/sources, as the project expects
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_TODAY": os.environ.get("BRIEFING_TODAY", "2026-07-01")}
    if args.full:
        command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")]
    else:
        command = [sys.executable, "-m", "build_scripts", "--root", str(project), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    times: list[float] = []
    try:
        path = fact_file(project)
        started = time.monotonic()
        while (base := site_root(f"http://127.0.0.1:{port}/")) is None:
            if server.poll() is not None or time.monotonic() - started > args.timeout:
                raise SystemExit(f"the server did not start: {' '.join(command)}")
            time.sleep(0.1)
        url = base.rstrip("/") + "/" + page_of(project, path.stem)
        if fetch(url) is None:
            raise SystemExit(f"{url} is not served")
        print(f"first build served after {time.monotonic() - started:.1f} s", flush=True)
        time.sleep(1.0)  # the watcher is ready
        for run in range(args.saves):
            label = edit(path, run)
            saved = time.monotonic()
            while label not in (fetch(url) or ""):
                if time.monotonic() - saved > args.timeout:
                    raise SystemExit(f"save {run}: the page did not change within {args.timeout} s")
                time.sleep(0.02)
            times.append(time.monotonic() - saved)
            print(f"save {run + 1}: served after {times[-1]:.2f} s", flush=True)
            time.sleep(1.0)  # let the server settle before the next save
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    kind = "mkdocs serve, full rebuilds" if args.full else "briefing serve"
    size = f"{args.facts} facts" if args.facts else f"project {args.root}"
    print(f"{kind}, {size}: median save-to-served {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
