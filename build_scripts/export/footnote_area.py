"""A faster footnote area for WeasyPrint: the same heights, without laying the area out again per footnote.

Why this exists: each time WeasyPrint places a ``float: footnote`` on a page, it
lays out the page's whole footnote area again, every footnote already there
included, only to learn the area's new height
(``LayoutContext._update_footnote_area``). A briefing page carries a dozen
citation footnotes, so the cost grows with the square of the footnotes on a page;
it was about 40% of the PDF export's layout time. WeasyPrint offers no option
for it, so :func:`faster_footnotes` replaces that one method while a document is
laid out.

The replacement measures each footnote once, alone in the page's footnote area,
and adds the heights up. That sum is the height WeasyPrint computes when the
footnotes stack as plain blocks: the area's top margin does not collapse into
them (it has a top border or padding), no footnote has a bottom margin (so the
space between two is the lower one's top margin), the area has no fixed, minimum
or maximum height, and nothing floats beside them. Wherever one of those does
not hold (a user's print CSS may change any of them), WeasyPrint's own method
runs. Only the area's height is computed here: where the footnotes are placed
and drawn is still WeasyPrint's own layout, done once per page.

One difference is deliberate. WeasyPrint's method also reports an overflow when
the last footnote ends below the area; an area of automatic height without a
maximum always holds its footnotes, so that happens only through floating-point
rounding (seen: 2e-13 px on a page of 13 footnotes), and it then moves a
footnote that fits, and the line citing it, to the next page. The sum here
never reports one. The tests check that both methods give the same height at
every step of a footnote-heavy layout, and that a chapter of the briefing comes
out byte-identical either way (on this briefing, all of its PDFs do).
"""

from __future__ import annotations

from contextlib import contextmanager
from math import inf
from typing import Iterator

from .replacing import replaced

try:  # WeasyPrint's internals: without them the export runs unchanged, only slower
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    _ORIGINAL = LayoutContext._update_footnote_area
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    LayoutContext = None
    _ORIGINAL = None

#: The context attribute holding each footnote's measure on its page.
_CACHE = "_briefing_footnote_measures"


@contextmanager
def faster_footnotes() -> Iterator[bool]:
    """While the block runs, WeasyPrint sizes footnote areas with :func:`_update_footnote_area`.

    Yields whether the faster method is in use (not when this WeasyPrint lacks the method it replaces).
    """
    # steps aside with another WeasyPrint, or when already in use (a nested layout)
    with replaced(LayoutContext, "_update_footnote_area", _ORIGINAL, _update_footnote_area) as active:
        yield active


def _update_footnote_area(context) -> bool:
    """Set the footnote area's height and the page bottom, as WeasyPrint's method does; ``True`` on overflow."""
    area = context.current_footnote_area
    footnotes = context.current_page_footnotes
    summed = _summed(context, area, footnotes)
    if summed is None:
        return _ORIGINAL(context)
    # from here on, what WeasyPrint's method does, with the area's height as a sum
    height, decoration = summed
    if area.height != "auto":
        context.page_bottom += area.margin_height()
    area.children = footnotes
    area.height = height
    context.page_bottom -= height + decoration
    return False  # an area of automatic height without a maximum holds all its footnotes


def _summed(context, area, footnotes) -> tuple[float, float] | None:
    """The area's height as the sum of its footnotes', and the area's own margins, borders and padding;
    ``None`` where a sum would not be exact (no footnotes, an area or a footnote that is not plain)."""
    if not footnotes or not _plain_area(context, area):
        return None
    measures = [_measure(context, area, footnote) for footnote in footnotes]
    if any(m is None for m in measures):
        return None
    return sum(m[0] for m in measures), measures[-1][1]


def _plain_area(context, area) -> bool:
    """Whether the area's height is the sum of its footnotes' (see the module's docstring)."""
    style = area.style
    return (
        not context.in_column
        and not context.excluded_shapes
        and style["height"] == "auto"
        and (style["min_height"] == "auto" or getattr(style["min_height"], "value", None) == 0)
        and getattr(style["max_height"], "value", None) == inf
        and bool(area.border_top_width or area.padding_top)
    )


def _measure(context, area, footnote) -> tuple[float, float] | None:
    """The footnote's share of the area's height, and the area's own margins, borders and padding.

    Laid out once per footnote and page; ``None`` when the footnote does not stack as a plain block.
    """
    cache = context.__dict__.setdefault(_CACHE, {})
    key = (footnote, area.page)
    if key in cache:
        return cache[key]
    measure = None
    # checked before laying out: a float laid out here would stay in the page's formatting context
    if isinstance(footnote, boxes.BlockBox) and footnote.style["clear"] == "none" and not _floats(footnote):
        alone = area.copy()  # the area's deepcopy, with this footnote as its only child
        alone.children = [footnote.deepcopy()]
        alone = build.create_anonymous_boxes(alone)
        alone = block_level_layout(context, alone, -inf, None, area.page)[0]
        laid = alone.children[-1] if alone.children else None
        if laid is not None and laid.margin_bottom == 0:
            measure = (alone.height, alone.margin_height() - alone.height)
    cache[key] = measure
    return measure


def _floats(box) -> bool:
    """Whether something in the footnote floats or is positioned (it could reach a neighbour)."""
    return any(
        d.style["float"] in ("left", "right") or d.style["position"] in ("absolute", "fixed")
        for d in box.descendants()
        if d.style is not None
    )
