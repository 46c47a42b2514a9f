"""A Python-Markdown extension: what follows a generated page's SEARCH_END mark is left out of search.

A generated page puts its prose first and its long tables after the mark: search should
find the page by what it says, not by every name its tables repeat. Every element after
the mark gets ``data-search-exclude``, the attribute Material's search (and Zensical's)
reads; raw HTML blocks get it in their stored text. Every element, not only the top-level
ones, because Material's parser forgets an exclusion at the first closing tag of the same
name (a ``div`` inside an excluded ``div`` ends it), and a heading opens a section of its
own. Material's search removes the attribute from the page once it has indexed it. The atlas
plugin has MkDocs' search read a generated page only up to the mark, and turns the marks off
(the option ``marks: false``): there they would only cost time. Listed in mkdocs.yml's
``markdown_extensions``, so every engine applies it; pages without the mark are untouched.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from generator.render.html_pieces import SEARCH_END

EXCLUDE = "data-search-exclude"
NAME = "generator.render.search_scope"  # as mkdocs.yml lists it
_START_TAG = re.compile(r"(<[a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])")
_MARKED = f' {EXCLUDE}="true"'


class SearchScope(Treeprocessor):
    """Marks every element after the SEARCH_END mark."""

    def run(self, root: Element) -> None:
        children = list(root)
        start = next((i for i, child in enumerate(children) if self._stashed(child) == SEARCH_END), None)
        if start is None:
            return
        for child in children[start + 1:]:
            index = self._stash_index(child)
            if index is None:
                for element in child.iter():
                    element.set(EXCLUDE, "true")
                continue
            raw = self.md.htmlStash.rawHtmlBlocks[index]
            if isinstance(raw, str):
                self.md.htmlStash.rawHtmlBlocks[index] = mark_raw_html(raw)

    def _stash_index(self, element: Element) -> int | None:
        """The index of the raw HTML block a placeholder paragraph stands for, or None."""
        if element.tag != "p" or len(element) or not element.text:
            return None
        match = HTML_PLACEHOLDER_RE.fullmatch(element.text.strip())
        return int(match.group(1)) if match else None

    def _stashed(self, element: Element) -> str | None:
        index = self._stash_index(element)
        if index is None:
            return None
        raw = self.md.htmlStash.rawHtmlBlocks[index]
        return raw.strip() if isinstance(raw, str) else None


def mark_raw_html(raw: str) -> str:
    """Give every element of a raw HTML block the exclusion attribute."""
    return _START_TAG.sub(r"\1" + _MARKED, raw)


def searchable_part(html: str) -> str | None:
    """A page's HTML up to its SEARCH_END mark (all that search indexes), or None without one."""
    searchable, mark, _ = html.partition(SEARCH_END)
    return searchable if mark else None


class SearchScopeExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"marks": [True, "mark what follows the search-end mark (False: the engine's search stops at the mark itself)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        if self.getConfig("marks"):
            md.treeprocessors.register(SearchScope(md), "atlas_search_scope", 1)  # after the block parser, before raw HTML is restored


def makeExtension(**kwargs: Any) -> SearchScopeExtension:  # noqa: N802 (Python-Markdown's name)
    return SearchScopeExtension(**kwargs)
