"""The record models: one declaration of sources, facts and reviews.

Validation, the JSON Schema written by ``briefing schema`` and the field
reference in the docs all follow from these classes. Field names are the
contract of ``RECORDS.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .. import units

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80),
    Field(description="lower-case letters, digits and hyphens, starting with a letter or digit"),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def _web_url(value: Any) -> Any:
    if isinstance(value, str):
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme not in ("http", "https"):
            raise ValueError(f"URL scheme {scheme + ':' if scheme else '(none)'} not allowed; use http or https")
        if any(c.isspace() for c in value) or "//" not in value:
            raise ValueError("not a valid web address")
    return value


WebUrl = Annotated[str, BeforeValidator(_web_url), StringConstraints(max_length=2000)]


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"date {value.isoformat()} is in the future")
    return value


def _plain_date(value: Any) -> Any:
    # YAML gives datetime for "2026-06-30 12:00"; the records are about days
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    return value


PastDate = Annotated[
    dt.date, BeforeValidator(_plain_date), AfterValidator(_not_future), Field(description="YYYY-MM-DD, not in the future")
]


class Qualifier(str, Enum):
    """How a figure relates to the true amount."""

    exact = "exact"
    about = "about"
    up_to = "up-to"
    at_least = "at-least"
    more_than = "more-than"
    less_than = "less-than"


class SourceKind(str, Enum):
    government = "government"
    wire = "wire"
    news = "news"
    analysis = "analysis"
    aggregator = "aggregator"
    dataset = "dataset"


class Rating(str, Enum):
    accurate = "accurate"
    imprecise = "imprecise"
    misleading = "misleading"
    incorrect = "incorrect"
    unsupported = "unsupported"


class Record(BaseModel):
    """Common base: unknown fields are errors, and each record remembers where it came from."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    _file: str = PrivateAttr(default="")
    _index: int = PrivateAttr(default=0)

    def place(self, file: str, index: int) -> None:
        self._file, self._index = file, index

    @property
    def file(self) -> str:
        """Path of the file the record was read from, relative to the root."""
        return self._file

    @property
    def index(self) -> int:
        """Position of the record in its file's list."""
        return self._index


class Source(Record):
    """A source document, listed once in ``facts/sources.yaml``."""

    id: Slug
    title: Text = Field(description="the document's own title")
    publisher: Text = Field(description="who published it")
    kind: SourceKind
    url: WebUrl | None = Field(None, description="http(s) address of the document")
    archive_url: WebUrl | None = Field(None, description="http(s) address of a snapshot of the page")
    published: PastDate | None = Field(None, description="publication date")
    accessed: PastDate = Field(description="date the editor read it")
    document: str | None = Field(
        None, description="file name of the document's text in the snapshot folder, if known (only to name the file whose hash changed)"
    )
    snapshot: Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")] | None = Field(
        None, description="sha256:<hex> of the stored text of the document (briefing source add writes it)"
    )
    via: list[Text] | None = Field(
        None,
        description="the outlets whose reporting this source relays (e.g. [Kyodo News]), first the main one; "
        "status counts origins, not publishers",
    )
    note: Text | None = Field(None, description="editors' remark on the source, in their own words")


#: Digits a figure may have before and after its decimal point, and in all: the largest amounts in public
#: finance have about fifteen; a longer number is a typing error or an attack on the formatter (whose exact
#: arithmetic keeps 28 digits, two of them taken by percentages).
MAX_INTEGER_DIGITS = 24
MAX_FRACTION_DIGITS = 12
MAX_SIGNIFICANT_DIGITS = 24
#: A value string: ASCII digits, an optional sign and decimal point, commas only as thousands separators in
#: a grouping no reader can take for a decimal comma ("1,500,000" or "1,500.5"; not "1,5", "1,500" or "1.000,5").
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|,[0-9]{3}\.[0-9]+)")


def _bounded(number: Decimal, shown: str) -> Decimal:
    sign, digits, exponent = number.as_tuple()
    fraction = max(0, -exponent)
    integer = max(0, len(digits) + exponent) if exponent < 0 else len(digits) + exponent
    if integer > MAX_INTEGER_DIGITS:
        raise ValueError(f"{shown} has {integer} digits before the decimal point; a figure has at most {MAX_INTEGER_DIGITS}")
    if fraction > MAX_FRACTION_DIGITS:
        raise ValueError(f"{shown} has {fraction} digits after the decimal point; a figure has at most {MAX_FRACTION_DIGITS}")
    significant = len(number.normalize().as_tuple().digits)
    if significant > MAX_SIGNIFICANT_DIGITS:
        raise ValueError(f"{shown} has {significant} significant digits; a figure has at most {MAX_SIGNIFICANT_DIGITS}")
    return number


