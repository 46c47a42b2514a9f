"""Link validated entries into the Atlas: index, backlinks, coverage and pathway members.

Everything here is derived in one pass over the entries with dictionaries, and
kept sorted, so the same entries always give the same atlas.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from generator.edition import NO_DATE, edition_date
from generator.kinds.declaration import KINDS, LEVELS
from generator.kinds.model import Case, Claim, Entry, Source


@dataclass(frozen=True)
class Backlink:
    """Another entry that refers to this one, and how (``related``, ``led_by``, ``pathway``, ``addresses``)."""

    entry: Entry
    relation: str


@dataclass(frozen=True)
class Coverage:
    """One coverage claim, with the entry that makes it."""

    entry: Entry
    claim: Claim


@dataclass(frozen=True)
class Illustration:
    """An entry that a source gives as a case of a gap: never coverage."""

    entry: Entry
    case: Case


@dataclass(frozen=True)
class Citation:
    """A source and every entry that cites it."""

    source: Source
    entries: tuple[Entry, ...]


@dataclass
class Atlas:
    """The linked atlas: every entry by id and kind, and what is derived from them."""

    entries: dict[str, Entry]
    by_kind: dict[str, list[Entry]]
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    coverage: dict[str, list[Coverage]] = field(default_factory=dict)
    members: dict[str, list[Entry]] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    cases: dict[str, list[Illustration]] = field(default_factory=dict)
    tagged: dict[str, list[Entry]] = field(default_factory=dict)  # topic id → the forums and initiatives tagged with it
    edition: dt.date = NO_DATE  # the edition's date (:func:`generator.edition.edition_date`)

    @property
    def gaps(self) -> list[Entry]:
        return self.by_kind["gap"]

    @property
    def pathways(self) -> list[Entry]:
        return self.by_kind["pathway"]

    @property
    def actors(self) -> list[Entry]:
        """Forums and initiatives: the entries that can address gaps."""
        return self.by_kind["forum"] + self.by_kind["initiative"]

    @property
    def topics(self) -> list[Entry]:
        return self.by_kind["topic"]

    def topic_entries(self, topic_id: str) -> list[Entry]:
        """The forums and initiatives tagged with a topic: forums first, each kind by name."""
        return self.tagged.get(topic_id, [])

    def coverage_by_level(self, gap_id: str) -> dict[str, list[Coverage]]:
        """The claims on a gap grouped by level, strongest first."""
        grouped: dict[str, list[Coverage]] = {level: [] for level in LEVELS}
        for item in self.coverage.get(gap_id, []):
            grouped[item.claim.level].append(item)
        return grouped

    @cached_property
    def _claims_by_pathway(self) -> dict[tuple[str | None, str], list[Coverage]]:
        claims: dict[tuple[str | None, str], list[Coverage]] = {}
        for gap_id, items in self.coverage.items():
            for item in items:  # strongest first, so the first claim of a pathway gives its level
                claims.setdefault((item.entry.pathway, gap_id), []).append(item)
        return claims

    def pathway_claims(self, pathway_id: str | None, gap_id: str) -> list[Coverage]:
        """The claims on a gap of a pathway's members (``None``: of entries without a pathway), strongest first."""
        return self._claims_by_pathway.get((pathway_id, gap_id), [])

    def pathway_level(self, pathway_id: str, gap_id: str) -> tuple[str | None, list[Coverage]]:
        """The strongest level at which a pathway's members address a gap, and the claims behind it."""
        claims = self.pathway_claims(pathway_id, gap_id)
        return (claims[0].claim.level if claims else None), claims

    @property
    def uncovered_gaps(self) -> list[Entry]:
        return [gap for gap in self.gaps if not self.coverage.get(gap.id)]

    @property
    def claim_count(self) -> int:
        return sum(len(items) for items in self.coverage.values())

    def counts(self) -> dict[str, int]:
        """The atlas's headline numbers, by kind and by what is counted."""
        claims = [c.claim for items in self.coverage.values() for c in items]
        numbers = {kind: len(entries) for kind, entries in self.by_kind.items()}
        numbers.update(
            entry=len(self.entries),
            claim=len(claims),
            named=sum(1 for c in claims if c.basis == "named"),
            category=sum(1 for c in claims if c.basis == "category"),
            case=sum(len(items) for items in self.cases.values()),
            uncovered=len(self.uncovered_gaps),
            source=len(self.citations),
        )
        return numbers


def sort_key(entry: Entry) -> tuple[str, str]:
    """Entries sort by name, case- and accent-insensitively enough for lists, then by id."""
    return (entry.name.casefold(), entry.id)


def link_atlas(entries: list[Entry], *, source_date_epoch: int | None = None) -> Atlas:
    """Build the atlas from valid entries (references are known to resolve).

    Its edition is dated by ``source_date_epoch`` when given, else by its latest review.
    """
    ordered = sorted(entries, key=sort_key)
    atlas = Atlas(
        entries={e.id: e for e in ordered},
        by_kind={kind: [e for e in ordered if e.kind == kind] for kind in KINDS},
        edition=edition_date((e.last_reviewed for e in ordered), source_date_epoch),
    )
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    coverage: dict[str, list[Coverage]] = defaultdict(list)
    members: dict[str, list[Entry]] = defaultdict(list)
    cases: dict[str, list[Illustration]] = defaultdict(list)
    tagged: dict[str, list[Entry]] = defaultdict(list)
    cited: dict[str, tuple[Source, list[Entry]]] = {}
    rank = {level: i for i, level in enumerate(LEVELS)}
    for entry in ordered:
        for target in entry.related:
            backlinks[target].append(Backlink(entry, "related"))
        for target in entry.led_by:
            backlinks[target].append(Backlink(entry, "led_by"))
        if entry.pathway:
            members[entry.pathway].append(entry)
        for claim in entry.addresses:
            coverage[claim.gap].append(Coverage(entry, claim))
        for case in entry.illustrates:
            cases[case.gap].append(Illustration(entry, case))
        for tag in entry.topics:
            tagged[tag.topic].append(entry)
        for source in entry.sources:
            known = cited.setdefault(source.key, (source, []))
            if not known[1] or known[1][-1] is not entry:
                known[1].append(entry)
    for items in coverage.values():
        items.sort(key=lambda c: (rank[c.claim.level], c.claim.basis != "named", sort_key(c.entry)))
    atlas.backlinks = {k: _dedupe(v) for k, v in sorted(backlinks.items())}
    atlas.coverage = dict(sorted(coverage.items()))
    atlas.members = dict(sorted(members.items()))
    atlas.cases = dict(sorted(cases.items()))
    kind_rank = {kind: i for i, kind in enumerate(KINDS)}
    atlas.tagged = {k: sorted(v, key=lambda e: (kind_rank[e.kind], *sort_key(e))) for k, v in sorted(tagged.items())}
    atlas.citations = sorted(
        (Citation(source, tuple(users)) for source, users in cited.values()),
        key=lambda c: (c.source.title.casefold(), c.source.key),
    )
    return atlas


def _dedupe(links: list[Backlink]) -> list[Backlink]:
    """One backlink per referring entry, naming every relation it has."""
    merged: dict[str, Backlink] = {}
    for link in links:
        if link.entry.id in merged:
            previous = merged[link.entry.id]
            merged[link.entry.id] = Backlink(link.entry, f"{previous.relation}, {link.relation}")
        else:
            merged[link.entry.id] = link
    return sorted(merged.values(), key=lambda b: sort_key(b.entry))
