"""A Python-Markdown extension: every header cell of a Markdown table's head gets ``scope="col"``.

Markdown tables (hand-written pages) have no way to say a header cell's scope; screen readers
and the PDF's tags read it. The generated pages write their tables as HTML with scopes of their
own, which this leaves alone. Listed in mkdocs.yml's ``markdown_extensions``, so every engine
that reads that list (MkDocs, ProperDocs, Zensical) and the PDF's conversion apply it.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class HeaderScopes(Treeprocessor):
    """Sets ``scope="col"`` on each ``th`` of a ``thead`` that has none."""

    def run(self, root: Element) -> None:
        for head in root.iter("thead"):
            for cell in head.iter("th"):
                cell.attrib.setdefault("scope", "col")


class TableScopesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(HeaderScopes(md), "atlas_table_scopes", 0)  # after the tables are built, before inline HTML is restored


def makeExtension(**kwargs: Any) -> TableScopesExtension:  # noqa: N802 (Python-Markdown's name)
    return TableScopesExtension(**kwargs)
