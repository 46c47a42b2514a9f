"""Whether the typed model and the list of facts agree with the declaration of the kinds.

:mod:`generator.kinds.model` spells out as dataclasses what the declaration says
field by field, so that the code reading entries is type-checked. These checks
say, in words a contributor can act on, what to add or change there (or in
:data:`generator.kinds.declaration.FACTS`) when a field is declared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.kinds.declaration import FACTS, KINDS, Kind
from generator.kinds.fields import Choice, Date, FieldType, Integer, ListOf, LooseDate, Record, Slug, Text, Url

MODEL_FILE = "generator/kinds/model.py"
DECLARATION_FILE = "generator/kinds/declaration.py"


def value_type(kind: FieldType) -> Any:
    """The Python type of a field's clean value: ``str``, ``int``, ``dt.date``, ``list[Source]``…"""
    if isinstance(kind, ListOf):
        return list[value_type(kind.item)]  # type: ignore[misc]
    if isinstance(kind, Record):
        return kind.factory
    if isinstance(kind, Integer):
        return int
    if isinstance(kind, LooseDate):
        return str  # kept as written: 1959, 1959-12 or 1959-12-12
    if isinstance(kind, Date):
        return dt.date
    if isinstance(kind, (Text, Slug, Choice, Url)):
        return str
    raise TypeError(f"no Python type for the field type {type(kind).__name__}")


def _type_text(kind: Any) -> str:
    if kind is dt.date:
        return "dt.date"
    if typing.get_origin(kind) is list:
        return f"list[{_type_text(typing.get_args(kind)[0])}]"
    return str(kind.__name__)


@dataclass
class _Declared:
    """What the records built into one dataclass say of one of its fields."""

    kind: FieldType
    required: bool
    where: list[str] = field(default_factory=list)

    def annotation(self) -> Any:
        base = value_type(self.kind)
        return base if self.required or isinstance(self.kind, ListOf) else base | None

    def line(self, name: str) -> str:
        """The line of the dataclass that holds it: ``motto: str | None = None``."""
        text = f"{name}: {_type_text(value_type(self.kind))}"
        if self.required:
            return text
        return text + (" = field(default_factory=list)" if isinstance(self.kind, ListOf) else " | None = None")

    def default_fits(self, given: dataclasses.Field[Any]) -> bool:
        if self.required:
            return given.default is dataclasses.MISSING and given.default_factory is dataclasses.MISSING
        if isinstance(self.kind, ListOf):
            return given.default_factory is list
        return given.default is None


def _records(kind: FieldType, where: str) -> Iterator[tuple[Record, str]]:
    """Every record in a field type, with where it is declared."""
    if isinstance(kind, ListOf):
        yield from _records(kind.item, where)
    elif isinstance(kind, Record):
        yield kind, where
        for sub in kind.fields:
            yield from _records(sub.type, f"{where}.{sub.name}")


def _declared_by_factory(kinds: Mapping[str, Kind]) -> dict[Any, dict[str, _Declared]]:
    """For each dataclass records are built into, what they declare of its fields (one entry class for all kinds)."""
    records = [found for kind in kinds.values() for found in _records(kind.record, kind.name)]
    by_factory: dict[Any, dict[str, _Declared]] = {}
    holders: dict[Any, int] = {}
    for record, where in records:
        holders[record.factory] = holders.get(record.factory, 0) + 1
        declared = by_factory.setdefault(record.factory, {})
        for f in record.fields:
            known = declared.setdefault(f.name, _Declared(f.type, True))
            known.required = known.required and f.required
            if where not in known.where:
                known.where.append(where)
    for factory, declared in by_factory.items():  # required only where every record of the class requires it
        for known in declared.values():
            known.required = known.required and len(known.where) == holders[factory]
    return by_factory


def model_problems(kinds: Mapping[str, Kind] | None = None) -> list[str]:
    """What the dataclasses of the model lack, or hold otherwise, than the declaration of ``kinds`` (all kinds) says."""
    problems = []
    for factory, declared in _declared_by_factory(KINDS if kinds is None else kinds).items():
        cls = factory.__name__
        given = {f.name: f for f in dataclasses.fields(factory)}
        hints = typing.get_type_hints(factory)
        for name, known in declared.items():
            where = ", ".join(known.where)
            if name not in given:
                problems.append(f"{cls} has no field '{name}', which {where} declares: add `{known.line(name)}` to {cls} in {MODEL_FILE}")
            elif hints[name] != known.annotation() or not known.default_fits(given[name]):
                problems.append(f"{cls}.{name} does not match what {where} declares: make it `{known.line(name)}` in {MODEL_FILE}")
        for name, spare in given.items():
            if name not in declared and "undeclared" not in spare.metadata:
                problems.append(f"{cls}.{name} is declared nowhere: declare it in {DECLARATION_FILE}, or remove it from {cls} in {MODEL_FILE}")
    return problems


def fact_problems(kinds: Mapping[str, Kind] | None = None) -> list[str]:
    """Facts a kind declares that :data:`FACTS` (what a source may say it supports) does not list, and the reverse."""
    listed = {f.name for f in FACTS}
    declared: dict[str, list[str]] = {}
    for kind in (KINDS if kinds is None else kinds).values():
        for f in kind.record.fields:
            if f.fact is not None:
                declared.setdefault(f.name, []).append(kind.name)
    problems = [
        f"{', '.join(names)} declares '{name}' as a fact, but FACTS in {DECLARATION_FILE} does not list it,"
        f" so no source can say it supports it: add it to FACTS"
        for name, names in declared.items() if name not in listed
    ]
    problems += [f"FACTS in {DECLARATION_FILE} lists '{name}', which no kind declares as a fact: remove it" for name in sorted(listed - set(declared))]
    return problems
