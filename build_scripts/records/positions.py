"""Positions of values inside YAML files, read off a node tree when a finding needs one.

The loader composes each file into a node tree (its nodes carry the line and
column where they start) and builds the data from it
(:func:`build_scripts.records.fast_yaml.load_with_nodes`). :meth:`Locator.keep`
keeps what a finding needs of that parse: the text, and for a file whose
document is a list, where each record (list item) starts and ends and where each
list of a record (its citations) and their items start. A finding is then
located without reading or parsing the file again: at a record, one of its lists
or an item of one from those marks, deeper inside a record on the nodes of that
record alone, composed from its slice of the text (checked to compose to the
same extent as in the whole file; else the whole file is composed, as for a file
the locator was not given).
Keeping the load's whole trees instead would take several times the memory of
the texts, for no gain in time (measured). A location is read off the nodes
exactly as the round-trip loader's ``lc`` attributes would give it (they are
made from the same node marks). Where a path meets anything the node walk does
not interpret like the round-trip loader (a merge key, a tag or an anchor, a
non-scalar key, a ``%`` directive, a YAML 1.1 line break), the file is parsed
with the round-trip loader instead, as before. The tests in
``tests/unit/test_fast_yaml.py`` compare both ways on every path of many files,
and ``tests/unit/test_positions.py`` the record slices with a parse of the whole
file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..findings import Location
from . import fast_yaml

#: Tags whose nodes the node walk reads like the round-trip loader's data.
_PLAIN_TAGS = frozenset(
    {fast_yaml.STR, fast_yaml.NULL, fast_yaml.BOOL, fast_yaml.INT, fast_yaml.FLOAT, fast_yaml.TIMESTAMP, fast_yaml.SEQ, fast_yaml.MAP}
)
_NO_TREE = object()


class _RoundTrip(Exception):
    """The node walk cannot vouch for this path: use the round-trip loader."""


class _Records:
    """What a locator keeps of a loaded file whose document is a list: its text, where the list starts, where
    each record (list item) starts and ends, and the marks of each record's lists (:func:`_lists`). A record's
    own nodes are composed from its slice of the text when a finding deeper in it is first located, so the
    load's node tree of the whole file is not kept."""

    __slots__ = ("text", "start", "spans", "lists", "trees")

    def __init__(self, text: str, root: SequenceNode) -> None:
        self.text = text
        self.start = (root.start_mark.line, root.start_mark.column)
        #: each item's (start index, line, column, end index, node class), from the load's marks
        self.spans = [(n.start_mark.index, n.start_mark.line, n.start_mark.column, n.end_mark.index, type(n)) for n in root.value]
        #: each record's lists (its citations...): the marks the walk reads to reach one of their items
        self.lists = [_lists(n) for n in root.value]
        # the last record composed, by index: findings in one record are located one after the other, and
        # keeping every record's nodes would keep many objects for the collector to walk
        self.trees: dict[int, Any] = {}

    def tree(self, index: int) -> Any:
        """The nodes of the collection at ``index`` composed from its slice of the text, marked as in the whole
        file (lines counted from the item's first line), or ``_NO_TREE`` if the slice does not compose to the
        same extent as the item did in the whole file."""
        if index not in self.trees:
            self.trees.clear()
            start, _, col, end, cls = self.spans[index]
            try:
                # spaces in place of what precedes the item on its line: the same columns, the same structure
                node = fast_yaml.compose(" " * col + self.text[start:end], resolve=False)
            except Exception:  # noqa: BLE001 - the whole file is composed instead
                node = None
            same = (
                type(node) is cls
                and (node.start_mark.line, node.start_mark.column) == (0, col)
                and node.end_mark.index == col + end - start
            )
            self.trees[index] = node if same else _NO_TREE
        return self.trees[index]


def _lists(record: Any) -> dict[str, tuple] | None:
    """The marks of each list a record holds, for a record that is a mapping with text keys only (each once):
    ``{key: (key line, key column, list line, list column, ((item line, item column, item class), ...))}``;
    ``None`` for any other record, which the walk of its composed nodes locates instead (:func:`_find_key`).
    The citations of stale sources are located by the thousand (the related places of staleness warnings):
    from these marks, with no record composed."""
    if type(record) is not MappingNode or fast_yaml.tag_of(record) not in _PLAIN_TAGS:
        return None
    found: dict[str, tuple] = {}
    keys = set()
    for key_node, value_node in record.value:
        if type(key_node) is not ScalarNode or not fast_yaml.is_text(key_node) or key_node.value in keys:
            return None
        keys.add(key_node.value)
        if type(value_node) is SequenceNode and fast_yaml.tag_of(value_node) == fast_yaml.SEQ:
            key_mark, list_mark = key_node.start_mark, value_node.start_mark
            items = tuple((item.start_mark.line, item.start_mark.column, type(item)) for item in value_node.value)
            found[key_node.value] = (key_mark.line, key_mark.column, list_mark.line, list_mark.column, items)
    return found


