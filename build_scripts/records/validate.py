"""Turn parsed YAML into validated records, reporting every problem at its line and column."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..factbase import FactBase
from ..findings import Location
from .files import file_problems
from .positions import key_locations
from .yaml_files import RawFile, load_file
from .text import check_file_text
from .models import AUDIT_FILE, REVIEWS_FILE, SOURCES_FILE, Fact, Range, Record, Review, Source


def fact_files(facts_dir: Path) -> list[Path]:
    """The YAML files of a facts folder, sorted so that every run reads them in one order (links that leave
    the project, broken or looping are not among them: :func:`load_factbase` reports them)."""
    from .files import fact_files as listed

    return listed(facts_dir)


#: A topic file's name without extension: the same rule as ids.
_TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_factbase(fb: FactBase) -> FactBase:
    """Read, parse and validate every file of the facts folder into ``fb``; problems go to ``fb.report``."""
    facts_dir = fb.root / fb.settings.facts_dir
    if not facts_dir.is_dir():
        fb.report.error(Location(fb.settings.facts_dir), "no facts folder here; pass --root to name the project", "no-facts")
        return fb
    for is_error, where, message in file_problems(fb.root, fb.settings.facts_dir, fb.settings.templates_dir):
        (fb.report.error if is_error else fb.report.warning)(where, message, "file")
    files = fact_files(facts_dir)
    # when the sources file cannot be read, citations of its sources are not reported as unknown too
    sources_read = any(p.name == SOURCES_FILE for p in files)
    if not sources_read:
        fb.report.error(Location(f"{fb.settings.facts_dir}/{SOURCES_FILE}"), "missing: every project needs its sources file", "no-sources")
    # sources first, reviews last: facts refer to sources, reviews to facts
    order = sorted(files, key=lambda p: (p.name != SOURCES_FILE, p.name == REVIEWS_FILE, p.name))
    for path in order:
        if path.name == AUDIT_FILE:  # the audit's marks, read by the audit (check/audit.py), not records
            continue
        if path.name not in (SOURCES_FILE, REVIEWS_FILE) and not _TOPIC.match(path.stem):
            # the topic names pages' anchors and data attributes: a slug, like ids
            rel = path.relative_to(fb.root).as_posix()
            fb.report.error(Location(rel), f"topic file name {path.name!r} is not a slug: use lower-case letters, digits and hyphens", "bad-topic")
        raw = load_file(path, fb.root, fb.report)
        fb.locator.keep(raw)  # findings in this file are located on this parse
        if path.name == SOURCES_FILE and (not raw.parsed or not isinstance(raw.data, list)):
            sources_read = False
        if not raw.parsed:
            continue
        if raw.data is None:  # parsed, but the document is empty (e.g. only comments)
            fb.report.error(Location(raw.rel), "file holds no records; expected a list of records", "empty-file")
            continue
        model = Source if path.name == SOURCES_FILE else Review if path.name == REVIEWS_FILE else Fact
        check_file_text(fb, raw, urls=model is Source)
        _validate_file(fb, raw, model)
    _check_references(fb, sources_read)
    return fb


def _validate_file(fb: FactBase, raw: RawFile, model: type[Record]) -> None:
    if not isinstance(raw.data, list):
        got = "nothing" if raw.data is None else type(raw.data).__name__
        fb.report.error(fb.locator.locate(raw.rel, ()), f"expected a list of records at the top level, found {_kind(raw.data) or got}", "not-a-list")
        return
    topic = raw.path.stem
    registry: dict[str, Record] = {Source: fb.sources, Fact: fb.facts, Review: fb.reviews}[model]
    context = {"extra_units": tuple(fb.settings.extra_units)}
    for index, item in enumerate(raw.data):
        if not isinstance(item, dict):
            fb.report.error(fb.locator.locate(raw.rel, (index,)), f"expected a record (a mapping of fields), found {_kind(item)}", "not-a-record")
            continue
        try:
            record = model.model_validate(item, context=context)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            if any(err["type"] == "invalid_key" for err in errors):
                # a key that is not text (1, 2026-01-01, null, [a]): reported at its own line, from the nodes
                for path in sorted({key[:-1] for key in _keys_below(item) if not isinstance(key[-1], str)}, key=str):
                    for where in key_locations(raw.text, raw.rel, (index, *path)):
                        fb.report.error(where, "field names must be text; quote the key or remove it", "key-not-text")
                errors = [err for err in errors if err["type"] != "invalid_key"]
            for err in errors:
                if err["type"] == "field_rule":  # a rule across fields, reported at the field it names
                    err["loc"] = (*err["loc"], err["ctx"]["field"])
                at_key = err["type"] in ("extra_forbidden", "invalid_key")  # the key itself is what is wrong
                loc = fb.locator.locate(raw.rel, (index, *err["loc"]), key=at_key)
                fb.report.error(loc, _message(err, model), "schema")
            if isinstance(item.get("id"), str):
                # known but invalid: references to it are not reported again as unknown
                fb.invalid_ids.add(item["id"])
            continue
        record.place(raw.rel, index)
        first = registry.get(record.id)
        if first is not None:
            fb.report.error(
                fb.where(record, "id"),
                f"duplicate {model.__name__.lower()} id {record.id!r}; first defined at {fb.where(first, 'id')}",
                "duplicate-id",
                related=[fb.where(first, "id")],
            )
            continue
        registry[record.id] = record
        if model is Fact:
            record._topic = topic
            fb.topics.setdefault(topic, []).append(record.id)


def _keys_below(value: Any, path: tuple = ()):
    """Every key of the mappings within ``value``, as the path of keys and indexes leading to it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _keys_below(item, (*path, key)) if isinstance(key, str) else ()
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _keys_below(item, (*path, index))


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", type(None): "an empty entry"}.get(type(value), type(value).__name__)


