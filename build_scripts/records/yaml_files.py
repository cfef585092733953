"""Read one YAML file fast, turning every way it can be malformed into a located finding.

The fast path is ruamel.yaml's C parser with a lean resolver and constructor
(:mod:`build_scripts.records.fast_yaml`: the data and errors of ruamel's safe
loader, about 3x faster; the round-trip loader is 12x slower, see
``../shared/PERF-NOTES.md``); positions of individual values are read off the
node tree of that same parse only when a problem has to be reported
(:mod:`build_scripts.records.positions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..findings import Location, Report
from .fast_yaml import NOT_COMPOSED, load_with_nodes

#: Larger fact files are refused before parsing: a fact file is hand-edited text.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deeper nesting of lists and mappings is refused: records need four or five levels.
MAX_DEPTH = 64
_BRACKETS = re.compile(r"[\[\]{}]")
#: Could an anchor (``&name``) or alias (``*name``) start here? A cheap filter before the exact event scan.
_ANCHOR_HINT = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]")
#: Could a tag (``!!binary``, ``!local``) start here? Filtered the same way.
_TAG_HINT = re.compile(r"(?:^|[\s\[{,:-])!")
#: A line whose indentation and block indicators (``- ``, ``? ``, ``: ``) reach this column before its content.
#: Each level of block nesting takes at least one more column every two levels, so a file without such a line
#: is nested less than :data:`MAX_DEPTH` deep in blocks; a file with one is scanned exactly. One regex pass,
#: done before the parser sees the text: libyaml's C composer recurses once per level and crashes (a
#: segmentation fault) on tens of thousands of levels such as ``- - - - ...``.
_BLOCK_HINT = re.compile(r"[ ?:-]{%d}" % (MAX_DEPTH // 4))
_BLOCK_HINT_LINE = re.compile(r"\n[ ?:-]{%d}" % (MAX_DEPTH // 4))
#: Explicit tags that name what the plain text would resolve to anyway; any other (``!!binary`` hides text
#: behind base64, ``!!set``, ``!!omap``, local ``!tags``) is refused.
_ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))


@dataclass
class RawFile:
    """A parsed YAML file: its path relative to the root and its data (``None`` if unreadable)."""

    path: Path
    rel: str
    data: Any = None
    text: str = ""
    parsed: bool = False
    #: The node tree the data was built from (:data:`~build_scripts.records.fast_yaml.NOT_COMPOSED` when the
    #: fast path did not compose it): the positions of this parse, kept by ``Locator.keep``.
    nodes: Any = NOT_COMPOSED


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def load_file(path: Path, root: Path, report: Report) -> RawFile:
    """Parse ``path``; on failure add a finding to ``report`` and return a file with no data."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    raw = RawFile(path, rel)
    here = Location(rel)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(here, f"file is {size} bytes, over the limit of {MAX_FILE_BYTES}; split it", "file-too-large")
            return raw
        data = path.read_bytes()
    except OSError as exc:
        report.error(here, f"cannot read file: {exc.strerror}", "unreadable")
        return raw
    if data.startswith(b"\xef\xbb\xbf"):
        report.error(here, "file starts with a byte-order mark; save it as UTF-8 without BOM", "bom")
        return raw
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # count characters, not bytes: earlier multi-byte characters would shift the column
        before = data[: exc.start].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        report.error(Location(rel, line, col), f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8", "encoding")
        return raw
    raw.text = text
    if not text.strip():
        report.error(here, "file is empty; expected a list of records", "empty-file")
        return raw
    tab = _leading_tab(text)
    if tab:
        report.error(Location(rel, *tab), "tab used for indentation; YAML indents with spaces", "tab")
        return raw
    problem = structure_problem(text)
    if problem:
        # refused before anything is composed or constructed: deep nesting (the parser's time grows with
        # its square, and libyaml's composer crashes on very deep blocks), an alias bomb ("billion laughs")
        # that must never be expanded, a tag that hides text
        code, where, message = problem
        report.error(Location(rel, *where), message, code)
        return raw
    try:
        raw.data, raw.nodes = load_with_nodes(text)
        raw.parsed = True
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(rel, *_mark_at(text, mark)) if mark else here
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        report.error(loc, f"malformed YAML: {_clean(problem)}", "yaml-syntax")
    except (YAMLError, ValueError, OverflowError) as exc:
        # e.g. an impossible date such as 2026-02-30 fails in the constructor without a mark
        message = re.sub(r' in "<[^>]*>", position \d+', "", _clean(str(exc)))
        if "integer string conversion" in message:  # Python's guard against quadratic conversions
            message = "a number of thousands of digits is too long for a figure"
        report.error(_value_location(rel, text, exc), f"malformed value: {message}", "yaml-value")
    except (KeyError, IndexError) as exc:
        # the stock constructor's own failures on a value that does not fit its explicit tag (!!bool maybe,
        # !!int ""): a finding at that value, never a traceback
        report.error(_value_location(rel, text, exc), "malformed value: a value does not fit its tag (such as !!bool or !!int); remove the tag or correct the value", "yaml-value")
    except RecursionError:
        report.error(here, "YAML nested too deeply", "yaml-depth")
    return raw


def structure_problem(text: str) -> tuple[str, tuple[int, int], str] | None:
    """The first nesting deeper than :data:`MAX_DEPTH`, anchor or alias, or disallowed tag, as
    ``(code, (line, col), message)``, read from the parser's events (libyaml's parser keeps its own
    stack, so events of any depth are safe; nothing is composed or constructed).

    Cheap linear filters decide whether the exact scan is needed: most files have no ``&``, ``*`` or
    ``!`` where a property could start, few brackets, and no deeply indented line.
    """
    deep = _may_be_deep(text)
    anchors = ("&" in text or "*" in text) and _ANCHOR_HINT.search(text) is not None
    tags = "!" in text and _TAG_HINT.search(text) is not None
    if not (deep or anchors or tags):
        return None
    from ruamel.yaml import YAML

    depth = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            name = type(event).__name__
            if name in ("SequenceStartEvent", "MappingStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return "yaml-depth", _mark_at(text, event.start_mark), f"YAML nested more than {MAX_DEPTH} levels deep; a record needs a few"
            elif name in ("SequenceEndEvent", "MappingEndEvent"):
                depth -= 1
            if getattr(event, "anchor", None) or name == "AliasEvent":
                return (
                    "yaml-alias",
                    _mark_at(text, event.start_mark),
                    "YAML anchors and aliases (&name, *name, <<: *name) are not allowed in fact files; write each value out",
                )
            tag = getattr(event, "tag", None)
            if tag and tag not in _ALLOWED_TAGS:
                shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
                return "yaml-tag", _mark_at(text, event.start_mark), f"YAML tag {shown} is not allowed in fact files; write the value as plain text"
    except Exception:  # noqa: BLE001 - a syntax error is reported by the real parse that follows
        return None
    return None


def _may_be_deep(text: str) -> bool:
    """Whether ``text`` may nest deeper than :data:`MAX_DEPTH` (bounded from above; brackets in quoted
    text count too). Flow brackets: at most half the limit without the exact scan, so that flow inside
    block nesting stays under it as well."""
    if _BLOCK_HINT.match(text) or _BLOCK_HINT_LINE.search(text):
        return True
    if text.count("[") + text.count("{") <= MAX_DEPTH // 2:
        return False
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH // 2:
            return True
    return False


def _mark_at(text: str, mark) -> tuple[int, int]:
    """The 1-based ``(line, col)`` of a parser mark, counting lines as editors do.

    libyaml also counts NEL, LS and PS (and a lone CR) as line breaks; the mark's character
    index gives the place in the file's own lines.
    """
    index = getattr(mark, "index", None)
    if isinstance(index, int) and 0 <= index <= len(text):
        return _line_col(text, index)
    return _within(text, mark.line + 1, mark.column + 1)


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    """``(line, col)`` moved inside ``text``: the parser reports the end of a file without a final
    newline on the line after it."""
    lines = text.split("\n")
    if line > len(lines):
        line, col = len(lines), len(lines[-1]) + 1
    return line, max(1, min(col, len(lines[line - 1]) + 1))


def _clean(message: str) -> str:
    return " ".join(message.split())


def _leading_tab(text: str) -> tuple[int, int] | None:
    if "\t" not in text:  # most files: no line to look at
        return None
    for number, line in enumerate(text.split("\n"), 1):  # lines as editors count them (not at U+2028)
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


def _value_location(rel: str, text: str, exc: Exception) -> Location:
    """Find the scalar the constructor choked on (an impossible date, an integer of more digits than
    Python converts) by composing the node tree, which has marks, and building its scalars one by one."""
    position = getattr(exc, "position", None)  # a reader error (a forbidden character) knows its offset
    if isinstance(position, int) and 0 <= position <= len(text):
        return Location(rel, *_line_col(text, position))
    from .fast_yaml import compose

    try:
        node = compose(text)
    except Exception:  # noqa: BLE001 - best effort: fall back to the file
        return Location(rel)
    bad = _first_bad_scalar(node)
    if bad is not None:
        return Location(rel, *_mark_at(text, bad.start_mark))
    return Location(rel)


def _first_bad_scalar(node):
    """The first scalar node (in document order) that cannot be built."""
    from ruamel.yaml.nodes import ScalarNode

    from .fast_yaml import construct

    stack = [node]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        if type(n) is ScalarNode:
            try:
                construct(n)
            except Exception:  # noqa: BLE001 - this is the one
                return n
            continue
        for item in reversed(n.value):
            stack.extend(reversed(item) if isinstance(item, tuple) else (item,))
    return None
