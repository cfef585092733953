"""Read the amounts that a short English news quote states.

``extract_amounts("up to 1 trillion yen ($6.1 billion) over the next five years")``
gives three :class:`Amount` records: JPY 1000000000000 (``up-to``), USD
6100000000 (``exact``) and the count 5.  :func:`states_value` answers the
question the checker actually asks: does this quote state this value?

Why this is hand-written
------------------------
No maintained library reads scale words, currencies and qualifiers together
into exact decimals:

* ``price-parser`` (scrapinghub) parses *one* price per string, reports the
  currency as the symbol it saw (``"$"``, not ``"USD"``), knows no scale words
  (``"1 trillion yen"`` is just 1), refuses percentages, and guesses European
  separators: three digits after a dot are taken as a thousands group, so
  ``"2.383 billion"`` would read as 2383.  Wrapping it would need as much code
  as this module, so it is not used.
* ``quantulum3`` returns floats (``6.1e9`` is not exact), ships a large unit
  database and a classifier, and does not report comparative qualifiers.
* ``number-parser`` and similar only turn number words into integers.

The module is table driven: the scale words, abbreviations, currency
symbols/codes/names and qualifier phrases below are the whole vocabulary.
Only :class:`decimal.Decimal` is used for values, never ``float``.

Rules in brief
--------------
* Digits may carry thousands separators (``1,000,000``) and a decimal point
  (``387.3``); ``.`` is always the decimal point.
* Scale words (``thousand``, ``million``, ``billion``, ``trillion``,
  ``hundred``, ``dozen``) and abbreviations (``k``, ``M``, ``bn``, ``tn``,
  ``T``, ...) multiply the number.  Lower-case ``m``/``b`` glued to a number
  count only after a currency symbol (``$5m``), since ``5m`` is often metres.
* A currency may come before (``¥``, ``US$``, ``USD``) or after (``yen``,
  ``won``, ``USD``) the number; it is reported as an ISO 4217 code.
* ``%``, ``percent`` and ``per cent`` give the unit ``"percent"``;
  ``half of`` / ``approximately half`` give 50 percent.
* A qualifier phrase directly before the amount (``up to``, ``more than``,
  ``approximately``, ``~`` ...) sets :attr:`Amount.qualifier`.
* The number words one..twenty count only when a noun, a unit or a scale of
  a thousand or more follows (``five years``, ``a dozen sectors``), so
  ``one of them`` is not an amount.
* Numbers glued to letters are not amounts: ``FY2026``, ``art-46633``,
  ``30th``, ``5km``, ``3D``.  Years and days are returned as bare numbers
  (``by 2040`` gives 2040, ``June 30, 2026`` gives 30 and 2026).
* A parenthesised conversion is simply a second amount, with its own
  qualifier: ``1 trillion yen (about $6.1 billion)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Iterator

__all__ = [
    "Amount",
    "AmountReader",
    "QUALIFIERS",
    "amount_words",
    "extract_amounts",
    "parse_amount",
    "states_value",
]

# --------------------------------------------------------------------------
# Tables: the whole vocabulary.
# --------------------------------------------------------------------------

#: Scale words written out after a number ("387.3 billion").
SCALE_WORDS: dict[str, Decimal] = {
    "dozen": Decimal(12),
    "hundred": Decimal(100),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}

#: Abbreviations that may follow a number after a space ("5 bn") or glued ("$6bn").
SPACED_ABBREVIATIONS: dict[str, Decimal] = {
    "mn": SCALE_WORDS["million"],
    "mln": SCALE_WORDS["million"],
    "bn": SCALE_WORDS["billion"],
    "bln": SCALE_WORDS["billion"],
    "tn": SCALE_WORDS["trillion"],
    "trn": SCALE_WORDS["trillion"],
}

#: Abbreviations that only count when glued to the number ("23k", "$3.7M", "¥1T").
GLUED_ABBREVIATIONS: dict[str, Decimal] = {
    **SPACED_ABBREVIATIONS,
    "k": SCALE_WORDS["thousand"],
    "K": SCALE_WORDS["thousand"],
    "M": SCALE_WORDS["million"],
    "B": SCALE_WORDS["billion"],
    "T": SCALE_WORDS["trillion"],
    "m": SCALE_WORDS["million"],  # only after a currency symbol
    "b": SCALE_WORDS["billion"],  # only after a currency symbol
}
_NEEDS_CURRENCY = {"m", "b"}

#: Currency symbols written before the number.
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "S$": "SGD",
    "NT$": "TWD",
    "¥": "JPY",
    "￥": "JPY",
    "JP¥": "JPY",
    "CN¥": "CNY",
    "€": "EUR",
    "£": "GBP",
    "₩": "KRW",
}

#: ISO 4217 codes, before or after the number (case-sensitive).
CURRENCY_CODES: dict[str, str] = {
    code: code for code in ("USD", "JPY", "KRW", "EUR", "CNY", "GBP", "AUD", "CAD", "HKD", "SGD", "TWD")
} | {"RMB": "CNY"}

#: Currency names written after the number (case-insensitive regex -> code).
CURRENCY_NAMES: dict[str, str] = {
    r"(?:U\.?S\.?\s+)?dollars?": "USD",
    r"yen": "JPY",
    r"won": "KRW",
    r"euros?": "EUR",
    r"yuan|renminbi": "CNY",
    r"pounds?(?:\s+sterling)?": "GBP",
}

#: Qualifier phrases that may directly precede an amount.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "about": (
        "approximately", "approx.", "about", "around", "roughly", "some",
        "nearly", "almost", "an estimated", "estimated", "close to", "circa", "~",
    ),
    "up-to": (
        "up to", "as much as", "as many as", "a maximum of", "maximum of",
        "at most", "no more than", "not more than",
    ),
    "at-least": (
        "at least", "no fewer than", "no less than", "not less than",
        "a minimum of", "minimum of",
    ),
    "more-than": ("more than", "over", "greater than", "in excess of", "upwards of"),
    "less-than": ("less than", "fewer than", "under", "below"),
}

#: Number words; "a"/"an" only count before a scale word ("a dozen", "a million").
NUMBER_WORDS: dict[str, Decimal] = {
    word: Decimal(i)
    for i, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(),
        start=1,
    )
} | {"a": Decimal(1), "an": Decimal(1)}

#: Words after a number word that show it is not counting a noun ("one of", "two are").
NOT_NOUNS = frozenset(
    """a an the of and or but nor to in on at by for with from into onto than as
    if so not no is are was were be been being has have had do does did will
    would can could may might must should shall that which who whom whose this
    these those it its they them their we us our you your he him his she her
    i me my another other others more each per too also only""".split()
)

# --------------------------------------------------------------------------
# Regexes built from the tables.
# --------------------------------------------------------------------------


def _alternation(options, *, escape: bool = True) -> str:
    """Longest first, so that "US$" wins over "$" and "up to" is not cut short."""
    ordered = sorted(options, key=len, reverse=True)
    return "|".join(re.escape(o) if escape else o for o in ordered)


_CORE = re.compile(
    r"(?P<digits>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?)"
    r"|\b(?P<word>" + _alternation(NUMBER_WORDS) + r"|half)\b",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?P<code>" + _alternation(CURRENCY_CODES) + r")"
    r"|(?<![A-Za-z])(?P<symbol>" + _alternation(CURRENCY_SYMBOLS) + r")"
    r"|(?P<bare>[$¥￥€£₩]))\s?$"
)
_QUALIFIER_PHRASE = {phrase: kind for kind, phrases in QUALIFIERS.items() for phrase in phrases}
_QUALIFIER_BEFORE = re.compile(
    r"(?<![A-Za-z])(?P<q>" + _alternation(_QUALIFIER_PHRASE) + r")\s*$", re.IGNORECASE
)
_GLUED_ABBREVIATION = re.compile(r"(?:" + _alternation(GLUED_ABBREVIATIONS) + r")(?![A-Za-z0-9])")
_SCALE = re.compile(
    r"\s+(?P<s>" + _alternation(SCALE_WORDS) + "|" + _alternation(SPACED_ABBREVIATIONS) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\s?%|\s+(?:percent|per\s+cent|pct)\b", re.IGNORECASE)
_CODE_AFTER = re.compile(r"\s?(?P<code>" + _alternation(CURRENCY_CODES) + r")(?![A-Za-z])")
_NAME_AFTER = re.compile(
    r"\s+(?:" + "|".join(f"(?P<n{i}>{rx})" for i, rx in enumerate(CURRENCY_NAMES)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_NAME_CODES = list(CURRENCY_NAMES.values())
_NEXT_WORD = re.compile(r"\s+(?P<w>[A-Za-z][A-Za-z'’-]*)")
_HALF_A = re.compile(r"\s+an?\s+(?P<s>" + _alternation(SCALE_WORDS) + r")\b", re.IGNORECASE)
_HALF_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_LOOKBACK = 40  # characters searched for a currency or qualifier before a number

# Speed (the checker reads tens of thousands of quotes). None of this changes what is read:
# * Case-insensitive matching is slow in ``re``. Lower-casing the text first gives the same
#   matches at the same offsets with a case-sensitive pattern, unless the text holds one of the
#   four characters that ``re`` folds onto an ASCII letter but ``str.lower`` does not map onto
#   it one for one (dotted and dotless I, long s, Kelvin sign); such texts take the original pattern.
# * A qualifier or currency can only be found before a number if the text just before it ends
#   with a character one of them ends with; otherwise the windowed search is skipped.
#   (The lookahead only lets the engine skip quickly to where a match can start: a digit or the
#   first letter of a number word.)
_CORE_LOWER = re.compile(
    r"(?=[\d" + "".join(sorted({word[0] for word in [*NUMBER_WORDS, "half"]})) + "])(?:" + _CORE.pattern + ")"
)
_FOLD_ODDITIES = ("\u0130", "\u0131", "\u017f", "\u212a")
_FOLDED = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def table_word(word: str) -> str:
    """A word that a case-insensitive pattern matched, spelled as the tables spell it: in lower case, and
    with the four letters ``re`` matches to ASCII letters (dotted and dotless I, long s, Kelvin sign:
    "ſix" matches "six") written as those letters, so that looking it up cannot fail."""
    return word.translate(_FOLDED).lower()
_QUALIFIER_ENDINGS = tuple(_QUALIFIER_PHRASE)  # lower case, as the qualifier tables are written

_BARE_SYMBOLS = {"$": "USD", "¥": "JPY", "￥": "JPY", "€": "EUR", "£": "GBP", "₩": "KRW"}
_CURRENCY_ENDINGS = tuple({*CURRENCY_CODES, *CURRENCY_SYMBOLS, *_BARE_SYMBOLS})


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """One amount stated in a text."""

    value: Decimal  # exact and scaled: "1 trillion yen" -> Decimal("1000000000000")
    unit: str | None  # ISO 4217 code, "percent", or None for a bare count
    qualifier: str  # exact, about, up-to, at-least, more-than, less-than
    start: int  # span of the whole match, qualifier and currency words included
    end: int
    text: str


def extract_amounts(text: str) -> list[Amount]:
    """Every amount stated in ``text``, in order of appearance."""
    return _extract(text)


class AmountReader:
    """:func:`extract_amounts` reading each text once: the checks read every quote several times (its figure,
    its agreement, its conversions, a date mistaken for a figure).

    One reader belongs to one fact base (``FactBase.amounts``), so what it remembers goes with that build's
    records and nothing is carried from one build to the next.
    """

    def __init__(self) -> None:
        self._read: dict[str, tuple[Amount, ...]] = {}

    def __call__(self, text: str) -> tuple[Amount, ...]:
        """The amounts of ``text`` in order of appearance, as a tuple shared by every caller."""
        found = self._read.get(text)
        if found is None:
            found = self._read[text] = tuple(_extract(text))
        return found


def _extract(text: str) -> list[Amount]:
    found: list[Amount] = []
    taken = 0  # end of the last match; cores inside it are part of it
    for core in _cores(text):
        if core.start() < taken:
            continue
        amount = _read_amount(text, core)
        if amount is not None:
            found.append(amount)
            taken = amount.end
    return found


def amount_words(text: str) -> list[str]:
    """The wording of each amount in ``text`` (e.g. ``["up to 1 trillion yen", "$6.1 billion"]``)."""
    return [a.text for a in extract_amounts(text)]


def parse_amount(text: str) -> Amount:
    """The single amount that makes up all of ``text`` (surrounding spaces and
    brackets aside), e.g. a fact record's ``"¥1 trillion"``.

    Raises :class:`ValueError` when ``text`` holds no amount, several, or
    other words besides.
    """
    amounts = extract_amounts(text)
    rest = (text[: amounts[0].start] + text[amounts[0].end :]) if len(amounts) == 1 else text
    if len(amounts) != 1 or rest.strip(" \t\n()[].,;:"):
        raise ValueError(f"not a single amount: {text!r}")
    return amounts[0]


def states_value(
    text: str,
    value: Decimal,
    unit: str | None,
    *,
    tolerance: Decimal = Decimal("0"),
) -> bool:
    """True when ``text`` states ``value`` in ``unit``.

    ``unit`` is a currency (ISO code, symbol or name: ``"JPY"``, ``"¥"``,
    ``"yen"``), ``"percent"``/``"%"``, or anything else -- ``None``,
    ``"robots"``, ``"firms"`` -- to mean a count, which matches amounts
    without a unit.  ``tolerance`` is relative: ``Decimal("0.05")`` accepts
    amounts within 5% of ``value``.  The qualifier is not considered
    (``"up to 1 trillion yen"`` states 1000000000000 JPY), and the scaled
    value is compared, so ``"approximately 2.383 billion USD"`` states
    2383000000 USD.
    """
    value = Decimal(value)
    tolerance = Decimal(tolerance)
    wanted = _normalise_unit(unit)
    limit = abs(value) * tolerance
    return any(
        a.unit == wanted and abs(a.value - value) <= limit for a in extract_amounts(text)
    )


# --------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------


def _normalise_unit(unit: str | None) -> str | None:
    """An ISO code, "percent", or None (a count) for the unit a caller names."""
    if unit is None:
        return None
    name = unit.strip()
    if name.lower() in {"percent", "per cent", "%", "pct"}:
        return "percent"
    if name.upper() in CURRENCY_CODES:
        return CURRENCY_CODES[name.upper()]
    if name in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[name]
    for rx, code in CURRENCY_NAMES.items():
        if re.fullmatch(rx, name, re.IGNORECASE):
            return code
    return None  # "robots", "firms", "count": a count


#: Amounts of more digits than this are not read from a quote (exact arithmetic keeps 60).
MAX_DIGITS = 40


def _tidy(value: Decimal) -> Decimal:
    """Plain form: Decimal("387300000000"), not "387300000000.0" or "3.873E+11"."""
    with localcontext() as ctx:
        ctx.prec = 60
        return _tidied(value)


def _tidied(value: Decimal) -> Decimal:
    """:func:`_tidy` in a context of 60 digits already set up."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _cores(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_CORE`` in ``text`` (their groups may be lower-cased; callers lower-case words anyway)."""
    if text.isascii() or not any(odd in text for odd in _FOLD_ODDITIES):
        return _CORE_LOWER.finditer(text.lower())
    return _CORE.finditer(text)