def _message(err: dict, model: type[Record]) -> str:
    field = ".".join(str(p) for p in err["loc"]) or "record"
    kind = err["type"]
    if kind == "missing":
        return f"{model.__name__.lower()} is missing required field '{field}'"
    if kind == "extra_forbidden":
        allowed = ", ".join(_model_at(model, err["loc"][:-1]).model_fields)
        return f"unknown field '{field}' (allowed: {allowed})"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if kind == "string_pattern_mismatch":
        msg = "not a slug: use lower-case letters, digits and hyphens, starting with a letter or digit"
    if kind in ("enum", "literal_error"):
        msg = msg[0].lower() + msg[1:]
    got = err.get("input")
    shown = f" (got {got!r})" if isinstance(got, (str, int, float)) and not isinstance(got, bool) and len(repr(got)) < 80 and kind not in ("missing",) else ""
    return f"{field}: {msg}{shown}"


def _model_at(model: type[BaseModel], loc) -> type[BaseModel]:
    """The model of the mapping at ``loc`` below ``model`` (e.g. ``Citation`` for ``citations.0``)."""
    for part in loc:
        if isinstance(part, int):
            continue
        if model is Fact and part == "value":  # a range; the field is typed loosely because of the other kinds
            model = Range
            continue
        field = model.model_fields.get(part)
        nested = _nested_model(field.annotation) if field is not None else None
        if nested is None:
            break
        model = nested
    return model


def _nested_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _check_references(fb: FactBase, sources_read: bool = True) -> None:
    for fact in fb.facts.values():
        for i, citation in enumerate(fact.citations):
            if sources_read and citation.source not in fb.sources and citation.source not in fb.invalid_ids:
                fb.report.error(
                    fb.where(fact, "citations", i, "source"),
                    f"fact {fact.id!r} cites unknown source {citation.source!r}{_suggest(citation.source, fb.sources)}",
                    "unknown-source",
                )
    for review in fb.reviews.values():
        if sources_read and review.source not in fb.sources and review.source not in fb.invalid_ids:
            fb.report.error(fb.where(review, "source"), f"review {review.id!r} names unknown source {review.source!r}{_suggest(review.source, fb.sources)}", "unknown-source")
        if review.fact not in fb.facts and review.fact not in fb.invalid_ids:
            fb.report.error(fb.where(review, "fact"), f"review {review.id!r} names unknown fact {review.fact!r}{_suggest(review.fact, fb.facts)}", "unknown-fact")
    ids = set(fb.facts) & set(fb.sources)
    for shared in sorted(ids):
        fb.report.warning(fb.where(fb.facts[shared], "id"), f"fact id {shared!r} is also a source id; permalinks may be confusing", "id-clash")


def _suggest(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
