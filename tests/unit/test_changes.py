"""The Changes page: corrections and updates from the git history of ``facts/``, newest first.

Built from temporary git repositories; a copy without history still builds and says so.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from build_scripts.site.promise import scan_html
from build_scripts.findings import Report
from build_scripts.history import changes as changes_module
from build_scripts.history.changes import NO_HISTORY, ChangeLog, change_log
from build_scripts.pipeline import check_project
from build_scripts.render.pages import render_pages
from tests import gitrepo
from tests.conftest import ROOT, copy_project

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def mini_project(root: Path) -> Path:
    shutil.copytree(MINI, root)
    shutil.copy2(ROOT / "templates" / "changes.md.j2", root / "templates" / "changes.md.j2")
    return root


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A project with five commits: publication, a correction, a broken edit, its fix, and a retraction (read only)."""
    root = gitrepo.init(mini_project(tmp_path_factory.mktemp("history") / "repo"))
    facts = root / "facts" / "programme.yaml"
    shas = {"publish": gitrepo.commit(root, "publish", date="2026-07-01T09:00:00+00:00")}
    gitrepo.edit(facts, "  value: 30\n", "  value: 35\n")
    gitrepo.edit(facts, "capturing 30% of the global market", "capturing 35% of the global market")
    shas["correct"] = gitrepo.commit(root, "correct the share", date="2026-07-10T09:00:00+00:00")
    gitrepo.edit(facts, "  label: Robots to deploy\n", "  label: Robots to deploy\n  colour: red\n")
    shas["broken"] = gitrepo.commit(root, "broken: unknown field", date="2026-07-12T09:00:00+00:00")
    gitrepo.edit(facts, "  colour: red\n", "")
    gitrepo.edit(facts, "  label: Robots to deploy\n", "  label: Robots the programme aims to deploy\n")
    shas["fix"] = gitrepo.commit(root, "reword", date="2026-07-15T09:00:00+00:00")
    gitrepo.edit(facts, "  unit: names\n", "  unit: names\n  status: retracted\n  note: The membership was misreported.\n")
    (root / "README").write_text("not a fact file\n", encoding="utf-8")
    shas["retract"] = gitrepo.commit(root, "retract members", date="2026-08-01T09:00:00+00:00")
    gitrepo.edit(root / "README", "not", "still not")
    gitrepo.commit(root, "docs only", date="2026-08-02T09:00:00+00:00")
    return root, shas


def test_revisions_newest_first_with_dates(history):
    root, shas = history
    revisions = ChangeLog(root).revisions
    assert [r.sha for r in revisions] == [shas["retract"], shas["fix"], shas["correct"], shas["publish"]]
    assert [r.date for r in revisions] == [dt.date(2026, 8, 1), dt.date(2026, 7, 15), dt.date(2026, 7, 10), dt.date(2026, 7, 1)]
    assert revisions[-1].first and not revisions[-1].facts
    assert all(len(r.short) >= 7 and r.sha.startswith(r.short) for r in revisions)


def test_fact_level_corrections_and_updates(history):
    root, shas = history
    retract, fix, correct, _ = ChangeLog(root).revisions
    (entry,) = correct.facts
    assert (entry.id, entry.category, entry.old_value, entry.new_value) == ("share", "corrected", "30%", "35%")
    assert entry.value_changed and entry.citations_revised and not entry.citations_added
    assert correct.corrections == [entry]
    # the broken commit could never have been published: the fix is compared with the correction
    (entry,) = fix.facts
    assert (entry.id, entry.category, entry.reworded) == ("robots", "updated", ["label"])
    assert fix.corrections == []
    (entry,) = retract.facts
    assert (entry.id, entry.category, entry.old_status, entry.new_status) == ("members", "retracted", "reported", "retracted")
    assert entry.note == "The membership was misreported."


def test_changes_page_markdown(history):
    root, shas = history
    fb = check_project(root)
    report = Report()
    pages = {p.name: p for p in render_pages(fb, report)}
    assert not report.failed(), report.format()
    md = pages["changes.md"].markdown
    # newest first, each with its date in <time> and its version in <code>
    order = [md.index(f'<time datetime="{d}">') for d in ("2026-08-01", "2026-07-15", "2026-07-10", "2026-07-01")]
    assert order == sorted(order)
    assert '<time datetime="2026-07-10">July 10, 2026</time>' in md
    assert f"<code>{shas['correct'][:7]}" in md
    assert shas["broken"][:7] not in md
    # values only inside elements naming their fact
    assert '<del class="change__value" data-fact="share">30%</del> to <ins class="change__value" data-fact="share">35%</ins>' in md
    assert "Corrected:" in md and "Retracted:" in md and "Updated:" in md
    assert "First publication of the fact records" in md
    assert str(escape(NO_HISTORY)) not in md


def test_changes_page_has_no_stray_figures(history):
    import markdown

    root, _ = history
    fb = check_project(root)
    pages = {p.name: p for p in render_pages(fb, Report())}
    html = markdown.markdown(pages["changes.md"].markdown, extensions=["attr_list", "md_in_html", "footnotes"])
    strays, exempted = scan_html(f"<html><body>{html}</body></html>")
    assert strays == [], strays
    assert exempted == []


def test_without_git_history_the_page_says_so(tmp_path):
    root = mini_project(tmp_path / "tarball")
    log = ChangeLog(root)
    assert not log.available and log.reason == NO_HISTORY and log.revisions == []
    fb = check_project(root)
    report = Report()
    pages = {p.name: p for p in render_pages(fb, report)}
    assert not report.failed(), report.format()
    assert str(escape(NO_HISTORY)) in pages["changes.md"].markdown


