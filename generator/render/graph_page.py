"""The relations page (the graph of the whole atlas and its text list) and each entry's ego graph.

Each graph is drawn (:mod:`generator.render.graph_svg`) and listed in words: for every node,
its relations grouped by type, each a link. The list is what a keyboard, a screen reader and
the PDF use; the drawing is the same graph. An atlas of more than
:data:`generator.render.graph_model.CLUSTER_FROM` entries is drawn with one node per pathway
standing for its forums and initiatives (see :func:`generator.render.graph_model.atlas_graph`),
and each entry's page still draws its own neighbours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from generator.kinds.declaration import KINDS
from generator.kinds.model import Entry
from generator.link.relations import Relations
from generator.render.context import RenderContext
from generator.render.contexts import PageContext
from generator.render.graph_layout import Box, arrange, extent, spread
from generator.render.graph_model import Graph, Link, Node, atlas_graph, ego_graph, should_cluster
from generator.render.graph_svg import (
    DEFAULT_WIDTH,
    LABEL_GAP,
    LEVEL_WIDTHS,
    MARKER,
    MORE,
    Drawing,
    GraphEdge,
    GraphNode,
    legend,
    short,
    svg,
    text_width,
)
from generator.render.html_pieces import printed
from generator.render.page import WIDE, Page
from generator.render.urls import relative_url

RELATIONS = "relations.md"
ATLAS_WIDTH = 900  # the atlas's drawing, in units (CSS pixels on screen), unless a part of it is wider
UNIT = 75  # units of the drawing to a unit of length of the layout (an edge of length 1)
EGO_SHOWN = 8  # neighbours drawn per group on an entry's page; its list names them all, up to LISTED
LISTED = 40
ROW = 22
SPAN = 150  # from an ego graph's centre to each column of neighbours
PAD = 8
# How long an edge of each type would like to be in the atlas's layout (a pathway's members stay close).
LENGTHS = {"pathway": 1.0, "led_by": 1.2, "related": 1.5, "addresses": 1.6, "topic": 1.6}
GROUPS = {  # (relation type, outgoing): how its neighbours are introduced
    ("pathway", True): "Pathway", ("pathway", False): "Members",
    ("led_by", True): "Led by", ("led_by", False): "Leads",
    ("addresses", True): "Addresses", ("addresses", False): "Addressed by",
    ("topic", True): "Topics", ("topic", False): "Dealt with by",
    ("related", True): "Related",
}
KIND_ORDER = ("cluster", "forum", "initiative", "pathway", "gap", "topic")
BASIS_WORDS = {"named": "named", "category": "by category"}


@dataclass(frozen=True)
class RelationsContext(PageContext):
    """The relations page: the atlas's ``graph``, its drawing with its key (``figure``), and its list, one section per kind."""

    template: ClassVar[str] = "relations.md.j2"
    graph: Graph
    entries: int
    figure: Markup
    sections: list[tuple[str, list[Node]]]
    item_html: Callable[[Node], Markup]


def relations_page(context: RenderContext, cluster_from: int | None = None) -> Page:
    """The relations page of the atlas (clustered by pathway beyond ``cluster_from`` entries)."""
    relations = context.relations
    graph = atlas_graph(relations) if cluster_from is None else atlas_graph(relations, cluster_from)
    here, directory_urls = RELATIONS, context.directory_urls
    label = f"Graph of the atlas: {len(graph.nodes)} nodes and {len(graph.links)} lines; the list below gives the same relations."
    drawing = atlas_drawing(graph, here, directory_urls)
    figure = graph_figure(graph, drawing, label, "atlas-graph--atlas")
    sections = []
    for kind in KIND_ORDER:
        nodes = [node for node in graph.nodes.values() if node.kind == kind]
        if nodes:
            sections.append(("Pathways and their members" if kind == "cluster" else KINDS[kind].title, nodes))

    def item_html(node: Node) -> Markup:
        return node_item(graph, node, here, directory_urls)

    page = RelationsContext(graph=graph, entries=len(context.atlas.entries), figure=figure, sections=sections, item_html=item_html)
    return Page(RELATIONS, context.render_page(RELATIONS, page), "Relations", meta=WIDE)


# --- the text list ---------------------------------------------------------------------


def _link(node: Node, here: str, directory_urls: bool) -> str:
    return f'<a href="{printed(relative_url(here, node.path, directory_urls))}">{printed(node.name)}</a>'


