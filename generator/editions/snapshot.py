"""An edition's snapshot: every entry of the atlas, with its claims and facts, as JSON.

An edition file (``editions/YYYY-MM-DD.json``) says what it is (``format``), the
schema version its entries were written for, its date, and each entry's fields as
plain JSON values, by id. It is read without the current declaration, so an edition
stays readable, and comparable, after the schema has moved on. The bytes are
deterministic: keys sorted, one entry per line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import EditionInvalid
from generator.kinds.model import Entry
from generator.kinds.plain import plain

FORMAT = "space-governance-atlas/edition"
FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")
ENTRY_FIELDS_LEFT_OUT = ("path",)  # where the file was read from: not part of the atlas


@dataclass(frozen=True)
class Snapshot:
    """One edition: its date, its schema version and every entry's fields by id."""

    date: dt.date
    schema_version: int
    entries: Mapping[str, Mapping[str, Any]]

    @property
    def name(self) -> str:
        """The edition's name, and its file's stem: its date."""
        return self.date.isoformat()


def entry_data(entry: Entry) -> dict[str, Any]:
    """A validated entry's fields as JSON values (empty ones left out)."""
    data = plain(entry)
    for name in ENTRY_FIELDS_LEFT_OUT:
        data.pop(name, None)
    return dict(data)


def typed_data(data: Any) -> Any:
    """Entry data as read from YAML, as JSON values: dates as ISO text, block scalars' final line break dropped."""
    if isinstance(data, dict):
        return {str(k): typed_data(v) for k, v in data.items() if v not in (None, [])}
    if isinstance(data, list):
        return [typed_data(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()
    if isinstance(data, str):
        return data.rstrip("\n")
    return data


def snapshot(entries: Iterable[Mapping[str, Any]], date: dt.date, schema_version: int) -> Snapshot:
    """A snapshot of entries given as data (each with its ``id``), sorted by id."""
    by_id = {str(e["id"]): dict(e) for e in entries}
    return Snapshot(date, schema_version, dict(sorted(by_id.items())))


def edition_bytes(edition: Snapshot) -> bytes:
    """The edition file: a header line, then one line per entry; the same edition always gives the same bytes."""
    about = {"format": FORMAT, "schema_version": edition.schema_version, "date": edition.name, "count": len(edition.entries)}
    header = json.dumps(about, sort_keys=True, separators=(",", ":"))
    lines = [
        json.dumps(entry_id, ensure_ascii=False) + ":" + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for entry_id, data in edition.entries.items()
    ]
    body = ",\n".join(lines)
    return (header[:-1] + ',"entries":{\n' + body + "\n}}\n").encode()


def read_edition(path: Path) -> Snapshot:
    """Read an edition file; an unreadable or malformed one is an :class:`EditionInvalid` naming it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EditionInvalid(f"{path}: cannot read the edition: {exc}") from None
    except json.JSONDecodeError as exc:
        raise EditionInvalid(f"{path}:{exc.lineno}:{exc.colno}: the edition is not valid JSON: {exc.msg}") from None
    problem = _malformed(document, path)
    if problem:
        raise EditionInvalid(f"{path}: {problem}")
    return Snapshot(dt.date.fromisoformat(document["date"]), document["schema_version"], document["entries"])


def _malformed(document: Any, path: Path) -> str | None:
    """What makes a parsed edition unusable, or None."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return f"not an edition of the atlas (its 'format' is not '{FORMAT}')"
    stem = FILE_NAME.match(path.name)
    if not isinstance(document.get("date"), str) or stem is None or stem.group(1) != document["date"]:
        return f"its 'date' must be the date in its file name, YYYY-MM-DD ({path.name})"
    try:
        dt.date.fromisoformat(document["date"])
    except ValueError:
        return f"its 'date' {document['date']!r} is not a date"
    if not isinstance(document.get("schema_version"), int) or document["schema_version"] < 1:
        return "its 'schema_version' must be a whole number of 1 or more"
    entries = document.get("entries")
    if not isinstance(entries, dict) or not all(isinstance(v, dict) and v.get("id") == k and isinstance(v.get("kind"), str) for k, v in entries.items()):
        return "its 'entries' must map each id to an entry with that 'id' and a 'kind'"
    return None


def edition_paths(folder: Path) -> list[Path]:
    """The edition files in ``folder``, oldest first (none when it does not exist)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if FILE_NAME.match(p.name) and p.is_file())


def editions_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when an edition file is added, removed or rewritten: each one's name, size and time."""
    return tuple((p.name, (st := p.stat()).st_size, st.st_mtime_ns) for p in edition_paths(folder))


def read_editions(folder: Path) -> list[Snapshot]:
    """Every edition in ``folder``, oldest first."""
    return [read_edition(path) for path in edition_paths(folder)]
