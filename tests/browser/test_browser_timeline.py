"""The timeline as a reader uses it: filter by kind of entry and of event with the keyboard, the count
of events shown follows, emptied years go, every event's entry link opens the entry page; without
CSS every event is listed; axe-core finds nothing serious."""

from __future__ import annotations

import re
import urllib.parse

import pytest

pytestmark = pytest.mark.browser

PATH = "timeline/"

# Each event as the page shows it now: its entry's kind, kind of event, year, and whether it is laid out.
EVENTS = """() => [...document.querySelectorAll('.md-content .atlas-tl-event')].map(li => ({
    kind: li.dataset.kind, event: li.dataset.event, year: li.closest('section').dataset.year,
    shown: li.getClientRects().length > 0,
}))"""
YEARS = """() => [...document.querySelectorAll('.md-content [data-year]')].map(el => ({
    year: el.dataset.year, tag: el.tagName, shown: el.getClientRects().length > 0,
}))"""


def shown_count(page) -> tuple[int, int]:
    """The "Showing N of M events" line as laid out: its number comes from a CSS counter, which neither the DOM
    nor the accessibility tree holds, so it is read from the layout tree (a DevTools snapshot)."""
    cdp = page.context.new_cdp_session(page)
    try:
        snapshot = cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    finally:
        cdp.detach()
    strings = snapshot["strings"]
    texts = [strings[t] if t >= 0 else "" for doc in snapshot["documents"] for t in doc["layout"]["text"]]
    line = "".join(texts[texts.index("Showing ") : texts.index("Showing ") + 3])
    match = re.fullmatch(r"Showing (\d+) of (\d+) events", line)
    assert match, line
    return int(match.group(1)), int(match.group(2))


def checkbox(page, label: str):
    return page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)} \(\d+\)$"))


def test_unchecking_a_kind_hides_its_events_and_the_count_follows(browse):
    page = browse.visit(PATH)
    events = page.evaluate(EVENTS)
    total = len(events)
    assert total and all(e["shown"] for e in events)
    assert shown_count(page) == (total, total)
    forums = sum(1 for e in events if e["kind"] == "forum")
    assert 0 < forums < total
    box = checkbox(page, "Forums")
    assert box.get_attribute("id") == "tl-kind-forum" and box.is_checked()
    assert page.get_by_role("group", name="Kind of entry").get_by_role("checkbox").count() >= 2
    assert re.search(rf"\({forums}\)$", page.locator('label:has(#tl-kind-forum)').inner_text().strip())  # its count
    box.focus()
    page.keyboard.press("Space")  # the keyboard, as a reader without a mouse
    assert not box.is_checked()
    after = page.evaluate(EVENTS)
    assert [e for e in after if e["kind"] == "forum" and e["shown"]] == []
    assert all(e["shown"] for e in after if e["kind"] != "forum")
    assert shown_count(page) == (total - forums, total)
    # A year whose events are all forums' goes, with its link in the list of years; the others stay.
    only_forums = {e["year"] for e in events} - {e["year"] for e in events if e["kind"] != "forum"}
    years = page.evaluate(YEARS)
    assert only_forums and {y["year"] for y in years if not y["shown"]} == only_forums
    assert {y["tag"] for y in years if not y["shown"]} == {"SECTION", "LI"}
    # Then a kind of event too: only what both filters keep is left.
    checkbox(page, "History").check()  # already checked: nothing changes
    checkbox(page, "History").uncheck()
    kept = [e for e in events if e["kind"] != "forum" and e["event"] != "history"]
    assert sum(e["shown"] for e in page.evaluate(EVENTS)) == len(kept) == shown_count(page)[0]
    box.press("Space")
    checkbox(page, "History").check()
    assert all(e["shown"] for e in page.evaluate(EVENTS)) and shown_count(page) == (total, total)
    browse.assert_clean(PATH)


def test_without_css_every_event_is_listed(browse):
    page = browse.visit(PATH)
    checkbox(page, "Forums").uncheck()
    page.evaluate("() => document.querySelectorAll('link[rel=stylesheet], style').forEach(el => el.remove())")
    events = page.evaluate(EVENTS)
    assert events and all(e["shown"] for e in events)


