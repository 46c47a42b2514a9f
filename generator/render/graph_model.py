"""The graphs the pages draw, as nodes and links: the whole atlas (entry by entry, or clustered by
pathway when it is large) and the neighbours of one entry.

A graph here is what both its drawing (:mod:`generator.render.graph_svg`) and its text list
(:mod:`generator.render.graph_page`) show, so the two cannot differ. A :class:`Link` joins two
nodes and counts the relations it stands for: one, when each node is an entry; many, when a
node stands for a pathway's forums and initiatives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from generator.kinds.declaration import LEVELS
from generator.kinds.model import Entry
from generator.link.relations import RELATION_TYPES, Relation, Relations
from generator.render.urls import entry_page

NO_PATHWAY = "_none"  # the cluster of forums and initiatives without a pathway ("_" is never in an id)
CLUSTER_FROM = 150  # an atlas of more entries than this is drawn clustered by pathway
_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
_TYPE_RANK = {name: i for i, name in enumerate(RELATION_TYPES)}


@dataclass(frozen=True)
class Node:
    """A node of a graph: an entry, or (``kind`` cluster) a pathway standing for its members."""

    key: str  # the entry's id; a cluster's pathway id, or NO_PATHWAY
    kind: str
    name: str  # as the text list writes it
    label: str  # as the drawing writes it (short)
    path: str  # the docs path of the page it links to
    members: Counter[str] = field(default_factory=Counter)  # a cluster's forums and initiatives, by kind

    @property
    def anchor(self) -> str:
        """The id of its item in the atlas's text list: ``relations-<entry id>`` (``relations--none``)."""
        return "relations--none" if self.key == NO_PATHWAY else f"relations-{self.key}"

    @property
    def title(self) -> str:
        """Its accessible name: what it is, in words."""
        if self.kind != "cluster":
            return f"{self.name} ({self.kind})"
        count = self.members.total()
        parts = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(self.members.items()))
        return f"{self.name}: {count} forum{'s' if count != 1 else ''} and initiatives ({parts})" if count else self.name


@dataclass
class Link:
    """The relations of one type (and, for claims, one basis) from node ``source`` to node ``target``."""

    type: str
    source: str
    target: str
    basis: str | None = None
    count: int = 0
    level: str | None = None  # the strongest level of the claims it stands for

    def add(self, relation: Relation) -> None:
        self.count += 1
        if relation.level and (self.level is None or _LEVEL_RANK[relation.level] < _LEVEL_RANK[self.level]):
            self.level = relation.level

    @property
    def style(self) -> str:
        """How it is drawn: by relation, and claims by basis."""
        return self.basis or "named" if self.type == "addresses" else self.type


@dataclass
class Graph:
    """Nodes, by key in drawing order, and the links between them; ``clustered`` when nodes stand for pathways."""

    nodes: dict[str, Node]
    links: list[Link]
    clustered: bool = False

    def links_of(self, key: str) -> list[tuple[Link, str, bool]]:
        """The links of a node: each with the node at its other end and whether it goes out from this one."""
        found = [(link, link.target, True) for link in self.links if link.source == key]
        found += [(link, link.source, False) for link in self.links if link.target == key]
        order = self.order
        return sorted(found, key=lambda f: (_TYPE_RANK[f[0].type], not (f[2] or f[0].type == "related"), order[f[1]]))

    @cached_property
    def order(self) -> dict[str, int]:
        """Each node's place in drawing order."""
        return {key: i for i, key in enumerate(self.nodes)}


def entry_node(entry: Entry) -> Node:
    return Node(entry.id, entry.kind, entry.label, entry.short_label, entry_page(entry.kind, entry.id))


def should_cluster(relations: Relations, cluster_from: int = CLUSTER_FROM) -> bool:
    return len(relations.atlas.entries) > cluster_from


def atlas_graph(relations: Relations, cluster_from: int = CLUSTER_FROM) -> Graph:
    """The whole atlas: an entry a node, or, beyond ``cluster_from`` entries, a node per pathway standing for its members."""
    clustered = should_cluster(relations, cluster_from)
    nodes: dict[str, Node] = {}
    place: dict[str, str] = {}  # entry id → the key of the node that stands for it
    atlas = relations.atlas
    if clustered:
        for pathway in atlas.pathways:
            members = Counter(e.kind for e in atlas.members.get(pathway.id, []))
            nodes[pathway.id] = Node(pathway.id, "cluster", pathway.label, f"{pathway.short_label} ({members.total()})",
                                     entry_page("pathway", pathway.id), members)
        loose = [e for e in atlas.actors if not e.pathway]
        if loose:
            nodes[NO_PATHWAY] = Node(NO_PATHWAY, "cluster", "No pathway", f"No pathway ({len(loose)})", "coverage/matrix.md",
                                     Counter(e.kind for e in loose))
        for entry in atlas.actors:
            place[entry.id] = entry.pathway or NO_PATHWAY
        place.update({p.id: p.id for p in atlas.pathways})
    for entry in relations.nodes:
        if entry.id not in place:
            nodes[entry.id] = entry_node(entry)
            place[entry.id] = entry.id
    links: dict[tuple[str, str, str, str | None], Link] = {}
    for relation in relations.edges:
        source, target = place[relation.source], place[relation.target]
        if source == target:
            continue
        if relation.type == "related" and source > target:
            source, target = target, source
        key = (relation.type, source, target, relation.basis)
        links.setdefault(key, Link(relation.type, source, target, relation.basis)).add(relation)
    order = {key: i for i, key in enumerate(nodes)}
    ordered = sorted(links.values(), key=lambda k: (_TYPE_RANK[k.type], order[k.source], order[k.target], k.basis != "named"))
    return Graph(nodes, ordered, clustered)


def ego_graph(relations: Relations, entry: Entry) -> Graph:
    """An entry and its neighbours, each linked to it (not to each other): the entry first."""
    nodes = {entry.id: entry_node(entry)}
    links = []
    for neighbour in relations.neighbours(entry.id):
        nodes.setdefault(neighbour.entry.id, entry_node(neighbour.entry))
        r = neighbour.relation
        links.append(Link(r.type, r.source, r.target, r.basis, 1, r.level))
    return Graph(nodes, links)
