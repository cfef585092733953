"""Every figure in every snapshot accounted for (``briefing sources audit``, and findings of ``check``).

Each figure of each verified snapshot -- amounts with a currency, counts with
their noun ("44 companies", "23k Robots"), percentages, target years ("by
2040"), conversions in brackets -- is classified:

* ``cited``: inside a quote of a citation of that source;
* ``agreeing``: the same quantity as a fact, with a compatible value, not
  cited (``check`` suggests the citation, with the figure's sentence as the
  quote, when the fact does not cite that source yet);
* ``contradicting``: the same quantity as a fact, with a value that cannot be
  right with it (a warning located in the snapshot, and "a figure not yet
  reviewed" on "Where sources disagree", unless a review's claim covers it);
* ``unrelated``: no fact of that quantity.

A conversion in brackets ("1 trillion yen (approximately $3.7M)") is checked
against the reference rate whether or not a fact cites it. Editors mark a figure
reviewed and irrelevant in ``facts/audit.yaml`` (``source``, ``figure`` as the
audit prints it, optional ``line``, ``reason``): it is then ``irrelevant``.

"The same quantity": the figure's kind (currency, percent, the noun a count
counts, a year after "by", "until", "since"...) matches the fact's unit; among
several facts of that unit the one the value fits, else the one whose quotes
are most like the figure's sentence (rapidfuzz), if like enough.

Each snapshot is read once; the work is linear in the snapshots' length and
the number of facts per unit.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from .. import units
from ..factbase import FactBase
from ..findings import Location
from ..records.models import AUDIT_FILE, Fact, Range
from .amounts import SCALE_WORDS, Amount, extract_amounts, table_word
from .rates import reference_rate, rounded_rate
from .snapshots import Snapshot, normalise
from .statements import amount_kind, counts_noun, interval
from .verify import display_path, snapshot_of

_YEAR_BEFORE = re.compile(r"(?:\bby|\buntil|\bbefore|\bsince|\bthrough|\bfrom)\s+$", re.IGNORECASE)
_HYPHEN_SCALE = re.compile(r"-(?P<s>thousand|million|billion|trillion)\b", re.IGNORECASE)
_BRACKET = re.compile(r"\s*\(\s*$")
#: How like a fact's quotes a figure's sentence must be to contradict it when several facts share a unit.
SAME_QUANTITY = 60


@dataclass
class AuditFigure:
    """One figure of one snapshot and what the audit made of it."""

    source: str
    file: str
    line: int
    col: int
    figure: str  # the wording in the snapshot
    kind: str  # currency code, "percent", a count unit, "year", or "" (no quantity recognised)
    value: str
    verdict: str  # cited, agreeing, contradicting, unrelated, irrelevant
    fact: str | None = None
    sentence: str = ""
    detail: str = ""  # why: the fact's value, or the conversion's rate
    reviewed_by: str | None = None  # a review whose claim covers it
    conversion: bool = False

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.col)


@dataclass
class Audit:
    """The audit of every verified snapshot."""

    figures: list[AuditFigure] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per source, the number of figures of each verdict."""
        out: dict[str, dict[str, int]] = {s: dict.fromkeys(VERDICTS, 0) for s in self.sources}
        for f in self.figures:
            out[f.source][f.verdict] += 1
        return out

    def unreviewed(self) -> list[AuditFigure]:
        """Contradicting figures (and wrong conversions) no citation, review or audit mark accounts for."""
        return [f for f in self.figures if f.verdict == "contradicting" and f.reviewed_by is None]


VERDICTS = ("cited", "agreeing", "contradicting", "unrelated", "irrelevant")


def run_audit(fb: FactBase) -> Audit | None:
    """Audit every source with a verified snapshot; None when there is none. Adds findings to ``fb.report``."""
    marks = _load_marks(fb)
    by_unit = _facts_by_unit(fb)
    audit = Audit()
    for source in fb.sources.values():
        snapshot = snapshot_of(fb, source.id)
        if snapshot is None:
            continue
        audit.sources.append(source.id)
        _audit_source(fb, source.id, snapshot, by_unit, marks, audit)
    if not audit.sources:
        return None
    _report(fb, audit)
    fb.audit = audit
    return audit


def _facts_by_unit(fb: FactBase) -> dict[str, list[Fact]]:
    index: dict[str, list[Fact]] = {}
    for fact in fb.facts.values():
        if fact.is_number and not units.rate_pair(fact.unit) and fact.status != "retracted":
            index.setdefault(fact.unit, []).append(fact)
        elif fact.unit == "year":
            index.setdefault("year", []).append(fact)
    return index


def _spans(snapshot: Snapshot, texts) -> list[tuple[int, int, str]]:
    out = []
    for text, owner in texts:
        span = snapshot.span(text)
        if span is not None:
            out.append((span[0], span[1], owner))
    return out


def _inside(amount: Amount, spans) -> str | None:
    return next((owner for start, end, owner in spans if start <= amount.start and amount.end <= end), None)


