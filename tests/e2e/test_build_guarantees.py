"""What every build guarantees: atomic, reproducible, hermetic, and with every internal link resolved.

* Atomic: the site is built aside and swapped in only on success; a failed or
  interrupted build leaves the previous ``site/`` byte-identical and no staging folder behind.
* Reproducible: two builds of the same input, in different folders and processes,
  give byte-identical trees (pages, search index, PDFs; sitemap.xml and sitemap.xml.gz when the site has an address).
* Hermetic: ``briefing build`` succeeds with no network at all (a network namespace
  of its own, or a socket guard where namespaces are unavailable), and the pages
  reference no external host except the sources' own addresses.
* Links: a broken internal link fails ``briefing build`` and ``mkdocs build`` with a
  located message.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from build_scripts.site import plugin as plugin_module
from build_scripts.site.publish import build_site
from build_scripts.pipeline import check_project
from tests.conftest import copy_project

pytestmark = pytest.mark.e2e


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root/site`` with its bytes."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Staging or swapped-out folders a build left: anything in the project root but the site's link and
    its builds folder, and anything in the builds folder but the lock and the build ``site`` links to."""
    names = sorted(p.name for p in root.iterdir() if p.name.startswith(".site") and p.name != ".site-builds")
    builds = root / ".site-builds"
    current = os.path.basename(os.readlink(root / "site")) if (root / "site").is_symlink() else None
    names += sorted(f".site-builds/{p.name}" for p in builds.iterdir() if p.name not in ("lock", current)) if builds.is_dir() else []
    return names


# -- atomic --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A copy of the project with a published site (no PDFs: the guarantees are the same, and faster)."""
    root = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    report = build_site(root, pdf=False)
    assert not report.failed(), report.format()
    return root


def test_failed_build_removes_its_staging_folder(published):
    before = snapshot(published)
    template = published / "templates" / "targets.md.j2"
    original = template.read_text(encoding="utf-8")
    try:
        template.write_text("# Targets\n\nAbout 12 robots.\n", encoding="utf-8")
        assert build_site(published, pdf=False).failed()
    finally:
        template.write_text(original, encoding="utf-8")
    assert leftovers(published) == []
    assert snapshot(published) == before