def _detail(link: Link, clustered: bool) -> str:
    """What a link says beyond its ends: a claim's level and basis; in a clustered graph, how many relations."""
    if not clustered:
        return f" ({link.level}, {BASIS_WORDS[link.basis or 'named']})" if link.type == "addresses" else ""
    if link.type == "addresses":
        claims = "claim" if link.count == 1 else "claims"
        return f" ({link.count} {claims} {BASIS_WORDS[link.basis or 'named']}, the strongest {link.level})"
    return f" ({link.count} relation{'s' if link.count != 1 else ''})"


def _join(details: list[str]) -> str:
    """Details of links to one node, ``(a)`` and ``(b)``, as ``(a; b)``."""
    inner = "; ".join(d.strip().removeprefix("(").removesuffix(")") for d in details if d)
    return f" ({inner})" if inner else ""


def grouped(graph: Graph, key: str) -> list[tuple[str, list[tuple[Link, Node]]]]:
    """A node's links by group (:data:`GROUPS`), in order, each with the node at its other end."""
    groups: dict[str, list[tuple[Link, Node]]] = {}
    for link, other, outgoing in graph.links_of(key):
        name = GROUPS[(link.type, outgoing or link.type == "related")]
        groups.setdefault(name, []).append((link, graph.nodes[other]))
    return list(groups.items())


def relation_list(graph: Graph, key: str, here: str, directory_urls: bool, shown: int | None = None, list_id: str = "") -> str:
    """A node's relations as a description list: a group's name, then its links (the first ``shown`` of each group)."""
    parts = []
    for name, links in grouped(graph, key):
        merged: dict[str, list[str]] = {}  # by the node at the other end: a cluster's named and category claims on a gap are one item
        for link, node in links:
            merged.setdefault(node.key, [_link(node, here, directory_urls)]).append(_detail(link, graph.clustered))
        items = [f"{parts[0]}{printed(_join(parts[1:]))}" for parts in list(merged.values())[:shown]]
        if shown is not None and len(merged) > shown:
            items.append(f"and {len(merged) - shown} more")
        parts.append(f"<dt>{printed(name)}</dt><dd>{', '.join(items)}</dd>")
    if not parts:
        return ""
    ident = f' id="{list_id}"' if list_id else ""
    return f'<dl class="atlas-relations__groups"{ident}>{"".join(parts)}</dl>'


def node_item(graph: Graph, node: Node, here: str, directory_urls: bool) -> Markup:
    """A node of the atlas's list, on one line: its link and kind, then its relations (or that it has none)."""
    kind = "pathway" if node.kind == "cluster" else node.kind
    members = f" {printed(node.title.partition(': ')[2])}" if node.kind == "cluster" and node.members else ""
    relations = relation_list(graph, node.key, here, directory_urls) or '<p class="atlas-relations__none">No relation in the atlas.</p>'
    return Markup(
        f'<li id="{printed(node.anchor)}">{_link(node, here, directory_urls)} <span class="atlas-kind-tag">{kind}</span>{members}{relations}</li>'
    )


# --- drawings ---------------------------------------------------------------------------


def graph_node(node: Node, here: str, directory_urls: bool, anchor: str = "below", strong: bool = False) -> GraphNode:
    return GraphNode(node.kind, short(node.label), node.title, relative_url(here, node.path, directory_urls), anchor, strong)


def edge_width(link: Link, clustered: bool) -> float:
    """A claim's line is as wide as its level is strong; in a clustered graph, a line widens with the relations it stands for."""
    if clustered:
        return round(min(1 + math.log2(link.count) * 0.6, 4.0), 1)
    return LEVEL_WIDTHS[link.level] if link.type == "addresses" and link.level else DEFAULT_WIDTH


def atlas_drawing(graph: Graph, here: str, directory_urls: bool) -> Drawing:
    """The whole graph laid out by Kamada–Kawai (:mod:`generator.render.graph_layout`), each label on the outer side of its node."""
    index = graph.order
    keys = list(graph.nodes)
    edges = [GraphEdge(index[k.source], index[k.target], k.style, edge_width(k, graph.clustered)) for k in graph.links]
    lengths = [(e.source, e.target, LENGTHS[k.type]) for e, k in zip(edges, graph.links, strict=True)]
    parts = spread(len(keys), lengths, unit=UNIT)
    sides = {node: part.side(node) for part in parts for node in part.nodes}
    nodes = [graph_node(graph.nodes[key], here, directory_urls, sides[i]) for i, key in enumerate(keys)]
    boxes = [n.box for n in nodes]
    centres = arrange(parts, boxes, width=ATLAS_WIDTH)
    width, height = extent(centres, boxes)
    return Drawing(nodes, edges, centres, width, height, faint=graph.clustered)


