"""Open data: the whole atlas as JSON, one CSV per kind plus the coverage claims, and the JSON Schemas."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from generator.kinds.declaration import KINDS
from generator.link.atlas import Atlas
from generator.kinds.model import Entry
from generator.output import write_file_atomically
from generator.kinds.schema import schema_filename, schema_text

FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    """Dataclasses, dates and lists as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items() if v not in (None, [])}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [])}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def entry_record(atlas: Atlas, entry: Entry) -> dict[str, Any]:
    """One entry as exported: its fields, plus what the atlas derives for it."""
    record = _plain(entry)
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
            {"entry": c.entry.id, "gap": gap_id, **_plain(c.claim)}
            for gap_id, items in atlas.coverage.items()
            for c in items
        ],
    }


_CSV_COLUMNS = {
    "forum": ["id", "name", "acronym", "type", "pathway", "established", "seat", "membership_count", "membership_as_of", "website"],
    "initiative": ["id", "name", "acronym", "type", "pathway", "status", "led_by", "started", "website"],
    "gap": ["id", "name"],
    "pathway": ["id", "name"],
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_TAIL = ["summary", "gaps_addressed", "related", "sources", "last_reviewed", "gaps_illustrated"]


def _csv_row(entry: Entry) -> dict[str, str]:
    m = entry.membership
    values: dict[str, Any] = {
        **{f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)},
        "membership_count": m.count if m else None,
        "membership_as_of": m.as_of.isoformat() if m and m.as_of else None,
        "led_by": "; ".join(entry.led_by),
        "related": "; ".join(entry.related),
        "gaps_addressed": "; ".join(f"{c.gap}:{c.level}" for c in entry.addresses),
        "gaps_illustrated": "; ".join(c.gap for c in entry.illustrates),
        "sources": " ".join(s.url or f"document:{s.document}" for s in entry.sources),
        "last_reviewed": entry.last_reviewed.isoformat(),
    }
    return {k: _cell(v) for k, v in values.items()}


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def kind_csv(atlas: Atlas, kind: str) -> str:
    """One kind's entries as CSV (UTF-8, LF line ends, a header row)."""
    columns = _CSV_COLUMNS[kind] + _CSV_TAIL
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for entry in atlas.by_kind[kind]:
        writer.writerow(_csv_row(entry))
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
    for kind in KINDS:
        files[f"{kind}s.csv"] = kind_csv(atlas, kind).encode()
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
