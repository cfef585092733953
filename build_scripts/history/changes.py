"""The data of the Changes page: fact-level corrections and updates, from the git history of ``facts/``.

Fact-checking desks publish their corrections. Each commit on the main line
(first parents only, so a merged pull request is one change) that touched the
fact records is compared with the one before it by the machinery of
``briefing diff``, and its fact-level changes are listed with the commit's
date, newest first. Commits whose records had errors could never have been
published, so they are skipped and the next good commit is compared with the
last good one.

A copy of the project without git history (a release tarball) still builds:
the page then says the history is not available.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import BriefingError
from . import git
from .diff import CitationState, FactChange, RecordChange, Snapshot, SnapshotCache, compare, snapshot_at

#: At most this many commits are read; older changes stay in the repository's history.
MAX_COMMITS = 200

NO_HISTORY = (
    "This copy of the briefing was built without its version history (for example from a release archive), "
    "so the record of changes cannot be shown here. The project's repository holds the full history."
)


@dataclass
class FactEntry:
    """One fact's change in one revision, as the Changes page shows it."""

    id: str
    label: str
    category: str  # added, removed, retracted, corrected, updated
    exists: bool  # the fact is in the current records (its permalink works)
    old_value: str | None = None
    new_value: str | None = None
    old_status: str | None = None
    new_status: str | None = None
    old_as_of: dt.date | None = None
    new_as_of: dt.date | None = None
    note: str | None = None
    citations_added: list[CitationState] = field(default_factory=list)
    citations_removed: list[CitationState] = field(default_factory=list)
    citations_revised: list[CitationState] = field(default_factory=list)  # same source, quote or locator edited
    reworded: list[str] = field(default_factory=list)  # other fields changed: label, period, note

    @property
    def value_changed(self) -> bool:
        return self.old_value is not None and self.new_value is not None and self.old_value != self.new_value

    @property
    def status_changed(self) -> bool:
        return self.old_status is not None and self.new_status is not None and self.old_status != self.new_status


@dataclass
class RecordEntry:
    """A source or a fact check added, removed or changed in one revision."""

    id: str
    title: str
    kind: str  # added, removed, changed
    exists: bool
    fields: list[str] = field(default_factory=list)
    old_rating: str | None = None
    new_rating: str | None = None
    source: str | None = None  # a fact check's claim is quoted from this source


@dataclass
class Revision:
    """The changes one commit published."""

    sha: str
    short: str
    date: dt.date
    first: bool = False  # the first publication of the records: nothing to compare with
    facts: list[FactEntry] = field(default_factory=list)
    sources: list[RecordEntry] = field(default_factory=list)
    reviews: list[RecordEntry] = field(default_factory=list)

    @property
    def corrections(self) -> list[FactEntry]:
        return [f for f in self.facts if f.category in ("corrected", "retracted")]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _fact_entry(change: FactChange, current: set[str]) -> FactEntry:
    old, new = change.old, change.new
    entry = FactEntry(
        id=change.id,
        label=change.label,
        category=change.category,
        exists=change.id in current,
        old_value=old.value_text if old else None,
        new_value=new.value_text if new else None,
        old_status=old.status if old else None,
        new_status=new.status if new else None,
        old_as_of=_date(old.as_of) if old else None,
        new_as_of=_date(new.as_of) if new else None,
        note=new.note if new and change.category in ("retracted", "corrected") else None,
        citations_added=change.citations_added if change.kind == "changed" else [],
        citations_removed=change.citations_removed if change.kind == "changed" else [],
        reworded=[f.name for f in change.fields if f.name in ("label", "period", "note")],
    )
    # a quote corrected in place is one citation revised, not one dropped and one added
    removed_sources = {c.source for c in entry.citations_removed}
    revised = {c.source for c in entry.citations_added if c.source in removed_sources}
    entry.citations_revised = [c for c in entry.citations_added if c.source in revised]
    entry.citations_added = [c for c in entry.citations_added if c.source not in revised]
    entry.citations_removed = [c for c in entry.citations_removed if c.source not in revised]
    return entry


def _record_entry(change: RecordChange, current: set[str]) -> RecordEntry:
    entry = RecordEntry(change.id, change.title, change.kind, change.id in current, [f.name for f in change.fields])
    entry.source = dict((change.new or change.old).fields).get("source")  # type: ignore[union-attr]
    rating = next((f for f in change.fields if f.name == "rating"), None)
    if rating is not None and change.kind == "changed":
        entry.old_rating, entry.new_rating = rating.old, rating.new
    return entry


