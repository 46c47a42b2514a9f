"""Material's search box finds entries by name, acronym and a word of their summary."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[A-Za-z]{6,}")


def rare_summary_word(entry_file: Path) -> str:
    """The longest word of the entry's summary that no other entry file and no hand-written page uses."""
    import yaml

    summary = yaml.safe_load(entry_file.read_text(encoding="utf-8"))["summary"]
    others = [p for p in (REPO_ROOT / "entries").glob("*/*.yaml") if p != entry_file]
    others += [*(REPO_ROOT / "content").glob("*.md"), REPO_ROOT / "CONTRIBUTING.md"]
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in others if p.is_file()).lower()
    candidates = sorted({w.lower() for w in WORD.findall(summary)}, key=lambda w: (-len(w), w))
    for word in candidates:
        if not re.search(rf"\b{word}", corpus):
            return word
    raise AssertionError(f"no word of {entry_file.name}'s summary is unique to it: {candidates}")


def result_pages(urls: list[str]) -> list[str]:
    """The distinct pages of the result links, in order (sections of a page share its path)."""
    pages: list[str] = []
    for url in urls:
        path = urllib.parse.urlsplit(url).path
        if path not in pages:
            pages.append(path)
    return pages


QUERIES = {  # query → the entry page it must find
    "name": ("Space Data Association", "/forums/space-data-association/"),
    "acronym COPUOS": ("COPUOS", "/forums/copuos/"),
    "acronym IADC": ("IADC", "/forums/iadc/"),
    "summary word": (None, "/forums/iadc/"),  # a rare word of entries/forums/iadc.yaml's summary
}


@pytest.mark.parametrize("case", list(QUERIES))
def test_search_finds_the_entry(browse, case):
    query, expected = QUERIES[case]
    if query is None:
        query = rare_summary_word(REPO_ROOT / "entries" / "forums" / "iadc.yaml")
    browse.visit("")
    urls = browse.search(query)
    pages = result_pages(urls)
    assert expected in pages, f"searching {query!r} [{browse.viewport}] does not list {expected}; results: {pages}"
    # The result is a working link to the entry.
    link = browse.page.locator(".md-search-result__list a.md-search-result__link").nth(
        next(i for i, u in enumerate(urls) if urllib.parse.urlsplit(u).path == expected)
    )
    assert link.is_visible()
    browse.assert_clean(f"search {query!r}")


@pytest.mark.parametrize(("acronym", "expected"), [("COPUOS", "/forums/copuos/"), ("IADC", "/forums/iadc/")])
def test_search_ranks_the_entry_high_for_its_acronym(open_browse, acronym, expected):
    browse = open_browse("desktop")
    browse.visit("")
    pages = result_pages(browse.search(acronym))
    assert expected in pages[:3], f"searching {acronym!r}: {expected} is not among the first 3 results: {pages}"


@pytest.mark.parametrize(("synonym", "expected"), [
    ("ASAT", "/topics/security-and-stability/"),
    ("PAROS", "/topics/security-and-stability/"),
    ("SSA", "/topics/space-situational-awareness/"),
    ("STM", "/topics/space-situational-awareness/"),
    ("space junk", "/topics/space-debris/"),
    ("cislunar", "/topics/lunar-activities/"),
])
def test_search_finds_a_topic_by_another_of_its_names(open_browse, entries, synonym, expected):
    topic = entries[expected.strip("/").rsplit("/", 1)[1]]
    assert synonym in topic["synonyms"]  # the shipped topic gives the name it is searched by
    browse = open_browse("desktop")
    browse.visit("")
    pages = result_pages(browse.search(synonym))
    assert expected in pages[:3], f"searching {synonym!r}: {expected} is not among the first 3 results: {pages}"