def test_every_event_links_its_entry_page(browse, crawl, site):
    page = browse.visit(PATH)
    links = page.eval_on_selector_all(
        ".md-content .atlas-tl-event", "items => items.map(li => [li.dataset.kind, li.querySelector('span.atlas-tl-what + a').href])"
    )
    assert links
    for kind, href in links:  # each entry page exists and is its kind's
        assert re.fullmatch(rf"{re.escape(site.origin)}/{kind}s/[a-z0-9-]+/", href), href
        assert crawl.pages[href].status == 200, href
    # Following one opens the entry page, whose title is the link's text.
    first = page.locator(".md-content .atlas-tl-event span.atlas-tl-what + a").first
    name = first.inner_text()
    browse.reset()
    first.click()
    page.wait_for_url(links[0][1])
    browse.settle(site.path_of(links[0][1]))
    heading = page.locator(".md-content h1").first.inner_text()
    assert name.startswith(heading.split(" (")[0]), (name, heading)


def test_the_years_list_leads_to_each_year(browse):
    page = browse.visit(PATH)
    anchors = page.eval_on_selector_all(".md-content .atlas-tl-years a", "links => links.map(a => a.getAttribute('href'))")
    years = [s["year"] for s in page.evaluate(YEARS) if s["tag"] == "SECTION"]
    assert anchors == [f"#year-{year}" for year in years] and years == sorted(years)
    page.locator(f'.md-content .atlas-tl-years a[href="{anchors[-1]}"]').click()
    assert urllib.parse.urlsplit(page.url).fragment == anchors[-1][1:]
    assert page.locator(f"h2{anchors[-1]}").is_visible()


def test_axe_finds_no_serious_violation_on_the_timeline(browse, axe_source):
    page = browse.visit(PATH)
    checkbox(page, "Initiatives").uncheck()  # with a filter on, too
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"]})
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], f"/{PATH} [{browse.viewport}]: {serious}"


def test_the_home_page_shows_the_latest_events_and_leads_to_the_timeline(browse, site):
    page = browse.visit("")
    dates = page.eval_on_selector_all(".md-content .atlas-latest li time", "times => times.map(t => t.getAttribute('datetime'))")
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    browse.reset()
    page.get_by_role("link", name="Every dated event, by year: the timeline").click()
    page.wait_for_url(site.url(PATH))
    browse.settle(PATH)
    newest = page.eval_on_selector_all(".md-content .atlas-tl-event time", "times => times.map(t => t.getAttribute('datetime'))")
    assert sorted(newest, reverse=True)[:5] == dates


def test_the_filters_live_in_the_address_and_survive_a_reload(browse, site):
    page = browse.visit(PATH)
    total = len(page.evaluate(EVENTS))
    checkbox(page, "Forums").uncheck()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    kinds = page.eval_on_selector_all("fieldset[data-facet=kind] input", "boxes => boxes.map(b => b.value)")
    assert query == {"kind": [",".join(k for k in kinds if k != "forum")]}, page.url
    page.reload()
    browse.settle(PATH)
    assert not checkbox(page, "Forums").is_checked() and checkbox(page, "Initiatives").is_checked()
    assert [e for e in page.evaluate(EVENTS) if e["shown"] and e["kind"] == "forum"] == []
    checkbox(page, "Forums").check()  # every value checked again: the facet leaves the address
    assert urllib.parse.urlsplit(page.url).query == ""
    assert shown_count(page) == (total, total)


def test_a_topic_s_page_opens_the_timeline_on_its_events(browse, site, entries):
    topics = [e for e in entries.values() if e["kind"] == "topic"]
    assert topics, "the shipped atlas has topics"
    tagged = {t["id"]: {e["id"] for e in entries.values() if any(tag["topic"] == t["id"] for tag in e.get("topics", []))} for t in topics}
    topic = max(tagged, key=lambda t: (len(tagged[t]), t))
    page = browse.visit(f"topics/{topic}/")
    browse.reset()
    page.get_by_role("link", name="on the timeline").click()
    page.wait_for_url(re.compile(rf"/timeline/\?topic={topic}$"))
    browse.settle(PATH)
    assert checkbox(page, next(t["name"] for t in topics if t["id"] == topic)).is_checked()
    assert not page.locator("#tl-topic-no-topic").is_checked()
    shown = page.eval_on_selector_all(
        ".md-content .atlas-tl-event", "items => items.filter(li => li.getClientRects().length).map(li => li.querySelector('span.atlas-tl-what + a').href)"
    )
    assert shown and {href.rstrip("/").rsplit("/", 1)[1] for href in shown} <= tagged[topic] | {topic}
