"""An entry's page, written by plain string functions: one function per section.

Entry pages are almost every page of a large atlas, so they are built here
rather than by a template: the same HTML, at a fraction of the cost. Every
value from an entry passes through :func:`printed` (escaped, line breaks as
``&#10;``) or through :mod:`generator.render.text` (sanitised HTML) before it is joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.kinds.model import Entry
from generator.link.atlas import Atlas, Backlink
from generator.render import topic_html
from generator.render.citation import FORMATS, Citation, citation_file
from generator.render.html_pieces import (
    SEARCH_END,
    basis_cell,
    basis_counts,
    case_row,
    claim_badge,
    claim_columns,
    claim_row,
    coverage_key,
    coverage_legend,
    entry_link,
    fact_refs,
    label_cells,
    level_badge,
    pathway_cell,
    printed,
    relation_label,
    source_html,
    source_ref,
)
from generator.render.text import markdown_inline, markdown_to_html
from generator.render.urls import entry_page, file_href, relative_url

if TYPE_CHECKING:
    from generator.render.page import Freshness, Limits


# Between a fact's label and its value, for search snippets and copied text ("Status: adopted", not
# "Statusadopted"): out of sight (atlas-sr, hidden in print too) and not read out, as the header cell is.
FACT_SEPARATOR = Markup('<span class="atlas-sr" aria-hidden="true">: </span>')


def _table(columns: tuple[str, ...], rows: Iterable[str]) -> str:
    """A table with a header row of ``columns`` and the given rows (each one ``<tr>``), each cell labelled with its column."""
    head = "".join(f'<th scope="col">{column}</th>' for column in columns)
    body = "".join(f"{label_cells(row, columns)}\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


@dataclass(frozen=True)
class EntryContext:
    """What an entry's page shows besides the entry: worked out by :class:`generator.render.entry_pages.EntryPages`."""

    kind_name: str
    facts: list[tuple[str, Markup]]
    fresh: Freshness
    backlinks: list[Backlink]
    full_coverage: str | None  # where every claim on a gap is listed, when its page shows only some
    members_page: str | None  # where every member of a pathway is listed, when its page shows only some
    citation: Citation  # how to cite the entry
    relations: str = ""  # the "Relations" section: its ego graph and list (generator.render.graph_page.ego_section)
    feed: str | None = None  # the site path of a gap's or topic's own feed, where the site has feeds


