"""Parse each linked print stylesheet once per export, not once per document laid out.

Why this exists: WeasyPrint fetches and parses every ``<link rel="stylesheet">``
again for each document it lays out (``weasyprint.css.find_stylesheets`` calls
``CSS(url=...)``). The export lays out a dozen documents, and some of them
more than once, all with the same ``print.css``. Parsing it was about a tenth of
the export's time. WeasyPrint keeps no parse cache of its own, so while a
document is laid out, :func:`shared_stylesheets` replaces the name ``CSS`` that
``find_stylesheets`` calls with :class:`_SharedSheets`. It parses a linked sheet
the first time and hands each later document a copy of the parsed sheet.

A parse also adds to the state of the document it is for. The copy gives each
document the same additions:

* the sheet's ``@page`` rules go into the document's own list of page rules;
* its ``@counter-style`` and ``@color-profile`` definitions go into the document's dictionaries;
* WeasyPrint's warnings about the sheet are logged again, so each document reports them as before;
* ``@font-face`` rules were registered in the shared ``FontConfiguration`` at the first parse.
  So the cache is kept per font configuration.

Some sheets are parsed per document as before:

* a sheet that declares cascade layers, since their order depends on the document's other sheets;
* a sheet that failed to load;
* ``<style>`` elements and ``@import`` rules, which WeasyPrint parses into the sheet that holds them.

The tests check that every PDF of the briefing comes out byte-identical with and without it.
"""

from __future__ import annotations

import copy
import logging
from contextlib import contextmanager
from typing import Any, Iterator

from ..logs import Records

try:  # WeasyPrint's internals: without them every document parses its sheets, as WeasyPrint does
    import weasyprint.css as _css_module

    _ORIGINAL = _css_module.CSS
except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
    _css_module = None
    _ORIGINAL = None

#: The loggers whose messages about a sheet are logged again for each document that uses it.
_LOGGER = "weasyprint"


class _Parsed:
    """A linked sheet parsed once: the sheet (``None`` if it cannot be shared), what its parse added
    to the document and what it logged, and the fonts and fetcher it was parsed with."""

    def __init__(self, kwargs: dict, sheet=None, counter_styles=None, color_profiles=None, messages=()) -> None:
        # held, not only their ids in the key: a dead object's id can be reused by a new one
        self.font_config = kwargs.get("font_config")
        self.url_fetcher = kwargs.get("url_fetcher")
        self.sheet = sheet
        self.counter_styles = counter_styles or {}
        self.color_profiles = color_profiles or {}
        self.messages = list(messages)

    def made_with(self, kwargs: dict) -> bool:
        """Whether this parse used the fonts and the fetcher of ``kwargs``."""
        return self.font_config is kwargs.get("font_config") and self.url_fetcher is kwargs.get("url_fetcher")


class _SharedSheets:
    """Stands in for ``weasyprint.CSS`` inside ``weasyprint.css``: linked sheets are parsed once per cache."""

    def __init__(self, cache: dict) -> None:
        self.cache = cache

    def __call__(self, *args: Any, **kwargs: Any):
        key = self._key(args, kwargs)
        if key is None:
            return _ORIGINAL(*args, **kwargs)
        parsed = self.cache.get(key)
        if parsed is None or not parsed.made_with(kwargs):
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
        """Parse the sheet on its own, recording what the parse adds and logs; a sheet that declares layers
        or fails to load is not kept (its :attr:`_Parsed.sheet` is ``None``)."""
        counter_styles: dict = {}
        color_profiles: dict = {}
        recorder = Records(logging.DEBUG)
        logger = logging.getLogger(_LOGGER)
        # only the recorder hears this parse: each document, the first one too, hears it again from the copy
        handlers, propagate = logger.handlers[:], logger.propagate
        logger.handlers, logger.propagate = [recorder], False
        try:
            sheet = _ORIGINAL(
                **{**kwargs, "counter_style": counter_styles, "color_profiles": color_profiles, "page_rules": [], "layers": []}
            )
        except Exception:
            sheet = None  # a sheet that fails to load: parsed per document, so that WeasyPrint reports it each time
        finally:
            logger.handlers, logger.propagate = handlers, propagate
        if sheet is None or sheet.layers:
            return _Parsed(kwargs)  # parsed again with the document's own lists, now and from now on
        return _Parsed(kwargs, sheet, counter_styles, color_profiles, recorder.records)

    @staticmethod
    def _copy_for_document(parsed: _Parsed, kwargs: dict):
        """The parsed sheet for one document, with the document's own lists holding what the parse added."""
        page_rules = kwargs.get("page_rules")
        page_rules = [] if page_rules is None else page_rules
        page_rules.extend(parsed.sheet.page_rules)
        for name, added in (("counter_style", parsed.counter_styles), ("color_profiles", parsed.color_profiles)):
            if kwargs.get(name) is not None:
                kwargs[name].update(added)
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

    Yields whether sheets are shared (not with a WeasyPrint lacking the name this replaces, nor inside another such block).
    """
    if _css_module is None or getattr(_css_module, "CSS", None) is not _ORIGINAL:
        yield False
        return
    _css_module.CSS = _SharedSheets(cache)
    try:
        yield True
    finally:
        _css_module.CSS = _ORIGINAL
