"""The timeline by topic, and split into pages of whole years when it grows long."""

from __future__ import annotations

import re

from conftest import X, forum_x
from html_helpers import parse

from generator.link.timeline import NO_TOPIC, timeline
from generator.pipeline import build_atlas
from generator.render.page import Limits
from generator.render.pages import render_pages

TOPIC = """\
id: debris
kind: topic
name: Space debris
summary: Objects in orbit that no longer serve a purpose.
sources:
  - title: Example brief
    url: https://example.org/brief
    accessed: 2026-01-10
last_reviewed: 2026-01-15
"""
TAGGED = forum_x(
    "topics:\n  - topic: debris\n    evidence: It tracks debris.\n    source: https://example.org/brief\n"
    "history:\n" + "".join(f"  - date: {year}\n    event: Meets in {year}.\n" for year in (1990, 1991, 1991, 1992))
)


def _atlas(make_entries, files=None):
    return build_atlas(make_entries({"topics/debris.yaml": TOPIC, X: TAGGED, **(files or {})}))


def test_each_event_has_the_topics_of_its_entry(make_entries):
    line = timeline(_atlas(make_entries))
    topic = next(f for f in line.facets if f.name == "topic")
    assert [(v.name, v.label, v.count) for v in topic.values] == [("debris", "Space debris", 4), (NO_TOPIC, "No topic", 1)]
    assert {topic.of(e) for e in line.events if e.entry.id == "x"} == {("debris",)}


def test_no_topic_facet_without_topics(make_entries):
    atlas = build_atlas(make_entries({X: TAGGED.split("topics:")[0] + "history:" + TAGGED.split("history:")[1]}))
    assert [f.name for f in timeline(atlas).facets] == ["kind", "event"]


def test_no_entry_may_take_the_id_of_the_no_topic_filter(errors):
    lines = errors({"forums/no-topic.yaml": forum_x(replace={"id: x\n": "id: no-topic\n"})})
    assert any(
        "'id' may not be 'no-topic': that name is kept for the timeline's filter of the events of entries with no topic; choose another id" in line
        for line in lines
    ), lines


def test_the_topic_filter_has_a_checkbox_per_topic_that_the_address_can_name(make_entries):
    page = render_pages(_atlas(make_entries))["timeline.md"].markdown
    assert re.findall(r'<fieldset class="atlas-tl-facet" data-facet="([a-z]+)">', page) == ["kind", "event", "topic"]
    assert '<input type="checkbox" id="tl-topic-debris" value="debris" checked> Space debris <span class="atlas-count">(4)</span>' in page
    assert '.atlas-tl-event[data-topic="debris"]{display:none}' in page


def test_a_long_timeline_is_split_into_pages_of_whole_years(make_entries):
    atlas = _atlas(make_entries)  # events: 1959 (the universal pathway's forum), 1990, 1991 ×2, 1992
    pages = render_pages(atlas, limits=Limits(timeline_events=2))
    paths = [p for p in pages if p == "timeline.md" or p.startswith("timeline/")]
    assert paths == ["timeline.md", "timeline/2.md", "timeline/3.md"]
    years = {p: re.findall(r'<h2 id="year-(\d+)">', pages[p].markdown) for p in paths}
    assert years == {"timeline.md": ["1959", "1990"], "timeline/2.md": ["1991"], "timeline/3.md": ["1992"]}  # 1991 stays whole
    second = pages["timeline/2.md"]
    assert second.title == "Timeline (page 2 of 3)"
    assert second.markdown.startswith("# Timeline (1991–1991)\n")
    # every year is listed on every page, linked on the page that holds it
    links = [t.attrs["href"] for t in parse(second.markdown).tags if t.name == "a" and t.attrs.get("href", "").endswith(("#year-1959", "#year-1991"))]
    assert links == ["../../timeline/#year-1959", "#year-1991"]
    # each page's filters count its own events
    assert '<input type="checkbox" id="tl-topic-debris" value="debris" checked> Space debris <span class="atlas-count">(2)</span>' in second.markdown
    assert 'aria-label="Pages">Page 2 of 3' in second.markdown


def test_an_unsplit_timeline_has_one_page_and_no_pager(make_entries):
    pages = render_pages(_atlas(make_entries))
    assert not [p for p in pages if p.startswith("timeline/")]
    assert "atlas-pager" not in pages["timeline.md"].markdown
