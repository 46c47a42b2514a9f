"""Live facts from the atlas for the hand-written pages in content/.

A hand-written page may contain these placeholders:

- ``<!-- atlas:count KIND -->``: a number (forum, gap, initiative, pathway, entry,
  claim, source, uncovered); ``<!-- atlas:counts -->``: a table of them, each number
  a link to what it counts;
- ``<!-- atlas:uncovered-gaps -->``: the gaps no claim addresses, by name, as a finding;
  ``<!-- atlas:ways-in -->``: links to each topic, gap and pathway and to the forum and initiative
  indexes; ``<!-- atlas:coverage-glance -->``: the pathway × gap table, compact
  (:mod:`generator.render.home`);
- ``<!-- atlas:edition -->``: the edition date;
- ``<!-- atlas:latest-events -->``: the five latest dated events, with a link to the timeline
  (:mod:`generator.render.timeline_page`);
- ``<!-- atlas:source-policy -->``: the table of hosts never cited (:mod:`generator.validate.source_policy`);

and a page that entries cite as a document (``document: brief``) has each passage
that a fact check examines linked to that fact check.
- ``<!-- atlas:downloads -->``: links to the PDF, the offline copy and the data
  files, when the build makes them;
- ``<!-- atlas:editions -->``: each recorded edition's snapshot and its changes from the one before,
  newest first (:mod:`generator.render.whats_new`).
"""

from __future__ import annotations

import posixpath
import re

from generator.editions.history import History
from generator.kinds.declaration import KINDS
from generator.link.atlas import Atlas
from generator.render.home import HomePieces
from generator.render.timeline_page import latest_events
from generator.render.urls import entry_page, file_href
from generator.render.whats_new import editions_table
from generator.validate.source_policy import NOT_ALONE, REJECTED

_COUNT = re.compile(r"<!--\s*atlas:count\s+([a-z]+)\s*-->")
_COUNTS = re.compile(r"<!--\s*atlas:counts\s*-->")
_EDITION = re.compile(r"<!--\s*atlas:edition\s*-->")
_LATEST_EVENTS = re.compile(r"<!--\s*atlas:latest-events\s*-->")
_DOWNLOADS = re.compile(r"<!--\s*atlas:downloads\s*-->")
_SOURCE_POLICY = re.compile(r"<!--\s*atlas:source-policy\s*-->")
_EDITIONS = re.compile(r"<!--\s*atlas:editions\s*-->")
_HOME = re.compile(r"<!--\s*atlas:(uncovered-gaps|ways-in|coverage-glance)\s*-->")
DOWNLOADS = (
    ("atlas.pdf", "The whole atlas as one PDF", "for reading offline and printing"),
    ("atlas-offline.zip", "The site, for offline use", "unzip it and open index.html; search works without a network"),
    ("data/atlas.json", "atlas.json", "every entry, with its backlinks and coverage"),
    ("data/forums.csv", "forums.csv", "one row per forum"),
    ("data/initiatives.csv", "initiatives.csv", "one row per initiative"),
    ("data/gaps.csv", "gaps.csv", "one row per gap"),
    ("data/pathways.csv", "pathways.csv", "one row per pathway"),
    ("data/topics.csv", "topics.csv", "one row per topic"),
    ("data/coverage.csv", "coverage.csv", "one row per coverage claim"),
    ("data/forum.schema.json", "JSON Schemas", "forum, gap, initiative and pathway: the format of the entry files"),
)
# The rows of the counts table: each kind by its title (those whose entries address gaps first), then the rest.
# The gaps that no claim addresses are not a row: ``atlas:uncovered-gaps`` names them.
LABELS = {
    **{kind.name: kind.title for kind in sorted(KINDS.values(), key=lambda kind: not kind.is_actor)},
    "claim": "Coverage claims",
    "named": "Named claims",
    "category": "Claims by category",
    "case": "Cases of a gap (not coverage)",
    "source": "Sources cited",
}


def source_policy_table() -> str:
    """The source policy as a Markdown table: what is never cited, and what may not stand alone."""
    rows = [f"| {rule.what} | never cited (an error) | {', '.join(f'`{d}`' for d in rule.domains)}"
            + (" and the like" if rule.pattern else "") + " |" for rule in REJECTED]
    rows.append(f"| {NOT_ALONE.what} | only beside another web source (a warning) | {', '.join(f'`{d}`' for d in NOT_ALONE.domains)}, in any language |")
    return "| Host | Rule | Domains |\n|---|---|---|\n" + "\n".join(rows) + "\n"


