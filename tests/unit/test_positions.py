"""Findings are located on the load's own parse, at exactly the places a fresh parse of the file gives.

The loader keeps, for each file whose document is a list, where each record
starts and ends (``Locator.keep``); a finding in a record is then located by
composing that record's slice of the text alone, not the whole file again.
These tests compare every path of many files, located that way, with a locator
that composes the whole file (itself compared with the round-trip loader in
``test_fast_yaml.py``): block and flow records, several documents, files with
errors, odd line breaks and indentation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.findings import Location, Report
from build_scripts.records import fast_yaml, positions
from build_scripts.records.yaml_files import load_file
from tests.unit.test_fast_yaml import TRAPS, outcome, paths, project_files

pytestmark = pytest.mark.filterwarnings("ignore:\\s*found duplicate anchor")


def kept_and_fresh(root: Path, rel: str):
    """A locator given the load's parse of ``rel`` and one that parses the file itself; the load's report."""
    report = Report()
    raw = load_file(root / rel, root, report)
    kept = positions.Locator(root)
    kept.keep(raw)
    return raw, kept, positions.Locator(root), report


def assert_located_as_fresh(root: Path, rel: str) -> int:
    """Every path (and paths leaving the data) is located alike by both locators; returns how many."""
    raw, kept, fresh, _ = kept_and_fresh(root, rel)
    count = 0
    for path in paths(raw.data):
        for key in (False, True):
            new = outcome(lambda _: kept.locate(rel, path, key=key), "")
            before = outcome(lambda _: fresh.locate(rel, path, key=key), "")
            assert new[:2] == before[:2], (rel, path, key, new, before)
            count += 1
    return count


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8", newline="")
    return tmp_path


BLOCK = """\
# sources of the briefing
- id: first
  value: "¥1 trillion — 日本語"
  citations:
    - source: kyodo
      quote: "up to 1 trillion yen"
    - {source: nikkei, quote: 'about ¥1 trillion'}

-   id: second   # deeper indentation
    value: 12
    note: >-
      folded
      text
    list: [a, b,
      c]
- {id: third, value: 3, citations: [{source: s, quote: q}]}
- plain scalar item
-
- - nested
  - list
- ? explicit
  : key
