"""Source snapshots: the stored text of each source document, found by the hash of its content.

A snapshot folder holds plain UTF-8 text files; their names do not matter. A
source record names its text by ``snapshot: sha256:<hex>``, the SHA-256 of the
file's bytes. The folder may lie outside the repository (news articles are not
ours to republish): the repository commits hashes, never article text.

The folder is given by ``--snapshots DIR`` (on ``check``, ``build`` and
``source add``), else by the ``BRIEFING_SNAPSHOTS`` environment variable, else
by ``snapshots`` under ``[tool.briefing]``; a relative path is read from the
project root.

Quotes are compared with a snapshot after one documented normalisation
(:func:`normalise`), applied to both: runs of white space become one space,
curly quotes become straight ones, dashes become a hyphen. Nothing more: case,
accents, punctuation and spelling must match.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

#: The environment variable naming the snapshot folder.
ENV = "BRIEFING_SNAPSHOTS"
#: Files larger than this are not snapshots (a folder given by mistake could hold anything).
MAX_BYTES = 20 * 1024 * 1024
_HEX = re.compile(r"[0-9a-f]{64}")

# Single and double curly quotes (and their low and reversed forms, primes) to straight ones; every
# Unicode dash and the minus sign to a hyphen-minus. The table is the whole normalisation, with \s+.
_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"} | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_TABLE = str.maketrans(_QUOTES | _DASHES)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as quotes are compared: white space runs as one space, straight quotes, hyphens; ends trimmed."""
    return _SPACE.sub(" ", text.translate(_TABLE)).strip()


def digest(data: bytes) -> str:
    """``sha256:<hex>`` of ``data``: the form a source record's ``snapshot`` field takes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Snapshot:
    """One stored text: its file, its text, and (made once, on first use) its normalised form."""

    path: Path
    text: str
    hash: str
    _norm: tuple[str, list[int], list[int]] | None = field(default=None, repr=False)

    def _normalised(self) -> tuple[str, list[int], list[int]]:
        """The normalised text, the offset in ``text`` of each of its characters, and the line starts."""
        if self._norm is None:
            out: list[str] = []
            offsets: list[int] = []
            text = self.text.translate(_TABLE)
            pos = 0
            for m in _SPACE.finditer(text):
                out.append(text[pos : m.start()])
                offsets.extend(range(pos, m.start()))
                out.append(" ")
                offsets.append(m.start())
                pos = m.end()
            out.append(text[pos:])
            offsets.extend(range(pos, len(text)))
            lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
            self._norm = ("".join(out), offsets, lines)
        return self._norm

    @property
    def normalised(self) -> str:
        """The whole text after :func:`normalise` (without trimming, so that offsets map back)."""
        return self._normalised()[0]

    def find(self, quote: str) -> int | None:
        """Offset in ``text`` where ``quote`` (normalised) starts, or None when the snapshot does not contain it."""
        norm, offsets, _ = self._normalised()
        at = norm.find(normalise(quote))
        return offsets[at] if at >= 0 and offsets else None

    def span(self, quote: str) -> tuple[int, int] | None:
        """Start and end offsets in ``text`` of ``quote``, or None."""
        norm, offsets, _ = self._normalised()
        wanted = normalise(quote)
        at = norm.find(wanted)
        if at < 0 or not wanted:
            return None
        return offsets[at], offsets[at + len(wanted) - 1] + 1

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in ``text``."""
        lines = self._normalised()[2]
        i = bisect.bisect_right(lines, offset) - 1
        return i + 1, offset - lines[i] + 1

    def closest(self, quote: str) -> tuple[str, int]:
        """The passage of the snapshot most like ``quote`` and its line (rapidfuzz's best partial alignment)."""
        from rapidfuzz import fuzz

        norm, offsets, _ = self._normalised()
        wanted = normalise(quote)
        if not norm or not wanted:
            return "", 1
        found = fuzz.partial_ratio_alignment(wanted, norm)
        start, end = found.dest_start, max(found.dest_end, found.dest_start + 1)
        passage = norm[start:end].strip()
        return passage, self.line_col(offsets[min(start, len(offsets) - 1)])[0]

    def sentence_at(self, start: int, end: int) -> str:
        """The sentence of ``text`` around the span, normalised (for a suggested quote)."""
        text = self.text
        left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("! ", 0, start), text.rfind("? ", 0, start))
        left = 0 if left < 0 else left + 1
        stops = [i for i in (text.find(". ", end), text.find("\n", end), text.find("! ", end), text.find("? ", end)) if i >= 0]
        right = min(stops) if stops else len(text)
        return normalise(text[left:right])


