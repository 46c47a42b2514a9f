"""Lay out the print book in parts, in parallel processes when it is long, and join them.

WeasyPrint lays out one document on one core, in time and memory that grow with its
length (about a tenth of a second and 5 MB a page of entries). The book's body is therefore
cut at section boundaries into parts of bounded size, each laid out as a document of
its own by a pool of worker processes (each holds only its part), and the parts are
merged by :mod:`generator.pdf.merge`. What one document gave for free is done across
parts here:

- links to a section in another part point at ``atlas-part:ANCHOR`` and become links to
  the named destination when merging;
- the contents are laid out last, with the body's page numbers; an estimate laid out
  beside the body, with empty page-number cells of fixed width, tells how many pages
  they take before the numbers are known, and the final contents must keep that count;
- the running heads (chapter and section, as the headings before each page set them)
  and the page numbers, "n / total", are laid out last, as blank pages of their own (in
  a few chunks), and laid over the pages of the book.

A book of one part is laid out in this process: no process start-up for small atlases.
"""

from __future__ import annotations

import gc
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from generator import settings
from generator.errors import PdfError
from generator.pdf.book import Chapter, Cover, PageConverter, Section, plain_text
from generator.pdf.layout import Laid, Messages, lay_out, print_environment
from generator.pdf.merge import Heading, Merger
from generator.workers import Job, Pool, as_completed, cpus

# The largest part laid out at once, in characters of section HTML (or Markdown, for
# entries not yet converted): about 45 pages, 8 s and 230 MB of a worker.
# WeasyPrint holds a part's whole layout in memory (a few MB a page), so this bounds
# each worker's memory; smaller parts cost a little more (each is a document of its own,
# and a cut inside a chapter starts a new page) and balance better across processes.
PART_SIZE = 400_000
PARTS_IN_STEPS_OF = 2
# The margins (running heads and page numbers) are laid out as documents of at most this
# many pages, by page count alone: each document subsets the fonts on its own.
MARGIN_PAGES = 30
PART_LINK = "atlas-part:"  # a link to a section laid out in another part, resolved when merging
CONTENTS_ANCHOR = "contents"
_LOCAL_HREF = re.compile(r'(\shref=)"#([^"]*)"')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)


@dataclass(frozen=True)
class Part:
    """A run of whole sections laid out as one document."""

    number: int
    groups: tuple[tuple[Section, ...], ...]  # its sections, grouped by chapter

    @property
    def sections(self) -> list[Section]:
        return [section for group in self.groups for section in group]

    @property
    def size(self) -> int:
        return sum(section.size for section in self.sections)


def default_part_size() -> int:
    """PART_SIZE, or the ATLAS_PDF_PART_SIZE setting."""
    return settings.current().pdf_part_size or PART_SIZE


def split_book(chapters: list[Chapter], size: int) -> list[Part]:
    """Cut the body at section boundaries into parts of about equal length, each about ``size`` or less.

    More than one part come in a multiple of PARTS_IN_STEPS_OF, so that two processes finish
    together; never by the CPUs there are, since a cut starts a new page: the same book is cut
    the same way, and gives the same bytes, on every machine.
    """
    flat = [(number, replace(section, children=[])) for number, chapter in enumerate(chapters) for section in chapter.sections]
    total = sum(section.size for _, section in flat)
    count = max(1, math.ceil(total / size))
    if count > 1:
        count = math.ceil(count / PARTS_IN_STEPS_OF) * PARTS_IN_STEPS_OF
    cuts: list[list[tuple[int, Section]]] = [[]]
    done = 0
    for number, section in flat:
        if cuts[-1] and done + section.size / 2 > len(cuts) * total / count:
            cuts.append([])
        cuts[-1].append((number, section))
        done += section.size
    return [Part(n, _by_chapter(cut)) for n, cut in enumerate(cuts, 1)]


def heading_of(section: Section) -> str:
    """The text of a section's heading, as the running heads and the outline show it (a title may say more: "(page 2 of 3)")."""
    match = _H1.search(section.html)
    return plain_text(match.group(1)) if match else section.title


def _by_chapter(cut: list[tuple[int, Section]]) -> tuple[tuple[Section, ...], ...]:
    groups: list[list[Section]] = []
    last = None
    for number, section in cut:
        if number != last:
            groups.append([])
            last = number
        groups[-1].append(section)
    return tuple(tuple(group) for group in groups)


def part_html(part: Part, cover: Cover, assets: Path, converter: PageConverter) -> str:
    """A part as an HTML document (entries converted here); links to sections elsewhere become ``atlas-part:`` links."""
    here = {section.anchor for section in part.sections}

    def relink(match: re.Match[str]) -> str:
        name = match.group(2)
        return match.group(0) if name.split("--")[0] in here else f'{match.group(1)}"{PART_LINK}{name}"'

    groups = []
    for group in part.groups:
        views = []
        for section in group:
            classes = f"level-{section.level}" + (" landscape" if section.landscape else "")
            html = section.html or converter.convert(section.path, section.markdown)
            html = Markup(_LOCAL_HREF.sub(relink, html))  # sanitised section HTML
            views.append({"anchor": section.anchor, "classes": classes, "html": html})
        groups.append(views)
    return print_environment(assets).get_template("part.html.j2").render(cover=cover, groups=groups)


