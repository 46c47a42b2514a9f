"""The Space Governance Atlas generator: load → validate → link → render.

The core (this package, less ``mkdocs_hook``) knows nothing of MkDocs: it turns
a folder of YAML entries into a linked atlas (:func:`generator.pipeline.build_atlas`)
and the atlas into Markdown pages held in memory (:func:`generator.pipeline.build_pages`).
"""
