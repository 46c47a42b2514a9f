"""The atlas as a print book: the site's own pages gathered into chapters and sections.

The PDF is made from the same rendered pages as the site, so the two cannot
differ in content. Links between pages become links to sections of the PDF;
the contents list gets page numbers, the outline mirrors chapter → kind →
entry, and matrices are split into landscape tables of a few gap columns each.
This module gathers the pages into a print book (:class:`PrintBook`);
:mod:`generator.pdf.layout` lays out HTML with WeasyPrint, :mod:`generator.pdf.parts`
lays the book out in parts, in parallel when it is long, and :mod:`generator.pdf.merge`
joins them.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from generator.editions.history import History
from generator.kinds.declaration import KINDS, LEVELS
from generator.link.atlas import Atlas
from generator.pdf.compact import compact
from generator.pdf.layout import PRINT_ASSETS, print_environment
from generator.pdf.markdown_config import find_mkdocs_yml, site_markdown
from generator.render.content import fill_placeholders
from generator.render.context import RenderContext
from generator.render.graph_page import RELATIONS, graph_for_print, without_ego_graph
from generator.render.page import COVERAGE_INDEX, FULL_MATRIX, PATHWAY_MATRIX, SOURCES, TIMELINE, Limits, Page
from generator.render.pages import render_pages
from generator.render.timeline_page import without_filters
from generator.render.urls import entry_page, page_url
from generator.render.whats_new import THIS_EDITION, WHATS_NEW_FOLDER, this_edition_page

# The one option of the site's Markdown the print changes: a heading's permalink sign is for the screen.
PRINT_MARKDOWN_OPTIONS = {"toc": {"permalink": False}}
GAP_COLUMNS_PER_TABLE = 8
# Long lists go over several sections of at most this many rows: WeasyPrint lays out
# one long table in more than linear time. Gap and pathway pages list everything.
PRINT_LIMITS = Limits(index_rows=150, matrix_rows=100, claims_per_level=None, members_shown=None, names_per_cell=None, timeline_events=None)
# The full matrix (every forum and initiative against every gap) is printed only up to this
# many rows. Printed, it takes about rows / 30 landscape pages for every 8 gaps, and a reader
# follows a row across the tables of its gap columns: at 250 rows and 40 gaps that is already
# 40 pages, 8 apart; at 1,000 rows, 320. Beyond it a short note stands in its place: the site
# has the matrix, and each gap's page here lists every claim on it, by level.
PRINT_MATRIX_MAX_ROWS = 250
TITLE = "Space Governance Atlas"
DESCRIPTION = "Who governs what in international space governance, where it falls short, what is being done about it, and by which route."


@dataclass
class Section:
    """One page of the site as a section of the PDF; ``title`` is plain text.

    An entry's section keeps its page's Markdown (``path``, ``markdown``) and an empty
    ``html`` until it is laid out: the conversion runs in the process that lays it out.
    """

    anchor: str
    level: int
    title: str
    html: str
    landscape: bool = False
    children: list[Section] = field(default_factory=list)
    path: str = ""
    markdown: str = ""

    @property
    def size(self) -> int:
        """How much there is to lay out, in characters (of Markdown until converted)."""
        return len(self.html or self.markdown)


@dataclass
class Chapter:
    title: str
    anchor: str
    sections: list[Section]
    children: list[Section]


def anchor_of(path: str) -> str:
    """The id of a page's section: ``forums/esa.md`` → ``p-forums-esa``."""
    return "p-" + path.removesuffix(".md").replace("/", "-")


_HREF = re.compile(r'(<a\b[^>]*?)\shref="([^"]*)"')
_ID = re.compile(r'(<[a-zA-Z][^>]*?\sid=")([^"]*)(")')
_TAGS = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(htmllib.unescape(_TAGS.sub("", markup)).split())


