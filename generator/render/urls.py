"""Page paths to site URLs, and relative links between pages, as MkDocs lays them out."""

from __future__ import annotations

import posixpath
from functools import lru_cache


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site URL of a docs page: ``forums/esa.md`` → ``forums/esa/`` (or ``forums/esa.html``)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


@lru_cache(maxsize=4096)
def up_to_root(here: str, directory_urls: bool) -> str:
    """From the page at ``here`` back to the site's root: ``forums/esa.md`` → ``../../``."""
    url = page_url(here, directory_urls)
    folder = url if url.endswith("/") else posixpath.dirname(url)
    return "../" * (folder.count("/") + (1 if folder and not folder.endswith("/") else 0))


def relative_url(here: str, target: str, directory_urls: bool = True, anchor: str = "") -> str:
    """A link from the page at docs path ``here`` to the page at docs path ``target``.

    Links go up to the site's root and down again (``../../gaps/x/``): the same
    link to a page from every page at one depth, and cheap to make by the thousand.
    """
    if here == target and anchor:
        return f"#{anchor}"
    link = up_to_root(here, directory_urls) + page_url(target, directory_urls) or "./"
    return f"{link}#{anchor}" if anchor else link


def entry_page(kind: str, entry_id: str) -> str:
    """The docs path of an entry's page."""
    return f"{kind}s/{entry_id}.md"


def file_href(here: str, target: str, directory_urls: bool = True) -> str:
    """A link from the page at docs path ``here`` to a plain file of the site (``atlas.pdf``, ``data/atlas.json``)."""
    return up_to_root(here, directory_urls) + target
