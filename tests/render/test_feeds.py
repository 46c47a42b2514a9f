"""The Atom feeds: valid RFC 4287 documents, each entry a described change with a stable tag: id, the same bytes every time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest
from conftest import HOSTILE
from lxml import etree

from generator.editions.history import History, read_history
from generator.editions.record import atlas_snapshot, write_edition
from generator.pipeline import build_atlas
from generator.render.feeds import ATLAS_FEED, EVENTS_FEED, FEEDS_SITEMAP, Feeds, gap_feed

SITE = "https://atlas.example.org/sub/"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")


def _two_editions(make_entries, folder: Path, extra: dict[str, str | None] | None = None) -> tuple[object, History]:
    """An atlas recorded on 2026-01-16, then changed (the Alpha Forum's claim partial → strong) and recorded on 2026-01-20."""
    entries = make_entries(extra)
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 16)), folder)
    alpha = entries / "forums" / "alpha-forum.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("level: partial", "level: strong"), encoding="utf-8")
    atlas = build_atlas(entries)
    write_edition(atlas_snapshot(atlas, dt.date(2026, 1, 20)), folder)
    return atlas, read_history(folder, atlas, show_unreleased=False)


@pytest.fixture
def feeds(make_entries, tmp_path: Path) -> dict[str, bytes]:
    atlas, history = _two_editions(make_entries, tmp_path / "editions")
    return Feeds(atlas, history, SITE).files()  # type: ignore[arg-type]


def test_every_feed_is_valid_atom(feeds: dict[str, bytes]) -> None:
    assert {ATLAS_FEED, EVENTS_FEED, gap_feed("dialogue")} <= set(feeds)
    assert etree.fromstring(feeds.pop(FEEDS_SITEMAP)).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"  # Material looks for it
    for path, data in feeds.items():
        assert path.startswith("feeds/") and "/" not in path.removeprefix("feeds/")  # beside that one sitemap
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))  # strict XML: no recovery
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{required}") is not None, (path, required)
        assert root.findtext(f"{ATOM}author/{ATOM}name")
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == SITE + path
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id", "").startswith("tag:atlas.example.org,2026:sub/"), path
            assert entry.findtext(f"{ATOM}title")
            assert RFC3339.match(entry.findtext(f"{ATOM}updated", "")), path
            link = entry.find(f"{ATOM}link")
            assert link is not None and link.get("href", "").startswith(SITE)


def test_a_gap_feed_describes_each_claim_change(feeds: dict[str, bytes]) -> None:
    root = etree.fromstring(feeds[gap_feed("dialogue")])
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Level of Alpha Forum on the Dialogue gap: partial → strong"]
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}updated") == "2026-01-20T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}id") == "tag:atlas.example.org,2026:sub/edition/2026-01-20/claim/alpha-forum/dialogue"
    assert entry.find(f"{ATOM}link").get("href") == SITE + "whats-new/2026-01-20/"
    assert "level partial → strong" in entry.findtext(f"{ATOM}summary")


def test_feeds_are_the_same_bytes_every_time_and_ids_do_not_move(make_entries, tmp_path: Path, feeds: dict[str, bytes]) -> None:
    atlas, history = _two_editions(make_entries, tmp_path / "again")
    assert Feeds(atlas, history, SITE).files() == feeds  # type: ignore[arg-type]
    events = etree.fromstring(feeds[EVENTS_FEED])
    ids = [e.findtext(f"{ATOM}id") for e in events.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    for entry in events.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}updated") == "2026-01-16T00:00:00+00:00"  # the first edition holding the event


def test_entry_text_in_a_feed_is_text_never_markup(make_entries, tmp_path: Path) -> None:
    atlas, history = _two_editions(make_entries, tmp_path / "editions", HOSTILE)
    for path, data in Feeds(atlas, history, SITE).files().items():  # type: ignore[arg-type]
        root = etree.fromstring(data)
        if path.endswith("sitemap.xml"):
            continue
        assert not list(root.iter("{*}script", "script")), path
        assert b"<script" not in data, path
    events = etree.fromstring(Feeds(atlas, history, SITE).files()[EVENTS_FEED])  # type: ignore[arg-type]
    assert any("<script>alert('history')</script>" in (e.findtext(f"{ATOM}title") or "") for e in events.iter(f"{ATOM}entry"))
