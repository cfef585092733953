"""Source snapshots (issue 19, points 1 and 2): stored by content hash, quotes verified in them.

Fixtures write their own snapshots into ``tmp_path``; the last tests run on the
real sources when ``../shared/sources`` is beside the repository.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from build_scripts.check.snapshots import normalise
from build_scripts.cli import main
from build_scripts.pipeline import check_project
from tests.conftest import ROOT, SHARED_SOURCES, write_facts

ARTICLE = (
    "Tokyo \u2014 The ministry said on Tuesday it would provide\n"
    "up to 1 trillion yen   over five years.\n"
    "\u201cWe will build data infrastructure,\u201d the minister said.\n"
    "Other paragraphs follow here.\n"
)
SOURCES = """\
- id: news-a
  title: Article A
  publisher: Paper A
  kind: news
  accessed: 2026-06-30
"""


def sha(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def project(tmp_path: Path, quote: str, *, snapshot: str | None = None, sources: str = SOURCES, claim: str | None = None) -> Path:
    root = tmp_path / "p"
    src = sources + (f"  snapshot: {snapshot}\n" if snapshot else "")
    files = {
        "sources.yaml": src,
        "a.yaml": (
            "- id: ceiling\n  label: Ceiling\n  value: 1000000000000\n  unit: JPY\n  qualifier: up-to\n  as_of: 2026-06-30\n"
            f'  citations:\n    - source: news-a\n      quote: "{quote}"\n'
        ),
    }
    if claim:
        files["reviews.yaml"] = (
            f'- id: r1\n  claim: "{claim}"\n  source: news-a\n  fact: ceiling\n  rating: accurate\n  explanation: Fine.\n'
        )
    return write_facts(root, files)


def snapshots(tmp_path: Path, text: str = ARTICLE, name: str = "whatever-name.txt") -> Path:
    folder = tmp_path / "snaps"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def no_inherited_folder(monkeypatch):
    monkeypatch.delenv("BRIEFING_SNAPSHOTS", raising=False)


# -- point 1: snapshots, content-addressed ---------------------------------------------------------


def test_source_add_stores_a_text_file_as_is_and_records_its_hash(tmp_path, capsys):
    root = project(tmp_path, "up to 1 trillion yen over five years")
    text_file = tmp_path / "article.txt"
    text_file.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "snaps"
    assert main(["source", "add", "news-a", str(text_file), "--snapshots", str(folder), "--root", str(root)]) == 0
    stored = list(folder.iterdir())
    assert len(stored) == 1 and stored[0].read_text(encoding="utf-8") == ARTICLE
    sources = (root / "facts" / "sources.yaml").read_text(encoding="utf-8")
    assert f"  snapshot: {sha(ARTICLE)}\n" in sources
    assert sources.startswith("- id: news-a\n  title: Article A\n")  # the record kept its layout


def test_source_add_reduces_html_to_its_main_text(tmp_path):
    root = project(tmp_path, "x")
    page = tmp_path / "page.html"
    body = " ".join(["The ministry will provide up to 1 trillion yen over five years to the consortium."] * 3)
    page.write_text(
        "<!DOCTYPE html><html><head><title>T</title><script>var tracking = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/x'>Subscribe now</a></nav>"
        f"<article><h1>Funding</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>Copyright footer text</footer></body></html>",
        encoding="utf-8",
    )
    folder = tmp_path / "snaps"
    assert main(["source", "add", "news-a", str(page), "--snapshots", str(folder), "--root", str(root)]) == 0
    (stored,) = folder.iterdir()
    text = stored.read_text(encoding="utf-8")
    assert "up to 1 trillion yen over five years" in text
    assert "tracking" not in text and "<p>" not in text and "Subscribe now" not in text
    assert sha(text) in (root / "facts" / "sources.yaml").read_text(encoding="utf-8")


def test_source_add_fetches_a_url_only_when_asked(tmp_path):
    # a server on this machine stands in for the web: the tests never reach the network
    root = project(tmp_path, "x")
    served = tmp_path / "www"
    served.mkdir()
    (served / "a.txt").write_text(ARTICLE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(served), **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/a.txt"
        folder = tmp_path / "snaps"
        assert main(["source", "add", "news-a", url, "--snapshots", str(folder), "--root", str(root)]) == 0
    finally:
        server.shutdown()
    assert [p.read_text(encoding="utf-8") for p in folder.iterdir()] == [ARTICLE]


def test_source_add_unknown_source_changes_nothing(tmp_path, capsys):
    root = project(tmp_path, "x")
    before = (root / "facts" / "sources.yaml").read_text(encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    assert main(["source", "add", "nope", str(f), "--snapshots", str(tmp_path / "s"), "--root", str(root)]) == 1
    assert "no source 'nope'" in capsys.readouterr().err
    assert (root / "facts" / "sources.yaml").read_text(encoding="utf-8") == before


def test_snapshot_folder_from_flag_env_or_setting(tmp_path, monkeypatch, capsys):
    folder = snapshots(tmp_path)
    root = project(tmp_path, "a quote the article does not hold", snapshot=sha(ARTICLE))
    # the flag
    assert main(["check", "--root", str(root), "--snapshots", str(folder)]) == 1
    assert "quote not found in the snapshot" in capsys.readouterr().err
    monkeypatch.delenv("BRIEFING_SNAPSHOTS", raising=False)
    # the environment
    monkeypatch.setenv("BRIEFING_SNAPSHOTS", str(folder))
    assert any(f.code == "quote-not-in-source" for f in check_project(root).report)
    monkeypatch.delenv("BRIEFING_SNAPSHOTS")
    # the setting, relative to the root
    (root / "pyproject.toml").write_text('[tool.briefing]\nsnapshots = "../snaps"\n', encoding="utf-8")
    assert any(f.code == "quote-not-in-source" for f in check_project(root).report)


def test_file_names_do_not_matter(tmp_path):
    folder = snapshots(tmp_path, name="renamed-anything.md")
    root = project(tmp_path, "up to 1 trillion yen over five years", snapshot=sha(ARTICLE))
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    report = check_project(root).report
    assert not [f for f in report if f.code in ("quote-not-in-source", "no-snapshot", "snapshot-mismatch")], report.format()


# -- point 2: quotes verified in their source --------------------------------------------------------


def test_normalisation_is_white_space_quotes_and_dashes_only():
    assert normalise("a \u2014  b\n\u201cc\u201d \u2018d\u2019") == "a - b \"c\" 'd'"
    assert normalise("Yen") != normalise("yen")  # case is not normalised
    assert normalise("naïve") != normalise("naive")  # nor accents


def test_quote_found_after_normalisation(tmp_path):
    folder = snapshots(tmp_path)
    root = project(tmp_path, "Tokyo - The ministry said on Tuesday it would provide up to 1 trillion yen over five years", snapshot=sha(ARTICLE))
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    report = check_project(root).report
    assert not [f for f in report if f.code == "quote-not-in-source"], report.format()


def test_missing_quote_is_an_error_at_the_quote_with_the_closest_passage(tmp_path):
    folder = snapshots(tmp_path)
    root = project(tmp_path, "up to 2 trillion yen over five years", snapshot=sha(ARTICLE))
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    (finding,) = [f for f in check_project(root).report if f.code == "quote-not-in-source"]
    assert finding.severity.value == "error"
    assert (finding.location.file, finding.location.line, finding.location.col) == ("facts/a.yaml", 9, 14)
    assert "closest passage, line 2:" in finding.message and "1 trillion yen over five years" in finding.message
    assert finding.related[0].line == 2


def test_case_differences_are_not_forgiven(tmp_path):
    folder = snapshots(tmp_path)
    root = project(tmp_path, "UP TO 1 trillion yen over five years", snapshot=sha(ARTICLE))
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    assert [f for f in check_project(root).report if f.code == "quote-not-in-source"]


def test_review_claims_are_verified_too(tmp_path):
    folder = snapshots(tmp_path)
    root = project(tmp_path, "up to 1 trillion yen over five years", snapshot=sha(ARTICLE), claim="the minister promised robots")
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    (finding,) = [f for f in check_project(root).report if f.code == "quote-not-in-source"]
    assert finding.location.file == "facts/reviews.yaml" and finding.location.line == 2
    assert finding.message.startswith("claim not found")


def test_changed_snapshot_is_an_error(tmp_path):
    folder = snapshots(tmp_path, ARTICLE.replace("1 trillion", "2 trillion"), name=f"{sha(ARTICLE)[7:]}.txt")
    root = project(tmp_path, "up to 1 trillion yen over five years", snapshot=sha(ARTICLE))
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    (finding,) = [f for f in check_project(root).report if f.code == "snapshot-mismatch"]
    assert finding.severity.value == "error" and finding.location.file == "facts/sources.yaml" and finding.location.line == 6


def test_changed_snapshot_named_by_document_is_an_error(tmp_path):
    folder = snapshots(tmp_path, ARTICLE + "edited\n", name="000_article.txt")
    root = project(tmp_path, "x", snapshot=sha(ARTICLE), sources=SOURCES + "  document: 000_article.txt\n")
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    assert [f for f in check_project(root).report if f.code == "snapshot-mismatch"]


def test_a_snapshot_that_is_not_text_is_an_error(tmp_path):
    folder = tmp_path / "snaps"
    folder.mkdir()
    data = b"\xff\xfe binary \x00"
    (folder / "page.bin").write_bytes(data)
    root = project(tmp_path, "x", snapshot="sha256:" + hashlib.sha256(data).hexdigest())
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{folder}"\n', encoding="utf-8")
    (finding,) = [f for f in check_project(root).report if f.code == "snapshot-unreadable"]
    assert finding.location.file == "facts/sources.yaml" and finding.location.line == 6


def test_unavailable_snapshots_are_listed_in_one_warning(tmp_path):
    two = SOURCES + f"  snapshot: {sha(ARTICLE)}\n- id: news-b\n  title: B\n  publisher: Paper B\n  kind: news\n  accessed: 2026-06-30\n"
    root = project(tmp_path, "up to 1 trillion yen over five years", sources=two)
    found = [f for f in check_project(root).report if f.code == "no-snapshot"]
    assert len(found) == 1 and found[0].message.startswith("2 sources not verified: no snapshot")
    assert "news-a" in found[0].message and "news-b" in found[0].message
    # with the folder, only the source without a hash is left
    (root / "pyproject.toml").write_text(f'[tool.briefing]\nsnapshots = "{snapshots(tmp_path)}"\n', encoding="utf-8")
    (one,) = [f for f in check_project(root).report if f.code == "no-snapshot"]
    assert one.message.startswith("1 source not verified: no snapshot") and "news-b" in one.message


# -- the real sources -----------------------------------------------------------------------------

needs_sources = pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the repository")


@needs_sources
def test_every_real_source_has_its_hash_and_every_quote_is_found(monkeypatch):
    monkeypatch.setenv("BRIEFING_SNAPSHOTS", str(SHARED_SOURCES))
    fb = check_project(ROOT)
    assert all(s.snapshot for s in fb.sources.values())
    bad = [f for f in fb.report if f.code in ("quote-not-in-source", "no-snapshot", "snapshot-mismatch")]
    assert not bad, "\n".join(f.format() for f in bad)


@needs_sources
def test_a_real_quote_altered_by_one_word_is_caught(project, monkeypatch):
    monkeypatch.setenv("BRIEFING_SNAPSHOTS", str(SHARED_SOURCES))
    path = project / "facts" / "funding.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("it will provide 387.3 billion yen", "it will provide 388.3 billion yen", 1), encoding="utf-8")
    found = [f for f in check_project(project).report if f.code == "quote-not-in-source"]
    assert found and all(f.location.file == "facts/funding.yaml" for f in found)
    assert "387.3 billion yen" in found[0].message
