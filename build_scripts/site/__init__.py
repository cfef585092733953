"""Site stage: the mkdocs plugin (plugin.py) and `briefing build` (publish.py: the site built aside, then swapped in)."""
