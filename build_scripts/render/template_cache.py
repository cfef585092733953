"""Compiled templates kept between builds, so that a build compiles only the templates that changed.

Jinja compiles every template to Python code before it renders it; for large templates that is
a good part of the rendering. Jinja's documented bytecode cache (:class:`jinja2.BytecodeCache`)
keeps the compiled code: this one keeps it in the project's ``cache_dir`` setting
(``.cache/briefing/templates/`` by default; never inside the published site). Each entry is
checked against the template's own text (Jinja's checksum), so an edited template is compiled
again, never served stale; entries are kept apart by the Jinja and Python versions and by the
options of the template environment, which also shape the compiled code. The cache is only a
speed-up: an entry that cannot be read, is cut short or corrupt (each file carries a digest of
its content) is compiled again; a folder that cannot be written (a read-only project, a full
disk) makes builds compile everything, as without a cache; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

#: Written into the cache folder: git, and tools that read .gitignore files, leave it alone.
GITIGNORE = "# written by briefing: compiled templates, safe to delete\n*\n"
_DIGEST = hashlib.sha256().digest_size


def environment_key(env: jinja2.Environment) -> str:
    """What the compiled code of a template depends on besides its text: the Jinja and Python versions,
    the environment's syntax and whitespace options, autoescaping, finalize, extensions, and the names of
    its filters and tests (Jinja compiles a call of an unknown filter into an error)."""
    parts = [
        jinja2.__version__,
        sys.implementation.cache_tag or sys.version,
        *(
            repr(getattr(env, name))
            for name in (
                "block_start_string",
                "block_end_string",
                "variable_start_string",
                "variable_end_string",
                "comment_start_string",
                "comment_end_string",
                "line_statement_prefix",
                "line_comment_prefix",
                "trim_blocks",
                "lstrip_blocks",
                "newline_sequence",
                "keep_trailing_newline",
                "optimized",
            )
        ),
        _named(env.autoescape),
        _named(env.finalize),
        ",".join(sorted(env.extensions)),
        ",".join(sorted(env.filters)),
        ",".join(sorted(env.tests)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _named(value) -> str:
    """A function by its qualified name (its ``repr`` holds an address that changes from run to run)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in files under ``folder``, one subfolder per :func:`environment_key`
    (of the environment each template is compiled for)."""

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder)

    def _path(self, bucket: Bucket) -> Path:
        return self.root / environment_key(bucket.environment) / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:  # not cached yet, or unreadable: compiled afresh
            return
        digest, payload = data[:_DIGEST], data[_DIGEST:]
        if len(digest) < _DIGEST or hashlib.sha256(payload).digest() != digest:
            return  # cut short or corrupt: compiled afresh (and written again)
        try:
            # Jinja checks its own header and the template's checksum, and resets the bucket if they
            # differ (another Jinja or Python, an edited template)
            bucket.bytecode_from_string(payload)
        except Exception:  # an entry is never worth a failed build: whatever it holds, compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        # Jinja's API asks a cache to raise when it cannot write; this one is a speed-up only, so a
        # folder that cannot be written leaves the build as it would be without a cache.
        path = self._path(bucket)
        with contextlib.suppress(OSError):
            payload = bucket.bytecode_to_string()
            self._ready(path.parent)
            # written aside and renamed into place: a build reading at the same time sees the old entry or
            # the new one, never half of one
            fd, temporary = tempfile.mkstemp(prefix=f"{bucket.key}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(hashlib.sha256(payload).digest() + payload)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def _ready(self, folder: Path) -> None:
        if folder.is_dir():
            return
        folder.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text(GITIGNORE, encoding="utf-8")

    def clear(self) -> None:
        """Remove every entry (of every environment)."""
        for entry in self.root.glob("*/*.cache"):
            with contextlib.suppress(OSError):
                entry.unlink()