def _currency_before(text: str, start: int) -> tuple[str | None, int]:
    """(ISO code, start of the symbol) for a currency written just before ``start``."""
    low = max(0, start - _LOOKBACK)
    # the pattern ends with r"\s?$" (and "$" also matches before a final newline): the code or
    # symbol ends at ``start``, or one whitespace before it, or two if the last one is a newline
    if not text.endswith(_CURRENCY_ENDINGS, low, start):
        ends = []
        if start > low and text[start - 1].isspace():
            ends.append(start - 1)
            if text[start - 1] == "\n" and start - 1 > low and text[start - 2].isspace():
                ends.append(start - 2)
        if not any(text.endswith(_CURRENCY_ENDINGS, low, end) for end in ends):
            return None, start
    m = _CURRENCY_BEFORE.search(text, low, start)
    if m is None:
        return None, start
    if m.group("code"):
        return CURRENCY_CODES[m.group("code")], m.start()
    if m.group("symbol"):
        return CURRENCY_SYMBOLS[m.group("symbol")], m.start()
    return _BARE_SYMBOLS[m.group("bare")], m.start()


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    low = max(0, start - _LOOKBACK)
    end = start
    while end > low and text[end - 1].isspace():  # str.isspace is what r"\s" matches
        end -= 1
    window = text[low:end]
    if (window.isascii() or not any(odd in window for odd in _FOLD_ODDITIES)) and not window.lower().endswith(_QUALIFIER_ENDINGS):
        return None, start  # no phrase ends here (lower-casing matches as re.IGNORECASE does, see above)
    m = _QUALIFIER_BEFORE.search(text, low, start)
    if m is None:
        return None, start
    return _QUALIFIER_PHRASE[table_word(m.group("q"))], m.start()


