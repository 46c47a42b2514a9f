"""The site's generated files that are not pages: feeds, the editions' data, each entry's citation downloads."""

from __future__ import annotations

from generator.editions.diff_json import diff_bytes
from generator.editions.snapshot import edition_bytes
from generator.render.citation import Citation
from generator.render.context import RenderContext
from generator.render.feeds import Feeds
from generator.render.page_cache import PageCache
from generator.render.whats_new import changes_file, snapshot_file


def site_files(context: RenderContext, cache: PageCache | None = None) -> dict[str, bytes]:
    """Every generated file, by its path in the site, in a stable order (feeds only when the site's address is known;
    ``cache``: a preview's, which keeps the citation files of unchanged entries)."""
    history, atlas = context.history, context.atlas
    files: dict[str, bytes] = {}
    for diff in history.changes:
        files[snapshot_file(diff.new.name)] = edition_bytes(diff.new)
        if diff.old is not None:
            files[changes_file(diff.new.name)] = diff_bytes(diff)
    if context.site_url:
        files.update(Feeds(atlas, history, context.site_url).files())
    edition = atlas.edition.isoformat()
    settings = (edition, context.site_url, context.directory_urls)
    for entry in atlas.entries.values():
        make = Citation(entry, *settings).files
        files.update(make() if cache is None else cache.citations.get(entry.id, (entry,), settings, make))
    return dict(sorted(files.items()))