class Locator:
    """Maps ``(file, key path)`` to a :class:`Location`, parsing each file at most once (a file whose load
    it keeps, only the records that findings are located in). One per fact base: it holds that build's files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, str] = {}  # the text each kept file was loaded from
        self._records: dict[str, _Records] = {}
        self._round_trip: dict[str, bool] = {}
        self._trees: dict[str, Any] = {}
        self._nodes: dict[str, Any] = {}

    def keep(self, raw: Any) -> None:
        """Locate in the loaded file ``raw`` (a :class:`~build_scripts.records.yaml_files.RawFile`) from the text
        it was read from and the marks of its load's node tree, instead of reading and parsing the file again."""
        if not raw.parsed:
            return
        rel, root = raw.rel, raw.nodes
        self._texts[rel] = raw.text
        for made in (self._records, self._round_trip, self._trees, self._nodes):
            made.pop(rel, None)
        if type(root) is SequenceNode and fast_yaml.tag_of(root) == fast_yaml.SEQ:
            self._records[rel] = _Records(raw.text, root)

    def _text(self, rel: str) -> str:
        text = self._texts.get(rel)
        return text if text is not None else (self.root / rel).read_text(encoding="utf-8")

    def _node_tree(self, rel: str) -> Any:
        """The composed node tree of ``rel`` (``None`` for an empty file), or ``_NO_TREE``."""
        if rel not in self._nodes:
            try:
                text = self._text(rel)
                self._nodes[rel] = _NO_TREE if _round_trip_only(text) else fast_yaml.compose(text, resolve=False)
            except Exception:  # noqa: BLE001 - the round-trip loader decides what to make of it
                self._nodes[rel] = _NO_TREE
        return self._nodes[rel]

    def _tree(self, rel: str) -> Any:
        if rel not in self._trees:
            try:
                yaml = YAML(typ="rt")
                yaml.allow_duplicate_keys = True
                self._trees[rel] = yaml.load(self._text(rel))
            except Exception:  # noqa: BLE001 - positions are best effort; the file was already parsed once
                self._trees[rel] = None
        return self._trees[rel]

    def _in_record(self, rel: str, path: Sequence[Any], key: bool) -> Location | None:
        """:func:`_locate_in_nodes` on the whole file, done on the record the path leads into (``None``: the
        whole file must be walked instead). Raises ``_RoundTrip`` where that walk would."""
        records = self._records.get(rel)
        if records is None:
            return None
        if rel not in self._round_trip:
            self._round_trip[rel] = _round_trip_only(records.text)
        if self._round_trip[rel]:
            return None
        step = path[0]
        if not (isinstance(step, int) and 0 <= step < len(records.spans)):
            line, col = records.start
            return Location(rel, line + 1, col + 1)
        _, line, col, _, cls = records.spans[step]
        if len(path) == 1 or cls is ScalarNode:  # the walk stops at the item (nothing has a place below a scalar)
            return Location(rel, line + 1, col + 1)
        lists = records.lists[step]
        held = lists.get(path[1]) if lists is not None and isinstance(path[1], str) else None
        if held is not None:
            # the walk's steps into a list of the record: the list is located at its key, an index past its
            # end at the list, an item at its start, and nothing below an item that is a scalar
            key_line, key_col, list_line, list_col, items = held
            if len(path) == 2:
                return Location(rel, key_line + 1, key_col + 1)
            index = path[2]
            if not (isinstance(index, int) and 0 <= index < len(items)):
                return Location(rel, list_line + 1, list_col + 1)
            item_line, item_col, item_cls = items[index]
            if len(path) == 3 or item_cls is ScalarNode:
                return Location(rel, item_line + 1, item_col + 1)
        node = records.tree(step)
        if node is _NO_TREE:
            return None
        below, col = _walk(node, path[1:], key, 0, col)
        return Location(rel, line + below + 1, col + 1)

    def locate(self, rel: str, path: Sequence[Any] = (), *, key: bool = False) -> Location:
        """The location of the value at ``path`` (keys and list indexes) in file ``rel``.

        Where the path leaves the tree (a missing field), the location of the
        deepest node still on it is returned, so a missing field points at its record.
        With ``key``, a last path element naming a mapping key is located at the
        key itself (for an unknown field, the key is what is wrong). An empty or
        nested value is located at its key too, since an empty value has no place
        of its own.
        """
        if not path:
            return Location(rel)
        try:
            found = self._in_record(rel, path, key)
            if found is None:
                root = self._node_tree(rel)
                found = None if root is _NO_TREE else _locate_in_nodes(rel, root, path, key)
            if found is not None:
                return found
        except _RoundTrip:
            pass
        node = self._tree(rel)
        line, col = 0, 0
        for depth, step in enumerate(path):
            lc = getattr(node, "lc", None)
            if lc is None:
                break
            last = depth == len(path) - 1
            try:
                if isinstance(node, list):
                    if not (isinstance(step, int) and 0 <= step < len(node)):
                        line, col = lc.line, lc.col
                        break
                    line, col = lc.item(step)
                    node = node[step]
                elif hasattr(node, "keys") and _hashable(step) and step in node:
                    value = node[step]
                    on_key = (key and last) or value is None or not _is_scalar(value)
                    line, col = lc.key(step) if on_key else lc.value(step)
                    node = value
                else:
                    line, col = lc.line, lc.col
                    break
            except (KeyError, IndexError, TypeError):
                break
        else:
            if not path:
                return Location(rel)
        return Location(rel, line + 1, col + 1)