def front_html(chapters: list[Chapter], cover: Cover, numbers: dict[str, int] | None, assets: Path) -> str:
    """The cover and the contents; without ``numbers`` (anchor → page), their page numbers are left blank."""
    return print_environment(assets).get_template("front.html.j2").render(
        cover=cover, chapters=chapters, numbers=numbers or {}, link=PART_LINK, contents=CONTENTS_ANCHOR,
    )


@dataclass(frozen=True)
class Margins:
    """What a page shows in its margins: the running heads and the page number."""

    chapter: str
    section: str
    folio: str
    landscape: bool


def margins_html(pages: list[Margins], cover: Cover, assets: Path) -> str:
    """Blank pages carrying only what their margins show, to lay over the pages of the book."""
    return print_environment(assets).get_template("margins.html.j2").render(cover=cover, pages=pages)


def running_heads(chapters: list[Chapter], numbers: dict[str, int], total: int) -> dict[int, tuple[str, str]]:
    """Page number → (chapter, section) in its running head, for the pages after the contents.

    As CSS ``string-set`` with ``string()`` would give them in one document: a chapter's
    heading sets the chapter and clears the section, a level-2 heading sets the section;
    a page shows the first value set on it, or else the last one set before it.
    """
    sets: dict[int, list[tuple[str, str]]] = {}
    for chapter in chapters:
        for section in chapter.sections:
            if section.level == 1:
                sets.setdefault(numbers[section.anchor], []).extend([("chapter", heading_of(section)), ("section", "")])
            elif section.level == 2:
                sets.setdefault(numbers[section.anchor], []).append(("section", heading_of(section)))
    heads: dict[int, tuple[str, str]] = {}
    last = {"chapter": "", "section": ""}
    for page in range(min(sets, default=total + 1), total + 1):
        shown = dict(last)
        for name in ("chapter", "section"):
            values = [value for key, value in sets.get(page, []) if key == name]
            if values:
                shown[name], last[name] = values[0], values[-1]
        heads[page] = (shown["chapter"], shown["section"])
    return heads


def outline_of(chapters: list[Chapter]) -> list[Heading]:
    """The outline: the contents, then chapter → section (a kind's index) → entry."""
    def heading(section: Section) -> Heading:
        return Heading(heading_of(section), section.anchor, [heading(child) for child in section.children])

    return [Heading("Contents", CONTENTS_ANCHOR)] + [
        Heading(heading_of(chapter.sections[0]), chapter.anchor, [heading(child) for child in chapter.children]) for chapter in chapters
    ]


@dataclass(frozen=True)
class PartJob:
    """What a process needs to lay out a part: the part, the cover (for the metadata), every page's path (for links),
    and the site's configuration (for its Markdown extensions)."""

    part: Part
    cover: Cover
    paths: tuple[str, ...]
    mkdocs_yml: Path

    def html(self, assets: Path) -> str:
        return part_html(self.part, self.cover, assets, PageConverter(list(self.paths), self.mkdocs_yml))


@dataclass(frozen=True)
class Untagged:
    """An HTML document laid out without tags: the contents' estimate, which only counts pages, and the
    margins, laid over the book's pages as artifacts (:mod:`generator.pdf.merge`); tags would be thrown away."""

    html: str


def _lay_out_job(job: PartJob | str | Untagged, assets: Path) -> Laid:
    if isinstance(job, Untagged):
        return lay_out(job.html, assets, tagged=False)
    return lay_out(job if isinstance(job, str) else job.html(assets), assets)


def _lay_out_in_worker(job: PartJob | str | Untagged, assets: str) -> Laid:
    """A job laid out in a worker process, bringing WeasyPrint's warnings back with the result."""
    logger = logging.getLogger("weasyprint")
    warnings = Messages(logging.WARNING)
    logger.addHandler(warnings)
    try:
        laid = _lay_out_job(job, Path(assets))
    finally:
        logger.removeHandler(warnings)
    return replace(laid, warnings=tuple(warnings.messages))


def _prepare_layout_worker() -> None:
    """Import WeasyPrint once, and keep what it holds for good out of the cycle collector's
    scans: after each part :func:`generator.pdf.layout.lay_out` collects the part's garbage."""
    import weasyprint  # noqa: F401

    gc.freeze()


def layout_pool(workers: int) -> Pool:
    """Spawned processes that lay out documents (each imports WeasyPrint once), or none when ``workers`` is 1."""
    return Pool(workers if workers > 1 else 0, start="spawn", prepare=_prepare_layout_worker, doing="laying out the PDF")


