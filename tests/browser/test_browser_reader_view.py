"""The site as a reader sees it, at 1280 px and 390 px, in light and dark: nothing runs out of its column,
chart text stays legible, axe-core finds no serious or critical violation; a full-page screenshot of every
page is written to ``test-artifacts/screenshots/`` (set BRIEFING_ARTIFACTS to move it), which the pull-request
workflow uploads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import _open
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PAGES = ["", "funding/", "consortium/", "targets/", "context/", "disagreements/", "fact-checks/", "facts/", "sources/",
         "data/", "methodology/", "changes/", "about/", "editors/"]
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
ARTIFACTS = Path(os.environ.get("BRIEFING_ARTIFACTS") or ROOT / "test-artifacts") / "screenshots"
#: Smallest chart text, in CSS pixels as drawn: 11 px on a desktop column, 11 px on a phone too (narrow drawing).
MIN_CHART_TEXT = {1280: 11.0, 390: 11.0}

# Elements that overflow their container; scroll containers (overflow other than visible) clip what they hold.
OVERFLOW_JS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page: ${doc.scrollWidth} > ${doc.clientWidth}`);
  const article = document.querySelector('article.md-content__inner');
  const clipped = el => { for (let p = el.parentElement; p && p !== article; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o !== 'visible') return true; } return false; };
  // the column: the article and its padding (the theme's table scroller reaches into the padding, by design)
  const edge = article.parentElement.getBoundingClientRect().right;
  for (const el of article.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).position === 'absolute') continue;
    if (r.right > edge + 1 && !clipped(el)) out.push(`${el.tagName.toLowerCase()}.${el.className && el.className.baseVal === undefined ? el.className : ''}: right ${Math.round(r.right)} > ${Math.round(edge)}: ${(el.textContent || '').trim().slice(0, 60)}`);
  }
  return out.slice(0, 15);
}"""

