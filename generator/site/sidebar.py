"""The sidebar of a page left out of the navigation: the pages of the section it belongs to.

Entry pages and the later pages of long lists are left out of the navigation (MkDocs' build
grows with the square of the pages it lists), so Material would show them with no section
open and an empty sidebar. While such a page is rendered, the navigation page it belongs to
stands as active: for ``forums/iadc.md`` the forums index, for ``coverage/gaps/x/2.md`` the
coverage summary, for ``timeline/2.md`` the timeline. Its tab is then the current one, its
section's pages fill the sidebar, and it is marked as where the reader is.
"""

from __future__ import annotations

from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def home_in_nav(src_uri: str, listed: dict[str, Page]) -> Page | None:
    """The navigation page that a page at docs path ``src_uri`` belongs to: the nearest ``folder.md`` or ``folder/index.md`` above it."""
    parts = src_uri.removesuffix(".md").split("/")
    for depth in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:depth])
        for candidate in (f"{folder}.md", f"{folder}/index.md"):
            if candidate in listed and candidate != src_uri:
                return listed[candidate]
    return None


class SectionMarker:
    """Marks, for one page at a time, the navigation page it belongs to as active."""

    def __init__(self) -> None:
        self._marked: Page | None = None

    def mark(self, page: Page, nav: Navigation) -> None:
        """Before ``page`` is rendered: when the navigation does not list it, mark the page it belongs to."""
        if self._marked is page:  # now rendered itself: MkDocs marked it, and unmarks it after
            self._marked = None
        self.clear()
        listed = {p.file.src_uri: p for p in nav.pages}
        if page.file.src_uri in listed:
            page.active = True  # again: unmarking the page marked last unmarked its section, which may be this page's too
            return
        home = home_in_nav(page.file.src_uri, listed)
        if home is not None:
            home.active = True  # and, through it, its section and tab
            self._marked = home

    def clear(self) -> None:
        """Unmark the page marked last (MkDocs shares the navigation between pages)."""
        if self._marked is not None:
            self._marked.active = False
            self._marked = None
