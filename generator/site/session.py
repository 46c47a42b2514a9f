"""State kept for the life of one process, across the rebuilds of ``mkdocs serve``.

MkDocs loads its hooks afresh for every rebuild, so what must outlive a
rebuild (the command being run, the last valid atlas) lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.link.atlas import Atlas
from generator.render.page_cache import PageCache


@dataclass
class Session:
    """What the current process is doing, the last atlas that validated, and pages to reuse."""

    command: str = "build"
    last_valid: Atlas | None = None
    pages: PageCache = field(default_factory=PageCache)  # entry pages kept across rebuilds


SESSION = Session()
