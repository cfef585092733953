"""The fast YAML path: ruamel.yaml's own C parser with a lean resolver and constructor.

Profiling ``briefing check`` showed that most of the time of ruamel.yaml's safe
loader on its C parser (``YAML(typ="safe", pure=False)``) is not spent parsing
but in its Python resolver and constructor: the versioned resolver looks the
YAML version up on every scalar through two caught ``AttributeError``\\ s, and
every node gets a fresh ``Tag`` object. This module keeps the parser — the
very same C parser (``ruamel.yaml.cyaml.CParser``, ruamel's libyaml), so every syntax error
and every position is the one ruamel reports — and replaces only those two
Python layers:

* the resolver applies ruamel.yaml's own YAML 1.2 implicit-resolver table (the
  one its C path uses: ``%YAML 1.1`` directives do not switch it to 1.1 rules),
  with the tags built once;
* the constructor builds plain ``dict``/``list``/scalars with the code of
  ruamel's ``SafeConstructor`` for the standard tags (``str``, ``null``,
  ``bool``, ``int``, ``float``, ``timestamp``, ``seq``, ``map``).

Anything outside that subset — another tag, a merge key, a duplicate or
non-scalar key, a recursive alias, a directive, and every error of any kind —
makes :func:`load_yaml` parse the text again with the stock loader, which then
returns its own result or raises its own exception. So the fast path either
returns exactly what the stock loader returns, or is not used; the tests in
``tests/unit/test_fast_yaml.py`` compare the two on generated documents.

:func:`load_with_nodes` also gives the node tree the data was built from, with positions (line and
column marks), so that :mod:`build_scripts.records.positions` locates findings without parsing the
file again; :func:`compose` makes such a tree on its own.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag
from ruamel.yaml.util import create_timestamp, timestamp_regexp

try:  # the C parser ships with ruamel.yaml.clib, a declared dependency; ruamel.yaml.cyaml exposes it
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - without it, the stock loader is the only path
    CParser = None  # type: ignore[assignment,misc]

__all__ = ["NOT_COMPOSED", "compose", "construct", "is_text", "load_with_nodes", "load_yaml", "stock_load", "tag_of"]

_BASE = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT, TIMESTAMP, SEQ, MAP = (
    _BASE + name for name in ("str", "null", "bool", "int", "float", "timestamp", "seq", "map")
)
_VERSION = (1, 2)  # what ruamel's C path resolves with, whatever the document's directive says


def _tag(suffix: str) -> Tag:
    tag = Tag(suffix=suffix)
    tag.trval  # ruamel works the string value out on the first read and keeps it: these tags are shared
    return tag


def _compiled(regexp: Any) -> Any:
    """The compiled pattern behind ruamel's lazily compiled ``RegExp`` (each attribute access through the
    lazy wrapper costs a Python call; the pattern is the same)."""
    lazy = getattr(regexp, "lazy_self", None)
    return lazy() if callable(lazy) else regexp


_TIMESTAMP = _compiled(timestamp_regexp)
_TAGS = {suffix: _tag(suffix) for suffix in (STR, SEQ, MAP)}
#: ruamel's YAML 1.2 implicit resolvers by first character, in ruamel's order.
_IMPLICIT: dict[str, list[tuple[Tag, Any]]] = {}
for _versions, _suffix, _regexp, _first in implicit_resolvers:
    if _VERSION in _versions:
        _t = _TAGS.setdefault(_suffix, _tag(_suffix))
        for _ch in _first:
            _IMPLICIT.setdefault(_ch, []).append((_t, _compiled(_regexp)))
_STR_TAG, _SEQ_TAG, _MAP_TAG = _TAGS[STR], _TAGS[SEQ], _TAGS[MAP]
#: Placeholder tag of a plain scalar not resolved yet (composing for positions resolves on demand).
PLAIN = "tag:briefing,2026:unresolved-plain"
_PLAIN_TAG = _tag(PLAIN)


def _resolve_plain(value: str) -> str:
    """The tag ruamel's 1.2 resolver gives the plain scalar ``value``."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
        if regexp.match(value):
            return tag.trval
    return STR


def tag_of(node) -> str:
    """The node's tag, resolving a plain scalar composed with ``resolve=False``."""
    ctag = node.ctag
    tag = ctag.trval if ctag is not None else None
    return _resolve_plain(node.value) if tag == PLAIN else tag


def is_text(node) -> bool:
    """Whether the scalar ``node`` is text (``tag_of(node) == STR``), answered at once for the parser's own tag."""
    return node.ctag is _STR_TAG or tag_of(node) == STR


class _Fallback(Exception):
    """The document uses something the fast path does not construct: use the stock loader."""


if CParser is not None:

    class _Parser(CParser):  # type: ignore[misc,valid-type]
        """ruamel's C parser and composer, resolving implicit tags as ruamel's 1.2 resolver does."""

        def resolve(self, kind, value, implicit):
            # ruamel's VersionedResolver.resolve for version 1.2, without the per-call version lookup
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
                        if regexp.match(value):
                            return tag
                return _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

        def descend_resolver(self, current_node, current_index):  # no path resolvers
            pass

        def ascend_resolver(self):
            pass

    class _LazyParser(_Parser):
        """The same, leaving plain scalars unresolved (:func:`tag_of` resolves the few that are looked at)."""

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                return _PLAIN_TAG if implicit[0] else _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


