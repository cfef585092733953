"""Parse each linked print stylesheet once per export, not once per document laid out.

Why this exists: WeasyPrint fetches and parses every ``<link rel="stylesheet">``
again for each document it lays out (``weasyprint.css.find_stylesheets`` calls
``CSS(url=...)``). The export lays out a dozen documents, and some of them
more than once, all with the same ``print.css``. Parsing it was about a tenth of
the export's time. WeasyPrint keeps no parse cache of its own, so while a
document is laid out, :func:`shared_stylesheets` replaces the name ``CSS`` that
``find_stylesheets`` calls with :class:`_SharedSheets`. It parses a linked sheet
(with the ``@import`` rules in it) once, and hands every document a copy of the parsed sheet.

A parse also changes the state of the document it is for, and a parsed sheet has
a little state of its own. Each document's copy repeats those changes:

* the sheet's ``@page`` rules go into the document's own list of page rules;
* its ``@counter-style`` definitions go into the document's dictionary. The sheet is parsed
  over WeasyPrint's own counter styles, as a document's sheets are, so that a rule
  redefining ``decimal`` or ``disc`` is refused with a warning as WeasyPrint refuses it;
* WeasyPrint's warnings from the parse are logged again;
* a value with ``var()`` warns once when it turns out invalid, and remembers that it did.
  Each document's copy starts with those values not yet reported, so each document warns as before;
* ``@font-face`` rules were registered in the shared ``FontConfiguration`` at the first parse.
  So the cache is kept per font configuration and fetcher.

Some sheets are parsed per document as before:

* a sheet that declares cascade layers, since their order depends on the document's other sheets;
* a sheet with ``@color-profile`` rules, since a profile keeps state from each PDF it is written to;
* a sheet that failed to load;
* ``<style>`` elements.

The tests check that documents give the same bytes and warnings either way, for
each kind of rule above, and for two of the briefing's PDFs. By hand, all 12 of
its PDFs were compared and came out byte-identical.
"""

from __future__ import annotations

import copy
import logging
from contextlib import contextmanager
from typing import Any, Iterator

from ..logs import Records
from .replacing import replaced

try:  # WeasyPrint's internals: without them every document parses its sheets, as WeasyPrint does
    import weasyprint.css as _css_module
    from weasyprint.css.tokens import Pending
    from weasyprint.html import UA_COUNTER_STYLE

    _ORIGINAL = _css_module.CSS
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    _css_module = None
    _ORIGINAL = None

#: The loggers whose messages about a sheet are logged again for each document that uses it.
_LOGGER = "weasyprint"


class _Parsed:
    """A linked sheet parsed once: the sheet (``None`` if it cannot be shared), what its parse added
    to the document, its values with ``var()``, what it logged, and the fonts and fetcher it was parsed with."""

    def __init__(self, kwargs: dict, sheet=None, counter_styles=None, pending=(), messages=()) -> None:
        # held, not only their ids in the key: while the entry lives, no new object can take those ids
        self.font_config = kwargs.get("font_config")
        self.url_fetcher = kwargs.get("url_fetcher")
        self.sheet = sheet
        self.counter_styles = counter_styles or {}
        #: the values with ``var()``: each remembers whether it reported itself invalid
        self.pending = list(pending)
        self.messages = list(messages)


class _SharedSheets:
    """Stands in for ``weasyprint.CSS`` inside ``weasyprint.css``: linked sheets are parsed once per cache."""

    def __init__(self, cache: dict) -> None:
        self.cache = cache

    def __call__(self, *args: Any, **kwargs: Any):
        key = self._key(args, kwargs)
        if key is None:
            return _ORIGINAL(*args, **kwargs)
        parsed = self.cache.get(key)
        if parsed is None:
            parsed = self.cache[key] = self._parse(kwargs)
        if parsed.sheet is None:
            return _ORIGINAL(*args, **kwargs)
        return self._copy_for_document(parsed, kwargs)

    @staticmethod
    def _key(args: tuple, kwargs: dict) -> tuple | None:
        """The cache key of a linked sheet (address, media, fonts, fetcher); ``None`` for any other sheet."""
        if args or kwargs.get("url") is None or kwargs.get("matcher") is not None or kwargs.get("layer") is not None:
            return None
        if any(kwargs.get(name) is not None for name in ("guess", "filename", "file_obj", "string", "base_url")):
            return None
        return (
            kwargs["url"],
            kwargs.get("media_type", "print"),
            kwargs.get("_check_mime_type", False),
            id(kwargs.get("font_config")),
            id(kwargs.get("url_fetcher")),
        )

    @staticmethod
    def _parse(kwargs: dict) -> _Parsed:
        """Parse the sheet on its own, recording what the parse adds and logs; a sheet that cannot be
        shared (see the module's docstring) is not kept: its :attr:`_Parsed.sheet` is ``None``."""
        counter_styles = UA_COUNTER_STYLE.copy()  # what a document's sheets are parsed over
        color_profiles: dict = {}
        pending: list = []
        recorder = Records(logging.DEBUG)
        logger = logging.getLogger(_LOGGER)
        # only the recorder hears this parse: each document, the first one too, hears it again from the copy
        handlers, propagate = logger.handlers[:], logger.propagate
        logger.handlers, logger.propagate = [recorder], False
        init = Pending.__init__

        def noted(self, *args, **kwargs) -> None:
            init(self, *args, **kwargs)
            pending.append(self)

        try:
            with replaced(Pending, "__init__", init, noted):
                sheet = _ORIGINAL(
                    **{**kwargs, "counter_style": counter_styles, "color_profiles": color_profiles, "page_rules": [], "layers": []}
                )
        except Exception:
            sheet = None  # a sheet that fails to load: parsed per document, so that WeasyPrint reports it each time
        finally:
            logger.handlers, logger.propagate = handlers, propagate
        if sheet is None or sheet.layers or color_profiles:
            return _Parsed(kwargs)  # parsed again with the document's own state, now and from now on
        added = {name: style for name, style in counter_styles.items() if UA_COUNTER_STYLE.get(name) is not style}
        return _Parsed(kwargs, sheet, added, pending, recorder.records)

    @staticmethod
    def _copy_for_document(parsed: _Parsed, kwargs: dict):
        """The parsed sheet for one document, with the document's own lists holding what the parse added."""
        page_rules = kwargs.get("page_rules")
        page_rules = [] if page_rules is None else page_rules
        page_rules.extend(parsed.sheet.page_rules)
        if kwargs.get("counter_style") is not None:
            kwargs["counter_style"].update(parsed.counter_styles)
        for value in parsed.pending:
            value._reported_error = False
        layers = kwargs.get("layers")
        sheet = copy.copy(parsed.sheet)
        sheet.page_rules = page_rules
        sheet.layers = [] if layers is None else layers
        for record in parsed.messages:
            logging.getLogger(record.name).handle(record)
        return sheet


@contextmanager
def shared_stylesheets(cache: dict) -> Iterator[bool]:
    """While the block runs, linked stylesheets are parsed once into ``cache`` (keep one per export).

    Yields whether this block shares them: not with a WeasyPrint lacking the name this replaces, nor
    inside another such block (whose cache then goes on being used).
    """
    with replaced(_css_module, "CSS", _ORIGINAL, _SharedSheets(cache)) as active:
        yield active
