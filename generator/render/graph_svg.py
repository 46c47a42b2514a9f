"""Graphs drawn as static SVG: nodes by kind (shape and colour), edges by relation, and a legend.

A drawing is made of laid-out nodes and edges (:mod:`generator.render.graph_layout` places
them) and is one line of markup: no line break, so a page holds it as one raw HTML block.
Every text that comes from an entry is escaped; coordinates are whole numbers. Each node is
a link (``<a href>``, relative like every link of the site) with an accessible name and a
``<title>`` (its accessible name, and its tooltip); the ``<svg>`` is a labelled group of those links, and the edges, which the
text list beside each graph states in words, are hidden from screen readers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.render.graph_layout import Box
from generator.render.html_pieces import printed

FONT_SIZE = 12
MARKER = 7  # a node's marker: its half width
CLUSTER_MARKER = 13
LABEL_GAP = 4
MAX_LABEL = 28  # characters of a label before it is cut with "…" (the title has it whole)
FONT = "Atlas Sans, sans-serif"  # the PDF's font; on the site, atlas-graph.css lets the page's font through

# Shape, colour and legend text of each kind of node (``cluster``: a pathway standing for its members).
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "forum": ("circle", "#3949ab", "Forum"),
    "initiative": ("square", "#2e7d32", "Initiative"),
    "pathway": ("hexagon", "#7b1fa2", "Pathway"),
    "gap": ("triangle", "#c62828", "Gap"),
    "topic": ("diamond", "#00838f", "Topic"),
    "cluster": ("hexagon", "#7b1fa2", "Pathway, standing for its forums and initiatives"),
}
# Colour, dashes and legend text of each kind of edge: by relation, and for claims by basis.
EDGE_STYLES: dict[str, tuple[str, str, str]] = {
    "pathway": ("#8e8e8e", "", "Member of a pathway"),
    "led_by": ("#37474f", "", "Led by"),
    "named": ("#c62828", "", "Addresses a gap, said of it by name"),
    "category": ("#c62828", "6 4", "Addresses a gap, said of a category it belongs to"),
    "topic": ("#00838f", "2 3", "Deals with a topic"),
    "related": ("#9e9e9e", "8 3 2 3", "Related"),
}
MORE = "more"  # a node that stands for the neighbours a drawing leaves out: words, no marker
DRAWING_ORDER = ("named", "category", "topic", "related", "pathway", "led_by")  # the claims, most numerous, beneath the rest
LEVEL_WIDTHS = {"strong": 3.5, "partial": 2.0, "emerging": 1.0}
DEFAULT_WIDTH = 1.2


@dataclass(frozen=True)
class GraphNode:
    """A node: ``kind`` names its style; ``label`` is drawn, ``title`` is its accessible name and tooltip."""

    kind: str
    label: str
    title: str
    href: str
    anchor: str = "below"  # where its label goes: below, above, left or right of its marker
    strong: bool = False  # the centre of an ego graph: its label in bold

    @property
    def marker(self) -> int:
        return CLUSTER_MARKER if self.kind == "cluster" else MARKER

    @property
    def box(self) -> Box:
        """What the node covers: its marker and its label, on the label's side."""
        text = text_width(self.label, bold=self.strong)
        r = self.marker
        if self.anchor in ("below", "above"):
            height = 2 * r + LABEL_GAP + FONT_SIZE
            shift = (height / 2 - r) * (1 if self.anchor == "below" else -1)
            return Box(max(2 * r, text), height, 0.0, shift)
        width = 2 * r + LABEL_GAP + text
        return Box(width, 2 * r + 4, (width / 2 - r) * (1 if self.anchor == "right" else -1), 0.0)


@dataclass(frozen=True)
class GraphEdge:
    """An edge between two nodes (by index): ``style`` keys :data:`EDGE_STYLES`; ``width`` in units."""

    source: int
    target: int
    style: str
    width: float = DEFAULT_WIDTH


@dataclass(frozen=True)
class Drawing:
    """Nodes at their centres on a canvas of ``width`` × ``height``, and the edges between them."""

    nodes: Sequence[GraphNode]
    edges: Sequence[GraphEdge]
    centres: Sequence[tuple[int, int]]
    width: int
    height: int
    notes: Sequence[tuple[int, int, str, str]] = ()  # words drawn beside the nodes: x, y, text-anchor, text
    faint: bool = False  # lines half seen: many cross


# Rough advance widths, in ems, of the characters of a sans-serif font: enough to keep labels apart.
_NARROW, _WIDE = set("ijlI.,:;'!|()[]f t"), set("mwMWOQGDHNU@%")


def text_width(text: str, *, bold: bool = False, size: int = FONT_SIZE) -> float:
    """About how wide ``text`` is drawn at ``size``."""
    ems = sum(0.3 if c in _NARROW else 0.85 if c in _WIDE else 0.7 if c.isupper() or c.isdigit() else 0.56 for c in text)
    return ems * size * (1.08 if bold else 1.0)


