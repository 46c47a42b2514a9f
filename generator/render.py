"""Render the atlas to Markdown pages held in memory (docs path → page).

Templates live in ``generator/templates``. Entry text never becomes template
source: it arrives in the context as data and is auto-escaped, or rendered by
:mod:`generator.text` into sanitised HTML. The pages mix trusted Markdown
headings with raw HTML blocks that MkDocs passes through untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from generator.edition import epoch_date, source_date_epoch
from generator.entry_html import EntryContext, EntryPage
from generator.fields import Field, ListOf, Record
from generator.forked import forked_map
from generator.html_pieces import basis_counts, claim_badge, entry_link, external, fact_refs
from generator.kinds import CASE, CLAIM, FACT_CHECK, HISTORY, KINDS, MEMBERSHIP, SOURCE, Kind
from generator.link import Atlas, Coverage, sort_key
from generator.model import Entry
from generator.page_cache import PageCache
from generator.templating import environment
from generator.paging import chunks, paginate
from generator.text import markdown_inline
from generator.urls import entry_page

REVIEW_DUE_DAYS = 365
STALE_DAYS = 730

COVERAGE_INDEX = "coverage/index.md"
PATHWAY_MATRIX = "coverage/pathways.md"
FULL_MATRIX = "coverage/matrix.md"
SOURCES = "sources.md"
FIELDS = "fields.md"
WIDE = {"hide": ["toc"]}  # pages of wide tables give the table-of-contents column to the table


@dataclass(frozen=True)
class Limits:
    """How long a list may grow on one page before it is split or cut short (None: never).

    The site uses the defaults; the PDF uses its own (``generator.pdf.PRINT_LIMITS``):
    shorter parts, and every claim and member on the gap and pathway pages.
    """

    index_rows: int | None = 500  # rows of a kind's index and of the sources list, per page
    matrix_rows: int | None = 250  # forums and initiatives per page of the full matrix; claims per page of a gap's coverage
    claims_per_level: int | None = 25  # claims of each level shown on a gap's own page
    members_shown: int | None = 50  # members listed on a pathway's own page
    names_per_cell: int | None = 5  # entries named in one cell before "and N more"


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


def edition_date(atlas: Atlas) -> dt.date:
    """The date of this edition: SOURCE_DATE_EPOCH when set, else the latest review in the atlas."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch_date(epoch)
    reviewed = [e.last_reviewed for e in atlas.entries.values()]
    return max(reviewed) if reviewed else dt.date(1970, 1, 1)


def edition_epoch(atlas: Atlas) -> int:
    """The edition date as seconds since 1970 (midnight UTC)."""
    day = edition_date(atlas)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def freshness(entry: Entry, edition: dt.date) -> Freshness:
    """``current`` within a year of the edition, ``review due`` within two, ``stale`` after."""
    age = (edition - entry.last_reviewed).days
    if age > STALE_DAYS:
        return Freshness("stale", "stale", f"last reviewed {age} days before this edition; its facts may be out of date")
    if age > REVIEW_DUE_DAYS:
        return Freshness("due", "review due", f"last reviewed {age} days before this edition")
    return Freshness("current", "current", "reviewed within a year of this edition")


