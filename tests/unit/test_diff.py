"""``briefing diff BASE [HEAD]``: the fact-level changelog between two revisions of a temporary git repository."""

from __future__ import annotations

import re

import shutil
from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.history.diff import COMMENT_MARKER, diff_revisions, format_markdown, format_text, md
from tests import gitrepo

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def make_project(root: Path) -> Path:
    shutil.copytree(MINI, root)
    return root


def apply_head_edits(root: Path) -> None:
    """The pull request: one of each kind of change."""
    facts = root / "facts" / "programme.yaml"
    # a corrected amount (its quotes corrected with it)
    gitrepo.edit(facts, "value: 1000000000000", "value: 1200000000000")
    gitrepo.edit(facts, 'quote: "up to 1 trillion yen ($6.1 billion) over five years"', 'quote: "up to 1.2 trillion yen over five years"')
    gitrepo.edit(facts, 'quote: "as much as ¥1 trillion"', 'quote: "as much as ¥1.2 trillion"')
    # a corrected share, now also stated by the ministry: reported -> confirmed
    gitrepo.edit(facts, "  value: 30\n", "  value: 35\n")
    gitrepo.edit(
        facts,
        '      quote: "capturing 30% of the global market"\n',
        '      quote: "capturing 35% of the global market"\n    - source: ministry\n      quote: "a 35% share | of the *world* market"\n',
    )
    # a retraction
    gitrepo.edit(facts, "  unit: names\n", "  unit: names\n  status: retracted\n  note: The members were misreported.\n")
    # a removed fact, and the page that showed it
    text = facts.read_text(encoding="utf-8")
    start = text.index("- id: review-rule")
    facts.write_text(text[:start].rstrip("\n") + "\n", encoding="utf-8")
    gitrepo.edit(root / "templates" / "page.md.j2", '{{ text("review-rule") }}\n', "")
    # an added fact
    with facts.open("a", encoding="utf-8") as out:
        out.write('- id: budget-year\n  label: First budget year\n  value: 2026\n  unit: year\n  as_of: 2026-06-30\n'
                  '  citations:\n    - source: wire-one\n      quote: "funded from 2026"\n')
    # a source retitled
    gitrepo.edit(root / "facts" / "sources.yaml", "title: Robots and money", "title: Robots and money (corrected headline)")


@pytest.fixture
def repo(tmp_path):
    root = gitrepo.init(make_project(tmp_path / "repo"))
    base = gitrepo.commit(root, "base", date="2026-07-01T09:00:00+00:00")
    apply_head_edits(root)
    head = gitrepo.commit(root, "head", date="2026-07-02T09:00:00+00:00")
    return root, base, head


def by_id(diff):
    return {c.id: c for c in diff.facts}


def test_added_removed_and_changed_facts(repo):
    root, base, head = repo
    diff = diff_revisions(root, base, head)
    assert diff.notes == []
    changes = by_id(diff)
    assert {i: c.kind for i, c in changes.items()} == {
        "ceiling": "changed",
        "share": "changed",
        "members": "changed",
        "budget-year": "added",
        "review-rule": "removed",
    }
    assert diff.summary() == "3 facts changed, 1 fact added, 1 fact removed, 1 source changed"


def test_values_are_formatted_old_and_new(repo):
    root, base, head = repo
    changes = by_id(diff_revisions(root, base, head))
    value = changes["ceiling"].changed("value")
    assert (value.old, value.new) == ("up to ¥1 trillion", "up to ¥1.2 trillion")
    assert changes["ceiling"].category == "corrected"  # same as_of: a correction, not an update
    assert changes["share"].changed("value").new == "35%"
    assert changes["budget-year"].new.value_text == "2026"
    assert changes["review-rule"].old.value_text == "Each tranche follows a yearly review."


def test_status_changes_come_from_the_checker(repo):
    root, base, head = repo
    diff = diff_revisions(root, base, head)
    changes = by_id(diff)
    status = changes["share"].status_change
    assert (status.old, status.new) == ("reported", "confirmed")  # derived: a government source now states it
    assert (changes["members"].status_change.old, changes["members"].status_change.new) == ("reported", "retracted")
    assert changes["members"].category == "retracted"
    assert changes["ceiling"].status_change is None  # still confirmed
    assert {c.id for c in diff.status_changes} == {"share", "members"}


