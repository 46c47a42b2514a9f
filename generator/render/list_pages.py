"""The pages that list the atlas: kind indexes, coverage matrices, sources, redirects, the field reference."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from generator.kinds.declaration import CASE, CLAIM, FACT_CHECK, HISTORY, KINDS, MEMBERSHIP, SOURCE, Kind
from generator.kinds.fields import Field, ListOf, Record
from generator.kinds.model import Entry
from generator.link.atlas import Coverage
from generator.render.context import RenderContext
from generator.render.html_pieces import basis_counts, claim_badge, entry_link
from generator.render.page import COVERAGE_INDEX, FIELDS, FULL_MATRIX, PATHWAY_MATRIX, SOURCES, WIDE, Page
from generator.render.paging import chunks, paginate
from generator.render.text import markdown_inline
from generator.render.urls import entry_page


def other_pages(context: RenderContext) -> list[Page]:
    """Every generated page but the entries' own: redirects, indexes, coverage, sources and fields."""
    entries = context.atlas.entries.values()
    pages = [page for e in entries for page in redirect_pages(context, e)]
    pages += [page for kind in KINDS.values() for page in kind_index(context, kind)]
    pages += coverage_pages(context)
    pages += [*sources_pages(context), fields_page(context)]
    return pages


def kind_index(context: RenderContext, kind: Kind) -> list[Page]:
    first = f"{kind.folder}/index.md"
    columns, cells = index_columns(context, kind)
    pages = []
    for path, entries, pager in paginate(
        context.atlas.by_kind[kind.name], context.limits.index_rows, first, lambda n: f"{kind.folder}/index/{n}.md"
    ):
        markdown = context.render(
            "kind_index.md.j2", path, kind=kind, entries=entries, total=len(context.atlas.by_kind[kind.name]),
            columns=columns, row_cells=cells, pager=pager,
        )
        pages.append(Page(path, markdown, kind.title + pager.title_suffix, meta=WIDE))
    return pages


def index_columns(context: RenderContext, kind: Kind) -> tuple[list[str], Any]:
    """Column labels and a function giving a row's cells (on the page at ``here``), by kind."""
    def link(here: str, entry_id: str | None) -> Markup:
        if not entry_id:
            return Markup("—")
        target = context.atlas.entries[entry_id]
        return entry_link(target, here, context.directory_urls, target.short_label)

    def gaps(entry: Entry) -> Markup:
        return Markup("").join(
            Markup('<span class="atlas-line atlas-claim--{}">{} {}</span>').format(c.basis, context.atlas.entries[c.gap].name, claim_badge(c))
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
            basis_counts(context.atlas.coverage[e.id]) if context.atlas.coverage.get(e.id) else Markup("<strong>0 — uncovered</strong>")]
    return ["Summary", "Members"], lambda here, e: [summary(here, e), len(context.atlas.members.get(e.id, []))]


def coverage_pages(context: RenderContext) -> list[Page]:
    """The coverage summary, the pathway × gap matrix, the full matrix and, for long lists, their parts.

    ``columns_per_table`` (print) splits the matrices into tables of that many
    gap columns, and the full matrix into one table per pathway, so no column
    is cut and no table grows with the whole atlas.
    """
    atlas = context.atlas
    gap_chunks = chunks(atlas.gaps, context.columns_per_table)
    by_pathway: dict[tuple[str | None, str], list[Coverage]] = {}
    for gap_id, items in atlas.coverage.items():
        for item in items:  # strongest first, so the first claim per pathway gives its level
            by_pathway.setdefault((item.entry.pathway, gap_id), []).append(item)
    groups = context.matrix_groups()
    rows = [
        {"pathway": g["pathway"], "cells": {
            gap.id: by_pathway.get((g["pathway"].id if g["pathway"] else None, gap.id), []) for gap in atlas.gaps}}
        for g in groups if g["pathway"] is not None or g["entries"]
    ]
    groups = [g for g in groups if g["entries"]]
    pages = [
        Page(COVERAGE_INDEX, context.render("coverage_index.md.j2", COVERAGE_INDEX), "Coverage", meta=WIDE),
        Page(PATHWAY_MATRIX, context.render("pathway_matrix.md.j2", PATHWAY_MATRIX, rows=rows, gap_chunks=gap_chunks), "Pathways × gaps", meta=WIDE),
    ]
    if not context.matrix_split():
        markdown = context.render("full_matrix.md.j2", FULL_MATRIX, groups=groups, gap_chunks=gap_chunks,
                               split_groups=context.columns_per_table is not None, part=None)
        pages.append(Page(FULL_MATRIX, markdown, "Full matrix", meta=WIDE))
    else:
        paths = context.matrix_paths
        pages.append(Page(FULL_MATRIX, context.render("matrix_overview.md.j2", FULL_MATRIX, groups=groups, paths=paths), "Full matrix", meta=WIDE))
        for group in groups:
            key = group["pathway"].id if group["pathway"] else None
            for path, entries, pager in paginate(group["entries"], context.limits.matrix_rows, paths[key][0],
                                                 lambda n, key=key: paths[key][n - 1]):
                part = {**group, "entries": entries}
                title = f"Full matrix: {group['pathway'].name if group['pathway'] else 'no pathway'}{pager.title_suffix}"
                markdown = context.render("full_matrix.md.j2", path, groups=[part], gap_chunks=gap_chunks,
                                       split_groups=False, part={"title": title, "pager": pager})
                pages.append(Page(path, markdown, str(escape(title)), meta=WIDE))
    for gap in atlas.gaps:
        first = context.gap_coverage_path(gap)
        if first is None:
            continue
        claims = atlas.coverage.get(gap.id, [])
        for path, items, pager in paginate(claims, context.limits.matrix_rows, first,
                                           lambda n, gap_id=gap.id: f"coverage/gaps/{gap_id}/{n}.md"):
            markdown = context.render("gap_coverage.md.j2", path, gap=gap, items=items, pager=pager, total=len(claims), all_items=claims)
            pages.append(Page(path, markdown, str(escape(f"Who addresses {gap.name}{pager.title_suffix}")), meta=WIDE))
    return pages


def sources_pages(context: RenderContext) -> list[Page]:
    citations = context.atlas.citations
    pages = []
    for path, run, pager in paginate(citations, context.limits.index_rows, SOURCES, lambda n: f"sources/{n}.md"):
        markdown = context.render("sources.md.j2", path, citations=run, total=len(citations), pager=pager)
        pages.append(Page(path, markdown, "Sources" + pager.title_suffix, meta=WIDE))
    return pages


def redirect_pages(context: RenderContext, entry: Entry) -> list[Page]:
    """A page at each former id of the entry, sending readers on to its page."""
    pages = []
    target = entry_page(entry.kind, entry.id)
    for alias in entry.aliases:
        path = entry_page(entry.kind, alias)
        markdown = context.render("redirect.md.j2", path, entry=entry, target=target)
        pages.append(Page(path, markdown, str(escape(entry.label)), None, {"search": {"exclude": True}}))
    return pages


def fields_page(context: RenderContext) -> Page:
    """The field reference, from the declaration of the kinds."""
    records = [SOURCE, CLAIM, CASE, HISTORY, MEMBERSHIP, FACT_CHECK]
    markdown = context.render(
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
