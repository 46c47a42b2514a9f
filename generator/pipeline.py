"""The core's front door: entries folder → validated, linked atlas → pages in memory."""

from __future__ import annotations

from pathlib import Path

from generator.link import Atlas, link_atlas
from generator.problems import Problem
from generator.validate import Validated, validate_folder


class AtlasInvalid(Exception):
    """The entries have errors; nothing may be built from them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the entries; nothing was built")


class EntriesFolderMissing(Exception):
    """The entries folder does not exist."""


def check_entries(entries_dir: Path) -> Validated:
    """Load and validate every entry (all problems, nothing raised for bad data)."""
    if not entries_dir.is_dir():
        raise EntriesFolderMissing(f"entries folder not found: {entries_dir}")
    return validate_folder(entries_dir)


def build_atlas(entries_dir: Path) -> Atlas:
    """Validate and link the entries, or raise :class:`AtlasInvalid` with every problem."""
    result = check_entries(entries_dir)
    if result.errors:
        raise AtlasInvalid(result.problems)
    return link_atlas(result.entries)


def build_pages(atlas: Atlas, *, directory_urls: bool = True) -> dict[str, "Page"]:
    """Render every generated page of the atlas: docs path → page."""
    from generator.render import Page, render_pages

    return render_pages(atlas, directory_urls=directory_urls)
