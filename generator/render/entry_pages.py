"""Entry pages: one per forum, gap, initiative and pathway, kept across a preview's rebuilds when unchanged."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from generator.kinds.declaration import KINDS
from generator.kinds.model import Entry
from generator.render.context import RenderContext
from generator.render.entry_html import EntryContext, EntryPage
from generator.render.html_pieces import entry_link, external, fact_refs
from generator.render.page import Page, entry_page_of, freshness
from generator.render.page_cache import PageCache
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
            full_coverage=self.context.gap_coverage_path(entry) if entry.kind == "gap" else None,
            members_page=self.context.members_path(entry) if entry.kind == "pathway" else None,
        )
        return EntryPage(self.atlas, entry, context, directory_urls=self.directory_urls, limits=self.limits).markdown()

    def entry_markdown(self, entries: Sequence[Entry]) -> list[str]:
        """The Markdown of each entry's page, in order."""
        return [self._entry_markdown(entry) for entry in entries]

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

