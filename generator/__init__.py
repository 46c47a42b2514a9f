"""The Space Governance Atlas generator: load → validate → link → render.

The core (this package, less ``mkdocs_hook``) knows nothing of MkDocs: it turns
a folder of YAML entries into a linked :class:`~generator.link.Atlas` and the
atlas into Markdown pages held in memory.
"""

from generator.pipeline import AtlasInvalid, build_atlas, build_pages

__all__ = ["AtlasInvalid", "build_atlas", "build_pages"]
