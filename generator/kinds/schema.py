"""JSON Schemas of the entry kinds, derived from the one declaration in :mod:`generator.kinds.declaration`.

Editors use them (through the ``# yaml-language-server: $schema=…`` line at the
top of each entry file) to complete field names and flag mistakes as you type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.kinds.declaration import KINDS, Kind

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schemas"


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def kind_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one kind's entry files."""
    schema = kind.record.json_schema()
    schema["properties"]["kind"] = {"const": kind.name, "description": schema["properties"]["kind"]["description"]}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_filename(kind.name),
        "title": f"Space Governance Atlas: {kind.name} entry",
        "description": kind.description,
        **schema,
    }


def schema_text(kind: Kind) -> str:
    """The schema as written to disk: stable key order, two-space indent, final newline."""
    return json.dumps(kind_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write one schema per kind into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        path = out / schema_filename(kind.name)
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
