"""The pages that list the atlas: kind indexes, coverage matrices, sources, redirects, the field reference."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial

from markupsafe import Markup, escape

from generator.kinds.declaration import (
    CLAIMS_COLUMN,
    GAPS_ADDRESSED_COLUMN,
    KINDS,
    MEMBERS_COLUMN,
    STATUSES,
    TAGGED_COLUMN,
    Kind,
)
from generator.kinds.fields import Field, ListOf, Record
from generator.kinds.model import Entry
from generator.link.atlas import Atlas, Citation
from generator.render.context import RenderContext
from generator.render.contexts import (
    CoverageIndexContext,
    FieldsContext,
    FullMatrixContext,
    GapCoverageContext,
    MatrixOverviewContext,
    MatrixPart,
    PathwayMatrixContext,
    PathwayRow,
    RedirectContext,
    SourcesContext,
)
from generator.render.field_html import ValueHtml
from generator.render.graph_page import relations_page
from generator.render.html_pieces import basis_counts, claim_badge, entry_link, source_html
from generator.render.page import COVERAGE_INDEX, FIELDS, FULL_MATRIX, PATHWAY_MATRIX, SOURCES, WIDE, Page
from generator.render.page_cache import KEPT_KINDS, entries_shown
from generator.render.paging import Pager, chunks, paginate
from generator.render.review_page import review_page
from generator.render.table_facets import Column, FacetTable, entry_facets, kind_facet_keys, sort_number, source_facets, token
from generator.render.timeline_page import timeline_pages
from generator.render.urls import entry_page
from generator.render.whats_new import whats_new_pages


def other_pages(context: RenderContext) -> list[Page]:
    """Every generated page but the entries' own: redirects, indexes, coverage, sources, fields, timeline, relations, what's new, review queue."""
    entries = context.atlas.entries.values()
    pages = [page for e in entries for page in redirect_pages(context, e)]
    pages += [page for kind in KINDS.values() for page in kind_index(context, kind)]
    pages += coverage_pages(context)
    pages += [*sources_pages(context), fields_page(context), *timeline_pages(context), relations_page(context)]
    pages += [*whats_new_pages(context), review_page(context)]
    return pages


def kind_index(context: RenderContext, kind: Kind) -> list[Page]:
    """A kind's index: a row per entry, in the columns the kind declares, over as many pages as it takes."""
    first = f"{kind.folder}/index.md"
    atlas = context.atlas
    labels, cells = index_columns(context, kind)
    columns = [Column("name", "Name"), *(_index_column(atlas, n, label) for n, label in zip(kind.index_columns, labels, strict=True))]
    pages = []
    for path, entries, pager in paginate(atlas.by_kind[kind.name], context.limits.index_rows, first, lambda n: f"{kind.folder}/index/{n}.md"):
        row = partial(_index_row, cells, path, context.directory_urls)
        facets = entry_facets(atlas, kind_facet_keys(kind), entries)
        table = FacetTable(
            kind.folder, kind.folder, columns, row, facets, entries, "name", _split_note(pager, len(entries), kind.folder),
            kept_row=_kept_index_row(context, path) if kind.name in KEPT_KINDS else None,
        )
        markdown = context.render(
            "kind_index.md.j2", path, kind=kind, entries=entries, total=len(atlas.by_kind[kind.name]),
            table=table, pager=pager, claims_legend=any(c in _CLAIM_COLUMNS for c in kind.index_columns),
        )
        pages.append(Page(path, markdown, kind.title + pager.title_suffix, meta=WIDE))
    return pages


def _kept_index_row(context: RenderContext, here: str) -> Callable[[Entry, Callable[[], Markup]], Markup] | None:
    """A preview's rows of a forum or initiative index at ``here``: kept while the entries a row shows are the same objects.

    A row shows a subset of what the entry's page shows (its fields, the entries it names), so the page's entries decide.
    """
    rows = context.rows
    if rows is None:
        return None
    settings = (context.edition, context.directory_urls)  # freshness is counted from the edition
    return lambda entry, make: rows.get(("index", here, entry.id), entries_shown(context.atlas, entry), settings, make)


def _gaps_addressed(atlas: Atlas, entry: Entry) -> Markup:
    return Markup("").join(
        Markup('<span class="atlas-line atlas-claim--{}">{} {}</span>').format(c.basis, atlas.entries[c.gap].name, claim_badge(c))
        for c in entry.addresses
    ) or Markup("—")