def exact_number(value: Any) -> Decimal:
    """An exact number from an integer or a decimal string; floats and booleans are refused, as are
    numbers too long to be a figure, digits other than ASCII 0-9 and commas that could be decimal commas."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, float):
        raise ValueError(
            f"binary floating-point number {value!r} is not exact; write it as a quoted decimal string: \"{value!r}\""
        )
    if isinstance(value, int):
        return _bounded(Decimal(value), "number")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 2 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS):
            raise ValueError(f"a text of {len(text)} characters is too long for a figure")
        other = None if text.isascii() else next((c for c in text if c.isdigit() and not c.isascii()), None) or next(
            (c for c in text if unicodedata.category(c) == "Nd" and not c.isascii()), None
        )
        if other is not None:
            raise ValueError(f"{value!r} uses the digit {other!r} (U+{ord(other):04X}); write figures with the digits 0-9")
        if "," in text and not _GROUPED_NUMBER.fullmatch(text):
            raise ValueError(
                f"{value!r}: the comma could be a decimal comma or a thousands separator; write the number without commas, "
                "with a point for decimals (\"1500\", \"1.5\")"
            )
        if not _PLAIN_NUMBER.fullmatch(text.replace(",", "")):
            if re.fullmatch(r"[+-]?(?:[0-9.]+e[+-]?[0-9]+|inf|infinity|s?nan)", text.lower()):
                raise ValueError(f"{value!r} is not a plain decimal number")
            raise ValueError(f"{value!r} is not a number; write digits such as \"387300000000\" or \"162.5\"")
        return _bounded(Decimal(text.replace(",", "")), repr(value))
    raise ValueError(f"expected a number, got {type(value).__name__}")


ExactNumber = Annotated[
    Decimal,
    BeforeValidator(exact_number),
    Field(json_schema_extra={"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?[0-9][0-9,]*(\.[0-9]+)?$"}]}),
]


class Citation(BaseModel):
    """A source's verbatim statement of a fact."""

    model_config = ConfigDict(extra="forbid")

    source: Slug = Field(description="id of a source in sources.yaml")
    quote: Text = Field(description="verbatim excerpt of the source, about 30 words at most, stating the figure")
    locator: Text | None = Field(None, description="where in the source: paragraph, page, heading")
    states: ExactNumber | None = Field(
        None,
        description="which of several figures in the quote this citation states (needed only when the quote states "
        "more than one figure of the fact's kind); the checker compares it with the fact's value",
    )
    via: list[Text] | None = Field(
        None, description="the outlet(s) this quote relays, when they differ from its source's 'via' (e.g. [Nikkei])"
    )


class Range(BaseModel):
    """A figure given as a range."""

    model_config = ConfigDict(extra="forbid")

    low: ExactNumber
    high: ExactNumber

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.low > self.high:
            raise ValueError("low is greater than high")
        return self


Value = Union[Range, dt.date, list[Text], Decimal, str]


class Fact(Record):
    """A fact: a figure or statement with the citations that support it."""

    id: Slug
    label: Text = Field(description="short noun phrase in the editors' own words")
    unit: str = Field(description="ISO 4217 code, a declared unit, or date, names, text")
    value: Any = Field(
        description="a number (integer or decimal string), {low, high}, a date, a list of names, or a short text",
        json_schema_extra={
            "anyOf": [
                {"type": "integer"},
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "properties": {"low": {}, "high": {}}, "required": ["low", "high"]},
            ]
        },
    )
    qualifier: Qualifier = Qualifier.exact
    as_of: PastDate = Field(description="date the figure was stated or refers to")
    period: Text | None = Field(None, description="the span it covers, e.g. FY2026-FY2030")
    status: Literal["disputed", "retracted"] | None = Field(None, description="set only by editors, with a note")
    note: Text | None = Field(None, description="editors' remark, in their own words")
    citations: list[Citation] = Field(min_length=1)

    _topic: str = PrivateAttr(default="")

    @field_validator("unit")
    @classmethod
    def _declared_unit(cls, unit: str, info: ValidationInfo) -> str:
        extra = tuple((info.context or {}).get("extra_units", ()))
        if not units.is_known(unit, extra):
            raise ValueError(f"unknown unit {unit!r}; use an ISO 4217 currency code or one of: {', '.join(units.declared_units(extra))}")
        return unit

    @field_validator("value", mode="before")
    @classmethod
    def _value_for_unit(cls, value: Any, info: ValidationInfo) -> Value:
        unit = info.data.get("unit")
        if unit is None:  # the unit itself is missing or invalid: reported there
            return value
        if unit == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            raise ValueError("a fact with unit 'date' needs a date value (YYYY-MM-DD)")
        if unit == "names":
            if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
                return [v.strip() for v in value]
            raise ValueError("a fact with unit 'names' needs a non-empty list of names")
        if unit == "text":
            if isinstance(value, str) and value.strip():
                return value.strip()
            raise ValueError("a fact with unit 'text' needs a short text")
        if isinstance(value, dict):
            return Range.model_validate(value)
        return exact_number(value)

    @field_validator("qualifier")
    @classmethod
    def _qualifier_for_numbers(cls, qualifier: Qualifier, info: ValidationInfo) -> Qualifier:
        if qualifier is not Qualifier.exact and info.data.get("unit") in units.KIND_UNITS:
            raise ValueError(f"qualifier {qualifier.value!r} applies only to numbers")
        return qualifier

    @model_validator(mode="after")
    def _status_needs_note(self) -> "Fact":
        if self.status and not self.note:
            # a rule across two fields: the "field" context makes the finding point at 'status'
            raise PydanticCustomError(
                "field_rule", "status '{status}' set by an editor needs a note saying why", {"field": "status", "status": self.status}
            )
        return self

    @property
    def topic(self) -> str:
        """The briefing topic: the fact file's name without extension."""
        return self._topic

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, (Decimal, Range))


class Review(Record):
    """The desk's verdict on a claim made in a source."""

    id: Slug
    claim: Text = Field(description="the claim, verbatim")
    source: Slug = Field(description="id of the source where the claim appeared")
    fact: Slug = Field(description="id of the fact the claim is checked against")
    rating: Rating
    explanation: Text = Field(description="the desk's reasoning, in its own words")
    date: PastDate | None = Field(None, description="date of the review (defaults to the fact's as_of)")


#: Which model the records of a file follow, by file name.
SOURCES_FILE = "sources.yaml"
REVIEWS_FILE = "reviews.yaml"
#: Figures of the snapshots the desk reviewed and found irrelevant (see check/audit.py): not records.
AUDIT_FILE = "audit.yaml"
