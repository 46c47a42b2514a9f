"""What a page puts in its HTML head besides the theme's: its feeds, and an entry's ``citation_*`` tags.

Held in the page's meta as ``atlas_head`` and written by ``overrides/main.html``,
which escapes every value.
"""

from __future__ import annotations

from typing import Any

from generator.kinds.model import Entry
from generator.render.citation import Citation
from generator.render.feeds import feed_links

HEAD = "atlas_head"


def page_head(entry: Entry | None, edition: str, site_url: str | None, directory_urls: bool) -> dict[str, Any]:
    """``{"feeds": [{"path", "title"}], "citation": [{"name", "content"}]}``: feeds only where the site has them (it has an address)."""
    feeds = feed_links(entry) if site_url else []
    citation = Citation(entry, edition, site_url, directory_urls).meta() if entry else []
    return {
        "feeds": [{"path": path, "title": title} for path, title in feeds],
        "citation": [{"name": name, "content": content} for name, content in citation],
    }