def _claims(atlas: Atlas, gap: Entry) -> Markup:
    return basis_counts(atlas.coverage[gap.id]) if atlas.coverage.get(gap.id) else Markup("<strong>0 — uncovered</strong>")


def _members(atlas: Atlas, pathway: Entry) -> Markup:
    return escape(str(len(atlas.members.get(pathway.id, []))))


def _tagged(atlas: Atlas, topic: Entry) -> Markup:
    return escape(str(len(atlas.topic_entries(topic.id))))


# The computed index columns of the declaration (COMPUTED_INDEX_COLUMNS), by label; those with claim badges get their legend.
COMPUTED_COLUMNS: dict[str, Callable[[Atlas, Entry], Markup]] = {
    GAPS_ADDRESSED_COLUMN: _gaps_addressed, CLAIMS_COLUMN: _claims, MEMBERS_COLUMN: _members, TAGGED_COLUMN: _tagged,
}
_CLAIM_COLUMNS = (GAPS_ADDRESSED_COLUMN, CLAIMS_COLUMN)


def index_columns(context: RenderContext, kind: Kind) -> tuple[list[str], Callable[[str, Entry], list[Markup]]]:
    """The labels of the kind's ``index_columns`` and a function giving a row's cells on the page at ``here``.

    A field's cell shows its value as its type says (:mod:`generator.render.field_html`), an entry by its
    acronym, and no value as —; a computed column's cell is made by :data:`COMPUTED_COLUMNS`.
    """
    fields = kind.record.by_name

    def cells(here: str, entry: Entry) -> list[Markup]:
        show = ValueHtml(context.atlas, here, context.directory_urls, short_links=True)
        return [
            COMPUTED_COLUMNS[name](context.atlas, entry) if name in COMPUTED_COLUMNS else _field_cell(show, fields[name], entry)
            for name in kind.index_columns
        ]

    return [name if name in COMPUTED_COLUMNS else fields[name].label for name in kind.index_columns], cells


def _field_cell(show: ValueHtml, field: Field, entry: Entry) -> Markup:
    value = getattr(entry, field.name)
    return Markup("—") if value is None or value == [] else show.html(field.type, value)


def _index_row(cells: Callable[[str, Entry], list[Markup]], here: str, directory_urls: bool, entry: Entry) -> list[Markup]:
    return [entry_link(entry, here, directory_urls), *cells(here, entry)]


def _status_key(entry: Entry) -> str | None:
    return str(STATUSES.index(entry.status)) if entry.status else None  # in the order of their life: proposed … concluded


def _count_key(count: Callable[[Entry], int]) -> Callable[[Entry], str]:
    return lambda entry: sort_number(count(entry))


def _index_column(atlas: Atlas, name: str, label: str) -> Column[Entry]:
    """An index column (a field or a computed column), with a sort key where its cell's text would sort wrongly."""
    keys: dict[str, Callable[[Entry], str | None]] = {
        GAPS_ADDRESSED_COLUMN: _count_key(lambda e: len(e.addresses)),
        CLAIMS_COLUMN: _count_key(lambda e: len(atlas.coverage.get(e.id, []))),
        MEMBERS_COLUMN: _count_key(lambda e: len(atlas.members.get(e.id, []))),
        TAGGED_COLUMN: _count_key(lambda e: len(atlas.topic_entries(e.id))),
        "established": lambda e: sort_number(e.established) if e.established is not None else None,
        "status": _status_key,
    }
    return Column(token(name), label, keys.get(name))


def _split_note(pager: Pager, shown: int, noun: str) -> str:
    """What the filters act on when a list runs over several pages: the rows of the page shown."""
    if pager.count < 2:
        return ""
    return f"This list runs over {pager.count} pages: the filters, their counts and the sort act on the {shown} {noun} of this page (page {pager.number})."


