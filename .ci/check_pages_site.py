"""Check a built site: every entry has its page, and no internal link is broken.

    python .ci/check_pages_site.py SITE_DIR ENTRIES_DIR [--site-url URL] [--anchors]

For each ``ENTRIES_DIR/<kind>s/<id>.yaml`` the site must hold ``<kind>s/<id>/index.html``
(or ``<kind>s/<id>.html``). Every ``href`` and ``src`` of every HTML file that points into
the site, relative or root-relative under the path of ``--site-url``, must reach a file
(a folder's ``index.html`` for a folder); with ``--anchors``, its ``#fragment`` must also be
an ``id`` (or ``name``) on the page it reaches. Built for the pages output that Zensical
builds (``python -m generator pages``), and good for any engine's site. Exits 0 when all is
well, 1 with the list of what is missing otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINKING = ("href", "src")


class _Links(HTMLParser):
    """The link targets and the ids of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINKING:
                self.targets.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def _read(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def _page_at(site: Path, path: str) -> Path | None:
    """The file the site path ``path`` (relative to the site's root, decoded) serves, or None."""
    target = site / path
    if path.endswith("/") or path == "" or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(site: Path, base_path: str = "/", anchors: bool = False) -> tuple[list[str], int]:
    """Every internal link of the site that reaches nothing, as ``PAGE: TARGET``, and how many internal links there are."""
    pages = sorted(site.rglob("*.html"))
    parsed = {page: _read(page) for page in pages}
    found, checked = [], 0
    for page, links in parsed.items():
        folder = posixpath.dirname(page.relative_to(site).as_posix())
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("javascript:", "mailto:", "data:")):
                continue
            checked += 1
            if not parts.path:
                reached: Path | None = page
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    found.append(f"{page.relative_to(site)}: {target} (outside the site's path {base_path})")
                    continue
                reached = _page_at(site, unquote(parts.path[len(base_path):]))
            else:
                resolved = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
                if resolved == ".." or resolved.startswith("../"):
                    found.append(f"{page.relative_to(site)}: {target} (above the site's root)")
                    continue
                reached = _page_at(site, "" if resolved == "." else resolved + ("/" if parts.path.endswith("/") else ""))
            if reached is None:
                found.append(f"{page.relative_to(site)}: {target}")
            elif anchors and parts.fragment and reached.suffix == ".html":
                ids = parsed[reached].ids if reached in parsed else _read(reached).ids
                if unquote(parts.fragment) not in ids:
                    found.append(f"{page.relative_to(site)}: {target} (no such anchor)")
    return found, checked


def missing_entry_pages(site: Path, entries: Path) -> list[str]:
    """The entry files whose page the site lacks."""
    return [
        f"{path.relative_to(entries)}: no page"
        for path in sorted(entries.glob("*/*.yaml"))
        if not (site / path.parent.name / path.stem / "index.html").is_file() and not (site / path.parent.name / f"{path.stem}.html").is_file()
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Check that a built site has every entry's page and no broken internal link.")
    parser.add_argument("site", type=Path, help="the built site")
    parser.add_argument("entries", type=Path, help="the entries folder it was built from")
    parser.add_argument("--site-url", default="/", help="the site's address (mkdocs.yml's site_url): root-relative links must fall under its path")
    parser.add_argument("--anchors", action="store_true", help="also check that each link's #fragment is on the page it reaches")
    args = parser.parse_args(argv)
    if not args.site.is_dir() or not args.entries.is_dir():
        print(f"{args.site if not args.site.is_dir() else args.entries} is not a folder", file=sys.stderr)
        return 2
    base_path = urlsplit(args.site_url).path or "/"
    base_path = base_path if base_path.endswith("/") else base_path + "/"
    missing = missing_entry_pages(args.site, args.entries)
    broken, checked = broken_links(args.site, base_path, args.anchors)
    for line in missing + broken:
        print(line)
    pages = len(list(args.site.rglob("*.html")))
    entries = len(list(args.entries.glob("*/*.yaml")))
    print(
        f"{pages} HTML files, {entries} entries, {checked} internal links: {len(missing)} entry pages missing, {len(broken)} links broken", file=sys.stderr
    )
    return 1 if missing or broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
