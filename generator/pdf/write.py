"""Write the atlas as one PDF: render its pages, lay them out, write the file atomically."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator.editions.history import History
from generator.errors import PdfError, PdfUnavailable
from generator.link.atlas import Atlas
from generator.output import write_file_atomically
from generator.pdf.available import pdf_unavailable
from generator.pdf.book import PrintBook, cover_of
from generator.pdf.parts import build_pdf
from generator.pipeline import gc_paused


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_atlas_pdf(
    atlas: Atlas,
    out: Path,
    *,
    content_dir: Path | None,
    version: str,
    part_size: int | None = None,
    progress: Callable[[str], None] | None = _to_stderr,
    history: History | None = None,
) -> int:
    """Render the atlas and write it to ``out`` atomically; return the page count.

    ``part_size`` bounds a part laid out at once (characters of HTML; default
    :data:`generator.pdf.parts.PART_SIZE`, or ``ATLAS_PDF_PART_SIZE``, which tests set
    to force several parts). ``progress`` receives short lines about long work; ``history``,
    the recorded editions, gives the chapter "Changes in this edition".
    Raises :class:`PdfUnavailable` before any work when WeasyPrint cannot load its system
    libraries, so that no worker process is the first to find out.
    """
    unavailable = pdf_unavailable()
    if unavailable:
        raise PdfUnavailable(unavailable)
    try:
        with gc_paused():  # the book and the merge build many objects, few of them cycles
            book = PrintBook(atlas, content_dir, history=history)
            data, pages = build_pdf(
                book.chapters(),
                cover_of(atlas, version),
                assets=book.assets,
                paths=list(book.sources),
                mkdocs_yml=book.mkdocs_yml,
                part_size=part_size,
                progress=progress,
            )
    except ModuleNotFoundError as missing:  # WeasyPrint and pikepdf are imported only now, maybe in a worker process
        raise PdfError(f"the module {missing.name!r} is missing; install the dependencies first: pip install -r requirements.txt") from None
    write_file_atomically(out, data)
    return pages
