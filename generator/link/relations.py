"""The atlas as a graph: every entry a node, every reference between entries an edge.

The edges are what the entries already say of each other, and nothing else:

- ``pathway``: a forum or initiative → the pathway it belongs to;
- ``led_by``: an initiative → a forum that leads it;
- ``addresses``: a forum or initiative → a gap it claims to address, with the claim's level and basis
  (named and by category kept apart);
- ``topic``: a forum or initiative → a topic its sources say it deals with;
- ``related``: an entry ↔ an entry it lists as related. It has no direction: two entries that list
  each other make one edge (``source`` is then the one whose id sorts first); the entry pages say who
  lists whom.

Cases (an entry a source gives as a case of a gap) are not edges: they are not coverage, and the
gap's page lists them. The edges are sorted, so the same entries always give the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.kinds.model import Entry
from generator.link.atlas import Atlas, sort_key

# The types of edge, in the order an entry's relations are listed.
RELATION_TYPES = ("pathway", "led_by", "addresses", "topic", "related")
_RANK = {name: i for i, name in enumerate(RELATION_TYPES)}


@dataclass(frozen=True)
class Relation:
    """An edge: ``source`` → ``target`` (entry ids), of one of :data:`RELATION_TYPES`; a claim's level and basis."""

    type: str
    source: str
    target: str
    level: str | None = None
    basis: str | None = None

    @property
    def key(self) -> tuple[int, str, str]:
        return (_RANK[self.type], self.source, self.target)


@dataclass(frozen=True)
class Neighbour:
    """An entry at the other end of a relation; ``outgoing`` when the relation starts at the entry whose neighbour it is."""

    entry: Entry
    relation: Relation
    outgoing: bool

    @property
    def group(self) -> tuple[str, bool]:
        """The relation's type and direction: an entry's neighbours are listed by group (``related`` has one direction)."""
        return (self.relation.type, self.outgoing or self.relation.type == "related")


@dataclass
class Relations:
    """The edges of the atlas, sorted by type, source and target, and each entry's neighbours."""

    atlas: Atlas
    edges: tuple[Relation, ...]
    _by_entry: dict[str, list[Neighbour]] = field(default_factory=dict, repr=False)

    def neighbours(self, entry_id: str) -> list[Neighbour]:
        """An entry's neighbours: by type of relation, outgoing before incoming, then by name."""
        return self._by_entry.get(entry_id, [])

    @property
    def nodes(self) -> list[Entry]:
        """Every entry, by kind then name (as ``atlas.by_kind`` orders them)."""
        return [entry for entries in self.atlas.by_kind.values() for entry in entries]


def relation_edges(atlas: Atlas) -> list[Relation]:
    """Every edge of the atlas, sorted (see the module's docstring for what makes one)."""
    edges: list[Relation] = []
    related: set[tuple[str, str]] = set()
    for entry in atlas.entries.values():
        if entry.pathway:
            edges.append(Relation("pathway", entry.id, entry.pathway))
        edges += [Relation("led_by", entry.id, forum) for forum in entry.led_by]
        edges += [Relation("addresses", entry.id, c.gap, c.level, c.basis) for c in entry.addresses]
        edges += [Relation("topic", entry.id, tag.topic) for tag in entry.topics]
        related.update((min(entry.id, other), max(entry.id, other)) for other in entry.related if other != entry.id)
    edges += [Relation("related", a, b) for a, b in related]
    return sorted(edges, key=lambda r: r.key)


def relations_of(atlas: Atlas) -> Relations:
    """The atlas's edges, and each entry's neighbours in the order they are listed."""
    edges = relation_edges(atlas)
    by_entry: dict[str, list[Neighbour]] = defaultdict(list)
    entries = atlas.entries
    for edge in edges:
        by_entry[edge.source].append(Neighbour(entries[edge.target], edge, True))
        by_entry[edge.target].append(Neighbour(entries[edge.source], edge, False))
    for items in by_entry.values():
        items.sort(key=lambda n: (_RANK[n.relation.type], not n.group[1], sort_key(n.entry)))
    return Relations(atlas, tuple(edges), dict(sorted(by_entry.items())))
