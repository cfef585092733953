"""Settings of a briefing project, each with a default.

They are read from ``[tool.briefing]`` in the root's ``pyproject.toml`` when
there is one, so that ``briefing check`` needs nothing but ``facts/``.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator


class Settings(BaseModel):
    """Project settings; every field is optional in ``[tool.briefing]``."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("Japan's sovereign AI programme", description="Title of the briefing (site name, PDF cover).")
    subject: str = Field(
        "The Noetra consortium, its government funding and its robot deployment targets",
        description="One line on what the briefing covers (PDF cover).",
    )
    desk: str = Field("The briefing desk", description="Name of the desk that publishes the briefing (fact-check author).")
    licence: str = Field(
        "CC BY 4.0",
        description="Licence of the desk's own text and data on the site and in the PDFs (quotes remain their owners').",
    )
    licence_url: str | None = Field(
        "https://creativecommons.org/licenses/by/4.0/",
        description="Address of the licence's text; none to name the licence without a link.",
    )
    corrections_contact: str | None = Field(
        None,
        description="Where readers send corrections besides the repository (an e-mail address or a web address); "
        "shown on the About page and in the footer.",
    )
    locale: str = Field("en", description="Babel locale used to format numbers, currencies and dates.")
    facts_dir: str = Field("facts", description="Folder of the fact records, relative to the root.")
    templates_dir: str = Field("templates", description="Folder of the Jinja page templates.")
    site_dir: str = Field(
        "site",
        description="Folder the site is published into, relative to the root (by `briefing build` and by a "
        "plain `mkdocs build` alike; mkdocs.yml names none).",
    )
    cache_dir: str = Field(
        ".cache/briefing",
        description="Folder where builds keep what they may reuse (the compiled templates): a folder of its own "
        'inside the project, relative to the root; never published, ignored by git, safe to delete; "" to keep nothing.',
    )

    @field_validator("cache_dir")
    @classmethod
    def _cache_dir_of_its_own(cls, value: str, info: ValidationInfo) -> str:
        """The cache is a folder inside the project, apart from the folders a build reads or publishes."""
        if not value:
            return value
        path = PurePosixPath(value.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts or path.parts == (".",):
            raise ValueError("must be a folder inside the project, such as '.cache/briefing' (or \"\" for none)")
        others = {name: info.data.get(name) for name in ("facts_dir", "templates_dir", "site_dir")} | {"the pages": "docs"}
        for name, other in others.items():
            if not other:
                continue
            theirs = PurePosixPath(other).parts
            if path.parts[: len(theirs)] == theirs or theirs[: len(path.parts)] == path.parts:
                raise ValueError(f"must be a folder of its own, apart from {name} ({other!r}), such as '.cache/briefing'")
        return value

    conversion_tolerance: Decimal = Field(
        Decimal("0.05"),
        description="Relative difference allowed between a converted amount and the reference exchange rate.",
    )
    agreement_tolerance: Decimal = Field(
        Decimal("0.02"),
        description="Relative difference allowed between two citations' rounded statements of one figure.",
    )
    currency_symbols: dict[str, str] = Field(
        default_factory=lambda: {"USD": "US$"},
        description="Symbols used instead of the locale's own, where the locale's is ambiguous (\"$\").",
    )
    extra_units: list[str] = Field(default_factory=list, description="Units declared in addition to the built-in list.")
    snapshots: str | None = Field(
        None,
        description="Folder of the source snapshots (texts found by content hash), relative to the root; "
        "`--snapshots DIR` and BRIEFING_SNAPSHOTS override it.",
    )
    check_figures: bool = Field(
        True,
        description="Fail the build on any digit in article prose that is not a figure from a fact (the central promise).",
    )
    stale_after_days: int = Field(
        365,
        ge=1,
        description="A citation whose source was last read (`accessed`) more than this many days ago gets a warning.",
    )


def load_settings(root: Path) -> Settings:
    """Settings of the project at ``root`` (defaults where ``pyproject.toml`` says nothing).

    A malformed ``pyproject.toml`` or a wrong setting raises :class:`BriefingError`
    carrying located findings, never a traceback.
    """
    from .findings import BriefingError, Location, Report

    pyproject = root / "pyproject.toml"
    data: dict = {}
    text = ""
    if pyproject.is_file():
        report = Report()
        try:
            text = pyproject.read_text(encoding="utf-8")
            tool = tomllib.loads(text).get("tool", {})
            data = tool.get("briefing", {}) if isinstance(tool, dict) else {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            where = Location("pyproject.toml", int(m.group(1)), int(m.group(2))) if m else Location("pyproject.toml")
            report.error(where, f"cannot read settings: {exc}", "settings")
            raise BriefingError("invalid pyproject.toml", report) from None
        if not isinstance(data, dict):
            report.error(Location("pyproject.toml"), "[tool.briefing] must be a table of settings", "settings")
            raise BriefingError("invalid settings", report)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        report = Report()
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else ""
            m = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*=", text, re.M) if name else None
            line = text.count("\n", 0, m.start()) + 1 if m else 1
            message = f"unknown setting {name!r} (allowed: {', '.join(Settings.model_fields)})" if err["type"] == "extra_forbidden" else f"{name}: {err['msg']}"
            report.error(Location("pyproject.toml", line, 1), f"[tool.briefing] {message}", "settings")
        raise BriefingError("invalid settings", report) from None


def settings_table() -> str:
    """The Markdown table of every setting (name, type, default, description), made from :class:`Settings`:
    the README shows it, and a test keeps the two equal."""
    import json

    rows = ["| setting | type | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        kind = annotation.__name__ if isinstance(annotation, type) else str(annotation)
        kind = kind.replace("decimal.", "").replace(" | None", " or none")  # a "|" would end the table's cell
        default = field.get_default(call_default_factory=True)
        shown = "none" if default is None else json.dumps(default if not isinstance(default, Decimal) else str(default), ensure_ascii=False)
        rows.append(f"| `{name}` | `{kind}` | `{shown}` | {field.description} |".replace("\n", " "))
    return "\n".join(rows) + "\n"


def setting_location(root: Path, name: str):
    """Where setting ``name`` is written in the root's ``pyproject.toml`` (the file itself if nowhere)."""
    from .findings import Location

    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Location("pyproject.toml")
    m = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*=", text, re.M)
    return Location("pyproject.toml", text.count("\n", 0, m.start()) + 1, 1) if m else Location("pyproject.toml")
