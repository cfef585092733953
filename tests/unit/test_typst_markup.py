"""HTML written as Typst markup: record text reaches the page as text, whatever characters it holds."""

from __future__ import annotations

import io
import re

import lxml.html
import pytest
import typst
from pypdf import PdfReader

from build_scripts.export.markup import Links, Writer, label_name, text
from tests.conftest import ROOT

NASTY = [
    "#set page(width: 1pt) *bold* _em_ $x^2$ @ref <label> [a] `raw` ~ \\ backslash",
    "= not a heading",
    "- not a list",
    "+ not an enum",
    "1. not numbered",
    "/ Term: not a term",
    "// not a comment, /* nor this */",
    "https://example.org/a//b -- dashes --- and... -? soft",
    "Japan's “quoted” \"straight\" 'single'",
    "(parenthesis) [bracket] {brace} #{code}",
    "a = b + c -> d => e <- f",
    "; a run that starts with a semicolon",
]


def _compile(markup: str) -> str:
    source = '#set document(title: "T")\n#set text(font: "Libertinus Serif")\n= Heading\n\n#emph[x]' + markup
    data = typst.Compiler(ignore_system_fonts=True).compile(input=source.encode(), format="pdf")
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.parametrize("value", NASTY)
def test_text_reaches_the_page_verbatim(value):
    # written right after a function call, as record text often is (a footnote's quote, then "; ")
    shown = _compile(text(value)).removeprefix("Heading x").replace("\u00a0", " ")
    assert shown == " ".join(value.split())


def _writer(resolve=lambda href: None) -> Writer:
    return Writer("ch", Links(resolve=resolve, note=lambda fact: f"<span>Note on {fact}</span>"))


def test_elements_become_typst_functions():
    html = (
        '<div><h2 id="ch__s">Section <a class="headerlink" href="#s">¶</a></h2>'
        "<p><strong>b</strong> <em>e</em> <del>d</del> <code>c*</code> <q>q</q> <abbr title=\"t\">AI</abbr></p>"
        "<ul><li>one</li><li>two</li></ul><ol start=\"3\"><li>three</li></ol>"
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr id=\"ch__r\"><td>1</td><td>2</td></tr></tbody></table>"
        "<dl><dt>T</dt><dd>D</dd></dl><blockquote><p>Q</p></blockquote></div>"
    )
    out = _writer().flow(lxml.html.fragment_fromstring(html))
    for piece in ('#heading(level: 2, outlined: true)[Section]#label("ch__s")', "#strong[b]", "#emph[e]", "#strike[d]",
                  '#raw("c*")', "#quote[q]", "#list([one], [two])", "#enum(start: 3, [three])", "table.header([A], [B])",
                  '#metadata(none)#label("ch__r")', "terms.item[T][D]", "#quote(block: true)[Q]"):
        assert piece in out, (piece, out)
    assert "¶" not in out and "AI" in out


def test_links_follow_what_the_document_resolves():
    links = {"#ch__s": ("label", "ch__s"), "https://x.org/": ("url", "https://x.org/")}
    out = _writer(links.get).flow(lxml.html.fragment_fromstring(
        '<p><a href="#ch__s">in</a> <a href="https://x.org/">out</a> <a href="javascript:x()">none</a></p>'
    ))
    assert '#link(label("ch__s"))[in]' in out and '#link("https://x.org/")[out]' in out
    assert "none" in out and "javascript" not in out


def test_citations_number_footnotes_and_refer_again():
    out = _writer().flow(lxml.html.fragment_fromstring(
        '<p>a<span class="fn-slot" data-fact="f1"></span> b<span class="fn-slot" data-fact="f2"></span>'
        ' c<span class="fn-slot" data-fact="f1"></span></p>'
    ))
    assert out.count("#note(") == 2 and out.count("#again(") == 1
    assert '#note("fn-ch-1", 1)[Note on f1]' in out and '#note("fn-ch-2", 2)[Note on f2]' in out
    assert '#again("fn-ch-1", 1)[Note on f1]' in out