def actor_table(
    atlas: Atlas, here: str, entries: Sequence[Entry], *, directory_urls: bool,
    extra: Sequence[tuple[str, Callable[[Entry], Markup]]] = (), name: str = "actors", noun: str = "forums and initiatives",
) -> Markup:
    """A table of forums and initiatives (a topic's, say) that readers filter and sort, as the indexes are.

    Its columns: name, kind, pathway, status, the ``extra`` columns (label, cell) and the gaps addressed; its
    facets: kind, pathway, status, gap and level, basis. ``name`` must be unique among the tables of the page.
    Returns HTML of several lines, for a raw HTML block of the page at ``here``.
    """
    show = ValueHtml(atlas, here, directory_urls, short_links=True)
    pathway = KINDS["forum"].record.by_name["pathway"]
    columns = [
        Column("name", "Name"), Column("kind", "Kind"), Column("pathway", pathway.label), Column("status", "Status", _status_key),
        *(Column(token(label), label) for label, _ in extra), _index_column(atlas, GAPS_ADDRESSED_COLUMN, GAPS_ADDRESSED_COLUMN),
    ]

    def cells(entry: Entry) -> list[Markup]:
        return [
            entry_link(entry, here, directory_urls), escape(entry.kind), _field_cell(show, pathway, entry),
            escape(entry.status) if entry.status else Markup("—"), *(cell(entry) for _, cell in extra), _gaps_addressed(atlas, entry),
        ]

    facets = entry_facets(atlas, ("kind", "pathway", "status", "gap", "basis"), entries)
    return FacetTable(name, noun, columns, cells, facets, entries).html()


def coverage_pages(context: RenderContext) -> list[Page]:
    """The coverage summary, the pathway × gap matrix, the full matrix and, for long lists, their parts.

    ``columns_per_table`` (print) splits the matrices into tables of that many
    gap columns, and the full matrix into one table per pathway, so no column
    is cut and no table grows with the whole atlas.
    """
    atlas = context.atlas
    gap_chunks = chunks(atlas.gaps, context.columns_per_table)
    groups = context.matrix_groups()
    rows = [
        PathwayRow(g.pathway, {gap.id: atlas.pathway_claims(g.key, gap.id) for gap in atlas.gaps})
        for g in groups if g.pathway is not None or g.entries
    ]
    groups = [g for g in groups if g.entries]
    places = claim_places(context)
    pathway_matrix = PathwayMatrixContext(rows=rows, gap_chunks=gap_chunks)
    pages = [
        Page(COVERAGE_INDEX, context.render_page(COVERAGE_INDEX, CoverageIndexContext()), "Coverage", meta=WIDE),
        Page(PATHWAY_MATRIX, context.render_page(PATHWAY_MATRIX, pathway_matrix), "Pathways × gaps", meta=WIDE),
    ]
    if not context.matrix_split():
        full = FullMatrixContext(groups=groups, gap_chunks=gap_chunks, split_groups=context.columns_per_table is not None, part=None,
                                 claim_places=places)
        pages.append(Page(FULL_MATRIX, context.render_page(FULL_MATRIX, full), "Full matrix", meta=WIDE))
    else:
        paths = context.matrix_paths
        overview = MatrixOverviewContext(groups=groups, paths=paths)
        pages.append(Page(FULL_MATRIX, context.render_page(FULL_MATRIX, overview), "Full matrix", meta=WIDE))
        for group in groups:
            for path, entries, pager in paginate(group.entries, context.limits.matrix_rows, group.page_path(1), group.page_path):
                title = f"Full matrix: {group.pathway.name if group.pathway else 'no pathway'}{pager.title_suffix}"
                part = FullMatrixContext(groups=[replace(group, entries=entries)], gap_chunks=gap_chunks,
                                         split_groups=False, part=MatrixPart(title, pager), claim_places=places)
                pages.append(Page(path, context.render_page(path, part), str(escape(title)), meta=WIDE))
    for gap in atlas.gaps:
        first = context.gap_coverage_path(gap)
        if first is None:
            continue
        claims = atlas.coverage.get(gap.id, [])
        for path, items, pager in paginate(claims, context.limits.matrix_rows, first, _later_pages(first)):
            page = GapCoverageContext(gap=gap, items=items, pager=pager, total=len(claims), all_items=claims)
            markdown = context.render_page(path, page)
            pages.append(Page(path, markdown, str(escape(f"Who addresses {gap.name}{pager.title_suffix}")), meta=WIDE))
    return pages


