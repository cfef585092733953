"""Draw a leader's repeated text with one Pango layout, set up once instead of once per repetition.

Why this exists: the contents pages fill the space between a heading and its
page number with a leader (``leader(". ")`` in ``print.css``). WeasyPrint lays a
leader out as one text box per repetition of its text, all copies of one box
sharing one Pango layout (``weasyprint.layout.leader.handle_leader``). When it
draws a text box, WeasyPrint sets that layout up again and shapes its text
(``Layout.reactivate``), then throws the setup away (``Layout.deactivate``, to
save memory). For a leader this happens once per dot: drawing the two contents
pages of the full briefing took about half a second, ten times a page of prose.

While :func:`shaped_once` is active, a layout that has just been drawn stays set
up, and drawing the same layout again with the same style and text skips the
setup. Only one layout is kept at a time, and it is thrown away as soon as
another is set up, and when the block ends. A layout is kept only when drawing
did not change it: WeasyPrint changes it for ``text-overflow: ellipsis`` and
``block-ellipsis``, and such text is set up again each time, as before.
The tests check that the PDFs come out byte-identical either way.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from typing import Iterator

from .replacing import replaced

try:  # WeasyPrint's internals: without them every text box is set up again when drawn, as WeasyPrint does
    import weasyprint.draw as _draw_module
    from weasyprint.text.line_break import Layout as _Layout

    _DRAW_TEXT = _draw_module.draw_text
    _REACTIVATE = _Layout.reactivate
    _DEACTIVATE = _Layout.deactivate
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    _draw_module = _Layout = _DRAW_TEXT = _REACTIVATE = _DEACTIVATE = None


class _Kept:
    """The layout left set up by the last text drawn, and whether the text being drawn may leave it so."""

    layout = None
    style = None
    text = None
    keep = False


def _release() -> None:
    """Throw away the setup of the kept layout, as WeasyPrint would have after drawing it."""
    layout, _Kept.layout = _Kept.layout, None
    if layout is not None:
        _DEACTIVATE(layout)


def _draw_text(stream, textbox, offset_x, text_overflow, *block_ellipsis):
    """WeasyPrint's ``draw_text``; its layout may stay set up unless drawing changes it (an ellipsis)."""
    outer, _Kept.keep = _Kept.keep, text_overflow != "ellipsis" and block_ellipsis == ("none",)
    try:
        return _DRAW_TEXT(stream, textbox, offset_x, text_overflow, *block_ellipsis)
    finally:
        _Kept.keep = outer


def _reactivate(self, style):
    """Set the layout up for drawing, unless it still is, with this style and text."""
    if _Kept.layout is self and _Kept.style is style and _Kept.text == self.text:
        return
    _release()
    _REACTIVATE(self, style)


def _deactivate(self):
    """After drawing, keep the layout set up (the next text box may be a copy); else throw the setup away."""
    if _Kept.keep and hasattr(self, "layout"):
        if _Kept.layout is not self:
            _release()
        _Kept.layout, _Kept.style, _Kept.text = self, self.style, self.text
        return
    if _Kept.layout is self:
        _Kept.layout = None
    _DEACTIVATE(self)


@contextmanager
def shaped_once() -> Iterator[bool]:
    """While the block runs, WeasyPrint draws repeated copies of a text box from one setup of their layout.

    Yields whether it does: not with a WeasyPrint lacking the names this replaces, or when someone
    else has replaced one of them.
    """
    with ExitStack() as stack:
        done = all(
            [
                stack.enter_context(replaced(_draw_module, "draw_text", _DRAW_TEXT, _draw_text, ours=(_draw_text,))),
                stack.enter_context(replaced(_Layout, "reactivate", _REACTIVATE, _reactivate, ours=(_reactivate,))),
                stack.enter_context(replaced(_Layout, "deactivate", _DEACTIVATE, _deactivate, ours=(_deactivate,))),
            ]
        )
        if not done:  # all three or none: put back those that were replaced
            stack.close()
        try:
            yield done
        finally:
            if done:
                _release()
