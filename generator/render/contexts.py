"""What each list page's template is given, beyond what every page shares (``here``, ``atlas``...).

One frozen dataclass per kind of page names its template and the values it sees:
:meth:`generator.render.context.RenderContext.render_page` passes each field to the
template as a variable of the same name. Entry pages have theirs in
:mod:`generator.render.entry_html`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from generator.kinds.declaration import Kind
from generator.kinds.fields import Field, Record
from generator.kinds.model import Entry
from generator.link.atlas import Citation, Coverage
from generator.link.timeline import Event as TimelineEvent
from generator.link.timeline import Timeline
from generator.render.paging import Pager
from generator.render.table_facets import FacetTable


@dataclass(frozen=True)
class PageContext:
    """The values one template sees; ``template`` names it (in ``generator/render/templates``)."""

    template: ClassVar[str]


@dataclass(frozen=True)
class MatrixGroup:
    """The forums and initiatives of one pathway (``pathway`` None: those without one) in the full matrix."""

    pathway: Entry | None
    slug: str  # names the group's pages of the full matrix: coverage/matrix/<slug>.md
    entries: Sequence[Entry]

    @property
    def key(self) -> str | None:
        """The pathway's id, None for the entries without a pathway."""
        return self.pathway.id if self.pathway else None

    def page_path(self, number: int) -> str:
        """The docs path of page ``number`` (from 1) of the group's part of a split full matrix."""
        return f"coverage/matrix/{self.slug}.md" if number == 1 else f"coverage/matrix/{self.slug}/{number}.md"


@dataclass(frozen=True)
class PathwayRow:
    """One row of the pathway × gap matrix: a pathway (None: no pathway) and its claims on each gap, by gap id."""

    pathway: Entry | None
    cells: Mapping[str, list[Coverage]]


@dataclass(frozen=True)
class MatrixPart:
    """One page of one pathway's part of a split full matrix: its title and where it stands among the part's pages."""

    title: str
    pager: Pager


@dataclass(frozen=True)
class CoverageIndexContext(PageContext):
    """The coverage summary: it reads everything from the atlas."""

    template: ClassVar[str] = "coverage_index.md.j2"


@dataclass(frozen=True)
class PathwayMatrixContext(PageContext):
    """The pathway × gap matrix, in tables of ``gap_chunks`` columns."""

    template: ClassVar[str] = "pathway_matrix.md.j2"
    rows: list[PathwayRow]
    gap_chunks: list[list[Entry]]


@dataclass(frozen=True)
class FullMatrixContext(PageContext):
    """The full matrix on one page (``part`` None), or one page of one pathway's part of it."""

    template: ClassVar[str] = "full_matrix.md.j2"
    groups: list[MatrixGroup]
    gap_chunks: list[list[Entry]]
    split_groups: bool  # one table per group (print), so no table grows with the whole atlas
    part: MatrixPart | None
    claim_places: Mapping[tuple[str, str], str]  # the page listing a claim, by gap id and entry id, when not the gap's page


@dataclass(frozen=True)
class MatrixOverviewContext(PageContext):
    """The page that stands for a split full matrix: each group's pages (``paths`` by group key) and the claims per gap."""

    template: ClassVar[str] = "matrix_overview.md.j2"
    groups: list[MatrixGroup]
    paths: Mapping[str | None, tuple[str, ...]]


@dataclass(frozen=True)
class GapCoverageContext(PageContext):
    """One page of the claims on a gap: ``items`` of ``all_items`` (``total`` of them), strongest first."""

    template: ClassVar[str] = "gap_coverage.md.j2"
    gap: Entry
    items: list[Coverage]
    pager: Pager
    total: int
    all_items: list[Coverage]


@dataclass(frozen=True)
class SourcesContext(PageContext):
    """One page of the sources list: ``citations`` of ``total``, in a ``table`` readers filter and sort."""

    template: ClassVar[str] = "sources.md.j2"
    citations: list[Citation]
    total: int
    pager: Pager
    table: FacetTable[Citation]


@dataclass(frozen=True)
class RedirectContext(PageContext):
    """A page at a former id of ``entry``, sending readers on to ``target`` (its docs path)."""

    template: ClassVar[str] = "redirect.md.j2"
    entry: Entry
    target: str


@dataclass(frozen=True)
class FieldsContext(PageContext):
    """The field reference: every kind's fields, the nested records' fields, and how a field's type and example read."""

    template: ClassVar[str] = "fields.md.j2"
    kinds: list[Kind]
    records: list[Record]
    type_label: Callable[[Field], str]
    example: Callable[[Field], str]


@dataclass(frozen=True)
class TimelineContext(PageContext):
    """A page of the timeline: the whole ``timeline``, the ``part`` and ``years`` (each with its events, oldest first)
    this page holds, where each year of the whole is (``year_links``), this part's filters (``controls``), how an
    event reads, and where the page stands among the timeline's pages."""

    template: ClassVar[str] = "timeline.md.j2"
    timeline: Timeline
    part: Timeline
    years: list[tuple[str, list[TimelineEvent]]]
    year_links: list[tuple[str, str]]
    controls: Markup
    event_html: Callable[[TimelineEvent], Markup]
    pager: Pager