CHART_TEXT_JS = """() => [...document.querySelectorAll('figure.chart svg')].filter(s => s.getBoundingClientRect().width > 0).flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().width > 0 && t.textContent.trim())
    .map(t => [t.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""


@pytest.fixture(scope="module", params=[(w, s) for w in WIDTHS for s in SCHEMES], ids=lambda p: f"{p[0]}px-{p[1]}")
def reader(request, browser, base_url):
    width, scheme = request.param
    visit = _open(browser, base_url, scheme)
    visit.page.set_viewport_size({"width": width, "height": 900})
    yield width, scheme, visit
    visit.page.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_its_width_and_is_screenshotted(reader, path):
    width, scheme, visit = reader
    visit.goto(path)
    visit.page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = (path.strip("/") or "index").replace("/", "-")
    shot = ARTIFACTS / f"{name}-{width}-{scheme}.png"
    visit.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    overflow = visit.page.evaluate(OVERFLOW_JS)
    assert overflow == [], f"{path} at {width}px: " + "\n".join(overflow)
    # a field name, code or date in a table is drawn on one line, never broken inside
    broken = visit.page.evaluate(
        "() => [...document.querySelectorAll('article table code, article table time')]"
        ".filter(el => el.getClientRects().length > 1).map(el => el.textContent)"
    )
    assert broken == [], f"{path} at {width}px: broken inside: {broken}"


@pytest.mark.parametrize("path", ["funding/", "targets/", "context/"])
def test_chart_text_is_legible(reader, path):
    width, _, visit = reader
    visit.goto(path)
    visit.page.wait_for_load_state("networkidle")
    sizes = visit.page.evaluate(CHART_TEXT_JS)
    assert sizes, "no chart text drawn"
    small = [(t, round(px, 1)) for t, px in sizes if px < MIN_CHART_TEXT[width]]
    assert small == [], f"chart text smaller than {MIN_CHART_TEXT[width]} px at {width}px: {small[:8]}"
    # one drawing is shown, with a title and a numbered caption naming its sources
    figure = visit.page.locator("figure.chart").first
    assert figure.locator("svg:visible").count() == 1
    assert figure.locator(".chart__title").inner_text().strip()
    caption = figure.locator("figcaption").inner_text()
    assert caption.startswith("Figure 1.") and "Source: " in caption


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation(reader, axe_source, path):
    from tests.browser.test_browser_site import _axe, _describe

    width, scheme, visit = reader
    visit.goto(path)
    visit.page.wait_for_load_state("networkidle")
    violations = _axe(visit.page, axe_source)
    assert violations == [], f"{width}px {scheme}: " + _describe(violations)


def test_a_local_build_names_no_made_up_address(reader):
    """No site or repository address is set here: no canonical link, no sitemap, no correction link."""
    _, _, visit = reader
    visit.goto("facts/")
    page = visit.page
    assert page.locator('link[rel="canonical"]').count() == 0
    assert page.locator("a.correction-edit, a.correction-report").count() == 0
    assert "example.org" not in page.content()
    assert page.locator("footer .briefing-colophon").inner_text().startswith("Published by")


# -- correction links, on a site built with the addresses deploy.yml passes ------------------------------------

REPO = "https://github.com/desk/briefing"


@pytest.fixture(scope="module")
def published_url(tmp_path_factory):
    """The real project built with a site and a repository address, served on 127.0.0.1."""
    import functools
    import http.server
    import threading

    from build_scripts.site.publish import build_site
    from tests.browser.conftest import _QuietHandler
    from tests.conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("published") / "project")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BRIEFING_SITE_URL", "https://desk.example/briefing/")
        env.setenv("BRIEFING_REPO_URL", REPO)
        env.setenv("BRIEFING_EDIT_URI", "edit/main/")
        report = build_site(root, pdf=False)
    assert not report.failed(), report.format()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("width", WIDTHS)
def test_correction_links_open_the_record_at_its_line_and_a_prefilled_report(browser, published_url, width):
    from urllib.parse import parse_qs, urlsplit

    from build_scripts.pipeline import check_project

    root, url = published_url
    fb = check_project(root)
    visit = _open(browser, url)
    try:
        page = visit.page
        page.set_viewport_size({"width": width, "height": 900})
        fact = list(fb.facts.values())[-1]  # the last row: far down the page, in the last fact file
        visit.goto(f"facts/#{fact.id}")
        page.wait_for_load_state("networkidle")
        edit = page.locator(f'tr[id="{fact.id}"] a.correction-edit')
        assert edit.is_visible()
        path, _, line = edit.get_attribute("href").partition("#L")
        edit.click()  # leaves the machine: the test's router stops the request and records where it went
        page.wait_for_timeout(300)
        assert visit.blocked[-1] == path == f"{REPO}/edit/main/{fact.file}"  # (a request carries no #fragment)
        text = (root / fact.file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert text.lstrip("- ").startswith(f"id: {fact.id}"), text
        visit.goto(f"facts/#{fact.id}")
        page.wait_for_load_state("networkidle")
        page.locator(f'tr[id="{fact.id}"] a.correction-report').click()
        page.wait_for_timeout(300)
        report = urlsplit(visit.blocked[-1])
        assert f"{report.scheme}://{report.netloc}{report.path}" == f"{REPO}/issues/new"
        assert parse_qs(report.query)["title"] == [f"Correction: {fact.label}"]
    finally:
        visit.page.context.close()


def test_pdf_links_read_in_order_under_the_title(reader):
    """Not floated to the right in reverse order with their separator left behind: in reading order, on the left."""
    width, _, visit = reader
    visit.goto("")
    boxes = visit.page.locator("article .pdf-links a.pdf-link").evaluate_all("as => as.map(a => a.getBoundingClientRect().toJSON())")
    assert len(boxes) == 2
    first, second = boxes
    assert first["top"] < second["top"] - 1 or first["right"] <= second["left"], (first, second)
    title = visit.page.locator("article h1").bounding_box()
    assert abs(first["left"] - title["x"]) < 2, "the links start under the title"
