"""The home page, navigation, entry and gap pages, the palette toggle, screenshots and page weight."""

from __future__ import annotations

import re
import struct
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

KIND_PAGES = {  # nav label → (its section's tab, URL path, page heading)
    "Forums": ("Browse", "forums/", "Forums"),
    "Gaps": ("Browse", "gaps/", "Gaps"),
    "Initiatives": ("Browse", "initiatives/", "Initiatives"),
    "Pathways": ("Browse", "pathways/", "Pathways"),
    "Coverage by gap": ("Coverage", "coverage/", "Coverage"),
}
LEVELS = ("strong", "partial", "emerging")
FRESH_LABELS = ("current", "review due", "stale")


def text_of(heading: str) -> str:
    """A heading's text without Material's permalink mark."""
    return heading.replace("¶", "").strip()


# --------------------------------------------------------------------------- 1. home


def test_home_loads_cleanly_and_only_from_localhost(open_browse, viewport):
    browse = open_browse(viewport, fresh=True, route=True)  # an empty cache: every request is made
    page = browse.visit("")
    assert text_of(page.locator("h1").first.inner_text()) == "Space Governance Atlas"
    assert browse.routed, "the route recorded no request"
    assert all(url.startswith(browse.site.origin + "/") for url in browse.routed), browse.routed
    loaded = {browse.site.path_of(url) for url in browse.routed}
    # Material's search worker fetched its index: the page is fully working, not half loaded.
    assert "search/search_index.json" in loaded, sorted(loaded)
    assert "assets/atlas.css" in loaded, sorted(loaded)


# --------------------------------------------------------------------------- 3. navigation


