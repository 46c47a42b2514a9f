"""The atlas as one PDF: the site's own pages, laid out for paper by WeasyPrint.

The PDF is made from the same rendered pages as the site, so the two cannot
differ in content. Links between pages become links to sections of the PDF;
the contents list gets page numbers (``target-counter``), the outline mirrors
chapter → kind → entry, and matrices are split into landscape tables of a few
gap columns each. WeasyPrint may read only the print stylesheet: any other
fetch stops the run with a clear error rather than a PDF with something missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown

from generator.content import counts, fill_placeholders
from generator.kinds import KINDS
from generator.link import Atlas
from generator.render import (
    COVERAGE_INDEX,
    FULL_MATRIX,
    PATHWAY_MATRIX,
    SOURCES,
    Limits,
    Page,
    edition_date,
    render_pages,
)
from generator.urls import entry_page, page_url

PRINT_ASSETS = Path(__file__).parent / "print"
# The Markdown extensions of the site (mkdocs.yml), so pages convert the same way.
MARKDOWN_EXTENSIONS = ["admonition", "tables", "toc"]
GAP_COLUMNS_PER_TABLE = 8
# Long lists go over several sections of at most this many rows: WeasyPrint lays out
# one long table in more than linear time. Gap and pathway pages list everything.
PRINT_LIMITS = Limits(index_rows=150, matrix_rows=100, claims_per_level=None, members_shown=None, names_per_cell=None)
TITLE = "Space Governance Atlas"
DESCRIPTION = "Who governs what in international space governance, where it falls short, what is being done about it, and by which route."


class PdfError(Exception):
    """The PDF could not be made; nothing was written."""


@dataclass
class Section:
    """One page of the site as a section of the PDF."""

    anchor: str
    level: int
    title: str
    html: str
    landscape: bool = False
    children: list[Section] = field(default_factory=list)


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
_TITLE_TEXT = re.compile(r"<[^>]+>")


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


class PrintBook:
    """Collects the atlas's pages as chapters of one print document."""

    def __init__(self, atlas: Atlas, content_dir: Path | None) -> None:
        self.atlas = atlas
        self.pages: dict[str, Page] = render_pages(atlas, columns_per_table=GAP_COLUMNS_PER_TABLE, limits=PRINT_LIMITS)
        self.sources: dict[str, str] = {path: page.markdown for path, page in self.pages.items() if page.entry or "/" in path or path == SOURCES}
        for name in ("methodology", "brief"):
            source = content_dir / f"{name}.md" if content_dir else None
            if source is not None and source.is_file():
                self.sources[f"{name}.md"] = fill_placeholders(source.read_text(encoding="utf-8"), atlas)
        self.linker = PageLinker(list(self.sources))
        self.md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")

    def section(self, path: str, level: int, *, landscape: bool = False) -> Section:
        self.md.reset()
        html = self.linker.rewrite(path, self.md.convert(self.sources[path]))
        page = self.pages.get(path)
        title = _TITLE_TEXT.sub("", page.title) if page else _first_heading(self.sources[path])
        return Section(anchor_of(path), level, title, html, landscape)

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
        coverage = [
            self.section(COVERAGE_INDEX, 1),
            self.section(PATHWAY_MATRIX, 2, landscape=True),
            self.section(FULL_MATRIX, 2, landscape=not parts),
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
        sources = [self.section(SOURCES, 1), *(self.section(path, 2) for path in self.continued("sources/"))]
        chapters.append(Chapter(sources[0].title, sources[0].anchor, sources, sources[1:]))
        if "brief.md" in self.sources:
            brief = self.section("brief.md", 1)
            chapters.append(Chapter(brief.title, brief.anchor, [brief], []))
        return chapters


def _first_heading(text: str) -> str:
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "Untitled"


def print_html(atlas: Atlas, *, content_dir: Path | None = None, version: str = "unversioned") -> str:
    """The whole atlas as one HTML document for paged media."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PRINT_ASSETS), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    edition = edition_date(atlas)
    book = PrintBook(atlas, content_dir)
    chapters = book.chapters()
    for chapter in chapters:
        for section in chapter.sections:
            section.html = jinja2.filters.Markup(section.html)  # type: ignore[assignment]
    return env.get_template("atlas.html.j2").render(
        title=TITLE,
        description=DESCRIPTION,
        edition=edition.isoformat(),
        timestamp=dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        counts=counts(atlas),
        version=version,
        chapters=chapters,
    )


class _Failures(logging.Handler):
    """Collects WeasyPrint's errors, which it would otherwise only log."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(html: str) -> tuple[bytes, int]:
    """Lay out the print HTML; return the PDF's bytes and its page count."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class AssetsOnly(URLFetcher):
        """Fetches the print stylesheet and nothing else: no file, no network."""

        def fetch(self, url: str, headers: object = None) -> object:
            allowed = (PRINT_ASSETS / "print.css").resolve().as_uri()
            if url != allowed:
                raise PdfError(f"the PDF may only load its own stylesheet, not {url}")
            return super().fetch(url, headers)

    failures = _Failures()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        document = HTML(string=html, base_url=PRINT_ASSETS.resolve().as_uri() + "/", url_fetcher=AssetsOnly(fail_on_errors=True)).render()
        if failures.messages:
            raise PdfError("; ".join(failures.messages))
        data = document.write_pdf()
    except FatalURLFetchingError as exc:
        raise PdfError(f"{exc}: {exc.__cause__}" if exc.__cause__ else str(exc)) from None
    finally:
        logger.removeHandler(failures)
    if not data or not document.pages:
        raise PdfError("the layout produced no pages")
    return data, len(document.pages)


def atlas_version(root: Path) -> str:
    """ATLAS_VERSION when set, else the repository's short commit, else ``unversioned``."""
    import os
    import subprocess

    if os.environ.get("ATLAS_VERSION"):
        return os.environ["ATLAS_VERSION"]
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unversioned"
    commit = done.stdout.strip()
    return f"commit {commit}" if done.returncode == 0 and commit else "unversioned"


def write_atlas_pdf(atlas: Atlas, out: Path, *, content_dir: Path | None, version: str) -> int:
    """Render the atlas and write it to ``out`` atomically; return the page count."""
    from generator.output import write_file_atomically

    data, pages = render_pdf(print_html(atlas, content_dir=content_dir, version=version))
    write_file_atomically(out, data)
    return pages
