"""The atlas's editions and what each changed, with the changes not yet in an edition.

Read once per build from the editions folder (by default ``editions/`` beside the
entries folder) and handed to rendering: the What's new pages, the feeds, the Data
page and the PDF's changes chapter all read this one :class:`History`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.editions.diff import EditionDiff, compare
from generator.editions.record import atlas_snapshot
from generator.editions.snapshot import Snapshot, read_editions
from generator.link.atlas import Atlas

EventKey = tuple[str, str, str, str | None]  # entry id, kind of event, date as given, its sentence (None: a dated fact)
DATED_FIELDS = ("established", "started")


def editions_folder(entries: Path) -> Path:
    """Where an atlas keeps its editions when nothing says otherwise: ``editions/`` beside its entries folder."""
    return entries.resolve().parent / "editions"


@dataclass(frozen=True)
class History:
    """Every edition (oldest first), what each changed from the one before, and what changed since the latest."""

    editions: list[Snapshot] = field(default_factory=list)
    changes: list[EditionDiff] = field(default_factory=list)  # changes[i]: from editions[i - 1] (none for the first) to editions[i]
    since_latest: EditionDiff | None = None  # what the atlas as built changed since the latest edition (None: nothing)
    show_unreleased: bool = False  # whether the site shows those changes as unreleased (a preview, a pull request's build)

    @property
    def latest(self) -> Snapshot | None:
        return self.editions[-1] if self.editions else None

    def newest_first(self) -> list[EditionDiff]:
        return list(reversed(self.changes))

    @property
    def unreleased(self) -> EditionDiff | None:
        """The changes since the latest edition, where the site shows them."""
        return self.since_latest if self.show_unreleased else None

    def this_edition(self) -> EditionDiff | None:
        """What the atlas as built changed: since the latest edition when it differs from it, else that edition's own changes."""
        return self.since_latest or (self.changes[-1] if self.changes else None)

    def first_seen(self) -> dict[EventKey, dt.date]:
        """The date of the first edition that holds each dated event."""
        seen: dict[EventKey, dt.date] = {}
        for edition in self.editions:
            for key in event_keys(edition.entries.values()):
                seen.setdefault(key, edition.date)
        return seen


def event_keys(entries: Iterable[Mapping[str, Any]]) -> Iterable[EventKey]:
    """What identifies each dated event of entries given as data: the same keys as
    :func:`generator.render.feeds.event_key` gives for the timeline's events."""
    for data in entries:
        for item in data.get("history", []) if isinstance(data.get("history"), list) else []:
            if isinstance(item, dict) and "date" in item:
                yield (str(data["id"]), "history", str(item["date"]), str(item.get("event", "")).strip())
        for name in DATED_FIELDS:
            if data.get(name) is not None:
                yield (str(data["id"]), name, str(data[name]), None)


def recorded_history(folder: Path) -> History:
    """The editions in ``folder`` and what each changed from the one before (nothing yet of the atlas being built)."""
    editions = read_editions(folder)
    return History(editions, [compare(editions[i - 1] if i else None, edition) for i, edition in enumerate(editions)])


def with_changes_since_latest(recorded: History, atlas: Atlas, *, show_unreleased: bool) -> History:
    """``recorded`` with what ``atlas`` changed since its latest edition (shown as unreleased with ``show_unreleased``)."""
    since = compare(recorded.editions[-1], atlas_snapshot(atlas)) if recorded.editions else None
    return replace(recorded, since_latest=None if since is None or since.empty else since, show_unreleased=show_unreleased)


def read_history(folder: Path, atlas: Atlas, *, show_unreleased: bool) -> History:
    """The editions in ``folder``, their changes and the atlas's since the latest (shown as unreleased with ``show_unreleased``)."""
    return with_changes_since_latest(recorded_history(folder), atlas, show_unreleased=show_unreleased)
