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
    plugin.on_shutdown()
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


def test_a_preview_does_not_publish_the_local_server_address(project):
    """mkdocs serve puts the preview's own address in site_url; the pages are those of a build with no
    published address (the port is no figure of the briefing, and the preview is not where it is published)."""
    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        config.site_url = "http://127.0.0.1:8000/"
        plugin.on_config(config)
        assert plugin.pages and not [p.name for p in plugin.pages if "127.0.0.1" in p.markdown]
    finally:
        plugin.on_shutdown()