@pytest.mark.parametrize("tag, markers", [("ul", ['"•"', '"•"']), ("ol start=\"4\"", ['"4.", numbered: true', '"5.", numbered: true'])])
def test_a_list_citing_sources_becomes_paragraphs_with_markers(tag, markers):
    """A list laid out as one block takes its footnotes slowly (the time and memory of a large PDF):
    a list whose items cite sources is written as paragraphs with a hanging marker, in its order."""
    html = (f'<{tag}><li><strong>A:</strong> 1<span class="fn-slot" data-fact="f1"></span></li>'
            f'<li><p>B</p><p>more of B<span class="fn-slot" data-fact="f2"></span></p></li></{tag.split()[0]}>')
    out = _writer().flow(lxml.html.fragment_fromstring(f"<div>{html}</div>"))
    assert "#list(" not in out and "#enum(" not in out
    assert out.splitlines() == [
        f'#point({markers[0]})[#strong[A:] 1#note("fn-ch-1", 1)[Note on f1]]',
        f"#point({markers[1]})[B]",
        f'#point(none{", numbered: true" if "ol" in tag else ""})[more of B#note("fn-ch-2", 2)[Note on f2]]',
    ]


def test_a_list_of_points_keeps_its_anchor_in_the_first():
    html = '<div><ul id="ch__kf"><li>A<span class="fn-slot" data-fact="f1"></span></li><li>B</li></ul></div>'
    out = _writer().flow(lxml.html.fragment_fromstring(html))
    assert out.splitlines()[0].startswith('#point("•")[#metadata(none)#label("ch__kf")A'), out


@pytest.mark.parametrize("items", [
    "<li>one</li><li>two</li>",  # no citation: a list
    '<li>one<span class="fn-slot" data-fact="f1"></span><ul><li>nested</li></ul></li>',  # more than paragraphs
    '<li>text <p>and a paragraph<span class="fn-slot" data-fact="f1"></span></p></li>',  # text beside a paragraph
])
def test_other_lists_stay_lists(items):
    out = _writer().flow(lxml.html.fragment_fromstring(f"<div><ul>{items}</ul></div>"))
    assert out.startswith("#list(") and "#point(" not in out, out


def test_points_print_as_a_list_reads(tmp_path):
    """The print template's ``point``: the marker, then the text, each footnote at the page foot."""
    html = '<div><ul><li>Alpha<span class="fn-slot" data-fact="f1"></span></li><li>Beta</li></ul></div>'
    body = _writer().flow(lxml.html.fragment_fromstring(html))
    (tmp_path / "briefing.typ").write_bytes((ROOT / "templates" / "print" / "briefing.typ").read_bytes())
    source = f'#import "/briefing.typ": *\n#set document(title: "T")\n#set text(font: "Libertinus Serif")\n{body}'
    data = typst.Compiler(root=str(tmp_path), ignore_system_fonts=True).compile(
        input=source.encode(), format="pdf", sys_inputs={"meta": "{}"}, pdf_standards=["ua-1"]
    )
    lines = [" ".join(line.split()) for line in PdfReader(io.BytesIO(data)).pages[0].extract_text().splitlines() if line.strip()]
    assert lines[:2] == ["• Alpha1", "• Beta"], lines
    assert lines[-1].endswith("1. Note on f1"), lines  # at the foot (numbered again by Typst's plain entry here)


def test_labels_hold_only_what_typst_allows():
    assert label_name("a b/c#d") == "a-b-c-d" and re.fullmatch(r"[A-Za-z0-9_.:-]+", label_name("ü…"))


def test_print_design_uses_the_sites_colours():
    """The print template's colour tokens are the site's (docs/assets/briefing.css), not colours of its own."""
    template = (ROOT / "templates" / "print" / "briefing.typ").read_text(encoding="utf-8")
    css = (ROOT / "docs" / "assets" / "briefing.css").read_text(encoding="utf-8").lower()
    tokens = template[template.index("#let tokens = (") : template.index("\n)\n", template.index("#let tokens = ("))]
    colours = re.findall(r'rgb\("(#[0-9a-fA-F]{6})"\)', tokens)
    assert len(colours) >= 5
    missing = [c for c in colours if c.lower() not in css]
    assert not missing, f"colours of the print template not in the site's CSS: {missing}"
