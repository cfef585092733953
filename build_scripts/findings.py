"""Problems found in the input, kept as values and reported together.

Every stage adds :class:`Finding` objects to a :class:`Report` instead of
raising, so an editor sees every problem of a pull request in one run.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Iterable, Iterator


#: Bidirectional formatting characters: embeddings, overrides, isolates and marks.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters a terminal acts on or that reorder text: control characters, line separators, bidi controls.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI)) + "]")


def _written_out(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written out (``\\x1b``, ``\\u202e``): record text printed on a
    terminal cannot move the cursor, recolour, retitle the window or reorder what follows."""
    return _UNSEEN.sub(_written_out, text)


class Severity(str, Enum):
    """How bad a finding is: errors always fail, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # a suggestion (e.g. a citation the audit found); never fails a run


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: path relative to the root, 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Finding:
    """One problem at one place, with the other places it involves."""

    location: Location
    severity: Severity
    message: str
    code: str = "invalid"
    related: tuple[Location, ...] = field(default=())

    def format(self) -> str:
        """``FILE:LINE:COL: error|warning: MESSAGE`` as editors and editors' tools expect, on one line, with
        any control character of record text in the message written out (``\\x1b``) for the terminal."""
        return visible(f"{self.location}: {self.severity.value}: {self.message}")

    def as_dict(self) -> dict:
        """A JSON-ready dictionary of the finding."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def sort_key(self):
        return (self.location, self.code, self.message)


class Report:
    """An ordered collection of findings from every stage of one run."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._findings: list[Finding] = []
        self._seen: set[Finding] = set()
        self.extend(findings)

    def add(self, finding: Finding) -> None:
        """Add a finding unless the same one is already there."""
        if finding not in self._seen:
            self._seen.add(finding)
            self._findings.append(finding)

    def error(self, location: Location, message: str, code: str = "invalid", related=()) -> None:
        """Add an error at ``location``."""
        self.add(Finding(location, Severity.ERROR, message, code, tuple(related)))

    def warning(self, location: Location, message: str, code: str = "warning", related=()) -> None:
        """Add a warning at ``location``."""
        self.add(Finding(location, Severity.WARNING, message, code, tuple(related)))

    def note(self, location: Location, message: str, code: str = "note", related=()) -> None:
        """Add a note (a suggestion) at ``location``."""
        self.add(Finding(location, Severity.NOTE, message, code, tuple(related)))

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def __iter__(self) -> Iterator[Finding]:
        return iter(sorted(self._findings, key=lambda f: f.sort_key))

    def __len__(self) -> int:
        return len(self._findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self if f.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """Whether the run fails: on any error, and with ``strict`` on any warning too."""
        return bool(self.errors or (strict and self.warnings))

    def format(self, style: str = "text") -> str:
        """All findings in one of the output styles: ``text``, ``github`` or ``json``."""
        if style == "json":
            return json.dumps([f.as_dict() for f in self], indent=2, ensure_ascii=False)
        if style == "github":
            return "\n".join(_github(f) for f in self)
        return "\n".join(f.format() for f in self)

    def summary(self) -> str:
        """A closing line such as ``2 errors, 1 warning``."""
        e, w = len(self.errors), len(self.warnings)
        n = sum(1 for f in self._findings if f.severity is Severity.NOTE)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}" + (f", {n} note{'s' * (n != 1)}" if n else "")


def _github(f: Finding) -> str:
    # Workflow commands need %, CR and LF escaped in the message and properties.
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def esc_property(text: str) -> str:
        # property values also end at "," and ":" (as @actions/core escapes them)
        return esc(text).replace(":", "%3A").replace(",", "%2C")

    loc = f.location
    level = "notice" if f.severity is Severity.NOTE else f.severity.value  # GitHub's name for a note
    return f"::{level} file={esc_property(loc.file)},line={loc.line},col={loc.col}::{esc(f.message)}"


class BriefingError(Exception):
    """Base of the errors that stop a command; carries the report that explains why."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report or Report()


class CheckFailed(BriefingError):
    """The fact records have errors (or warnings, in strict mode)."""


class BuildFailed(BriefingError):
    """The site or the PDFs could not be built; the published output is untouched."""