@pytest.mark.parametrize("exception", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_interrupted_build_leaves_the_site_byte_identical(published, monkeypatch, exception):
    before = snapshot(published)
    calls = []
    original = plugin_module.BriefingPlugin.on_post_page

    def interrupted(self, output, page, config):
        calls.append(page.file.src_uri)
        if len(calls) == 3:  # in the middle: some pages written into the staging folder, others not
            raise exception
        return original(self, output, page, config)

    monkeypatch.setattr(plugin_module.BriefingPlugin, "on_post_page", interrupted)
    with pytest.raises(type(exception)):
        build_site(published, pdf=False)
    assert len(calls) == 3
    assert leftovers(published) == []
    assert snapshot(published) == before


def test_failure_while_swapping_keeps_the_old_site_with_a_message(published, monkeypatch):
    before = snapshot(published)
    replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if os.path.basename(dst) == "site":
            raise OSError(28, "No space left on device", str(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    report = build_site(published, pdf=False)
    monkeypatch.undo()
    assert [f.format() for f in report.errors] == [f"site:1:1: error: the site could not be written: No space left on device ({published / 'site'}); the published site is unchanged"]
    assert snapshot(published) == before
    assert build_site(published, pdf=False).errors == []  # the next build cleans up after the failed one
    assert leftovers(published) == []


def test_site_is_a_link_to_a_complete_build(published):
    assert (published / "site").is_symlink()
    assert os.readlink(published / "site").startswith(".site-builds/build-")
    assert (published / "site" / "index.html").is_file()
    assert leftovers(published) == []


# -- hermetic and reproducible ----------------------------------------------------------------
def _namespace_command() -> list[str] | None:
    """``unshare`` arguments that give a process no network, if this machine allows it."""
    if not shutil.which("unshare"):
        return None
    for args in (["unshare", "-rn"], ["unshare", "-n"]):
        probe = subprocess.run([*args, sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"],
                               capture_output=True, text=True)
        if "Operation not permitted" in probe.stderr or "unshare failed" in probe.stderr:
            continue
        if probe.returncode != 0 and ("Network is unreachable" in probe.stderr or "OSError" in probe.stderr):
            return args
    return None


class _NoNetwork:
    """In-process fallback: any connection to a host other than the loopback raises."""

    def __init__(self, monkeypatch) -> None:
        real_connect = socket.socket.connect

        def connect(sock, address):
            host = address[0] if isinstance(address, tuple) else address
            if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
                raise OSError(f"network access attempted during a hermetic build: {address!r}")
            return real_connect(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            raise OSError(f"name lookup attempted during a hermetic build: {host!r}")

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(scope="module")
def offline_build(tmp_path_factory, built_project) -> tuple[Path, str]:
    """The project built by ``briefing build`` with no network, in another folder and process than ``built_project``.

    Its input is a copy of ``built_project``'s (everything but the built site): the same commit.
    """
    root = tmp_path_factory.mktemp("offline") / "elsewhere" / "project"
    shutil.copytree(built_project, root, ignore=shutil.ignore_patterns("site", ".site-*"))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}  # the build pins its own dates
    command = [sys.executable, "-m", "build_scripts", "--root", str(root), "build"]
    namespace = _namespace_command()
    if namespace is None:
        mp = pytest.MonkeyPatch()
        try:
            _NoNetwork(mp)
            report = build_site(root)
        finally:
            mp.undo()
        assert not report.failed(), report.format()
        return root, "socket guard"
    run = subprocess.run([*namespace, *command], capture_output=True, text=True, env=env, timeout=1200)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return root, " ".join(namespace)


def test_build_needs_no_network(offline_build):
    root, how = offline_build
    assert (root / "site" / "index.html").is_file(), how
    assert (root / "site" / "pdf" / "briefing.pdf").is_file(), how


def test_two_builds_are_byte_identical(offline_build, built_project):
    first, second = digests(built_project / "site"), digests(offline_build[0] / "site")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == [], different
    for name in ("search/search_index.json", "pdf/briefing.pdf", "index.html"):
        assert name in first, name
    assert "sitemap.xml" not in first, "a local build has no address: no sitemap"


def test_sitemap_of_a_site_with_an_address_is_reproducible_and_dated_by_the_records(tmp_path, monkeypatch):
    from build_scripts.render.publication import last_updated

    monkeypatch.setenv("BRIEFING_SITE_URL", "https://desk.example/briefing/")
    trees = []
    for name in ("one", "two"):
        root = copy_project(tmp_path / name)
        report = build_site(root, pdf=False)
        assert not report.failed(), report.format()
        trees.append({p: (root / "site" / p).read_bytes() for p in ("sitemap.xml", "sitemap.xml.gz")})
    assert trees[0] == trees[1]
    # the gzip header's time is the records' newest date, not the clock's
    newest = last_updated(check_project(tmp_path / "one"))
    assert int.from_bytes(trees[0]["sitemap.xml.gz"][4:8], "little") == calendar.timegm(newest.timetuple())
    assert b"<loc>https://desk.example/briefing/funding/</loc>" in trees[0]["sitemap.xml"]


def test_pages_reference_no_external_host_but_the_sources(site_dir, built_project):
    fb = check_project(built_project)
    allowed = {u for s in fb.sources.values() for u in (s.url, s.archive_url) if u}
    allowed.add(fb.settings.licence_url)  # the colophon links the licence's text (a link to follow, nothing loaded)
    from mkdocs.utils.yaml import yaml_load  # mkdocs' own reader: site_url is an !ENV tag

    site_url = yaml_load((built_project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or ""
    for html in sorted(site_dir.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        for el in soup.find_all(True):
            for attr in ("href", "src", "srcset", "action", "data", "poster", "content"):
                value = el.get(attr)
                if not isinstance(value, str) or not value:
                    continue
                parts = urlsplit(value.strip())
                if not (parts.scheme or parts.netloc) or parts.scheme in ("mailto",) and attr == "href":
                    continue  # relative: inside the site
                if attr == "content" and parts.scheme not in ("http", "https"):
                    continue  # meta content that is not an address
                if value in allowed:
                    continue
                is_canonical = el.name == "link" and "canonical" in (el.get("rel") or [])
                if site_url and value.startswith(site_url) and (is_canonical or attr == "content"):
                    continue
                pytest.fail(f"{html.relative_to(site_dir)}: <{el.name} {attr}={value!r}> references an external host")


# -- internal links ------------------------------------------------------------------------------
def test_broken_internal_link_fails_the_build_at_its_source_line(project):
    template = project / "templates" / "funding.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(3, '<p>See <a href="{{ href(\'facts.md#no-such-fact\') }}">the record</a> and <a href="../nowhere/">this</a>.</p>')
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_site(project, pdf=False)
    messages = [f.format() for f in report.errors]
    assert any(m.startswith("templates/funding.md.j2:4:") and "broken link on page /funding/" in m and "no-such-fact" in m
               for m in messages), messages
    assert any(m.startswith("templates/funding.md.j2:4:") and "'../nowhere/'" in m for m in messages), messages
    assert not (project / "site").exists()


def test_broken_link_in_a_hand_written_page_fails_mkdocs_build(project, tmp_path):
    page = project / "docs" / "methodology.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + '\n<p>Details: <a href="../facts/#no-such-fact">missing</a>.</p>\n', encoding="utf-8")
    line = len(text.splitlines()) + 2
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")],
                         cwd=project, capture_output=True, text=True)
    assert run.returncode != 0
    assert f"docs/methodology.md:{line}:" in run.stderr and "no element with id 'no-such-fact'" in run.stderr, run.stderr


def test_publishing_is_one_rename_over_the_site_link(published, monkeypatch):
    # at no instant is there no site/: the only step that touches it replaces the link in one rename
    touched = []
    real_replace, real_rename = os.replace, os.rename
    site = str(published / "site")

    def replace(src, dst, *args, **kwargs):
        touched.append(("replace", os.fspath(src), os.fspath(dst)))
        return real_replace(src, dst, *args, **kwargs)

    def rename(src, dst, *args, **kwargs):
        touched.append(("rename", os.fspath(src), os.fspath(dst)))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(Path, "rename", lambda self, target: pytest.fail(f"Path.rename({self}, {target})"))
    assert not build_site(published, pdf=False).failed()
    on_site = [t for t in touched if site in (t[1], t[2])]
    assert len(on_site) == 1 and on_site[0][0] == "replace" and on_site[0][2] == site, touched
    assert os.path.islink(on_site[0][1]) is False  # the temporary link is gone: it is the site now
    assert (published / "site").is_symlink()
