"""The site's search index, made by the background renderer while mkdocs converts the next pages.

mkdocs-material's search plugin reads every page's HTML with Python's own
``html.parser`` when mkdocs renders the page into the theme, in the second of
mkdocs' two passes: on a briefing's record-heavy pages that is about a third of
what plain ``mkdocs build`` spends. Each page's content is final earlier, at the
end of the first pass (``on_page_content``), when the forked renderer of
``background.py`` has already sent the page's Markdown and waits. So during
``briefing build`` the plugin hands each page's content to that child as soon
as mkdocs has converted it, the child indexes it with the search plugin's own
code, and the search plugin's index (:class:`BackgroundIndex`, put in its
place) takes the child's entries instead of parsing the page again. When the
child has fallen behind (a large site: it renders the pages, then indexes, then
scans the built pages), the search plugin's turn for a page the child has not
begun comes first: the page is then claimed and indexed here, and the child skips
it, so that the two processes share the work until both are done.

The index is the same, byte for byte: entries come from the search plugin's own
``SearchIndex.add_entry_from_context`` and keep the order in which the search
plugin asked for them. A page whose content, title, address, table of contents
or metadata changed after it was handed over, or that was never handed over, is
indexed in process as before. Only mkdocs-material's own index is taken over,
and not when ``jieba`` (Chinese segmentation, set up by the search plugin's
configuration) is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class IndexedPage:
    """What the search index reads of a page (``add_entry_from_context``), sent to the child."""

    content: str
    toc: Any
    url: str
    meta: dict
    title: str | None


def _search_index_class():
    try:
        from material.plugins.search import plugin
    except ImportError:  # another theme: nothing to take over
        return None
    return plugin.SearchIndex if plugin.jieba is None else None


def entries_of(page: IndexedPage) -> list[dict]:
    """The search entries of one page, as the search plugin makes them (run by the child)."""
    index = _search_index_class()()
    index.add_entry_from_context(page)
    return index.entries


class _Same:
    """Equal to another only when it wraps the very same object."""

    def __init__(self, value) -> None:
        self.value = value

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and other.value is self.value


class BackgroundIndex:
    """Stands in for the search plugin's ``search_index``: entries from the child, in the plugin's order.

    ``child`` is the :class:`~build_scripts.build.background.BackgroundPages`: ``index(src_uri, page)``
    hands a page over and numbers it, ``claim(number)`` takes it back unless the child has begun it,
    ``ask_entries()`` tells it that every page is handed over (it then sends the entries as soon as
    it has them, while mkdocs goes on), ``search_entries()`` waits for them.
    """

    def __init__(self, index, child) -> None:
        self._index = index
        self._child = child
        self._asked = False
        self._sent: dict[str, tuple[int, tuple]] = {}  # src_uri -> (its number, what was handed over)
        self._order: list[tuple[str, Any]] = []  # ("child", src_uri) or ("here", entries), as asked

    @classmethod
    def take_over(cls, plugins, child) -> "BackgroundIndex | None":
        """Put a :class:`BackgroundIndex` in place of mkdocs-material's search index, if the site has one."""
        index_class = _search_index_class()
        if index_class is None:
            return None
        for plugin in plugins.values():
            index = getattr(plugin, "search_index", None)
            if type(index) is index_class and not index.entries:
                plugin.search_index = cls(index, child)
                return plugin.search_index
        return None

    def hand_over(self, page) -> None:
        """Send a converted page to the child (called once its content is final, at ``on_page_content``)."""
        state = self._state(page)
        number = self._child.index(page.file.src_uri, IndexedPage(page.content, page.toc, page.url, page.meta, page.title))
        self._sent[page.file.src_uri] = (number, state)

    @staticmethod
    def _state(page) -> tuple:
        # the content is compared by identity first (str ==), the table of contents by identity, the
        # metadata by a copy of its keys and values (the search plugin reads `search`, `tags`, `title`)
        return (page.content, _Same(page.toc), dict(page.meta), page.title, page.url)

    def add_entry_from_context(self, page) -> None:
        """The search plugin indexing ``page``: the child's entries if it has begun the page and has it as it
        is now; else the page is indexed here."""
        if not self._asked:  # mkdocs' second pass has begun: every page is converted and handed over
            self._asked = True
            self._child.ask_entries()
        sent = self._sent.pop(page.file.src_uri, None)
        if sent is not None and not self._child.claim(sent[0]) and sent[1] == self._state(page):
            self._order.append(("child", page.file.src_uri))
            return
        here = type(self._index)(**self._index.config)
        here.add_entry_from_context(page)
        self._order.append(("here", here.entries))

    def generate_search_index(self, prev) -> str:
        """The search plugin writing the index: every entry, in order, from the child and from here."""
        wanted = any(kind == "child" for kind, _ in self._order)
        done = self._child.search_entries() if wanted else {}  # raises when the child failed (it says why)
        for kind, value in self._order:
            self._index.entries.extend(done[value] if kind == "child" else value)
        self._order = []
        return self._index.generate_search_index(prev)

    def __getattr__(self, name: str):
        return getattr(self._index, name)