def _kind(text: str, amount: Amount, nouns: list[str]) -> str:
    """What quantity a figure is: its currency, percent, a count unit (by its noun), "year", or ""."""
    if amount.unit is not None:
        return amount.unit
    value = amount.value
    if value == value.to_integral_value() and 1800 <= value <= 2200 and _YEAR_BEFORE.search(text, max(0, amount.start - 12), amount.start):
        return "year"
    scaled = _HYPHEN_SCALE.match(text, amount.end)  # "10-million-robot": the noun follows the scale
    at = replace(amount, end=scaled.end()) if scaled else amount
    for unit in nouns:
        if counts_noun(text, at, unit):
            return unit
    return ""


def _value(text: str, amount: Amount) -> Decimal:
    """The amount's value, with a scale joined by a hyphen ("10-million-robot") that the reader leaves out."""
    m = _HYPHEN_SCALE.match(text, amount.end)
    return amount.value * SCALE_WORDS[table_word(m.group("s"))] if m else amount.value


def _audit_source(fb, source_id, snapshot, by_unit, marks, audit) -> None:
    from rapidfuzz import fuzz

    text = snapshot.text
    source = fb.sources[source_id]
    on = source.published or source.accessed
    cited = _spans(snapshot, [(c.quote, f.id) for f in fb.cited_by(source_id) for c in f.citations if c.source == source_id])
    reviewed = _spans(snapshot, [(r.claim, r.id) for r in fb.reviews.values() if r.source == source_id])
    nouns = [unit for unit in by_unit if amount_kind(unit) is None and unit not in ("year",)]
    display = display_path(fb, snapshot)
    amounts = extract_amounts(text)
    conversions: dict[int, tuple[Amount, Amount]] = {}
    for a, b in zip(amounts, amounts[1:]):
        if (
            a.unit and b.unit and a.unit != b.unit and units.is_currency(a.unit) and units.is_currency(b.unit)
            and _BRACKET.fullmatch(text, a.end, b.start)
        ):
            conversions[id(b)] = (a, b)
    for amount in amounts:
        line, col = snapshot.line_col(amount.start)
        figure = AuditFigure(source_id, display, line, col, amount.text, "", str(amount.value), "unrelated")
        figure.sentence = snapshot.sentence_at(amount.start, amount.end)
        cited_by = _inside(amount, cited)
        figure.reviewed_by = _inside(amount, reviewed)
        pair = conversions.get(id(amount))
        if pair is not None:
            _conversion(fb, figure, pair, on)
        else:
            figure.kind = _kind(text, amount, nouns)
            _compare(figure, amount, _value(text, amount), by_unit, fb, on, fuzz)
        if cited_by is not None:
            figure.verdict = "cited"
            figure.fact = figure.fact or cited_by
        mark = _mark_for(marks, figure)
        if mark is not None and figure.verdict != "cited":
            figure.verdict, figure.detail = "irrelevant", f"marked irrelevant: {mark['reason']}"
        audit.figures.append(figure)


def _conversion(fb, figure: AuditFigure, pair: tuple[Amount, Amount], on) -> None:
    native, foreign = pair
    figure.kind, figure.conversion = foreign.unit, True
    found = reference_rate(fb, native.unit, foreign.unit, on)
    if found is None or not foreign.value:
        figure.detail = f"converts {native.text!r}; no reference rate to check it"
        return
    rate_fact, factor = found
    implied = native.value / foreign.value
    off = implied / factor
    figure.fact = rate_fact.id
    figure.detail = f"converts {native.text!r} to {foreign.text!r}, implying {rounded_rate(implied)} {native.unit} per {foreign.unit}; reference rate {factor} (fact {rate_fact.id!r})"
    figure.verdict = "agreeing" if abs(off - 1) <= fb.settings.conversion_tolerance else "contradicting"


def _compare(figure: AuditFigure, amount: Amount, value: Decimal, by_unit, fb, on, fuzz) -> None:
    kind = figure.kind
    if not kind:
        return
    figure.value = str(value)
    slack = fb.settings.agreement_tolerance
    said = interval(value, amount.qualifier, slack)
    candidates: list[tuple[Fact, bool, bool]] = []  # (fact, exact, compatible)
    pools = [kind] if kind in by_unit else []
    if units.is_currency(kind):
        pools += [u for u in by_unit if units.is_currency(u) and u != kind]
    for unit in pools:
        for fact in by_unit.get(unit, ()):
            in_fact_unit = value
            if unit != kind:  # another currency: through the reference rate
                found = reference_rate(fb, unit, kind, on)
                if found is None:
                    continue
                in_fact_unit = value * found[1]
            here = interval(in_fact_unit, amount.qualifier, slack) if unit != kind else said
            target = fact.value.high if isinstance(fact.value, Range) else fact.value
            exact = in_fact_unit == target
            compatible = here.meets(interval(fact.value, fact.qualifier.value, slack))
            candidates.append((fact, exact, compatible))
    if not candidates:
        return

    def likeness(fact: Fact) -> float:
        return fuzz.token_set_ratio(figure.sentence, " ".join([fact.label, *(c.quote for c in fact.citations)]))

    exact = [f for f, e, _ in candidates if e]
    compatible = [f for f, _, c in candidates if c]
    if exact or compatible:
        fact = exact[0] if exact else max(compatible, key=likeness)
        figure.verdict, figure.fact = "agreeing", fact.id
        figure.detail = "agrees with the fact"
        return
    best = max((f for f, _, _ in candidates), key=likeness)
    if len(candidates) == 1 or likeness(best) >= SAME_QUANTITY:
        figure.verdict, figure.fact = "contradicting", best.id
        figure.detail = "contradicts the fact"


