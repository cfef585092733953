"""Where a citation's figure comes from: its origin, not the page that carries it.

Four outlets relaying one Nikkei report are one origin. A source names the
outlets it relays with ``via:`` (the main one first); a citation may name its
own. A quote that attributes its figure ("media reports said", "according to
Kyodo", "the Nikkei reported") while its source names no origin gets a warning.

Names of publishers and outlets are compared after Unicode normalisation
(:func:`origin_key`): compatibility forms (NFKC), invisible characters removed,
look-alike letters of other scripts read as the Latin letters they imitate,
spacing collapsed, case folded, a leading "the" dropped. So "Kyodo\u00a0News",
"Kyоdo News" with a Cyrillic o and "Kyodo\u200bNews" cannot pass for a second,
independent origin.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from ..factbase import FactBase
from ..records.models import Citation, Source

#: A quote that credits its figure to someone else.
ATTRIBUTION = re.compile(
    r"\b(?:(?i:(?:media|news|press)\s+reports?\s+(?:said|say|says|suggest|suggested|showed|show))"
    r"|(?i:reportedly)"
    r"|according\s+to\s+(?:the\s+)?(?P<according>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*)"
    # "X reported": X a name, not a word that starts a sentence ("As reported earlier", "It reported")
    r"|(?:the\s+)?(?!(?:As|It|This|That|They|He|She|We|Which|What|Who|Earlier|Previously)\b)(?P<reporter>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|business|daily|news|newspaper|agency)){0,3})\s+(?:reported|reports|said\s+in\s+a\s+report))",
)


def _visible(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cf", "Cc", "Mn", "Zl", "Zp") or ch in "\n\t"


def origin_key(name: str) -> str:
    """The form in which two names of an outlet are compared (see the module's docstring)."""
    from confusable_homoglyphs import confusables

    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch if _visible(ch) else "" for ch in unicodedata.normalize("NFD", text))
    found = confusables.is_confusable(text, preferred_aliases=["latin"], greedy=True) or []
    table = {}
    for item in found:
        latin = [h["c"] for h in item["homoglyphs"] if h["c"].isascii() and h["c"].isalpha()]
        if latin:
            table[item["character"]] = latin[0]
    text = "".join(table.get(ch, ch) for ch in text)
    text = " ".join(text.split()).casefold()
    return text.removeprefix("the ")


class OriginKeys:
    """:func:`origin_key` working each name out once (a few milliseconds each: the look-alike table is searched
    letter by letter), for the status of every fact. One belongs to one fact base (``FactBase.origin_keys``)."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = origin_key(name)
        return key


def same_outlet(a: str, b: str, key: Callable[[str], str] = origin_key) -> bool:
    """Whether two names designate one outlet ("Nikkei" and "the Nikkei business daily", "Kyodo" and "Kyodo News");
    ``key`` is :func:`origin_key` or a fact base's :class:`OriginKeys`."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return False
    # spacing does not make another outlet: "KyodoNews" (or "Kyodo\u200bNews") is "Kyodo News"
    return ka.replace(" ", "") == kb.replace(" ", "") or _words_in(ka, kb) or _words_in(kb, ka)


def _words_in(short: str, long: str) -> bool:
    """Whether ``short`` is a run of whole words of ``long`` (both keys: words separated by one space)."""
    return f" {short} " in f" {long} "


def attribution(quote: str) -> tuple[bool, str | None]:
    """Whether the quote credits its figure to others, and the outlet it names, if any."""
    low = quote.lower()
    if "report" not in low and "according" not in low:  # every pattern holds one of them: most quotes skip the search
        return False, None
    m = ATTRIBUTION.search(quote)
    if m is None:
        return False, None
    return True, m.group("according") or m.group("reporter")


def origins(source: Source, citation: Citation, key: Callable[[str], str] = origin_key) -> list[str]:
    """The origins of a citation's figure: the citation's ``via``, else the outlet its quote names among
    the source's ``via``, else the source's main ``via``, else the source's publisher (names compared by ``key``,
    as in :func:`same_outlet`)."""
    if citation.via:
        return list(citation.via)
    if source.via:
        _, named = attribution(citation.quote)
        if named:
            matches = [v for v in source.via if same_outlet(v, named, key)]
            if matches:
                return matches[:1]
        return [source.via[0]]
    return [source.publisher]


def check_attributions(fb: FactBase) -> None:
    """Warn about quotes that credit their figure to others while neither the citation nor its source says who."""
    for fact in fb.facts.values():
        for i, citation in enumerate(fact.citations):
            source = fb.sources.get(citation.source)
            if source is None or citation.via or source.via:
                continue
            credited, named = attribution(citation.quote)
            if credited:
                who = f"to {named!r}" if named else "to other reports"
                fb.report.warning(
                    fb.where(fact, "citations", i, "quote"),
                    f"quote credits its figure {who} but source {source.id!r} names no origin: add 'via:' to the source "
                    f"(or the citation) naming the outlet(s) it relays, so that status counts origins, not pages",
                    "attribution",
                )