def ego_drawing(graph: Graph, centre: str, here: str, directory_urls: bool) -> Drawing:
    """An entry in the middle, its neighbours in two columns beside it, group by group, each joined to it.

    A neighbour in two groups is drawn once, in the first, with a line for each relation; a
    group draws its first :data:`EGO_SHOWN` neighbours and a link to the list for the rest.
    """
    drawn: dict[str, int] = {centre: 0}
    nodes = [graph_node(graph.nodes[centre], here, directory_urls, strong=True)]
    columns: list[list[tuple[str, list[int]]]] = [[], []]
    groups = grouped(graph, centre)
    rows = [1 + min(len(links), EGO_SHOWN) + (len(links) > EGO_SHOWN) for _, links in groups]
    left_rows = 0
    for (name, links), count in zip(groups, rows, strict=True):
        side = 0 if len(groups) > 1 and left_rows + count / 2 <= sum(rows) / 2 else 1
        left_rows += count if side == 0 else 0
        members = []
        anchor = "left" if side == 0 else "right"
        for _, node in links[:EGO_SHOWN]:
            if node.key not in drawn:
                drawn[node.key] = len(nodes)
                members.append(len(nodes))
                nodes.append(graph_node(node, here, directory_urls, anchor))
        if len(links) > EGO_SHOWN:
            members.append(len(nodes))
            more = f"and {len(links) - EGO_SHOWN} more"
            nodes.append(GraphNode(MORE, more, f"{name}: {more}, in the list", relative_url(here, here, directory_urls, "relations--list"), anchor))
        if members:
            columns[side].append((name, members))
    edges = [GraphEdge(drawn[k.source], drawn[k.target], k.style, edge_width(k, False))
             for k in graph.links if k.source in drawn and k.target in drawn]
    return _fan(nodes, edges, columns)


def _fan(nodes: list[GraphNode], edges: list[GraphEdge], columns: list[list[tuple[str, list[int]]]]) -> Drawing:
    """Positions for an ego graph: the centre (node 0) between a left and a right column of groups, each under its name."""
    def text(side: int) -> float:
        names = [text_width(name, size=11) for name, _ in columns[side]]
        return max([*names, *(text_width(nodes[i].label) for _, members in columns[side] for i in members)], default=0.0)

    left, right = columns
    centre_box: Box = nodes[0].box
    reach = MARKER + LABEL_GAP
    left_x = PAD + text(0) + reach if left else PAD
    centre_x = left_x + SPAN if left else PAD + centre_box.width / 2
    right_x = centre_x + SPAN
    heights = [sum(1 + len(members) for _, members in column) * ROW for column in columns]
    height = max(*heights, centre_box.height) + 2 * PAD
    centres: list[tuple[int, int]] = [(0, 0)] * len(nodes)
    notes: list[tuple[int, int, str, str]] = []
    for side, (x, column) in enumerate(((left_x, left), (right_x, right))):
        y = PAD + (height - 2 * PAD - heights[side]) / 2 + ROW / 2
        for name, members in column:
            notes.append((round(x - reach if side == 0 else x + reach), round(y + 4), "end" if side == 0 else "start", name))
            y += ROW
            for i in members:
                centres[i] = (round(x), round(y))
                y += ROW
    centres[0] = (round(centre_x), round(height / 2))
    width = right_x + reach + text(1) + PAD if right else centre_x + max(centre_box.width / 2, SPAN / 2) + PAD
    return Drawing(nodes, edges, centres, math.ceil(width), math.ceil(height), notes)


