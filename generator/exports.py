"""Open data: the whole atlas as JSON, one CSV per kind plus the coverage claims, and the JSON Schemas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.kinds.declaration import KINDS, Kind
from generator.kinds.fields import FieldType, ListOf, Record
from generator.kinds.model import Entry
from generator.kinds.plain import plain
from generator.kinds.schema import schema_filename, schema_text
from generator.link.atlas import Atlas
from generator.output import write_file_atomically

FORMAT_VERSION = 1


def entry_record(atlas: Atlas, entry: Entry) -> dict[str, Any]:
    """One entry as exported: its fields, plus what the atlas derives for it."""
    record = plain(entry)
    record.pop("path", None)
    backlinks = atlas.backlinks.get(entry.id, [])
    if backlinks:
        record["referenced_by"] = [{"id": b.entry.id, "relation": b.relation} for b in backlinks]
    if entry.kind == "gap":
        record["addressed_by"] = [
            {"id": c.entry.id, "level": c.claim.level, "basis": c.claim.basis} for c in atlas.coverage.get(entry.id, [])
        ]
        record["illustrated_by"] = [i.entry.id for i in atlas.cases.get(entry.id, [])]
    if entry.kind == "pathway":
        record["members"] = [e.id for e in atlas.members.get(entry.id, [])]
    if entry.kind == "topic":
        record["tagged"] = [e.id for e in atlas.topic_entries(entry.id)]
    return record


def atlas_document(atlas: Atlas, title: str = "Space Governance Atlas") -> dict[str, Any]:
    """The whole atlas as one JSON-ready document."""
    return {
        "format_version": FORMAT_VERSION,
        "title": title,
        "edition": atlas.edition.isoformat(),
        "counts": atlas.counts(),
        "entries": [entry_record(atlas, e) for e in atlas.entries.values()],
        "coverage": [
            {"entry": c.entry.id, "gap": gap_id, **plain(c.claim)}
            for gap_id, items in atlas.coverage.items()
            for c in items
        ],
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The computed CSV columns of the declaration (COMPUTED_CSV_COLUMNS), by name.
COMPUTED_CSV: dict[str, Callable[[Entry], str]] = {
    "gaps_addressed": lambda entry: "; ".join(f"{c.gap}:{c.level}" for c in entry.addresses),
    "gaps_illustrated": lambda entry: "; ".join(c.gap for c in entry.illustrates),
    "sources": lambda entry: " ".join(s.key for s in entry.sources),
}


def _csv_value(kind: FieldType, value: Any) -> str | None:
    """A field's value as CSV text, by its type: a list's items joined by "; " (records by their first field), a date as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):  # a list of records by what each is about: topics by topic id
        return "; ".join(str(getattr(item, kind.item.fields[0].name)) for item in value)
    if isinstance(kind, ListOf):
        return "; ".join(str(_csv_value(kind.item, item)) for item in value)
    if isinstance(kind, Record):
        raise TypeError("a record field has a CSV column per part (like membership_count), not one of its own")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_cell_of(kind: Kind, column: str, entry: Entry) -> str | None:
    """What an entry holds in one of its kind's ``csv_columns``."""
    if column in COMPUTED_CSV:
        return COMPUTED_CSV[column](entry)
    found = kind.csv_part(column)
    if found is None:
        raise KeyError(f"{kind.name} has no field for the CSV column '{column}'")
    whole, part = found
    value = getattr(entry, whole.name)
    if part is None:
        return _csv_value(whole.type, value)
    return None if value is None else _csv_value(part.type, getattr(value, part.name))


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def kind_csv(atlas: Atlas, kind: str) -> str:
    """One kind's entries as CSV (UTF-8, LF line ends, a header row), in the columns its declaration names."""
    declared = KINDS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(declared.csv_columns)
    for entry in atlas.by_kind[kind]:
        writer.writerow([_cell(_csv_cell_of(declared, column, entry)) for column in declared.csv_columns])
    return out.getvalue()


def coverage_csv(atlas: Atlas) -> str:
    """Every coverage claim as CSV (cases of a gap are not coverage, and not here)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entry", "entry_kind", "gap", "level", "note", "evidence", "source", "basis", "category", "category_source"])
    for gap_id, items in atlas.coverage.items():
        for c in items:
            claim = c.claim
            row = (c.entry.id, c.entry.kind, gap_id, claim.level, claim.note, claim.evidence, claim.source, claim.basis, claim.category, claim.category_source)
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def export_files(atlas: Atlas) -> dict[str, bytes]:
    """Every open-data file, by file name."""
    files = {"atlas.json": (json.dumps(atlas_document(atlas), indent=2, ensure_ascii=False) + "\n").encode()}
    for kind in KINDS.values():
        files[f"{kind.folder}.csv"] = kind_csv(atlas, kind.name).encode()
    files["coverage.csv"] = coverage_csv(atlas).encode()
    for kind in KINDS.values():
        files[schema_filename(kind.name)] = schema_text(kind).encode()
    return files


def write_exports(atlas: Atlas, out: Path) -> list[Path]:
    """Write the open-data files into ``out``; return their paths."""
    written = []
    for name, data in export_files(atlas).items():
        write_file_atomically(out / name, data)
        written.append(out / name)
    return written