def short(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` cut to ``limit`` characters, ending with "…" when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate: a whole number, or one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    """The marker of a node of ``shape`` centred at (x, y), ``r`` its half width."""
    paint = f'fill="{colour}"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {paint}/>'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" rx="2" {paint}/>'
    if shape == "hexagon":
        h = r * 0.87
        points = [(x - r, y), (x - r / 2, y - h), (x + r / 2, y - h), (x + r, y), (x + r / 2, y + h), (x - r / 2, y + h)]
    elif shape == "triangle":
        points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    else:  # diamond
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    return f'<polygon points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in points)}" {paint}/>'


def _label(node: GraphNode, x: int, y: int) -> str:
    r = node.marker
    if node.anchor == "below":
        at, anchor = (x, y + r + LABEL_GAP + FONT_SIZE - 2), "middle"
    elif node.anchor == "above":
        at, anchor = (x, y - r - LABEL_GAP - 1), "middle"
    elif node.anchor == "left":
        at, anchor = (x - r - LABEL_GAP, y + 4), "end"
    else:
        at, anchor = (x + r + LABEL_GAP, y + 4), "start"
    weight = ' font-weight="700"' if node.strong else ""
    return f'<text x="{at[0]}" y="{at[1]}" text-anchor="{anchor}"{weight}>{printed(node.label)}</text>'


def _node(node: GraphNode, x: int, y: int) -> str:
    title = printed(node.title)
    if node.kind == MORE:
        drawn = _label(node, x, y).replace("<text ", '<text font-style="italic" ', 1)
    else:
        shape, colour, _ = NODE_STYLES[node.kind]
        drawn = marker(shape, x, y, node.marker, colour) + _label(node, x, y)
    return f'<a href="{printed(node.href)}" class="atlas-graph__node"><title>{title}</title>{drawn}</a>'


def _notes(drawing: Drawing) -> str:
    return "".join(
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="atlas-graph__note" fill="#5f6368" font-size="11">{printed(text)}</text>'
        for x, y, anchor, text in drawing.notes
    )


def _edges(drawing: Drawing) -> str:
    """The edges as lines, a group per style; edges between the same two nodes side by side, a few units apart."""
    pairs: dict[tuple[int, int], list[GraphEdge]] = defaultdict(list)
    for edge in drawing.edges:
        pairs[(min(edge.source, edge.target), max(edge.source, edge.target))].append(edge)
    lines: dict[str, list[str]] = defaultdict(list)
    for (a, b), edges in pairs.items():
        (x1, y1), (x2, y2) = drawing.centres[a], drawing.centres[b]
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length  # the unit normal
        for k, edge in enumerate(edges):
            shift = (k - (len(edges) - 1) / 2) * 4
            width = "" if edge.width == DEFAULT_WIDTH else f' stroke-width="{_n(edge.width)}"'
            lines[edge.style].append(
                f'<line x1="{_n(x1 + nx * shift)}" y1="{_n(y1 + ny * shift)}" x2="{_n(x2 + nx * shift)}" y2="{_n(y2 + ny * shift)}"{width}/>'
            )
    out = []
    for style in DRAWING_ORDER:
        colour, dashes, _ = EDGE_STYLES[style]
        if lines[style]:
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            out.append(f'<g stroke="{colour}"{dash}>{"".join(lines[style])}</g>')
    return "".join(out)


def svg(drawing: Drawing, label: str, css_class: str = "") -> Markup:
    """The drawing as one line of SVG: the edges (hidden from screen readers), then the nodes as links, labelled ``label``."""
    nodes = "".join(_node(node, x, y) for node, (x, y) in zip(drawing.nodes, drawing.centres, strict=True))
    classes = f"atlas-graph__svg {css_class}".strip()
    w, h = drawing.width, drawing.height
    faint = ' stroke-opacity="0.45"' if drawing.faint else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{printed(classes)}" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        f' role="group" aria-label="{printed(label)}" font-family="{FONT}" font-size="{FONT_SIZE}">'
        f'<g class="atlas-graph__edges" aria-hidden="true" stroke-linecap="round" stroke-width="{_n(DEFAULT_WIDTH)}"{faint}>'
        f"{_edges(drawing)}{_notes(drawing)}</g>"
        f'<g class="atlas-graph__nodes">{nodes}</g></svg>'
    )


def _icon(content: str, width: int = 28) -> str:
    return f'<svg width="{width}" height="16" aria-hidden="true">{content}</svg>'  # in HTML, an <svg> is SVG: no xmlns needed


def legend(kinds: Iterable[str], edge_styles: Iterable[str], levels: bool) -> Markup:
    """The key to the shapes of ``kinds``, the lines of ``edge_styles`` and, with ``levels``, the widths of the claims' levels."""
    items = []
    for kind in kinds:
        shape, colour, text = NODE_STYLES[kind]
        items.append(f"<li>{_icon(marker(shape, 14, 8, 6, colour))} {printed(text)}</li>")
    for style in edge_styles:
        colour, dashes, text = EDGE_STYLES[style]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        line = f'<line x1="1" y1="8" x2="27" y2="8" stroke="{colour}" stroke-width="2"{dash}/>'
        items.append(f"<li>{_icon(line)} {printed(text)}</li>")
    if levels:
        for level, width in LEVEL_WIDTHS.items():
            line = f'<line x1="1" y1="8" x2="27" y2="8" stroke="#c62828" stroke-width="{_n(width)}"/>'
            items.append(f"<li>{_icon(line)} a claim of level {level}</li>")
    return Markup(f'<ul class="atlas-graph__legend" aria-label="Key to the graph">{"".join(items)}</ul>')
