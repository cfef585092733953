"""The fact base: every record of a project, where it came from, and what the checks derived."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Location, Report
from .records.positions import Locator
from .settings import Settings
from .records.models import Fact, Review, Source


@dataclass(frozen=True)
class Statement:
    """A figure as one citation (or the fact record itself) states it."""

    value: Any
    unit: str
    qualifier: str
    text: str  # the wording in the quote, or the formatted fact value
    citation: int | None  # index in the fact's citations; None for the fact record
    location: Location


@dataclass(frozen=True)
class Conflict:
    """A problem the checker found between sources: two statements that disagree, or a wrong conversion."""

    kind: str  # "values" or "conversion"
    fact: str
    first: Statement
    second: Statement
    message: str
    implied_rate: Any = None
    reference_rate: Any = None
    rate_fact: str | None = None


@dataclass
class Derived:
    """What the checking stage concluded about one fact."""

    status: str = "reported"
    reason: str = ""  # why, in readers' words ("confirmed: Kyodo News and Nikkei, independently")
    conflicts: list[Conflict] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # the independent origins of the citations that agree
    rejected: list[str] = field(default_factory=list)  # ids of reviews rated incorrect that answer a dissent


@dataclass
class FactBase:
    """All records of one root, in file order, with the report of every problem found so far."""

    root: Path
    settings: Settings
    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    topics: dict[str, list[str]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    derived: dict[str, Derived] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    invalid_ids: set[str] = field(default_factory=set)
    snapshots: Any = None  # check.snapshots.SnapshotStore, opened by the checks (the folder is a setting)
    audit: Any = None  # check.audit.Audit of every figure in every snapshot, when snapshots are available
    locator: Locator = None  # type: ignore[assignment]
    #: What the checks read off texts again and again, worked out once for this fact base (never shared between
    #: builds): each text's amounts (check.amounts.AmountReader) and each outlet name's key (check.origins.OriginKeys).
    amounts: Any = field(default=None, repr=False, compare=False)
    origin_keys: Any = field(default=None, repr=False, compare=False)
    _indexes: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # see cached_index

    def __post_init__(self) -> None:
        from .check.amounts import AmountReader
        from .check.origins import OriginKeys

        if self.locator is None:
            self.locator = Locator(self.root)
        if self.amounts is None:
            self.amounts = AmountReader()
        if self.origin_keys is None:
            self.origin_keys = OriginKeys()

    def where(self, record, *path: Any) -> Location:
        """Location of a field of a record (``path`` of keys and indexes below the record)."""
        return self.locator.locate(record.file, (record.index, *path))

    def status(self, fact_id: str) -> str:
        """The fact's status: editor-set, else derived by the checks."""
        fact = self.facts[fact_id]
        if fact.status:
            return fact.status
        return self.derived.get(fact_id, Derived()).status

    def status_reason(self, fact_id: str) -> str:
        """Why the fact has its status, as readers see it ("confirmed: Kyodo News and Nikkei, independently")."""
        derived = self.derived.get(fact_id)
        return derived.reason if derived is not None else ""

    def cached_index(self, name: str, make):
        """``make()``, made once while the records stay the same: one pass over them, not one per question
        (asked once per source, per page or per quote, a scan each would grow with the square of the fact base)."""
        key = (id(self.facts), len(self.facts), id(self.sources), len(self.sources), id(self.reviews), len(self.reviews))
        made = self._indexes.get(name)
        if made is None or made[0] != key:
            made = self._indexes[name] = (key, make())
        return made[1]

    def _grouped(self, name: str, records, keys) -> dict[str, list]:
        """``records`` in file order under each of their ``keys(record)``, as a cached index."""

        def make() -> dict[str, list]:
            index: dict[str, list] = {}
            for record in records:
                for key in keys(record):
                    index.setdefault(key, []).append(record)
            return index

        return self.cached_index(name, make)

    def cited_by(self, source_id: str) -> list[Fact]:
        """Facts with at least one citation of the source, in file order."""
        index = self._grouped("cited_by", self.facts.values(), lambda f: dict.fromkeys(c.source for c in f.citations))
        return list(index.get(source_id, ()))

    def reviews_of(self, fact_id: str) -> list[Review]:
        """The desk's reviews of the fact, in file order."""
        return list(self._grouped("reviews_of", self.reviews.values(), lambda r: (r.fact,)).get(fact_id, ()))

    def records(self) -> tuple[tuple[Fact, ...], tuple[Source, ...], tuple[Review, ...]]:
        """The facts, sources and reviews in file order, as tuples shared by every page that is rendered
        (a new list of every record for each page made rendering grow with the square of the fact base)."""
        return self.cached_index("records", lambda: (tuple(self.facts.values()), tuple(self.sources.values()), tuple(self.reviews.values())))

    def facts_of(self, topic: str) -> list[Fact]:
        return [self.facts[i] for i in self.topics.get(topic, [])]
