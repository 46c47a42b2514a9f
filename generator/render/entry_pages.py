"""Entry pages: one per forum, gap, initiative and pathway, kept across a preview's rebuilds when unchanged."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from generator.kinds.declaration import KINDS
from generator.kinds.model import Entry
from generator.render.citation import Citation
from generator.render.context import RenderContext
from generator.render.entry_html import EntryContext, EntryPage
from generator.render.feeds import own_feed
from generator.render.field_html import ValueHtml
from generator.render.graph_model import should_cluster
from generator.render.graph_page import ego_section
from generator.render.html_pieces import fact_refs
from generator.render.page import Page, entry_page_of, freshness
from generator.render.page_cache import KEPT_KINDS, PageCache, entries_shown
from generator.render.urls import entry_page


class EntryPages:
    """Renders the entries' own pages in one rendering (``cache``: reuse unchanged pages of a preview)."""

    def __init__(self, context: RenderContext, cache: PageCache | None = None) -> None:
        self.context = context
        self.atlas = context.atlas
        self.directory_urls = context.directory_urls
        self.limits = context.limits
        self.edition = context.edition
        self.columns_per_table = context.columns_per_table
        self.cache = cache
        self.relations = context.relations  # before any worker forks: they share it

    def entry_page(self, entry: Entry) -> Page:
        """An entry's page; from the cache when it has one for the same entries (forums and initiatives)."""
        if self.cache is None or entry.kind not in KEPT_KINDS:
            return self._entry_page(entry)
        backlinks = self.atlas.backlinks.get(entry.id, [])
        shown = entries_shown(self.atlas, entry)
        settings = (self.edition, self.directory_urls, self.limits, self.columns_per_table, tuple(b.relation for b in backlinks),
                    should_cluster(self.relations), self.context.site_url)  # the ego graph links to the entry's own item in the atlas's list, or its pathway's
        return self.cache.pages.get(entry_page(entry.kind, entry.id), shown, settings, lambda: self._entry_page(entry))

    def _entry_page(self, entry: Entry) -> Page:
        return entry_page_of(entry, self._entry_markdown(entry))

    def _entry_markdown(self, entry: Entry) -> str:
        context = EntryContext(
            kind_name=KINDS[entry.kind].name,
            facts=self.facts(entry, entry_page(entry.kind, entry.id)),
            fresh=freshness(entry, self.edition),
            backlinks=self.atlas.backlinks.get(entry.id, []),
            full_coverage=self.context.gap_coverage_path(entry) if entry.kind == "gap" else None,
            members_page=self.context.members_path(entry) if entry.kind == "pathway" else None,
            citation=Citation(entry, self.edition.isoformat(), self.context.site_url, self.directory_urls),
            relations=ego_section(self.relations, entry, entry_page(entry.kind, entry.id), self.directory_urls),
            feed=own_feed(entry) if self.context.site_url else None,
        )
        return EntryPage(self.atlas, entry, context, directory_urls=self.directory_urls, limits=self.limits).markdown()

    def entry_markdown(self, entries: Sequence[Entry]) -> list[str]:
        """The Markdown of each entry's page, in order."""
        return [self._entry_markdown(entry) for entry in entries]

    def facts(self, entry: Entry, here: str) -> list[tuple[str, Markup]]:
        """The facts box: label → HTML (a fact with the numbers of the sources that support it), for the fields the entry has.

        Which fields, in which order and with which label, the declaration says (:attr:`Field.shown_in_facts_box`);
        how a value reads, its field type (:mod:`generator.render.field_html`).
        """
        show = ValueHtml(self.atlas, here, self.directory_urls)
        rows: list[tuple[str, Markup]] = []
        for field in KINDS[entry.kind].record.fields:
            value = getattr(entry, field.name)
            if not field.shown_in_facts_box or value is None or value == []:
                continue
            html = show.html(field.type, value)
            if field.fact is not None:
                html += fact_refs(entry, field.name, here, self.directory_urls)
            rows.append((field.label, html))
        return rows

