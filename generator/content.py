"""Live facts from the atlas for the hand-written pages in content/.

A hand-written page may contain these placeholders:

- ``<!-- atlas:count KIND -->``: a number (forum, gap, initiative, pathway, entry,
  claim, source, uncovered); ``<!-- atlas:counts -->``: a table of all of them;
- ``<!-- atlas:edition -->``: the edition date;
- ``<!-- atlas:downloads -->``: links to the PDF, the offline copy and the data
  files, when the build makes them.
"""

from __future__ import annotations

import re

from generator.link import Atlas
from generator.render import edition_date
from generator.urls import file_href

_COUNT = re.compile(r"<!--\s*atlas:count\s+([a-z]+)\s*-->")
_COUNTS = re.compile(r"<!--\s*atlas:counts\s*-->")
_EDITION = re.compile(r"<!--\s*atlas:edition\s*-->")
_DOWNLOADS = re.compile(r"<!--\s*atlas:downloads\s*-->")
DOWNLOADS = (
    ("atlas.pdf", "The whole atlas as one PDF", "for reading offline and printing"),
    ("atlas-offline.zip", "The site, for offline use", "unzip it and open index.html; search works without a network"),
    ("data/atlas.json", "atlas.json", "every entry, with its backlinks and coverage"),
    ("data/forums.csv", "forums.csv", "one row per forum"),
    ("data/initiatives.csv", "initiatives.csv", "one row per initiative"),
    ("data/gaps.csv", "gaps.csv", "one row per gap"),
    ("data/pathways.csv", "pathways.csv", "one row per pathway"),
    ("data/coverage.csv", "coverage.csv", "one row per coverage claim"),
    ("data/forum.schema.json", "JSON Schemas", "forum, gap, initiative and pathway: the format of the entry files"),
)
LABELS = {
    "forum": "Forums",
    "initiative": "Initiatives",
    "gap": "Gaps",
    "pathway": "Pathways",
    "claim": "Coverage claims",
    "uncovered": "Uncovered gaps",
    "source": "Sources cited",
}


def counts(atlas: Atlas) -> dict[str, int]:
    """The atlas's headline numbers."""
    numbers = {kind: len(entries) for kind, entries in atlas.by_kind.items()}
    numbers.update(
        entry=len(atlas.entries),
        claim=atlas.claim_count,
        uncovered=len(atlas.uncovered_gaps),
        source=len(atlas.citations),
    )
    return numbers


def fill_placeholders(
    markdown: str,
    atlas: Atlas,
    *,
    here: str = "index.md",
    downloads: bool = False,
    offline: bool = False,
    directory_urls: bool = True,
) -> str:
    """Replace the placeholders of a hand-written page at docs path ``here``.

    ``downloads``: the build makes the PDF, the offline copy and the data files;
    ``offline``: this is the offline copy, which holds all but itself.
    """
    numbers = counts(atlas)

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(numbers[name]) if name in numbers else match.group(0)

    def table(_: re.Match[str]) -> str:
        rows = "\n".join(f"| {label} | {numbers[key]} |" for key, label in LABELS.items())
        return f"| In the atlas | Number |\n|---|---:|\n{rows}\n"

    def links(_: re.Match[str]) -> str:
        if not (downloads or offline):
            return "<p><em>The PDF, the offline copy and the data files are made by a full build (<code>mkdocs build</code>).</em></p>"
        items = "".join(
            f'<li><a href="{file_href(here, path, directory_urls)}">{label}</a>: {note}</li>'
            for path, label, note in DOWNLOADS
            if not (offline and path == "atlas-offline.zip")
        )
        return f'<ul class="atlas-downloads">{items}</ul>'

    markdown = _DOWNLOADS.sub(links, markdown)
    markdown = _EDITION.sub(edition_date(atlas).isoformat(), markdown)
    return _COUNT.sub(one, _COUNTS.sub(table, markdown))
