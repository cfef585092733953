"""``briefing schema``: the JSON Schema editors' language servers use, kept in step with the models."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from build_scripts.cli import main
from build_scripts.records.models import REVIEWS_FILE, SOURCES_FILE
from build_scripts.records.schema import SCHEMAS, schema_of
from tests.conftest import ROOT

SCHEMA_DIR = ROOT / "build_scripts" / "schema"
FACT_FILES = sorted((ROOT / "facts").glob("*.yaml"))
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")


def kind_of(path: Path) -> str:
    return {SOURCES_FILE: "sources", REVIEWS_FILE: "reviews"}.get(path.name, "facts")


def as_json(value):
    """YAML data as JSON would carry it: dates become ISO strings (a language server sees them so)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def load(path: Path):
    return as_json(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_committed_schemas_are_up_to_date():
    """Fails when a model changes and `briefing schema` was not run: regenerate and commit."""
    for name in SCHEMAS:
        committed = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert committed == schema_of(name), f"build_scripts/schema/{name}.schema.json is stale: run `briefing schema`"


def test_schema_command_writes_the_committed_files(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    for name in SCHEMAS:
        written = (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8")
        assert written == (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"), name
        assert f"{name}.schema.json" in err


def test_schemas_are_valid_draft_2020_12():
    for name in SCHEMAS:
        schema = schema_of(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["type"] == "array"


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_real_fact_files_validate(path):
    errors = sorted(validator(kind_of(path)).iter_errors(load(path)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def first(kind: str) -> dict:
    path = ROOT / "facts" / {"sources": SOURCES_FILE, "reviews": REVIEWS_FILE, "facts": "funding.yaml"}[kind]
    return copy.deepcopy(load(path)[0])


@pytest.mark.parametrize(
    ("kind", "spoil", "why"),
    [
        ("facts", lambda r: r.pop("citations"), "citations"),
        ("facts", lambda r: r.update(colour="red"), "colour"),
        ("facts", lambda r: r.update(id="Not A Slug"), "does not match"),
        ("facts", lambda r: r.update(citations=[]), "citations"),
        ("facts", lambda r: r.update(qualifier="roughly"), "roughly"),
        ("facts", lambda r: r.update(as_of="30 June 2026"), "date"),
        ("facts", lambda r: r["citations"][0].update(page=3), "page"),
        ("facts", lambda r: r.update(status="confirmed"), "confirmed"),
        ("sources", lambda r: r.update(kind="blog"), "blog"),
        ("sources", lambda r: r.pop("accessed"), "accessed"),
        ("reviews", lambda r: r.update(rating="mostly true"), "mostly true"),
    ],
)
def test_bad_record_is_rejected(kind, spoil, why):
    record = first(kind)
    assert not list(validator(kind).iter_errors([record]))
    spoil(record)
    errors = list(validator(kind).iter_errors([record]))
    assert errors, f"schema accepted a bad {kind} record"
    assert any(why in (e.message + json.dumps(list(e.path))) for e in errors) or any(
        why in str(c.message) for e in errors for c in (e.context or [])
    ), [e.message for e in errors]


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_fact_files_name_their_schema(path):
    line = path.read_text(encoding="utf-8").splitlines()[0]
    m = MODELINE.match(line)
    assert m, f"{path.name} must start with '# yaml-language-server: $schema=...'"
    target = (path.parent / m["path"]).resolve()
    assert target.is_file(), f"{path.name} points at a missing schema: {m['path']}"
    assert target == (SCHEMA_DIR / f"{kind_of(path)}.schema.json").resolve(), f"{path.name} names the wrong schema"