#: An anchor or a tag where a node starts: the C parser starts such a node at the anchor or tag.
_PROPERTY = re.compile(r"(?:^|[\s\[\]{},])[&!]\S")


def _round_trip_only(text: str) -> bool:
    """Texts whose positions only the round-trip loader gives as before: directives; the line breaks
    of YAML 1.1 (NEL, LS, PS), which libyaml counts as new lines and YAML 1.2 does not; anchors and
    tags (the parsers disagree on where such a collection starts). Quotes that merely look like
    one ("a !b") only cost the slower path."""
    return (
        text.startswith("%")
        or "\n%" in text
        or any(ch in text for ch in ("\x85", "\u2028", "\u2029"))
        # (the property pattern tries every place of the text; most texts have neither character at all)
        or (("&" in text or "!" in text) and _PROPERTY.search(text) is not None)
    )


def key_locations(text: str, rel: str, path: Sequence[Any]) -> list[Location]:
    """Where the keys that are not text (numbers, dates, ``null``, lists) of the mapping at ``path`` stand,
    each at its own line; empty if there is no such mapping."""
    try:
        node = fast_yaml.compose(text)
    except Exception:  # noqa: BLE001 - the file was parsed once already; best effort
        return []
    for step in path:
        if type(node) is SequenceNode and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        elif type(node) is MappingNode:
            node = next((v for k, v in node.value if type(k) is ScalarNode and k.value == step and fast_yaml.tag_of(k) == fast_yaml.STR), None)
        else:
            return []
    if type(node) is not MappingNode:
        return []
    found = []
    for key, _ in node.value:
        if type(key) is not ScalarNode or fast_yaml.tag_of(key) != fast_yaml.STR:
            mark = key.start_mark
            line, col = _line_col(text, mark.index)
            found.append(Location(rel, line, col))
    return found


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _locate_in_nodes(rel: str, node: Any, path: Sequence[Any], key: bool) -> Location:
    """:meth:`Locator.locate` on a composed node tree, step by step as on the round-trip data."""
    if not path:
        return Location(rel)
    line, col = _walk(node, path, key, 0, 0)
    return Location(rel, line + 1, col + 1)


def _walk(node: Any, path: Sequence[Any], key: bool, line: int, col: int) -> tuple[int, int]:
    """The 0-based ``(line, col)`` mark where ``path`` leads from ``node`` (``(line, col)`` if it stops there)."""
    for depth, step in enumerate(path):
        if node is None or type(node) is ScalarNode:  # the round-trip data has no positions below a scalar
            break
        _check_tag(node)
        last = depth == len(path) - 1
        if type(node) is SequenceNode:
            if not (isinstance(step, int) and 0 <= step < len(node.value)):
                line, col = node.start_mark.line, node.start_mark.column
                break
            node = node.value[step]
            line, col = node.start_mark.line, node.start_mark.column
        elif type(node) is MappingNode:
            pair = _find_key(node, step) if _hashable(step) else None
            if pair is None:
                line, col = node.start_mark.line, node.start_mark.column
                break
            key_node, value_node = pair
            _check_tag(value_node)
            is_none = fast_yaml.tag_of(value_node) == fast_yaml.NULL
            on_key = (key and last) or is_none or type(value_node) is not ScalarNode
            mark = key_node.start_mark if on_key else value_node.start_mark
            line, col = mark.line, mark.column
            node = None if is_none else value_node
        else:  # pragma: no cover - the composer makes no other nodes
            raise _RoundTrip
    return line, col


def _check_tag(node: Any) -> None:
    if fast_yaml.tag_of(node) not in _PLAIN_TAGS:
        raise _RoundTrip


def _find_key(node: Any, step: Any) -> Any:
    """The first ``(key node, value node)`` pair whose key equals ``step``, as ``step in mapping`` would find it."""
    tags = []
    for key_node, _ in node.value:
        tag = fast_yaml.tag_of(key_node) if type(key_node) is ScalarNode else None
        if tag not in _PLAIN_TAGS:
            raise _RoundTrip  # merge keys, '=' keys, keys that are collections
        tags.append(tag)
    for (key_node, value_node), tag in zip(node.value, tags):
        if tag == fast_yaml.STR:
            key = key_node.value  # what the constructor makes of a text key, without making one
        else:
            try:
                key = fast_yaml.construct(key_node)
            except Exception:  # noqa: BLE001
                raise _RoundTrip from None
        if key == step and hash(key) == hash(step):
            return key_node, value_node
    return None


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (list, dict))
