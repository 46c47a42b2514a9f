"""The small HTML pieces generated pages share: printed values, links, level badges, sources.

Every function here escapes what it is given; what it returns is :class:`Markup`,
safe to place in a page as it is. Both the templates (through the globals of
:func:`generator.render.environment`) and :mod:`generator.entry_html` use them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from generator.kinds import LEVEL_MEANINGS
from generator.link import Atlas, Coverage
from generator.model import Entry, Source
from generator.text import markdown_inline
from generator.urls import entry_page, page_url, relative_url, up_to_root

LEVEL_SYMBOLS = {"strong": "●●●", "partial": "●●○", "emerging": "●○○"}
LEVEL_BADGES = {
    name: Markup(
        f'<span class="atlas-level atlas-level--{name}" title="{name}: {LEVEL_MEANINGS[name]}">'
        f'<span aria-hidden="true">{symbol}</span> {name}</span>'
    )
    for name, symbol in LEVEL_SYMBOLS.items()
}
RELATION_LABELS = {"related": "lists it as related", "led_by": "led by it"}
# What follows this comment on a generated page stays out of the site's search index:
# lists of other entries, claims, sources. Entries are found by their own words.
SEARCH_END = "<!-- atlas:search-end -->"


def printed(value: Any) -> Markup:
    """A value as a page prints it: escaped, with its line breaks written as ``&#10;``.

    So every line break of a page comes from its template, which lets
    :mod:`generator.raw_html` find the raw HTML blocks without parsing them;
    browsers and WeasyPrint read ``&#10;`` as the line break it stands for.
    """
    text = value if type(value) is Markup else escape(value)
    return Markup(str.replace(text, "\n", "&#10;")) if "\n" in text else text


@lru_cache(maxsize=65536)
def link_html(up: str, target: str, label: str, directory_urls: bool) -> Markup:
    """A link to the page at docs path ``target`` from every page at one depth (``up`` leads back to the root)."""
    return printed(Markup(f'<a href="{escape(up + page_url(target, directory_urls))}">{escape(label)}</a>'))


def level_badge(name: str) -> Markup:
    """A coverage level as symbol and word, never colour alone."""
    return LEVEL_BADGES[name]


def level_cells(entry: Entry, gaps: list[Entry]) -> Markup:
    """A matrix row's cells: the level at which ``entry`` addresses each gap, blank where it makes no claim."""
    levels = {claim.gap: claim.level for claim in reversed(entry.addresses)}  # the first claim on a gap counts
    return Markup("".join(f"<td>{LEVEL_BADGES[levels[gap.id]]}</td>" if gap.id in levels else "<td></td>" for gap in gaps))


@lru_cache(maxsize=64)
def relation_label(relation: str) -> Markup:
    """How a backlink's entry refers to this one, in words: ``related, led_by`` → ``lists it as related, led by it``."""
    return printed(", ".join(RELATION_LABELS.get(r, r) for r in relation.split(", ")))


def external(url: str, text: str) -> Markup:
    """A link leaving the site; ``text`` alone when ``url`` is not http or https."""
    if not url.startswith(("http://", "https://")):
        return escape(text)
    return Markup(f'<a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(text)}</a>')


def source_html(source: Source, here: str, directory_urls: bool) -> Markup:
    """A source as cited on the page at ``here``: its linked title, publisher, date and when it was read."""
    if source.url:
        title = external(source.url, source.title)
    else:
        title = Markup(f'<a href="{escape(relative_url(here, f"{source.document}.md", directory_urls))}">{escape(source.title)}</a>')
    details = [str(escape(x)) for x in (source.publisher, source.date) if x]
    if source.accessed:
        details.append(f"accessed {source.accessed.isoformat()}")
    return Markup(f"{title}. {', '.join(details)}") if details else title


def source_ref(entry: Entry, ref: str | None, here: str, directory_urls: bool) -> Markup:
    """``[n]`` pointing at the entry's n-th source when ``ref`` names one, else the link itself."""
    if not ref:
        return Markup("")
    for number, source in enumerate(entry.sources, 1):
        if ref in (source.url, source.document):
            href = relative_url(here, entry_page(entry.kind, entry.id), directory_urls, f"source-{number}")
            return Markup(f'<a class="atlas-ref" href="{escape(href)}">[{number}]</a>')
    return external(ref, ref)


def entry_link(target: Entry, here: str, directory_urls: bool, text: str | None = None) -> Markup:
    """A link to an entry's page from the page at ``here``, named by its label unless ``text`` is given."""
    return link_html(up_to_root(here, directory_urls), entry_page(target.kind, target.id),
                     target.label if text is None else text, directory_urls)


def claim_row(atlas: Atlas, item: Coverage, here: str, directory_urls: bool, *, level: bool) -> Markup:
    """A table row of one claim on a gap: who, its level (when ``level``), pathway, why, and the evidence."""
    who, claim = item.entry, item.claim
    pathway = entry_link(atlas.entries[who.pathway], here, directory_urls) if who.pathway else "—"
    note = printed(markdown_inline(claim.note)) if claim.note else ""
    badge = f"<td>{LEVEL_BADGES[claim.level]}</td>" if level else ""
    return Markup(
        f"<tr><td>{entry_link(who, here, directory_urls)}</td>{badge}<td>{pathway}</td><td>{note}</td>"
        f"<td><q>{printed(claim.evidence)}</q> {printed(source_ref(who, claim.source, here, directory_urls))}</td></tr>"
    )
