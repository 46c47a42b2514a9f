"""The index tables' filters as a reader uses them: choose a facet value and the rows it leaves out go,
the count is announced and the address keeps the view; reload the address and the same view comes
back (from disk too); sort with the keyboard; without JavaScript the whole table is there and no
control shows; axe-core finds nothing serious with a filter on."""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter

import pytest

pytestmark = pytest.mark.browser

FORUMS = "forums/"

# Each body row of the page's filterable table: its entry link, whether it is laid out, its facet tokens.
ROWS = """() => [...document.querySelectorAll('.md-content .atlas-facet-table tbody tr')].map(tr => ({
    href: tr.querySelector('td a').getAttribute('href'),
    shown: tr.getClientRects().length > 0,
    facets: Object.fromEntries([...tr.attributes].filter(a => a.name.startsWith('data-facet-'))
        .map(a => [a.name.slice('data-facet-'.length), a.value.split(' ')])),
}))"""
CELLS = """(label) => [...document.querySelectorAll('.md-content .atlas-facet-table tbody tr')]
    .map(tr => tr.querySelector(`td[data-label="${label}"]`).textContent.trim())"""
SORT_STATE = "() => [...document.querySelectorAll('.md-content .atlas-facet-table thead th')].map(th => [th.textContent.trim(), th.getAttribute('aria-sort')])"


