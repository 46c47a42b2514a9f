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
        """``PATH:LINE:COL: error: MESSAGE`` on one line, whatever the path or message hold."""
        return f"{_one_line(self.path)}:{self.line}:{self.col}: {self.severity}: {_one_line(self.message)}"

    def as_github(self) -> str:
        """A GitHub Actions workflow command; its values escaped so they cannot start another command."""
        kind = "error" if self.severity == "error" else "warning"
        path = _github_escape(self.path, property_value=True)
        return f"::{kind} file={path},line={self.line},col={self.col}::{_github_escape(self.message)}"


_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(32), 127)} | {10: "\\n", 13: "\\r", 9: "\\t"}


def _one_line(text: str) -> str:
    """Control characters (line breaks above all) written as escapes, so one problem stays one line."""
    return text.translate(_CONTROLS)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape as GitHub's workflow commands require (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


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
