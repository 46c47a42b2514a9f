"""What the site face changes in a page's HTML: how much search indexes, and table header scopes."""

from __future__ import annotations

import re

from generator.render.html_pieces import SEARCH_END

_BARE_TH = re.compile(r"<th(?=[\s>])(?![^>]*\sscope=)")
_THEAD = re.compile(r"<thead>.*?</thead>", re.S)


def searchable_part(html: str) -> str | None:
    """A generated page's HTML up to its SEARCH_END mark (what search indexes), or None without one."""
    searchable, mark, _ = html.partition(SEARCH_END)
    return searchable if mark else None


def with_header_scopes(html: str) -> str:
    """A hand-written page's HTML with ``scope="col"`` on every header cell of a table head."""
    return _THEAD.sub(lambda m: _BARE_TH.sub('<th scope="col"', m.group(0)), html)