def test_citations_added_and_removed(repo):
    root, base, head = repo
    changes = by_id(diff_revisions(root, base, head))
    share = changes["share"]
    assert [c.source for c in share.citations_added] == ["paper-two", "ministry"]
    assert [c.quote for c in share.citations_removed] == ["capturing 30% of the global market"]
    assert changes["budget-year"].citations_added[0].quote == "funded from 2026"


def test_sources_changed(repo):
    root, base, head = repo
    diff = diff_revisions(root, base, head)
    (source,) = diff.sources
    assert (source.id, source.kind) == ("paper-two", "changed")
    assert [(f.name, f.old, f.new) for f in source.fields] == [("title", "Robots and money", "Robots and money (corrected headline)")]
    # the title shows in the footnotes of every page that places a fact citing it
    assert source.pages == ["facts.md", "page.md", "sources.md"]


def test_pages_each_change_touches(repo):
    root, base, head = repo
    changes = by_id(diff_revisions(root, base, head))
    assert changes["ceiling"].pages == ["facts.md", "page.md", "sources.md"]
    assert changes["budget-year"].pages == ["facts.md", "sources.md"]  # on no page yet
    assert changes["review-rule"].pages == ["facts.md", "page.md", "sources.md"]  # the base page showed it


def test_rate_change_touches_pages_that_convert(tmp_path):
    root = gitrepo.init(make_project(tmp_path / "repo"))
    base = gitrepo.commit(root, "base")
    gitrepo.edit(root / "facts" / "programme.yaml", "  label: Reference exchange rate\n", "  label: Reference yen-dollar rate\n")
    diff = diff_revisions(root, base)
    (change,) = diff.facts
    assert change.id == "rate" and [f.name for f in change.fields] == ["label"]
    assert change.category == "updated"
    assert "page.md" in change.pages  # the page converts the ceiling at this rate


def test_head_defaults_to_the_working_tree(repo):
    root, base, head = repo
    assert diff_revisions(root, head).empty
    gitrepo.edit(root / "facts" / "programme.yaml", "  label: Market-share goal\n", "  label: Market-share target\n")
    diff = diff_revisions(root, head)
    assert diff.head == "working tree"
    (change,) = diff.facts
    assert (change.id, change.changed("label").old, change.changed("label").new) == ("share", "Market-share goal", "Market-share target")
    # a committed HEAD ignores the uncommitted edit
    assert diff_revisions(root, head, "HEAD").empty


def test_revision_with_errors_is_noted(repo):
    root, base, head = repo
    gitrepo.edit(root / "facts" / "programme.yaml", "value: 35", "value: 35.5")
    diff = diff_revisions(root, head)
    assert diff.notes and "working tree has 1 error" in diff.notes[0]
    assert "share" in by_id(diff) and by_id(diff)["share"].kind == "removed"  # it no longer loads


def test_merge_base_compares_with_where_the_branch_started(tmp_path):
    root = gitrepo.init(make_project(tmp_path / "repo"))
    gitrepo.commit(root, "base")
    gitrepo.git(root, "checkout", "-q", "-b", "edit")
    gitrepo.edit(root / "facts" / "programme.yaml", "  label: Robots to deploy\n", "  label: Robots to put to work\n")
    gitrepo.commit(root, "branch edit")
    gitrepo.git(root, "checkout", "-q", "main")
    gitrepo.edit(root / "facts" / "programme.yaml", "  label: Core members\n", "  label: Core member firms\n")
    gitrepo.commit(root, "main moved on")
    gitrepo.git(root, "checkout", "-q", "edit")
    plain = by_id(diff_revisions(root, "main", "HEAD"))
    assert set(plain) == {"robots", "members"}  # main's own change shows as a revert
    pr = by_id(diff_revisions(root, "main", "HEAD", merge_base=True))
    assert set(pr) == {"robots"}


def test_project_in_a_subfolder_of_the_repository(tmp_path):
    top = gitrepo.init(tmp_path / "repo")
    root = make_project(top / "briefing")
    (top / "README").write_text("other things\n", encoding="utf-8")
    base = gitrepo.commit(top, "base")
    gitrepo.edit(root / "facts" / "programme.yaml", "  label: Core members\n", "  label: Core member firms\n")
    head = gitrepo.commit(top, "head")
    diff = diff_revisions(root, base, head)
    assert [c.id for c in diff.facts] == ["members"]
    assert diff.facts[0].file == "facts/programme.yaml"