def test_untracked_facts_have_no_recorded_changes(tmp_path):
    top = gitrepo.init(tmp_path / "repo")
    (top / "README").write_text("x\n", encoding="utf-8")
    gitrepo.commit(top, "unrelated")
    root = mini_project(top / "briefing")  # not committed
    log = ChangeLog(root)
    assert log.available and log.revisions == []
    pages = {p.name: p for p in render_pages(check_project(root), Report())}
    assert "No change to the fact records has been recorded yet." in pages["changes.md"].markdown


def test_shallow_clone_does_not_invent_a_first_publication(history, tmp_path):
    root, shas = history
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)], check=True, capture_output=True)
    log = ChangeLog(clone)
    assert log.available and log.truncated
    assert all(not r.first for r in log.revisions)


def test_history_limit(history, monkeypatch):
    root, shas = history
    monkeypatch.setattr(changes_module, "MAX_COMMITS", 2)
    log = ChangeLog(root)
    assert log.truncated
    # the two newest commits touching facts/ are read (one of them broken); the fix is still
    # compared with the last good revision before it
    assert [r.sha for r in log.revisions] == [shas["retract"], shas["fix"]]
    assert [e.id for e in log.revisions[1].facts] == ["robots"]


def test_lazy_and_once_per_build(history, monkeypatch):
    root, _ = history
    fb = check_project(root)
    calls = []
    real_log = changes_module.git.log
    monkeypatch.setattr(changes_module.git, "log", lambda *a, **k: calls.append(a) or real_log(*a, **k))
    log = change_log(fb)
    assert change_log(fb) is log and calls == []  # nothing read until a template asks
    assert len(log.revisions) == 4 and bool(log)
    assert len(log) == 4 and len(calls) == 1  # then read once
    render_pages(fb, Report())
    assert len(calls) == 1


def test_pages_not_using_changes_never_run_git(tmp_path, monkeypatch):
    root = mini_project(tmp_path / "p")
    (root / "templates" / "changes.md.j2").unlink()

    def boom(*args, **kwargs):
        raise AssertionError("git was run for a build that does not show changes")

    monkeypatch.setattr(changes_module.git, "git", boom)
    report = Report()
    assert [p.name for p in render_pages(check_project(root), report)] == ["page.md"]
    assert not report.failed()


def test_git_failure_is_said_not_raised(history, monkeypatch):
    root, _ = history

    def fail(*args, **kwargs):
        raise changes_module.git.GitError("git log: fatal: bad object")

    monkeypatch.setattr(changes_module.git, "log", fail)
    log = ChangeLog(root)
    assert not log.available and "could not be read" in log.reason and log.revisions == []
    assert log.detail == "git log: fatal: bad object"
    fb = check_project(root)
    fb._change_log = log
    pages = {p.name: p for p in render_pages(fb, Report())}
    assert "<code>git log: fatal: bad object</code>" in pages["changes.md"].markdown


@pytest.fixture
def pinned_build_date(monkeypatch):
    """build_site pins SOURCE_DATE_EPOCH process-wide when unset: set it here so it is restored afterwards."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc).timestamp())))


@pytest.mark.e2e
def test_real_site_with_history_keeps_the_promise(tmp_path, pinned_build_date):
    from build_scripts.site.publish import build_site

    root = gitrepo.init(copy_project(tmp_path / "project"))
    gitrepo.commit(root, "publish", date="2026-11-20T09:00:00+00:00")
    funding = root / "facts" / "funding.yaml"
    gitrepo.edit(funding, "  label: Funding allocated to Noetra for the first fiscal year\n", "  label: Funding allocated to Noetra for FY2026\n")
    gitrepo.commit(root, "reword a label with a year in it", date="2026-11-21T09:00:00+00:00")
    report = build_site(root, strict=False, pdf=False)
    assert not report.failed(), report.format()
    html = (root / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    strays, _ = scan_html(html)
    assert strays == []
    assert '<time datetime="2026-11-21">' in html and "FY2026" in html
    assert "Changes" in (root / "site" / "facts" / "index.html").read_text(encoding="utf-8")  # in the navigation


@pytest.mark.e2e
def test_real_site_without_history_says_so(tmp_path, pinned_build_date):
    from build_scripts.site.publish import build_site

    root = copy_project(tmp_path / "tarball")  # no .git: as unpacked from a release archive
    report = build_site(root, strict=False, pdf=False)
    assert not report.failed(), report.format()
    html = (root / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "built without its version history" in html


#: Commit subjects holding what splits lines or fields: none may hide its change from the Changes page.
AWKWARD_SUBJECTS = [
    "unit\x1fseparator", "record\x1eseparator", "group\x1dseparator", "file\x1cseparator", "line\u2028separator",
    "paragraph\u2029separator", "next\x85line", "carriage\rreturn", "vertical\x0btab", "form\x0cfeed", "tab\there",
    "emoji 🤖 and RTL \u202e", "%s %H %x00 {{ fig('x') }} <b>",
]


def test_a_commit_subject_holding_any_character_hides_no_change(tmp_path):
    root = gitrepo.init(mini_project(tmp_path / "repo"))
    facts = root / "facts" / "programme.yaml"
    shas = [gitrepo.commit(root, "publish")]
    label = "Robots to deploy"
    for day, subject in enumerate(AWKWARD_SUBJECTS, 2):
        new = f"Robots to deploy, revision {day}"
        gitrepo.edit(facts, f"  label: {label}\n", f"  label: {new}\n")
        label = new
        shas.append(gitrepo.commit(root, subject, date=f"2026-07-{day:02d}T09:00:00+00:00"))
    revisions = ChangeLog(root).revisions
    assert [r.sha for r in revisions] == shas[::-1]
    assert all(r.facts for r in revisions[:-1]), "every reworded label is listed"
