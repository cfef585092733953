"""The full briefing written in two parts, one per core, and put together page by page.

Why this exists: writing a PDF is a third of the full briefing's time, and
WeasyPrint writes on one core from pages laid out in the same process. Laid-out
pages cannot cross a process boundary (they hold Pango objects), so the helper
process cannot hand its chapters to the parent for writing, and the parent used
to lay them out a second time. Instead each process writes the whole full
briefing, drawing only the pages of its own chapters. Each other page is a
:class:`StandIn`: blank, of the same size, and carrying the anchors and
bookmarks the real page has. So each part has every named destination, link
and outline entry it would have whole, at the same places. The parent's part
then takes from the helper's the content, resources and links of the helper's
pages (:func:`build_scripts.export.merging.replace_pages`).

What crosses the process boundary is a :class:`PageSummary` per page: its size,
anchors and bookmarks. Which chapters are whose is decided from the chapters'
sizes (:func:`split_point`), never from timing, so that the PDF is the same
bytes whichever process writes which part, and when one process writes both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSummary:
    """What another process needs of a laid-out page to stand in for it: size, anchors and bookmarks."""

    width: float
    height: float
    bleed: dict[str, float]
    #: anchor name -> (x1, y1, x2, y2) in CSS pixels, in the page's order (the first of a name wins)
    anchors: dict[str, tuple[float, float, float, float]]
    #: (level, label, (x, y), state), as WeasyPrint gathers them
    bookmarks: list[tuple]

    @classmethod
    def of(cls, page) -> "PageSummary":
        """The summary of a laid-out page."""
        return cls(page.width, page.height, dict(page.bleed), dict(page.anchors), list(page.bookmarks))

    def followed_by(self, other: "PageSummary") -> "PageSummary":
        """This page's anchors and bookmarks, then ``other``'s: a page whose boxes are this one's, then ``other``'s.

        WeasyPrint gathers them in box order and keeps the first anchor of a name.
        """
        anchors = dict(self.anchors)
        for name, place in other.anchors.items():
            anchors.setdefault(name, place)
        return PageSummary(self.width, self.height, self.bleed, anchors, self.bookmarks + other.bookmarks)


class StandIn:
    """A page of the document that another process draws: blank here, with the real page's anchors and bookmarks.

    It has what WeasyPrint's PDF writer asks of a ``weasyprint.document.Page`` (this module does not
    import WeasyPrint, so that planning the split costs nothing). It has no links: the real page's
    link annotations come with its content when the parts are put together.
    """

    def __init__(self, summary: PageSummary) -> None:
        self.width = summary.width
        self.height = summary.height
        self.bleed = dict(summary.bleed)
        self.anchors = dict(summary.anchors)
        self.bookmarks = list(summary.bookmarks)
        self.links = []
        self.forms = {None: []}
        self._page_box = None

    def paint(self, stream, scale=1):
        """Draw nothing: the process that owns the page draws it in its part."""


def split_point(costs: list[int], head_start: int = 0) -> int:
    """Where to cut the chapters in two: the first ``k`` are the parent's, the rest the helper's.

    ``costs`` estimate each chapter's work; the parent also does ``head_start`` of other work (the
    cover, contents and appendix, and putting the parts together). The cut balances the two sides,
    and with two chapters or more leaves each side at least one.
    """
    if len(costs) < 2:
        return len(costs)
    total = sum(costs)
    best, best_k, before = None, 1, 0
    for k in range(1, len(costs)):
        before += costs[k - 1]
        longer = max(head_start + before, total - before)
        if best is None or longer < best:
            best, best_k = longer, k
    return best_k
