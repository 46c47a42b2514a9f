"""Page paths to site URLs, and relative links between pages, as MkDocs lays them out."""

from __future__ import annotations

import posixpath


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site URL of a docs page: ``forums/esa.md`` → ``forums/esa/`` (or ``forums/esa.html``)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def relative_url(here: str, target: str, directory_urls: bool = True, anchor: str = "") -> str:
    """A link from the page at docs path ``here`` to the page at docs path ``target``."""
    if here == target and anchor:
        return f"#{anchor}"
    source_url, target_url = page_url(here, directory_urls), page_url(target, directory_urls)
    base = source_url if source_url.endswith("/") or not source_url else posixpath.dirname(source_url) + "/"
    base_dir = base.rstrip("/") or "."
    target_dir, name = (target_url.rstrip("/"), "/") if target_url.endswith("/") or not target_url else posixpath.split(target_url)
    link = posixpath.relpath(target_dir or ".", base_dir)
    if name == "/":
        link = "./" if link == "." else link + "/"
    else:
        link = name if link == "." else f"{link}/{name}"
    return f"{link}#{anchor}" if anchor else link


def entry_page(kind: str, entry_id: str) -> str:
    """The docs path of an entry's page."""
    return f"{kind}s/{entry_id}.md"


def file_href(here: str, target: str, directory_urls: bool = True) -> str:
    """A link from the page at docs path ``here`` to a plain file of the site (``atlas.pdf``, ``data/atlas.json``)."""
    url = page_url(here, directory_urls)
    base = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"
    return posixpath.relpath(target, base.rstrip("/") or ".")
