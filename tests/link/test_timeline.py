"""The timeline's events: every history event and dated fact, dates as given, their sources, order and facets."""

from __future__ import annotations

import pytest
from conftest import VALID_ATLAS

from generator.link.timeline import Facet, Timeline, make_facet, timeline
from generator.pipeline import build_atlas

# The minimal atlas of conftest, with histories (on a forum, an initiative and a gap) and loose dates.
HISTORIES = {
    "forums/alpha-forum.yaml": """\
        id: alpha-forum
        kind: forum
        name: Alpha Forum
        acronym: ALF
        summary: A universal forum.
        pathway: universal
        established: 1959
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
          - title: Alpha history
            url: https://alpha.example.org/history
            supports: [pathway, established]
          - title: Alpha charter
            url: https://alpha.example.org/charter
            supports: [established]
        history:
          - date: 1961-12-20
            event: "Renamed <b>Alpha</b> & enlarged."
            source: https://alpha.example.org/history
          - date: 1959
            event: Founded by resolution.
            source: https://unlisted.example.org/resolution
          - date: "1959-12"
            event: Held its first session.
        last_reviewed: 2026-01-15
        """,
    "initiatives/gamma-guidelines.yaml": """\
        id: gamma-guidelines
        kind: initiative
        name: Gamma Guidelines
        summary: Voluntary guidelines.
        status: adopted
        started: "2019-06"
        led_by: [alpha-forum]
        pathway: universal
        sources:
          - title: Gamma text
            url: https://alpha.example.org/gamma
            accessed: 2026-01-10
            supports: [status, led_by, pathway]
        history:
          - date: 2019
            event: Drafted.
        last_reviewed: 2026-01-15
        """,
    "gaps/dialogue.yaml": """\
        id: dialogue
        kind: gap
        name: Dialogue gap
        summary: Candid exchanges are hard in formal settings.
        sources:
          - title: The brief
            document: brief
        history:
          - date: 2025-11-28
            event: First named as a gap.
        last_reviewed: 2026-01-15
        """,
}


@pytest.fixture
def line(make_entries) -> Timeline:
    return timeline(build_atlas(make_entries(HISTORIES)))


def rows(events) -> list[tuple[str, str, str, str]]:
    return [(e.date, e.entry.id, e.what, e.label) for e in events]


def test_every_history_event_and_dated_fact_is_an_event_oldest_first(line):
    assert rows(line.events) == [
        ("1959", "alpha-forum", "history", "Founded by resolution."),  # one date and entry: history, established, started
        ("1959", "alpha-forum", "established", "Established"),
        ("1959-12", "alpha-forum", "history", "Held its first session."),
        ("1961-12-20", "alpha-forum", "history", "Renamed <b>Alpha</b> & enlarged."),  # as typed: the page escapes it
        ("2019", "gamma-guidelines", "history", "Drafted."),
        ("2019-06", "gamma-guidelines", "started", "Started"),
        ("2025-11-28", "dialogue", "history", "First named as a gap."),
    ]


def test_dates_stay_as_given_and_group_by_year(line):
    assert [(year, [e.date for e in events]) for year, events in line.years()] == [
        ("1959", ["1959", "1959", "1959-12"]),
        ("1961", ["1961-12-20"]),
        ("2019", ["2019", "2019-06"]),
        ("2025", ["2025-11-28"]),
    ]


def test_a_history_event_has_its_own_source_the_entrys_record_of_it_when_listed(line):
    sources = {e.label: [(s.title, s.url) for s in e.sources] for e in line.events}
    assert sources["Renamed <b>Alpha</b> & enlarged."] == [("Alpha history", "https://alpha.example.org/history")]
    assert sources["Founded by resolution."] == [("https://unlisted.example.org/resolution", "https://unlisted.example.org/resolution")]
    assert sources["Held its first session."] == []  # none given: none invented
    assert sources["First named as a gap."] == []


def test_a_dated_fact_has_the_sources_that_support_it_or_none(line):
    established = next(e for e in line.events if e.what == "established")
    assert [s.title for s in established.sources] == ["Alpha history", "Alpha charter"]
    started = next(e for e in line.events if e.what == "started")
    assert started.sources == ()  # its source supports status, led_by and pathway, not started


def test_latest_events_come_newest_first(line):
    assert rows(line.latest(3)) == [
        ("2025-11-28", "dialogue", "history", "First named as a gap."),
        ("2019-06", "gamma-guidelines", "started", "Started"),
        ("2019", "gamma-guidelines", "history", "Drafted."),
    ]
    assert len(line.latest(100)) == len(line.events)


def test_facets_count_each_value_and_leave_out_values_no_event_has(line):
    counts = {facet.name: [(v.name, v.label, v.count) for v in facet.values] for facet in line.facets}
    assert counts == {
        "kind": [("forum", "Forums", 4), ("gap", "Gaps", 1), ("initiative", "Initiatives", 2)],  # no pathway has an event
        "event": [("history", "History", 5), ("established", "Established", 1), ("started", "Started", 1)],
    }
    kind = line.facets[0]
    assert [kind.of(e) for e in line.events[:1]] == [("forum",)]


def test_a_facet_may_give_an_event_several_values(line):
    """A topic facet, say: an event has the values of its entry."""
    tags = {"alpha-forum": ("a", "b"), "gamma-guidelines": ("b",), "dialogue": ("none",)}
    facet = make_facet("topic", "Topic", [("a", "A"), ("b", "B"), ("c", "C"), ("none", "No topic")], lambda e: tags[e.entry.id], list(line.events))
    assert isinstance(facet, Facet)
    assert [(v.name, v.count) for v in facet.values] == [("a", 4), ("b", 6), ("none", 1)]


def test_facet_values_must_be_slugs_and_listed(line):
    with pytest.raises(ValueError, match="not a lowercase slug"):
        make_facet("kind", "Kind", [("Forum X", "x")], lambda e: ("Forum X",), list(line.events))
    with pytest.raises(ValueError, match="does not list"):
        make_facet("kind", "Kind", [("forum", "Forums")], lambda e: (e.entry.kind,), list(line.events))


def test_an_atlas_without_dates_has_an_empty_timeline(make_entries):
    forum = VALID_ATLAS["forums/alpha-forum.yaml"].replace("        established: 1959\n", "").replace("[pathway, established]", "[pathway]")
    empty = timeline(build_atlas(make_entries({"forums/alpha-forum.yaml": forum})))
    assert empty.events == () and empty.years() == [] and all(f.values == () for f in empty.facets)


def test_the_small_fixture_timeline(small_fixture):
    line = timeline(build_atlas(small_fixture))
    assert rows(line.events) == [
        ("1959", "alpha-forum", "established", "Established"),
        ("1959-12-12", "alpha-forum", "history", "Established as a permanent body."),
        ("2019", "gamma-guidelines", "started", "Started"),
    ]