@pytest.mark.parametrize("label", list(KIND_PAGES))
def test_navigation_reaches_each_kind_index(browse, label):
    """Through the section's tab and then the sidebar (desktop), or the section in the drawer (phone)."""
    section, path, heading = KIND_PAGES[label]
    page = browse.visit("")
    if browse.viewport == "phone":
        assert not page.locator(".md-tabs").first.is_visible(), "the tabs should give way to the drawer on a phone"
        browse.open_drawer()
        sections = page.locator("nav.md-nav--primary label.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(section)}\s*$"))
        next(s for s in (sections.nth(i) for i in range(sections.count())) if s.is_visible()).click()
        page.wait_for_timeout(300)  # the drawer slides the section in
        links = page.locator("nav.md-nav--primary a.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    else:
        browse.reset()
        page.locator(".md-tabs a.md-tabs__link", has_text=re.compile(rf"^\s*{re.escape(section)}\s*$")).click()
        page.wait_for_load_state("load")
        browse.settle(section)
        links = page.locator(".md-sidebar--primary a.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    visible = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    assert visible, f"no visible navigation link labelled {label!r} [{browse.viewport}]"
    browse.reset()
    visible[0].click()
    page.wait_for_url(browse.url(path))
    browse.settle(path)
    assert text_of(page.locator(".md-content h1").first.inner_text()) == heading


# --------------------------------------------------------------------------- 4. entry and gap pages


@pytest.mark.parametrize("entry_id", ["copuos", "space-data-association", "espi"])
def test_entry_page_shows_facts_claims_sources_and_freshness(browse, entries, entry_id):
    entry = entries[entry_id]
    page = browse.visit(f"forums/{entry_id}/")
    content = page.locator(".md-content")

    title = content.locator("h1").first.inner_text()
    assert entry["name"] in title
    if entry.get("acronym"):
        assert f"({entry['acronym']})" in title

    facts = content.locator("table.atlas-facts")
    assert facts.count() == 1 and facts.is_visible()
    assert facts.locator("caption").inner_text().strip() == "Facts"
    labels = [t.strip() for t in facts.locator("th[scope=row]").all_inner_texts()]
    if entry.get("acronym"):
        assert "Acronym" in labels
    if entry.get("established"):
        assert "Established" in labels
        assert str(entry["established"]) in facts.inner_text()

    headings = [text_of(h) for h in content.locator("h2").all_inner_texts()]
    claims = entry.get("addresses") or []
    if claims:
        assert "Gaps addressed" in headings, headings
        table = content.locator("h2#gaps-addressed").locator("xpath=following-sibling::*[self::table or .//table][1]")  # Material wraps tables
        rows = table.locator("tbody tr")
        assert rows.count() == len(claims)
        for i, claim in enumerate(claims):
            assert claim["level"] in rows.nth(i).locator("td").nth(1).inner_text()
    else:
        assert "Gaps addressed" in headings, "an entry without claims says so under 'Gaps addressed'"
        no_claim = content.locator("p.atlas-no-claim")
        assert no_claim.is_visible() and "records no claim" in no_claim.inner_text()
        if entry.get("coverage_note"):
            assert content.locator(".atlas-coverage-note").is_visible()

    assert "Sources" in headings, headings
    sources = content.locator("ol.atlas-sources > li")
    assert sources.count() == len(entry["sources"])
    for number, source in enumerate(entry["sources"], 1):
        item = content.locator(f"li#source-{number}")
        assert item.is_visible()
        assert source["title"] in item.inner_text()

    fresh = content.locator(".atlas-meta .atlas-fresh")
    assert fresh.is_visible()
    text = fresh.inner_text().strip()
    match = re.fullmatch(r"reviewed (\d{4}-\d{2}-\d{2}) \((.+)\)", text)
    assert match, text
    assert match.group(1) == str(entry["last_reviewed"])
    assert match.group(2) in FRESH_LABELS


def test_gap_page_shows_who_addresses_it_by_level(browse, entries):
    gap_id = "docking-gap"
    expected: Counter[str] = Counter()
    for entry in entries.values():
        for claim in entry.get("addresses") or []:
            if claim["gap"] == gap_id:
                expected[claim["level"]] += 1
    assert expected, "the docking gap has claims in the shipped entries"

    page = browse.visit(f"gaps/{gap_id}/")
    content = page.locator(".md-content")
    headings = [text_of(h) for h in content.locator("h2").all_inner_texts()]
    assert "Who addresses this gap" in headings, headings
    shown = {}
    groups = content.locator(".atlas-coverage h3")
    for i in range(groups.count()):
        group = groups.nth(i)
        level = group.get_attribute("id").removeprefix("level-")
        assert group.is_visible()
        text = group.inner_text()
        match = re.search(rf"\b{level}\b \((\d+) named(?: · (\d+) by category)?\)", text)
        assert match, f"level heading {text!r} should name its level and count named and category claims apart"
        rows = content.locator(f"h3#level-{level}").locator("xpath=following-sibling::*[1]").locator("tbody tr").count()
        assert rows == int(match.group(1)) + int(match.group(2) or 0)
        shown[level] = rows
    assert shown == dict(expected)
    # Strongest first.
    assert list(shown) == [level for level in LEVELS if level in shown]


# --------------------------------------------------------------------------- 7. palette


def test_palette_toggle_switches_light_and_dark(browse):
    browse.visit("forums/copuos/")
    assert browse.palette_scheme() == "default"
    assert browse.toggle_palette() == "slate"
    background = browse.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background not in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}, background
    assert browse.toggle_palette() == "default"
    browse.assert_clean("palette toggle")


# --------------------------------------------------------------------------- 9. screenshots


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("entry", "forums/space-data-association/"), ("matrix", "coverage/matrix/")])
def test_full_page_screenshots(browse, screenshots_dir, name, path):
    page = browse.visit(path)
    target = screenshots_dir / f"{name}-{browse.viewport}.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.is_file() and target.stat().st_size > 1000
    width, height = _png_size(target)
    viewport = page.viewport_size
    scale = 2 if browse.viewport == "phone" else 1
    assert width == viewport["width"] * scale, (width, viewport)
    assert height >= viewport["height"] * scale, (height, viewport)


# --------------------------------------------------------------------------- 10. page weight


def test_page_weight_and_no_third_party_requests(open_browse, site, screenshots_dir):
    report = {}
    for label, path in [("home", ""), ("entry", "forums/space-data-association/")]:
        browse = open_browse("desktop", fresh=True, route=True)  # a context each: an empty cache
        responses = []
        def keep(response: object, into: list = responses) -> None:  # Playwright calls a Python function, not a bound builtin
            into.append(response)

        browse.page.on("response", keep)
        browse.visit(path)
        total = 0
        for response in responses:
            try:
                total += len(response.body())
            except Exception:
                total += int(response.headers.get("content-length", 0) or 0)
        report[label] = (total, len(responses))
        assert browse.routed
        foreign = [url for url in browse.routed if not url.startswith(site.origin + "/")]
        assert not foreign, f"{label} page loads from third-party hosts: {foreign}"
    index = site.root / "search" / "search_index.json"
    lines = [
        f"home page (/): {report['home'][0]} bytes in {report['home'][1]} responses",
        f"entry page (forums/space-data-association/): {report['entry'][0]} bytes in {report['entry'][1]} responses",
        f"search index (search/search_index.json) on disk: {index.stat().st_size} bytes",
    ]
    (screenshots_dir / "page-weight.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert report["home"][0] > 0 and report["entry"][0] > 0
