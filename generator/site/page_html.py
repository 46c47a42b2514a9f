"""What the site face changes in a page's HTML: how much search indexes.

(Header scopes of hand-written tables come from the Markdown extension :mod:`generator.render.table_scopes`.)
"""

from __future__ import annotations

from generator.render.html_pieces import SEARCH_END


def searchable_part(html: str) -> str | None:
    """A generated page's HTML up to its SEARCH_END mark (what search indexes), or None without one."""
    searchable, mark, _ = html.partition(SEARCH_END)
    return searchable if mark else None
