"""The relations graphs as rendered: hostile names stay text, the same entries give the same bytes in two
processes with different hash seeds, large atlases are clustered by pathway, labels do not overlap, and
each entry page has its ego graph and its list."""

from __future__ import annotations

import html
import os
import re
import runpy
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import HOSTILE, REPO_ROOT

from generator.link.relations import relations_of
from generator.pipeline import build_atlas
from generator.render.context import RenderContext
from generator.render.graph_layout import GAP
from generator.render.graph_model import NO_PATHWAY, atlas_graph
from generator.render.graph_page import EGO_SHOWN, RELATIONS, atlas_drawing, ego_section, graph_for_print, relations_page, without_ego_graph
from generator.render.pages import render_pages

HOSTILE_VALID = REPO_ROOT / "tests" / "fixtures" / "hostile" / "valid"
write_atlas = runpy.run_path(str(REPO_ROOT / "benchmarks" / "make_atlas.py"))["write_atlas"]

SVG_TAGS = {"svg", "g", "line", "circle", "rect", "polygon", "a", "title", "text"}
SVG_ATTRIBUTES = {
    "xmlns", "class", "width", "height", "viewbox", "role", "aria-label", "aria-hidden", "font-family", "font-size", "font-weight",
    "font-style", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-opacity", "fill", "href", "x", "y", "x1",
    "y1", "x2", "y2", "cx", "cy", "r", "rx", "points", "text-anchor",
}


class SvgReader(HTMLParser):
    """Every element of the SVG drawings in a page, and the text of their <text> and <title> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.titles: list[str] = []  # the nodes' accessible names, in drawing order
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg" or self.depth:
            self.depth += 1
            self.tags.append((tag, {k: v or "" for k, v in attrs}))
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self._in.pop()

    def handle_data(self, data):
        if self.depth:
            assert self._in[-1] in ("text", "title"), (self._in, data)
            self.texts.append(data)
            if self._in[-1] == "title":
                self.titles.append(data)


def read_svg(markup: str) -> SvgReader:
    reader = SvgReader()
    reader.feed(markup)
    reader.close()
    return reader


def svg_of(markdown: str) -> str:
    return "".join(re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-graph__svg".*?</svg>', markdown))


@pytest.fixture(scope="module")
def hostile_pages():
    return render_pages(build_atlas(HOSTILE_VALID, REPO_ROOT / "content"))


@pytest.fixture(scope="module")
def shipped():
    return build_atlas(REPO_ROOT / "entries", REPO_ROOT / "content")


# --- hostile names ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [RELATIONS, "forums/xss-forum.md", "gaps/xss-gap.md", "pathways/xss-path.md"])
def test_hostile_names_are_text_in_the_drawings(hostile_pages, path):
    markdown = hostile_pages[path].markdown
    drawn = svg_of(markdown)
    assert drawn and "\n" not in drawn
    svg = read_svg(drawn)
    for tag, attrs in svg.tags:
        assert tag in SVG_TAGS, tag
        assert set(attrs) <= SVG_ATTRIBUTES, (tag, attrs)
        assert "XSSMARK" not in "".join(v for k, v in attrs.items() if k != "href"), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("../", "#")) and "XSSMARK" not in attrs["href"], attrs
    texts = " ".join(svg.texts)
    assert "XSSMARK" in texts  # the payloads are there, as text
    assert "<script>alert('XSSMARK')</script>" in html.unescape(texts) or "<script>alert('XSSMARK…" in texts


def test_the_evil_forums_name_is_escaped_in_its_ego_graph_and_list(make_entries):
    pages = render_pages(build_atlas(make_entries(HOSTILE)))
    section = pages["forums/evil.md"].markdown.split("## Relations", 1)[1].split("\n## ", 1)[0]
    assert "<script>" not in section and "</title><script>" not in section
    centre = read_svg(svg_of(section))
    assert centre.titles[0] == "Evil </title><script>alert('name')</script> Forum (<b>EV</b>) (forum)"
    assert "<b>EV</b>" in centre.texts  # its label: the acronym, as typed
    relations = pages[RELATIONS].markdown
    assert "Evil &lt;/title&gt;&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Forum" in relations
    assert "<script>" not in relations


# --- the same bytes -----------------------------------------------------------------------

_RENDER = """
import hashlib, sys
from pathlib import Path
from generator.link.relations import relations_of
from generator.pipeline import build_atlas
from generator.render.context import RenderContext
from generator.render.graph_page import ego_section, relations_page
atlas = build_atlas(Path(sys.argv[1]))
relations = relations_of(atlas)
digest = hashlib.sha256(relations_page(RenderContext(atlas)).markdown.encode())
for entry in atlas.entries.values():
    digest.update(ego_section(relations, entry, f"{entry.kind}s/{entry.id}.md", True).encode())
