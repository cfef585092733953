"""``briefing serve`` rebuilds only the pages an edit changes.

mkdocs' documented ``--dirty`` mode rebuilds a page only when its source file
is newer than the page it built. The plugin writes each generated page (and data
download) into a folder of its own, rewriting a file only when its content
changed: after an edit to a fact file, mkdocs converts just the pages whose
Markdown the edit changed, the facts are checked and the pages rendered as in a
full build (so what is served is what ``briefing build`` would publish), and
material's search plugin merges its index as it does for any dirty build.

A change to a template, a setting, ``mkdocs.yml``, the theme overrides or the
set of hand-written pages can change every page (titles in the navigation, the
footer): then the served folder is emptied and every page is built again, as
after a build that failed.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path


class PageFolder:
    """Generated files as real files, each rewritten only when its content changes."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="briefing-pages-"))

    def write(self, name: str, content: str | bytes) -> Path:
        """The file holding ``content`` for the page ``name``; untouched (same mtime) if it already does."""
        path = self.path / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            if path.read_bytes() == data:
                return path
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def remove(self) -> None:
        """Delete the folder (when serving ends)."""
        shutil.rmtree(self.path, ignore_errors=True)


def layout_signature(root: Path, settings, config) -> str:
    """What every page depends on besides the records: templates, settings, mkdocs.yml, theme overrides,
    and which hand-written pages exist (their contents are mkdocs' own dirty check)."""
    digest = hashlib.blake2b(digest_size=16)
    paths = [root / "pyproject.toml", Path(config.config_file_path or root / "mkdocs.yml")]
    for folder in (root / settings.templates_dir, *(Path(d) for d in config.theme.dirs if Path(d).is_relative_to(root))):
        paths.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    docs = Path(config.docs_dir)
    for path in sorted(docs.rglob("*")) if docs.is_dir() else ():
        digest.update(b"doc\0" + str(path.relative_to(docs)).encode())
    return digest.hexdigest()


def empty_folder(folder: Path) -> None:
    """Remove what is in ``folder`` (the served site), keeping the folder itself."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
