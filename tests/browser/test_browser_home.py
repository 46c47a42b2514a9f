"""The home page as a place to start, the navigation by section, and what search shows.

The counts open what they count; the gaps no claim addresses are a finding by name;
the contributor pages sit under About, out of the tabs and out of the search results;
each section's sidebar lists its pages; search snippets label the facts.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path

import pytest
import yaml

from generator.render.urls import page_url

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
NAV = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
SECTIONS = {title: [next(iter(child.items())) for child in children] for item in NAV for title, children in item.items() if isinstance(children, list)}
CONTRIBUTOR_PAGES = {"Contribute": "contributing/", "Fields": "fields/"}


def heading(page) -> str:
    return page.locator(".md-content h1").first.inner_text().replace("¶", "").strip()


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def visible(locator) -> list:
    return [locator.nth(i) for i in range(locator.count()) if locator.nth(i).is_visible()]


def labelled(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


# --------------------------------------------------------------------------- the home page


def expected_counts(entries: dict) -> dict[str, tuple[int | None, str, str]]:
    """Row label → (its number, or None where the YAML alone does not tell, the page it opens, that page's heading)."""
    kinds = [e["kind"] for e in entries.values()]
    claims = [c for e in entries.values() for c in e.get("addresses") or []]
    cases = sum(len(e.get("illustrates") or []) for e in entries.values())
    named = sum(1 for c in claims if c["basis"] == "named")
    return {
        "Forums": (kinds.count("forum"), "forums/", "Forums"),
        "Initiatives": (kinds.count("initiative"), "initiatives/", "Initiatives"),
        "Gaps": (kinds.count("gap"), "gaps/", "Gaps"),
        "Pathways": (kinds.count("pathway"), "pathways/", "Pathways"),
        "Topics": (kinds.count("topic"), "topics/", "Topics"),
        "Coverage claims": (len(claims), "coverage/", "Coverage"),
        "Named claims": (named, "coverage/", "Coverage"),
        "Claims by category": (len(claims) - named, "coverage/", "Coverage"),
        "Cases of a gap (not coverage)": (cases, "gaps/", "Gaps"),
        "Sources cited": (None, "sources/", "Sources"),
    }


def test_every_count_on_the_home_page_opens_what_it_counts(browse, entries):
    expected = expected_counts(entries)
    page = browse.visit("")
    rows = page.locator(".atlas-counts tbody tr")
    labels = [t.strip() for t in rows.locator("th").all_inner_texts()]
    assert labels == list(expected), labels
    for i, label in enumerate(labels):
        number, path, title = expected[label]
        link = page.locator(".atlas-counts tbody tr").nth(i).locator("td a")
        assert link.count() == 1, f"{label}: its number is not a link [{browse.viewport}]"
        text = link.inner_text().strip()
        assert text.isdigit() and (number is None or int(text) == number), (label, text, number)
        browse.reset()
        link.click()
        page.wait_for_url(browse.url(path))
        browse.settle(path)
        assert heading(page) == title, (label, path)
        if i < len(labels) - 1:
            page = browse.visit("")


def test_the_uncovered_gaps_are_a_finding_by_name(browse, entries):
    claimed = {c["gap"] for e in entries.values() for c in e.get("addresses") or []}
    uncovered = sorted((e for e in entries.values() if e["kind"] == "gap" and e["id"] not in claimed), key=lambda e: e["name"].casefold())
    page = browse.visit("")
    finding = page.locator(".md-content p.atlas-finding")
    assert finding.count() == 1 and finding.is_visible()
    text = " ".join(finding.inner_text().split())
    if not uncovered:
        assert text.startswith("Every gap has at least one coverage claim"), text
        return
    count = f"{len(uncovered)} gap has" if len(uncovered) == 1 else f"{len(uncovered)} gaps have"
    assert text.startswith(f"{count} no coverage claim: "), text
    gap = uncovered[0]
    link = finding.locator("a", has_text=labelled(gap["name"]))
    assert link.count() == 1, f"the finding does not link {gap['name']!r}: {text}"
    browse.reset()
    link.click()
    page.wait_for_url(browse.url(f"gaps/{gap['id']}/"))
    browse.settle(f"gaps/{gap['id']}/")
    assert page.locator(".md-content p.atlas-uncovered").is_visible()


def test_the_home_page_has_ways_in_by_gap_and_pathway_and_coverage_at_a_glance(browse, entries):
    page = browse.visit("")
    ways = page.locator(".md-content ul.atlas-ways-in")
    hrefs = {path_of(h) for h in ways.locator("a").evaluate_all("els => els.map(e => e.href)")}
    pages = {f"{e['kind']}s/{e['id']}/" for e in entries.values() if e["kind"] in ("gap", "pathway")}
    assert pages | {"forums/", "initiatives/"} <= hrefs, sorted(pages - hrefs)
    glance = page.locator(".md-content .atlas-glance table")
    assert glance.count() == 1
    gaps = sorted((e["name"] for e in entries.values() if e["kind"] == "gap"), key=str.casefold)
    columns = [t.strip() for t in glance.locator("thead th").all_inner_texts()]
    assert columns == ["Pathway", *gaps[:8]], columns
    assert glance.locator("tbody tr").count() >= sum(1 for e in entries.values() if e["kind"] == "pathway")
    # Every gap column can be reached: the table fits or its box scrolls sideways.
    box = page.locator(".md-content .atlas-glance .atlas-table-wrap")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth || getComputedStyle(el).overflowX === 'auto'")


# --------------------------------------------------------------------------- navigation


def test_contributor_pages_are_under_about_not_in_the_tabs(browse):
    page = browse.visit("")
    if browse.viewport == "desktop":
        tabs = [t.strip() for t in page.locator(".md-tabs a.md-tabs__link").all_inner_texts()]
        assert len(tabs) < 12, tabs
        assert not set(CONTRIBUTOR_PAGES) & set(tabs), tabs
        assert "About" in tabs
        for label, path in CONTRIBUTOR_PAGES.items():
            page = browse.visit("")
            browse.reset()
            page.locator(".md-tabs a.md-tabs__link", has_text=labelled("About")).click()
            page.wait_for_url(re.compile(r"/about/$"))
            browse.settle("about/")
            sidebar = page.locator(".md-sidebar--primary a.md-nav__link")
            assert {t.strip() for t in sidebar.all_inner_texts()} >= set(CONTRIBUTOR_PAGES)
            open_link(browse, visible(page.locator(".md-sidebar--primary a.md-nav__link", has_text=labelled(label))), path)
    else:
        browse.open_drawer()
        top = [t.strip() for t in page.locator('nav.md-nav--primary[data-md-level="0"] > ul > li > .md-nav__link').all_inner_texts()]
        assert not set(CONTRIBUTOR_PAGES) & set(top), top
        open_section(page, "About")
        open_link(browse, visible(page.locator("nav.md-nav--primary a.md-nav__link", has_text=labelled("Fields"))), "fields/")


def open_section(page, title: str) -> None:
    """In the phone's drawer, slide in a section's pages."""
    label = page.locator("nav.md-nav--primary label.md-nav__link", has_text=labelled(title))
    visible(label)[0].click()
    page.wait_for_timeout(300)  # the drawer slides


def open_link(browse, links: list, path: str) -> None:
    assert links, f"no visible link to {path} [{browse.viewport}]"
    browse.reset()
    links[0].click()
    browse.page.wait_for_url(browse.url(path))
    browse.settle(path)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_the_sidebar_lists_the_pages_of_its_section(open_browse, section):
    browse = open_browse("desktop")
    children = SECTIONS[section]
    for _, docs_path in children:
        page = browse.visit(page_url(docs_path))
        links = visible(page.locator(".md-sidebar--primary nav.md-nav--primary a.md-nav__link"))
        shown = [" ".join(link.inner_text().split()) for link in links]
        assert shown == [title for title, _ in children], f"{docs_path}: the sidebar shows {shown}"
        active = page.locator(".md-sidebar--primary a.md-nav__link--active")
        assert " ".join(active.first.inner_text().split()) == {p: t for t, p in children}[docs_path]


# --------------------------------------------------------------------------- search


def search_results(browse, query: str) -> tuple[str, list[str]]:
    """Type ``query``; wait until Material has answered; return its count line and the result links' URLs."""
    box = browse.page.locator("input.md-search__input")
    if not box.is_visible():  # a second query goes into the open search box
        box = browse.open_search()
    box.fill(query)
    box.press("End")
    meta = browse.page.locator(".md-search-result__meta")
    answered = re.compile(r"(No matching documents|\d+ matching documents?)")
    deadline = time.monotonic() + 15
    last: tuple[str, list[str]] = ("", [])
    while time.monotonic() < deadline:
        urls = browse.page.locator(".md-search-result__list a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
        current = (meta.inner_text().strip(), urls)
        if answered.search(current[0]) and current == last:
            return current
        last = current
        browse.page.wait_for_timeout(150)
    raise AssertionError(f"search {query!r} [{browse.viewport}]: no answer; the count line says {last[0]!r}")


def test_search_snippets_label_the_facts(browse, entries):
    status = next(e["status"] for e in entries.values() if e.get("status"))
    browse.visit("")
    _, urls = search_results(browse, status)
    assert urls, f"searching {status!r} found nothing"
    shown = browse.page.locator(".md-search-result__list").inner_text()
    assert f"Status: {status}" in " ".join(shown.split()), shown[:2000]
    assert f"Status{status}" not in shown
    browse.assert_clean(f"search {status!r}")


def words_only_on(site_dir: Path, path: str) -> list[str]:
    """Words of the built page at ``path`` that no other page of the site has, longest first."""
    word = re.compile(r"[A-Za-z]{7,}")

    def words(html: str) -> set[str]:
        body = html[html.find("<article"):html.find("</article>")]
        return {w.lower() for w in word.findall(re.sub(r"<[^>]+>", " ", body))}

    own = words((site_dir / path / "index.html").read_text(encoding="utf-8"))
    for other in site_dir.rglob("*.html"):
        if other.parent != site_dir / path.rstrip("/"):
            own -= words(other.read_text(encoding="utf-8"))
    return sorted(own, key=lambda w: (-len(w), w))


@pytest.mark.parametrize("label", list(CONTRIBUTOR_PAGES))
def test_search_finds_nothing_from_the_contributor_pages(browse, site_dir, label):
    path = CONTRIBUTOR_PAGES[label]
    only_here = words_only_on(site_dir, path)
    assert only_here, f"no word is on {path} alone"
    browse.visit("")
    for query in (only_here[0], "acronym"):  # a word of this page alone, and one of many pages
        meta, urls = search_results(browse, query)
        from_here = [u for u in urls if path_of(u).startswith(path)]
        assert not from_here, f"searching {query!r} [{browse.viewport}] lists {from_here} ({meta})"
        if query == "acronym":
            assert urls, "searching 'acronym' should find entry pages"
    browse.assert_clean(f"search on {path}")
