"""Shared fixtures: a copy of the project to build in, and the built site (built once per test run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("facts", "templates", "docs", "mkdocs.yml", "pyproject.toml")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The staleness check measures the age of sources from "today": pin it, so tests do not start failing
# the day the fixtures' `accessed` dates grow old (tests of staleness pass their own date).
os.environ.setdefault("BRIEFING_TODAY", "2026-11-23")


def copy_project(dest: Path) -> Path:
    """Copy the parts of the repository a build reads into ``dest`` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the real project."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The real project built once with ``briefing build`` (site and PDFs); tests only read it."""
    from build_scripts.site.publish import build_site

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    report = build_site(root, strict=False, pdf=True)
    assert not report.failed(), report.format()
    return root


@pytest.fixture(scope="session")
def site_dir(built_project: Path) -> Path:
    return built_project / "site"


def write_facts(root: Path, files: dict[str, str]) -> Path:
    """Write a minimal facts folder: ``files`` maps file names to YAML text."""
    facts = root / "facts"
    facts.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (facts / name).write_text(text, encoding="utf-8")
    return root


def record_instances(monkeypatch, cls) -> list:
    """The instances of ``cls`` made from now on in this test (to see that a forked helper did start)."""
    made = []
    original = cls.__init__

    def recording(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", recording)
    return made

#: The five source documents, beside the repository (as in CI): the snapshot folder of the real project.
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
if SHARED_SOURCES.is_dir():
    # what .ci/run does: the real project's quotes are verified against its sources in every test that checks it
    os.environ.setdefault("BRIEFING_SNAPSHOTS", str(SHARED_SOURCES))
