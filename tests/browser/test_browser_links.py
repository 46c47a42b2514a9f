"""Every link on every page resolves: no 404, and every #fragment names an id on its target page."""

from __future__ import annotations

import urllib.parse

import pytest

pytestmark = pytest.mark.browser


def test_every_link_resolves(crawl, site):
    pages = crawl.html_pages
    assert len(pages) > 20, f"the crawl reached only {len(pages)} pages: {sorted(pages)}"
    broken = [f"{p.url} (HTTP {p.status}), linked from {p.linked_from}" for p in crawl.pages.values() if p.status != 200]
    assert not broken, "broken links:\n" + "\n".join(broken)

    missing = []
    for page in pages.values():
        for link in page.links:
            target, fragment = urllib.parse.urldefrag(link)
            if not fragment or not target.startswith(site.origin + "/"):
                continue
            fragment = urllib.parse.unquote(fragment)
            landed = crawl.pages.get(target)
            if landed is None or not landed.content_type.startswith("text/html"):
                continue
            if fragment not in landed.ids:
                missing.append(f"{page.url}: #{fragment} → no such id on {target}")
    assert not missing, "links to missing anchors:\n" + "\n".join(sorted(set(missing)))


def test_every_built_page_is_reachable(crawl, site):
    """Every HTML page of the built site is reached by links from the home page (404.html aside)."""
    built = {
        site.url(path.relative_to(site.root).as_posix().removesuffix("index.html"))
        for path in site.root.rglob("*.html")
        if path.name != "404.html"
    }
    orphans = sorted(built - set(crawl.pages))
    assert not orphans, "pages no link reaches:\n" + "\n".join(orphans)


def test_a_sample_of_pages_loads_cleanly_in_the_browser(crawl, open_browse):
    """A real page.goto for one page of each part of the site that no other browser test opens
    (the crawl fetched every page with urllib)."""
    opened_elsewhere = {"", "forums", "gaps", "initiatives", "coverage", "sources"}
    paths = sorted(urllib.parse.urlsplit(url).path.lstrip("/") for url in crawl.html_pages)
    sample: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: (-p.count("/"), p)):  # an entry page rather than an index
        part = path.split("/")[0]
        if part not in opened_elsewhere:
            sample.setdefault(part, path)
    assert len(sample) >= 5, sample
    browse = open_browse("desktop")
    for path in sample.values():
        page = browse.visit(path)
        assert page.locator(".md-content h1").count() == 1, f"{path}: one h1 expected"
        # Fragment links of this page land on an element that exists in the live DOM.
        missing = page.evaluate(
            """() => [...document.querySelectorAll('.md-content a[href*="#"]')]
                .filter(a => a.origin === location.origin && a.pathname === location.pathname && a.hash.length > 1)
                .filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1))))
                .map(a => a.getAttribute('href'))"""
        )
        assert not missing, f"{path}: in-page links to missing ids: {missing}"
