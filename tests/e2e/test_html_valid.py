"""Every built page through the Nu HTML Checker (the ``vnu-jar`` package from npm, run with Java).

The project's own markup must give no error. The errors the checker finds in the theme's own markup
(mkdocs-material's header and search form) are listed here as known, by their message, so that they stay
visible and a new one fails. ``.ci/run`` installs Java (Debian's ``default-jre-headless``) and ``vnu-jar``
(``npm install`` into ``.ci/vnu/``) on a fresh machine; elsewhere the test skips, in CI it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

VNU = Path(os.environ.get("BRIEFING_VNU_JAR") or ROOT / ".ci" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")

#: Errors in mkdocs-material's own templates (not ours), by the start of the checker's message.
KNOWN_THEME_ERRORS = (
    # the drawer and search toggles: <label class="md-header__button md-icon" for="__drawer" tabindex="">...
    "Bad value “” for attribute “tabindex” on element “label”",
    # the search box: <input type="text" ... autocomplete="off" autocapitalize="off" ...> inside a form of the theme
    "Attribute “autocomplete” is only allowed when the input type is",
)


def _checker() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        reason = f"the Nu HTML Checker needs java and {VNU} (bash .ci/run installs both)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return [java, "-jar", str(VNU)]


def validate(pages: list[Path]) -> list[dict]:
    """The checker's error messages for ``pages``."""
    done = subprocess.run([*_checker(), "--format", "json", "--errors-only", *map(str, pages)], capture_output=True, text=True)
    return [m for m in json.loads(done.stderr or done.stdout)["messages"] if m.get("type") == "error"]


def test_every_page_is_valid_html_but_for_the_themes_known_errors(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 12
    errors = validate(pages)
    ours = [m for m in errors if not m["message"].startswith(KNOWN_THEME_ERRORS)]
    assert ours == [], "\n".join(f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in ours[:30])
    seen = {known for known in KNOWN_THEME_ERRORS for m in errors if m["message"].startswith(known)}
    assert seen == set(KNOWN_THEME_ERRORS), f"known theme errors no longer seen (drop them from the list): {set(KNOWN_THEME_ERRORS) - seen}"


def test_the_checker_reports_an_aria_label_on_abbr(tmp_path):
    """The checker really checks: the status marks' old markup is an error."""
    page = tmp_path / "old.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<p>10<abbr class="fact-status" title="Confirmed" aria-label="Confirmed">✓</abbr></p></body></html>',
        encoding="utf-8",
    )
    assert any("aria-label" in m["message"] for m in validate([page]))
