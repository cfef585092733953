"""Canonical form of fact files, with ruamel.yaml round-trip (``briefing fmt``).

Comments, quotes, key order, flow lists and block scalars (``>-``, ``|``) are
kept; only the layout is normalised, so that a pull request shows what the
editor changed and nothing else:

* mappings indented by 2 spaces; lists inside a mapping indented by 4 with
  the dash at 2 (``citations:`` / ``    - source: ...``); a file's top-level
  list starts at column 0;
* a full-line comment is indented like the line it precedes;
* no trailing whitespace, no ``---`` document start, one final newline;
* long lines are never re-wrapped.

The result is checked before it is used: the formatted text must load to the
same data and keep every comment, otherwise the file is reported and left
alone. Formatting is idempotent (formatting twice gives the result of once).
"""

from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import CommentToken

from ..findings import Location, Report

#: Wider than any line of a fact file: quotes are never folded onto a second line.
WIDTH = 1_000_000
#: What YAML itself counts as white space (Python's str.strip would also take no-break spaces).
BLANK = " \t"
MAPPING_INDENT = 2
SEQUENCE_INDENT = 4
SEQUENCE_DASH_OFFSET = 2


class FormatError(ValueError):
    """The text cannot be formatted: it does not parse, or formatting would change its meaning."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class _EndOfLineComment(CommentToken):
    """A comment after a value, remembering how many spaces the editor put before it."""

    __slots__ = ("gap",)

    def __init__(self, value: str, gap: int) -> None:
        super().__init__(value, CommentMark(0))
        self.gap = gap


class _Emitter(Emitter):
    """Writes an end-of-line comment the same number of spaces after its value as in the input."""

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        if isinstance(comment, _EndOfLineComment) and not pre:
            comment = CommentToken(comment.value, CommentMark(self.column + comment.gap))
        super().write_comment(comment, pre)


def _round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.indent(mapping=MAPPING_INDENT, sequence=SEQUENCE_INDENT, offset=SEQUENCE_DASH_OFFSET)
    yaml.width = WIDTH
    yaml.explicit_start = False
    yaml.explicit_end = False
    return yaml


def canonical(text: str) -> str:
    """The canonical form of one fact file's text; raises :class:`FormatError`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    yaml = _round_trip_yaml()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise FormatError(f"cannot format: malformed YAML: {' '.join(problem.split())}", *_line_col(mark)) from None
    except (YAMLError, ValueError, OverflowError, RecursionError) as exc:
        raise FormatError(f"cannot format: {' '.join(str(exc).split())}") from None
    if data is None:  # nothing but comments (or nothing): keep the text, tidy the whitespace
        return _tidy_lines(text)
    comments = _comments(data)
    _flush_comments(data, text.split("\n"))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    out = buffer.getvalue()
    if isinstance(data, list):
        # the emitter indents a top-level list like a nested one; the files start it at column 0
        out = "\n".join(line[SEQUENCE_DASH_OFFSET:] if line.startswith(" " * SEQUENCE_DASH_OFFSET) else line for line in out.split("\n"))
    out = _align_comments(out)
    # the result must mean exactly what the input meant: same data, same comments
    before = _safe_load(text)
    if before is _MISSING:
        raise FormatError("cannot format: the file uses YAML the fact files do not (tags or anchors the safe loader refuses)")
    trimmed = out.rstrip("\n") + "\n"
    if _safe_load(trimmed) == before:
        out = trimmed
    elif _safe_load(out) != before:  # e.g. a "|+" scalar at the very end keeps its trailing lines
        raise FormatError("cannot format: the canonical layout would change the data; please report this file")
    if _comments(YAML(typ="rt").load(out)) != comments:
        raise FormatError("cannot format: the canonical layout would lose or move a comment; please report this file")
    return out


