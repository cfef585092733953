"""The search index made by the background renderer (:mod:`build_scripts.build.search`): the same entries,
in the same order, as mkdocs-material's search plugin makes in process."""

from __future__ import annotations

import json
import pickle
from types import SimpleNamespace

from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.toc import get_toc

from build_scripts.build.search import BackgroundIndex, IndexedPage, entries_of

CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stemmer"], "fields": {}}


def page(name: str, body: str, title: str = "A page", meta: dict | None = None):
    # the text before the first heading is indexed under the page's title
    content = f'<p>{body} first</p><h1 id="top">{title}</h1><p>{body}</p><h2 id="more">More</h2><p>{body} again</p>'
    toc = get_toc([{"level": 1, "id": "top", "name": title, "children": [{"level": 2, "id": "more", "name": "More", "children": []}]}])
    return SimpleNamespace(file=SimpleNamespace(src_uri=f"{name}.md"), content=content, toc=toc, url=f"{name}/", meta=meta or {}, title=title)


class FakeChild:
    """The background renderer's side, in process: indexes what it is handed with ``entries_of``, except
    the pages named in ``behind`` (it has not begun them when the parent claims them)."""

    def __init__(self, behind=()) -> None:
        self.handed: dict[str, IndexedPage] = {}
        self.numbers: list[str] = []
        self.behind = set(behind)
        self.claimed: list[str] = []
        self.asked = 0
        self.fetched = 0

    def index(self, src_uri, indexed):
        self.handed[src_uri] = pickle.loads(pickle.dumps(indexed))  # a copy, as the pipe makes
        self.numbers.append(src_uri)
        return len(self.numbers) - 1

    def claim(self, number):
        name = self.numbers[number]
        if name in self.behind:
            self.claimed.append(name)
            del self.handed[name]  # the child skips it
        return name in self.behind

    def ask_entries(self):
        self.asked += 1

    def search_entries(self):
        self.fetched += 1
        return {name: entries_of(p) for name, p in self.handed.items()}


def in_process(pages) -> str:
    index = SearchIndex(**CONFIG)
    for p in pages:
        index.add_entry_from_context(p)
    return index.generate_search_index(None)


def take_over(child):
    plugin = SimpleNamespace(search_index=SearchIndex(**CONFIG))
    assert BackgroundIndex.take_over({"material/search": plugin}, child) is plugin.search_index
    return plugin.search_index


def test_entries_from_the_child_are_the_plugins_own_in_its_order():
    pages = [page("a", "Robots: 40,000", meta={"tags": ["robots"]}), page("b", "Funding ¥1 trillion", meta={"search": {"boost": 2}}), page("c", "Chips")]
    child = FakeChild()
    index = take_over(child)
    for p in pages:
        index.hand_over(p)
    for p in reversed(pages):  # the second pass may go in another order: the index follows it
        index.add_entry_from_context(p)
    assert child.asked == 1 and child.fetched == 0  # asked once, as the second pass begins; not waited for yet
    written = index.generate_search_index(None)
    assert written == in_process(list(reversed(pages)))
    assert child.fetched == 1
    assert [d["location"] for d in json.loads(written)["docs"]][:3] == ["c/", "c/#top", "c/#more"]


def test_a_page_changed_after_it_was_handed_over_is_indexed_here():
    pages = [page("a", "Robots"), page("b", "Funding"), page("c", "Chips"), page("d", "Grid"), page("e", "Ports")]
    child = FakeChild()
    index = take_over(child)
    for p in pages:
        index.hand_over(p)
    pages[0].content = pages[0].content.replace("Robots", "Drones")  # a plugin rewrote the content
    pages[1].meta["search"] = {"exclude": True}  # ... changed the metadata in place
    pages[2].title = "Renamed"
    pages[3].toc = [SimpleNamespace(id="top", url="#moved", children=[])]  # ... replaced the table of contents
    unseen = page("f", "Never handed over")
    for p in [*pages, unseen]:
        index.add_entry_from_context(p)
    written = json.loads(index.generate_search_index(None))["docs"]
    assert json.dumps(written) == json.dumps(json.loads(in_process([*pages, unseen]))["docs"])
    assert "Drones" in written[0]["text"] and not any(d["location"].startswith("b/") for d in written)
    assert "d/#moved" in [d["location"] for d in written]


def test_pages_the_child_has_not_begun_are_indexed_here():
    pages = [page("a", "Robots"), page("b", "Funding ¥1 trillion"), page("c", "Chips"), page("d", "Grid")]
    child = FakeChild(behind={"c.md", "d.md"})  # still indexing "b" when the second pass reaches "c"
    index = take_over(child)
    for p in pages:
        index.hand_over(p)
    pages[3].title = "Renamed"  # changed and not begun: claimed all the same, so that the child skips it
    for p in pages:
        index.add_entry_from_context(p)
    assert child.claimed == ["c.md", "d.md"]
    assert index.generate_search_index(None) == in_process(pages)
    assert child.fetched == 1 and set(child.handed) == {"a.md", "b.md"}


def test_every_page_claimed_needs_no_child_entries():
    pages = [page("a", "Robots"), page("b", "Funding")]
    child = FakeChild(behind={"a.md", "b.md"})
    index = take_over(child)
    for p in pages:
        index.hand_over(p)
    for p in pages:
        index.add_entry_from_context(p)
    assert index.generate_search_index(None) == in_process(pages)
    assert child.fetched == 0


def test_the_child_indexes_what_the_parent_has_not_claimed():
    """The child's side (``background._scan_pages``): a page the parent claimed first is skipped, each
    other is claimed by the child and indexed; the entries go back when asked for."""
    import multiprocessing
    import queue

    from build_scripts.build import background

    claims = background.Shared(multiprocessing.get_context("fork"), size=2)  # the third page is beyond them
    pages = [page("a", "Robots"), page("b", "Funding"), page("c", "Chips")]
    indexed = [IndexedPage(p.content, p.toc, p.url, p.meta, p.title) for p in pages]
    assert claims.take(1, background.PARENT)
    inbox, out = queue.SimpleQueue(), queue.SimpleQueue()
    for number, (p, i) in enumerate(zip(pages, indexed)):
        inbox.put(("index", number, p.file.src_uri, i))
    for message in [("entries",), ("finish", None, ())]:
        inbox.put(message)
    background._scan_pages(inbox, out, None, "", claims)
    kind, entries = out.get()
    assert kind == "entries" and list(entries) == ["a.md", "c.md"]
    assert entries["a.md"] == entries_of(indexed[0])
    assert claims.take(0, background.CHILD) and not claims.take(0, background.PARENT)  # set once, for good
    assert not claims.take(1, background.CHILD) and claims.take(1, background.PARENT)
    assert not claims.take(2, background.PARENT)  # beyond the shared bytes: always the child's
    assert out.get()[0] == "scans"


def test_no_child_entries_wanted_when_every_page_changed():
    child = FakeChild()
    index = take_over(child)
    p = page("a", "Robots")
    index.hand_over(p)
    p.content = p.content + "<p>late</p>"
    index.add_entry_from_context(p)
    assert index.generate_search_index(None) == in_process([p])
    assert child.fetched == 0


def test_only_material_search_is_taken_over():
    other = SimpleNamespace(search_index=SimpleNamespace(entries=[]))  # mkdocs' own search, say
    assert BackgroundIndex.take_over({"search": other}, FakeChild()) is None
    assert isinstance(other.search_index, SimpleNamespace)
