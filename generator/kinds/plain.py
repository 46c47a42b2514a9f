"""Entries and their records as plain JSON values: what the open data and the editions write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


def plain(value: Any) -> Any:
    """Dataclasses, dates and lists as JSON-ready values (empty fields left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items() if v not in (None, [])}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v not in (None, [])}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
