"""The corpus of bad inputs: each is refused with exit code 1 and a located message, never a traceback.

Every folder under ``tests/bad_inputs/`` is a small project (a ``facts/`` folder)
with an ``expect.txt``: a ``#`` comment saying what is wrong, then one or more
lines ``FILE:LINE:COL: error: FRAGMENT``; the check must print a line that
starts with ``FILE:LINE:COL: error: `` and contains ``FRAGMENT``.

Text that is legal but dangerous (HTML, script, Jinja, Markdown in record text)
passes the check and is proven inert in the built pages by
``tests/e2e/test_escaping.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.records.yaml_files import MAX_FILE_BYTES

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.txt").is_file())


def expectations(case: str) -> list[tuple[str, str]]:
    """``(prefix, fragment)`` pairs of a case's ``expect.txt``."""
    pairs = []
    for line in (CORPUS / case / "expect.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            where, sep, fragment = line.partition(": error: ")
            assert sep, f"{case}/expect.txt: {line!r} is not FILE:LINE:COL: error: FRAGMENT"
            pairs.append((where + sep, fragment))
    assert pairs, case
    return pairs


def assert_refused(case: str, code: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert code == 1, stderr
    lines = stderr.splitlines()
    for prefix, fragment in expectations(case):
        assert any(line.startswith(prefix) and fragment in line for line in lines), (
            f"expected a line starting {prefix!r} containing {fragment!r}; got:\n{stderr}"
        )


def test_corpus_is_large_enough():
    assert len(CASES) >= 40, CASES


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_with_a_located_message(case, capsys):
    code = main(["check", "--root", str(CORPUS / case)])
    assert_refused(case, code, capsys.readouterr().err)


@pytest.mark.parametrize("case", ["alias-bomb", "non-utf8-bytes", "yaml-python-tag", "duplicate-fact-id-across-files", "deep-block-sequence", "deep-block-mapping"])
def test_bad_input_is_refused_by_the_command(case, tmp_path):
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "build_scripts", "check", "--root", str(CORPUS / case)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert_refused(case, run.returncode, run.stderr)
    assert time.monotonic() - started < 30
    assert list(tmp_path.iterdir()) == [], "a YAML tag must never run anything"


def test_alias_bomb_is_refused_quickly(capsys):
    started = time.monotonic()
    assert main(["--root", str(CORPUS / "alias-bomb"), "check"]) == 1
    assert time.monotonic() - started < 5, "the bomb must be refused, not expanded"
    assert "anchors and aliases" in capsys.readouterr().err


def test_deep_nesting_is_refused_quickly(capsys):
    started = time.monotonic()
    assert main(["--root", str(CORPUS / "deep-nesting"), "check"]) == 1
    assert time.monotonic() - started < 5
    assert "nested more than" in capsys.readouterr().err


def _project_with(tmp_path: Path, name: str, data: bytes) -> Path:
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "sources.yaml").write_bytes((CORPUS / "dangling-source-id" / "facts" / "sources.yaml").read_bytes())
    (facts / name).write_bytes(data)
    return tmp_path


def test_very_large_file_is_refused_before_parsing(tmp_path, capsys):
    # generated here rather than committed: a fact file over the size limit
    record = (CORPUS / "dangling-source-id" / "facts" / "a.yaml").read_bytes().replace(b"news-z", b"news-a")
    copies = MAX_FILE_BYTES // len(record) + 2
    data = b"".join(record.replace(b"robot-target", f"robot-target-{i}".encode()) for i in range(copies))
    assert len(data) > MAX_FILE_BYTES
    root = _project_with(tmp_path, "big.yaml", data)
    started = time.monotonic()
    code = main(["--root", str(root), "check"])
    err = capsys.readouterr().err
    assert_prefix = "facts/big.yaml:1:1: error: file is "
    assert code == 1 and "Traceback" not in err
    assert any(line.startswith(assert_prefix) and "over the limit" in line for line in err.splitlines()), err
    assert time.monotonic() - started < 5


def test_large_value_under_the_size_limit_gives_a_located_error(tmp_path, capsys):
    # one label of four megabytes: parsed, then refused at its field
    data = b'- id: huge\n  label: "' + b"x" * (4 * 1024 * 1024) + b'"\n  value: 5\n  unit: robots\n  as_of: 2026-06-30\n'
    data += b'  citations:\n    - source: news-a\n      quote: "5 robots"\n'
    root = _project_with(tmp_path, "a.yaml", data)
    code = main(["--root", str(root), "check"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert any(line.startswith("facts/a.yaml:2:10: error: label:") and "at most 2000 characters" in line for line in err.splitlines()), err


def test_cases_are_self_contained():
    # each case needs nothing but its facts folder: no settings, templates or site
    for case in CASES:
        entries = sorted(p.name for p in (CORPUS / case).iterdir())
        assert entries == ["expect.txt", "facts"], (case, entries)
        assert os.listdir(CORPUS / case / "facts"), case
