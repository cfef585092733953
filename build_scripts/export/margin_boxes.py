"""Lay out a bare chapter without its page margin boxes, which the full briefing replaces anyway.

Why this exists: the full briefing takes each chapter's pages from the chapter's
own layout and gives them the running header and footer of their place in the
full briefing, taken from the front document's sheets (see
:meth:`build_scripts.export.pdf._Renderer.full_part`). The margin boxes of a
*bare* layout, one laid out only for the full briefing and never written, are
therefore thrown away. WeasyPrint makes them at the end of a layout, after the
pages are final (``weasyprint.layout.layout_document``), and nothing in the
page's content depends on them (running elements, ``position: running()``, live
in margin boxes alone: a document that has any keeps its margin boxes). Making
them cost about 4% of the full briefing's time. WeasyPrint has no option to skip
them, so :func:`without_margin_boxes` replaces the function that makes them
while a bare chapter is laid out.
The tests check that the full briefing comes out byte-identical either way.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .replacing import replaced

try:  # WeasyPrint's internals: without them a bare layout makes its margin boxes, only to drop them
    import weasyprint.layout as _layout_module

    _ORIGINAL = _layout_module.make_margin_boxes
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    _layout_module = None
    _ORIGINAL = None


def _none(context, page, state):
    """No margin boxes for this page, unless the document has running elements (``position: running()``).

    Running elements are laid out only inside margin boxes, and their anchors and links with them: there
    the page is not complete without its margin boxes, so WeasyPrint makes them.
    """
    if any(boxes for pages in context.running_elements.values() for boxes in pages.values()):
        return _ORIGINAL(context, page, state)
    return ()


@contextmanager
def without_margin_boxes(skip: bool = True) -> Iterator[bool]:
    """While the block runs, WeasyPrint lays out pages without margin boxes if ``skip``, with them if not.

    Yields whether they are skipped: never with a WeasyPrint lacking the function this replaces, or
    when someone else has replaced it.
    """
    with replaced(_layout_module, "make_margin_boxes", _ORIGINAL, _none if skip else _ORIGINAL, ours=(_none,)) as done:
        yield done and skip
