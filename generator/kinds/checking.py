"""What checking one entry collects, and how it words a mistake.

A :class:`Checker` gathers the problems found in one entry file and the ids it
names (checked once every entry is known); :func:`describe_value` and
:func:`yaml_hint` say what a value is as the contributor wrote it, and where
YAML 1.1 read it as something else (``no`` as false, an unquoted date as a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from generator.load.entry import InvalidDate, KeyPath, RawEntry, dotted
from generator.problems import Problem

_YAML_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}

INVALID: Any = object()
PLACEHOLDER = "TODO"


@dataclass(frozen=True)
class Reference:
    """An id named by an entry, to be checked once every entry is known."""

    path: KeyPath
    target: str
    kinds: tuple[str, ...]


@dataclass
class Checker:
    """Collects the problems and references found while checking one entry."""

    raw: RawEntry
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def error(
        self, path: KeyPath, message: str, *, at_key: bool = False, severity: str = "error", field: str | None = None
    ) -> None:
        """Record a problem at ``path`` (its key if ``at_key``); ``field`` names the field when it differs."""
        mark = self.raw.mark(path, key=at_key)
        name = dotted(path) if field is None else field
        self.problems.append(Problem(self.raw.display_path, mark.line, mark.col, message, name, severity))

    def warn(self, path: KeyPath, message: str) -> None:
        self.error(path, message, severity="warning")


def describe_value(value: Any, checker: Checker | None = None, path: KeyPath = ()) -> str:
    """Say what a value is, the way a contributor wrote it."""
    written = checker.raw.mark(path).text if checker else None
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (written {written})" if written and written.lower() != str(value).lower() else str(value).lower()
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {written or value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {written or value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def yaml_hint(value: Any, checker: Checker, path: KeyPath, wanted: str) -> str:
    """A hint for a value YAML read as another type than the contributor meant."""
    mark = checker.raw.mark(path)
    written = mark.text or ""
    if isinstance(value, bool) and written.lower() in _YAML_BOOL_WORDS and wanted == "text":
        return f"; YAML reads an unquoted {written} as {str(value).lower()}: write \"{written}\" in quotes"
    if isinstance(value, (dt.date, InvalidDate)) and wanted == "text":
        return f"; YAML reads an unquoted {written} as a date: write \"{written}\" in quotes"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and wanted == "text":
        return f"; write \"{written}\" in quotes if you mean text"
    if value is None:
        return "; give a value or remove the line"
    return ""