def query(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def live_text(page) -> str:
    return page.locator(".md-content .atlas-facets-count").inner_text()


def busiest(rows: list[dict], facet: str, but: set[str] = frozenset()) -> tuple[str, int]:
    """The value of ``facet`` that most rows carry, short of all of them."""
    counts = Counter(t for r in rows for t in r["facets"][facet] if t not in but)
    value, count = next((v, n) for v, n in counts.most_common() if n < len(rows))
    return value, count


def test_choosing_a_facet_hides_rows_announces_the_count_and_keeps_it_in_the_address(browse):
    page = browse.visit(FORUMS)
    rows = page.evaluate(ROWS)
    total = len(rows)
    assert total > 3 and all(r["shown"] for r in rows)
    assert live_text(page) == f"{total} of {total} forums shown"
    assert page.locator(".md-content .atlas-facets-count").get_attribute("aria-live") == "polite"
    pathway, count = busiest(rows, "pathway", {"_none"})
    select = page.get_by_role("combobox", name="Pathway")
    assert select.locator(f'option[value="{pathway}"]').inner_text().endswith(f" ({count})")  # its count, before choosing
    select.select_option(pathway)
    after = page.evaluate(ROWS)
    assert [r["href"] for r in after if r["shown"]] == [r["href"] for r in rows if pathway in r["facets"]["pathway"]]
    assert live_text(page) == f"{count} of {total} forums shown"
    assert query(page) == {"pathway": pathway}
    # The other facets now count among the rows shown.
    kept = [r for r in rows if pathway in r["facets"]["pathway"]]
    fresh = Counter(t for r in kept for t in r["facets"]["freshness"])
    for value, n in fresh.items():
        assert page.get_by_role("combobox", name="Last reviewed").locator(f'option[value="{value}"]').inner_text().endswith(f" ({n})")
    # A second facet narrows further, and the address holds both.
    gap = next(t for r in kept for t in r["facets"]["gap"])
    page.get_by_role("combobox", name="Gap and level").select_option(gap)
    both = [r["href"] for r in rows if pathway in r["facets"]["pathway"] and gap in r["facets"]["gap"]]
    assert [r["href"] for r in page.evaluate(ROWS) if r["shown"]] == both
    assert query(page) == {"pathway": pathway, "gap": gap} and live_text(page) == f"{len(both)} of {total} forums shown"
    # Reloading the address brings back the same view.
    browse.reset()
    page.reload()
    browse.settle(FORUMS)
    assert [r["href"] for r in page.evaluate(ROWS) if r["shown"]] == both
    assert select.input_value() == pathway and page.get_by_role("combobox", name="Gap and level").input_value() == gap
    assert live_text(page) == f"{len(both)} of {total} forums shown"
    # "Show all" clears the filters and the address.
    page.get_by_role("button", name="Show all").click()
    assert all(r["shown"] for r in page.evaluate(ROWS)) and query(page) == {}
    browse.assert_clean(FORUMS)


def test_a_shared_address_opens_the_filtered_and_sorted_view(browse):
    page = browse.visit("initiatives/")
    rows = page.evaluate(ROWS)
    status, count = busiest(rows, "status")
    page = browse.visit(f"initiatives/?status={status}&sort=name&order=desc")
    shown = [r["href"] for r in page.evaluate(ROWS) if r["shown"]]
    assert shown == [r["href"] for r in reversed(rows) if status in r["facets"]["status"]]  # rows come sorted by name
    assert live_text(page) == f"{count} of {len(rows)} initiatives shown"
    assert dict(page.evaluate(SORT_STATE))["Name"] == "descending"


def test_an_unknown_value_in_the_address_filters_nothing(browse):
    page = browse.visit(FORUMS + "?pathway=no-such-pathway&sort=no-such-column")
    rows = page.evaluate(ROWS)
    assert all(r["shown"] for r in rows) and live_text(page) == f"{len(rows)} of {len(rows)} forums shown"
    assert page.get_by_role("combobox", name="Pathway").input_value() == ""


def test_sorting_with_the_keyboard_orders_the_rows_and_sets_aria_sort(open_browse):
    browse = open_browse("desktop")
    page = browse.visit(FORUMS)
    assert dict(page.evaluate(SORT_STATE))["Name"] == "ascending"  # the rows come sorted by name
    name = page.get_by_role("button", name="Name", exact=True)
    name.focus()
    page.keyboard.press("Tab")  # the next stop is the next header's button, not its cell
    established = page.get_by_role("button", name="Established", exact=True)
    assert page.evaluate("() => document.activeElement.textContent") == "Acronym"
    established.focus()
    page.keyboard.press("Enter")
    years = [int(y) for y in page.evaluate(CELLS, "Established") if y != "—"]
    assert years == sorted(years) and len(set(years)) > 1
    state = dict(page.evaluate(SORT_STATE))
    assert state["Established"] == "ascending" and state["Name"] is None
    assert query(page) == {"sort": "established", "order": "asc"}
    page.keyboard.press("Space")  # Space presses a button too
    years = [int(y) for y in page.evaluate(CELLS, "Established") if y != "—"]
    assert years == sorted(years, reverse=True) and dict(page.evaluate(SORT_STATE))["Established"] == "descending"
    assert query(page) == {"sort": "established", "order": "desc"}
    # Filters and sort together in the address; a reload keeps both.
    rows = page.evaluate(ROWS)
    pathway, _ = busiest(rows, "pathway")
    page.get_by_role("combobox", name="Pathway").select_option(pathway)
    assert query(page) == {"sort": "established", "order": "desc", "pathway": pathway}
    before = page.evaluate(CELLS, "Name")
    browse.reset()
    page.reload()
    browse.settle(FORUMS)
    assert page.evaluate(CELLS, "Name") == before and dict(page.evaluate(SORT_STATE))["Established"] == "descending"
    # A column of counts sorts as numbers.
    page.get_by_role("button", name="Gaps addressed").press("Enter")
    counts = [len(re.findall(r"[●○]{3}", cell)) for cell in page.evaluate(CELLS, "Gaps addressed")]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    browse.assert_clean(FORUMS)


def test_the_sources_list_filters_by_the_kind_citing_a_source(browse):
    page = browse.visit("sources/")
    rows = page.evaluate(ROWS)
    wanted = [r["href"] for r in rows if "initiative" in r["facets"]["cited-by"]]
    assert 0 < len(wanted) < len(rows)
    page.get_by_role("combobox", name="Cited by").select_option("initiative")
    assert [r["href"] for r in page.evaluate(ROWS) if r["shown"]] == wanted
    assert live_text(page) == f"{len(wanted)} of {len(rows)} sources shown" and query(page) == {"cited-by": "initiative"}


def test_on_a_phone_the_controls_fit_and_sort_by_sorts_the_cards(phone):
    page = phone.visit(FORUMS + "?sort=established&order=desc")
    width = page.viewport_size["width"]
    box = page.locator(".md-content .atlas-facets").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    sort_by = page.get_by_role("combobox", name="Sort by")
    assert sort_by.is_visible() and sort_by.input_value() == "established:desc"  # what the address asked for
    sort_by.select_option("established:asc")
    years = [int(y) for y in page.evaluate(CELLS, "Established") if y != "—"]
    assert years == sorted(years) and query(page) == {"sort": "established", "order": "asc"}
    assert dict(page.evaluate(SORT_STATE))["Established"] == "ascending"
    # The header row stays out of sight (the cards label their cells) until the keyboard reaches its buttons.
    head = "() => document.querySelector('.md-content .atlas-facet-table thead').getBoundingClientRect().height"
    assert page.evaluate(head) <= 1
    button = page.get_by_role("button", name="Established", exact=True)
    button.focus()
    assert page.evaluate(head) > 1 and button.is_visible()
    rect = button.bounding_box()
    assert rect and rect["x"] + rect["width"] <= width
    rows = page.evaluate(ROWS)
    pathway, count = busiest(rows, "pathway")
    page.get_by_role("combobox", name="Pathway").select_option(pathway)
    assert sum(r["shown"] for r in page.evaluate(ROWS)) == count  # the cards it leaves out are gone
    phone.assert_clean(FORUMS)


def test_on_a_desktop_the_header_buttons_sort_and_sort_by_stays_out_of_the_way(open_browse):
    page = open_browse("desktop").visit(FORUMS)
    assert not page.get_by_role("combobox", name="Sort by").is_visible()
    assert page.get_by_role("button", name="Seat").is_visible()


def test_without_javascript_the_full_table_shows_and_no_control(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(site.url(FORUMS + "?pathway=universal-multilateral-anchor"))
        rows = page.locator(".md-content .atlas-facet-table tbody tr")
        assert rows.count() > 3
        assert all(rows.nth(i).is_visible() for i in range(rows.count()))
        assert not page.locator(".md-content .atlas-facets").is_visible()
        controls = page.locator(".md-content select, .md-content thead button, .md-content .atlas-facets button")
        assert all(not controls.nth(i).is_visible() for i in range(controls.count()))
        assert page.locator(".md-content thead button").count() == 0  # the sort buttons are the script's
        assert page.locator(".md-content .atlas-facet-table th[aria-sort]").count() == 0
    finally:
        context.close()


def test_the_copy_opened_from_disk_keeps_the_view_in_its_address(browser, site_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        index = (site_dir / "forums" / "index.html").as_uri()
        page.goto(index)
        rows = page.evaluate(ROWS)
        pathway, count = busiest(rows, "pathway")
        page.goto(f"{index}?pathway={pathway}")
        assert sum(r["shown"] for r in page.evaluate(ROWS)) == count
        page.get_by_role("button", name="Established", exact=True).press("Enter")
        assert page.url.startswith("file://") and query(page) == {"pathway": pathway, "sort": "established", "order": "asc"}
        page.reload()
        assert sum(r["shown"] for r in page.evaluate(ROWS)) == count
        assert dict(page.evaluate(SORT_STATE))["Established"] == "ascending"
    finally:
        context.close()


@pytest.mark.parametrize("path", [FORUMS, "initiatives/", "sources/"])
def test_axe_finds_no_serious_violation_with_filters_on(browse, axe_source, path):
    page = browse.visit(path)
    select = page.locator(".md-content .atlas-facets select").first
    select.select_option(index=1)
    page.locator(".md-content .atlas-facet-table thead button").nth(1).press("Enter")
    # Focusing the button scrolls the page, and Material's header fades its title in: let it finish.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"]})
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], f"/{path} [{browse.viewport}]: {serious}"
