"""The changes between two editions as a JSON document, for the Data page."""

from __future__ import annotations

import json
from typing import Any

from generator.editions.diff import EditionDiff, EntryRef

DIFF_FORMAT = "space-governance-atlas/edition-changes"


def _ref(entry: EntryRef) -> dict[str, str]:
    return {"id": entry.id, "kind": entry.kind, "name": entry.name}


def diff_document(diff: EditionDiff) -> dict[str, Any]:
    """Every change of ``diff``: entries, claims and facts, each fact with its old and new value (null: none)."""
    old = diff.old
    return {
        "format": DIFF_FORMAT,
        "from": None if old is None else {"edition": old.name, "schema_version": old.schema_version},
        "to": {"edition": diff.new.name, "schema_version": diff.new.schema_version},
        "entries": {
            "added": [_ref(e) for e in diff.added],
            "removed": [_ref(e) for e in diff.removed],
            "renamed": [{"from": _ref(r.old), "to": _ref(r.new)} for r in diff.renamed],
        },
        "claims": [
            {
                "entry": c.entry.id,
                "gap": c.gap.id,
                "change": c.change,
                "level": {"old": c.level[0], "new": c.level[1]},
                "basis": {"old": c.basis[0], "new": c.basis[1]},
                "evidence_revised": c.evidence_revised,
            }
            for c in diff.claims
        ],
        "facts": [{"entry": f.entry.id, "field": f.field, "change": f.change, "old": f.old, "new": f.new} for f in diff.facts],
    }


def diff_bytes(diff: EditionDiff) -> bytes:
    return (json.dumps(diff_document(diff), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
