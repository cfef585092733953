"""File names of the PDF briefings and the links the site pages carry to them.

Kept free of the typesetter so that the mkdocs plugin can import it cheaply.
"""

from __future__ import annotations

import re

from markupsafe import Markup

#: Folder of the PDFs inside the published site.
PDF_DIR = "pdf"
#: The full briefing: every page in navigation order, with the appendices.
FULL_BRIEFING = "briefing.pdf"
#: Page names whose PDF gets a name of its own (the site's home page is the overview).
RENAMED = {"index": "overview", "briefing": "briefing-page"}


def page_stem(page: str) -> str:
    """``"funding.md"`` -> ``"funding"``."""
    return page[:-3] if page.endswith(".md") else page


def pdf_name(page: str) -> str:
    """The PDF file name of a briefing page (``"funding.md"`` -> ``"funding.pdf"``, ``index`` -> ``overview.pdf``,
    ``"facts/energy.md"`` -> ``"facts-energy.pdf"``: the PDFs sit in one folder)."""
    stem = page_stem(page)
    return f"{RENAMED.get(stem, stem).replace('/', '-')}.pdf"


def pdf_href(page_url: str, name: str) -> str:
    """A link from the page at ``page_url`` (mkdocs' ``page.url``, e.g. ``"funding/"``) to ``pdf/<name>``."""
    depth = page_url.count("/")
    return "../" * depth + f"{PDF_DIR}/{name}"


def pdf_links_html(page: str, page_url: str) -> Markup:
    """The raw-HTML paragraph of PDF links shown under a page's title (no digits: it is page prose)."""
    own = Markup('<a class="pdf-link" href="{h}" type="application/pdf">Download this page as PDF</a>').format(
        h=pdf_href(page_url, pdf_name(page))
    )
    parts = [own]
    if page_stem(page) == "index":
        parts.append(
            Markup('<a class="pdf-link pdf-link--full" href="{h}" type="application/pdf">Download the full briefing as PDF</a>').format(
                h=pdf_href(page_url, FULL_BRIEFING)
            )
        )
    return Markup('<p class="pdf-links">') + Markup(" · ").join(parts) + Markup("</p>")


_H1 = re.compile(r"^# .*$|^.+\n=+[ \t]*$", re.MULTILINE)


def add_pdf_links(markdown: str, page: str, page_url: str) -> str:
    """The page's Markdown with its PDF links inserted as a block after the first level-one heading."""
    block = "\n\n" + str(pdf_links_html(page, page_url)) + "\n\n"
    match = _H1.search(markdown)
    if match is None:
        return block.lstrip("\n") + markdown
    return markdown[: match.end()] + block + markdown[match.end() :].lstrip("\n")
