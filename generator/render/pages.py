"""Render the atlas to Markdown pages held in memory (docs path → page).

Templates live in ``generator/render/templates``. Entry text never becomes template
source: it arrives in the context as data and is auto-escaped, or rendered by
:mod:`generator.render.text` into sanitised HTML. The pages mix trusted Markdown
headings with raw HTML blocks that MkDocs passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator import settings
from generator.editions.history import History
from generator.link.atlas import Atlas
from generator.pipeline import gc_paused
from generator.render.context import RenderContext
from generator.render.entry_pages import EntryPages
from generator.render.head import HEAD, page_head
from generator.render.list_pages import other_pages
from generator.render.page import Limits, Page, entry_page_of
from generator.render.page_cache import PageCache
from generator.render.site_files import site_files
from generator.workers import Minimum, forked_map

# The fewest entries whose pages are worth rendering in forked workers (the ATLAS_FORK_FROM setting replaces it).
FORK_FROM = Minimum(forked=400)


def render_pages(
    atlas: Atlas, *, directory_urls: bool = True, columns_per_table: int | None = None, limits: Limits = Limits(),
    cache: PageCache | None = None, history: History | None = None, site_url: str | None = None,
) -> dict[str, Page]:
    """Every generated page of the atlas, by docs path, in a stable order.

    ``columns_per_table`` splits the coverage matrices for paper (see
    :func:`generator.render.list_pages.coverage_pages`); ``limits`` bounds how much one
    page lists; ``cache`` keeps entry pages across the rebuilds of a preview; ``history``
    gives the What's new pages, ``site_url`` the feeds and the citations' address.
    """
    context = RenderContext(atlas, directory_urls=directory_urls, columns_per_table=columns_per_table, limits=limits, history=history, site_url=site_url)
    return _render(context, cache)


def _render(context: RenderContext, cache: PageCache | None, also: Callable[[], object] = lambda: None) -> dict[str, Page]:
    """Every page; ``also`` is called meanwhile, while forked workers render the entry pages."""
    atlas, directory_urls = context.atlas, context.directory_urls
    renderer = EntryPages(context, cache)
    entries = list(atlas.entries.values())
    if cache is not None:  # a preview re-renders few pages, and its server's threads rule out forking
        pages = [renderer.entry_page(e) for e in entries]
        pages += other_pages(context)
        also()
        cache.keep_used()
    else:  # entry pages are rendered by forked workers on large atlases, while this process does the rest
        job = lambda chunk: renderer.entry_markdown([entries[i] for i in chunk])  # workers get indexes, not entries
        minimum = FORK_FROM.unless(settings.current().fork_from)
        with forked_map(job, range(len(entries)), minimum=minimum, doing="rendering entry pages") as entry_markdown:
            pages = other_pages(context)
            also()
            pages += [entry_page_of(e, markdown) for e, markdown in zip(entries, entry_markdown(), strict=True)]
    edition = atlas.edition.isoformat()
    for page in pages:
        page.meta[HEAD] = page_head(page.entry, edition, context.site_url, directory_urls)
    return {page.path: page for page in sorted(pages, key=lambda p: p.path)}


@dataclass(frozen=True)
class SiteOutput:
    """What one rendering of the site makes: its pages by docs path, and its other files by site path."""

    pages: dict[str, Page]
    files: dict[str, bytes]


def build_pages(
    atlas: Atlas, *, directory_urls: bool = True, limits: Limits = Limits(), cache: PageCache | None = None,
    history: History | None = None, site_url: str | None = None,
) -> SiteOutput:
    """Render every generated page and file of the site (``cache``: reuse unchanged entry pages)."""
    context = RenderContext(atlas, directory_urls=directory_urls, limits=limits, history=history, site_url=site_url, rows=cache.rows if cache else None)
    files: dict[str, bytes] = {}
    with gc_paused():
        pages = _render(context, cache, also=lambda: files.update(site_files(context, cache)))  # the files while workers render entry pages
    return SiteOutput(pages, files)
