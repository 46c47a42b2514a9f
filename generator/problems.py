"""Problems found in entry files, and how they are printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one entry file, at a line and column (both 1-based)."""

    path: str
    line: int
    col: int
    message: str
    field: str = ""
    severity: str = "error"

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_github(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line},col={self.col}::{message}"


def format_problems(problems: list[Problem], style: str) -> str:
    """Render problems as ``text``, ``github`` or ``json`` (one string, no trailing newline)."""
    ordered = sorted(problems)
    if style == "json":
        return json.dumps([_json_record(p) for p in ordered], indent=2, ensure_ascii=False)
    if style == "github":
        return "\n".join(p.as_github() for p in ordered)
    return "\n".join(p.as_text() for p in ordered)


def _json_record(problem: Problem) -> dict[str, object]:
    record = asdict(problem)
    return {key: record[key] for key in ("path", "line", "col", "field", "message", "severity")}
