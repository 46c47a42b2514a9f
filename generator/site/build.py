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
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from generator import settings
from generator.edition import atlas_version
from generator.editions.history import History, editions_folder, recorded_history, with_changes_since_latest
from generator.errors import AtlasInvalid
from generator.link.atlas import Atlas
from generator.output import discard, staging_dir, swap_in
from generator.pdf.available import pdf_unavailable
from generator.pipeline import build_atlas
from generator.problems import format_problems
from generator.render.content import fill_placeholders
from generator.render.head import HEAD, page_head
from generator.render.page import FIELDS, Page
from generator.render.pages import build_pages
from generator.site.downloads import write_downloads
from generator.site.offline import OFFLINE_PLUGIN, engine_of, write_offline_copy
from generator.site.options import AtlasOptions
from generator.site.page_html import searchable_part
from generator.site.raw_html import RawHtmlBlocks
from generator.site.session import SESSION
from generator.site.sidebar import SectionMarker

log = logging.getLogger("mkdocs.plugins.atlas")
# Pages for those who write entries, left out of the search results: a reader's search finds the atlas itself.
CONTRIBUTOR_PAGES = frozenset({"contributing.md", FIELDS})
SHIM = "assets/vendor/iframe-worker-shim.js"  # the offline copy loads the worker shim from its own assets, not from a CDN


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
    full_content: dict[str, str] = field(default_factory=dict)  # generated pages' HTML while search indexes their first part
    sidebar: SectionMarker = field(default_factory=SectionMarker)
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
        self.full_content.clear()
        cache = SESSION.pages if SESSION.command == "serve" else None
        if cache is not None:
            cache.start_build()
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
        docs = Path(config.docs_dir).resolve()
        for file in files.documentation_pages():
            file.edit_uri = self.repo_path(docs / file.src_uri)
        guide = self.root / "CONTRIBUTING.md"
        if guide.is_file() and files.get_file_from_path("contributing.md") is None:
            file = File.generated(config, "contributing.md", content=guide.read_text(encoding="utf-8"))
            file.edit_uri = "CONTRIBUTING.md"
            files.append(file)
        for path, page in self.pages.items():
            file = File.generated(config, path, content=page.markdown)
            entry = page.entry
            file.edit_uri = self.repo_path(self.entries / f"{entry.kind}s" / f"{entry.id}.yaml") if entry else None
            files.append(file)
        for path, data in self.files.items():
            files.append(File.generated(config, path, content=data))
        return files

    def repo_path(self, target: Path) -> str | None:
        """The path of ``target`` in the repository (None when it lies outside)."""
        try:
            return target.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Give generated pages their escaped titles; fill live counts into hand-written pages;
        keep the contributor pages out of search.

        Every page is dated by the edition (the sitemap's dates), whatever the clock says.
        """
        assert self.atlas is not None
        page.update_date = self.atlas.edition.isoformat()
        if page.file.src_uri in CONTRIBUTOR_PAGES:
            page.meta["search"] = {"exclude": True}
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            page.meta.update(generated.meta, title=generated.title)
            self.raw_html.expect_generated()
            return markdown
        page.meta[HEAD] = page_head(None, self.atlas.edition.isoformat(), config.site_url or None, config.use_directory_urls)  # the atlas's feeds
        return fill_placeholders(
            markdown, self.atlas, here=page.file.src_uri, downloads=self.downloads,
            offline=self.offline_of is not None, pdf=self.pdf, offline_zip=self.offline_copy, directory_urls=config.use_directory_urls,
            history=self.history,
        )

    def page_content(self, html: str, page: MkDocsPage) -> str:
        """Search indexes a generated page up to its SEARCH_END mark.

        The search plugin reads ``page.content`` in ``on_page_context``; :meth:`whole_page`
        puts the whole page back after it.
        """
        if page.file.src_uri not in self.pages:
            return html
        searchable = searchable_part(html)
        if searchable is None:
            return html
        self.full_content[page.file.src_uri] = html
        return searchable

    def whole_page(self, page: MkDocsPage, nav: Navigation) -> None:
        """Give a generated page its whole content back, and a page left out of the navigation its section, before the theme renders it."""
        full = self.full_content.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        self.sidebar.mark(page, nav)

    def finish(self, config: MkDocsConfig) -> None:
        """Write the downloads into the finished site, when this build offers them."""
        self.sidebar.clear()
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
        self.built = False
        self.full_content.clear()

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
