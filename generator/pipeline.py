"""The core's front door: entries folder → validated, linked atlas.

Rendering the atlas is the next step, in :mod:`generator.render.pages`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import settings
from generator.errors import AtlasInvalid, EntriesFolderMissing
from generator.link.atlas import Atlas, link_atlas
from generator.validate.entries import ReviewPolicy, Validated, validate_folder
from generator.validate.quotes import Document


class CollectorPause:
    """The cycle collector paused, and resumed if it was on: from one event of a build to a later one, or around a block (:func:`gc_paused`).

    A preview's process keeps every page it may reuse: each collection during a rebuild would walk them all.
    """

    def __init__(self) -> None:
        self._resume = False

    def pause(self) -> None:
        if not self._resume and gc.isenabled():
            gc.disable()
            self._resume = True

    def resume(self) -> None:
        if self._resume:
            gc.enable()
            self._resume = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while the core builds many small, acyclic objects.

    Left on, it rescans every object already built each time it runs, which
    makes loading thousands of entries grow faster than their number.
    """
    pause = CollectorPause()
    pause.pause()
    try:
        yield
    finally:
        pause.resume()


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
        return link_atlas(result.entries, source_date_epoch=settings.current().source_date_epoch)

