"""State kept for the life of one process, across the rebuilds of ``mkdocs serve``.

MkDocs loads its hooks afresh for every rebuild, so what must outlive a
rebuild (the command being run, the last valid atlas) lives here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.link import Atlas


@dataclass
class Session:
    """What the current process is doing, and the last atlas that validated."""

    command: str = "build"
    last_valid: Atlas | None = None


SESSION = Session()
