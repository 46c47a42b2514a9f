"""The entries due for review: last reviewed longer ago than an age, oldest first, with what depends on them.

Ages count from the edition date (:attr:`Atlas.edition`), so the Review queue page and
``check --due`` give the same list for the same entries, whatever the day they run.
What depends on an entry is what a reader sees change when the entry does: the gaps
its claims sit on, the entries that name it, a pathway's members, a gap's claims, a
topic's tagged entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.kinds.model import Entry
from generator.link.atlas import Atlas, sort_key

NAMED_BY = {"related": "related to it", "led_by": "led by it"}  # the backlinks that name an entry, in words


@dataclass(frozen=True)
class Dependents:
    """Entries that depend on a due entry in one way, in words (``its claims sit on``)."""

    how: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Due:
    """An entry due for review: how many days before the edition it was last reviewed, and what depends on it."""

    entry: Entry
    age_days: int
    dependents: tuple[Dependents, ...]

    @property
    def dependent_count(self) -> int:
        return len({e.id for d in self.dependents for e in d.entries})


def review_queue(atlas: Atlas, max_age_days: int) -> list[Due]:
    """The entries last reviewed more than ``max_age_days`` before the edition date: oldest first, then by name."""
    queue = []
    for entry in atlas.entries.values():
        age = (atlas.edition - entry.last_reviewed).days
        if age > max_age_days:
            queue.append(Due(entry, age, dependents_of(atlas, entry)))
    return sorted(queue, key=lambda d: (d.entry.last_reviewed, *sort_key(d.entry)))


def dependents_of(atlas: Atlas, entry: Entry) -> tuple[Dependents, ...]:
    """What shows this entry's facts or claims, by how it depends on it; ways with no entry are left out."""
    entries = atlas.entries
    ways: list[tuple[str, list[Entry]]] = [
        ("its claims sit on", [entries[c.gap] for c in entry.addresses]),
        ("it is a case of", [entries[c.gap] for c in entry.illustrates]),
        ("claims on it", [c.entry for c in atlas.coverage.get(entry.id, [])]),
        ("cases of it", [c.entry for c in atlas.cases.get(entry.id, [])]),
        ("members", list(atlas.members.get(entry.id, []))),
        ("tagged with it", list(atlas.tagged.get(entry.id, []))),
    ]
    named: dict[str, list[Entry]] = {}
    for backlink in atlas.backlinks.get(entry.id, []):
        if backlink.relation in NAMED_BY:
            named.setdefault(NAMED_BY[backlink.relation], []).append(backlink.entry)
    ways += list(named.items())
    return tuple(Dependents(how, _unique(found)) for how, found in ways if found)


def _unique(entries: list[Entry]) -> tuple[Entry, ...]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return tuple(sorted(seen.values(), key=sort_key))


def due_lines(queue: list[Due], edition: dt.date, max_age_days: int) -> list[str]:
    """The queue as lines of text, for ``check --due``."""
    if not queue:
        return [f"No entry is due for review: every one was reviewed within {max_age_days} days of the edition date, {edition.isoformat()}."]
    counted = f"{len(queue)} {'entry is' if len(queue) == 1 else 'entries are'} due for review"
    lines = [f"{counted} (last reviewed more than {max_age_days} days before the edition date, {edition.isoformat()}), oldest first:"]
    for due in queue:
        entry = due.entry
        where = entry.path or f"{entry.kind}s/{entry.id}.yaml"
        lines.append(f"  {where}: last reviewed {entry.last_reviewed.isoformat()}, {due.age_days} days before the edition ({entry.label})")
        for way in due.dependents:
            lines.append(f"      {way.how}: {', '.join(e.id for e in way.entries)}")
    return lines