def test_text_format(repo):
    root, base, head = repo
    text = format_text(diff_revisions(root, base, head))
    assert text.startswith(f"Fact changes from {base[:12]} to {head[:12]}: 3 facts changed, 1 fact added")
    assert "~ ceiling  Funding ceiling  (facts/programme.yaml)" in text
    assert "    value: up to ¥1 trillion → up to ¥1.2 trillion" in text
    assert "    status: reported → confirmed" in text
    assert "    + citation ministry: “a 35% share | of the *world* market”" in text
    assert "    - citation paper-two: “capturing 30% of the global market”" in text
    assert "+ budget-year  First budget year" in text
    assert "- review-rule  How money is released" in text
    assert "~ source paper-two  Robots and money (corrected headline)" in text
    assert "    pages: facts.md, page.md, sources.md" in text


def test_markdown_format_is_a_pull_request_comment(repo):
    root, base, head = repo
    comment = format_markdown(diff_revisions(root, base, head))
    assert comment.startswith(COMMENT_MARKER + "\n")
    assert f"### Fact changes: `{base[:12]}` → `{head[:12]}`" in comment
    assert "**3 facts changed, 1 fact added, 1 fact removed, 1 source changed.** **2 status changes.**" in comment
    assert "#### Changed facts" in comment and "#### Added facts" in comment and "#### Removed facts" in comment
    assert "- **`ceiling`** `Funding ceiling` (`facts/programme.yaml`)" in comment
    assert "  - value: `up to ¥1 trillion` → **`up to ¥1.2 trillion`**" in comment
    assert "  - status: `reported` → **`confirmed`**" in comment
    # editors' text is a code span: a quote cannot break the list, make a table or inject HTML
    assert "“`a 35% share | of the *world* market`”" in comment
    assert "  - pages: `facts.md`, `page.md`, `sources.md`" in comment
    assert "#### Sources" in comment and "- changed: **`paper-two`**" in comment


def test_markdown_makes_record_text_a_code_span():
    assert md("<script>alert(1)</script>") == "`<script>alert(1)</script>`"
    assert md("a_b*c*`d`|e") == "``a_b*c*`d`|e``"
    assert md("`x`") == "`` `x` ``"
    assert md("x & y") == "`x & y`"
    assert md("two\nlines") == "`two lines`"
    assert md(None) == "*(none)*"


HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![pixel](https://evil.example/p.png)",
    "[click](https://evil.example)", "https://evil.example/x", "www.evil.example", "mail a@evil.example",
    "@octocat", "``` fenced", "`` `tick` ``", "<b>bold</b> &lt;i&gt;", "javascript:alert(1)", "[ref]: https://evil.example",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_record_text_inert_on_github(text):
    # rendered by GitHub's own Markdown library (cmark-gfm), raw HTML allowed: still no link, image or tag
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(f"- label: {md(text)} → **{md(text)}**", options=Options.CMARK_OPT_UNSAFE)
    tags = set(re.findall(r"</?([a-z]+)", html))
    assert tags <= {"ul", "li", "p", "code", "strong"}, html


def test_terminal_output_shows_control_characters_written_out():
    from build_scripts.history.diff import visible

    assert visible("a\x1b[2Jb\x9b31mc\u202ed\re\x07") == "a\\x1b[2Jb\\x9b31mc\\u202ed\\x0de\\x07"


def test_markdown_when_nothing_changed(repo):
    root, base, head = repo
    comment = format_markdown(diff_revisions(root, head, head))
    assert "No fact-level changes" in comment


def test_cli(repo, capsys):
    root, base, head = repo
    assert main(["diff", base, head, "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Fact changes from") and "~ ceiling" in out
    assert main(["diff", base, head, "--root", str(root), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith(COMMENT_MARKER)
    target = root.parent / "comment.md"
    assert main(["diff", base, "HEAD", "--root", str(root), "--format", "markdown", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith(COMMENT_MARKER)


def test_cli_errors_are_messages_not_tracebacks(repo, tmp_path, capsys):
    root, base, head = repo
    assert main(["diff", "no-such-branch", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "unknown revision 'no-such-branch'" in err and "Traceback" not in err
    assert main(["diff", "--root", str(root), "--", "--upload-pack=x"]) == 1
    assert "not a revision" in capsys.readouterr().err
    lonely = make_project(tmp_path / "no-git")
    assert main(["diff", "HEAD", "--root", str(lonely)]) == 1
    assert "not in a git repository" in capsys.readouterr().err
