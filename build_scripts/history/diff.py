"""Fact-level changelog between two revisions: ``briefing diff BASE [HEAD]``.

Each side is a :class:`Snapshot`: the records of one revision as the check
pipeline sees them (statuses derived, values formatted as readers see them)
and the pages that show each fact. A revision is read from git (its fact
files, templates and settings exported with ``git archive`` and checked in a
temporary folder); the working tree is read in place. The difference lists
facts added, removed and changed (value, status, other fields, citations added
or removed), sources and fact checks changed, and the pages each change
touches. It prints as plain text or as Markdown for a pull-request comment.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..findings import BriefingError, visible
from ..units import rate_pair
from . import git

#: Template calls that place a fact on a page (``fig("id")``, ``names('id')``, ...).
FIGURE_CALL = re.compile(
    r"""\b(?:fig|names|date|text|label|link|period|value_text|fact|badge|converted)\(\s*(["'])([a-z0-9][a-z0-9-]*)\1"""
)
#: Pages that show every fact (the fact table) and every citation (the bibliography).
ALWAYS_PAGES = ("facts.md", "sources.md")
PAGE_SUFFIX = ".md.j2"
WORKING_TREE = "working tree"
#: Marks the pull-request comment, so that a workflow can update it instead of adding another.
COMMENT_MARKER = "<!-- briefing-diff -->"


# -- the state of one revision ------------------------------------------------------


@dataclass(frozen=True)
class CitationState:
    source: str
    quote: str
    locator: str | None = None
    states: str | None = None

    def text(self) -> str:
        where = f" ({self.locator})" if self.locator else ""
        states = f" [states {self.states}]" if self.states else ""
        return f"{self.source}: “{self.quote}”{where}{states}"


@dataclass(frozen=True)
class FactState:
    """A fact as one revision holds it."""

    id: str
    file: str
    order: int
    label: str
    unit: str
    qualifier: str
    value_key: Any  # compares equal when the value is the same number, date, names or text
    value_text: str  # as readers see it, qualifier and unit included
    as_of: str
    period: str | None
    note: str | None
    editor_status: str | None
    status: str | None  # None when the revision has errors and statuses were not derived
    citations: tuple[CitationState, ...]


@dataclass(frozen=True)
class RecordState:
    """A source or review as one revision holds it: its fields as text, in model order."""

    id: str
    file: str
    order: int
    title: str
    fields: tuple[tuple[str, str], ...]
    refers_to: tuple[str, ...] = ()  # a review's fact


@dataclass
class Snapshot:
    """Everything the diff needs from one revision."""

    name: str
    facts: dict[str, FactState] = field(default_factory=dict)
    sources: dict[str, RecordState] = field(default_factory=dict)
    reviews: dict[str, RecordState] = field(default_factory=dict)
    pages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # fact id -> pages placing it
    page_names: tuple[str, ...] = ()
    conversion_pages: tuple[str, ...] = ()  # pages converting amounts through a reference rate
    errors: tuple[str, ...] = ()  # findings that stopped records being read or checked


def _value_key(value: Any) -> Any:
    from ..records.models import Range

    if isinstance(value, Decimal):
        return ("number", value.normalize())
    if isinstance(value, Range):
        return ("range", value.low.normalize(), value.high.normalize())
    if isinstance(value, list):
        return ("names", tuple(value))
    if hasattr(value, "isoformat"):
        return ("date", value.isoformat())
    return ("text", str(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (str, bytes)):  # enums
        return str(value.value)
    return str(value)


def _page_refs(templates_dir: Path) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...], tuple[str, ...]]:
    """Which page templates name each fact id, the page names, and the pages that convert amounts."""
    refs: dict[str, set[str]] = {}
    names: list[str] = []
    conversions: list[str] = []
    if not templates_dir.is_dir():
        return {}, (), ()
    for path in sorted(templates_dir.glob(f"*{PAGE_SUFFIX}")):
        if path.name.startswith("_"):
            continue
        page = path.name[: -len(PAGE_SUFFIX)] + ".md"
        names.append(page)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for match in FIGURE_CALL.finditer(text):
            refs.setdefault(match.group(2), set()).add(page)
        if re.search(r"\bto\s*=\s*[\"'][A-Z]{3}[\"']", text):
            conversions.append(page)
    return {k: tuple(sorted(v)) for k, v in refs.items()}, tuple(names), tuple(conversions)


def snapshot_of(root: Path, name: str = WORKING_TREE) -> Snapshot:
    """Check the project at ``root`` and keep what the diff compares."""
    from ..pipeline import check_project
    from ..render.formatting import Formatter
    from ..settings import load_settings

    snap = Snapshot(name)
    try:
        settings = load_settings(root)
        fb = check_project(root)
    except BriefingError as exc:
        snap.errors = tuple(f.format() for f in exc.report) or (str(exc),)
        return snap
    snap.errors = tuple(f.format() for f in fb.report.errors)
    checked = not fb.report.errors
    formatter = Formatter(settings)
    for order, fact in enumerate(fb.facts.values()):
        try:
            shown = formatter.value(fact.value, fact.unit, fact.qualifier)
        except Exception:  # noqa: BLE001 - a value the formatter cannot show is still compared
            shown = _text(fact.value)
        snap.facts[fact.id] = FactState(
            id=fact.id,
            file=fact.file,
            order=order,
            label=fact.label,
            unit=fact.unit,
            qualifier=fact.qualifier.value,
            value_key=_value_key(fact.value),
            value_text=shown,
            as_of=fact.as_of.isoformat(),
            period=fact.period,
            note=fact.note,
            editor_status=fact.status,
            status=fb.status(fact.id) if checked else None,
            citations=tuple(
                CitationState(c.source, c.quote, c.locator, None if c.states is None else str(c.states)) for c in fact.citations
            ),
        )
    for order, source in enumerate(fb.sources.values()):
        fields = tuple((n, _text(getattr(source, n))) for n in type(source).model_fields if n != "id" and getattr(source, n) is not None)
        snap.sources[source.id] = RecordState(source.id, source.file, order, source.title, fields)
    for order, review in enumerate(fb.reviews.values()):
        fields = tuple((n, _text(getattr(review, n))) for n in type(review).model_fields if n != "id" and getattr(review, n) is not None)
        snap.reviews[review.id] = RecordState(review.id, review.file, order, review.claim, fields, (review.fact,))
    snap.pages, snap.page_names, snap.conversion_pages = _page_refs(root / settings.templates_dir)
    return snap


class SnapshotCache:
    """Snapshots of commits, by the objects they were made from (a commit never changes), kept by whoever
    reads the same history more than once: a preview server between its rebuilds (the Changes page)."""

    def __init__(self) -> None:
        self._snapshots: dict[tuple, Snapshot] = {}

    def get(self, key: tuple) -> Snapshot | None:
        return self._snapshots.get(key)

    def put(self, key: tuple, snapshot: Snapshot) -> None:
        self._snapshots[key] = snapshot


def snapshot_at(root: Path, rev: str, cache: SnapshotCache | None = None) -> Snapshot:
    """The snapshot of revision ``rev`` of the project at ``root`` (kept in ``cache``, if given, by content)."""
    from ..settings import load_settings

    sha = git.resolve(root, rev)
    try:
        settings = load_settings(root)
        parts = [settings.facts_dir, settings.templates_dir, "pyproject.toml"]
    except BriefingError:
        parts = ["facts", "templates", "pyproject.toml"]
    key = (str(root.resolve()), tuple(git.object_id(root, sha, p) for p in parts))
    snap = cache.get(key) if cache is not None else None
    if snap is None:
        tmp = Path(tempfile.mkdtemp(prefix="briefing-rev-"))
        try:
            snap = snapshot_of(git.export(root, sha, tmp / "project", parts))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if cache is not None:
            cache.put(key, snap)
    # named as the user named it ("origin/main 1a2b3c4"), or by its hash
    name = sha[:12] if sha.startswith(rev.lower()) else f"{rev} {sha[:7]}"
    return dataclasses.replace(snap, name=name)


def empty_snapshot(name: str = "nothing") -> Snapshot:
    return Snapshot(name)


# -- the difference ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None
    new: str | None


@dataclass
class FactChange:
    """One fact added, removed or changed, and the pages that show it."""

    id: str
    kind: str  # "added", "removed", "changed"
    old: FactState | None
    new: FactState | None
    fields: list[FieldChange] = field(default_factory=list)
    citations_added: list[CitationState] = field(default_factory=list)
    citations_removed: list[CitationState] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    @property
    def current(self) -> FactState:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def label(self) -> str:
        return self.current.label

    @property
    def file(self) -> str:
        return self.current.file

    def changed(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def value_changed(self) -> bool:
        return self.changed("value") is not None

    @property
    def status_change(self) -> FieldChange | None:
        return self.changed("status")

    @property
    def category(self) -> str:
        """How a fact-checking desk would file it: added, removed, retracted, corrected or updated.

        A new value for the same date (``as_of`` unchanged) corrects the record;
        a value for a later date, or new citations and wording, updates it.
        """
        if self.kind in ("added", "removed"):
            return self.kind
        if self.new is not None and self.new.editor_status == "retracted" and (self.old is None or self.old.editor_status != "retracted"):
            return "retracted"
        if self.value_changed and self.changed("as_of") is None:
            return "corrected"
        return "updated"


@dataclass
class RecordChange:
    """A source or a fact check added, removed or changed."""

    id: str
    kind: str
    old: RecordState | None
    new: RecordState | None
    fields: list[FieldChange] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return (self.new or self.old).title  # type: ignore[union-attr]

    @property
    def file(self) -> str:
        return (self.new or self.old).file  # type: ignore[union-attr]


@dataclass
class FactDiff:
    """The fact-level difference between two snapshots."""

    base: str
    head: str
    facts: list[FactChange] = field(default_factory=list)
    sources: list[RecordChange] = field(default_factory=list)
    reviews: list[RecordChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.facts or self.sources or self.reviews)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.facts if f.kind == kind)

    @property
    def status_changes(self) -> list[FactChange]:
        return [f for f in self.facts if f.status_change is not None]

    @property
    def pages(self) -> list[str]:
        """Every page some change touches."""
        return sorted({p for c in [*self.facts, *self.sources, *self.reviews] for p in c.pages})

    def summary(self) -> str:
        parts = []
        for kind in ("changed", "added", "removed"):
            n = self.count(kind)
            if n:
                parts.append(f"{n} fact{'s' * (n != 1)} {kind}")
        for label, changes in (("source", self.sources), ("fact check", self.reviews)):
            if changes:
                parts.append(f"{len(changes)} {label}{'s' * (len(changes) != 1)} changed")
        if not parts:
            return "no fact-level changes"
        return ", ".join(parts)


def _fields(old: FactState, new: FactState) -> list[FieldChange]:
    out = []
    if (old.value_key, old.unit, old.qualifier) != (new.value_key, new.unit, new.qualifier):
        out.append(FieldChange("value", old.value_text, new.value_text))
    if old.status != new.status and old.status is not None and new.status is not None:
        out.append(FieldChange("status", old.status, new.status))
    for name in ("label", "as_of", "period", "note"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(FieldChange(name, a, b))
    return out


def _fact_pages(fact_id: str, old: Snapshot, new: Snapshot, states: list[FactState]) -> list[str]:
    """The pages a change of the fact touches, on either side of the change.

    The pages whose templates name the fact, the fact table and bibliography
    always, the fact checks when a review is about it, the disagreements page
    when it is (or was) disputed, and, for a reference exchange rate, every page
    that converts amounts with it.
    """
    pages = set(ALWAYS_PAGES)
    is_rate = any(rate_pair(s.unit) for s in states)
    disputed = any(s.status == "disputed" for s in states)
    for snap in (old, new):
        pages.update(snap.pages.get(fact_id, ()))
        known = set(snap.page_names)
        if "fact-checks.md" in known and any(fact_id in r.refers_to for r in snap.reviews.values()):
            pages.add("fact-checks.md")
        if "disagreements.md" in known and disputed:
            pages.add("disagreements.md")
        if is_rate:
            pages.update(snap.conversion_pages)
    return sorted(pages)


def _record_fields(old: RecordState, new: RecordState) -> list[FieldChange]:
    a, b = dict(old.fields), dict(new.fields)
    names = list(dict.fromkeys([*a, *b]))
    return [FieldChange(n, a.get(n), b.get(n)) for n in names if a.get(n) != b.get(n)]


def compare(old: Snapshot, new: Snapshot) -> FactDiff:
    """The fact-level difference from ``old`` to ``new``."""
    diff = FactDiff(old.name, new.name)
    for snap in (old, new):
        if snap.errors:
            n = len(snap.errors)
            diff.notes.append(
                f"{snap.name} has {n} error{'s' * (n != 1)}: records that fail to load are left out and statuses are not compared"
            )
    order = [*sorted(new.facts.values(), key=lambda f: (f.file, f.order)), *sorted(
        (f for i, f in old.facts.items() if i not in new.facts), key=lambda f: (f.file, f.order))]
    for state in order:
        fid = state.id
        a, b = old.facts.get(fid), new.facts.get(fid)
        if a is None:
            change = FactChange(fid, "added", None, b, citations_added=list(b.citations))
        elif b is None:
            change = FactChange(fid, "removed", a, None, citations_removed=list(a.citations))
        else:
            fields = _fields(a, b)
            added = [c for c in b.citations if c not in a.citations]
            removed = [c for c in a.citations if c not in b.citations]
            if not (fields or added or removed):
                continue
            change = FactChange(fid, "changed", a, b, fields, added, removed)
        change.pages = _fact_pages(fid, old, new, [s for s in (a, b) if s is not None])
        diff.facts.append(change)

    def records(kind: str, before: dict[str, RecordState], after: dict[str, RecordState]) -> list[RecordChange]:
        out = []
        ids = [*after, *(i for i in before if i not in after)]
        for rid in ids:
            a, b = before.get(rid), after.get(rid)
            if a is None:
                change = RecordChange(rid, "added", None, b, _record_fields(RecordState(rid, "", 0, "", ()), b))
            elif b is None:
                change = RecordChange(rid, "removed", a, None)
            else:
                fields = _record_fields(a, b)
                if not fields:
                    continue
                change = RecordChange(rid, "changed", a, b, fields)
            if kind == "source":
                pages = set(ALWAYS_PAGES)
                for snap in (old, new):
                    for f in snap.facts.values():
                        if any(c.source == rid for c in f.citations):
                            pages.update(snap.pages.get(f.id, ()))
                change.pages = sorted(pages)
            else:
                change.pages = ["fact-checks.md"]
            out.append(change)
        return out

    diff.sources = records("source", old.sources, new.sources)
    diff.reviews = records("review", old.reviews, new.reviews)
    return diff


def diff_revisions(root: Path, base: str, head: str | None = None, merge_base: bool = False) -> FactDiff:
    """The fact-level difference between revision ``base`` and ``head`` (default: the working tree).

    With ``merge_base``, ``base`` is replaced by the commit where ``head``
    (or ``HEAD`` for the working tree) branched off it: what a pull request changes.
    """
    root = root.resolve()
    if not git.is_repository(root):
        raise git.GitError(f"{root} is not in a git repository; `briefing diff` compares git revisions")
    if merge_base:
        base = git.merge_base(root, base, head or "HEAD")
    old = snapshot_at(root, base)
    new = snapshot_at(root, head) if head else snapshot_of(root)
    return compare(old, new)


# -- output --------------------------------------------------------------------------

_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def format_text(diff: FactDiff) -> str:
    """A plain-text changelog for the terminal."""
    lines = [f"Fact changes from {diff.base} to {diff.head}: {diff.summary()}"]
    lines += [f"note: {n}" for n in diff.notes]
    for change in diff.facts:
        lines.append("")
        lines.append(f"{_SIGN[change.kind]} {change.id}  {change.label}  ({change.file})")
        if change.kind == "added":
            lines.append(f"    value: {change.new.value_text}")
            if change.new.status:
                lines.append(f"    status: {change.new.status}")
        elif change.kind == "removed":
            lines.append(f"    value was: {change.old.value_text}")
        for f in change.fields:
            lines.append(f"    {f.name}: {_short(f.old)} → {_short(f.new)}")
        for c in change.citations_added if change.kind != "removed" else ():
            lines.append(f"    + citation {c.text()}")
        for c in change.citations_removed if change.kind != "removed" else ():
            lines.append(f"    - citation {c.text()}")
        lines.append(f"    pages: {', '.join(change.pages)}")
    for title, changes in (("source", diff.sources), ("fact check", diff.reviews)):
        for change in changes:
            lines.append("")
            lines.append(f"{_SIGN[change.kind]} {title} {change.id}  {change.title}  ({change.file})")
            for f in change.fields if change.kind == "changed" else ():
                lines.append(f"    {f.name}: {_short(f.old)} → {_short(f.new)}")
            lines.append(f"    pages: {', '.join(change.pages)}")
    return "\n".join(visible(line) for line in lines) + "\n"


def _short(text: str | None, limit: int = 200) -> str:
    if text is None or text == "":
        return "(none)"
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def md(text: str | None) -> str:
    """Record text made inert for a pull-request comment: a code span, in which GitHub-flavoured Markdown
    reads no HTML, emphasis, image, link, autolinked address or @mention (backslash escapes leave the
    autolinking of addresses such as ``a@b.com`` live). Line breaks become spaces."""
    if text is None or text == "":
        return "*(none)*"
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def format_markdown(diff: FactDiff) -> str:
    """The changelog as a pull-request comment (GitHub-flavoured Markdown)."""
    out = [COMMENT_MARKER, f"### Fact changes: `{diff.base}` → `{diff.head}`", ""]
    if diff.empty:
        out.append("No fact-level changes: no fact, source or fact check was added, removed or changed.")
    else:
        status = len(diff.status_changes)
        extra = f" **{status} status change{'s' * (status != 1)}.**" if status else ""
        out.append(f"**{diff.summary().capitalize()}.**{extra}")
        if diff.pages:
            out.append("")
            out.append("Pages touched: " + ", ".join(md(p) for p in diff.pages))
    for n in diff.notes:
        out += ["", f"> [!WARNING]\n> {md(n)}"]
    groups = [("Changed facts", "changed"), ("Added facts", "added"), ("Removed facts", "removed")]
    for heading, kind in groups:
        changes = [c for c in diff.facts if c.kind == kind]
        if not changes:
            continue
        out += ["", f"#### {heading}", ""]
        for change in changes:
            out.append(f"- **`{change.id}`** {md(change.label)} ({md(change.file)})")
            if kind == "added":
                out.append(f"  - value: **{md(change.new.value_text)}**")
                if change.new.status:
                    out.append(f"  - status: **{change.new.status}**")
                out.append(f"  - citations: {len(change.new.citations)}")
            elif kind == "removed":
                out.append(f"  - value was: ~~{md(change.old.value_text)}~~")
            for f in change.fields:
                out.append(f"  - {f.name}: {md(f.old)} → **{md(f.new)}**")
            if kind == "changed":
                for c in change.citations_added:
                    out.append(f"  - citation added: `{c.source}` “{md(c.quote)}”")
                for c in change.citations_removed:
                    out.append(f"  - citation removed: `{c.source}` ~~“{md(c.quote)}”~~")
            out.append(f"  - pages: {', '.join(md(p) for p in change.pages)}")
    for heading, changes in (("Sources", diff.sources), ("Fact checks", diff.reviews)):
        if not changes:
            continue
        out += ["", f"#### {heading}", ""]
        for change in changes:
            out.append(f"- {change.kind}: **`{change.id}`** {md(change.title)} ({md(change.file)})")
            for f in change.fields if change.kind == "changed" else ():
                out.append(f"  - {f.name}: {md(f.old)} → **{md(f.new)}**")
            out.append(f"  - pages: {', '.join(md(p) for p in change.pages)}")
    out += ["", "<sub>Generated by <code>briefing diff</code>; statuses are derived by the checker on each revision.</sub>"]
    return "\n".join(visible(line) for line in out) + "\n"