print(digest.hexdigest())
"""


@pytest.mark.parametrize("which", ["shipped", "synthetic-400"])
def test_two_processes_with_different_hash_seeds_draw_the_same_bytes(which, tmp_path):
    entries = REPO_ROOT / "entries"
    if which != "shipped":
        entries = tmp_path / "entries"
        write_atlas(400, entries, seed=5)
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _RENDER, str(entries)], env=env, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
        assert done.returncode == 0, done.stderr
        runs.append(done.stdout.strip())
    assert runs[0] == runs[1] and len(runs[0]) == 64


def test_the_layout_draws_no_random_number(shipped):
    import random

    import igraph

    drawings = []
    for seed in (1, 2):
        igraph.set_random_number_generator(random.Random(seed))
        drawings.append(atlas_drawing(atlas_graph(relations_of(shipped)), RELATIONS, True))
    igraph.set_random_number_generator(random)
    assert drawings[0] == drawings[1]


# --- legible at 48 entries and at 1,000 -------------------------------------------------------


def overlaps(drawing) -> list[tuple[str, str]]:
    boxes = [(n, x + n.box.dx, y + n.box.dy, n.box) for n, (x, y) in zip(drawing.nodes, drawing.centres, strict=True)]
    found = []
    for i, (a, ax, ay, ab) in enumerate(boxes):
        for b, bx, by, bb in boxes[i + 1:]:
            # rounding to whole units may leave the boxes a unit closer than GAP, never overlapping
            if abs(ax - bx) < (ab.width + bb.width) / 2 + GAP - 2 and abs(ay - by) < (ab.height + bb.height) / 2 + GAP - 2:
                found.append((a.label, b.label))
    return found


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    entries = tmp_path_factory.mktemp("graph") / "entries"
    write_atlas(1000, entries, seed=1)
    return build_atlas(entries)


def test_no_label_overlaps_another_at_48_entries(shipped):
    graph = atlas_graph(relations_of(shipped))
    assert not graph.clustered and len(graph.nodes) == len(shipped.entries) >= 48
    drawing = atlas_drawing(graph, RELATIONS, True)
    assert overlaps(drawing) == []
    assert drawing.width <= 1100  # about the width of the page's column: its labels at their own size


def test_a_thousand_entries_are_clustered_by_pathway_and_stay_legible(thousand):
    graph = atlas_graph(relations_of(thousand))
    assert graph.clustered
    kinds = {node.kind for node in graph.nodes.values()}
    assert kinds <= {"cluster", "gap", "topic"}
    clusters = [n for n in graph.nodes.values() if n.kind == "cluster"]
    assert [n.key for n in clusters] == [p.id for p in thousand.pathways] + ([NO_PATHWAY] if any(not e.pathway for e in thousand.actors) else [])
    assert sum(n.members.total() for n in clusters) == len(thousand.actors)
    assert all(re.fullmatch(r".+ \(\d+\)", n.label) for n in clusters)  # each with its count
    drawing = atlas_drawing(graph, RELATIONS, True)
    assert len(drawing.nodes) < 80 and overlaps(drawing) == []
    # A line stands for all relations of one kind between two nodes: far fewer lines than relations.
    assert sum(k.count for k in graph.links) > 5 * len(graph.links)


def test_the_clustered_page_lists_each_node_and_entries_link_to_their_pathways_item(thousand):
    page = relations_page(RenderContext(thousand)).markdown
    ids = re.findall(r'<li id="(relations-[^"]+)">', page)
    assert ids == [f"relations-{p.id}" for p in thousand.pathways] + [f"relations-{g.id}" for g in thousand.gaps]
    relations = relations_of(thousand)
    forum = thousand.by_kind["forum"][0]
    section = ego_section(relations, forum, f"forums/{forum.id}.md", True)
    assert f'href="../../relations/#relations-{forum.pathway}"' in section
    assert len(section) < 30_000  # the ego graph is bounded, whatever the atlas's size


def test_a_small_atlas_is_clustered_when_told_so(small_fixture):
    atlas = build_atlas(small_fixture)
    page = relations_page(RenderContext(atlas), cluster_from=2).markdown
    assert re.findall(r'<li id="(relations-[^"]+)">', page) == [
        "relations-coalitions", "relations-universal", "relations--none", "relations-dialogue", "relations-orphan",
    ]
    assert "Universal forums</a> <span class=\"atlas-kind-tag\">pathway</span> 2 forums and initiatives (1 forum, 1 initiative)" in page
    assert "(1 claim named, the strongest strong; " not in page  # alpha's partial and gamma's strong: 2 named claims
    assert "(2 claims named, the strongest strong)" in page


# --- an entry's page ----------------------------------------------------------------------


def test_an_entry_page_has_its_ego_graph_and_the_same_relations_in_words(small_fixture):
    pages = render_pages(build_atlas(small_fixture))
    alpha = pages["forums/alpha-forum.md"].markdown
    section = alpha.split("## Relations\n\n", 1)[1].split("\n\n", 1)[0]
    assert "\n" not in section  # one raw HTML block
    titles = read_svg(svg_of(section)).titles
    assert titles == ["Alpha Forum (ALF) (forum)", "Universal forums (pathway)", "Gamma Guidelines (initiative)", "Dialogue gap (gap)",
                      "Beta Coalition (forum)"]  # gamma, led by it and related to it, is drawn once
    listed = re.findall(r"<dt>([^<]+)</dt>", section)
    assert listed == ["Pathway", "Leads", "Addresses", "Related"]
    assert '<a href="../../gaps/dialogue/">Dialogue gap</a> (partial, named)' in section
    assert 'href="../../relations/#relations-alpha-forum"' in section
    orphan = pages["gaps/orphan.md"].markdown
    assert "No relation in the atlas: it refers to no entry, and none refers to it." in orphan


def test_a_long_group_draws_its_first_few_and_lists_the_rest(thousand):
    relations = relations_of(thousand)
    pathway = thousand.pathways[0]
    section = ego_section(relations, pathway, f"pathways/{pathway.id}.md", True)
    members = len(thousand.members[pathway.id])
    assert members > EGO_SHOWN
    svg = read_svg(svg_of(section))
    assert f"and {members - EGO_SHOWN} more" in svg.texts
    assert len([t for t, a in svg.tags if t == "a"]) == 1 + EGO_SHOWN + 1  # the centre, the first few, the rest
    assert re.search(r"<dt>Members</dt><dd>(.*?)</dd>", section).group(1).endswith(f"and {members - 40} more")


# --- paper --------------------------------------------------------------------------------


def test_paper_keeps_the_atlas_graph_and_its_list_but_not_the_entries_relations_sections(small_fixture):
    pages = render_pages(build_atlas(small_fixture))
    page = pages["forums/alpha-forum.md"].markdown
    entry = without_ego_graph(page)
    assert "<svg" not in entry and "## Relations" not in entry and "relations/#relations-alpha-forum" not in entry
    assert entry == page[: page.index("## Relations")] + page[page.index("## History"):]  # the section alone goes
    orphan = without_ego_graph(pages["gaps/orphan.md"].markdown)  # a section of two lines: no graph, a link
    assert "## Relations" not in orphan and "## Sources" in orphan
    printed = graph_for_print(pages[RELATIONS].markdown)
    assert re.search(r'class="atlas-graph__svg" width="100%" viewBox="0 0 \d+ \d+"', printed)
    assert '<p class="atlas-graph__legend">' in printed and "<dl" not in printed
