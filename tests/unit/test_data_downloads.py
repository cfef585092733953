"""The data downloads: every fact with its citations and status, exact values, reproducible."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from build_scripts.site.data import CSV_COLUMNS, data_files
from build_scripts.pipeline import check_project
from build_scripts.records.models import Range
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fb():
    return check_project(ROOT)


@pytest.fixture(scope="module")
def files(fb):
    return data_files(fb, "https://example.org/briefing/", True)


def test_three_files_reproducible(fb, files):
    assert set(files) == {"data/facts.json", "data/facts.csv", "data/sources.json"}
    assert files == data_files(check_project(ROOT), "https://example.org/briefing/", True)


def _no_floats(value) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _no_floats(v)
    elif isinstance(value, list):
        for v in value:
            _no_floats(v)
    else:
        assert not isinstance(value, float), value


def test_facts_json_has_every_fact_with_citations_and_status(fb, files):
    data = json.loads(files["data/facts.json"], parse_float=lambda s: pytest.fail(f"float in facts.json: {s}"))
    _no_floats(data)
    records = {r["id"]: r for r in data["facts"]}
    assert list(records) == list(fb.facts)
    for fact in fb.facts.values():
        r = records[fact.id]
        assert r["status"] == fb.status(fact.id)
        assert r["topic"] == fact.topic and r["label"] == fact.label and r["unit"] == fact.unit
        assert r["permalink"] == f"https://example.org/briefing/facts/#{fact.id}"
        assert [(c["source"], c["quote"]) for c in r["citations"]] == [(c.source, c.quote) for c in fact.citations]
        if isinstance(fact.value, Decimal):
            assert isinstance(r["value"], str) and Decimal(r["value"]) == fact.value and "E" not in r["value"].upper()
        elif isinstance(fact.value, Range):
            assert Decimal(r["value"]["low"]) == fact.value.low and Decimal(r["value"]["high"]) == fact.value.high


def test_exchange_rate_keeps_its_exact_decimal(files):
    records = {r["id"]: r for r in json.loads(files["data/facts.json"])["facts"]}
    assert records["jpy-per-usd-reference"]["value"] == "162.5"
    assert records["noetra-funding-ceiling"]["value"] == "1000000000000"


def test_facts_csv_has_a_row_per_citation(fb, files):
    rows = list(csv.DictReader(io.StringIO(files["data/facts.csv"], newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == sum(len(f.citations) for f in fb.facts.values())
    assert {r["fact_id"] for r in rows} == set(fb.facts)
    for r in rows:
        fact = fb.facts[r["fact_id"]]
        citation = fact.citations[int(r["citation_number"]) - 1]
        assert r["citation_quote"] == citation.quote and r["citation_source"] == citation.source
        assert r["status"] == fb.status(fact.id)


def test_sources_json_lists_what_cites_each_source(fb, files):
    data = json.loads(files["data/sources.json"])
    assert [s["id"] for s in data["sources"]] == list(fb.sources)
    for s in data["sources"]:
        assert s["cited_by"] == [f.id for f in fb.cited_by(s["id"])]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    # OWASP's rule for CSV injection: a cell starting with = + - @ tab or carriage return is prefixed with '
    from build_scripts.site.data import csv_cell, facts_csv
    from tests.conftest import write_facts

    root = write_facts(tmp_path, {
        "sources.yaml": "- id: news-a\n  title: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Article\\\")\"\n  publisher: \"@SUM(1)\"\n"
                        "  kind: news\n  accessed: 2026-06-30\n",
        "a.yaml": "- id: drop\n  label: \"+cmd|' /C calc'!A0\"\n  value: 5\n  unit: percent\n  as_of: 2026-06-30\n"
                  "  note: \"-2+3\"\n  citations:\n    - source: news-a\n      quote: \"-5% said the report\"\n      locator: \"@A1\"\n",
    })
    fb = check_project(root)
    assert not fb.report.errors, fb.report.format()
    (row,) = list(csv.DictReader(io.StringIO(facts_csv(fb))))
    assert row["label"] == "'+cmd|' /C calc'!A0"
    assert row["citation_source_title"] == "'=HYPERLINK(\"http://evil.example\",\"Article\")"
    assert row["note"] == "'-2+3"
    assert row["citation_quote"] == "'-5% said the report"
    assert row["citation_locator"] == "'@A1"
    for name, cell in row.items():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    assert [csv_cell(v) for v in ("-5", "-0.25", "\tx", "\rx", "-", "ok")] == ["-5", "-0.25", "'\tx", "'\rx", "'-", "ok"]


def test_the_facts_are_described_once_for_the_json_and_the_csv(fb, files, monkeypatch):
    from build_scripts.site import data

    made = []
    facts_data = data.facts_data
    monkeypatch.setattr(data, "facts_data", lambda *a, **k: made.append(1) or facts_data(*a, **k))
    assert data_files(fb, "https://example.org/briefing/", True) == files
    assert len(made) == 1
