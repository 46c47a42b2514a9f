"""The typed entries that validation produces and the rest of the core uses.

Their fields follow the declaration in :mod:`generator.kinds.declaration`; a test
(tests/kinds/test_declaration.py) says what to add or change here when it grows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """A cited source: a web page (``url``) or a document shipped with the atlas (``document``)."""

    title: str
    url: str | None = None
    document: str | None = None
    publisher: str | None = None
    date: str | None = None
    accessed: dt.date | None = None
    supports: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What identifies the source across entries: its URL or ``document:NAME``."""
        return self.url or f"document:{self.document}"


@dataclass(frozen=True)
class Claim:
    """A claim that an entry addresses a gap, at a level, with evidence and who says so.

    ``basis`` is ``named`` when the source says it of this entry, ``category`` when it
    says it of a group (``category``) that the source ``category_source`` shows the entry belongs to.
    """

    gap: str
    level: str
    basis: str
    evidence: str
    source: str
    note: str | None = None
    category: str | None = None
    category_source: str | None = None


@dataclass(frozen=True)
class Case:
    """An entry that a source gives as a case of a gap: it illustrates the gap, never fills it."""

    gap: str
    note: str
    evidence: str
    source: str


@dataclass(frozen=True)
class TopicTag:
    """A source's word that an entry deals with a topic: the topic, the quote and the source."""

    topic: str
    evidence: str
    source: str


@dataclass(frozen=True)
class HistoryEvent:
    """A dated event in an entry's history."""

    date: str
    event: str
    source: str | None = None


@dataclass(frozen=True)
class Membership:
    """How many members a forum has, as of when."""

    count: int
    as_of: dt.date | None = None
    note: str | None = None

    @property
    def text(self) -> str:
        """``104 Member States (as of 2025-06-25)``."""
        return f"{self.count:,}" + (f" {self.note}" if self.note else "") + (f" (as of {self.as_of.isoformat()})" if self.as_of else "")


@dataclass(frozen=True)
class FactCheck:
    """Where the sources disagree with, or cannot confirm, a claim of the founding brief."""

    claim: str
    finding: str
    source: str | None = None


@dataclass
class Entry:
    """One validated entry of any kind; fields its kind lacks stay empty."""

    id: str
    kind: str
    name: str
    summary: str
    sources: list[Source]
    last_reviewed: dt.date
    path: str = field(default="", metadata={"undeclared": "the file it was read from, set by validation"})
    acronym: str | None = None
    description: str | None = None
    related: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    history: list[HistoryEvent] = field(default_factory=list)
    fact_checks: list[FactCheck] = field(default_factory=list)
    type: str | None = None
    pathway: str | None = None
    established: int | None = None
    seat: str | None = None
    membership: Membership | None = None
    website: str | None = None
    topics: list[TopicTag] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    addresses: list[Claim] = field(default_factory=list)
    illustrates: list[Case] = field(default_factory=list)
    coverage_note: str | None = None
    status: str | None = None
    led_by: list[str] = field(default_factory=list)
    started: str | None = None

    @property
    def label(self) -> str:
        """The name with its acronym, as shown in lists: ``Committee on … (COPUOS)``."""
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_label(self) -> str:
        """The acronym where there is one, else the name: for table headers."""
        return self.acronym or self.name
