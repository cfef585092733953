"""Leaders drawn from one setup of their shared Pango layout: the same bytes, far fewer setups."""

from __future__ import annotations

import pytest
import weasyprint

import build_scripts.export.leaders as leaders
from build_scripts.export.leaders import shaped_once

CONTENTS = """
<style>
  @page { size: A6; margin: 10mm }
  li a::after { content: leader('. ') target-counter(attr(href url), page); }
  li a { text-decoration: none }
  .cut { width: 20mm; overflow: hidden; white-space: nowrap; text-overflow: ellipsis }
  .clamped { width: 25mm; max-lines: 1; block-ellipsis: auto; overflow: hidden }
  section { break-before: page }
</style>
<ol>
  <li><a href="#one">One</a></li>
  <li><a href="#two">Two, with a longer title</a></li>
  <li><a href="#three">Three</a></li>
</ol>
<p class="cut">A line far too long for its box, cut with an ellipsis</p>
<p class="cut">A line far too long for its box, cut with an ellipsis</p>
<p class="clamped">A paragraph clamped to one line with a block ellipsis at its end</p>
<section id="one"><h1>One</h1><p>Text. <u>Underlined</u> and <s>struck</s>.</p></section>
<section id="two"><h1>Two</h1></section>
<section id="three"><h1>Three</h1></section>
"""


def _pdf(html: str, shaped: bool) -> bytes:
    document = weasyprint.HTML(string=html).render()
    if not shaped:
        return document.write_pdf()
    with shaped_once() as done:
        assert done
        return document.write_pdf()


@pytest.fixture
def setups(monkeypatch):
    """The number of times a Pango layout is set up for drawing."""
    count = [0]
    original = leaders._REACTIVATE

    def counting(self, style):
        count[0] += 1
        return original(self, style)

    monkeypatch.setattr(leaders, "_REACTIVATE", counting)
    monkeypatch.setattr(leaders._Layout, "reactivate", counting)  # what WeasyPrint calls outside the block
    return count


def test_same_bytes_with_leaders_ellipses_and_decorations():
    assert _pdf(CONTENTS, shaped=True) == _pdf(CONTENTS, shaped=False)


def test_a_leader_is_set_up_once_not_once_per_dot(setups):
    _pdf(CONTENTS, shaped=False)
    every_time, setups[0] = setups[0], 0
    _pdf(CONTENTS, shaped=True)
    assert every_time > 40  # a dot is a text box of its own
    assert setups[0] < every_time / 2, (setups[0], every_time)


def test_names_are_put_back_and_nothing_stays_set_up():
    from weasyprint.text.line_break import Layout

    with shaped_once():
        weasyprint.HTML(string=CONTENTS).write_pdf()
        assert Layout.reactivate is leaders._reactivate
    assert Layout.reactivate is leaders._REACTIVATE and Layout.deactivate is leaders._DEACTIVATE
    assert weasyprint.draw.draw_text is leaders._DRAW_TEXT
    assert leaders._Kept.layout is None


def test_nested_blocks_and_someone_elses_replacement(monkeypatch):
    with shaped_once() as outer:
        with shaped_once() as inner:
            assert outer and inner
        assert weasyprint.draw.draw_text is leaders._draw_text  # the outer block still runs
    monkeypatch.setattr(weasyprint.draw, "draw_text", lambda *args: None)
    with shaped_once() as done:
        assert not done
        from weasyprint.text.line_break import Layout

        assert Layout.reactivate is leaders._REACTIVATE  # all three or none
