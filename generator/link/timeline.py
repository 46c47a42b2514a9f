"""Every dated event of the atlas, in one ordered list, with the facets a reader filters it by.

Pure data, no HTML: :mod:`generator.render.timeline_page` shows it. An event is a history
event of an entry (``history: [{date, event, source?}]``), or a dated fact of it: when a body
was ``established`` (a year) or an initiative ``started`` (a loose date). Dates stay as given:
a year-only date is a year, a month a month. Events run oldest first; a year-only date sorts
before the dated events of its year.

A facet (:class:`Facet`) says which values an event has (:attr:`Facet.of`, one or more); the
timeline counts them. A new facet is one more :class:`Facet` in :func:`facets_of`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.kinds.declaration import ESTABLISHED, KINDS, STARTED
from generator.kinds.fields import Field
from generator.kinds.model import Entry, Source
from generator.link.atlas import Atlas, sort_key

HISTORY_EVENT = "history"
# The dated facts of the declaration that become events, by the name of their field.
DATED_FACTS: tuple[Field, ...] = (ESTABLISHED, STARTED)
# The kinds of event: name → label, in the order the filters list them.
EVENT_KINDS: dict[str, str] = {HISTORY_EVENT: "History", **{f.name: f.label for f in DATED_FACTS}}
NO_TOPIC = "no-topic"  # the topic facet's value for events of untagged entries (an id no entry may take)
_VALUE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # facet names and values become ids, attribute values and CSS


@dataclass(frozen=True)
class Event:
    """One dated event: its date as given, its entry, what kind of event, what happened and its sources.

    ``text`` is the history event's sentence (None for a dated fact, whose label says what happened);
    ``sources`` are the history event's source (the entry's own record of it when the entry cites it),
    or the entry's sources that ``support`` the fact; none when nothing gives one.
    """

    date: str
    entry: Entry
    what: str  # a key of EVENT_KINDS
    text: str | None
    sources: tuple[Source, ...]
    position: int = 0  # its place in the entry's history, for a stable order

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def label(self) -> str:
        """What happened, in words: the history event's sentence, or the fact's label (``Established``)."""
        return self.text if self.text is not None else EVENT_KINDS[self.what]


@dataclass(frozen=True)
class FacetValue:
    name: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """A way to filter events: its values that some event has (with how many do), and each event's values."""

    name: str
    label: str
    values: tuple[FacetValue, ...]
    of: Callable[[Event], tuple[str, ...]]


@dataclass(frozen=True)
class Timeline:
    """The atlas's dated events, oldest first, and the facets to filter them by."""

    events: tuple[Event, ...]
    facets: tuple[Facet, ...]

    def years(self) -> list[tuple[str, list[Event]]]:
        """The events grouped by year, oldest year first."""
        grouped: dict[str, list[Event]] = {}
        for event in self.events:
            grouped.setdefault(event.year, []).append(event)
        return list(grouped.items())

    def latest(self, count: int) -> list[Event]:
        """The ``count`` latest events, newest first (dated events of a year before the year-only ones)."""
        return sorted(self.events, key=lambda e: e.date, reverse=True)[:count]  # stable: one date keeps entry order


def events_of(entry: Entry) -> list[Event]:
    """The dated events of one entry: its dated facts, then its history."""
    events = []
    kind = KINDS[entry.kind].record.by_name
    for fact in DATED_FACTS:
        value = getattr(entry, fact.name) if fact.name in kind else None
        if value is not None:
            supporting = tuple(s for s in entry.sources if fact.name in s.supports)
            events.append(Event(str(value), entry, fact.name, None, supporting))
    for position, item in enumerate(entry.history):
        events.append(Event(item.date, entry, HISTORY_EVENT, item.event, _history_sources(entry, item.source), position))
    return events


def _history_sources(entry: Entry, url: str | None) -> tuple[Source, ...]:
    """A history event's source: the entry's own record of it when it lists the URL, else the URL alone."""
    if not url:
        return ()
    listed = next((s for s in entry.sources if s.url == url), None)
    return (listed or Source(title=url, url=url),)


def _rank(event: Event) -> tuple[str, tuple[str, str], int, int]:
    return event.date, sort_key(event.entry), list(EVENT_KINDS).index(event.what), event.position


def topics_of(event: Event) -> tuple[str, ...]:
    """The topics of an event: its entry's tags (a topic's own events: the topic), or :data:`NO_TOPIC`."""
    entry = event.entry
    if entry.kind == "topic":
        return (entry.id,)
    return tuple(sorted(t.topic for t in entry.topics)) or (NO_TOPIC,)


def facets_of(events: list[Event], topics: list[Entry]) -> tuple[Facet, ...]:
    """The facets of the timeline: kind of entry, kind of event, and topic when the atlas has topics;
    each lists the values some event has."""
    kinds = [(kind.name, kind.title) for kind in KINDS.values()]
    facets = [
        make_facet("kind", "Kind of entry", kinds, lambda e: (e.entry.kind,), events),
        make_facet("event", "Kind of event", list(EVENT_KINDS.items()), lambda e: (e.what,), events),
    ]
    if topics:
        values = [(t.id, t.name) for t in topics] + [(NO_TOPIC, "No topic")]
        facets.append(make_facet("topic", "Topic", values, topics_of, events))
    return tuple(facets)


def make_facet(name: str, label: str, values: list[tuple[str, str]], of: Callable[[Event], tuple[str, ...]], events: list[Event]) -> Facet:
    """A facet over ``events``: its ``values`` (name, label) in order, those no event has left out, each with its count."""
    counts: dict[str, int] = {}
    for event in events:
        for value in of(event):
            counts[value] = counts.get(value, 0) + 1
    for word in (name, *counts):
        if not _VALUE.match(word):
            raise ValueError(f"timeline facet {name!r}: {word!r} is not a lowercase slug")
    known = dict(values)
    if set(counts) - set(known):
        raise ValueError(f"timeline facet {name!r}: events have values it does not list: {sorted(set(counts) - set(known))}")
    return Facet(name, label, tuple(FacetValue(v, known[v], counts[v]) for v, _ in values if v in counts), of)


def timeline(atlas: Atlas) -> Timeline:
    """Every dated event of the atlas, oldest first, with its facets."""
    events = sorted((event for entry in atlas.entries.values() for event in events_of(entry)), key=_rank)
    return Timeline(tuple(events), facets_of(events, atlas.topics))
