"""The Review queue page: the entries due for review, oldest first, with what depends on each."""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.link.review_queue import review_queue
from generator.render.context import RenderContext
from generator.render.html_pieces import SEARCH_END, data_table, entry_link
from generator.render.page import REVIEW_DUE_DAYS, Page

REVIEW_QUEUE = "review.md"
HEADER = ("Entry", "Kind", "Last reviewed", "Days before the edition", "What depends on it")


def review_page(context: RenderContext) -> Page:
    """The queue relative to the edition date; ``python -m generator check --due`` prints the same list."""
    atlas, here, urls = context.atlas, REVIEW_QUEUE, context.directory_urls
    queue = review_queue(atlas, REVIEW_DUE_DAYS)
    lines = [
        "# Review queue",
        "",
        f"Entries last reviewed more than {REVIEW_DUE_DAYS} days before the edition date, {atlas.edition.isoformat()}, oldest first, "
        "with the entries that show their facts or claims. Reviewing an entry means checking each fact and claim against its "
        "sources and updating `last_reviewed`. `python -m generator check --due` prints the same list.",
        "",
        SEARCH_END,
        "",
    ]
    if not queue:
        lines.append(f'<p class="atlas-no-claim">No entry is due: each was reviewed within {REVIEW_DUE_DAYS} days of the edition date.</p>')
        return Page(here, "\n".join(lines) + "\n", "Review queue", meta={"search": {"exclude": True}})
    rows: list[list[object]] = []
    for due in queue:
        entry = due.entry
        depends = Markup("<br>").join(
            Markup("{}: {}").format(way.how, Markup(", ").join(entry_link(e, here, urls) for e in way.entries)) for way in due.dependents
        ) or Markup("—")
        rows.append([entry_link(entry, here, urls), escape(entry.kind), escape(entry.last_reviewed.isoformat()), f"{due.age_days:,}", depends])
    caption = f"{len(queue):,} {'entry' if len(queue) == 1 else 'entries'} due for review"
    lines.append(data_table("atlas-review", caption, HEADER, rows))
    return Page(here, "\n".join(lines) + "\n", "Review queue", meta={"search": {"exclude": True}})
