"""The internal link check of built sites (:mod:`build_scripts.site.links`), on small hand-made sites."""

from __future__ import annotations

from pathlib import Path

from build_scripts.site.links import SiteLinks, check_site_links
from build_scripts.findings import Report

SITE_URL = "https://example.org/briefing/"


def make_site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for name, body in pages.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body if not name.endswith(".html") else f"<html><body>{body}</body></html>", encoding="utf-8")
    return site


def broken(site: Path, **kwargs) -> list[tuple[str, str]]:
    return [(b.page, b.url) for b in SiteLinks(site, SITE_URL).broken(**kwargs)]


def test_good_links_of_every_kind_pass(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<h1 id="top">x</h1><a href="facts/#robots">r</a><a href="#top">t</a><a href="facts/">f</a>'
                      '<link rel="canonical" href="https://example.org/briefing/"><a href="/briefing/facts/index.html#robots">a</a>'
                      '<img src="assets/logo.png"><script src="assets/app.js"></script><a href="https://elsewhere.example/x#y">e</a>'
                      '<a href="mailto:desk@example.org">m</a><a href="data/facts.json">d</a><a href="facts/?q=1#robots">q</a>',
        "facts/index.html": '<tr id="robots"></tr><a href="../#top">up</a><a href="../index.html">home</a><a name="old-anchor"></a>'
                            '<a href="#old-anchor">o</a><a href="%2E%2E/data/facts.json">enc</a>',
        "assets/logo.png": "png",
        "assets/app.js": "js",
        "data/facts.json": "{}",
    })
    assert broken(site) == []


def test_missing_files_fragments_and_escapes_are_reported(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="facts/#no-such-fact">1</a><a href="nowhere/">2</a><img src="missing.png">'
                      '<a href="../../etc/passwd">3</a><a href="#nothing">4</a><a href="https://example.org/briefing/gone/">5</a>'
                      '<a href="/other-site/page/">6</a>',
        "facts/index.html": '<tr id="robots"></tr>',
    })
    found = broken(site)
    assert found == [
        ("index.html", "facts/#no-such-fact"),
        ("index.html", "nowhere/"),
        ("index.html", "missing.png"),
        ("index.html", "../../etc/passwd"),
        ("index.html", "#nothing"),
        ("index.html", "https://example.org/briefing/gone/"),
        ("index.html", "/other-site/page/"),
    ]
    reasons = {b.url: b.reason for b in SiteLinks(site, SITE_URL).broken()}
    assert reasons["facts/#no-such-fact"] == "no element with id 'no-such-fact' in facts/index.html"
    assert reasons["nowhere/"] == "no file nowhere/index.html in the built site"
    assert reasons["../../etc/passwd"] == "it points outside the site"


def test_skip_and_only_select_targets(tmp_path):
    site = make_site(tmp_path, {"index.html": '<a href="pdf/overview.pdf">p</a><a href="gone.html">g</a>'})
    assert broken(site, skip=("pdf/",)) == [("index.html", "gone.html")]
    assert broken(site, only=("pdf/",)) == [("index.html", "pdf/overview.pdf")]
    (site / "pdf").mkdir()
    (site / "pdf" / "overview.pdf").write_bytes(b"%PDF-")
    assert broken(site, only=("pdf/",)) == []


def test_findings_point_at_the_line_of_the_page_source(tmp_path):
    site = make_site(tmp_path, {
        "funding/index.html": '<a href="../facts/#no-such-fact">x</a>',
        "facts/index.html": "<p>facts</p>",
        "404.html": '<a href="/briefing/missing/">m</a>',
    })
    template = tmp_path / "templates" / "funding.md.j2"
    template.parent.mkdir()
    template.write_text("# Funding\n\nSee {{ link('a') }}.\nAnd <a href=\"{{ href('facts.md#no-such-fact') }}\">this</a>.\n", encoding="utf-8")
    report = Report()
    n = check_site_links(site, {"funding/index.html": (template, "templates/funding.md.j2")}, report, site_url=SITE_URL)
    assert n == 2
    lines = report.format().splitlines()
    assert lines[0].startswith("mkdocs.yml:1:1: error: broken link on page /404.html: '/briefing/missing/'"), lines
    assert lines[1].startswith("templates/funding.md.j2:4:31: error: broken link on page /funding/: '../facts/#no-such-fact': "
                               "no element with id 'no-such-fact' in facts/index.html"), lines


def test_pages_read_ahead_are_checked_as_the_files_are(tmp_path):
    """The build hands each page's HTML over as mkdocs writes it (``preload``); the verdicts are those of the files."""
    pages = {
        "index.html": '<h1 id="top">x</h1><a href="facts/#robots">r</a><a href="facts/#gone">g</a><a href="#top">t</a>'
                      '<a href="#nothing">n</a><a href="nowhere/">w</a><a href="facts/">f</a>',
        "facts/index.html": '<tr id="robots"></tr><a href="../#top">up</a><a href="../#missing">m</a><a href="../facts/#robots">s</a>',
        "sources/index.html": '<a href="../facts/#robots">r</a><a href="../facts/#gone">g</a>',
    }
    site = make_site(tmp_path, pages)
    from_files = [(b.page, b.url, b.reason) for b in SiteLinks(site, SITE_URL).broken()]
    read_ahead, handed = SiteLinks(site, SITE_URL), SiteLinks(site, SITE_URL)
    for name in pages:  # the HTML as written, then the files changed: nothing is read from disk but existence
        html = (site / name).read_text(encoding="utf-8")
        read_ahead.preload(name, html)
        handed.add(name, *SiteLinks.read(html))  # read by another process, which hands over the links
    (site / "sources" / "index.html").write_text("<html><body>changed on disk</body></html>", encoding="utf-8")
    assert [(b.page, b.url, b.reason) for b in read_ahead.broken()] == from_files
    assert [(b.page, b.url, b.reason) for b in handed.broken()] == from_files
    assert len(from_files) == 5


def test_links_of_every_page_of_a_folder_are_resolved_once(tmp_path):
    site = make_site(tmp_path, {"a/one.html": '<a href="../b/">b</a>', "a/two.html": '<a href="../b/">b</a>', "b/index.html": ""})
    links = SiteLinks(site, SITE_URL)
    assert links.broken() == []
    assert list(links._resolved) == [("a", "../b/")]


def test_a_build_reads_back_only_the_pages_mkdocs_does_not_hand_over(tmp_path, monkeypatch):
    """Each page is parsed once as mkdocs writes it (figure scan and links alike): the link check after the
    build reads from disk only what no page event carried (the theme's 404 page)."""
    import lxml.html

    from build_scripts.site.publish import build_site
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "project")
    read_back, parsed = [], []
    tree = SiteLinks._tree
    monkeypatch.setattr(SiteLinks, "_tree", lambda self, page: read_back.append(page) or tree(self, page))
    parse = lxml.html.document_fromstring
    monkeypatch.setattr(lxml.html, "document_fromstring", lambda html, *a, **k: parsed.append(len(html)) or parse(html, *a, **k))
    report = build_site(root, pdf=False)
    assert not report.failed(), report.format()
    pages = sorted(p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*.html"))
    assert read_back == ["404.html"]
    assert len(parsed) == len(pages)  # every page once: the 404 page when read back, the others as written
