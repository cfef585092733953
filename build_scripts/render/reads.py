"""What each page reads from the fact base, and which pages an edit of the records touches.

``briefing serve`` renders again only the pages an edit can change. Which
records a page reads is recorded while it renders, not guessed from its
template's text: the page is rendered against a :class:`ReadingFactBase`, a
view of the checked fact base that notes every record asked for by id
(``fig("id")``, ``fb.sources[id]``), every topic listed (``fb.facts_of``) and
every whole collection walked (``fb.facts.values()``). Anything else the view
is asked for (the checks' conflicts, the audit, an index over every record...)
counts as reading everything. The names the template context holds as values
made before the page renders (``facts``, ``sources``, ``reviews``, ``topics``,
``last_updated``, ``changes``) are found in the template and everything it
imports or includes with Jinja's own parser (:mod:`jinja2.meta`); a template
that names another template by an expression reads everything.

:func:`record_changes` compares two checked fact bases: a fact changed when its
record, its place (file, position, topic) or what the checks concluded about
it (status, reason, conflicts, origins) differs; a source or review when its
record does; a file when its bytes do (the lines links to the repository
point at). :meth:`Reads.touched_by` says whether a page read any of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

#: Names of the template context made from every record before a page renders, and what they stand for:
#: the kinds of record they list ("everything" where they also carry the history or the dates of all).
CONTEXT_READS = {
    "facts": ("facts",),
    "sources": ("sources",),
    "reviews": ("reviews",),
    "topics": ("facts",),
    "last_updated": ("facts", "sources", "reviews"),
    "changes": ("everything",),
}
KINDS = ("facts", "sources", "reviews")


@dataclass
class Reads:
    """What one page read: records by id, topics, facts citing a source, reviews of a fact, files' lines,
    whole collections (``kinds``), or everything."""

    facts: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    reviews: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    cited: set[str] = field(default_factory=set)  # source ids: the facts citing them
    reviewed: set[str] = field(default_factory=set)  # fact ids: the reviews of them
    files: set[str] = field(default_factory=set)  # record files whose line numbers the page shows
    kinds: set[str] = field(default_factory=set)  # "facts", "sources", "reviews": every record of the kind
    everything: bool = False

    def touched_by(self, changes: "Changes") -> bool:
        """Whether the page may read differently after ``changes``."""
        if not changes:
            return False
        if self.everything:
            return True
        return bool(
            ("facts" in self.kinds and changes.facts)
            or ("sources" in self.kinds and changes.sources)
            or ("reviews" in self.kinds and changes.reviews)
            or self.facts & changes.facts
            or self.sources & changes.sources
            or self.reviews & changes.reviews
            or self.topics & changes.topics
            or self.cited & changes.cited
            or self.reviewed & changes.reviewed
            or self.files & changes.files
        )


@dataclass
class Changes:
    """What differs between two checked fact bases of the same project."""

    facts: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    reviews: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)  # topics of the changed facts, before and after
    cited: set[str] = field(default_factory=set)  # sources cited by a changed fact, before or after
    reviewed: set[str] = field(default_factory=set)  # facts a changed review is about, before or after
    files: set[str] = field(default_factory=set)  # record files whose bytes changed (or appeared, or went)

    def __bool__(self) -> bool:
        return bool(self.facts or self.sources or self.reviews or self.files)


def file_hashes(root: Path, folder: Path) -> dict[str, str]:
    """A digest of every file below ``folder``, by its path relative to ``root`` (as records name their file)."""
    hashes = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file():
            hashes[path.relative_to(root).as_posix()] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return hashes


def _fact_state(fb, fact_id: str):
    fact = fb.facts.get(fact_id)
    if fact is None:
        return None
    # what the page shows of a fact: its record, where it is, and what the checks concluded
    return (fact, fact.file, fact.index, fact.topic, fb.derived.get(fact_id))


def _record_state(records: dict, record_id: str):
    record = records.get(record_id)
    return None if record is None else (record, record.file, record.index)


def record_changes(old, new, old_files: dict[str, str], new_files: dict[str, str]) -> Changes:
    """What differs from the checked fact base ``old`` to ``new`` (``*_files``: :func:`file_hashes` of each)."""
    changes = Changes()
    for fact_id in new.facts.keys() | old.facts.keys():
        if _fact_state(old, fact_id) != _fact_state(new, fact_id):
            changes.facts.add(fact_id)
            for fb in (old, new):
                fact = fb.facts.get(fact_id)
                if fact is not None:
                    changes.topics.add(fact.topic)
                    changes.cited.update(c.source for c in fact.citations)
    for source_id in new.sources.keys() | old.sources.keys():
        if _record_state(old.sources, source_id) != _record_state(new.sources, source_id):
            changes.sources.add(source_id)
    for review_id in new.reviews.keys() | old.reviews.keys():
        if _record_state(old.reviews, review_id) != _record_state(new.reviews, review_id):
            changes.reviews.add(review_id)
            for fb in (old, new):
                review = fb.reviews.get(review_id)
                if review is not None:
                    changes.reviewed.add(review.fact)
    changes.files = {path for path in old_files.keys() | new_files.keys() if old_files.get(path) != new_files.get(path)}
    return changes


class _ReadingMapping(Mapping):
    """A mapping of records by id that notes each id asked for, and the whole kind when it is walked."""

    def __init__(self, records: dict, ids: set[str], note_kind) -> None:
        self._records = records
        self._ids = ids
        self._note_kind = note_kind

    def __getitem__(self, key):
        self._ids.add(key)
        return self._records[key]

    def get(self, key, default=None):
        self._ids.add(key)
        return self._records.get(key, default)

    def __contains__(self, key) -> bool:
        self._ids.add(key)
        return key in self._records

    def __iter__(self):
        self._note_kind()
        return iter(self._records)

    def __len__(self) -> int:
        self._note_kind()
        return len(self._records)


class ReadingFactBase:
    """A checked fact base as the pages read it, noting what the page being rendered reads (:meth:`reading`).

    The methods the templates and figure functions use to ask for records by id or by topic are noted
    precisely; any other attribute counts as reading everything. Outside :meth:`reading` nothing is noted.
    """

    #: Attributes that do not depend on the records.
    PLAIN = frozenset({"root", "settings"})

    def __init__(self, fb) -> None:
        self._fb = fb
        self._reads: Reads | None = None

    @contextmanager
    def reading(self, reads: Reads):
        """Note into ``reads`` what is read inside the ``with`` block."""
        self._reads = reads
        try:
            yield reads
        finally:
            self._reads = None

    def _note(self, what: str, key=None) -> None:
        reads = self._reads
        if reads is None:
            return
        if what == "everything":
            reads.everything = True
        elif key is None:
            reads.kinds.add(what)
        else:
            getattr(reads, what).add(key)

    def _mapping(self, kind: str, records: dict):
        reads = self._reads
        if reads is None:
            return records
        return _ReadingMapping(records, getattr(reads, kind), lambda: reads.kinds.add(kind))

    # -- records by id ------------------------------------------------------------
    @property
    def facts(self):
        return self._mapping("facts", self._fb.facts)

    @property
    def sources(self):
        return self._mapping("sources", self._fb.sources)

    @property
    def reviews(self):
        return self._mapping("reviews", self._fb.reviews)

    @property
    def derived(self):
        # what the checks concluded about a fact is part of that fact's state (record_changes)
        return self._mapping("facts", self._fb.derived)

    def status(self, fact_id: str) -> str:
        self._note("facts", fact_id)
        return self._fb.status(fact_id)

    def status_reason(self, fact_id: str) -> str:
        self._note("facts", fact_id)
        return self._fb.status_reason(fact_id)

    def where(self, record, *path):
        self._note("files", record.file)
        return self._fb.where(record, *path)

    def cited_by(self, source_id: str):
        self._note("cited", source_id)
        return self._fb.cited_by(source_id)

    def reviews_of(self, fact_id: str):
        self._note("reviewed", fact_id)
        return self._fb.reviews_of(fact_id)

    def facts_of(self, topic: str):
        self._note("topics", topic)
        return self._fb.facts_of(topic)

    # -- every record -------------------------------------------------------------
    @property
    def topics(self):
        self._note("facts")
        return self._fb.topics

    def records(self):
        for kind in KINDS:
            self._note(kind)
        return self._fb.records()

    def cached_index(self, name: str, make):
        # an index over every record, made once per fact base: whichever page asks first makes it
        for kind in KINDS:
            self._note(kind)
        return self._fb.cached_index(name, make)

    def __getattr__(self, name: str):
        # (only for what the view does not define: a value kept on it for the build, such as the change log,
        # is found before this is asked)
        if name in ("_fb", "_reads"):  # not made yet (a copy): no recursion through _note
            raise AttributeError(name)
        if name not in self.PLAIN:
            self._note("everything")
        return getattr(self._fb, name)


def template_reads(env: jinja2.Environment, name: str) -> Reads:
    """What the template ``name`` and the templates it imports, includes or extends read from the context
    names made before a page renders (:data:`CONTEXT_READS`); a template named by an expression reads everything."""
    reads = Reads()
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, _, _ = env.loader.get_source(env, current)
            ast = env.parse(source, current)
        except jinja2.TemplateError:
            # a template the render may never load ("ignore missing", an include in a branch not taken)
            # or cannot read: the render reports what it meets; here the page reads everything
            reads.everything = True
            continue
        for var in jinja2.meta.find_undeclared_variables(ast):
            for kind in CONTEXT_READS.get(var, ()):
                if kind == "everything":
                    reads.everything = True
                else:
                    reads.kinds.add(kind)
        for ref in jinja2.meta.find_referenced_templates(ast):
            if ref is None:
                reads.everything = True
            else:
                todo.append(ref)
    return reads


def merged(*parts: Reads) -> Reads:
    """One page's reads from several notes (what its template names, what it asked for while rendering)."""
    out = Reads()
    for part in parts:
        for name in ("facts", "sources", "reviews", "topics", "cited", "reviewed", "files", "kinds"):
            getattr(out, name).update(getattr(part, name))
        out.everything = out.everything or part.everything
    return out
