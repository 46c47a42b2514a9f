"""Where each node of a graph goes: igraph's Kamada–Kawai layout, then label boxes pushed apart.

igraph's Kamada–Kawai starts from a circle and draws no random number (unlike its
Fruchterman–Reingold, which reads igraph's process-wide generator even when given a
start), so the same nodes and edges, in the same order, give the same layout in any
process. Its coordinates are scaled to the canvas, then each node's box (its marker and
label) is pushed off any box it overlaps, in a fixed order, and the result is rounded to
whole units: the bytes of a drawing do not depend on the last bits of a float. This is
the one module that imports the layout library.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import igraph  # type: ignore[import-untyped]

GAP = 6.0  # the least room between two boxes
PUSH_ROUNDS = 200


@dataclass(frozen=True)
class Box:
    """What a node covers: ``width`` by ``height``, centred ``dx``, ``dy`` from the node (a label beside or above it moves the box)."""

    width: float
    height: float
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class Component:
    """A connected part of a graph: its nodes (indexes) and their layout, in canvas units around (0, 0)."""

    nodes: list[int]
    points: list[tuple[float, float]]

    def side(self, node: int) -> str:
        """Where a node's label had best go, away from the middle of its part, where its edges come from."""
        if len(self.nodes) < 3:
            return "below"
        cx = sum(x for x, _ in self.points) / len(self.points)
        cy = sum(y for _, y in self.points) / len(self.points)
        x, y = self.points[self.nodes.index(node)]
        dx, dy = x - cx, y - cy
        if abs(dx) > 1.5 * abs(dy):
            return "right" if dx > 0 else "left"
        return "below" if dy >= 0 else "above"


def kamada_kawai(count: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[float, float]]:
    """Kamada–Kawai coordinates of ``count`` nodes joined by ``edges`` (``a``, ``b``, length), in layout units."""
    if count == 0:
        return []
    if count == 1:
        return [(0.0, 0.0)]
    graph = igraph.Graph(n=count, edges=[(a, b) for a, b, _ in edges])
    graph.es["length"] = [length for _, _, length in edges]
    graph.simplify(combine_edges={"length": "min"})
    layout = graph.layout_kamada_kawai(seed=None, weights="length" if graph.ecount() else None)
    return [(float(x), float(y)) for x, y in layout.coords]


def components(count: int, edges: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """The connected components, each a sorted list of nodes: the largest first, ties by their first node."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda nodes: (-len(nodes), nodes[0]))


def spread(count: int, edges: Sequence[tuple[int, int, float]], *, unit: float) -> list[Component]:
    """Each connected component laid out on its own by Kamada–Kawai, ``unit`` canvas units to a unit of length."""
    parts = []
    for nodes in components(count, edges):
        local = {node: i for i, node in enumerate(nodes)}
        inner = [(local[a], local[b], length) for a, b, length in edges if a in local]
        parts.append(Component(nodes, [(x * unit, y * unit) for x, y in kamada_kawai(len(nodes), inner)]))
    return parts


def arrange(parts: Sequence[Component], boxes: Sequence[Box], *, width: float) -> list[tuple[int, int]]:
    """Node centres on a canvas whose top-left corner is (0, 0), no two boxes overlapping.

    Each part's boxes are pushed apart; then the parts are set in rows about ``width`` wide
    (wider if one part is), in order, the lone nodes on rows of their own after the rest.
    :func:`extent` gives the canvas's size.
    """
    xs, ys = [0.0] * len(boxes), [0.0] * len(boxes)
    shelf_x = shelf_y = shelf_height = 0.0
    lone = False  # whether the lone nodes have begun
    for part in parts:
        own = [boxes[node] for node in part.nodes]
        px = [x + b.dx for (x, _), b in zip(part.points, own, strict=True)]  # the boxes' centres
        py = [y + b.dy for (_, y), b in zip(part.points, own, strict=True)]
        push_apart(px, py, own)
        left = min(x - b.width / 2 for x, b in zip(px, own, strict=True))
        top = min(y - b.height / 2 for y, b in zip(py, own, strict=True))
        w = max(x + b.width / 2 for x, b in zip(px, own, strict=True)) - left
        h = max(y + b.height / 2 for y, b in zip(py, own, strict=True)) - top
        if shelf_x > 0 and (shelf_x + w > width or (len(part.nodes) == 1 and not lone)):
            shelf_x, shelf_y, shelf_height = 0.0, shelf_y + shelf_height + 4 * GAP, 0.0
        lone = lone or len(part.nodes) == 1
        for node, x, y, b in zip(part.nodes, px, py, own, strict=True):
            xs[node], ys[node] = x - b.dx - left + shelf_x, y - b.dy - top + shelf_y
        shelf_x += w + 4 * GAP
        shelf_height = max(shelf_height, h)
    return [(round(x), round(y)) for x, y in zip(xs, ys, strict=True)]


def extent(centres: Sequence[tuple[int, int]], boxes: Sequence[Box]) -> tuple[int, int]:
    """The width and height that hold every box at its node's centre."""
    width = max((x + b.dx + b.width / 2 for (x, _), b in zip(centres, boxes, strict=True)), default=0.0)
    height = max((y + b.dy + b.height / 2 for (_, y), b in zip(centres, boxes, strict=True)), default=0.0)
    return math.ceil(width), math.ceil(height)


def push_apart(xs: list[float], ys: list[float], boxes: Sequence[Box], rounds: int = PUSH_ROUNDS) -> None:
    """Move overlapping boxes apart, in place: each pair along the axis where they overlap less, half each.

    A sweep along x finds the pairs; nodes are taken in a fixed order (by x, then index),
    so the result depends only on the input. Stops when no box overlaps another, or after ``rounds``.
    """
    count = len(xs)
    widest = max((b.width for b in boxes), default=0.0)
    for _ in range(rounds):
        moved = False
        order = sorted(range(count), key=lambda i: (xs[i], i))
        for at, i in enumerate(order):
            reach = (boxes[i].width + widest) / 2 + GAP
            for j in order[at + 1:]:
                dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                if dx >= reach:
                    break
                over_x = (boxes[i].width + boxes[j].width) / 2 + GAP - abs(dx)
                over_y = (boxes[i].height + boxes[j].height) / 2 + GAP - abs(dy)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_x < over_y:
                    step = over_x / 2 * (1 if dx >= 0 else -1)
                    xs[i] -= step
                    xs[j] += step
                else:
                    step = over_y / 2 * (1 if dy > 0 or (dy == 0 and i < j) else -1)
                    ys[i] -= step
                    ys[j] += step
        if not moved:
            return