_LIKE = {'"': "[\"\u201c\u201d\u201e]", "'": "['\u2018\u2019]", "-": "[-\u2010-\u2015]"}
FACT_CHECK_ANCHOR = "checked-against-the-sources"
_PLAIN_MARKS = str.maketrans("\u201c\u201d\u2018\u2019\u2013\u2014", "\"\"''--")  # typographic quotes and dashes, typed plainly


def _passage_pattern(quote: str) -> re.Pattern[str]:
    """The words of ``quote`` as they may be written in a page: any quote marks, dashes and line breaks."""
    words = []
    for char in " ".join(quote.split()):
        words.append(r"(?:\s|>)+" if char == " " else _LIKE.get(char, re.escape(char)))  # a quote's lines may go on in a block quote
    return re.compile("".join(words))


def mark_checked_passages(markdown: str, atlas: Atlas, here: str) -> str:
    """Link each passage of the page at ``here`` that a fact check examines to that fact check.

    Only entries that cite the page as a document (``document: NAME``) are looked at;
    a passage is linked once (to the first entry that checks it), at its first occurrence
    within one paragraph and outside a link; the link covers the passage's first line.
    """
    name = posixpath.splitext(here)[0]
    folder = posixpath.dirname(here)
    for entry in atlas.entries.values():
        if not entry.fact_checks or not any(s.document == name for s in entry.sources):
            continue
        target = posixpath.relpath(entry_page(entry.kind, entry.id), folder or ".")
        for check in entry.fact_checks:
            quote = check.claim.translate(_PLAIN_MARKS)
            match = next((m for m in _passage_pattern(quote).finditer(markdown) if "\n\n" not in m.group() and not _in_link(markdown, m.start())), None)
            if match is None:
                continue
            end = markdown.find("\n", match.start(), match.end())  # a link stays on one line: the passage's first
            end = match.end() if end < 0 else end
            text = markdown[match.start():end].replace("[", "\\[").replace("]", "\\]")
            label = entry.short_label.replace('"', "'").replace("\\", "")
            link = f'[{text}]({target}#{FACT_CHECK_ANCHOR} "Checked against the sources: {label}")'
            markdown = markdown[: match.start()] + link + markdown[end:]
    return markdown


def _in_link(markdown: str, at: int) -> bool:
    """Whether position ``at`` is inside the text or address of a Markdown link already."""
    line_start = markdown.rfind("\n", 0, at) + 1
    before = markdown[line_start:at]
    return before.count("[") > before.count("]") or before.count("](") > before.count(")")


def fill_placeholders(
    markdown: str,
    atlas: Atlas,
    *,
    here: str = "index.md",
    downloads: bool = False,
    offline: bool = False,
    pdf: bool = True,
    offline_zip: bool = True,
    directory_urls: bool = True,
    history: History | None = None,
) -> str:
    """Replace the placeholders of a hand-written page at docs path ``here``.

    ``downloads``: the build makes the PDF, the offline copy and the data files;
    ``offline``: this is the offline copy, which holds all but itself;
    ``pdf``: the PDF is among them (not on a machine without WeasyPrint's libraries);
    ``offline_zip``: so is the offline copy (not when mkdocs.yml lacks Material's offline plugin);
    ``history``: the recorded editions.
    """
    numbers = atlas.counts()

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(numbers[name]) if name in numbers else match.group(0)

    home = HomePieces(atlas, here, directory_urls)
    pieces = {"uncovered-gaps": home.finding, "ways-in": home.ways_in, "coverage-glance": home.glance}

    def links(_: re.Match[str]) -> str:
        if not (downloads or offline):
            return "<p><em>The PDF, the offline copy and the data files are made by a full build (<code>mkdocs build</code>).</em></p>"
        items = "".join(
            f'<li><a href="{file_href(here, path, directory_urls)}">{label}</a>: {note}</li>'
            for path, label, note in DOWNLOADS
            if (path != "atlas-offline.zip" or (offline_zip and not offline)) and (pdf or path != "atlas.pdf")
        )
        return f'<ul class="atlas-downloads">{items}</ul>'

    markdown = mark_checked_passages(markdown, atlas, here)
    markdown = _DOWNLOADS.sub(links, markdown)
    markdown = _SOURCE_POLICY.sub(lambda _: source_policy_table(), markdown)
    markdown = _EDITIONS.sub(lambda _: editions_table(history or History(), here, directory_urls), markdown)
    markdown = _EDITION.sub(atlas.edition.isoformat(), markdown)
    markdown = _LATEST_EVENTS.sub(lambda _: latest_events(atlas, here, directory_urls), markdown)
    markdown = _HOME.sub(lambda match: str(pieces[match.group(1)]()), markdown)
    return _COUNT.sub(one, _COUNTS.sub(lambda _: str(home.counts(LABELS)), markdown))
