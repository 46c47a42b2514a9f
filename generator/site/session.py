"""State kept for the life of one process, across the rebuilds of ``mkdocs serve``.

MkDocs loads its hooks afresh for every rebuild, so what must outlive a
rebuild (the command being run, the last valid atlas, pages, their outputs and
editions that have not changed) lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.editions.history import History, recorded_history
from generator.editions.snapshot import editions_signature
from generator.link.atlas import Atlas
from generator.render.page_cache import PageCache
from generator.site.kept_pages import KeptPages, KeptTemplates


@dataclass
class Session:
    """What the current process is doing, the last atlas that validated, and pages to reuse."""

    command: str = "build"
    last_valid: Atlas | None = None
    pages: PageCache = field(default_factory=PageCache)  # entry pages kept across rebuilds
    outputs: KeptPages = field(default_factory=KeptPages)  # built pages kept across rebuilds
    templates: KeptTemplates = field(default_factory=KeptTemplates)  # the theme's compiled templates
    editions: tuple[object, History] | None = None  # the recorded editions and their changes, with the files' signature

    def recorded_history(self, folder: Path) -> History:
        """The editions in ``folder`` and their changes, read again only when an edition file changed."""
        signature = (folder, editions_signature(folder))
        if self.editions is None or self.editions[0] != signature:
            self.editions = (signature, recorded_history(folder))
        return self.editions[1]


SESSION = Session()
