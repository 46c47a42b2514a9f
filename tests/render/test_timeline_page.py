"""The timeline page's markup: its filters and their CSS, entry text escaped, the same bytes twice, the
latest events for the home page, and the page without its filters for paper."""

from __future__ import annotations

import re

import markdown
import pytest
from conftest import HOSTILE, REPO_ROOT
from html_helpers import dangerous_markup, parse

from generator.link.timeline import Timeline, make_facet, timeline
from generator.pdf.markdown_config import site_markdown
from generator.pipeline import build_atlas
from generator.render.pages import render_pages
from generator.render.timeline_page import controls, filter_css, latest_events, without_filters

_NAMES, _OPTIONS = site_markdown(REPO_ROOT / "mkdocs.yml")
SITE_EXTENSIONS = [markdown.Markdown().build_extension(name, _OPTIONS.get(name, {})) for name in _NAMES]  # as MkDocs converts


@pytest.fixture(scope="module")
def small_atlas(small_fixture):
    return build_atlas(small_fixture)


def test_each_value_has_a_labelled_checkbox_with_its_count_and_a_rule(small_atlas):
    line = timeline(small_atlas)
    filters = controls(line)
    assert "\n" not in filters
    boxes = re.findall(r'<label><input type="checkbox" id="([^"]+)" value="[^"]+" checked> ([^<]+) <span class="atlas-count">\((\d+)\)</span></label>', filters)
    assert boxes == [
        ("tl-kind-forum", "Forums", "2"), ("tl-kind-initiative", "Initiatives", "1"),
        ("tl-event-history", "History", "1"), ("tl-event-established", "Established", "1"), ("tl-event-started", "Started", "1"),
    ]
    assert re.findall(r"<legend>([^<]+)</legend>", filters) == ["Kind of entry", "Kind of event"]
    css = filter_css(line)
    for box, _, _ in boxes:
        facet, value = box.split("-")[1:]
        assert f'body:has(#{box}:not(:checked)) .atlas-tl-event[data-{facet}="{value}"]{{display:none}}' in css
    # 1959 holds a forum's history event and its establishment: it goes when both are hidden.
    assert ('body:has(#tl-event-established:not(:checked), #tl-kind-forum:not(:checked))'
            ':has(#tl-event-history:not(:checked), #tl-kind-forum:not(:checked)) [data-year="1959"]{display:none}') in css


def test_a_facet_of_several_values_per_event_hides_an_event_when_none_of_them_is_checked(small_atlas):
    base = timeline(small_atlas)
    tags = {"alpha-forum": ("a", "b"), "gamma-guidelines": ("b",)}
    topic = make_facet("topic", "Topic", [("a", "A"), ("b", "B")], lambda e: tags[e.entry.id], list(base.events))
    css = filter_css(Timeline(base.events, (topic,)))
    assert 'body:has(#tl-topic-a:not(:checked)):has(#tl-topic-b:not(:checked)) .atlas-tl-event[data-topic="a b"]{display:none}' in css
    assert 'body:has(#tl-topic-b:not(:checked)) .atlas-tl-event[data-topic="b"]{display:none}' in css
    assert 'body:has(#tl-topic-a:not(:checked)):has(#tl-topic-b:not(:checked)) [data-year="1959"]{display:none}' in css


def test_entry_text_on_the_timeline_is_escaped(make_entries):
    pages = render_pages(build_atlas(make_entries(HOSTILE)))
    page = pages["timeline.md"].markdown
    html = markdown.markdown(without_filters(page), extensions=SITE_EXTENSIONS)
    assert dangerous_markup(html) == []
    assert "Founded | <script>alert('history')</script>" in parse(html).text
    assert "<script>" not in page


def test_the_same_atlas_gives_the_same_timeline_bytes(small_fixture):
    first, second = (render_pages(build_atlas(small_fixture))["timeline.md"].markdown for _ in range(2))
    assert first == second


def test_paper_gets_the_timeline_without_its_filters(small_atlas):
    page = render_pages(small_atlas)["timeline.md"].markdown
    printed = without_filters(page)
    assert "<input" in page and "<input" not in printed and "<style>" not in printed
    assert page.replace(str(controls(timeline(small_atlas))) + "\n", "") == printed


def test_latest_events_newest_first_with_a_link_to_the_timeline(small_atlas):
    html = latest_events(small_atlas, "index.md")
    assert "\n" not in html
    items = re.findall(r"<li><time datetime=\"([^\"]+)\">", html)
    assert items == ["2019", "1959-12-12", "1959"]
    assert '<a href="forums/alpha-forum/">Alpha Forum (ALF)</a>' in html
    assert html.endswith('<p><a href="timeline/">Every dated event, by year: the timeline</a></p>')
    assert len(re.findall("<li>", latest_events(small_atlas, "index.md", count=2))) == 2
    assert 'href="../forums/alpha-forum/"' in latest_events(small_atlas, "about.md")
    assert 'href="timeline.html"' in latest_events(small_atlas, "index.md", directory_urls=False)