class PageLinker:
    """Turns links between site pages into links between sections of one document."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = set(paths)
        self.by_url = {page_url(p).rstrip("/"): p for p in paths}

    def target(self, here: str, href: str) -> str | None:
        if href.startswith(("http://", "https://", "mailto:")):
            return href
        target, _, fragment = href.partition("#")
        if not target:
            path = here
        elif target.endswith(".md"):
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
        else:
            url = posixpath.normpath(posixpath.join(page_url(here), target))
            path = self.by_url.get("" if url == "." else url, "")
        if path not in self.paths:
            return None
        return f"#{anchor_of(path)}" + (f"--{fragment}" if fragment else "")

    def rewrite(self, here: str, html: str) -> str:
        prefix = anchor_of(here)
        html = _ID.sub(lambda m: f"{m.group(1)}{prefix}--{m.group(2)}{m.group(3)}", html)

        def link(match: re.Match[str]) -> str:
            target = self.target(here, match.group(2))
            return match.group(1) if target is None else f'{match.group(1)} href="{target}"'

        return _HREF.sub(link, html)


def print_markdown(mkdocs_yml: Path | None = None) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The site's Markdown extensions and their options (:func:`site_markdown`), with :data:`PRINT_MARKDOWN_OPTIONS`."""
    extensions, configs = site_markdown(mkdocs_yml)
    for name, options in PRINT_MARKDOWN_OPTIONS.items():
        if name in extensions:
            configs[name] = {**configs.get(name, {}), **options}
    return extensions, configs


class PageConverter:
    """Converts a page's Markdown into the HTML of its section: as the site does, then with
    links between pages made links between sections, and compacted for print."""

    def __init__(self, paths: list[str], mkdocs_yml: Path | None = None) -> None:
        """``mkdocs_yml``: the site's configuration, whose Markdown extensions convert the pages
        (default: :func:`generator.pdf.markdown_config.find_mkdocs_yml`)."""
        self.linker = PageLinker(paths)
        extensions, configs = print_markdown(mkdocs_yml)
        self.md = markdown.Markdown(extensions=extensions, extension_configs=configs, output_format="html")

    def convert(self, path: str, text: str) -> str:
        self.md.reset()
        return compact(self.linker.rewrite(path, self.md.convert(text)))


