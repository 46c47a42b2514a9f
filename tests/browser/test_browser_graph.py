"""The relations graphs as a reader uses them: click a node of the atlas's graph and land on its entry's page;
reach a node with the keyboard and open it; every node is a named link; the list beside the graph holds the
same relations; an entry page shows its ego graph; topic pages' links to the graph land on their item;
axe-core finds nothing serious or critical."""

from __future__ import annotations

import urllib.parse

import pytest

pytestmark = pytest.mark.browser

PATH = "relations/"
ENTRY = "forums/copuos/"
# An SVG link's href is an SVGAnimatedString: the attribute, resolved against the page, is its URL.
NODES = """sel => [...document.querySelectorAll(sel + ' a.atlas-graph__node')].map(a => ({
    href: new URL(a.getAttribute('href'), location.href).href, name: a.querySelector('title').textContent, label: (a.querySelector('text') || {}).textContent,
}))"""


def _serious(page, axe_source: str) -> list:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"]})
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in results["violations"] if v["impact"] in {"serious", "critical"}]


def test_clicking_a_node_of_the_atlas_graph_opens_its_entry_page(browse, site, crawl):
    page = browse.visit(PATH)
    nodes = page.evaluate(NODES, ".atlas-graph--atlas")
    assert len(nodes) >= 48
    for node in nodes:  # every node links to a page of the site that exists
        assert node["href"].startswith(site.origin + "/") and crawl.pages[node["href"]].status == 200, node
    node = page.locator('.atlas-graph--atlas a.atlas-graph__node[href$="/forums/copuos/"]')
    assert node.count() == 1
    browse.reset()
    node.click()
    page.wait_for_url(site.url(ENTRY))
    browse.settle(ENTRY)
    assert page.locator(".md-content h1").first.inner_text().startswith("Committee on the Peaceful Uses of Outer Space")


def test_a_node_is_a_named_link_reached_with_the_keyboard(browse, site):
    page = browse.visit(PATH)
    graph = page.get_by_role("group", name="Graph of the atlas", exact=False)
    assert graph.count() == 1
    link = graph.get_by_role("link", name="Inter-Agency Space Debris Coordination Committee (IADC) (forum)")
    assert link.count() == 1
    link.focus()
    assert page.evaluate("() => document.activeElement.closest('svg') !== null")
    browse.reset()
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("forums/iadc/"))
    browse.settle("forums/iadc/")


def test_the_list_beside_the_graph_holds_the_same_relations(browse):
    page = browse.visit(PATH)
    drawn = {urllib.parse.urlsplit(n["href"]).path for n in page.evaluate(NODES, ".atlas-graph--atlas")}
    items = page.eval_on_selector_all(
        ".md-content ul.atlas-relations > li",
        "items => items.map(li => ({id: li.id, href: li.querySelector(':scope > a').href, groups: [...li.querySelectorAll('dt')].map(d => d.textContent)}))",
    )
    assert {urllib.parse.urlsplit(i["href"]).path for i in items} == drawn
    copuos = next(i for i in items if i["id"] == "relations-copuos")
    assert {"Pathway", "Leads", "Related"} <= set(copuos["groups"])
    # The list's links are keyboard links like any other; the first leads to its entry.
    first = page.locator("#relations-copuos dd a").first
    assert first.is_visible() and first.get_attribute("href")


def test_an_entry_page_shows_its_ego_graph_and_its_list(browse, site):
    page = browse.visit(ENTRY)
    heading = page.locator("h2#relations")
    assert heading.is_visible()
    ego = page.locator(".atlas-graph--ego svg.atlas-graph__svg")
    assert ego.count() == 1 and ego.is_visible()
    box = ego.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60
    nodes = page.evaluate(NODES, ".atlas-graph--ego")
    assert nodes[0]["href"] == site.url(ENTRY)  # the centre: the entry itself
    assert len(nodes) > 3
    listed = page.eval_on_selector_all("#relations--list dd a", "links => links.map(a => a.href)")
    assert {n["href"] for n in nodes[1:] if "#" not in n["href"]} <= set(listed)
    # Its place in the whole atlas: the link lands on its own item of the relations page.
    browse.reset()
    page.get_by_role("link", name="Its place in the graph of the whole atlas").click()
    page.wait_for_url(site.url(PATH) + "#relations-copuos")
    browse.settle(PATH)
    assert page.locator("#relations-copuos").is_visible()


def test_a_topic_page_leads_to_its_item_of_the_graph(browse, site, crawl):
    topic = crawl.pages.get(site.url("topics/space-debris/"))
    if topic is None:
        pytest.skip("no topic pages in this build")
    page = browse.visit("topics/space-debris/")
    link = page.locator('.md-content a[href*="relations/#relations-space-debris"]').first
    assert link.count() == 1
    browse.reset()
    link.click()
    page.wait_for_url(site.url(PATH) + "#relations-space-debris")
    browse.settle(PATH)
    assert "Dealt with by" in page.locator("#relations-space-debris").inner_text()


@pytest.mark.parametrize("path", [PATH, ENTRY])
def test_axe_finds_no_serious_violation_on_the_graphs(browse, axe_source, path):
    page = browse.visit(path)
    serious = _serious(page, axe_source)
    assert serious == [], f"/{path} [{browse.viewport}]: {serious}"


def test_the_graph_scrolls_sideways_on_a_phone_and_keeps_its_labels_legible(phone, screenshots_dir):
    page = phone.visit(PATH)
    canvas = page.locator(".atlas-graph--atlas .atlas-graph__canvas")
    sizes = canvas.evaluate("el => ({client: el.clientWidth, scroll: el.scrollWidth})")
    assert sizes["scroll"] > sizes["client"]  # drawn at its own size, scrolled, not shrunk
    font = page.locator(".atlas-graph--atlas svg.atlas-graph__svg text").first.evaluate("t => t.getBoundingClientRect().height")
    assert font >= 10
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375  # the page itself does not scroll sideways
    page.screenshot(path=str(screenshots_dir / "relations-phone.png"))
