"""The publisher's furniture and the published addresses (mkdocs' site_url, repo_url and edit_uri, from the
environment): with them, canonical links, a sitemap and correction links that open each fact's record at its
line; without them, none of these, and nothing names a made-up host."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from build_scripts.site.publish import build_site
from build_scripts.pipeline import check_project
from tests.conftest import copy_project

pytestmark = pytest.mark.e2e

SITE = "https://desk.example/briefing/"
REPO = "https://github.com/desk/briefing"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The real project built as deploy.yml builds it: with the addresses GitHub gives the workflow."""
    root = copy_project(tmp_path_factory.mktemp("published") / "project")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BRIEFING_SITE_URL", SITE.rstrip("/"))  # configure-pages' base_url has no final slash
        env.setenv("BRIEFING_REPO_URL", REPO)
        env.setenv("BRIEFING_EDIT_URI", "edit/main/")
        report = build_site(root, pdf=False)
    assert not report.failed(), report.format()
    return root


def soup(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page).read_text(encoding="utf-8"), "lxml")


def test_canonical_links_and_sitemap_use_the_given_address(published):
    assert soup(published, "funding/index.html").select_one('link[rel="canonical"]')["href"] == SITE + "funding/"
    sitemap = (published / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE}facts/</loc>" in sitemap and "example.org" not in sitemap


def test_every_fact_has_correction_links_to_its_record_at_its_line(published):
    fb = check_project(published)
    page = soup(published, "facts/index.html")
    for fact in fb.facts.values():
        row = page.find("tr", id=fact.id)
        edit = row.select_one("a.correction-edit")["href"]
        path, _, line = edit.partition("#L")
        assert path == f"{REPO}/edit/main/{fact.file}", edit
        lines = (published / fact.file).read_text(encoding="utf-8").splitlines()
        assert lines[int(line) - 1].lstrip("- ").startswith(f"id: {fact.id}"), (fact.id, lines[int(line) - 1])
        report = urlsplit(row.select_one("a.correction-report")["href"])
        assert f"{report.scheme}://{report.netloc}{report.path}" == f"{REPO}/issues/new"
        query = parse_qs(report.query)
        assert query["title"] == [f"Correction: {fact.label}"]
        assert f"{SITE}facts/#{fact.id}" in query["body"][0] and fact.file in query["body"][0]


def test_footer_names_the_publisher_the_licence_and_how_to_report_an_error(published):
    fb = check_project(published)
    footer = soup(published, "index.html").select_one("footer .briefing-colophon")
    text = " ".join(footer.get_text(" ").split())
    assert f"Published by {fb.settings.desk}" in text and "last updated" in text and fb.settings.licence in text
    assert footer.find("a", rel="license")["href"] == fb.settings.licence_url
    assert footer.find("a", string="Report an error")["href"].startswith(f"{REPO}/issues/new?")
    # the theme's repository widget would ask the host's API for stars and forks from the reader's browser
    assert not soup(published, "index.html").select('[data-md-component="source"]')


def test_a_local_build_has_no_address_and_fakes_none(site_dir):
    page = soup(site_dir.parent, "facts/index.html")
    assert page.select_one('link[rel="canonical"]') is None
    assert not page.select("a.correction-edit, a.correction-report")
    assert not (site_dir / "sitemap.xml").exists() and not (site_dir / "sitemap.xml.gz").exists()
    for html in site_dir.rglob("*.html"):
        assert "example.org" not in html.read_text(encoding="utf-8"), html
    about = " ".join(soup(site_dir.parent, "about/index.html").select_one("article").get_text(" ").split())
    assert "How to report an error" in about
