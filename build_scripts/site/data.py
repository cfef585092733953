"""The data downloads: every fact with its citations and status, and every source, as files.

The plugin adds them to the built site as ``data/facts.json``,
``data/facts.csv`` and ``data/sources.json``; the Data page
(``templates/data.md.j2``) documents their fields. Numbers are written as
exact decimal strings (never binary floats), dates as ``YYYY-MM-DD``, and
nothing depends on the clock, so the files are reproducible like the site.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

from ..factbase import FactBase
from ..render.figures import permalink
from ..render.formatting import Formatter
from ..records.models import Fact, Range

#: Where the files are published, relative to the site root.
FACTS_JSON = "data/facts.json"
FACTS_CSV = "data/facts.csv"
SOURCES_JSON = "data/sources.json"
FORMAT = "briefing-data/1"

#: Columns of facts.csv, one row per citation (a fact's columns repeat on each of its rows).
CSV_COLUMNS = (
    "fact_id",
    "topic",
    "label",
    "kind",
    "value",
    "value_low",
    "value_high",
    "unit",
    "qualifier",
    "as_of",
    "period",
    "status",
    "status_reason",
    "display",
    "note",
    "permalink",
    "citation_number",
    "citation_source",
    "citation_source_title",
    "citation_quote",
    "citation_locator",
    "citation_states",
)


def exact(number: Decimal) -> str:
    """A decimal as plain digits ("1000000000000", "162.5"), never in exponent form."""
    return format(number, "f")


def value_kind(fact: Fact) -> str:
    if isinstance(fact.value, Range):
        return "range"
    if isinstance(fact.value, Decimal):
        return "number"
    return {"date": "date", "names": "names"}.get(fact.unit, "text")


def json_value(fact: Fact) -> Any:
    """The value as JSON: numbers as exact strings, a range as ``{low, high}``, a date as ISO text."""
    value = fact.value
    if isinstance(value, Range):
        return {"low": exact(value.low), "high": exact(value.high)}
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return str(value)


def fact_record(fb: FactBase, fact: Fact, fmt: Formatter, site_url: str = "", directory_urls: bool = True, facts_page=None) -> dict:
    derived = fb.derived.get(fact.id)
    return {
        "id": fact.id,
        "topic": fact.topic,
        "label": fact.label,
        "kind": value_kind(fact),
        "value": json_value(fact),
        "unit": fact.unit,
        "qualifier": fact.qualifier.value,
        "as_of": fact.as_of.isoformat(),
        "period": fact.period,
        "status": fb.status(fact.id),
        "status_set_by": "editor" if fact.status else "checker",
        "status_reason": (derived.reason if derived and not fact.status else "") or None,
        "display": fmt.value(fact.value, fact.unit, fact.qualifier),
        "note": fact.note,
        "permalink": permalink(fb, fact.id, site_url, directory_urls, facts_page),
        "citations": [
            {
                "source": c.source,
                "quote": c.quote,
                "locator": c.locator,
                "states": exact(c.states) if c.states is not None else None,
            }
            for c in fact.citations
        ],
    }


def facts_data(fb: FactBase, site_url: str = "", directory_urls: bool = True) -> dict:
    from ..render.figures import record_pages

    fmt = Formatter(fb.settings)
    facts_page = record_pages(fb)[0]
    return {
        "format": FORMAT,
        "title": fb.settings.title,
        "facts": [fact_record(fb, f, fmt, site_url, directory_urls, facts_page) for f in fb.facts.values()],
    }


def sources_data(fb: FactBase) -> dict:
    return {
        "format": FORMAT,
        "title": fb.settings.title,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "kind": s.kind.value,
                "url": s.url,
                "archive_url": s.archive_url,
                "published": s.published.isoformat() if s.published else None,
                "accessed": s.accessed.isoformat(),
                "note": s.note,
                "cited_by": [f.id for f in fb.cited_by(s.id)],
            }
            for s in fb.sources.values()
        ],
    }


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): such a cell is prefixed
#: with an apostrophe so that it shows as text. A plain number such as "-5" or "-0.25" stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def csv_cell(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet: text that a spreadsheet would run as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def facts_csv(fb: FactBase, site_url: str = "", directory_urls: bool = True, data: dict | None = None) -> str:
    """The facts as CSV, one row per citation, every cell neutralised with :func:`csv_cell`.

    ``data``: :func:`facts_data` of the same arguments, if the caller has made it already."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in (data or facts_data(fb, site_url, directory_urls))["facts"]:
        value = record["value"]
        base = {
            "fact_id": record["id"],
            "topic": record["topic"],
            "label": record["label"],
            "kind": record["kind"],
            "value": "; ".join(value) if isinstance(value, list) else ("" if isinstance(value, dict) else value),
            "value_low": value["low"] if isinstance(value, dict) else "",
            "value_high": value["high"] if isinstance(value, dict) else "",
            "unit": record["unit"],
            "qualifier": record["qualifier"],
            "as_of": record["as_of"],
            "period": record["period"] or "",
            "status": record["status"],
            "status_reason": record["status_reason"] or "",
            "display": record["display"],
            "note": record["note"] or "",
            "permalink": record["permalink"],
        }
        for number, citation in enumerate(record["citations"], 1):
            row = base | {
                "citation_number": number,
                "citation_source": citation["source"],
                "citation_source_title": fb.sources[citation["source"]].title,
                "citation_quote": citation["quote"],
                "citation_locator": citation["locator"] or "",
                "citation_states": citation["states"] or "",
            }
            writer.writerow({name: csv_cell(cell) for name, cell in row.items()})
    return out.getvalue()


def data_files(fb: FactBase, site_url: str = "", directory_urls: bool = True) -> dict[str, str]:
    """The published files, by path relative to the site root."""
    facts = facts_data(fb, site_url, directory_urls)  # made once: the JSON and the CSV say the same
    return {
        FACTS_JSON: _json(facts),
        FACTS_CSV: facts_csv(fb, site_url, directory_urls, facts),
        SOURCES_JSON: _json(sources_data(fb)),
    }