def compose(text: str, *, resolve: bool = True):
    """The node tree of the single document in ``text`` (``None`` if empty), with marks; raises on bad YAML.

    With ``resolve=False`` plain scalars keep the placeholder tag :data:`PLAIN`; :func:`tag_of` resolves them.
    """
    if CParser is None:  # pragma: no cover
        return YAML(typ="safe", pure=True).compose(text)
    parser = (_Parser if resolve else _LazyParser)(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


def stock_load(text: str) -> Any:
    """ruamel.yaml's safe loader on its C parser, refusing duplicate keys: the reference behaviour."""
    yaml = YAML(typ="safe", pure=False)
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def load_yaml(text: str) -> Any:
    """The data of the YAML document ``text``: exactly what :func:`stock_load` returns or raises, faster."""
    return load_with_nodes(text)[0]


class _NotComposed:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_COMPOSED"


#: The node tree :func:`load_with_nodes` gives when it did not compose the text (``None`` is an empty document's).
NOT_COMPOSED = _NotComposed()


def load_with_nodes(text: str) -> tuple[Any, Any]:
    """:func:`load_yaml`'s data, and the node tree it was built from, with its marks (the positions of this
    very parse, for :class:`~build_scripts.records.positions.Locator`), or :data:`NOT_COMPOSED`.

    The tree is given even where the stock loader had to build the data (a key that is a list, say):
    the composition is the same either way.
    """
    if CParser is None or text.startswith("%") or "\n%" in text:
        return stock_load(text), NOT_COMPOSED  # directives: leave them to the stock loader
    try:
        node = compose(text)
    except Exception:  # noqa: BLE001 - any problem at all: the stock loader reports it its own way
        return stock_load(text), NOT_COMPOSED
    try:
        return (None if node is None else _Constructor().construct(node)), node
    except Exception:  # noqa: BLE001
        return stock_load(text), node


def construct(node) -> Any:
    """The data of a composed node, as the stock loader would build it; raises where the fast path would fall back."""
    return _Constructor().construct(node)


class _Constructor:
    """Builds Python data from a node tree as ruamel's ``SafeConstructor`` does, for the standard tags only."""

    def __init__(self) -> None:
        self.done: dict[int, Any] = {}  # collections already built: an alias gets the same object
        self.building: set[int] = set()

    def construct(self, node) -> Any:
        ctag = node.ctag
        tag = ctag.trval if ctag is not None else None
        if tag == PLAIN:
            tag = _resolve_plain(node.value)
        cls = type(node)
        if tag == STR:
            if cls is not ScalarNode:
                raise _Fallback
            return node.value
        if tag == MAP:
            if cls is not MappingNode:
                raise _Fallback
            return self._mapping(node)
        if tag == SEQ:
            if cls is not SequenceNode:
                raise _Fallback
            return self._sequence(node)
        if cls is not ScalarNode:
            raise _Fallback
        if tag == INT:
            return _int(node.value)
        if tag == TIMESTAMP:
            match = _TIMESTAMP.match(node.value)
            if match is None:
                raise _Fallback
            return create_timestamp(**match.groupdict())
        if tag == NULL:
            return None
        if tag == BOOL:
            return _BOOL_VALUES[node.value.lower()]
        if tag == FLOAT:
            return _float(node.value)
        raise _Fallback  # merge keys, '=', binary, set, omap, pairs, local tags...

    def _mapping(self, node) -> dict:
        key_id = id(node)
        if key_id in self.done:
            return self.done[key_id]
        if key_id in self.building:
            raise _Fallback  # a recursive alias
        self.building.add(key_id)
        mapping: dict = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Fallback  # ruamel turns list keys into tuples; leave that to it
            # most keys and values are text the parser resolved with the shared tag: their value as it is
            key = key_node.value if key_node.ctag is _STR_TAG else self.construct(key_node)
            if key in mapping:
                raise _Fallback  # duplicate key: the stock loader raises its DuplicateKeyError
            if value_node.ctag is _STR_TAG and type(value_node) is ScalarNode:
                mapping[key] = value_node.value
            else:
                mapping[key] = self.construct(value_node)
        self.building.discard(key_id)
        self.done[key_id] = mapping
        return mapping

    def _sequence(self, node) -> list:
        key_id = id(node)
        if key_id in self.done:
            return self.done[key_id]
        if key_id in self.building:
            raise _Fallback
        self.building.add(key_id)
        items = [child.value if child.ctag is _STR_TAG and type(child) is ScalarNode else self.construct(child) for child in node.value]
        self.building.discard(key_id)
        self.done[key_id] = items
        return items


# The scalar constructors below are ruamel.yaml's SafeConstructor ones for YAML 1.2.
_BOOL_VALUES = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False, "on": True, "off": False}


def _int(value_s: str) -> int:
    value_s = value_s.replace("_", "")
    sign = +1
    if value_s[0] == "-":
        sign = -1
    if value_s[0] in "+-":
        value_s = value_s[1:]
    if value_s == "0":
        return 0
    if value_s.startswith("0b"):
        return sign * int(value_s[2:], 2)
    if value_s.startswith("0x"):
        return sign * int(value_s[2:], 16)
    if value_s.startswith("0o"):
        return sign * int(value_s[2:], 8)
    return sign * int(value_s)


_INF = 1e300
while _INF != _INF * _INF:
    _INF *= _INF
_NAN = -_INF / _INF


def _float(value_so: str) -> float:
    value_s = value_so.replace("_", "").lower()
    sign = +1
    if value_s[0] == "-":
        sign = -1
    if value_s[0] in "+-":
        value_s = value_s[1:]
    if value_s == ".inf":
        return sign * _INF
    if value_s == ".nan":
        return _NAN
    return sign * float(value_s)
