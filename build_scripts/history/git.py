"""Small wrappers around the ``git`` command, for the fact-level diff and the Changes page.

Every call runs ``git`` in the project root with a fixed, non-interactive
environment and turns failures into :class:`GitError` (a
:class:`~build_scripts.findings.BriefingError`), never a traceback.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..findings import BriefingError

#: Fields of a ``git log`` record are split on this (ASCII unit separator); the subject comes last, so a
#: subject holding it (or any other character) stays whole. Records end with a NUL (``-z``), which no
#: commit message holds.
SEP = "\x1f"


class GitError(BriefingError):
    """A git command failed: not a repository, unknown revision, no git installed.

    It is about the command line, not a place in a file: the message says it all.
    """


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # a hook or a parent git process may point git elsewhere; this root is what we mean
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"):
        env.pop(name, None)
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"})
    return env


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run ``git ARGS`` in ``root`` and return its standard output; raise :class:`GitError` on failure."""
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed; install git to compare revisions")
    try:
        done = subprocess.run([exe, *args], cwd=root, env=_env(), capture_output=True, check=False, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        text = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1] if lines else f"git {' '.join(args)} failed")
        raise GitError(f"git {args[0]}: {text}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def is_repository(root: Path) -> bool:
    """Whether ``root`` is inside a git work tree (and git is installed).

    A repository git refuses to read (owned by another user: "dubious ownership")
    raises :class:`GitError` rather than passing for no repository at all.
    """
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitError as exc:
        if "dubious ownership" in str(exc):
            raise
        return False


def prefix(root: Path) -> str:
    """The path of ``root`` inside its repository (``""`` at the top, else ``"sub/dir/"``)."""
    return git(root, "rev-parse", "--show-prefix").strip()


def resolve(root: Path, rev: str) -> str:
    """The full commit hash that ``rev`` names; :class:`GitError` when there is none."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown revision {rev!r}; fetch it first (e.g. git fetch origin)") from None


def merge_base(root: Path, base: str, head: str) -> str:
    """The commit where ``head`` branched off ``base``."""
    return git(root, "merge-base", resolve(root, base), resolve(root, head)).strip()


def object_id(root: Path, rev: str, path: str) -> str | None:
    """The object hash of ``path`` (relative to ``root``) at ``rev``, ``None`` if it does not exist there."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}:./{path}").strip() or None
    except GitError:
        return None


def export(root: Path, rev: str, dest: Path, paths: list[str]) -> Path:
    """Write ``paths`` (relative to ``root``) as they are at ``rev`` into ``dest``; return ``dest``.

    Uses ``git archive`` (as ``git archive REV | tar -x -C dest`` would); paths
    missing at ``rev`` are skipped.
    """
    present = [p for p in paths if object_id(root, rev, p) is not None]
    dest.mkdir(parents=True, exist_ok=True)
    if not present:
        return dest
    sub = prefix(root)
    top = Path(git(root, "rev-parse", "--show-toplevel").strip())
    # archive the project's subtree from the top of the work tree: paths are relative to that subtree
    data = git(top, "archive", "--format=tar", f"{rev}:{sub}" if sub else rev, "--", *present, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


@dataclass(frozen=True)
class Commit:
    """One commit of the history: full and short hash, committer date (ISO 8601), parent hashes."""

    sha: str
    short: str
    date: str
    parents: tuple[str, ...]
    subject: str


def log(root: Path, paths: list[str], max_count: int | None = None, rev: str = "HEAD") -> list[Commit]:
    """Commits on the first-parent line of ``rev`` that touched ``paths``, newest first.

    Following first parents only, a merged pull request is one change (the
    merge commit, compared with the branch it was merged into).
    """
    fmt = SEP.join(["%H", "%h", "%cI", "%P", "%s"])
    args = ["log", "-z", "--first-parent", f"--format={fmt}"]
    if max_count:
        args.append(f"--max-count={max_count}")
    out = git(root, *args, rev, "--", *paths)
    commits = []
    for record in out.split("\0"):
        parts = record.split(SEP, 4)
        if len(parts) != 5:
            continue  # the empty text after the last record
        sha, short, date, parents, subject = parts
        commits.append(Commit(sha, short, date, tuple(parents.split()), subject))
    return commits


def has_commits(root: Path) -> bool:
    try:
        git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        return True
    except GitError:
        return False
