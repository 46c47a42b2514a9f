"""The core's front door: entries folder → validated, linked atlas → pages in memory."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.link import Atlas, link_atlas
from generator.page_cache import PageCache
from generator.problems import Problem
from generator.quotes import Document
from generator.render import Limits, Page, render_pages
from generator.validate import ReviewPolicy, Validated, validate_folder


class AtlasInvalid(Exception):
    """The entries have errors; nothing may be built from them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the entries; nothing was built")


class EntriesFolderMissing(Exception):
    """The entries folder does not exist."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while the core builds many small, acyclic objects.

    Left on, it rescans every object already built each time it runs, which
    makes loading thousands of entries grow faster than their number.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def documents_in(content_dir: Path | None) -> dict[str, Document] | None:
    """The documents sources may cite, by name: the Markdown pages at the top of the content folder."""
    if content_dir is None or not content_dir.is_dir():
        return None
    return {path.stem: Document.from_markdown(path.stem, path.read_text(encoding="utf-8")) for path in sorted(content_dir.glob("*.md"))}


def check_entries(
    entries_dir: Path, content_dir: Path | None = None, review: ReviewPolicy | None = None
) -> Validated:
    """Load and validate every entry (all problems, nothing raised for bad data)."""
    if not entries_dir.is_dir():
        raise EntriesFolderMissing(f"entries folder not found: {entries_dir}")
    with gc_paused():
        return validate_folder(entries_dir, documents_in(content_dir), review)


def build_atlas(entries_dir: Path, content_dir: Path | None = None) -> Atlas:
    """Validate and link the entries, or raise :class:`AtlasInvalid` with every problem."""
    result = check_entries(entries_dir, content_dir)
    if result.errors:
        raise AtlasInvalid(result.problems)
    with gc_paused():
        return link_atlas(result.entries)


def build_pages(
    atlas: Atlas, *, directory_urls: bool = True, limits: Limits = Limits(), cache: PageCache | None = None
) -> dict[str, Page]:
    """Render every generated page of the atlas: docs path → page (``cache``: reuse unchanged entry pages)."""
    with gc_paused():
        return render_pages(atlas, directory_urls=directory_urls, limits=limits, cache=cache)
