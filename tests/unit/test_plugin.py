"""The mkdocs plugin: serve watches facts and templates; generated pages never land in docs/."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from build_scripts.site.plugin import BriefingPlugin


class FakeServer:
    def __init__(self):
        self.watched: list[str] = []

    def watch(self, path, *args, **kwargs):
        self.watched.append(path)


def _configured_plugin(root: Path):
    config = load_config(config_file=str(root / "mkdocs.yml"))
    plugin = config.plugins["briefing"]
    assert isinstance(plugin, BriefingPlugin)
    config = plugin.on_config(config)
    return plugin, config


def test_serve_reloads_on_fact_and_template_changes(project):
    plugin, config = _configured_plugin(project)
    server = FakeServer()
    plugin.on_serve(server, config, builder=None)
    assert str(project / "facts") in server.watched
    assert str(project / "templates") in server.watched


def test_generated_pages_are_added_in_memory_not_written(project):
    from mkdocs.structure.files import get_files

    plugin, config = _configured_plugin(project)
    files = config.plugins.on_files(get_files(config), config=config)
    funding = files.get_file_from_path("funding.md")
    assert funding is not None and funding.generated_by
    assert 'data-fact="noetra-funding-ceiling"' in funding.content_string
    assert not (project / "docs" / "funding.md").exists()
