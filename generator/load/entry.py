"""An entry file as plain data, with the position of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """Where a value starts, and the text it was written as (for scalars)."""

    line: int
    col: int
    text: str | None = None


@dataclass
class RawEntry:
    """One entry file as plain data, with the parser's event for every key and value (for positions)."""

    path: Path
    display_path: str
    folder: str
    data: dict[str, Any]
    values: dict[KeyPath, Any] = field(default_factory=dict)
    keys: dict[KeyPath, Any] = field(default_factory=dict)

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        """The position of ``path`` (its key if ``key``), or of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return mark_of(table[path])
            if path in self.values:
                return mark_of(self.values[path])
            path = path[:-1]
        return mark_of(self.values[()]) if () in self.values else Mark(1, 1)


@dataclass(frozen=True)
class Positions:
    """The positions a file's checks across entries may need, kept instead of the whole file."""

    display_path: str
    marks: dict[KeyPath, Mark]

    @classmethod
    def keep(cls, raw: RawEntry, paths: list[KeyPath]) -> Positions:
        return cls(raw.display_path, {path: raw.mark(path) for path in paths})

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        return self.marks.get(path, Mark(1, 1))


def mark_of(event: Any) -> Mark:
    if isinstance(event, Mark):
        return event
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    if isinstance(event, yaml.ScalarEvent):
        return Mark(line, col, event.value)
    return Mark(line, col)


class FileProblem(Exception):
    """A problem that stops the reading of a file."""

    def __init__(self, message: str, line: int = 1, col: int = 1, *, field: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.field = message, line, col, field


class InvalidDate(str):
    """A value written like a date (``2025-13-40``) that is not a real date."""


def dotted(path: KeyPath) -> str:
    """A key path written as ``sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
