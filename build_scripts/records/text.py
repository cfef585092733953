"""Text is what the reviewer sees: characters that hide, split or reorder text, and look-alike web addresses.

A reviewer reads a pull request's diff; the site shows what the records hold.
Control characters (typed raw, or escaped in a double-quoted YAML string such
as ``"\\x07"``), bidirectional overrides (which display text in another order
than it is stored, "Trojan Source") and invisible characters inside a figure
("5\u200b000") make the two differ, so each is reported at its value:

* control characters and bidirectional controls: errors;
* invisible characters (zero-width space, joiners, word joiner, soft hyphen,
  byte-order mark): errors next to a digit (they split a figure), warnings
  elsewhere (joiners have legitimate uses in some scripts).

A web address whose host holds non-ASCII letters, or its ``xn--`` spelling, is
flagged: mixing scripts within one label ("nеws" with a Cyrillic "е") is the
look-alike trick and an error; a host wholly in another script is a warning to
confirm the site is the intended one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator
from urllib.parse import urlsplit

from ..findings import BIDI
#: Characters that display as nothing.
INVISIBLE = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
#: Anything worth a closer look in a file's text: control and format characters, and backslashes (YAML
#: escapes). A single pass over the text; files without any are not walked.
_SUSPECT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI | INVISIBLE)) + "\\\\]")
_NAMES = {"\t": "tab", "\r": "carriage return", "\x1b": "escape", "\x00": "null", "\u2028": "line separator", "\u2029": "paragraph separator"}


def _name(ch: str) -> str:
    name = _NAMES.get(ch) or unicodedata.name(ch, "").lower()
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def character_problems(text: str) -> Iterator[tuple[bool, int, str]]:
    """``(is_error, offset, message)`` for each hidden, controlling or invisible character of ``text``."""
    for i, ch in enumerate(text):
        if ch == "\n":
            continue
        category = unicodedata.category(ch) if ord(ch) > 0x7E or ord(ch) < 0x20 else "L"
        if category in ("Cc", "Zl", "Zp"):
            yield True, i, f"control character {_name(ch)} at character {i + 1}; remove it (a reviewer does not see it)"
        elif ch in BIDI:
            yield True, i, f"bidirectional control {_name(ch)} at character {i + 1} changes the order text is shown in; remove it"
        elif ch in INVISIBLE:
            near_digit = (i > 0 and text[i - 1].isdigit()) or (i + 1 < len(text) and text[i + 1].isdigit())
            if near_digit:
                yield True, i, f"invisible character {_name(ch)} at character {i + 1} splits a figure; remove it"
            else:
                yield False, i, f"invisible character {_name(ch)} at character {i + 1}; remove it unless the script needs it"


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def check_file_text(fb, raw, urls: bool = False) -> None:
    """Report the hidden characters of every text of the file ``raw`` and, with ``urls``, look-alike hosts
    of its records' ``url`` and ``archive_url``."""
    if not isinstance(raw.data, list):
        return
    suspect = _SUSPECT.search(raw.text) is not None
    if not (suspect or urls):
        return
    for index, record in enumerate(raw.data):
        if not isinstance(record, dict):
            continue
        for path, text in _strings(record, (index,)) if suspect else ():
            for is_error, _, message in character_problems(text):
                where = fb.locator.locate(raw.rel, path)
                (fb.report.error if is_error else fb.report.warning)(where, f"{_field(path)}: {message}", "hidden-character")
        for name in ("url", "archive_url") if urls else ():
            url = record.get(name)
            if isinstance(url, str):
                problem = host_problem(url)
                if problem is not None:
                    is_error, message = problem
                    (fb.report.error if is_error else fb.report.warning)(fb.locator.locate(raw.rel, (index, name)), f"{name}: {message}", "look-alike-host")


def _field(path: tuple) -> str:
    return ".".join(str(p) for p in path[1:]) or "record"


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if ch.isalpha() else ""


def host_problem(url: str) -> tuple[bool, str] | None:
    """``(is_error, message)`` when the host of ``url`` is written with non-ASCII letters (or their
    ``xn--`` form), else ``None``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                return True, f"host label {label!r} is not valid punycode"
        labels.append(label)
    shown = ".".join(labels)
    if shown.isascii():
        return None
    for label in labels:
        scripts = {s for s in map(_script, label) if s}
        if len(scripts) > 1:
            odd = next(ch for ch in label if _script(ch) and _script(ch) != "LATIN") if "LATIN" in scripts else label[0]
            return True, (
                f"host {shown!r} mixes {' and '.join(sorted(s.title() for s in scripts))} letters in {label!r} "
                f"({odd!r} is U+{ord(odd):04X}): a look-alike of another address"
            )
    return False, f"host {shown!r} is written with non-ASCII letters; confirm it is the publisher's own address"