def claim_places(context: RenderContext) -> dict[tuple[str, str], str]:
    """Where a claim is listed when its gap's page does not show it: the coverage page that does, by gap id and entry id.

    A gap's page shows the first ``claims_per_level`` claims of each level; the rest are on
    the gap's coverage pages (:func:`coverage_pages`), ``matrix_rows`` claims a page.
    """
    places: dict[tuple[str, str], str] = {}
    shown = context.limits.claims_per_level
    for gap in context.atlas.gaps:
        first = context.gap_coverage_path(gap)
        if first is None or shown is None:
            continue
        on_gap_page = {item.entry.id for items in context.atlas.coverage_by_level(gap.id).values() for item in items[:shown]}
        for path, items, _ in paginate(context.atlas.coverage.get(gap.id, []), context.limits.matrix_rows, first, _later_pages(first)):
            places.update({(gap.id, item.entry.id): path for item in items if item.entry.id not in on_gap_page})
    return places


def sources_pages(context: RenderContext) -> list[Page]:
    citations = context.atlas.citations
    pages = []
    for path, run, pager in paginate(citations, context.limits.index_rows, SOURCES, lambda n: f"sources/{n}.md"):
        table = FacetTable("sources", "sources", _SOURCE_COLUMNS, partial(_source_row, path, context.directory_urls),
                           source_facets(context.atlas, run), run, "source", _split_note(pager, len(run), "sources"),
                           kept_row=_kept_source_row(context, path))
        markdown = context.render_page(path, SourcesContext(citations=run, total=len(citations), pager=pager, table=table))
        pages.append(Page(path, markdown, "Sources" + pager.title_suffix, meta=WIDE))
    return pages


_SOURCE_COLUMNS: list[Column[Citation]] = [
    Column("source", "Source"), Column("cited-by", "Cited by", lambda c: sort_number(len(c.entries))),
]


def _kept_source_row(context: RenderContext, here: str) -> Callable[[Citation, Callable[[], Markup]], Markup] | None:
    """A preview's rows of the sources list at ``here``: kept while the source and the entries citing it are the same objects."""
    rows = context.rows
    if rows is None:
        return None
    # Keyed by the source object itself: the row it names is the same while that object and the entries citing it are.
    return lambda citation, make: rows.get(("source", here, id(citation.source)), (citation.source, *citation.entries), context.directory_urls, make)


def _source_row(here: str, directory_urls: bool, citation: Citation) -> list[Markup]:
    return [source_html(citation.source, here, directory_urls), Markup(", ").join(entry_link(e, here, directory_urls) for e in citation.entries)]


def redirect_pages(context: RenderContext, entry: Entry) -> list[Page]:
    """A page at each former id of the entry, sending readers on to its page."""
    pages = []
    target = entry_page(entry.kind, entry.id)
    for alias in entry.aliases:
        path = entry_page(entry.kind, alias)
        markdown = context.render_page(path, RedirectContext(entry=entry, target=target))
        pages.append(Page(path, markdown, str(escape(entry.label)), None, {"search": {"exclude": True}}))
    return pages


def fields_page(context: RenderContext) -> Page:
    """The field reference, from the declaration of the kinds."""
    records = list({id(r): r for r in _records(f for kind in KINDS.values() for f in kind.record.fields)}.values())
    page = FieldsContext(kinds=list(KINDS.values()), records=records, type_label=_type_label, example=_example_text)
    return Page(FIELDS, context.render_page(FIELDS, page), "Fields")


def _records(fields: Iterable[Field]) -> Iterable[Record]:
    """The records that fields hold (themselves, or as the items of a list), in the order met."""
    for field in fields:
        kind = field.type.item if isinstance(field.type, ListOf) else field.type
        if isinstance(kind, Record):
            yield kind


def _later_pages(first: str) -> Callable[[int], str]:
    """Where page n of a list goes when its first page is ``first``: ``coverage/gaps/x.md`` → ``coverage/gaps/x/n.md``."""
    folder = first.removesuffix(".md")
    return lambda n: f"{folder}/{n}.md"


def _example_text(field: Field) -> str:
    """A field's example as typed in an entry file: a string as it is, anything else as JSON."""
    return field.example if isinstance(field.example, str) else json.dumps(field.example, ensure_ascii=False)


def _type_label(field: Field) -> str:
    kind = field.type
    if isinstance(kind, ListOf) and isinstance(kind.item, Record):
        return f"list of {kind.item.label.removeprefix('a ')} (below)"
    if isinstance(kind, Record):
        return f"{kind.label} (below)"
    return kind.label
