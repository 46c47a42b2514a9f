"""The relations graph's edges: what each kind of reference makes, sorted and without repeats, and each entry's neighbours."""

from __future__ import annotations

import pytest
from conftest import VALID_ATLAS

from generator.link.relations import RELATION_TYPES, Relation, relation_edges, relations_of
from generator.pipeline import build_atlas

TOPIC = """\
    id: space-debris
    kind: topic
    name: Space debris
    summary: Dead objects in orbit.
    synonyms: [space junk]
    sources:
      - title: Example brief
        url: https://example.org/brief
        accessed: 2026-01-10
    last_reviewed: 2026-01-15
    """


@pytest.fixture(scope="module")
def small_atlas(small_fixture):
    return build_atlas(small_fixture)


def test_the_small_atlas_has_one_edge_per_reference_sorted_by_type_source_and_target(small_atlas):
    assert relation_edges(small_atlas) == [
        Relation("pathway", "alpha-forum", "universal"),
        Relation("pathway", "beta-coalition", "coalitions"),
        Relation("pathway", "gamma-guidelines", "universal"),
        Relation("led_by", "gamma-guidelines", "alpha-forum"),
        Relation("addresses", "alpha-forum", "dialogue", "partial", "named"),
        Relation("addresses", "beta-coalition", "dialogue", "emerging", "category"),
        Relation("addresses", "gamma-guidelines", "dialogue", "strong", "named"),
        # related has no direction: gamma lists alpha, and the edge starts at the id that sorts first
        Relation("related", "alpha-forum", "beta-coalition"),
        Relation("related", "alpha-forum", "gamma-guidelines"),
    ]


def test_a_case_is_no_edge_and_an_entry_without_references_has_no_neighbour(small_atlas):
    relations = relations_of(small_atlas)
    assert small_atlas.entries["delta-programme"].illustrates  # a case of the dialogue gap
    assert relations.neighbours("delta-programme") == []
    assert relations.neighbours("orphan") == []


def test_neighbours_are_listed_by_type_outgoing_first_then_by_name(small_atlas):
    relations = relations_of(small_atlas)
    alpha = [(n.relation.type, n.outgoing, n.entry.id) for n in relations.neighbours("alpha-forum")]
    assert alpha == [
        ("pathway", True, "universal"),
        ("led_by", False, "gamma-guidelines"),
        ("addresses", True, "dialogue"),
        ("related", True, "beta-coalition"),
        ("related", True, "gamma-guidelines"),  # one edge from the id that sorts first: no direction
    ]
    dialogue = [(n.entry.id, n.relation.level, n.relation.basis) for n in relations.neighbours("dialogue")]
    assert dialogue == [("alpha-forum", "partial", "named"), ("beta-coalition", "emerging", "category"), ("gamma-guidelines", "strong", "named")]
    assert [n.group for n in relations.neighbours("universal")] == [("pathway", False), ("pathway", False)]


def test_every_edge_joins_two_entries_of_the_atlas_and_nodes_cover_every_kind(small_atlas):
    relations = relations_of(small_atlas)
    assert {e.id for e in relations.nodes} == set(small_atlas.entries)
    for edge in relations.edges:
        assert edge.type in RELATION_TYPES
        assert edge.source in small_atlas.entries and edge.target in small_atlas.entries
    assert list(relations.edges) == sorted(relations.edges, key=lambda r: r.key)


def test_topic_tags_are_edges_and_two_entries_that_list_each_other_make_one_related_edge(make_entries):
    forum = VALID_ATLAS["forums/alpha-forum.yaml"].replace(
        "        sources:\n",
        "        related: [gamma-guidelines]\n"
        "        topics:\n"
        "          - topic: space-debris\n"
        '            evidence: "Universal fora are indispensable."\n'
        "            source: https://example.org/brief\n"
        "        sources:\n",
        1,
    )
    atlas = build_atlas(make_entries({"forums/alpha-forum.yaml": forum, "topics/space-debris.yaml": TOPIC}))
    edges = relation_edges(atlas)
    assert Relation("topic", "alpha-forum", "space-debris") in edges
    assert [e for e in edges if e.type == "related"] == [Relation("related", "alpha-forum", "gamma-guidelines")]
    topic = relations_of(atlas).neighbours("space-debris")
    assert [(n.entry.id, n.outgoing) for n in topic] == [("alpha-forum", False)]