...
"""

FLOW = "[{id: a, value: 1, citations: [{source: s, quote: q}]},\n {id: b,\n  value: 2},\n c: 1, 7]\n"


@pytest.mark.parametrize(
    "text",
    [
        BLOCK,
        BLOCK.replace("\n", "\r\n"),
        FLOW,
        "---\n" + BLOCK,
        "- id: a\n  value: 1\n- id: b\n  value: 2",  # no final line break
        "- id: a\n  value: 1\r- id: b\r  value: 2\r",  # lone carriage returns: libyaml counts them as breaks
        "- id: a\n  value: |2\n      kept indentation\n  other: x\n",
        "- a: 'multi\n    line'\n  b: \"also\n    this\"\n",
        "- [1, {x: 2}, [3]]\n- {}\n- []\n- {a: }\n",  # records that are lists or empty
    ],
    ids=["block", "crlf", "flow", "document-start", "no-final-break", "lone-cr", "block-scalar", "multi-line-quotes", "lists"],
)
def test_records_are_located_as_in_the_whole_file(tmp_path, text):
    root = write(tmp_path, text)
    assert assert_located_as_fresh(root, "a.yaml") > 10


def test_the_whole_file_is_not_parsed_again(tmp_path):
    root = write(tmp_path, BLOCK)
    raw, kept, fresh, _ = kept_and_fresh(root, "a.yaml")
    (root / "a.yaml").write_text("- changed: on disk\n", encoding="utf-8")  # the load's text is what counts
    assert kept.locate("a.yaml", (0, "citations", 1, "quote")) == Location("a.yaml", 7, 31)
    assert kept.locate("a.yaml", (1, "list", 2)) == Location("a.yaml", 15, 7)
    assert kept.locate("a.yaml", (2, "citations", 0, "source")) == Location("a.yaml", 16, 46)
    assert kept.locate("a.yaml", (5, 0)) == Location("a.yaml", 19, 5)
    assert kept.locate("a.yaml", (6, "explicit")) == Location("a.yaml", 22, 5)
    assert kept.locate("a.yaml", (0, "no-such-field")) == Location("a.yaml", 2, 3)  # a missing field: its record
    assert kept.locate("a.yaml", (0, "id"), key=True) == Location("a.yaml", 2, 3)
    assert kept.locate("a.yaml", (3, "below")) == Location("a.yaml", 17, 3)
    assert kept.locate("a.yaml", (99,)) == Location("a.yaml", 2, 1)
    assert kept.locate("a.yaml", ()) == Location("a.yaml")
    assert kept._nodes == {} and kept._trees == {}  # no parse of the whole file, from disk or from the text


def test_a_slice_that_does_not_compose_alike_falls_back_to_the_whole_file(tmp_path):
    # a pair inside a flow list, its value on the next line: alone, its slice would be a block mapping whose
    # value is indented less than its key, which does not compose
    root = write(tmp_path, "[{a: 1}, b:\n  2]\n")
    assert assert_located_as_fresh(root, "a.yaml") > 3
    raw, kept, fresh, _ = kept_and_fresh(root, "a.yaml")
    assert kept.locate("a.yaml", (1, "b")) == fresh.locate("a.yaml", (1, "b")) == Location("a.yaml", 2, 3)
    assert "a.yaml" in kept._nodes  # composed whole, as before


@pytest.mark.parametrize(
    "text",
    ["- a: 1\n---\n- b: 2\n", "- a: [1\n", "- a: 1\n  a: 2\n", "- a: 1\n- b: 2\n  c: 3\n d: 4\n", "a: 1\n", "", "- x: &a 1\n  y: *a\n", "- a: !!str 1\n"],
    ids=["two-documents", "syntax-error", "duplicate-key", "bad-indentation", "not-a-list", "empty", "anchors", "tag"],
)
def test_files_with_errors_or_other_shapes_are_located_as_before(tmp_path, text):
    root = write(tmp_path, text)
    raw, kept, fresh, report = kept_and_fresh(root, "a.yaml")
    for path in [(), (0,), (0, "a"), (1, "b"), (5, "x")]:
        for key in (False, True):
            assert outcome(lambda _: kept.locate("a.yaml", path, key=key), "")[:2] == outcome(lambda _: fresh.locate("a.yaml", path, key=key), "")[:2]
    if "---" in text or "[1\n" in text:
        assert not raw.parsed and report.errors  # reported by the load; located from the file as before


@pytest.mark.parametrize("text", TRAPS)
def test_traps_are_located_as_before(tmp_path, text):
    assert_located_as_fresh(write(tmp_path, text), "a.yaml")


def test_project_and_synthetic_files_are_located_as_before(tmp_path):
    from benchmarks.synth import write as synth

    for path in project_files():
        assert_located_as_fresh(path.parent, path.name)
    synth(tmp_path, 200)
    for path in sorted((tmp_path / "facts").glob("*.yaml")):
        assert_located_as_fresh(tmp_path, f"facts/{path.name}")


SCALAR = st.sampled_from(["1", "x", "'q'", '"日本"', "null", "", "2026-06-30", "a b", "'two\n   lines'", "[]", "{}", "yes"])
KEY = st.sampled_from(["id", "value", "quote", "citations", "1", "null", "a b"])


@st.composite
def records(draw, indent: int = 0) -> str:
    """One list item, written in a block or flow style, possibly nested."""
    pad = " " * indent
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return f"{pad}- {draw(SCALAR)}"
    if shape == 1:  # flow mapping, maybe over two lines
        pairs = [f"{draw(KEY)}: {draw(SCALAR)}" for _ in range(draw(st.integers(0, 3)))]
        joiner = draw(st.sampled_from([", ", ",\n" + pad + "   "]))
        return f"{pad}- {{{joiner.join(pairs)}}}"
    if shape == 2:  # flow sequence
        return f"{pad}- [{', '.join(draw(st.lists(SCALAR, max_size=3)))}]"
    if shape == 3 and indent < 4:  # a nested block list
        inner = [draw(records(indent + 2)) for _ in range(draw(st.integers(1, 2)))]
        return f"{pad}-\n" + "\n".join(inner)
    lead = draw(st.sampled_from(["- ", "-   "]))
    inner_pad = pad + " " * len(lead)
    lines = []
    for i, key in enumerate(draw(st.lists(KEY, min_size=1, max_size=3))):
        start = pad + lead if i == 0 else inner_pad
        if indent < 4 and draw(st.booleans()):
            lines.append(f"{start}{key}:")
            lines.extend(draw(records(len(inner_pad) + 2)) for _ in range(draw(st.integers(1, 2))))
        else:
            lines.append(f"{start}{key}: {draw(SCALAR)}")
    return "\n".join(lines)


@st.composite
def list_documents(draw) -> str:
    items = []
    for _ in range(draw(st.integers(0, 4))):
        items.append(draw(records()))
        if draw(st.booleans()):
            items.append(draw(st.sampled_from(["# a comment", "", "  # indented comment"])))
    sep = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    start = draw(st.sampled_from(["", "", "---\n", "# header\n"]))
    return start + sep.join(items) + draw(st.sampled_from(["\n", "", "\n...\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(list_documents())
def test_generated_lists_are_located_as_before(tmp_path, text):
    assert_located_as_fresh(write(tmp_path, text), "a.yaml")


def test_a_check_parses_each_file_once_however_many_findings_it_locates(tmp_path, monkeypatch):
    from benchmarks.synth import write as synth
    from build_scripts.pipeline import check_project

    synth(tmp_path, 400)
    monkeypatch.setenv("BRIEFING_TODAY", "2026-07-01")  # the synthetic data's own today: a quarter of its sources stale
    texts = {path.read_text(encoding="utf-8") for path in (tmp_path / "facts").glob("*.yaml")}
    composed: list[str] = []
    real = fast_yaml.compose
    monkeypatch.setattr(fast_yaml, "compose", lambda text, **kw: composed.append(text) or real(text, **kw))
    fb = check_project(tmp_path)
    located = [f for f in fb.report if f.location.line] + [r for f in fb.report for r in f.related]
    assert len(located) > 100  # stale sources, disagreements, conversions: findings in most files
    whole = [text for text in composed if text in texts]
    assert sorted(whole) == sorted(texts)  # each file once, by the load; a finding composes its record alone


def test_the_items_of_a_records_list_are_located_without_composing_it(tmp_path, monkeypatch):
    root = write(tmp_path, BLOCK)
    raw, kept, fresh, _ = kept_and_fresh(root, "a.yaml")
    composed: list[str] = []
    real = fast_yaml.compose
    monkeypatch.setattr(fast_yaml, "compose", lambda text, **kw: composed.append(text) or real(text, **kw))
    for path in [(0, "citations"), (0, "citations", 1), (0, "citations", 2), (0, "citations", "x"), (2, "citations", 0), (1, "list", 2)]:
        for key in (False, True):
            assert kept.locate("a.yaml", path, key=key) == fresh.locate("a.yaml", path, key=key), path
    assert kept.locate("a.yaml", (0, "citations", 1)) == Location("a.yaml", 7, 7)
    assert [text for text in composed if text != BLOCK] == []  # only the fresh locator parsed (the whole file)
    assert kept.locate("a.yaml", (0, "citations", 1, "quote")) == Location("a.yaml", 7, 31)  # below an item: composed
    assert len([text for text in composed if text != BLOCK]) == 1