def _glued_to_token(text: str, start: int) -> bool:
    """Is the number part of a token such as FY2026, art-46633 or 1.2.3?"""
    before = text[start - 1] if start else ""
    if before.isalpha() or before == "_":
        return True
    if before == "-" and start >= 2:  # art-46633, COVID-19; but 2024-2026 is two years
        return text[start - 2].isalpha()
    if before == "." and start >= 2:  # 1.2.3, No.5
        return text[start - 2].isalnum()
    return False


def _scales(text: str, pos: int) -> tuple[Decimal, int]:
    """Multiply out the scale words after ``pos`` ("hundred thousand")."""
    factor = Decimal(1)
    while (m := _SCALE.match(text, pos)) is not None:
        word = table_word(m.group("s"))
        factor *= SCALE_WORDS.get(word) or SPACED_ABBREVIATIONS[word]
        pos = m.end()
    return factor, pos


def _unit_after(text: str, pos: int) -> tuple[str | None, int]:
    if (m := _PERCENT.match(text, pos)) is not None:
        return "percent", m.end()
    if (m := _CODE_AFTER.match(text, pos)) is not None:
        return CURRENCY_CODES[m.group("code")], m.end()
    if (m := _NAME_AFTER.match(text, pos)) is not None:
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        return _NAME_CODES[index], m.end()
    return None, pos


