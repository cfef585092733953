"""JSON Schema of the records, generated from the models (for editors' YAML language servers)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .models import Fact, Review, Source

SCHEMAS = {"sources": Source, "facts": Fact, "reviews": Review}


def schema_of(name: str) -> dict:
    """The JSON Schema of a file kind: a list of records of its model."""
    model = SCHEMAS[name]
    schema = TypeAdapter(list[model]).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefing {name} file"
    return schema


def write_schemas(out_dir: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every file kind into ``out_dir``; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out_dir / f"{name}.schema.json"
        path.write_text(json.dumps(schema_of(name), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
