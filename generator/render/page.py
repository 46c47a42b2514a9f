"""What rendering makes: pages in memory, the limits on their length, and an entry's freshness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from generator.kinds.model import Entry
from generator.render.urls import entry_page

REVIEW_DUE_DAYS = 365
STALE_DAYS = 730

COVERAGE_INDEX = "coverage/index.md"
PATHWAY_MATRIX = "coverage/pathways.md"
FULL_MATRIX = "coverage/matrix.md"
SOURCES = "sources.md"
FIELDS = "fields.md"
TIMELINE = "timeline.md"
WIDE = {"hide": ["toc"]}  # pages of wide tables give the table-of-contents column to the table


@dataclass(frozen=True)
class Limits:
    """How long a list may grow on one page before it is split or cut short (None: never).

    The site uses the defaults; the PDF uses its own (``generator.pdf.book.PRINT_LIMITS``):
    shorter parts, and every claim and member on the gap and pathway pages.
    """

    index_rows: int | None = 500  # rows of a kind's index and of the sources list, per page
    matrix_rows: int | None = 250  # forums and initiatives per page of the full matrix; claims per page of a gap's coverage
    claims_per_level: int | None = 25  # claims of each level shown on a gap's own page
    members_shown: int | None = 50  # members listed on a pathway's own page
    names_per_cell: int | None = 5  # entries named in one cell before "and N more"
    timeline_events: int | None = 2000  # events on one page of the timeline (whole years: a longer year has a page of its own)


@dataclass(frozen=True)
class Page:
    """A generated page: its Markdown, an HTML-safe title, and the entry file it came from."""

    path: str
    markdown: str
    title: str
    entry: Entry | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def entry_page_of(entry: Entry, markdown: str) -> Page:
    """An entry's page, with its Markdown."""
    return Page(entry_page(entry.kind, entry.id), markdown, str(escape(entry.label)), entry)


@dataclass(frozen=True)
class Freshness:
    """How recently an entry was reviewed, relative to the edition date."""

    state: str
    label: str
    explain: str

def freshness(entry: Entry, edition: dt.date) -> Freshness:
    """``current`` within a year of the edition, ``review due`` within two, ``stale`` after."""
    age = (edition - entry.last_reviewed).days
    if age > STALE_DAYS:
        return Freshness("stale", "stale", f"last reviewed {age} days before this edition; its facts may be out of date")
    if age > REVIEW_DUE_DAYS:
        return Freshness("due", "review due", f"last reviewed {age} days before this edition")
    return Freshness("current", "current", "reviewed within a year of this edition")
