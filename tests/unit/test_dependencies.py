"""Every runtime dependency is pinned to a tested range: from the version installed here up to below its next major."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import ROOT


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def _next_major(lower: Version) -> Version:
    """The first release that may break: the next major, or for a 0.x release the next minor."""
    return Version(f"{lower.major + 1}") if lower.major else Version(f"0.{lower.minor + 1}")


def test_every_runtime_dependency_has_a_tested_lower_and_an_upper_bound_below_the_next_major():
    for requirement in _requirements():
        bounds = {spec.operator: Version(spec.version) for spec in requirement.specifier}
        assert set(bounds) == {">=", "<"}, f"{requirement}: needs exactly a lower (>=) and an upper (<) bound"
        lower, upper = bounds[">="], bounds["<"]
        assert upper <= _next_major(lower), f"{requirement}: the upper bound lets in {_next_major(lower)} or later"
        installed = Version(version(requirement.name))
        assert installed in requirement.specifier, f"{requirement}: {installed} installed, outside the range"
        # the lower bound is the version the suite runs on here, not an older one nobody tested
        assert (installed.major, installed.minor) == (lower.major, lower.minor), f"{requirement}: tested on {installed}"


def test_the_removed_engine_is_not_a_dependency():
    names = {r.name.lower() for r in _requirements()}
    assert "typst" in names and not names & {"weasyprint", "pikepdf"}