def _lay_out_with(pool: Pool, job: PartJob | str | Untagged, assets: Path) -> Job[Laid]:
    """Lay out a part or an HTML document (tagged, unless :class:`Untagged`): in a worker, or here when the pool has none."""
    if pool.workers:
        return pool.submit(_lay_out_in_worker, job, str(assets))
    return pool.submit(_lay_out_job, job, assets)


def _result(job: Job[Laid]) -> Laid:
    """A layout's result; a worker's warnings are logged here, as if it had run in this process."""
    laid = job.result()
    for message in laid.warnings:
        logging.getLogger("weasyprint").warning("%s", message)
    return laid


def _chunks(items: list[Margins], count: int) -> Iterator[list[Margins]]:
    size = math.ceil(len(items) / count) if items else 1
    for start in range(0, len(items), size):
        yield items[start : start + size]


def page_numbers(first: int, bodies: list[Laid]) -> dict[str, int]:
    """Section anchor → its page number (1-based) when the body's parts follow ``first`` pages."""
    numbers: dict[str, int] = {}
    for body in bodies:
        for anchor, index in body.anchors.items():
            numbers.setdefault(anchor, first + index + 1)
        first += body.pages
    return numbers


def margin_pages(chapters: list[Chapter], numbers: dict[str, int], landscape: list[bool]) -> list[Margins]:
    """What the margins of each page but the cover show; ``landscape``: each page's orientation."""
    total = len(landscape)
    contents = dict.fromkeys(range(2, min(numbers.values(), default=total + 1)), ("Contents", ""))
    heads = running_heads(chapters, numbers, total) | contents
    return [Margins(*heads.get(page, ("", "")), f"{page} / {total}", landscape[page - 1]) for page in range(2, total + 1)]


def _lay_out_body(pool: Pool, jobs: list[PartJob], assets: Path, merger: Merger, say: Callable[[str], None]) -> list[Laid]:
    """Lay out the parts; merge them in order as they come."""
    parts = {_lay_out_with(pool, job, assets): job.part for job in jobs}
    laid: dict[int, Laid] = {}
    for done in as_completed(parts):
        part = parts[done]
        laid[part.number] = _result(done)
        while len(merger.parts) < len(jobs) and len(merger.parts) + 1 in laid:
            merger.append(laid[len(merger.parts) + 1].data)
        if len(jobs) > 1:
            say(f"laid out part {part.number}/{len(jobs)}: {laid[part.number].pages} pages, "
                f"{part.sections[0].title} … {part.sections[-1].title} ({len(laid)}/{len(jobs)} done)")
    return [laid[number] for number in range(1, len(jobs) + 1)]


def build_pdf(
    chapters: list[Chapter], cover: Cover, *, assets: Path, paths: list[str], mkdocs_yml: Path, part_size: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[bytes, int]:
    """Lay out the book (in parts, in parallel when there are several) and merge it; return the PDF and its page count."""
    say = progress or (lambda message: None)
    parts = split_book(chapters, part_size or default_part_size())
    workers = min(cpus(), len(parts))
    if len(parts) > 1:
        say(f"laying out the atlas in {len(parts)} parts, {workers} at a time")
    with layout_pool(workers) as pool, Merger(PART_LINK) as merger:
        estimate = _lay_out_with(pool, Untagged(front_html(chapters, cover, None, assets)), assets)
        bodies = _lay_out_body(pool, [PartJob(part, cover, tuple(paths), mkdocs_yml) for part in parts], assets, merger, say)
        front_landscape = _result(estimate).landscape
        numbers = page_numbers(len(front_landscape), bodies)
        missing = [s.anchor for c in chapters for s in c.sections if s.anchor not in numbers]
        if missing:
            raise PdfError(f"sections missing from the layout: {', '.join(missing[:5])}")
        margins = margin_pages(chapters, numbers, [*front_landscape, *(flag for body in bodies for flag in body.landscape)])
        if len(parts) > 1:
            say(f"laying out the contents ({len(front_landscape)} pages) and the margins of {len(margins) + 1} pages")
        final = _lay_out_with(pool, front_html(chapters, cover, numbers, assets), assets)
        # one job more than processes besides the contents, so that both stay busy to the end
        chunks = _chunks(margins, math.ceil(len(margins) / MARGIN_PAGES))
        overlays = [_lay_out_with(pool, Untagged(margins_html(chunk, cover, assets)), assets) for chunk in chunks]
        merger.resolve_links()  # meanwhile
        front = _result(final)
        if front.pages != len(front_landscape):
            raise PdfError(f"the contents took {front.pages} pages, not the {len(front_landscape)} estimated")
        sheets = [_result(overlay).data for overlay in overlays]
        if len(parts) > 1:
            say(f"merging {len(parts)} parts into {len(margins) + 1} pages")
        return merger.finish(front.data, sheets, outline_of(chapters)), len(margins) + 1
