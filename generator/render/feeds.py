"""Atom 1.0 feeds: the atlas's changes, each gap's claims, each topic's entries, and the dated events.

A feed entry says what changed ("Level of … on the docking gap: emerging → removed"),
not the whole page. Ids are tag: URIs (RFC 4151) minted from the site's address and
the year of the first edition, so they never change; ``updated`` is the date of the
edition that made the change (for an event, of the first edition that holds it).
Feeds need the site's address (``site_url`` in mkdocs.yml): their links are absolute.
The XML is written by feedgen; the same atlas and editions give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from generator.editions.diff import ClaimChange, EditionDiff
from generator.editions.history import EventKey, History
from generator.kinds.model import Entry
from generator.link.atlas import Atlas
from generator.link.timeline import Event, timeline
from generator.render.page import TIMELINE
from generator.render.urls import entry_page, page_url
from generator.render.whats_new import WHATS_NEW, edition_page, field_label

ATLAS_FEED = "feeds/atlas.xml"
EVENTS_FEED = "feeds/events.xml"
FEED_ITEMS = 200  # the most recent items a feed holds
ATOM = "application/atom+xml"


# Material for MkDocs fetches a sitemap.xml beside every <link rel="alternate"> of a page (to map the pages of a
# site in another language), so every feed lies in feeds/, beside this empty sitemap: one small request, never a 404.
FEEDS_SITEMAP = "feeds/sitemap.xml"
EMPTY_SITEMAP = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'


def gap_feed(gap_id: str) -> str:
    return f"feeds/gap-{gap_id}.xml"


def topic_feed(topic_id: str) -> str:
    return f"feeds/topic-{topic_id}.xml"


def own_feed(entry: Entry) -> str | None:
    """A gap's or a topic's own feed; None for other entries."""
    return gap_feed(entry.id) if entry.kind == "gap" else topic_feed(entry.id) if entry.kind == "topic" else None


@dataclass(frozen=True)
class Item:
    """One feed entry: what it is about (the end of its id), its words, the page it links to, when."""

    key: str
    title: str
    summary: str
    page: str  # a docs path, with an optional #anchor
    updated: dt.date
    gaps: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Feeds:
    """Writes the feeds of one atlas for a site at ``site_url``."""

    atlas: Atlas
    history: History
    site_url: str
    title: str = "Space Governance Atlas"

    def files(self) -> dict[str, bytes]:
        """Every feed (and the feeds' empty sitemap), by its path in the site."""
        items = [item for diff in self.history.changes if diff.old is not None for item in change_items(diff)]
        items += [first_edition_item(diff) for diff in self.history.changes if diff.old is None]
        files = {ATLAS_FEED: self.feed(ATLAS_FEED, f"{self.title}: changes", WHATS_NEW, items), FEEDS_SITEMAP: EMPTY_SITEMAP}
        files[EVENTS_FEED] = self.feed(EVENTS_FEED, f"{self.title}: dated events", TIMELINE, event_items(self.atlas, self.history))
        for gap in self.atlas.gaps:
            mine = [i for i in items if gap.id in i.gaps]
            files[gap_feed(gap.id)] = self.feed(gap_feed(gap.id), f"{self.title}: claims on the {gap.name}", entry_page("gap", gap.id), mine)
        for topic in self.atlas.topics:
            mine = [i for i in items if topic.id in i.topics]
            files[topic_feed(topic.id)] = self.feed(topic_feed(topic.id), f"{self.title}: {topic.name}", entry_page("topic", topic.id), mine)
        return files

    def url(self, docs_path: str) -> str:
        path, _, anchor = docs_path.partition("#")
        target = path if path.endswith(".xml") else page_url(path)
        return self.site_url.rstrip("/") + "/" + target + (f"#{anchor}" if anchor else "")

    def tag(self, specific: str) -> str:
        """A tag: URI: ``tag:host,year:site-path/specific``."""
        parts = urlsplit(self.site_url)
        year = self.history.editions[0].date.year if self.history.editions else self.atlas.edition.year
        prefix = parts.path.strip("/")
        return f"tag:{parts.hostname},{year}:{prefix + '/' if prefix else ''}{specific}"

    def feed(self, path: str, title: str, page: str, items: Iterable[Item]) -> bytes:
        newest = sorted(items, key=lambda i: (i.updated, i.key), reverse=True)[:FEED_ITEMS]
        feed = FeedGenerator()
        feed.id(self.tag(path.removesuffix(".xml")))
        feed.title(title)
        feed.author(name=self.title)
        feed.link(href=self.url(page), rel="alternate", type="text/html")
        feed.link(href=self.url(path), rel="self", type=ATOM)
        feed.language("en")
        feed.updated(_moment(max((i.updated for i in newest), default=self.history.latest.date if self.history.latest else self.atlas.edition)))
        for item in reversed(newest):  # feedgen puts each new entry first
            entry = feed.add_entry()
            entry.id(self.tag(item.key))
            entry.title(item.title)
            entry.summary(item.summary)
            entry.link(href=self.url(item.page), rel="alternate", type="text/html")
            entry.updated(_moment(item.updated))
        return bytes(feed.atom_str(pretty=True))


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _tags(data: Mapping[str, Any] | None) -> frozenset[str]:
    """The topics an entry of an edition is tagged with."""
    tags = data.get("topics", []) if data else []
    return frozenset(t["topic"] for t in tags if isinstance(t, dict) and isinstance(t.get("topic"), str))


def _claimed(data: Mapping[str, Any] | None) -> frozenset[str]:
    claims = data.get("addresses", []) if data else []
    return frozenset(c["gap"] for c in claims if isinstance(c, dict) and isinstance(c.get("gap"), str))


def first_edition_item(diff: EditionDiff) -> Item:
    name = diff.new.name
    summary = f"The first recorded edition of the atlas: {len(diff.new.entries):,} entries."
    return Item(f"edition/{name}", f"First edition, {name}", summary, edition_page(name), diff.new.date)


def change_items(diff: EditionDiff) -> list[Item]:
    """The feed entries of one edition's changes: one per entry added, removed or renamed, per claim changed, per entry whose facts changed."""
    assert diff.old is not None
    name, day, page = diff.new.name, diff.new.date, edition_page(diff.new.name)
    old, new = diff.old.entries, diff.new.entries
    items = []
    for ref in diff.added:
        summary = f"{ref.name} ({ref.kind}) is added to the atlas in the edition of {name}."
        data = new[ref.id]
        items.append(Item(f"edition/{name}/added/{ref.id}", f"Added: {ref.name}", summary, entry_page(ref.kind, ref.id), day, _claimed(data), _tags(data)))
    for ref in diff.removed:
        summary = f"{ref.name} ({ref.kind}) is no longer in the atlas as of the edition of {name}."
        data = old[ref.id]
        items.append(Item(f"edition/{name}/removed/{ref.id}", f"Removed: {ref.name}", summary, page, day, _claimed(data), _tags(data)))
    for rename in diff.renamed:
        was, now = rename.old, rename.new
        summary = f"{was.name} (id {was.id}) is now {now.name} (id {now.id}), as of the edition of {name}."
        data = new[now.id]
        title = f"Renamed: {was.name} → {now.name}"
        items.append(Item(f"edition/{name}/renamed/{was.id}", title, summary, entry_page(now.kind, now.id), day, _claimed(data), _tags(data)))
    for claim in diff.claims:
        items.append(claim_item(claim, name, page, day, _tags(new.get(claim.entry.id) or old.get(claim.entry.id))))
    for changes in diff.facts_by_entry().values():
        ref = changes[0].entry
        fields = [field_label(ref.kind, c.field) for c in changes]
        shown = ", ".join(fields[:8]) + (f" and {len(fields) - 8} more" if len(fields) > 8 else "")
        summary = f"{len(changes)} {'fact' if len(changes) == 1 else 'facts'} of {ref.name} changed in the edition of {name}: {shown}."
        topics = _tags(new.get(ref.id)) | _tags(old.get(ref.id))
        items.append(Item(f"edition/{name}/facts/{ref.id}", f"Facts of {ref.name} changed", summary, entry_page(ref.kind, ref.id), day, frozenset(), topics))
    return items


def claim_item(claim: ClaimChange, edition: str, page: str, day: dt.date, topics: frozenset[str]) -> Item:
    """``Level of <entry> on the <gap>: emerging → removed``."""
    (was, now), (basis_was, basis_now) = claim.level, claim.basis
    entry, gap = claim.entry, claim.gap
    title = f"Level of {entry.name} on the {gap.name}: {was or 'none'} → {now or 'removed'}"
    if claim.change == "changed" and was == now:
        title = f"Claim of {entry.name} on the {gap.name}: " + (f"basis {basis_was or 'none'} → {basis_now}" if basis_was != basis_now else "evidence revised")
    if claim.change == "added":
        summary = f"The claim that {entry.name} addresses the {gap.name} is added in the edition of {edition}: {now}, {basis_now or 'no basis given'}."
    elif claim.change == "removed":
        summary = f"The claim that {entry.name} addresses the {gap.name} ({was}{f', {basis_was}' if basis_was else ''}) is removed in the edition of {edition}."
    else:
        parts = [f"level {was} → {now}" if was != now else f"level {now}", f"basis {basis_was or 'none'} → {basis_now}" if basis_was != basis_now else ""]
        summary = f"The claim that {entry.name} addresses the {gap.name} changes in the edition of {edition}: {', '.join(p for p in parts if p)}."
    if claim.evidence_revised:
        summary += " Its evidence is revised."
    summary += " See the edition's page for every change."
    return Item(f"edition/{edition}/claim/{entry.id}/{gap.id}", title, summary, page, day, frozenset({gap.id}), topics)


def event_key(event: Event) -> EventKey:
    return (event.entry.id, event.what, event.date, event.text.strip() if event.text is not None else None)


def event_items(atlas: Atlas, history: History) -> list[Item]:
    """One feed entry per dated event, dated by the first edition that holds it (the atlas's date for a new one)."""
    seen = history.first_seen()
    items = []
    for event in timeline(atlas).events:
        entry = event.entry
        title = f"{event.date}: {entry.label}: {event.label}"
        summary = f"{event.date}: {event.label} ({entry.label})."
        said = hashlib.sha256((event.text or "").strip().encode()).hexdigest()[:12]  # its words, not its place: an insertion renames no other event
        key = f"event/{entry.id}/{event.what}/{event.date}/{said}"
        day = seen.get(event_key(event), atlas.edition)
        items.append(Item(key, title, summary, entry_page(entry.kind, entry.id), day, frozenset(), frozenset(t.topic for t in entry.topics)))
    return items


OWN_FEED_TITLES = {"gap": "Claims on this gap", "topic": "Changes on this topic"}


def feed_links(entry: Entry | None) -> list[tuple[str, str]]:
    """The feeds a page names in its head, as (site path, title): the atlas's and the events', and a gap's or topic's own."""
    links = [(ATLAS_FEED, "Changes to the atlas"), (EVENTS_FEED, "Dated events")]
    own = own_feed(entry) if entry else None
    if entry and own:
        links.append((own, OWN_FEED_TITLES[entry.kind]))
    return links
