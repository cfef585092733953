"""The package as users get it: a wheel, installed (not editable) in a fresh environment, builds the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PARTS = ("facts", "templates", "docs", "mkdocs.yml", "pyproject.toml")


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    run = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=600, **kwargs)
    assert run.returncode == 0, f"{' '.join(map(str, command))}\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the sources (setuptools writes its build folders beside them)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for part in ("build_scripts", "pyproject.toml", "README.md"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, source / part)
    # pip builds in an isolated environment with the build backend pyproject names (from the package index)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", source])
    (built,) = (tmp / "dist").glob("briefing-*.whl")
    return built


def test_the_wheel_holds_the_package_and_no_dev_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "build_scripts/cli.py" in names and "build_scripts/schema/facts.schema.json" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/")) or n.endswith("synth.py")], names


def test_the_installed_wheel_builds_the_site(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    purelib = Path(_run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps", "--no-index", "--find-links", wheel.parent, wheel])
    # then the dependencies from this environment, after the wheel's own folder: the wheel's package wins
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "zz-test-dependencies.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    where = _run([venv / "bin" / "python", "-c", "import build_scripts; print(build_scripts.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(purelib), where  # installed, not this checkout
    project = tmp_path / "work" / "project"
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, project / part)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (tmp_path / "work" / "shared").symlink_to(shared)  # the source snapshots, at ../shared/sources
    _run([venv / "bin" / "briefing", "--root", project, "build", "--no-pdf"], cwd=tmp_path)
    assert (project / "site" / "index.html").is_file() and (project / "site" / "funding" / "index.html").is_file()
    # and the mkdocs plugin of the installed package, through mkdocs' own command
    _run([venv / "bin" / "python", "-m", "mkdocs", "build", "-q", "-f", project / "mkdocs.yml", "-d", tmp_path / "plain"], cwd=tmp_path)
    assert (tmp_path / "plain" / "funding" / "index.html").is_file()


def test_package_data_names_only_files_that_exist():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / package.replace(".", "/")
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"package data {package}: {pattern} matches no file"
