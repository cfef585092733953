"""Compiled templates kept between builds (render/template_cache.py): a speed-up that never changes a page.

An edited template is compiled again (never served stale), a corrupt or cut-short entry is compiled again,
another environment keeps its entries apart, a folder that cannot be written leaves the build as it would be
without a cache, and the folder is ignored by git and never part of the published site.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest

from build_scripts.findings import Report
from build_scripts.pipeline import check_project
from build_scripts.render.pages import environment, render_pages, template_cache
from build_scripts.render.template_cache import TemplateCache, environment_key

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


class Counting(TemplateCache):
    """The cache, counting the templates it served compiled."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.hits = 0

    def load_bytecode(self, bucket) -> None:
        super().load_bytecode(bucket)
        self.hits += bucket.code is not None


def templates(tmp_path: Path, text: str = "Hello {{ name }}!\n") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "page.md.j2").write_text(text, encoding="utf-8")
    return folder


def render(folder: Path, cache: TemplateCache, **context) -> str:
    env = environment(folder)
    env = jinja2.Environment(**{**_options(env), "bytecode_cache": cache})
    return env.get_template("page.md.j2").render(name="reader", **context)


def _options(env: jinja2.Environment) -> dict:
    # the project's environment, rebuilt with another cache (Jinja takes the cache when it is made)
    return {
        "loader": env.loader,
        "autoescape": env.autoescape,
        "undefined": env.undefined,
        "keep_trailing_newline": env.keep_trailing_newline,
        "trim_blocks": env.trim_blocks,
        "lstrip_blocks": env.lstrip_blocks,
        "finalize": env.finalize,
    }


def test_a_second_build_uses_the_compiled_templates_and_renders_the_same(tmp_path):
    folder = templates(tmp_path)
    first, second = Counting(tmp_path / "cache"), Counting(tmp_path / "cache")
    assert render(folder, first) == render(folder, second) == "Hello reader!\n"
    assert (first.hits, second.hits) == (0, 1)


def test_an_edited_template_is_compiled_again_never_served_stale(tmp_path):
    folder = templates(tmp_path)
    assert render(folder, TemplateCache(tmp_path / "cache")) == "Hello reader!\n"
    templates(tmp_path, "Goodbye {{ name }}.\n")  # same size, same second: only the text tells
    again = Counting(tmp_path / "cache")
    assert render(folder, again) == "Goodbye reader.\n"
    assert again.hits == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short (a full disk, a killed write)
        lambda data: data[:40] + bytes(b ^ 0xFF for b in data[40:80]) + data[80:],  # bits flipped
        lambda data: b"",
        lambda data: b"not a cache entry at all",
        lambda data: data[32:],  # the payload without its digest
    ],
    ids=["cut-short", "flipped", "empty", "garbage", "no-digest"],
)
def test_a_corrupt_entry_is_compiled_again(tmp_path, damage):
    folder = templates(tmp_path)
    render(folder, TemplateCache(tmp_path / "cache"))
    (entry,) = (tmp_path / "cache").glob("*/*.cache")
    entry.write_bytes(damage(entry.read_bytes()))
    again = Counting(tmp_path / "cache")
    assert render(folder, again) == "Hello reader!\n"
    assert again.hits == 0
    healed = Counting(tmp_path / "cache")  # written again, whole
    assert render(folder, healed) == "Hello reader!\n" and healed.hits == 1


def test_entries_are_kept_apart_by_the_environment_options(tmp_path):
    folder = templates(tmp_path, "{% if true %}\n  kept\n{% endif %}\n")
    base = environment(folder)
    other = jinja2.Environment(**{**_options(base), "trim_blocks": False})
    assert environment_key(base) != environment_key(other)
    assert environment_key(base) == environment_key(environment(folder))  # stable from run to run
    cache = TemplateCache(tmp_path / "cache")
    one = jinja2.Environment(**{**_options(base), "bytecode_cache": cache}).get_template("page.md.j2").render()
    two = jinja2.Environment(**{**_options(other), "bytecode_cache": cache}).get_template("page.md.j2").render()
    assert one == "  kept\n" and two == "\n  kept\n\n"  # each compiled with its own options
    assert len(list((tmp_path / "cache").iterdir())) == 3  # two environments' folders and the .gitignore


def test_a_folder_that_cannot_be_written_leaves_the_render_as_without_a_cache(tmp_path):
    folder = templates(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert render(folder, TemplateCache(blocked / "cache")) == "Hello reader!\n"
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_the_cache_folder_is_ignored_by_git_and_none_keeps_nothing(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns(".cache"))
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    fb = check_project(project)
    assert template_cache(fb) == project / ".cache" / "briefing" / "templates"
    cold, report = render_pages(fb, Report()), Report()
    assert list(template_cache(fb).glob("*/*.cache"))
    warm = render_pages(fb, report)
    assert not report.failed() and [(p.name, p.markdown) for p in cold] == [(p.name, p.markdown) for p in warm]
    status = subprocess.run(["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True, check=True)
    assert ".cache" not in status.stdout
    shutil.rmtree(project / ".cache")
    (project / "pyproject.toml").write_text('[tool.briefing]\ncache_dir = ""\n', encoding="utf-8")
    fb = check_project(project)
    assert template_cache(fb) is None
    render_pages(fb, Report())
    assert not (project / ".cache").exists()