def _read_amount(text: str, core: re.Match[str]) -> Amount | None:
    start, pos = core.start(), core.end()
    digits = core.group("digits")
    if not digits and core.group("word").lower() in ("a", "an"):
        # the commonest word of all counts only before a scale or a unit ("a million", "a dollar"); whatever
        # stands before it then, it is no amount (the checks below would find the same, after the look-behinds)
        factor, after = _scales(text, pos)
        if factor == 1 and _unit_after(text, after)[0] is None:
            return None
    currency, start = _currency_before(text, start)
    qualifier, start = _qualifier_before(text, start)

    if digits:
        if currency is None and _glued_to_token(text, core.start()):
            return None
        number = Decimal(digits.replace(",", "") if "," in digits else digits)
        factor = Decimal(1)
        glued = _GLUED_ABBREVIATION.match(text, pos)
        if glued and (glued.group() not in _NEEDS_CURRENCY or currency):
            factor, pos = GLUED_ABBREVIATIONS[glued.group()], glued.end()
        elif _CODE_AFTER.match(text, pos) is None and text[pos : pos + 1].isalpha():
            return None  # 30th, 5km, 3D
        more, pos = _scales(text, pos)
        factor *= more
        unit, pos = _unit_after(text, pos)
    else:
        if currency is not None:  # "$ five" is not how amounts are written
            currency, start = None, core.start()
            qualifier, start = _qualifier_before(text, start)
        word = table_word(core.group("word"))
        if _glued_to_token(text, core.start()):
            # the tail of a compound such as "forty-four": not read at all rather than misread as "four"
            return None
        if word == "half":
            return _read_half(text, core, qualifier, start)
        number = NUMBER_WORDS[word]
        factor, pos = _scales(text, pos)
        unit, pos = _unit_after(text, pos)
        if unit is None and factor < 1000:
            # "a"/"an" need a scale; small numbers need a noun ("five years").
            if word in ("a", "an") and factor == 1:
                return None
            nxt = _NEXT_WORD.match(text, pos)
            if nxt is None or nxt.group("w").lower() in NOT_NOUNS:
                return None

    if currency is not None:
        unit = currency  # the symbol before wins over a word after ("$5 USD")
    with localcontext() as ctx:
        ctx.prec = 60
        value = number * factor
        if len(number.as_tuple().digits) > MAX_DIGITS or value.adjusted() > MAX_DIGITS:
            return None  # no figure is that long (a record's is at most 30 digits): not read as an amount
        value = _tidied(value)
    return Amount(value, unit, qualifier or "exact", start, pos, text[start:pos])


def _read_half(text: str, core: re.Match[str], qualifier: str | None, start: int) -> Amount | None:
    """"half a million" is 500000; "half of" / "approximately half" is 50 percent."""
    pos = core.end()
    if (m := _HALF_A.match(text, pos)) is not None:
        value = SCALE_WORDS[table_word(m.group("s"))] / 2
        unit, end = _unit_after(text, m.end())
        return Amount(_tidy(value), unit, qualifier or "exact", start, end, text[start:end])
    if qualifier is not None or _HALF_OF.match(text, pos):
        return Amount(Decimal(50), "percent", qualifier or "exact", start, pos, text[start:pos])
    return None
