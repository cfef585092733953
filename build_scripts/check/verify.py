"""Quotes verified in their source: every quote, and every review's claim, found in its source's snapshot.

With a snapshot folder, each source record's ``snapshot`` hash is looked up
there; each quote is compared after :func:`snapshots.normalise` (white space,
quote marks, dashes). A quote not there is an error at the quote, naming the
closest passage of the snapshot and its line. Sources that cannot be verified
(no hash, no folder, no file with that hash) are listed in one warning.
"""

from __future__ import annotations

from ..factbase import FactBase
from ..findings import Location
from ..records.models import SOURCES_FILE
from .snapshots import Snapshot, open_store


def snapshot_of(fb: FactBase, source_id: str) -> Snapshot | None:
    """The verified snapshot of a source, or None (no hash, no folder, or no file with that hash)."""
    source = fb.sources.get(source_id)
    store = fb.snapshots
    if source is None or not source.snapshot or store is None or not store.available:
        return None
    return store.get(source.snapshot)


def verify_quotes(fb: FactBase) -> None:
    """Check every source's snapshot hash and every quote and claim against its snapshot."""
    if fb.snapshots is None:
        fb.snapshots = open_store(fb.root, fb.settings.snapshots)
    store = fb.snapshots
    sources_file = f"{fb.settings.facts_dir}/{SOURCES_FILE}"
    unverified: list[str] = []
    for source in fb.sources.values():
        if not source.snapshot or not store.available:
            unverified.append(source.id)
            continue
        if store.get(source.snapshot) is not None:
            continue
        bad = store.unreadable(source.snapshot)
        if bad is not None:
            fb.report.error(
                fb.where(source, "snapshot"),
                f"snapshot of source {source.id!r} ({bad}) is not UTF-8 text: store the document again with "
                f"'briefing source add {source.id} FILE'",
                "snapshot-unreadable",
            )
            continue
        changed = (store.named(source.document) if source.document else None) or store.claimed_by_name(source.snapshot)
        if changed is not None:
            fb.report.error(
                fb.where(source, "snapshot"),
                f"snapshot of source {source.id!r} does not match: {changed} has a different hash from the record's "
                f"{source.snapshot} (the text changed; run 'briefing source add {source.id} FILE' to record the new text)",
                "snapshot-mismatch",
            )
        else:
            unverified.append(source.id)
    # A project that records no snapshot hash at all does not keep snapshots (a synthetic project, a
    # fixture): it is not told so on every run. As soon as one source records a hash, every source
    # without a usable snapshot (no hash, no folder, no file with that hash) is listed.
    uses_snapshots = any(s.snapshot for s in fb.sources.values())
    if unverified and uses_snapshots:
        n = len(unverified)
        why = f" ({store.problem})" if store.problem else "" if store.folder else " (no snapshot folder: pass --snapshots DIR or set BRIEFING_SNAPSHOTS)"
        fb.report.warning(
            Location(sources_file),
            f"{n} source{'s' * (n != 1)} not verified: no snapshot{why}: {', '.join(unverified)}",
            "no-snapshot",
        )
    for fact in fb.facts.values():
        for i, citation in enumerate(fact.citations):
            _verify(fb, citation.source, citation.quote, lambda: fb.where(fact, "citations", i, "quote"), "quote")
    for review in fb.reviews.values():
        _verify(fb, review.source, review.claim, lambda: fb.where(review, "claim"), "claim")


def _verify(fb: FactBase, source_id: str, text: str, where, what: str) -> None:
    snapshot = snapshot_of(fb, source_id)
    if snapshot is None or snapshot.find(text) is not None:
        return
    passage, line = snapshot.closest(text)
    shown = passage if len(passage) <= 240 else passage[:237] + "..."
    fb.report.error(
        where(),
        f"{what} not found in the snapshot of source {source_id!r} ({snapshot.path.name}); "
        f"closest passage, line {line}: {shown!r}",
        "quote-not-in-source",
        related=[Location(display_path(fb, snapshot), line, 1)],
    )


def display_path(fb: FactBase, snapshot: Snapshot) -> str:
    """The snapshot's path as findings show it: relative to the root when it can be."""
    import os

    try:
        return os.path.relpath(snapshot.path, fb.root)
    except ValueError:  # another drive
        return str(snapshot.path)
