"""Field types of the entry schema: each checks a value, explains a mistake, and describes itself.

A field type turns a raw YAML value into a clean Python value or reports why it
cannot, with a hint where YAML 1.1 played a trick (``no`` read as false, an
unquoted date read as a date). Each type also gives its JSON Schema and a label
for the documentation, so the one declaration in :mod:`generator.kinds.declaration` drives
validation, the schema files, the field reference and the skeletons alike.

The types of single values are in :mod:`generator.kinds.scalars` and what checking
collects in :mod:`generator.kinds.checking`; every field type can be imported from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.kinds.checking import INVALID, PLACEHOLDER, Checker, Reference, describe_value
from generator.kinds.scalars import (
    SLUG_MAX,
    SLUG_PATTERN,
    Choice,
    Date,
    FieldType,
    Integer,
    LooseDate,
    Markdown,
    Ref,
    Slug,
    Text,
    Url,
    Year,
    is_web_url,
)
from generator.load.entry import KeyPath, dotted

__all__ = [
    "INVALID", "PLACEHOLDER", "SLUG_MAX", "SLUG_PATTERN", "Checker", "Choice", "Date", "Field", "FieldType", "Integer",
    "ListOf", "LooseDate", "Markdown", "Record", "Ref", "Reference", "Slug", "Text", "Url", "Year",
    "article", "check_fields", "describe_value", "is_web_url", "unknown_field_message",
]


def article(word: str) -> str:
    """``a forum``, ``an initiative``."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


class ListOf(FieldType):
    """A list of values of one type."""

    def __init__(self, item: FieldType, *, min_items: int = 0, unique: bool = False) -> None:
        self.item, self.min_items, self.unique = item, min_items, unique
        self.label = f"a list of {item.label}"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, list):
            if isinstance(value, (str, dict)) or value is None:
                hint = " (start each item on its own line with '- ')" if value is not None else ""
                checker.error(path, f"'{dotted(path)}' must be a list, but is {describe_value(value, checker, path)}{hint}")
                return INVALID
            return self.mismatch(value, path, checker)
        if len(value) < self.min_items:
            checker.error(path, f"'{dotted(path)}' needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
            return INVALID
        items = [self.item.convert(item, (*path, i), checker) for i, item in enumerate(value)]
        if self.unique:
            seen: set[Any] = set()
            for i, item in enumerate(items):
                if item is not INVALID and item in seen:
                    checker.error((*path, i), f"'{dotted((*path, i))}' repeats {item!r}; list it once")
                seen.add(item)
        if any(item is INVALID for item in items):
            return INVALID
        return items

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass(frozen=True)
class Field:
    """One field of an entry or of a nested record."""

    name: str
    type: FieldType
    doc: str
    required: bool = False
    example: Any = None
    fact: str | None = None  # its label in the facts box: a fact, which a source must say it ``supports``
    in_facts_box: bool | None = None  # shown in the facts box; unset: when it is a fact
    hint: str | None = None  # what a skeleton of ``new`` asks for, after TODO:, where its type cannot say

    @property
    def label(self) -> str:
        """How tables and the facts box name it: its fact label, else its name in words (``led_by``: Led by)."""
        return self.fact or self.name.replace("_", " ").capitalize()

    @property
    def shown_in_facts_box(self) -> bool:
        """Whether an entry's facts box shows it (when the entry gives it)."""
        return self.fact is not None if self.in_facts_box is None else self.in_facts_box


class Record(FieldType):
    """A mapping with declared fields, built into ``factory``."""

    def __init__(
        self,
        label: str,
        fields: tuple[Field, ...],
        factory: Callable[..., Any],
        *,
        one_of: tuple[str, ...] = (),
        one_of_hint: str = "",
    ) -> None:
        self.label, self.fields, self.factory, self.one_of = label, fields, factory, one_of
        self.one_of_hint = one_of_hint  # how a skeleton of ``new`` explains the choice between the ``one_of`` fields
        self.by_name = {f.name: f for f in fields}

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, dict):
            names = ", ".join(f.name for f in self.fields)
            checker.error(path, f"'{dotted(path)}' must be a mapping with the fields {names}, but is {describe_value(value, checker, path)}")
            return INVALID
        values = check_fields(self, value, path, checker)
        if values is INVALID:
            return INVALID
        return self.factory(**{name: v for name, v in values.items() if v is not None})

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: {**f.type.json_schema(), "description": f.doc} for f in self.fields},
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.one_of]
        return schema


def check_fields(record: Record, value: dict[str, Any], path: KeyPath, checker: Checker) -> Any:
    """Check a mapping against a record's fields; return field name → clean value, or INVALID."""
    ok = True
    misspelt: set[str] = set()
    for key in value:
        if key not in record.by_name:
            message, meant = unknown_field_message(key, record, path)
            checker.error((*path, key), message, at_key=True)
            misspelt.update([meant] if meant else [])
            ok = False
    for f in record.fields:
        if f.required and f.name not in value and f.name not in misspelt:
            checker.error(path, f"missing required field '{dotted((*path, f.name))}' ({f.doc.rstrip('.')})", field=dotted((*path, f.name)))
            ok = False
    if record.one_of:
        given = [name for name in record.one_of if name in value]
        first, *others = record.one_of
        if not given:
            alternatives = " or ".join(f"'{name}'" for name in others)
            doc = record.by_name[first].doc.rstrip(".")
            checker.error(path, f"missing required field '{dotted((*path, first))}' ({doc}; or {alternatives})", field=dotted((*path, first)))
            ok = False
        elif len(given) > 1:
            checker.error(path, f"'{dotted(path)}' gives {' and '.join(repr(n) for n in given)}; give only one")
            ok = False
    clean: dict[str, Any] = {f.name: None for f in record.fields}
    for f in record.fields:
        if f.name in value:
            given = value[f.name]
            if isinstance(given, str) and given.strip().startswith(PLACEHOLDER):
                where = dotted((*path, f.name))
                checker.error((*path, f.name), f"'{where}' still holds the placeholder {given.strip()!r}; replace it ({f.doc.rstrip('.')})")
                ok = False
                continue
            converted = f.type.convert(given, (*path, f.name), checker)
            if converted is INVALID:
                ok = False
            clean[f.name] = converted
    return clean if ok else INVALID


def unknown_field_message(key: str, record: Record, path: KeyPath) -> tuple[str, str | None]:
    """``unknown field 'sumary'; did you mean 'summary'?`` (and the field meant), or the allowed fields."""
    names = list(record.by_name)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    where = f" in '{dotted(path)}'" if path else ""
    if close:
        return f"unknown field '{key}'{where}; did you mean '{close[0]}'?", close[0]
    return f"unknown field '{key}'{where}; {record.label} has: {', '.join(names)}", None
