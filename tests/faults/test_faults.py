"""Faults: a build killed at any instant, two builds at once, a full disk, a read-only project, a ``site``
that cannot be replaced, a malformed ``SOURCE_DATE_EPOCH`` or ``site_dir``. Each leaves the published site
complete (the old one or the new one, never a mix) and ends in one named message, never a traceback; a killed
build leaves no process behind.

The full-disk and read-only cases need a small filesystem of their own (a tmpfs, mounted as root); CI runs as
root, so they run there (a machine without root skips them, except under CI, where that fails).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_scripts.site.publish import build_site
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.e2e

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("SOURCE_DATE_EPOCH", None)


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "build_scripts", "--root", str(root), "build", "--no-pdf"]


def run_build(root: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(root), capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=timeout)


def site_digest(root: Path) -> dict[str, str]:
    """Every file of the published site with its hash (an empty dict when there is no site)."""
    site = root / "site"
    if not site.exists():
        return {}
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def session_processes(sid: int) -> list[int]:
    """Processes still alive in session ``sid`` (a build started with ``start_new_session``)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            alive.append(int(entry.name))
    return alive


def one_message(run: subprocess.CompletedProcess, fragment: str) -> str:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and fragment in errors[0], run.stderr
    return errors[0]


def edit_a_label(root: Path, text: str) -> None:
    facts = root / "facts" / "funding.yaml"
    data = facts.read_text(encoding="utf-8")
    first = data.index("  label: ")
    end = data.index("\n", first)
    facts.write_text(data[:first] + f"  label: {text}" + data[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("faults") / "project")
    run = run_build(root)
    assert run.returncode == 0, run.stderr
    return root


# -- killed at random instants ------------------------------------------------------------------
def test_a_build_killed_at_any_instant_leaves_a_complete_site_and_no_process(published, tmp_path):
    old = site_digest(published)
    edit_a_label(published, "Funding label changed by the killed build")
    reference = copy_project(tmp_path / "reference")
    shutil.copy2(published / "facts" / "funding.yaml", reference / "facts" / "funding.yaml")
    started = time.monotonic()
    assert run_build(reference).returncode == 0
    duration = time.monotonic() - started
    new = site_digest(reference)
    assert new != old
    rng = random.Random(22)  # seeded: the same instants on every run
    instants = sorted(rng.uniform(0.1, 1.1) * duration for _ in range(8))
    outcomes = []
    for instant in instants:
        build = subprocess.Popen(build_command(published), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT, start_new_session=True)
        time.sleep(instant)
        os.kill(build.pid, signal.SIGKILL)  # the build only, as an out-of-memory killer would
        build.wait()
        deadline = time.monotonic() + 10
        while session_processes(build.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = session_processes(build.pid)
        for pid in left:  # do not leave them to the next test
            os.kill(pid, signal.SIGKILL)
        assert left == [], f"processes outlived the build killed after {instant:.2f}s"
        now = site_digest(published)
        assert now in (old, new), f"after a kill at {instant:.2f}s the site is neither the old nor the new one"
        outcomes.append("new" if now == new else "old")
        if now == new:  # publish the old site again, for the next instant
            edit_a_label(published, "Funding label changed back")
            shutil.copy2(reference / "facts" / "funding.yaml", published / "facts" / "funding.yaml")
    print("outcomes:", list(zip([round(i, 2) for i in instants], outcomes)))
    run = run_build(published)
    assert run.returncode == 0, run.stderr
    assert site_digest(published) == new
    builds = sorted(p.name for p in (published / ".site-builds").iterdir())
    assert builds == sorted(["lock", os.path.basename(os.readlink(published / "site"))]), "a later build removes what killed builds left"


def test_a_killed_build_leaves_no_process_behind(project):
    """A build killed while a page is being rendered leaves nothing running: the second process that renders
    the pages ahead (render/ahead.py, busy in the endless page here) ends with the build it works for."""
    # a page whose template renders for ever: the build is busy in it when it is killed
    template = project / "templates" / "targets.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + "\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    build = subprocess.Popen(build_command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT, start_new_session=True)
    seen = set()
    deadline = time.monotonic() + 8  # checked, and deep in the endless page by then
    while time.monotonic() < deadline:
        seen.update(session_processes(build.pid))
        time.sleep(0.05)
    assert build.poll() is None, "the build ended: the endless page was not rendered"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 5
    while session_processes(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = session_processes(build.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "a process outlived its build"
    assert len(seen) <= 2, f"the build started more than its page renderer: {sorted(seen - {build.pid})}"


# -- two builds at once -------------------------------------------------------------------------
def test_two_builds_at_once_one_succeeds_the_other_is_refused_or_succeeds(published):
    runs = [subprocess.Popen(build_command(published), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    for code, err in results:
        assert "Traceback" not in err, err
        assert code == 0 or "another build of this project is running" in err, err
    assert any(code == 0 for code, _ in results), results
    assert (published / "site" / "index.html").is_file()


def test_a_second_build_while_one_holds_the_lock_is_refused_in_process(published):
    import fcntl

    before = site_digest(published)
    with open(published / ".site-builds" / "lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        report = build_site(published, pdf=False)
    assert [f.code for f in report.errors] == ["build-busy"], report.format()
    assert site_digest(published) == before


# -- settings and environment refused before anything is touched ----------------------------------
@pytest.mark.parametrize("value", ["", "soon", "-1", "1.5", "1e9", "99999999999999999999999", " 12"])
def test_a_malformed_source_date_epoch_is_named_and_the_site_kept(published, monkeypatch, value):
    before = site_digest(published)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    report = build_site(published, pdf=False)
    errors = report.errors
    assert len(errors) == 1 and errors[0].location.file == "SOURCE_DATE_EPOCH" and "SOURCE_DATE_EPOCH=" in errors[0].message, report.format()
    assert site_digest(published) == before


@pytest.mark.parametrize("site_dir", ["docs", ".", "..", "../elsewhere", "/tmp", "facts", "templates", "docs/site", "", "sub/.."])
def test_a_site_dir_that_would_replace_the_project_is_refused_before_anything_is_deleted(project, site_dir):
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert "[tool.briefing]" in text
    pyproject.write_text(text.replace("[tool.briefing]", f'[tool.briefing]\nsite_dir = "{site_dir}"', 1), encoding="utf-8")
    files_before = sorted(p.relative_to(project.parent).as_posix() for p in project.parent.rglob("*"))
    report = build_site(project, pdf=False)
    errors = report.errors
    assert len(errors) == 1 and errors[0].location.file == "pyproject.toml" and errors[0].location.line > 1, report.format()
    assert "site_dir" in errors[0].message
    assert sorted(p.relative_to(project.parent).as_posix() for p in project.parent.rglob("*")) == files_before


def test_a_file_named_site_is_kept_and_named(project):
    (project / "site").write_text("not a folder\n", encoding="utf-8")
    report = build_site(project, pdf=False)
    assert [f.format() for f in report.errors] == ["site:1:1: error: site is a file, not the site's folder; move it away and build again"]
    assert (project / "site").read_text(encoding="utf-8") == "not a folder\n"


def test_an_old_site_folder_is_exchanged_for_the_link_at_once(project):
    (project / "site").mkdir()
    (project / "site" / "old.html").write_text("old\n", encoding="utf-8")
    assert not build_site(project, pdf=False).failed()
    assert (project / "site").is_symlink() and (project / "site" / "index.html").is_file()
    assert not (project / "site" / "old.html").exists()
    assert sorted(p.name for p in (project / ".site-builds").iterdir()) == sorted(["lock", os.path.basename(os.readlink(project / "site"))])


def _immutable(path: Path) -> None:
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:  # a capability of the filesystem (tmpfs has it since Linux 6.0), not of the machine
        pytest.skip(f"this filesystem has no immutable flag: {done.stderr.strip()}")


def test_an_immutable_project_folder_ends_in_one_message(small_disk):
    root = copy_project(small_disk / "project")
    assert run_build(root).returncode == 0
    before = site_digest(root)
    edit_a_label(root, "Funding label of a build that cannot publish")
    _immutable(root)
    try:
        run = run_build(root)
    finally:
        subprocess.run(["chattr", "-i", str(root)], check=True)
    one_message(run, "the published site is unchanged")
    assert site_digest(root) == before


def test_an_immutable_site_folder_ends_in_one_message(small_disk):
    project = copy_project(small_disk / "project")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site\n", encoding="utf-8")
    _immutable(site)
    try:
        run = run_build(project)
    finally:
        subprocess.run(["chattr", "-i", str(site)], check=True)
    one_message(run, "the published site is unchanged")
    assert not site.is_symlink() and sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the published site\n"


# -- a disk of its own: full, then read-only ------------------------------------------------------
def _not_here(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI runs as root and must run this test")
    pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        _not_here("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        _not_here(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_ends_in_one_message_and_the_old_site_intact(small_disk):
    root = copy_project(small_disk / "project")
    assert run_build(root).returncode == 0
    before = site_digest(root)
    edit_a_label(root, "Funding label of a build that meets a full disk")
    free = shutil.disk_usage(small_disk).free
    with open(small_disk / "filler", "wb") as filler:  # leave a megabyte: less than a site
        filler.write(b"\0" * max(0, free - 1024 * 1024))
    run = run_build(root)
    one_message(run, "No space left on device")
    assert site_digest(root) == before
    (small_disk / "filler").unlink()
    assert run_build(root).returncode == 0, "the next build, with room again, publishes"
    assert site_digest(root) != before
    assert sorted(p.name for p in (root / ".site-builds").iterdir()) == sorted(["lock", os.path.basename(os.readlink(root / "site"))])


def test_a_read_only_project_ends_in_one_message_and_the_old_site_intact(small_disk):
    root = copy_project(small_disk / "project")
    assert run_build(root).returncode == 0
    before = site_digest(root)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        run = run_build(root)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    one_message(run, "Read-only file system")
    assert site_digest(root) == before