def _line_col(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _tidy_lines(text: str) -> str:
    lines = [line.rstrip(BLANK) for line in text.split("\n")]
    out = "\n".join(lines).strip("\n")
    return out + "\n" if out else ""


def _comment_tokens(node: Any) -> Iterable[tuple[Any, Any, CommentToken]]:
    """Every comment token under ``node``, with the container holding it and its key there."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CommentedBase):
            ca = item.ca
            holders: list[Any] = [ca.comment, *ca.items.values(), ca.end]
            for holder in holders:
                yield from _tokens_in(holder)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _tokens_in(holder: Any) -> Iterable[tuple[Any, Any, CommentToken]]:
    if isinstance(holder, list):
        for i, entry in enumerate(holder):
            if isinstance(entry, CommentToken):
                yield holder, i, entry
            elif isinstance(entry, list):
                yield from _tokens_in(entry)


def _flush_comments(data: Any, lines: list[str]) -> None:
    """Move every full-line comment to column 0 (aligned later) and drop trailing blanks in comments.

    A comment at the end of a line (``key: value  # remark``) keeps its place.
    """
    for holder, key, token in list(_comment_tokens(data)):
        mark = token.start_mark
        line, col = (getattr(mark, "line", None), getattr(mark, "column", 0)) if mark is not None else (None, 0)
        parts = token.value.split("\n")
        end_of_line = (
            bool(parts[0].strip(BLANK))
            and line is not None
            and 0 <= line < len(lines)
            and lines[line][:col].strip(BLANK) != ""
        )
        new = "\n".join([parts[0].rstrip(BLANK) if end_of_line else parts[0].strip(BLANK), *(p.strip(BLANK) for p in parts[1:])])
        if end_of_line:
            holder[key] = _EndOfLineComment(new, max(1, col - len(lines[line][:col].rstrip(BLANK))))
        else:
            holder[key] = CommentToken(new, CommentMark(0))


_COMMENT_AT_ZERO = re.compile(r"^#")


def _align_comments(text: str) -> str:
    """Indent each full-line comment like the next line that is not a comment or blank."""
    # only spaces and tabs are trailing blanks: other Unicode spaces may end a plain scalar's text
    lines = [line.rstrip(BLANK) for line in text.split("\n")]
    indent = 0
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        if _COMMENT_AT_ZERO.match(line):
            lines[i] = " " * indent + line
        else:
            indent = len(line) - len(line.lstrip(" "))
    return "\n".join(lines)


_MISSING = object()


def _safe_load(text: str) -> Any:
    try:
        return YAML(typ="safe").load(text)
    except (YAMLError, ValueError):
        return _MISSING


def _comments(data: Any) -> list[str]:
    """Every comment of a round-trip-loaded document (not text that merely starts with "#" in a scalar), sorted."""
    seen: set[int] = set()
    found = []
    for _, _, token in _comment_tokens(data):
        if id(token) in seen:  # a token may hang from two nodes
            continue
        seen.add(id(token))
        found += [part.strip(BLANK) for part in token.value.split("\n") if part.strip(BLANK)]
    return sorted(found)


@dataclass
class FmtResult:
    """What ``briefing fmt`` did: the files it changed (or would change) and the problems."""

    changed: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def default_paths(root: Path, facts_dir: str = "facts") -> list[Path]:
    """The fact files of a project, in name order."""
    from ..records.validate import fact_files

    folder = root / facts_dir
    return fact_files(folder) if folder.is_dir() else []


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            from ..records.validate import fact_files

            out.extend(fact_files(path))
        else:
            out.append(path)
    return out


def format_files(root: Path, paths: Iterable[Path], check: bool = False) -> FmtResult:
    """Put ``paths`` into canonical form (only report them with ``check``); paths shown relative to ``root``."""
    result = FmtResult()
    real_root = root.resolve()
    for path in _expand(paths):
        shown = path.absolute()
        path = path.resolve()
        rel = path.relative_to(real_root).as_posix() if path.is_relative_to(real_root) else str(shown)
        if not path.is_relative_to(real_root):
            # a file given outside the project, or a link leading out of it: never written
            result.report.error(Location(rel), f"{shown} is outside the project ({path}); not formatted", "outside")
            continue
        problem = _structure_problem(path)
        if problem:
            code, (line, col), message = problem
            result.report.error(Location(rel, line, col), message, code)
            continue
        try:
            data = path.read_bytes()
            text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
        except OSError as exc:
            result.report.error(Location(rel), f"cannot read file: {exc.strerror}", "unreadable")
            continue
        except UnicodeDecodeError:
            result.report.error(Location(rel), "cannot format: file is not UTF-8", "encoding")
            continue
        try:
            new = canonical(text)
        except FormatError as exc:
            result.report.error(Location(rel, exc.line, exc.col), exc.message, "fmt")
            continue
        if new.encode("utf-8") != data:
            result.changed.append(rel)
            if not check:
                _replace(path, new)
    return result


def _structure_problem(path: Path):
    """Nesting, aliases and tags refused before the round-trip parser sees the file, as the check refuses them."""
    from ..records.yaml_files import structure_problem

    try:
        return structure_problem(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None  # reported when the file is read


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so an interrupted run never leaves half a file."""
    tmp = path.with_name(f".{path.name}.fmt-tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def run(root: Path, paths: list[Path], check: bool, facts_dir: str = "facts", out=None) -> int:
    """The ``briefing fmt`` command: exit 0 when nothing is (or was left) unformatted, else 1."""
    out = out or sys.stderr
    targets = paths or default_paths(root, facts_dir)
    result = format_files(root, targets, check=check)
    for rel in result.changed:
        print(f"{'would reformat' if check else 'reformatted'} {rel}", file=out)
    if len(result.report):
        print(result.report.format(), file=out)
    if check and result.changed:
        print(f"{len(result.changed)} file(s) not in canonical form; run `briefing fmt` to fix", file=out)
    return 1 if result.report.errors or (check and result.changed) else 0
