"""One MkDocs build of the atlas: what the plugin's events do, with the state they share.

Entries come from the plugin's ``entries`` option (or ATLAS_ENTRIES); when they are
invalid the build stops before MkDocs writes anything, and ``mkdocs build`` writes
into a staging folder that replaces the site folder only on success. With the
``downloads`` option (and ATLAS_DOWNLOADS not ``0``), a full build also writes the PDF,
the open data and a zipped offline copy (:mod:`generator.site.offline`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from generator import settings
from generator.edition import atlas_version
from generator.editions.history import History, editions_folder, recorded_history, with_changes_since_latest
from generator.errors import AtlasError, AtlasInvalid
from generator.link.atlas import Atlas
from generator.output import discard, staging_dir, swap_in
from generator.pdf.available import pdf_unavailable
from generator.pipeline import CollectorPause, build_atlas
from generator.problems import format_problems
from generator.render.page import Page
from generator.render.pages import SiteOutput, build_pages
from generator.render.search_scope import NAME as SEARCH_SCOPE
from generator.render.search_scope import searchable_part
from generator.render.site_source import GUIDE, Placeholders, SiteSource
from generator.site.downloads import write_downloads
from generator.site.kept_pages import Rebuild, nav_paths, site_signature
from generator.site.offline import OFFLINE_PLUGIN, engine_of, write_offline_copy
from generator.site.options import AtlasOptions
from generator.site.raw_html import RawHtmlBlocks
from generator.site.session import SESSION
from generator.site.sidebar import SectionMarker

log = logging.getLogger("mkdocs.plugins.atlas")
SHIM = "assets/vendor/iframe-worker-shim.js"  # the offline copy loads the worker shim from its own assets, not from a CDN


@contextmanager
def reported() -> Iterator[None]:
    """A failure of the generator stops MkDocs with its message, and no traceback."""
    try:
        yield
    except AtlasInvalid as exc:
        raise Abort(f"{exc}. Run `python -m generator check` for the same list.") from None
    except AtlasError as exc:
        raise Abort(f"{exc}{exc.outcome}") from None


@dataclass
class SiteBuild:
    """The state of one build: where things are, the atlas, its pages, and the staging folder."""

    root: Path  # the folder of mkdocs.yml
    entries: Path
    editions: Path
    downloads: bool
    offline_of: Atlas | None  # the atlas of the build this offline copy belongs to
    pdf: bool = True  # whether this machine can make the PDF
    offline_copy: bool = True  # whether the downloads include the offline copy (mkdocs.yml has Material's offline plugin)
    raw_html: RawHtmlBlocks = field(default_factory=RawHtmlBlocks)
    atlas: Atlas | None = None
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # generated files that are not pages: feeds, editions, citations
    unreleased: bool = False  # whether What's new shows the changes since the latest edition
    history: History | None = None
    source: SiteSource | None = None  # the pages as every engine gets them, made in on_files
    sidebar: SectionMarker = field(default_factory=SectionMarker)
    rebuild: Rebuild | None = None  # what a preview's rebuild keeps of the last one
    collector: CollectorPause = field(default_factory=CollectorPause)
    full_content: dict[str, str] = field(default_factory=dict)  # generated pages' HTML while search indexes their first part
    staged: tuple[Path, Path] | None = None  # (staging folder, site folder)
    built: bool = False

    @classmethod
    def configure(cls, config: MkDocsConfig, options: AtlasOptions, offline_of: Atlas | None) -> SiteBuild:
        """Read the options and the settings; stage the site folder of ``mkdocs build``."""
        root = Path(config.config_file_path or ".").resolve().parent
        given = settings.current()
        entries = (root / (given.entries or options.entries)).resolve()
        wanted = options.downloads if given.downloads is None else given.downloads
        editions = (root / options.editions).resolve() if options.editions else editions_folder(entries)
        self = cls(root, entries, editions, wanted and SESSION.command == "build" and offline_of is None, offline_of)
        self.unreleased = SESSION.command == "serve" if given.unreleased is None else given.unreleased
        missing = pdf_unavailable() if self.downloads or offline_of is not None else None
        if missing:
            self.pdf = False
            if self.downloads:
                log.info(f"The PDF is skipped: {missing}")
        if self.downloads and OFFLINE_PLUGIN not in config.plugins:
            self.offline_copy = False
            log.info(f"The offline copy is skipped: mkdocs.yml lists no '{OFFLINE_PLUGIN}' plugin (add `- offline: {{enabled: false}}` to its plugins)")
        if offline_of is not None:
            config.extra["polyfills"] = [SHIM]
        config.markdown_extensions.append(self.raw_html)  # type: ignore[arg-type]
        if SEARCH_SCOPE in config.markdown_extensions:  # search reads a generated page up to its mark (page_content): no marks needed
            config.mdx_configs.setdefault(SEARCH_SCOPE, {})["marks"] = False
        for watched in (entries, editions):
            if watched.is_dir():
                config.watch.append(str(watched))
        if SESSION.command == "build" and offline_of is None:
            target = Path(config.site_dir).resolve()
            self.staged = (staging_dir(target), target)
            config.site_dir = str(self.staged[0])
        return self

    def prepare(self, config: MkDocsConfig, limits: AtlasOptions) -> None:
        """Validate and link before MkDocs cleans or writes the site folder, then render the pages.

        Invalid entries stop a build. While serving, they keep the last valid
        preview up instead, so that a typo does not take the server down.
        """
        atlas = self.offline_of
        if atlas is None:
            try:
                atlas = build_atlas(self.entries, Path(config.docs_dir))
            except AtlasInvalid as exc:
                sys.stderr.write(format_problems(exc.problems, "text") + "\n")
                if SESSION.command != "serve" or SESSION.last_valid is None:
                    raise
                log.error("The entries have errors; the preview shows the last valid entries until they are fixed")
                atlas = SESSION.last_valid
            SESSION.last_valid = atlas
        self.atlas = atlas
        cache = SESSION.pages if SESSION.command == "serve" else None
        if cache is not None:
            cache.start_build()
            SESSION.outputs.set_aside(Path(config.site_dir))
            self.collector.pause()  # a preview's process holds every page it keeps: each collection would walk them all
        recorded = SESSION.recorded_history(self.editions) if SESSION.command == "serve" else recorded_history(self.editions)
        history = with_changes_since_latest(recorded, atlas, show_unreleased=self.unreleased)
        output = build_pages(
            atlas, directory_urls=config.use_directory_urls, limits=limits.page_limits.limits(), cache=cache,
            history=history, site_url=config.site_url or None,
        )
        self.pages, self.files, self.history = output.pages, output.files, history
        if cache is not None and cache.reused:
            log.info(f"Rendered {cache.rendered} forum and initiative pages again; {cache.reused} were unchanged")

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add each generated page as a virtual file; every edit link opens the file a page came from.

        ``edit_uri`` in mkdocs.yml is the repository's root: hand-written pages add
        their path under the docs folder, entry pages the path of their YAML file.
        """
        assert self.atlas is not None
        source = self.source = SiteSource(
            self.atlas, SiteOutput(self.pages, self.files), self.root, Path(config.docs_dir).resolve(), self.entries,
            directory_urls=config.use_directory_urls, site_url=config.site_url or None,
            placeholders=Placeholders(self.downloads, self.offline_of is not None, self.pdf, self.offline_copy, self.history),
        )
        guide = source.guide_text()
        if guide is not None and files.get_file_from_path(GUIDE) is None:
            files.append(File.generated(config, GUIDE, content=guide))
        for path, page in source.generated.items():
            files.append(File.generated(config, path, content=page.markdown))
        for file in files.documentation_pages():
            file.edit_uri = source.edit_path(file.src_uri)
        for path, data in source.files.items():
            files.append(File.generated(config, path, content=data))
        return files

    def page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Give generated pages their escaped titles; fill live counts into hand-written pages;
        keep the contributor pages out of search.

        Every page is dated by the edition (the sitemap's dates), whatever the clock says.
        """
        assert self.atlas is not None and self.source is not None
        page.update_date = self.atlas.edition.isoformat()
        source = self.source.page(page.file.src_uri, markdown, page.meta)  # as `python -m generator pages` writes it
        page.meta.update(source.meta)
        if source.generated:
            self.raw_html.expect_generated()
        return source.markdown

    def keep_unchanged(self, files: Files, config: MkDocsConfig) -> Files:
        """While serving, put the last output of each generated page whose inputs did not change in place of the page.

        Only with a navigation in mkdocs.yml (without one, every page is in it), and a
        search index whose entries can be put back (:mod:`generator.site.kept_pages`).
        """
        if SESSION.command != "serve" or self.offline_of is not None:
            return files
        reachable, search = _search_entries(config)
        if not config.nav or not reachable:
            SESSION.outputs.abandon(Path(config.site_dir))
            return files
        assert self.atlas is not None
        date = self.atlas.edition.isoformat()
        titles = tuple((path, self.pages[path].title) for path in sorted(nav_paths(config.nav, titled=False)) if path in self.pages)
        SESSION.outputs.start(site_signature(config, files, titles, date))
        generated = {f.src_uri: (_page_key(self.pages[f.src_uri], f), self.pages[f.src_uri].title) for f in files if f.src_uri in self.pages}
        self.rebuild = Rebuild(SESSION.outputs, search)
        return self.rebuild.select(files, config, generated, self.files, date)

    def page_content(self, html: str, page: MkDocsPage) -> str:
        """Search reads a generated page up to its SEARCH_END mark, the part the page's marks leave to it
        (:mod:`generator.render.search_scope`), and is spared parsing the rest; :meth:`page_context` puts the page back whole."""
        if page.file.src_uri not in self.pages:
            return html
        searchable = searchable_part(html)
        if searchable is None:
            return html
        self.full_content[page.file.src_uri] = html
        return searchable

    def page_context(self, page: MkDocsPage, nav: Navigation) -> None:
        """Give a generated page its whole content back and a page left out of the navigation its section,
        before the theme renders it; note what a preview keeps of it."""
        full = self.full_content.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        self.sidebar.mark(page, nav)
        if self.rebuild is not None:
            self.rebuild.page_built(page)

    def theme_env(self, env: Environment) -> Environment:
        """While serving, a rebuild's new template environment loads the templates the last one compiled."""
        if SESSION.command == "serve":
            env.bytecode_cache = SESSION.templates
        return env

    def template_context(self, context: Any, template_name: str) -> Any:
        """The sitemap lists every page: in a preview's rebuild, the kept ones too."""
        if template_name == "sitemap.xml" and self.rebuild is not None:
            context["pages"] = self.rebuild.site_pages
        return context

    def finish(self, config: MkDocsConfig) -> None:
        """Write the downloads into the finished site, when this build offers them; keep a preview's new outputs."""
        self.sidebar.clear()
        self.collector.resume()
        if self.rebuild is not None:
            rebuild, self.rebuild = self.rebuild, None
            rebuild.finish(config.site_dir)
            log.info(f"Built {rebuild.pages_built} generated pages again; {rebuild.pages_kept} were unchanged")
        if self.downloads:
            assert self.atlas is not None and config.config_file_path
            site = Path(config.site_dir)
            log.info("Writing the PDF and the open data (the PDF takes about a second for every ten entries)" if self.pdf else "Writing the open data")
            written = write_downloads(
                self.atlas, site, content_dir=Path(config.docs_dir), version=atlas_version(self.root), pdf=self.pdf, history=self.history
            )
            if self.offline_copy:
                log.info("Building the offline copy of the site")
                write_offline_copy(config.config_file_path, self.atlas, site, written, engine_of(config))
        self.built = True

    def failed(self) -> None:
        self.sidebar.clear()
        self.collector.resume()
        self.rebuild = None
        self.full_content.clear()
        self.built = False

    def shut_down(self) -> None:
        """Put the staged site in place after a good build; drop it after a failed one."""
        if self.staged is None:
            return
        staged, target = self.staged
        self.staged = None
        if self.built:
            swap_in(staged, target)
        else:
            discard(staged)


def _page_key(page: Page, file: File) -> tuple[str, str, str, str | None]:
    """What a generated page's HTML is made from, besides what all pages share: its Markdown, title, metadata and edit link."""
    return (page.markdown, page.title, repr(page.meta), file.edit_uri)


def _search_entries(config: MkDocsConfig) -> tuple[bool, list[Any] | None]:
    """Whether kept pages can keep their place in search, and the search plugin's list of index entries (None without search).

    Material's search plugin keeps its entries in a list; another one may not, and then no page is kept.
    """
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] != "search" or not getattr(plugin.config, "enabled", True):
            continue
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        return (True, entries) if isinstance(entries, list) else (False, None)
    return True, None
