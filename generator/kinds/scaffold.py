"""``new``: write the commented skeleton of an entry, derived from the kind's declaration.

Required fields get obvious placeholders that ``check`` rejects until they are
replaced; optional fields are commented out, each with its one-line explanation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ScaffoldRefused
from generator.kinds.declaration import KINDS, Kind
from generator.kinds.fields import PLACEHOLDER, Field, ListOf, Record
from generator.kinds.schema import SCHEMA_FOLDER, schema_filename

_COMMENT_COLUMN = 40
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _yaml_value(value: Any) -> str:
    if isinstance(value, str) and _DATE.match(value):
        return value  # shown as a contributor writes a date, unquoted
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n...\n").strip()


def _line(text: str, comment: str) -> str:
    return f"{text.ljust(_COMMENT_COLUMN - 1)} # {comment}" if comment else text


def _placeholder(field: Field, entry_id: str, kind: Kind, name: str | None) -> list[str]:
    """Lines for a required top-level field."""
    doc = f"required: {field.doc}"
    if field.name == "id":
        return [_line(f"id: {entry_id}", doc)]
    if field.name == "kind":
        return [_line(f"kind: {kind.name}", doc)]
    if field.name == "name":
        value = _yaml_value(name) if name else _yaml_value(f"{PLACEHOLDER}: full name")
        return [_line(f"name: {value}", doc)]
    if field.name == "summary":
        return [_line("summary: >-", doc), f"  {PLACEHOLDER}: what it is, in one paragraph, with its sources below."]
    if isinstance(field.type, ListOf) and isinstance(field.type.item, Record):
        return [_line(f"{field.name}:", doc), *_first_item(field.type.item)]
    if field.name == "last_reviewed":
        return [_line("last_reviewed: YYYY-MM-DD", doc + " (today's date when you checked it)")]
    return [_line(f"{field.name}: \"{PLACEHOLDER}\"", doc)]


def _first_item(record: Record) -> list[str]:
    """The first item of a required list of records: placeholders for what it must give, the rest commented out.

    Of the ``one_of`` fields the first gets the placeholder, its comment naming the others (``record.one_of_hint``).
    """
    chosen = record.one_of[0] if record.one_of else None
    lines: list[str] = []
    for sub in record.fields:
        lead = "    " if lines else "  - "
        if sub.required or sub.name == chosen:
            note = f"required: {record.one_of_hint}" if sub.name == chosen and record.one_of_hint else "required"
            hint = sub.hint or sub.type.hint
            lines.append(_line(f"{lead}{sub.name}: \"{PLACEHOLDER}{': ' + hint if hint else ''}\"", note))
        elif sub.name not in record.one_of:
            lines.append(_line(f"{lead}# {sub.name}: {_yaml_value(_example(sub))}", f"optional: {sub.doc}"))
    return lines


def _commented(field: Field, indent: str = "") -> list[str]:
    """Lines for an optional field, commented out, with an example value."""
    doc = f"optional: {field.doc}"
    kind = field.type
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        lines = [_line(f"{indent}# {field.name}:", doc)]
        for i, sub in enumerate(kind.item.fields):
            lead = "  - " if i == 0 else "    "
            lines.append(_line(f"{indent}# {lead}{sub.name}: {_yaml_value(_example(sub))}", ("required: " if sub.required else "optional: ") + sub.doc))
        return lines
    if isinstance(kind, Record):
        lines = [_line(f"{indent}# {field.name}:", doc)]
        for sub in kind.fields:
            lines.append(_line(f"{indent}#   {sub.name}: {_yaml_value(_example(sub))}", ("required: " if sub.required else "optional: ") + sub.doc))
        return lines
    return [_line(f"{indent}# {field.name}: {_yaml_value(_example(field))}", doc)]


def _example(field: Field) -> Any:
    return field.example if field.example is not None else f"{PLACEHOLDER}"


def skeleton(kind: Kind, entry_id: str, *, name: str | None = None, schema_path: str | None = None) -> str:
    """The text of a new entry file."""
    lines = []
    if schema_path:
        lines.append(f"# yaml-language-server: $schema={schema_path}")
    lines += [
        f"# A {kind.name} of the Space Governance Atlas: {kind.description}",
        "# Replace every TODO and YYYY-MM-DD; to use an optional field, remove the '# ' in front of it.",
        "# Then run: python -m generator check",
        "",
    ]
    for field in kind.record.fields:
        if field.required:
            lines += _placeholder(field, entry_id, kind, name)
    lines.append("")
    for field in kind.record.fields:
        if not field.required:
            lines += _commented(field)
    return "\n".join(lines) + "\n"


def write_skeleton(entries_dir: Path, kind_name: str, entry_id: str, name: str | None = None) -> Path:
    """Write ``entries/<kind>s/<id>.yaml``; refuse when the file or the id exists already."""
    kind = KINDS[kind_name]
    target = entries_dir / kind.folder / f"{entry_id}.yaml"
    for other in KINDS.values():
        existing = entries_dir / other.folder / f"{entry_id}.yaml"
        if existing.exists() or existing.is_symlink():
            what = "already exists" if existing == target else f"already holds the id '{entry_id}'"
            raise ScaffoldRefused(f"{os.path.relpath(existing)} {what}; nothing was written")
    schemas = Path.cwd() / SCHEMA_FOLDER / schema_filename(kind.name)
    schema_path = Path(os.path.relpath(schemas, target.parent)).as_posix() if schemas.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(skeleton(kind, entry_id, name=name, schema_path=schema_path))
    return target
