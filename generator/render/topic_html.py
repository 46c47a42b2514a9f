"""The topic sections of entry pages: a forum's or initiative's topics, and a topic's forums and initiatives.

A topic tag is a source's word that an entry deals with a topic, so both sides show
the quote and the source it comes from, as claims do.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from generator.kinds.model import Entry, TopicTag
from generator.link.atlas import Atlas
from generator.render.html_pieces import entry_link, label_cells, printed, source_ref
from generator.render.list_pages import actor_table
from generator.render.urls import relative_url

RELATIONS_PAGE = "relations.md"
TIMELINE_PAGE = "timeline.md"


def _table(columns: tuple[str, ...], rows: Iterable[str], css: str = "") -> str:
    head = "".join(f'<th scope="col">{column}</th>' for column in columns)
    body = "".join(f"{label_cells(row, columns)}\n" for row in rows)
    attribute = f' class="{css}"' if css else ""
    return f"<table{attribute}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def _evidence(entry: Entry, tag: TopicTag, here: str, directory_urls: bool) -> str:
    return f"<q>{printed(tag.evidence)}</q> {printed(source_ref(entry, tag.source, here, directory_urls))}"


def topic_tags(atlas: Atlas, entry: Entry, here: str, directory_urls: bool) -> str:
    """A forum's or initiative's topics, each with the words of the source that says so."""
    if not entry.topics:
        return ""
    rows = (
        f"<tr><td>{entry_link(atlas.entries[tag.topic], here, directory_urls)}</td><td>{_evidence(entry, tag, here, directory_urls)}</td></tr>"
        for tag in entry.topics
    )
    return f"## Topics\n\n{_table(('Topic', 'Evidence'), rows)}\n"


def synonyms(entry: Entry) -> str:
    """The other names of a topic, in the page's text, where search finds them."""
    if not entry.synonyms:
        return ""
    names = ", ".join(f"<span>{printed(name)}</span>" for name in entry.synonyms)
    return f'<p class="atlas-synonyms"><strong>Also known as</strong> {names}.</p>\n'


def tagged(atlas: Atlas, topic: Entry, here: str, directory_urls: bool) -> str:
    """A topic's forums and initiatives, filtered and sorted as the indexes are: who, pathway, status, the source's words, and the gaps each addresses."""
    entries = atlas.topic_entries(topic.id)
    graph = printed(relative_url(here, RELATIONS_PAGE, directory_urls, f"relations-{topic.id}"))
    timeline = printed(relative_url(here, TIMELINE_PAGE, directory_urls) + f"?topic={topic.id}")
    ways = f'<p class="atlas-ways">See it <a href="{graph}">among the relations of the atlas</a> and <a href="{timeline}">on the timeline</a>.</p>\n'
    out = ["## Forums and initiatives\n\n"]
    if not entries:
        out.append(f"<p>No forum or initiative in the atlas is tagged with this topic yet.</p>\n{ways}")
        return "".join(out) + "\n"
    forums = sum(1 for e in entries if e.kind == "forum")
    out.append(f"<p>{forums} {'forum' if forums == 1 else 'forums'} and {len(entries) - forums} "
               f"{'initiative' if len(entries) - forums == 1 else 'initiatives'} whose sources say they deal with it.</p>\n{ways}")

    def evidence(e: Entry) -> Markup:
        tag = next(t for t in e.topics if t.topic == topic.id)
        return Markup(_evidence(e, tag, here, directory_urls))

    out.append(actor_table(atlas, here, entries, directory_urls=directory_urls, extra=[("Evidence", evidence)], name="topic"))
    return "".join(out) + "\n"