@dataclass
class SnapshotStore:
    """The snapshots of one folder, indexed by content hash (read once, on first use)."""

    folder: Path | None
    problem: str | None = None  # why the folder cannot be used, when it cannot
    _by_hash: dict[str, Snapshot] | None = field(default=None, repr=False)
    _by_name: dict[str, Path] = field(default_factory=dict, repr=False)
    _unreadable: dict[str, Path] = field(default_factory=dict, repr=False)

    def _index(self) -> dict[str, Snapshot]:
        if self._by_hash is None:
            self._by_hash = {}
            if self.folder is not None and self.folder.is_dir():
                for path in sorted(self.folder.iterdir()):
                    if not path.is_file() or path.name.startswith("."):
                        continue
                    try:
                        if path.stat().st_size > MAX_BYTES:
                            continue
                        data = path.read_bytes()
                    except OSError:
                        continue
                    h = digest(data)
                    try:
                        text = data.decode("utf-8")
                    except UnicodeDecodeError:
                        self._unreadable.setdefault(h, path)
                        continue
                    self._by_hash.setdefault(h, Snapshot(path, text, h))
                    self._by_name[path.name] = path
        return self._by_hash

    @property
    def available(self) -> bool:
        """Whether there is a folder to read snapshots from."""
        return self.folder is not None and self.problem is None

    def get(self, snapshot_hash: str) -> Snapshot | None:
        """The snapshot whose content has this hash (``sha256:<hex>``), if the folder holds it."""
        return self._index().get(snapshot_hash)

    def unreadable(self, snapshot_hash: str) -> Path | None:
        """A file with this hash that is not UTF-8 text (a snapshot stored by hand from a binary page)."""
        self._index()
        return self._unreadable.get(snapshot_hash)

    def named(self, name: str) -> Path | None:
        """A file of the folder by name (to say which file changed when a hash no longer matches)."""
        self._index()
        return self._by_name.get(name)

    def claimed_by_name(self, snapshot_hash: str) -> Path | None:
        """A file whose name carries the hash but whose content no longer has it (an edited snapshot)."""
        hexdigest = snapshot_hash.removeprefix("sha256:")
        index = self._index()
        for name, path in self._by_name.items():
            if hexdigest in name and index.get(snapshot_hash) is None:
                return path
        return None


def snapshot_folder(root: Path, setting: str | None, override: str | os.PathLike | None = None) -> Path | None:
    """The snapshot folder: ``override`` (``--snapshots``), else ``$BRIEFING_SNAPSHOTS``, else the setting."""
    for value in (override, os.environ.get(ENV), setting):
        if value:
            path = Path(value).expanduser()
            return path if path.is_absolute() else (root / path)
    return None


def open_store(root: Path, setting: str | None, override=None) -> SnapshotStore:
    """The snapshot store of a project (a folder that does not exist is a problem, reported by the check)."""
    folder = snapshot_folder(root, setting, override)
    if folder is None:
        return SnapshotStore(None)
    if not folder.is_dir():
        return SnapshotStore(folder, problem=f"snapshot folder {folder} does not exist")
    return SnapshotStore(folder.resolve())


def extract_text(data: bytes, name: str = "") -> str:
    """The text to store for a document: an HTML page reduced to its main text by trafilatura, other text as is."""
    text = data.decode("utf-8-sig", errors="strict")
    head = text.lstrip()[:512].lower()
    if name.lower().endswith((".html", ".htm", ".xhtml")) or head.startswith(("<!doctype html", "<html")) or "<body" in head:
        import trafilatura

        extracted = trafilatura.extract(text, include_comments=False, include_tables=True, favor_precision=True)
        if not extracted:
            raise ValueError("no main text found in the HTML page")
        return extracted.rstrip("\n") + "\n"
    return text


def store_text(folder: Path, text: str) -> tuple[str, Path]:
    """Write ``text`` into the snapshot folder under its hash; returns (``sha256:<hex>``, the file)."""
    data = text.encode("utf-8")
    h = digest(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{h.removeprefix('sha256:')}.txt"
    if not path.exists() or path.read_bytes() != data:
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return h, path


def is_hash(value: str) -> bool:
    """Whether ``value`` is ``sha256:`` and 64 lower-case hex digits."""
    return value.startswith("sha256:") and bool(_HEX.fullmatch(value[7:]))
