"""Options of the ``briefing`` mkdocs plugin, declared once with their meaning.

The project's own settings (folders, tolerances, the figure check...) are declared
once in :class:`build_scripts.settings.Settings` and read from ``[tool.briefing]``:
the plugin takes only what tells it where the project is.
"""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class BriefingPluginConfig(Config):
    """``plugins: - briefing:`` options in ``mkdocs.yml``."""

    root = c.Optional(c.Type(str))
    """Project folder holding ``facts/``, ``templates/`` and ``pyproject.toml``; defaults to the folder of ``mkdocs.yml``."""