class PrintBook:
    """Collects the atlas's pages as chapters of one print document."""

    def __init__(self, atlas: Atlas, content_dir: Path | None, assets: Path | None = None, history: History | None = None) -> None:
        """``history``: the recorded editions, for the chapter "Changes in this edition" (none without them)."""
        self.atlas = atlas
        self.assets = assets or PRINT_ASSETS
        self.pages: dict[str, Page] = render_pages(atlas, columns_per_table=GAP_COLUMNS_PER_TABLE, limits=PRINT_LIMITS)
        self.full_matrix = len(atlas.actors) <= PRINT_MATRIX_MAX_ROWS
        self.sources: dict[str, str] = {
            path: page.markdown for path, page in self.pages.items()
            if (page.entry or "/" in path or path in (SOURCES, TIMELINE, RELATIONS)) and (self.full_matrix or not path.startswith("coverage/matrix/"))
            and not path.startswith(WHATS_NEW_FOLDER)  # the site's page per edition: the PDF has its own chapter of this edition's changes
        }
        changes = this_edition_page(RenderContext(atlas, limits=PRINT_LIMITS, history=history)) if history else None
        if changes is not None:
            self.pages[changes.path] = changes
            self.sources[changes.path] = changes.markdown
        self.sources = {path: without_ego_graph(text) if self.pages[path].entry else text for path, text in self.sources.items()}
        self.sources[RELATIONS] = graph_for_print(self.sources[RELATIONS])
        if TIMELINE in self.sources:
            self.sources[TIMELINE] = without_filters(self.sources[TIMELINE])
        for name in ("methodology", "brief"):
            source = content_dir / f"{name}.md" if content_dir else None
            if source is not None and source.is_file():
                self.sources[f"{name}.md"] = fill_placeholders(source.read_text(encoding="utf-8"), atlas)
        self.mkdocs_yml = find_mkdocs_yml(content_dir)  # whose Markdown extensions convert the pages, here and in workers
        self.converter = PageConverter(list(self.sources), self.mkdocs_yml)

    def section(self, path: str, level: int, *, landscape: bool = False) -> Section:
        """A page as a section; an entry's page (level 3) is converted later, where it is laid out."""
        page = self.pages.get(path)
        title = plain_text(page.title) if page else _first_heading(self.sources[path])
        if level > 2:
            return Section(anchor_of(path), level, title, "", landscape, path=path, markdown=self.sources[path])
        return Section(anchor_of(path), level, title, self.converter.convert(path, self.sources[path]), landscape)

    def matrix_note(self) -> Section:
        """What stands in the full matrix's place when it is too long to print."""
        atlas = self.atlas
        gaps = [(g, anchor_of(entry_page(g.kind, g.id)), atlas.coverage_by_level(g.id)) for g in atlas.gaps]
        html = print_environment(self.assets).get_template("matrix_note.html.j2").render(
            actors=len(atlas.actors), gaps=gaps, levels=LEVELS, limit=PRINT_MATRIX_MAX_ROWS,
        )
        return Section(anchor_of(FULL_MATRIX), 2, "Full matrix", html)

    def continued(self, prefix: str) -> list[str]:
        """The later pages of a list split over pages (``sources/2.md`` …), in order; "no pathway" last."""
        def order(path: str) -> tuple[bool, list[object]]:
            return "/_none" in path, [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]

        return sorted((path for path in self.sources if path.startswith(prefix)), key=order)

    def chapters(self) -> list[Chapter]:
        chapters = []
        if "methodology.md" in self.sources:
            intro = self.section("methodology.md", 1)
            chapters.append(Chapter(intro.title, intro.anchor, [intro], []))
        parts = self.continued("coverage/matrix/")
        matrix = self.section(FULL_MATRIX, 2, landscape=not parts) if self.full_matrix else self.matrix_note()
        coverage = [
            self.section(COVERAGE_INDEX, 1),
            self.section(PATHWAY_MATRIX, 2, landscape=True),
            matrix,
            *(self.section(path, 2, landscape=True) for path in parts),
        ]
        chapters.append(Chapter(coverage[0].title, coverage[0].anchor, coverage, coverage[1:]))
        entries_title = Section("p-entries", 1, "Entries", '<h1 id="p-entries--title">Entries</h1>')
        sections, children = [entries_title], []
        for kind in KINDS.values():
            index = self.section(f"{kind.folder}/index.md", 2)
            more = [self.section(path, 2) for path in self.continued(f"{kind.folder}/index/")]
            index.children = [self.section(entry_page(e.kind, e.id), 3) for e in self.atlas.by_kind[kind.name]]
            sections += [index, *more, *index.children]
            children += [index, *more]
        chapters.append(Chapter("Entries", "p-entries", sections, children))
        timeline = self.section(TIMELINE, 1)
        chapters.append(Chapter(timeline.title, timeline.anchor, [timeline], []))
        relations = self.section(RELATIONS, 1)
        chapters.append(Chapter(relations.title, relations.anchor, [relations], []))
        if THIS_EDITION in self.sources:
            changes = self.section(THIS_EDITION, 1)
            chapters.append(Chapter(changes.title, changes.anchor, [changes], []))
        sources = [self.section(SOURCES, 1), *(self.section(path, 2) for path in self.continued("sources/"))]
        chapters.append(Chapter(sources[0].title, sources[0].anchor, sources, sources[1:]))
        if "brief.md" in self.sources:
            brief = self.section("brief.md", 1)
            chapters.append(Chapter(brief.title, brief.anchor, [brief], []))
        return chapters


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "Untitled"


@dataclass(frozen=True)
class Cover:
    """What the cover and the document's metadata say."""

    title: str
    description: str
    edition: str
    timestamp: str
    counts: dict[str, int]
    version: str


def cover_of(atlas: Atlas, version: str) -> Cover:
    """The cover of the atlas's edition: its date (also as the metadata's timestamp) and numbers."""
    edition = atlas.edition
    stamp = f"{edition.isoformat()}T00:00:00Z"
    return Cover(TITLE, DESCRIPTION, edition.isoformat(), stamp, atlas.counts(), version)
