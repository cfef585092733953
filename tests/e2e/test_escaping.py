"""Text that is legal but dangerous is published as text: in the HTML pages, the search index and the PDFs.

The fixture ``tests/fixtures/dangerous`` fills every text field of every record
kind (labels, notes, periods, quotes, locators, titles, publishers, source notes
and addresses, claims, explanations, names and text values) with HTML, script,
event handlers, ``javascript:`` links, Jinja syntax and Markdown that would
break the page. It passes the check (nothing in it is invalid), and the built
site and PDFs must show it literally: no injected element or attribute, no
``{{ 7*7 }}`` turned into 49, no Markdown turned into markup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.site.publish import build_site
from build_scripts.pipeline import check_project
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dangerous"
#: The real project's generic templates: they list every record, whatever its id.
GENERIC_TEMPLATES = ("_macros.j2", "facts.md.j2", "sources.md.j2", "fact-checks.md.j2", "disagreements.md.j2")
PAGES = ("index.html", "facts/index.html", "sources/index.html", "fact-checks/index.html", "disagreements/index.html")

#: Pieces of the payloads that must be visible, character for character, on the pages that show the field.
LITERAL = (
    "<script>alert(",
    "<img src=x onerror=alert(",
    "{% if true %}JINJA-IF{% endif %}",
    "**bold**",
    "[mdlink](javascript:alert(",
    "`tick`",
    "| cell |",
    "_under_",
    '{: .evil onclick="alert(',
)
#: Where each field's payload shows up (its marker word), by page.
MARKERS = {
    # (the footnotes' quotes are in their sources' titles, a hover away: see test_quotes_in_footnotes_are_attribute_text)
    "index.html": ["LABEL", "PERIOD", "TITLE", "PUBLISHER", "TEXTVALUE", "NAME-ONE", "NAME-TWO", "MEMBERS-LABEL"],
    "facts/index.html": ["LABEL", "PERIOD", "QUOTE", "LOCATOR", "TITLE", "PUBLISHER", "NOTE-BLOCK", "TEXTVALUE", "TEXTQUOTE", "SECOND-TITLE"],
    "sources/index.html": ["TITLE", "PUBLISHER", "SOURCE-NOTE", "SECOND-TITLE", "SECOND-PUBLISHER", "LABEL"],
    "fact-checks/index.html": ["CLAIM", "EXPLANATION", "TITLE", "LABEL"],
    "disagreements/index.html": ["LABEL", "NOTE-BLOCK", "QUOTE"],
}
#: Markup the payloads would produce if Markdown were read in them: (tag, exact text).
MARKDOWN_MARKUP = {
    ("strong", "bold"), ("strong", "NAME-TWO"), ("strong", "not bold"), ("b", "the paper"), ("b", "SECOND-PUBLISHER"),
    ("code", "tick"), ("em", "under"), ("del", "strike"), ("s", "strike"), ("a", "mdlink"), ("a", "js"), ("a", "x"),
    ("h1", "heading injected"), ("h1", "SECOND-TITLE **not bold** | x |"), ("li", "list item"), ("td", "c"), ("th", "a"),
    ("code", "fenced"), ("code", "indented code"),
}


@pytest.fixture(scope="module")
def dangerous_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dangerous") / "project"
    shutil.copytree(FIXTURE, root)
    for name in GENERIC_TEMPLATES:
        shutil.copy2(ROOT / "templates" / name, root / "templates" / name)
    if (ROOT / "templates" / "print").is_dir():
        shutil.copytree(ROOT / "templates" / "print", root / "templates" / "print")
    (root / "docs").mkdir()
    # build_site pins SOURCE_DATE_EPOCH to this fixture's dates: give the other tests theirs back
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        report = build_site(root, pdf=True)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    assert not report.failed(), report.format()
    return root


def soup_of(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page).read_text(encoding="utf-8"), "lxml")


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_fixture_is_legal_input():
    fb = check_project(FIXTURE)
    assert fb.report.errors == [], fb.report.format()
    assert len(fb.facts) == 3 and len(fb.sources) == 2 and len(fb.reviews) == 1


@pytest.mark.parametrize("page", PAGES)
def test_no_element_or_attribute_is_injected(dangerous_site, page):
    soup = soup_of(dangerous_site, page)
    for el in soup.find_all(True):
        handlers = [a for a in el.attrs if a.lower().startswith("on")]
        assert not handlers, f"{page}: event handler on <{el.name}>: {handlers}"
        for attr in ("href", "src", "action", "formaction", "xlink:href"):
            value = el.get(attr)
            if isinstance(value, str):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), f"{page}: {attr}={value!r}"
        assert "evil" not in (el.get("class") or []), f"{page}: attr_list class injected"
        if el.name == "script":
            if el.get("type") in ("application/ld+json", "application/json"):
                json.loads(el.string)  # data, and well-formed data
            else:
                assert el.get("src") or "alert" not in (el.string or ""), f"{page}: injected script {el}"
    for el in soup.select_one("article").find_all(True):
        assert el.name not in ("iframe", "object", "embed", "form", "style", "base", "meta"), f"{page}: injected <{el.name}>"
        assert el.name != "img" or el.get("src") != "x", f"{page}: injected <img>"
        key = (el.name, words(el.get_text()))
        assert key not in MARKDOWN_MARKUP, f"{page}: Markdown in record text became <{el.name}>: {el}"


@pytest.mark.parametrize("page", PAGES)
def test_record_text_is_visible_literally(dangerous_site, page):
    article = soup_of(dangerous_site, page).select_one("article")
    text = words(article.get_text(" "))
    for marker in MARKERS[page]:
        assert marker in text, f"{page}: {marker} not shown"
    for piece in LITERAL:
        assert piece in text, f"{page}: {piece!r} not shown literally"
    assert text.count("JINJA-IF") == text.count("{% if true %}JINJA-IF{% endif %}")


def test_quotes_in_footnotes_are_attribute_text(dangerous_site):
    soup = soup_of(dangerous_site, "index.html")
    titles = [c["title"] for c in soup.select(".footnote cite[title]")]
    # the quote's text, markup and template code included, as the title's text: never read as markup
    assert any('5 robots QUOTE <script>alert("QUOTE")</script>' in t and "{{ 7*7 }}" in t for t in titles), titles
    assert not soup.select(".footnote cite script, .footnote cite img")


def test_jinja_in_data_is_never_evaluated(dangerous_site):
    for page in PAGES:
        html = (dangerous_site / "site" / page).read_text(encoding="utf-8")
        text = BeautifulSoup(html, "lxml").get_text(" ")
        assert "{{ 7*7 }}" in text or page == "fact-checks/index.html", page
        assert not re.search(r"(?<![\d,.])49(?![\d,.])", text), f"{page}: a Jinja expression was evaluated"
        assert "__globals__" not in text or "{{ self.__init__.__globals__ }}" in text


def test_a_multi_line_note_stays_inside_its_cell(dangerous_site):
    soup = soup_of(dangerous_site, "facts/index.html")
    row = soup.find(id="robots")
    note = row.select_one(".fact-note")
    assert note is not None and "heading injected" in note.get_text() and "</table>" in note.get_text()
    # the blank lines and the closing tags in the note did not end the table: every fact still has its row
    for fact_id in ("robots", "members", "rule"):
        assert soup.find("tr", id=fact_id) is not None, fact_id


def test_source_addresses_are_attribute_values_only(dangerous_site):
    soup = soup_of(dangerous_site, "sources/index.html")
    links = [a["href"] for a in soup.select('[data-source="src-wire"] a[href^="https://"]')]
    assert 'https://evil.example/a?q="><script>alert(1)</script>&x=\'onmouseover=\'alert(1)' in links
    assert "https://archive.example/b?u=javascript:alert(1)#<img/src=x/onerror=alert(1)>" in links


def test_claim_review_data_carries_the_text_as_data(dangerous_site):
    soup = soup_of(dangerous_site, "fact-checks/index.html")
    (block,) = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    assert '“CLAIM <script>alert("CLAIM")</script>' in block["claimReviewed"]
    assert "</script" not in soup.select_one('script[type="application/ld+json"]').decode_contents()


def test_search_index_holds_no_markup_from_records(dangerous_site):
    index = (dangerous_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script" not in index and "<img" not in index
    assert "&lt;script&gt;alert(" in index


def test_pdfs_show_the_text_literally(dangerous_site):
    pypdf = pytest.importorskip("pypdf")
    pdfs = sorted((dangerous_site / "site" / "pdf").glob("*.pdf"))
    assert pdfs, "the PDFs are built with the site"
    full = dangerous_site / "site" / "pdf" / "briefing.pdf"
    reader = pypdf.PdfReader(str(full))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    for piece in ("{{ 7*7 }}", '<script>alert("LABEL")</script>', "**bold**", "[mdlink](javascript:alert(1))", "`tick`",
                  "| cell |", "{% if true %}JINJA-IF{% endif %}", "# heading injected", "# SECOND-TITLE **not bold**"):
        assert piece in text, piece
    assert not re.search(r"(?<![\d,.])49(?![\d,.])", text)
    for path in pdfs:
        for page in pypdf.PdfReader(str(path)).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is None:
                    continue
                action = action.get_object()
                assert action.get("/S") != "/JavaScript", path.name
                uri = str(action.get("/URI", ""))
                assert not uri.lower().startswith(("javascript:", "data:")), (path.name, uri)
