"""Files are what they look like: which files of the facts folder are fact files, and which are not read.

A fact or template file reached through a symbolic link that leaves the project
(its text would be published, or ``briefing fmt`` would write there), a link to
nothing or a loop of links, a fact file with an upper-case extension
(``a.YAML``) or in a subfolder: each is reported, never skipped in silence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..findings import Location

FACT_SUFFIXES = (".yaml", ".yml")


def link_problem(path: Path, root: Path) -> str | None:
    """What is wrong with reaching ``path`` (a symbolic link, or inside one) from project ``root``, if anything."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:  # ELOOP, ENOENT
        if getattr(exc, "errno", None) == 40 or "loop" in str(exc).lower():
            return "is a symbolic link that loops"
        return f"is a symbolic link to nothing ({os.readlink(path) if path.is_symlink() else 'missing'})"
    except RuntimeError:  # older Pythons report a loop this way
        return "is a symbolic link that loops"
    real_root = Path(os.path.realpath(root))
    if not target.is_relative_to(real_root):
        return f"is a symbolic link leading outside the project (to {target})"
    return None


def fact_files(facts_dir: Path, root: Path | None = None) -> list[Path]:
    """The fact files of a facts folder, sorted so that every run reads them in one order: lower-case
    ``.yaml``/``.yml`` files at its top, links among them only when they stay inside ``root`` (by default
    the folder's parent)."""
    root = root if root is not None else facts_dir.parent
    found = []
    for path in sorted(facts_dir.iterdir()) if facts_dir.is_dir() else ():
        if path.suffix not in FACT_SUFFIXES:
            continue
        if path.is_symlink() and link_problem(path, root) is not None:
            continue
        if path.is_file():
            found.append(path)
    return found


def file_problems(root: Path, facts_rel: str, templates_rel: str) -> Iterator[tuple[bool, Location, str]]:
    """``(is_error, location, message)`` for every file of the facts and templates folders that is not read as
    it looks: links leaving the project, broken or looping; upper-case extensions and subfolders of facts."""
    for rel in (facts_rel, templates_rel):
        folder = root / rel
        if folder.is_symlink() or (folder.exists() and not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(root))):
            problem = link_problem(folder, root)
            if problem:
                yield True, Location(rel), f"the {rel} folder {problem}"
                continue
        if not folder.is_dir():
            continue
        for top, dirs, files in os.walk(folder):  # links are not followed: each is judged on its own
            here = Path(top)
            for name in sorted([*dirs, *files]):
                path = here / name
                shown = path.relative_to(root).as_posix()
                if path.is_symlink():
                    problem = link_problem(path, root)
                    if problem:
                        yield True, Location(shown), f"{shown} {problem}; replace the link by the file itself"
                        continue
                if rel != facts_rel or name not in files:
                    continue
                suffix = Path(name).suffix
                if suffix.lower() in FACT_SUFFIXES and suffix not in FACT_SUFFIXES:
                    yield True, Location(shown), f"extension {suffix!r} is not read; name the file {Path(name).stem}{suffix.lower()}"
                elif suffix in FACT_SUFFIXES and here != folder:
                    yield False, Location(shown), f"records in a subfolder of {facts_rel}/ are not read; move the file into {facts_rel}/"