# -- the committed marks ---------------------------------------------------------------------------------


def _load_marks(fb: FactBase) -> list[dict]:
    """``facts/audit.yaml``: figures the desk reviewed and found irrelevant, each with its reason."""
    from ..records.yaml_files import load_file

    path = fb.root / fb.settings.facts_dir / AUDIT_FILE
    if not path.is_file():
        return []
    raw = load_file(path, fb.root, fb.report)
    fb.locator.keep(raw)
    if not raw.parsed or raw.data is None:
        return []
    marks = []
    if not isinstance(raw.data, list):
        fb.report.error(Location(raw.rel), "expected a list of marks (source, figure, reason, optional line)", "audit-file")
        return []
    for index, item in enumerate(raw.data):
        where = fb.locator.locate(raw.rel, (index,))
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k).strip() for k in ("source", "figure", "reason")):
            fb.report.error(where, "an audit mark needs 'source', 'figure' (as the audit prints it) and 'reason'", "audit-file")
            continue
        unknown = set(item) - {"source", "figure", "reason", "line"}
        if unknown or ("line" in item and not isinstance(item["line"], int)):
            fb.report.error(where, f"unknown or invalid field(s) in an audit mark: {', '.join(sorted(unknown)) or 'line'}", "audit-file")
            continue
        if item["source"] not in fb.sources:
            fb.report.error(where, f"audit mark names unknown source {item['source']!r}", "unknown-source")
            continue
        marks.append({**item, "used": False, "where": where})
    return marks


def _mark_for(marks: list[dict], figure: AuditFigure) -> dict | None:
    for mark in marks:
        if mark["source"] == figure.source and normalise(mark["figure"]) == normalise(figure.figure) and mark.get("line", figure.line) == figure.line:
            mark["used"] = True
            return mark
    return None


# -- findings and output -----------------------------------------------------------------------------------


def _report(fb: FactBase, audit: Audit) -> None:
    for f in audit.figures:
        if f.verdict == "contradicting" and f.reviewed_by is None:
            if f.conversion:
                message = f"source {f.source!r} {f.detail}: a wrong conversion no citation or review accounts for"
            else:
                fact = fb.facts[f.fact]
                message = (
                    f"figure {f.figure!r} in source {f.source!r} contradicts fact {f.fact!r} ({_fact_value(fb, fact)}) "
                    f"and is not reviewed: cite it (the disagreement is then shown), review it, or mark it in "
                    f"{fb.settings.facts_dir}/{AUDIT_FILE}"
                )
            fb.report.warning(f.location, message, "audit-contradiction")
        elif f.verdict == "agreeing" and not f.conversion and f.fact and not any(c.source == f.source for c in fb.facts[f.fact].citations):
            fb.report.note(
                f.location,
                f"figure {f.figure!r} agrees with fact {f.fact!r} but source {f.source!r} is not cited for it; "
                f"suggested citation: {{source: {f.source}, quote: {json.dumps(f.sentence, ensure_ascii=False)}}}",
                "audit-suggestion",
            )


def _fact_value(fb: FactBase, fact: Fact) -> str:
    from ..render.formatting import Formatter

    return Formatter(fb.settings).value(fact.value, fact.unit, fact.qualifier)


def format_audit(fb: FactBase, style: str = "text") -> str:
    """The audit as text (counts per source, then every figure that is not unrelated) or as JSON."""
    audit = fb.audit
    if audit is None:
        return json.dumps({"sources": {}, "figures": []}, indent=2) + "\n" if style == "json" else "no source has a verified snapshot: nothing to audit\n"
    if style == "json":
        return json.dumps(
            {"sources": audit.counts(), "figures": [asdict(f) for f in audit.figures]}, indent=2, ensure_ascii=False
        ) + "\n"
    lines = []
    for source_id, counts in audit.counts().items():
        lines.append(f"{source_id}: " + ", ".join(f"{counts[v]} {v}" for v in VERDICTS))
    lines.append("")
    for f in audit.figures:
        if f.verdict == "unrelated":
            continue
        extra = f" (reviewed: {f.reviewed_by})" if f.reviewed_by and f.verdict == "contradicting" else ""
        lines.append(f"{f.location}: {f.verdict}: {f.figure!r}" + (f" -> {f.fact}" if f.fact else "") + (f": {f.detail}" if f.detail else "") + extra)
    return "\n".join(lines) + "\n"
