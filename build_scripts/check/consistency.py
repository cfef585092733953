"""Names and dates checked across their quotes, as figures are.

* A list of names: where a quote lists names ("led by SoftBank and Sony") and
  the list holds some of the fact's names, every proper name in that list must
  be one of the fact's; a quote naming a different set of leaders clashes.
* A date: a quote that states a full date other than the fact's clashes.

Clashes are recorded as conflicts of the kind ``values`` (as disagreeing
figures are): they make the fact disputed and appear on "Where sources disagree".
"""

from __future__ import annotations

import datetime as dt
import re

from ..factbase import Conflict, FactBase, Statement
from ..records.models import Fact
from .agreement import record_conflict

#: A proper name: capitalised words, with short joining words inside ("Ministry of Economy").
_NAME = r"[A-Z][\w&.'’-]*(?:\s+(?:of|for|the|de)?\s*[A-Z][\w&.'’-]*)*(?:\s+\([A-Z]{2,}\))?"
#: A list of proper names: two or more, joined by commas and "and".
_LIST = re.compile(rf"(?P<list>{_NAME}(?:\s*,\s*(?:and\s+)?{_NAME})*(?:,?\s+and\s+{_NAME}))")
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_DATES = re.compile(
    r"\b(?:(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})\s+(?P<month2>[A-Z][a-z]+)\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)


_POSSESSOR = re.compile(r"^[A-Z][\w.-]*['’]s\s+")


def _matches(item: str, names: list[str]) -> bool:
    key = _POSSESSOR.sub("", item).casefold()  # "Japan's Ministry of Economy" is the ministry
    return any(key in n.casefold() or n.casefold() in key for n in names)


#: Capitalised words that are not names: days, months, and words that start a sentence or a phrase.
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december on in at by for the a an and but as it this that its their
    last next earlier later meanwhile also""".split()
)


def _name_part(item: str) -> str:
    """The item without the capitalised words before it that are not names ("On Tuesday, Sharp" -> "Sharp")."""
    words = item.split()
    while words and words[0].casefold().strip(",") in _NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def listed_names(quote: str, names: list[str]) -> list[str] | None:
    """The proper names of the first list in ``quote`` that holds one of ``names`` (None: no such list)."""
    for m in _LIST.finditer(quote):
        items = [_name_part(i.strip()) for i in _SPLIT.split(m.group("list"))]
        items = [i for i in items if i]
        if len(items) >= 2 and any(_matches(i, names) for i in items):
            return items
    return None


def stated_dates(quote: str) -> list[dt.date]:
    """The full dates a quote states ("June 30, 2026", "30 June 2026", "2026-06-30")."""
    out = []
    for m in _DATES.finditer(quote):
        try:
            if m.group("iso"):
                out.append(dt.date.fromisoformat(m.group("iso")))
                continue
            month = (m.group("month") or m.group("month2")).lower()
            day = int(m.group("day") or m.group("day2"))
            year = int(m.group("year") or m.group("year2"))
            if month in _MONTHS:
                out.append(dt.date(year, _MONTHS[month], day))
        except ValueError:
            continue
    return out


def check_consistency(fb: FactBase) -> None:
    """Record a conflict for each quote whose names or date clash with its fact's; check a text's figures."""
    for fact in fb.facts.values():
        if fact.unit == "names" and all(n[:1].isupper() for n in fact.value):
            _names(fb, fact)
        elif fact.unit == "date":
            _dates(fb, fact)
        elif fact.unit == "text":
            _text(fb, fact)


def _text(fb: FactBase, fact: Fact) -> None:
    """A text in the editors' words may hold figures: each must be one that some quote of the fact states."""
    own = fb.amounts(fact.value)
    if not own:
        return
    stated = {(a.value, a.unit) for c in fact.citations for a in fb.amounts(c.quote)}
    for amount in own:
        if (amount.value, amount.unit) not in stated:
            fb.report.warning(
                fb.where(fact, "value"),
                f"the text of fact {fact.id!r} gives {amount.text!r}, which none of its quotes states",
                "text-figure",
            )


def _conflict(fb: FactBase, fact: Fact, i: int, value, message: str) -> None:
    record = Statement(fact.value, fact.unit, "exact", None, None, fb.where(fact, "value"))
    where = fb.where(fact, "citations", i, "quote")
    said = Statement(value, fact.unit, "exact", fact.citations[i].quote, i, where)
    record_conflict(fb, fact, Conflict("values", fact.id, record, said, message), where, "disagreement", [record.location])


def _names(fb: FactBase, fact: Fact) -> None:
    for i, citation in enumerate(fact.citations):
        items = listed_names(citation.quote, fact.value)
        if items is None:
            continue
        extra = [item for item in items if not _matches(item, fact.value)]
        if extra:
            message = (
                f"sources disagree on {fact.id!r}: source {citation.source!r} names {', '.join(items)}, "
                f"where the fact record has {', '.join(fact.value)} ({', '.join(extra)} not among them)"
            )
            _conflict(fb, fact, i, items, message)


def _dates(fb: FactBase, fact: Fact) -> None:
    for i, citation in enumerate(fact.citations):
        dates = stated_dates(citation.quote)
        other = [d for d in dates if d != fact.value]
        if other and fact.value not in dates:
            message = (
                f"sources disagree on {fact.id!r}: source {citation.source!r} gives the date {other[0].isoformat()}, "
                f"where the fact record has {fact.value.isoformat()}"
            )
            _conflict(fb, fact, i, other[0], message)