class Renderer:
    """Renders pages of one atlas; holds what every page shares."""

    def __init__(
        self, atlas: Atlas, *, directory_urls: bool = True, columns_per_table: int | None = None, limits: Limits = Limits(),
        cache: PageCache | None = None,
    ) -> None:
        self.atlas = atlas
        self.directory_urls = directory_urls
        self.columns_per_table = columns_per_table
        self.limits = limits
        self.edition = edition_date(atlas)
        self.env = environment()
        self.cache = cache

    def render(self, template: str, here: str, **context: Any) -> str:
        text = self.env.get_template(template).render(
            here=here, atlas=self.atlas, directory_urls=self.directory_urls, limits=self.limits, **context
        )
        return re.sub(r"\n{3,}", "\n\n", text)

    def entry_page(self, entry: Entry) -> Page:
        """An entry's page; from the cache when it has one for the same entries (forums and initiatives)."""
        if self.cache is None or entry.kind in ("gap", "pathway"):
            return self._entry_page(entry)
        entries = self.atlas.entries
        backlinks = self.atlas.backlinks.get(entry.id, [])
        shown = [
            entry, *(entries[i] for i in (entry.pathway, *entry.led_by, *entry.related) if i),
            *(entries[c.gap] for c in entry.addresses), *(b.entry for b in backlinks),
        ]
        settings = (self.edition, self.directory_urls, self.limits, self.columns_per_table, tuple(b.relation for b in backlinks))
        return self.cache.page(entry_page(entry.kind, entry.id), shown, settings, lambda: self._entry_page(entry))

    def _entry_page(self, entry: Entry) -> Page:
        return entry_page_of(entry, self._entry_markdown(entry))

    def _entry_markdown(self, entry: Entry) -> str:
        context = EntryContext(
            kind_name=KINDS[entry.kind].name,
            facts=self.facts(entry, entry_page(entry.kind, entry.id)),
            fresh=freshness(entry, self.edition),
            backlinks=self.atlas.backlinks.get(entry.id, []),
            full_coverage=self.gap_coverage_path(entry) if entry.kind == "gap" else None,
            members_page=self.members_path(entry) if entry.kind == "pathway" else None,
        )
        return EntryPage(self.atlas, entry, context, directory_urls=self.directory_urls, limits=self.limits).markdown()

    def entry_markdown(self, entries: Sequence[Entry]) -> list[str]:
        """The Markdown of each entry's page, in order."""
        return [self._entry_markdown(entry) for entry in entries]

    def other_pages(self) -> list[Page]:
        """Every generated page but the entries' own: redirects, indexes, coverage, sources and fields."""
        entries = self.atlas.entries.values()
        pages = [page for e in entries for page in self.redirect_pages(e)]
        pages += [page for kind in KINDS.values() for page in self.kind_index(kind)]
        pages += self.coverage_pages()
        pages += [*self.sources_pages(), self.fields_page()]
        return pages

    def gap_coverage_path(self, gap: Entry) -> str | None:
        """Where every claim on a gap is listed, when its own page shows only some of them."""
        shown = self.limits.claims_per_level
        grouped = self.atlas.coverage_by_level(gap.id)
        if shown is None or all(len(items) <= shown for items in grouped.values()):
            return None
        return f"coverage/gaps/{gap.id}.md"

    def members_path(self, pathway: Entry) -> str | None:
        """Where every member of a pathway is listed, when its own page shows only some of them."""
        shown = self.limits.members_shown
        if shown is None or len(self.atlas.members.get(pathway.id, [])) <= shown:
            return None
        return self.matrix_paths[pathway.id][0] if self.matrix_split() else FULL_MATRIX

    def facts(self, entry: Entry, here: str) -> list[tuple[str, Markup]]:
        """The facts box: label → HTML with the numbers of the sources that support it, for the fields the entry has."""
        def link(target_id: str) -> Markup:
            return entry_link(self.atlas.entries[target_id], here, self.directory_urls)

        values: list[tuple[str, Markup]] = []
        if entry.acronym:
            values.append(("acronym", escape(entry.acronym)))
        if entry.pathway:
            values.append(("pathway", link(entry.pathway)))
        if entry.status:
            values.append(("status", escape(entry.status)))
        if entry.led_by:
            values.append(("led_by", Markup(", ").join(link(i) for i in entry.led_by)))
        if entry.established:
            values.append(("established", escape(str(entry.established))))
        if entry.started:
            values.append(("started", escape(entry.started)))
        if entry.seat:
            values.append(("seat", escape(entry.seat)))
        if entry.membership:
            m = entry.membership
            text = f"{m.count:,}" + (f" {m.note}" if m.note else "") + (f" (as of {m.as_of.isoformat()})" if m.as_of else "")
            values.append(("membership", escape(text)))
        fields = KINDS[entry.kind].record.by_name
        rows = [(fields[name].fact or name, value + fact_refs(entry, name, here, self.directory_urls)) for name, value in values]
        if entry.website:
            rows.append(("Website", external(entry.website, entry.website)))
        return rows

    def kind_index(self, kind: Kind) -> list[Page]:
        first = f"{kind.folder}/index.md"
        columns, cells = self.index_columns(kind)
        pages = []
        for path, entries, pager in paginate(
            self.atlas.by_kind[kind.name], self.limits.index_rows, first, lambda n: f"{kind.folder}/index/{n}.md"
        ):
            markdown = self.render(
                "kind_index.md.j2", path, kind=kind, entries=entries, total=len(self.atlas.by_kind[kind.name]),
                columns=columns, row_cells=cells, pager=pager,
            )
            pages.append(Page(path, markdown, kind.title + pager.title_suffix, meta=WIDE))
        return pages

    def index_columns(self, kind: Kind) -> tuple[list[str], Any]:
        """Column labels and a function giving a row's cells (on the page at ``here``), by kind."""
        def link(here: str, entry_id: str | None) -> Markup:
            if not entry_id:
                return Markup("—")
            target = self.atlas.entries[entry_id]
            return entry_link(target, here, self.directory_urls, target.short_label)

        def gaps(entry: Entry) -> Markup:
            return Markup("").join(
                Markup('<span class="atlas-line atlas-claim--{}">{} {}</span>').format(c.basis, self.atlas.entries[c.gap].name, claim_badge(c))
                for c in entry.addresses
            ) or Markup("—")

        summary = lambda here, e: markdown_inline(e.summary)  # noqa: E731
        if kind.name == "forum":
            return ["Acronym", "Pathway", "Established", "Seat", "Gaps addressed"], lambda here, e: [
                e.acronym or "—", link(here, e.pathway), e.established or "—", e.seat or "—", gaps(e)]
        if kind.name == "initiative":
            return ["Acronym", "Pathway", "Status", "Led by", "Gaps addressed"], lambda here, e: [
                e.acronym or "—", link(here, e.pathway), e.status or "—",
                Markup(", ").join(link(here, i) for i in e.led_by) or Markup("—"), gaps(e)]
        if kind.name == "gap":
            return ["Summary", "Claims"], lambda here, e: [
                summary(here, e),
                basis_counts(self.atlas.coverage[e.id]) if self.atlas.coverage.get(e.id) else Markup("<strong>0 — uncovered</strong>")]
        return ["Summary", "Members"], lambda here, e: [summary(here, e), len(self.atlas.members.get(e.id, []))]

    def matrix_groups(self) -> list[dict[str, Any]]:
        """Forums and initiatives grouped by pathway (those without one last), with their slug."""
        atlas = self.atlas
        groups = [{"pathway": p, "slug": p.id, "entries": atlas.members.get(p.id, [])} for p in atlas.pathways]
        unassigned = sorted((e for e in atlas.actors if not e.pathway), key=sort_key)
        if unassigned:
            groups.append({"pathway": None, "slug": "_none", "entries": unassigned})  # "_" is never in an id
        return groups

    def matrix_split(self) -> bool:
        """Whether the full matrix is too long for one page and goes one page per pathway (and part)."""
        rows = self.limits.matrix_rows
        return rows is not None and len(self.atlas.actors) > rows

    @cached_property
    def matrix_paths(self) -> dict[str | None, tuple[str, ...]]:
        """The docs paths of each pathway's pages of the full matrix (key None: no pathway)."""
        paths: dict[str | None, tuple[str, ...]] = {}
        for group in self.matrix_groups():
            key = group["pathway"].id if group["pathway"] else None
            pages = paginate(group["entries"], self.limits.matrix_rows, f"coverage/matrix/{group['slug']}.md",
                             lambda n, slug=group["slug"]: f"coverage/matrix/{slug}/{n}.md")
            paths[key] = pages[0][2].paths
        return paths

    def coverage_pages(self) -> list[Page]:
        """The coverage summary, the pathway × gap matrix, the full matrix and, for long lists, their parts.

        ``columns_per_table`` (print) splits the matrices into tables of that many
        gap columns, and the full matrix into one table per pathway, so no column
        is cut and no table grows with the whole atlas.
        """
        atlas = self.atlas
        gap_chunks = chunks(atlas.gaps, self.columns_per_table)
        by_pathway: dict[tuple[str | None, str], list[Coverage]] = {}
        for gap_id, items in atlas.coverage.items():
            for item in items:  # strongest first, so the first claim per pathway gives its level
                by_pathway.setdefault((item.entry.pathway, gap_id), []).append(item)
        groups = self.matrix_groups()
        rows = [
            {"pathway": g["pathway"], "cells": {
                gap.id: by_pathway.get((g["pathway"].id if g["pathway"] else None, gap.id), []) for gap in atlas.gaps}}
            for g in groups if g["pathway"] is not None or g["entries"]
        ]
        groups = [g for g in groups if g["entries"]]
        pages = [
            Page(COVERAGE_INDEX, self.render("coverage_index.md.j2", COVERAGE_INDEX), "Coverage", meta=WIDE),
            Page(PATHWAY_MATRIX, self.render("pathway_matrix.md.j2", PATHWAY_MATRIX, rows=rows, gap_chunks=gap_chunks), "Pathways × gaps", meta=WIDE),
        ]
        if not self.matrix_split():
            markdown = self.render("full_matrix.md.j2", FULL_MATRIX, groups=groups, gap_chunks=gap_chunks,
                                   split_groups=self.columns_per_table is not None, part=None)
            pages.append(Page(FULL_MATRIX, markdown, "Full matrix", meta=WIDE))
        else:
            paths = self.matrix_paths
            pages.append(Page(FULL_MATRIX, self.render("matrix_overview.md.j2", FULL_MATRIX, groups=groups, paths=paths), "Full matrix", meta=WIDE))
            for group in groups:
                key = group["pathway"].id if group["pathway"] else None
                for path, entries, pager in paginate(group["entries"], self.limits.matrix_rows, paths[key][0],
                                                     lambda n, key=key: paths[key][n - 1]):
                    part = {**group, "entries": entries}
                    title = f"Full matrix: {group['pathway'].name if group['pathway'] else 'no pathway'}{pager.title_suffix}"
                    markdown = self.render("full_matrix.md.j2", path, groups=[part], gap_chunks=gap_chunks,
                                           split_groups=False, part={"title": title, "pager": pager})
                    pages.append(Page(path, markdown, str(escape(title)), meta=WIDE))
        for gap in atlas.gaps:
            first = self.gap_coverage_path(gap)
            if first is None:
                continue
            claims = atlas.coverage.get(gap.id, [])
            for path, items, pager in paginate(claims, self.limits.matrix_rows, first,
                                               lambda n, gap_id=gap.id: f"coverage/gaps/{gap_id}/{n}.md"):
                markdown = self.render("gap_coverage.md.j2", path, gap=gap, items=items, pager=pager, total=len(claims), all_items=claims)
                pages.append(Page(path, markdown, str(escape(f"Who addresses {gap.name}{pager.title_suffix}")), meta=WIDE))
        return pages

    def sources_pages(self) -> list[Page]:
        citations = self.atlas.citations
        pages = []
        for path, run, pager in paginate(citations, self.limits.index_rows, SOURCES, lambda n: f"sources/{n}.md"):
            markdown = self.render("sources.md.j2", path, citations=run, total=len(citations), pager=pager)
            pages.append(Page(path, markdown, "Sources" + pager.title_suffix, meta=WIDE))
        return pages

    def redirect_pages(self, entry: Entry) -> list[Page]:
        """A page at each former id of the entry, sending readers on to its page."""
        pages = []
        target = entry_page(entry.kind, entry.id)
        for alias in entry.aliases:
            path = entry_page(entry.kind, alias)
            markdown = self.render("redirect.md.j2", path, entry=entry, target=target)
            pages.append(Page(path, markdown, str(escape(entry.label)), None, {"search": {"exclude": True}}))
        return pages

    def fields_page(self) -> Page:
        """The field reference, from the declaration of the kinds."""
        records = [SOURCE, CLAIM, CASE, HISTORY, MEMBERSHIP, FACT_CHECK]
        markdown = self.render(
            "fields.md.j2", FIELDS, kinds=list(KINDS.values()), records=records,
            type_label=_type_label, example=lambda f: json.dumps(f.example, ensure_ascii=False) if not isinstance(f.example, str) else f.example,
        )
        return Page(FIELDS, markdown, "Fields")


