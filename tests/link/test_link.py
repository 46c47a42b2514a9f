"""Linking the small fixture atlas: index, backlinks, coverage, members, citations, pathway levels."""

from __future__ import annotations

import pytest

from generator.link.atlas import Atlas, link_atlas
from generator.pipeline import build_atlas, check_entries
from generator.render.html_pieces import basis_counts


@pytest.fixture(scope="module")
def atlas(small_fixture) -> Atlas:
    return build_atlas(small_fixture)


def ids(entries) -> list[str]:
    return [e.id for e in entries]


def test_every_entry_is_indexed_by_id_and_kind_sorted_by_name(atlas):
    assert sorted(atlas.entries) == [
        "alpha-forum", "beta-coalition", "coalitions", "delta-programme",
        "dialogue", "gamma-guidelines", "orphan", "universal",
    ]
    assert {kind: ids(entries) for kind, entries in atlas.by_kind.items()} == {
        "forum": ["alpha-forum", "beta-coalition"],
        "gap": ["dialogue", "orphan"],
        "initiative": ["delta-programme", "gamma-guidelines"],
        "pathway": ["coalitions", "universal"],
        "topic": [],
    }
    assert ids(atlas.actors) == ["alpha-forum", "beta-coalition", "delta-programme", "gamma-guidelines"]


def test_entries_keep_their_file_path(atlas, small_fixture):
    import os

    assert atlas.entries["alpha-forum"].path == os.path.relpath(small_fixture / "forums" / "alpha-forum.yaml")


def test_backlinks_merge_every_relation_of_one_referrer(atlas):
    assert [(b.entry.id, b.relation) for b in atlas.backlinks["alpha-forum"]] == [
        ("gamma-guidelines", "related, led_by"),
    ]


def test_backlinks_from_related(atlas):
    assert [(b.entry.id, b.relation) for b in atlas.backlinks["beta-coalition"]] == [("alpha-forum", "related")]


def test_entries_nobody_names_have_no_backlinks(atlas):
    # Only related and led_by make backlinks; pathway and addresses are shown as members and coverage.
    assert sorted(atlas.backlinks) == ["alpha-forum", "beta-coalition"]


def test_coverage_of_a_gap_is_ordered_strong_partial_emerging(atlas):
    assert [(c.entry.id, c.claim.level) for c in atlas.coverage["dialogue"]] == [
        ("gamma-guidelines", "strong"),
        ("alpha-forum", "partial"),
        ("beta-coalition", "emerging"),
    ]
    claim = atlas.coverage["dialogue"][1].claim
    assert (claim.note, claim.evidence, claim.source) == (
        "It meets in closed session only sometimes.",
        "Universal fora are indispensable for legitimacy.",
        "https://example.org/brief",
    )


def test_coverage_by_level(atlas):
    grouped = atlas.coverage_by_level("dialogue")
    assert list(grouped) == ["strong", "partial", "emerging"]
    assert {level: ids(c.entry for c in items) for level, items in grouped.items()} == {
        "strong": ["gamma-guidelines"],
        "partial": ["alpha-forum"],
        "emerging": ["beta-coalition"],
    }
    assert atlas.coverage_by_level("orphan") == {"strong": [], "partial": [], "emerging": []}


def test_uncovered_gaps(atlas):
    assert ids(atlas.uncovered_gaps) == ["orphan"]
    assert "orphan" not in atlas.coverage


def claim_of(atlas: Atlas, entry_id: str, gap_id: str):
    """The claim an entry makes on a gap, if any (Atlas.claim was removed as unused)."""
    return next((c for c in atlas.entries[entry_id].addresses if c.gap == gap_id), None)


def test_claim_lookup_and_count(atlas):
    assert claim_of(atlas, "alpha-forum", "dialogue").level == "partial"
    assert claim_of(atlas, "delta-programme", "dialogue") is None  # a case of the gap, not a claim
    assert claim_of(atlas, "alpha-forum", "orphan") is None
    assert atlas.claim_count == 3


def test_claims_are_named_or_by_category(atlas):
    assert [(c.entry.id, c.claim.basis) for c in atlas.coverage["dialogue"]] == [
        ("gamma-guidelines", "named"),
        ("alpha-forum", "named"),
        ("beta-coalition", "category"),
    ]
    assert str(basis_counts(atlas.coverage["dialogue"])).startswith('<span class="atlas-when-all">2 named · 1 by category</span>')
    beta = atlas.coverage["dialogue"][2].claim
    assert (beta.category, beta.category_source) == ("Small groups", "https://beta.example.org/")


def test_cases_of_a_gap_are_kept_apart_from_its_coverage(atlas):
    assert {gap: ids(c.entry for c in items) for gap, items in atlas.cases.items()} == {"dialogue": ["delta-programme"]}
    assert "delta-programme" not in ids(c.entry for c in atlas.coverage["dialogue"])
    case = atlas.cases["dialogue"][0].case
    assert (case.note, case.evidence, case.source) == ("It runs in public only.", "Delta meets in public.", "https://delta.example.org/")


def test_pathway_members(atlas):
    assert {pathway: ids(members) for pathway, members in atlas.members.items()} == {
        "coalitions": ["beta-coalition"],
        "universal": ["alpha-forum", "gamma-guidelines"],
    }
    # delta-programme belongs to no pathway.
    assert all("delta-programme" not in ids(m) for m in atlas.members.values())


def test_citations_are_grouped_by_url_with_the_entries_citing_them(atlas):
    assert [(c.source.key, ids(c.entries)) for c in atlas.citations] == [
        ("https://alpha.example.org/about", ["alpha-forum"]),
        ("https://beta.example.org/", ["beta-coalition"]),
        ("https://delta.example.org/", ["delta-programme"]),
        (
            "https://example.org/brief",
            ["alpha-forum", "beta-coalition", "coalitions", "dialogue", "orphan", "universal"],
        ),
        ("https://alpha.example.org/gamma", ["gamma-guidelines"]),
    ]
    # Sorted by title; the first citing entry's details are kept.
    assert [c.source.title for c in atlas.citations] == [
        "Alpha Forum overview", "Beta Coalition home page", "Delta page", "Example brief", "Gamma Guidelines text",
    ]
    assert atlas.citations[3].source.publisher == "Example Institute"


def test_pathway_level_is_the_strongest_claim_of_its_members(atlas):
    level, claims = atlas.pathway_level("universal", "dialogue")
    assert (level, [(c.entry.id, c.claim.level) for c in claims]) == (
        "strong", [("gamma-guidelines", "strong"), ("alpha-forum", "partial")],
    )
    level, claims = atlas.pathway_level("coalitions", "dialogue")
    assert (level, ids(c.entry for c in claims)) == ("emerging", ["beta-coalition"])
    assert atlas.pathway_level("universal", "orphan") == (None, [])
    assert atlas.pathway_level("coalitions", "orphan") == (None, [])


def test_linking_is_deterministic_whatever_the_input_order(small_fixture):
    entries = check_entries(small_fixture).entries
    one, two = link_atlas(entries), link_atlas(list(reversed(entries)))
    assert list(one.entries) == list(two.entries)
    assert [(c.source.key, ids(c.entries)) for c in one.citations] == [(c.source.key, ids(c.entries)) for c in two.citations]
    assert {k: [(b.entry.id, b.relation) for b in v] for k, v in one.backlinks.items()} == {
        k: [(b.entry.id, b.relation) for b in v] for k, v in two.backlinks.items()
    }