class EntryPage:
    """Writes the Markdown of one entry's page (at docs path ``here``).

    Each section ends its last line and leaves one blank line after it (none
    after the last), and no printed value holds a line break, so the page never
    has two blank lines in a row.
    """

    def __init__(self, atlas: Atlas, entry: Entry, context: EntryContext, *, directory_urls: bool, limits: Limits) -> None:
        self.atlas = atlas
        self.entry = entry
        self.context = context
        self.here = entry_page(entry.kind, entry.id)
        self.directory_urls = directory_urls
        self.limits = limits

    def markdown(self) -> str:
        sections: list[Callable[[], str]] = [self.head, self.description, self.search_end]
        if self.entry.kind == "topic":
            sections += [lambda: topic_html.tagged(self.atlas, self.entry, self.here, self.directory_urls)]
        if self.entry.kind == "gap":
            sections += [self.coverage, self.cases]
        if self.entry.kind == "pathway":
            sections += [self.members, self.gaps_filled]
        if self.entry.kind in ("forum", "initiative"):
            sections += [self.addresses, self.illustrates, lambda: topic_html.topic_tags(self.atlas, self.entry, self.here, self.directory_urls)]
        sections += [self.related, lambda: self.context.relations, self.history, self.fact_checks, self.sources, self.cite]
        return "".join(section() for section in sections)

    # --- pieces ----------------------------------------------------------------------

    def link(self, target: Entry, text: str | None = None) -> Markup:
        return entry_link(target, self.here, self.directory_urls, text)

    def ref(self, entry: Entry, ref: str | None) -> Markup:
        return printed(source_ref(entry, ref, self.here, self.directory_urls))

    def more(self, text: str, path: str, link_text: str) -> str:
        """A note that a list is cut short, linking to the page at ``path`` that has all of it."""
        href = printed(relative_url(self.here, path, self.directory_urls))
        return f'<p class="atlas-more">{text} <a href="{href}">{link_text}</a>.</p>\n'

    # --- sections --------------------------------------------------------------------

    def head(self) -> str:
        entry, context, fresh = self.entry, self.context, self.context.fresh
        acronym = f" <small>({printed(entry.acronym)})</small>" if entry.acronym else ""
        type_ = f" · {printed(entry.type)}{printed(fact_refs(entry, 'type', self.here, self.directory_urls))}" if entry.type else ""
        out = [
            f'<h1 id="{printed(entry.id)}">{printed(entry.name)}{acronym}</h1>\n\n',
            f'<div class="atlas-entry atlas-entry--{printed(entry.kind)}">\n',
            (f'<p class="atlas-meta"><span class="atlas-kind-tag">{printed(context.kind_name)}</span>{type_} · '
            f'<span class="atlas-fresh atlas-fresh--{printed(fresh.state)}" title="{printed(fresh.explain)}">'
            f"reviewed {printed(entry.last_reviewed.isoformat())} ({printed(fresh.label)})</span></p>\n"),
            f'<div class="atlas-summary">{printed(markdown_to_html(entry.summary))}</div>\n',
        ]
        out.append(topic_html.synonyms(entry))
        if context.facts:
            out.append('<table class="atlas-facts">\n<caption>Facts</caption>\n<tbody>\n')
            out += [f'<tr><th scope="row">{printed(label)}</th><td>{FACT_SEPARATOR}{printed(value)}</td></tr>\n' for label, value in context.facts]
            out.append("</tbody>\n</table>\n")
        out.append("</div>\n\n")
        return "".join(out)

    def description(self) -> str:
        if not self.entry.description:
            return ""
        return f'## Description\n\n<div class="atlas-description">{printed(markdown_to_html(self.entry.description))}</div>\n\n'

    def search_end(self) -> str:
        return f"{SEARCH_END}\n\n"

    def coverage(self) -> str:
        """Who addresses this gap: its claims by level, named and by category apart, the first few of each on long lists."""
        atlas, entry, shown = self.atlas, self.entry, self.limits.claims_per_level
        out = ["## Who addresses this gap\n\n"]
        claims = atlas.coverage.get(entry.id, [])
        if not claims:
            out.append('<p class="atlas-uncovered"><strong>Uncovered:</strong> no forum or initiative in the atlas claims to address this gap.</p>\n')
            return "".join(out) + "\n"
        out.append(f"<p>{basis_counts(claims)} claims.</p>\n{coverage_legend()}\n")
        out.append('<div class="atlas-coverage">\n')
        for level_name, items in atlas.coverage_by_level(entry.id).items():
            if not items:
                continue
            rows = (claim_row(atlas, item, self.here, self.directory_urls, level=False) for item in items[:shown])
            counts = basis_counts(items)
            out.append(f'<h3 id="level-{printed(level_name)}">{printed(level_badge(level_name))} ({counts})</h3>\n')
            out.append(_table(claim_columns(level=False), rows))
        out.append("</div>\n")
        if self.context.full_coverage:
            out.append(self.more(f"This page shows the first {shown} claims of each level.", self.context.full_coverage,
                                 f"All {len(claims)} claims on this gap"))
        return "".join(out) + "\n"

    def cases(self) -> str:
        """The entries a source gives as cases of this gap: what the gap is about, never counted as coverage."""
        cases = self.atlas.cases.get(self.entry.id, [])
        if not cases:
            return ""
        rows = (case_row(self.atlas, c.entry, c.case.note, c.case.evidence, c.case.source, self.here, self.directory_urls) for c in cases)
        intro = ("<p>Forums and initiatives that a source presents as cases of this gap. They show what the gap is about;"
                 " they are not counted as coverage.</p>\n")
        return f"## Cases of this gap\n\n{intro}{_table(('Who', 'Pathway', 'How it is a case', 'Evidence'), rows)}\n"

    def members(self) -> str:
        """A pathway's members and the gaps each addresses, the first few on long lists."""
        atlas, shown = self.atlas, self.limits.members_shown
        members = atlas.members.get(self.entry.id, [])
        out = ["## Members\n\n"]
        if not members:
            out.append("<p>No forum or initiative in the atlas belongs to this pathway yet.</p>\n")
            return "".join(out) + "\n"
        rows = []
        for member in members[:shown]:
            gaps = "".join(
                f'<span class="atlas-line atlas-claim--{c.basis}">{self.link(atlas.entries[c.gap], atlas.entries[c.gap].name)} {printed(claim_badge(c))}</span>'
                for c in member.addresses
            ) or "—"
            rows.append(f"<tr><td>{self.link(member)}</td><td>{printed(member.kind)}</td><td>{gaps}</td></tr>")
        out.append(_table(("Name", "Kind", "Gaps addressed"), rows))
        if self.context.members_page:
            out.append(self.more(f"This page shows {shown} of its {len(members)} members.", self.context.members_page,
                                 "All members, against every gap"))
        return "".join(out) + "\n"

    def gaps_filled(self) -> str:
        """Every gap, with the strongest level at which the pathway's members address it (named claims alone when so switched)."""
        atlas, names = self.atlas, self.limits.names_per_cell
        rows = []
        for gap in atlas.gaps:
            _, claims = atlas.pathway_level(self.entry.id, gap.id)
            through = ", ".join(f'<span class="atlas-claim--{c.claim.basis}">{self.link(c.entry)}</span>' for c in claims[:names])
            if names is not None and len(claims) > names:
                through += f" and {len(claims) - names} more"
            rows.append(f"<tr><td>{self.link(gap)}</td><td>{printed(pathway_cell(claims))}</td><td>{through}</td></tr>")
        table = _table(("Gap", "Strongest level", "Through"), rows)
        return f"## Gaps this pathway fills\n\n{coverage_legend(none=True)}\n{table}\n"

    def addresses(self) -> str:
        """The gaps this entry addresses, with level, basis and evidence; or that the atlas records none, and why."""
        entry = self.entry
        if not entry.addresses:
            note = f'<div class="atlas-coverage-note">{printed(markdown_to_html(entry.coverage_note))}</div>\n' if entry.coverage_note else ""
            return f'## Gaps addressed\n\n<p class="atlas-no-claim">The atlas records no claim that {printed(entry.short_label)} addresses a gap.</p>\n{note}\n'
        rows = []
        for c in entry.addresses:
            note = printed(markdown_inline(c.note)) if c.note else ""
            rows.append(
                f'<tr class="atlas-claim--{c.basis}"><td>{self.link(self.atlas.entries[c.gap])}</td><td>{printed(level_badge(c.level))}</td>'
                f"<td>{printed(basis_cell(entry, c, self.here, self.directory_urls))}</td><td>{note}</td>"
                f"<td><q>{printed(c.evidence)}</q> {self.ref(entry, c.source)}</td></tr>"
            )
        note = f'<div class="atlas-coverage-note">{printed(markdown_to_html(entry.coverage_note))}</div>\n' if entry.coverage_note else ""
        table = _table(("Gap", "Level", "Basis", "Why this level", "Evidence"), rows)
        return f"## Gaps addressed\n\n{coverage_key()}\n{table}{note}\n"

    def illustrates(self) -> str:
        """The gaps a source gives this entry as a case of."""
        entry = self.entry
        if not entry.illustrates:
            return ""
        rows = (
            f"<tr><td>{self.link(self.atlas.entries[c.gap])}</td><td>{printed(markdown_inline(c.note))}</td>"
            f"<td><q>{printed(c.evidence)}</q> {self.ref(entry, c.source)}</td></tr>"
            for c in entry.illustrates
        )
        intro = "<p>A source presents this entry as a case of these gaps: it shows what the gap is about, not a remedy for it.</p>\n"
        return f"## A case of\n\n{intro}{_table(('Gap', 'How it is a case', 'Evidence'), rows)}\n"

    def related(self) -> str:
        entry, backlinks = self.entry, self.context.backlinks
        if not (entry.related or backlinks):
            return ""
        out = ["## Related entries\n\n"]
        if entry.related:
            out.append('<ul class="atlas-list">\n')
            for rid in entry.related:
                r = self.atlas.entries[rid]
                out.append(f'<li>{self.link(r)} <span class="atlas-kind-tag">{printed(r.kind)}</span></li>\n')
            out.append("</ul>\n")
        if backlinks:
            out.append('<p class="atlas-backlinks-title"><strong>Referenced by</strong></p>\n<ul class="atlas-list atlas-backlinks">\n')
            out += [
                f'<li>{self.link(b.entry)} <span class="atlas-kind-tag">{printed(b.entry.kind)}</span> '
                f'<span class="atlas-relation">({relation_label(b.relation)})</span></li>\n'
                for b in backlinks
            ]
            out.append("</ul>\n")
        return "".join(out) + "\n"

    def history(self) -> str:
        entry = self.entry
        if not entry.history:
            return ""
        rows = []
        for h in entry.history:
            source = f" {self.ref(entry, h.source)}" if h.source else ""
            rows.append(f"<tr><td>{printed(h.date)}</td><td>{printed(h.event)}{source}</td></tr>")
        return f"## History\n\n{_table(('Date', 'Event'), rows)}\n"

    def fact_checks(self) -> str:
        entry = self.entry
        if not entry.fact_checks:
            return ""
        out = ['## Checked against the sources\n\n<div class="atlas-fact-checks">\n']
        for f in entry.fact_checks:
            source = f"<p>Source: {self.ref(entry, f.source)}</p>" if f.source else ""
            out.append(
                f'<div class="admonition warning"><p class="admonition-title">The brief says: “{printed(f.claim)}”</p>'
                f"{printed(markdown_to_html(f.finding))}{source}</div>\n"
            )
        out.append("</div>\n\n")
        return "".join(out)

    def sources(self) -> str:
        items = "".join(
            f'<li id="source-{number}">{printed(source_html(s, self.here, self.directory_urls))}</li>\n'
            for number, s in enumerate(self.entry.sources, 1)
        )
        return f'## Sources\n\n<ol class="atlas-sources">\n{items}</ol>\n\n'

    def cite(self) -> str:
        """How to cite the entry: in words, and as files for reference managers; a gap's or topic's feed."""
        citation, here, urls = self.context.citation, self.here, self.directory_urls
        files = " · ".join(
            f'<a href="{printed(file_href(here, citation_file(self.entry, suffix), urls))}" download>{label}</a>' for suffix, label in FORMATS.items()
        )
        out = [
            "## Cite this entry\n\n",
            f'<p class="atlas-citation">{printed(citation.text())}</p>\n',
            f'<p class="atlas-downloads">Download the citation: {files}</p>\n',
        ]
        if self.context.feed:
            href = printed(file_href(here, self.context.feed, urls))
            what = "claims on this gap" if self.entry.kind == "gap" else "entries on this topic"
            out.append(f'<p class="atlas-downloads atlas-feed"><a href="{href}" type="application/atom+xml">Atom feed</a> of changes to the {what}.</p>\n')
        return "".join(out)
