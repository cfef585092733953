"""The fast YAML path reads exactly what ruamel.yaml's safe loader reads, and locates exactly as before.

``build_scripts.records.fast_yaml`` keeps ruamel's C parser and replaces its
resolver and constructor; ``build_scripts.records.positions`` reads positions off
the C parser's node tree instead of the round-trip loader's ``lc`` attributes.
Both are compared here with the reference behaviour (the stock safe loader, the
round-trip loader) on the project's files, on hand-picked YAML 1.1/1.2 traps
(booleans, octals, sexagesimals, dates, duplicate keys, tags, merge keys,
anchors, directives, odd line breaks) and on generated documents.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.records import fast_yaml, positions
from benchmarks.synth import write as synth

ROOT = Path(__file__).resolve().parents[2]
# generated documents may define an anchor twice; the round-trip loader warns about it
pytestmark = pytest.mark.filterwarnings("ignore:\\s*found duplicate anchor")


def outcome(load, text: str):
    """What a loader makes of ``text``: ("ok", data) or ("error", exception type, message)."""
    try:
        return ("ok", load(text))
    except Exception as exc:  # noqa: BLE001 - the comparison is the point
        return ("error", type(exc), str(exc))


def same(a, b, seen=None) -> bool:
    """Equal data of equal types all the way down (``True`` is not ``1``, ``nan`` equals ``nan``; cycles allowed)."""
    seen = set() if seen is None else seen
    if type(a) is not type(b):
        return False
    if isinstance(a, (dict, list, tuple)):
        if (id(a), id(b)) in seen:
            return True
        seen.add((id(a), id(b)))
    if isinstance(a, dict):
        return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b)) and all(
            same(x, y, seen) for x, y in zip(a.values(), b.values())
        )
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def assert_same_outcome(text: str) -> None:
    fast, stock = outcome(fast_yaml.load_yaml, text), outcome(fast_yaml.stock_load, text)
    assert fast[0] == stock[0], (text, fast, stock)
    if fast[0] == "ok":
        assert same(fast[1], stock[1]), (text, fast, stock)
    else:
        assert fast[1:] == stock[1:], (text, fast, stock)


TRAPS = [
    "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: true\nh: True\ni: FALSE\nj: tRue\n",
    "a: 012\nb: 0o17\nc: 0x1F\nd: 0b101\ne: 1_000\nf: +5\ng: -0\nh: 0\ni: 0b\nj: 09\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: .NaN\ne: 1e3\nf: 6.02e+23\ng: 1_0.5\nh: .5\ni: 1.\nj: -1.5e-3\n",
    "a: 1:30\nb: 1:30:00\nc: 190:20:30.15\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: \"\"\n",
    "a: 2026-06-30\nb: 2026-6-3\nc: 2026-06-30 12:00:00\nd: 2026-06-30T12:00:00Z\ne: 2026-06-30t12:00:00.123456789+09:00\nf: 2026-06-30 1:2:03 -5\n",
    "a: 2026-02-30\n",
    "a: 2026-13-01\n",
    "a: !!str 123\nb: !!int \"12\"\nc: !!float \"1\"\nd: !!bool \"yes\"\ne: !!null \"\"\nf: !!str\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [a: 1, b: 2]\nd: !!pairs [a: 1, a: 2]\n",
    "a: !custom x\n",
    "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: &x\n  self: *x\n",
    "a: 1\na: 2\n",
    "- id: x\n  id: y\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: b\n",
    "1: one\n2.5: two\ntrue: three\nnull: four\n2026-06-30: five\n",
    "1: a\ntrue: b\n",
    "%YAML 1.1\n---\na: yes\nb: 012\nc: 1:30\n",
    "%YAML 1.2\n---\na: yes\n",
    "--- a\n--- b\n",
    "",
    "# only a comment\n",
    "---\n...\n",
    "= : x\n",
    "a:\n\t- b\n",
    "a: [1, 2\n",
    "a: 'unterminated\n",
    "a: \"\\x\"\n",
    "\ufeffa: 1\n",
    "\u2028- a\n",
    "a: b\u2029c: d\n",
    "a: b\x85c: d\n",
    "key: >-\n  folded\n  text\nother: |\n  literal\n   kept\n",
    "a: !!int 0x_\n",
    "a: !!int \"\"\n",
    "a: !!bool maybe\n",
    "[a: b, c]\n",
    "{a: [1, {b: 2}], c: {d: e}}\n",
    "- - - deep\n",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_read_as_the_stock_loader_reads_them(text):
    assert_same_outcome(text)


def project_files() -> list[Path]:
    return sorted({*ROOT.glob("facts/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"), ROOT / "mkdocs.yml"})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    synth(root, 300)
    return root


def test_project_and_synthetic_files_read_as_before(synthetic):
    for path in [*project_files(), *sorted((synthetic / "facts").glob("*.yaml"))]:
        assert_same_outcome(path.read_text(encoding="utf-8"))


# -- generated documents -----------------------------------------------------------------
SCALARS = st.sampled_from(
    [
        "yes", "No", "on", "OFF", "y", "true", "False", "null", "~", "", "012", "0o17", "0x1F", "0b11", "1_000",
        "+1", "-0", "1.5", ".inf", "-.INF", ".nan", "1e3", "1.0e+3", "1:30", "2026-06-30", "2026-6-30",
        "2026-06-30 10:00:00", "2026-02-30", "387300000000", "\"162.5\"", "'it''s'", "\"a\\tb\"", "plain text",
        "JPY", "a: b", "- x", "#no", "x #comment", "!!str 5", "!!int '7'", "&a 1", "*a", "<<", "=", "[1, 2]",
        "{a: 1}", "\"\\u00e9\"", "ü", "¥1 trillion", "12,000", "1,5", "0.1", "-1_0", "0o", "0x", ".5", "1.",
    ]
)
KEYS = st.sampled_from(["id", "value", "unit", "as_of", "citations", "quote", "1", "true", "null", "yes", "a b", "id"])


@st.composite
def documents(draw) -> str:
    """A YAML-ish document: a block list of block mappings, values scalars, flow or block lists."""
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        keys = draw(st.lists(KEYS, min_size=1, max_size=4))
        for i, key in enumerate(keys):
            lead = "- " if i == 0 else "  "
            shape = draw(st.integers(0, 3))
            if shape == 0:
                lines.append(f"{lead}{key}: {draw(SCALARS)}")
            elif shape == 1:
                lines.append(f"{lead}{key}: [{', '.join(draw(st.lists(SCALARS, max_size=3)))}]")
            elif shape == 2:
                lines.append(f"{lead}{key}:")
                for item in draw(st.lists(SCALARS, min_size=1, max_size=3)):
                    lines.append(f"    - {item}")
            else:
                lines.append(f"{lead}{key}:")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# a comment", "", "  # indented comment"])))
    sep = draw(st.sampled_from(["\n", "\n", "\r\n", "\u2028"]))
    return sep.join(lines) + ("\n" if draw(st.booleans()) else "")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_as_the_stock_loader_reads_them(text):
    assert_same_outcome(text)


# -- positions ---------------------------------------------------------------------------
def paths(data, prefix=()):
    """Every key path of ``data``, and paths that leave it: a missing key, an index past the end, below a scalar."""
    yield prefix
    if len(prefix) > 6:  # recursive aliases
        return
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
        yield (*prefix, "no-such-key")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, (*prefix, i))
        yield (*prefix, len(data))
        yield (*prefix, "not-an-index")
    else:
        yield (*prefix, "below")


def assert_same_locations(root: Path, rel: str) -> int:
    text = (root / rel).read_text(encoding="utf-8")
    try:
        data = fast_yaml.stock_load(text)
    except Exception:  # noqa: BLE001 - a file that does not load is located at its root only
        data = None
    fast = positions.Locator(root)
    old = positions.Locator(root)
    old._nodes[rel] = positions._NO_TREE  # the round-trip loader, as before
    count = 0
    for path in paths(data):
        for key in (False, True):
            # (the round-trip loader has no position for some explicitly tagged values, ``!!null ""``,
            # and locating them raises a TypeError: the same must happen, these files take that path)
            new = outcome(lambda _: fast.locate(rel, path, key=key), "")
            before = outcome(lambda _: old.locate(rel, path, key=key), "")
            assert new[:2] == before[:2], (rel, path, key, new, before)
            count += 1
    return count


def test_locations_in_project_and_synthetic_files_are_as_before(synthetic):
    assert assert_same_locations(ROOT, "facts/funding.yaml") > 100
    for path in project_files():
        assert_same_locations(path.parent, path.name)
    for path in sorted((synthetic / "facts").glob("*.yaml")):
        assert_same_locations(synthetic, f"facts/{path.name}")


@pytest.mark.parametrize("text", TRAPS)
def test_locations_in_traps_are_as_before(tmp_path, text):
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8", newline="")
    assert_same_locations(tmp_path, "a.yaml")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(documents())
def test_locations_in_generated_documents_are_as_before(tmp_path, text):
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8", newline="")
    assert_same_locations(tmp_path, "a.yaml")


def test_the_fast_path_is_taken_and_falls_back_when_it_must(monkeypatch):
    calls = []
    real = fast_yaml.stock_load
    monkeypatch.setattr(fast_yaml, "stock_load", lambda text: calls.append(text) or real(text))
    assert fast_yaml.load_yaml("- a: 2026-06-30\n  b: [1, yes]\n") == [{"a": dt.date(2026, 6, 30), "b": [1, "yes"]}]
    assert calls == []  # no fallback for plain records
    for text in ("a: 1\na: 2\n", "a: !!set {x}\n", "%YAML 1.1\n---\na: 1\n", "a: [\n"):
        outcome(fast_yaml.load_yaml, text)
    assert len(calls) == 4  # duplicate key, unusual tag, directive, syntax error: the stock loader decides