def _revision(commit: git.Commit, old: Snapshot | None, new: Snapshot, current: dict[str, set[str]]) -> Revision | None:
    rev = Revision(commit.sha, commit.short, dt.date.fromisoformat(commit.date[:10]), first=old is None)
    if old is None:
        return rev if (new.facts or new.sources) else None
    diff = compare(old, new)
    if diff.empty:
        return None
    rev.facts = [_fact_entry(c, current["facts"]) for c in diff.facts]
    rev.sources = [_record_entry(c, current["sources"]) for c in diff.sources]
    rev.reviews = [_record_entry(c, current["reviews"]) for c in diff.reviews]
    return rev


class ChangeLog:
    """The revisions that changed the fact records, newest first; computed on first use, then kept."""

    def __init__(
        self, root: Path, facts_dir: str = "facts", current: dict[str, set[str]] | None = None, cache: SnapshotCache | None = None
    ) -> None:
        self.root = root
        self.facts_dir = facts_dir
        self.current = current  # ids of the records being built: "facts", "sources", "reviews"
        # one snapshot per commit: _base_before may read a commit the log read; a preview keeps them between builds
        self.cache = cache if cache is not None else SnapshotCache()
        self._revisions: list[Revision] | None = None
        self._reason = ""
        self._detail = ""  # git's own message, shown as code (it may hold paths and numbers)
        self._truncated = False

    def _load(self) -> None:
        if self._revisions is not None:
            return
        self._revisions = []
        try:
            self._revisions = self._compute()
        except BriefingError as exc:  # git failed: say so rather than publish a partial record
            self._revisions = []
            self._reason = "The record of changes could not be read from the version history. Git said:"
            self._detail = str(exc)

    def _compute(self) -> list[Revision]:
        root = self.root
        if not git.is_repository(root) or not git.has_commits(root):
            self._reason = NO_HISTORY
            return []
        listed = git.log(root, [self.facts_dir], max_count=MAX_COMMITS + 1)
        self._truncated = len(listed) > MAX_COMMITS
        commits = listed[:MAX_COMMITS]
        if not commits:
            return []
        good = [(c, s) for c, s in ((c, snapshot_at(root, c.sha, self.cache)) for c in commits) if not s.errors]
        if not good:
            return []
        newest = good[0][1]
        current = self.current or {"facts": set(newest.facts), "sources": set(newest.sources), "reviews": set(newest.reviews)}
        revisions: list[Revision] = []
        for i, (commit, snap) in enumerate(good):
            if i + 1 < len(good):
                old: Snapshot | None = good[i + 1][1]
            else:
                found, old = self._base_before(commits[-1])
                if not found:
                    self._truncated = True  # what came before is not in the history read
                    continue
            rev = _revision(commit, old, snap, current)
            if rev is not None:
                revisions.append(rev)
        return revisions

    def _base_before(self, commit: git.Commit, search: int = 20) -> tuple[bool, Snapshot | None]:
        """The last good snapshot before ``commit``: ``(True, None)`` when the records start at ``commit``.

        ``(False, None)`` when it cannot be known: a shallow clone, or only broken revisions within reach.
        """
        shallow = git.git(self.root, "rev-parse", "--is-shallow-repository").strip() == "true"
        older = git.log(self.root, [self.facts_dir], max_count=search, rev=f"{commit.sha}^") if commit.parents else []
        for c in older:
            snap = snapshot_at(self.root, c.sha, self.cache)
            if not snap.errors:
                return True, snap
        if shallow or len(older) == search:
            return False, None
        return True, None  # nothing good before it: the first publication

    @property
    def available(self) -> bool:
        """Whether the history could be read (false when building from a copy without git history)."""
        self._load()
        return not self._reason

    @property
    def reason(self) -> str:
        """Why the history is not shown, in words for readers; empty when it is."""
        self._load()
        return self._reason

    @property
    def detail(self) -> str:
        """Git's message when it failed (for the page, as code); empty otherwise."""
        self._load()
        return self._detail

    @property
    def revisions(self) -> list[Revision]:
        self._load()
        return list(self._revisions or [])

    @property
    def truncated(self) -> bool:
        """Whether older changes exist than the ones listed (history limit, or a shallow clone)."""
        self._load()
        return self._truncated

    def __iter__(self):
        return iter(self.revisions)

    def __len__(self) -> int:
        return len(self.revisions)

    def __bool__(self) -> bool:
        return bool(self.revisions)


def change_log(fb, cache: SnapshotCache | None = None) -> ChangeLog:
    """The change log of a fact base's project, made once per fact base (that is, once per build); ``cache``
    keeps the snapshots of commits between builds (a preview server's)."""
    log = getattr(fb, "_change_log", None)
    if log is None:
        current = {"facts": set(fb.facts), "sources": set(fb.sources), "reviews": set(fb.reviews)}
        log = ChangeLog(fb.root, fb.settings.facts_dir, current, cache)
        fb._change_log = log
    return log