def graph_figure(graph: Graph, drawing: Drawing, label: str, css_class: str, note: str = "") -> Markup:
    """A drawing in its scrolling frame, with its key below it, on one line."""
    kinds = sorted({n.kind for n in drawing.nodes if n.kind != MORE}, key=KIND_ORDER.index)
    styles = [s for s in ("pathway", "led_by", "named", "category", "topic", "related") if any(e.style == s for e in drawing.edges)]
    levels = not graph.clustered and any(k.type == "addresses" for k in graph.links)
    key = legend(kinds, styles, levels)
    wider = '<p class="atlas-graph__note">A thicker line stands for more relations.</p>' if graph.clustered else ""
    return Markup(
        f'<figure class="atlas-graph {css_class}"><div class="atlas-graph__canvas">{svg(drawing, label)}</div>'
        f"<figcaption>{key}{wider}{note}</figcaption></figure>"
    )


# --- an entry's page ---------------------------------------------------------------------


def atlas_anchor(relations: Relations, entry: Entry) -> str:
    """The item of the atlas's list that stands for ``entry``: its own, or its pathway's when the graph is clustered."""
    if should_cluster(relations) and entry.kind in ("forum", "initiative"):
        return "relations--none" if not entry.pathway else f"relations-{entry.pathway}"
    return f"relations-{entry.id}"


def ego_section(relations: Relations, entry: Entry, here: str, directory_urls: bool) -> str:
    """An entry page's "Relations" section: its ego graph and the list of its relations, or that it has none."""
    graph = ego_graph(relations, entry)
    place_in_atlas = (f'<p class="atlas-graph__place"><a href="{printed(relative_url(here, RELATIONS, directory_urls, atlas_anchor(relations, entry)))}">'
                      "Its place in the graph of the whole atlas</a></p>")
    if len(graph.nodes) == 1:
        none = '<p class="atlas-relations__none">No relation in the atlas: it refers to no entry, and none refers to it.</p>'
        return f"## Relations\n\n{none}\n{place_in_atlas}\n\n"
    drawing = ego_drawing(graph, entry.id, here, directory_urls)
    label = f"Graph of this entry and its {len(graph.nodes) - 1} neighbours; the list beside it gives the same relations."
    figure = graph_figure(graph, drawing, label, "atlas-graph--ego")
    listed = relation_list(graph, entry.id, here, directory_urls, LISTED, "relations--list")
    body = f'<div class="atlas-relations atlas-relations--ego">{figure}<div class="atlas-relations__list">{listed}{place_in_atlas}</div></div>'
    return f"## Relations\n\n{body}\n\n"


# --- paper ------------------------------------------------------------------------------

_EGO_SECTION = re.compile(r"^## Relations\n\n(?:[^\n]+\n)+\n", re.MULTILINE)  # see ego_section: its lines, then a blank one
_ATLAS_SVG = re.compile(r'(<svg xmlns="http://www.w3.org/2000/svg" class="atlas-graph__svg") width="(\d+)" height="(\d+)"')


_GROUPS = re.compile(r'<dl class="atlas-relations__groups"((?: id="[^"]*")?)>(.*?)</dl>')
_GROUP = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>")


def _paragraphs(markdown: str) -> str:
    """Relation lists as paragraphs, "Group: links · Group: links": on paper, fewer boxes and lines."""
    def paragraph(match: re.Match[str]) -> str:
        groups = " · ".join(f"<strong>{name}:</strong> {links}" for name, links in _GROUP.findall(match.group(2)))
        return f'<p class="atlas-relations__groups"{match.group(1)}>{groups}</p>'

    return _GROUPS.sub(paragraph, markdown)


def without_ego_graph(markdown: str) -> str:
    """An entry page's Markdown for paper: without its "Relations" section. Its relations are the entry's
    other sections in other words, and the relations chapter lists them all; on 1,000 entries the
    section would add a seventh to the PDF's pages and its time."""
    return _EGO_SECTION.sub("", markdown, count=1)


_LEGEND = re.compile(r'<ul class="atlas-graph__legend" aria-label="Key to the graph">(.*?)</ul>')


def graph_for_print(markdown: str) -> str:
    """The relations page for paper: its drawing as wide as the page (its viewBox keeps the proportions), its key in one paragraph."""
    def key(match: re.Match[str]) -> str:
        items = match.group(1).removeprefix("<li>").removesuffix("</li>").split("</li><li>")
        return '<p class="atlas-graph__legend">' + " · ".join(items) + "</p>"

    return _paragraphs(_LEGEND.sub(key, _ATLAS_SVG.sub(r'\1 width="100%"', markdown, count=1), count=1))
