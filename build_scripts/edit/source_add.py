"""``briefing source add ID FILE|URL``: store a source's text as a snapshot and record its hash.

The text is read from a file, or fetched from a web address only when one is
given here (checks and builds never fetch anything). An HTML page is reduced to
its main text by trafilatura; any other text is stored as it is. The snapshot
is written into the snapshot folder under its content hash, and the source
record in ``facts/sources.yaml`` gets ``snapshot: sha256:<hex>`` (comments, key
order and layout kept, as ``briefing fmt`` writes them).
"""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

from ..check.snapshots import extract_text, snapshot_folder, store_text
from ..findings import BriefingError, Location, Report
from ..records.models import SOURCES_FILE

#: Bytes read at most from a file or an address: a news article is far smaller.
MAX_DOCUMENT = 20 * 1024 * 1024


def read_document(target: str, timeout: float = 30.0) -> tuple[bytes, str]:
    """The bytes of a file, or of a web page (http/https), and the name that tells HTML from text."""
    if target.startswith(("http://", "https://")):
        request = urllib.request.Request(target, headers={"User-Agent": "briefing-source-add"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked above)
            data = response.read(MAX_DOCUMENT + 1)
            kind = response.headers.get_content_type()
        name = "page.html" if kind in ("text/html", "application/xhtml+xml") else target.rsplit("/", 1)[-1]
    else:
        path = Path(target)
        data = path.read_bytes()[: MAX_DOCUMENT + 1]
        name = path.name
    if len(data) > MAX_DOCUMENT:
        raise ValueError(f"document larger than {MAX_DOCUMENT // (1024 * 1024)} MB")
    return data, name


def add_source(root: Path, source_id: str, target: str, snapshots: str | None, setting: str | None) -> tuple[str, Path]:
    """Store ``target``'s text as the snapshot of source ``source_id``; returns (hash, snapshot file).

    Raises :class:`BriefingError` with a located finding on any problem, changing nothing.
    """
    from .fmt import FormatError, _round_trip_yaml, canonical

    report = Report()
    rel = f"{_facts_dir(root)}/{SOURCES_FILE}"
    folder = snapshot_folder(root, setting, snapshots)
    if folder is None:
        report.error(Location(rel), "no snapshot folder: pass --snapshots DIR, set BRIEFING_SNAPSHOTS or [tool.briefing] snapshots", "no-snapshot-folder")
        raise BriefingError("no snapshot folder", report)
    try:
        data, name = read_document(target)
        text = extract_text(data, name)
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        report.error(Location(target if not target.startswith("http") else rel), f"cannot read {target}: {exc}", "source-add")
        raise BriefingError(f"cannot read {target}", report) from None
    path = root / rel
    yaml = _round_trip_yaml()
    try:
        records = yaml.load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # any problem of the file is reported by `briefing check`; here it only stops the edit
        report.error(Location(rel), f"cannot read the sources file: {exc}", "source-add")
        raise BriefingError("cannot read the sources file", report) from None
    record = next((r for r in records or [] if isinstance(r, dict) and r.get("id") == source_id), None)
    if record is None:
        report.error(Location(rel), f"no source {source_id!r} in {rel}: add its record (id, title, publisher, kind, accessed) first", "unknown-source")
        raise BriefingError(f"unknown source {source_id!r}", report)
    snapshot_hash, file = store_text(folder, text)
    if "snapshot" in record:
        record["snapshot"] = snapshot_hash
    else:
        keys = list(record)
        at = keys.index("accessed") + 1 if "accessed" in keys else len(keys)
        # never after the last key: the comments above the next record belong to it in the round-trip tree
        record.insert(min(at, len(keys) - 1), "snapshot", snapshot_hash)
    buffer = io.StringIO()
    yaml.dump(records, buffer)
    try:
        out = canonical(buffer.getvalue())
    except FormatError as exc:
        report.error(Location(rel, exc.line, exc.col), exc.message, "source-add")
        raise BriefingError("cannot write the sources file", report) from None
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(out, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return snapshot_hash, file


def _facts_dir(root: Path) -> str:
    from ..settings import load_settings

    return load_settings(root).facts_dir