def _type_label(field: Field) -> str:
    kind = field.type
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        return f"list of {kind.item.label.removeprefix('a ')} (below)"
    if isinstance(kind, Record):
        return f"{kind.label} (below)"
    return kind.label


def render_pages(
    atlas: Atlas, *, directory_urls: bool = True, columns_per_table: int | None = None, limits: Limits = Limits(),
    cache: PageCache | None = None,
) -> dict[str, Page]:
    """Every generated page of the atlas, by docs path, in a stable order.

    ``columns_per_table`` splits the coverage matrices for paper (see
    :meth:`Renderer.coverage_pages`); ``limits`` bounds how much one page lists;
    ``cache`` keeps entry pages across the rebuilds of a preview.
    """
    renderer = Renderer(atlas, directory_urls=directory_urls, columns_per_table=columns_per_table, limits=limits, cache=cache)
    entries = list(atlas.entries.values())
    if cache is not None:  # a preview re-renders few pages, and its server's threads rule out forking
        pages = [renderer.entry_page(e) for e in entries]
        cache.keep_only({page.path for page in pages})
        pages += renderer.other_pages()
    else:  # entry pages are rendered by forked workers on large atlases, while this process does the rest
        job = lambda chunk: renderer.entry_markdown([entries[i] for i in chunk])  # noqa: E731 (workers get indexes, not entries)
        with forked_map(job, range(len(entries))) as entry_markdown:
            pages = renderer.other_pages()
            pages += [entry_page_of(e, markdown) for e, markdown in zip(entries, entry_markdown(), strict=True)]
    return {page.path: page for page in sorted(pages, key=lambda p: p.path)}
