"""The small HTML pieces generated pages share: printed values, links, level badges, sources.

Every function here escapes what it is given; what it returns is :class:`Markup`,
safe to place in a page as it is. Both the templates (through the globals of
:func:`generator.render.templating.environment`) and :mod:`generator.render.entry_html` use them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from generator.kinds.declaration import BASIS_MEANINGS, LEVEL_MEANINGS, LEVELS
from generator.kinds.model import Claim, Entry, Source
from generator.link.atlas import Atlas, Coverage
from generator.render.text import markdown_inline
from generator.render.urls import entry_page, page_url, relative_url, up_to_root

LEVEL_SYMBOLS = {"strong": "●●●", "partial": "●●○", "emerging": "●○○"}
LEVEL_BADGES = {
    name: Markup(f'<span class="atlas-level atlas-level--{name}" title="{name}: {LEVEL_MEANINGS[name]}"><span aria-hidden="true">{symbol}</span> {name}</span>')
    for name, symbol in LEVEL_SYMBOLS.items()
}
BASIS_MARKS = {"named": ("\u25c6", "named"), "category": ("\u25c7", "by category")}
BASIS_BADGES = {
    name: Markup(
        f'<span class="atlas-basis atlas-basis--{name}" role="img" aria-label="{label}" title="{label}: {escape(BASIS_MEANINGS[name])}">{symbol}</span>'
    )
    for name, (symbol, label) in BASIS_MARKS.items()
}
BASIS_WORDS = {  # the symbol beside its word: the word alone is read out
    name: Markup(
        f'<span class="atlas-basis atlas-basis--{name}" title="{label}: {escape(BASIS_MEANINGS[name])}"><span aria-hidden="true">{symbol}</span> {label}</span>'
    )
    for name, (symbol, label) in BASIS_MARKS.items()
}
NAMED_ONLY = Markup('<p class="atlas-filter"><label><input type="checkbox" class="atlas-named-only"> Show named claims only</label></p>')
RELATION_LABELS = {"related": "lists it as related", "led_by": "led by it"}
# What follows this comment on a generated page stays out of the site's search index:
# lists of other entries, claims, sources. Entries are found by their own words.
SEARCH_END = "<!-- atlas:search-end -->"


def printed(value: Any) -> Markup:
    """A value as a page prints it: escaped, with its line breaks written as ``&#10;``.

    So every line break of a page comes from its template, which lets
    :mod:`generator.site.raw_html` find the raw HTML blocks without parsing them;
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


def claim_badge(claim: Claim) -> Markup:
    """A claim's level and basis, in a span that "named claims only" hides when its basis is category."""
    return Markup(f'<span class="atlas-claim atlas-claim--{claim.basis}">{LEVEL_BADGES[claim.level]} {BASIS_BADGES[claim.basis]}</span>')


def claim_anchor(gap_id: str, entry_id: str) -> str:
    """The id of the row of ``entry_id``'s claim on a gap's page and on its coverage pages: ``claim-<entry id>``.

    An entry makes one claim per gap, and no heading of those pages has an id that starts
    with ``claim-``; only the gap's own id could be ``claim-<entry id>``, and then the row
    is ``claim--<entry id>`` (no id has two hyphens in a row).
    """
    anchor = f"claim-{entry_id}"
    return f"claim--{entry_id}" if anchor == gap_id else anchor


def level_cells(entry: Entry, gaps: list[Entry], here: str, directory_urls: bool, places: Mapping[tuple[str, str], str]) -> Markup:
    """A matrix row's cells: the level and basis of ``entry``'s claim on each gap, blank where it makes none.

    Each mark links to the claim's row where it is listed: the gap's page, or the page of its
    coverage named in ``places`` (by gap id and entry id) when the gap's page shows only some claims.
    """
    claims = {claim.gap: claim for claim in reversed(entry.addresses)}  # the first claim on a gap counts
    cells = []
    for gap in gaps:
        claim = claims.get(gap.id)
        if claim is None:
            cells.append("<td></td>")
            continue
        page = places.get((gap.id, entry.id)) or entry_page(gap.kind, gap.id)
        href = escape(relative_url(here, page, directory_urls, claim_anchor(gap.id, entry.id)))
        cells.append(f'<td><a class="atlas-cell-link atlas-claim--{claim.basis}" href="{href}">{claim_badge(claim)}</a></td>')
    return Markup("".join(cells))


def label_cells(row: str, columns: Sequence[str]) -> str:
    """A table row with each of its ``<td>`` given its column's header as ``data-label``.

    On a phone a table whose cells are labelled shows one card per row, each value under
    its label (content/assets/atlas.css). The rows of generated tables open every cell with
    a bare ``<td>``, and no value can hold one (entry text is escaped); a row whose cells
    are labelled already is returned as it is.
    """
    parts = str(row).split("<td>")  # as text: a Markup row would escape what is joined to it
    if len(parts) == 1:
        return str(row)
    if len(parts) - 1 != len(columns):
        raise ValueError(f"a row of {len(parts) - 1} cells in a table of {len(columns)} columns")
    return parts[0] + "".join(f'<td data-label="{escape(label)}">{part}' for label, part in zip(columns, parts[1:], strict=True))


def data_table(css_class: str, caption: str | None, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A table of cells already escaped (``Markup`` or plain text from the generator), each cell labelled for a phone's cards."""
    body = "".join(label_cells("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>", header) for row in rows)
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    titled = f"<caption>{caption}</caption>" if caption else ""
    return f'<table class="atlas-table {css_class}">{titled}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def claim_columns(*, level: bool) -> tuple[str, ...]:
    """The columns of a table of claims on a gap (:func:`claim_row`), with the level when ``level``."""
    return ("Who", "Level", "Basis", "Pathway", "Why this level", "Evidence") if level else ("Who", "Basis", "Pathway", "Why this level", "Evidence")


def basis_counts(items: Sequence[Coverage]) -> Markup:
    """``3 named · 4 by category`` for these claims, and ``3 named`` alone when only named claims are shown."""
    named = sum(1 for item in items if item.claim.basis == "named")
    category = len(items) - named
    if not category:
        return Markup(f"{named} named")
    return Markup(f'<span class="atlas-when-all">{named} named · {category} by category</span><span class="atlas-when-named">{named} named</span>')


NO_LEVEL = Markup('<span class="atlas-level atlas-level--none">—<span class="atlas-sr"> none</span></span>')


def pathway_cell(claims: list[Coverage], *, counts: bool = True) -> Markup:
    """The strongest level among ``claims`` (strongest first) and how many there are; named claims alone when so switched."""
    if not claims:
        return NO_LEVEL
    named = [c for c in claims if c.claim.basis == "named"]
    category = len(claims) - len(named)

    def part(items: list[Coverage], shown: str) -> str:
        if not items:
            return str(NO_LEVEL)
        badge = LEVEL_BADGES[items[0].claim.level]
        return f'{badge}<br><span class="atlas-count">{shown}</span>' if counts else str(badge)

    if not category:
        return Markup(part(claims, f"{len(named)} named"))
    return Markup(
        f'<span class="atlas-when-all">{part(claims, f"{len(named)} named · {category} by category")}</span>'
        f'<span class="atlas-when-named">{part(named, f"{len(named)} named")}</span>'
    )


def coverage_key() -> Markup:
    """The short key of an entry's own claims table: the two bases in one line, with the "named claims only" switch."""
    return Markup(
        f'<p class="atlas-key">{BASIS_WORDS["named"]}: the source names this entry · '
        f"{BASIS_WORDS['category']}: it names a group this entry belongs to</p>\n{NAMED_ONLY}"
    )


def coverage_legend(*, none: bool = False) -> Markup:
    """The key to coverage tables: levels, bases (and ``—`` when ``none``), with the "named claims only" switch."""
    rows = [f"<dt>{LEVEL_BADGES[name]}</dt><dd>{escape(LEVEL_MEANINGS[name])}.</dd>" for name in LEVELS]
    rows += [f"<dt>{BASIS_WORDS[name]}</dt><dd>{escape(BASIS_MEANINGS[name])}.</dd>" for name in BASIS_MARKS]
    if none:
        rows.append('<dt><span class="atlas-level atlas-level--none">— none</span></dt><dd>no claim.</dd>')
    return Markup(
        '<div class="atlas-legend-box"><dl class="atlas-legend">\n' + "\n".join(rows) + f"\n</dl>\n{NAMED_ONLY}</div>"
    )  # one block: printed on one line, nothing after </dl> becomes a paragraph


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


def fact_refs(entry: Entry, name: str, here: str, directory_urls: bool) -> Markup:
    """`` [1] [3]``: the entry's sources that support the fact ``name``; empty when none does."""
    refs = [source_ref(entry, s.url or s.document, here, directory_urls) for s in entry.sources if name in s.supports]
    return Markup(" ") + Markup(" ").join(refs) if refs else Markup("")


def entry_link(target: Entry, here: str, directory_urls: bool, text: str | None = None) -> Markup:
    """A link to an entry's page from the page at ``here``, named by its label unless ``text`` is given."""
    return link_html(up_to_root(here, directory_urls), entry_page(target.kind, target.id), target.label if text is None else text, directory_urls)


def basis_cell(entry: Entry, claim: Claim, here: str, directory_urls: bool) -> Markup:
    """Who the source says it of: ``◆ named``, or ``◇ by category: “the group”`` with the source that places the entry in it."""
    if claim.basis == "named":
        return BASIS_WORDS["named"]
    ref = printed(source_ref(entry, claim.category_source, here, directory_urls))
    return Markup(f"{BASIS_WORDS['category']}: <q>{printed(claim.category)}</q> {ref}")


def claim_row(atlas: Atlas, item: Coverage, here: str, directory_urls: bool, *, level: bool) -> Markup:
    """A table row of one claim on a gap: who, its level (when ``level``), basis, pathway, why, and the evidence."""
    who, claim = item.entry, item.claim
    pathway = entry_link(atlas.entries[who.pathway], here, directory_urls) if who.pathway else "—"
    note = printed(markdown_inline(claim.note)) if claim.note else ""
    badge = f"<td>{LEVEL_BADGES[claim.level]}</td>" if level else ""
    row = (
        f'<tr id="{escape(claim_anchor(claim.gap, who.id))}" class="atlas-claim--{claim.basis}"><td>{entry_link(who, here, directory_urls)}</td>{badge}'
        f"<td>{basis_cell(who, claim, here, directory_urls)}</td><td>{pathway}</td><td>{note}</td>"
        f"<td><q>{printed(claim.evidence)}</q> {printed(source_ref(who, claim.source, here, directory_urls))}</td></tr>"
    )
    return Markup(label_cells(row, claim_columns(level=level)))


def case_row(atlas: Atlas, entry: Entry, note: str, evidence: str, source: str, here: str, directory_urls: bool) -> Markup:
    """A table row of one case of a gap: who, pathway, how it is a case, and the evidence."""
    pathway = entry_link(atlas.entries[entry.pathway], here, directory_urls) if entry.pathway else "—"
    return Markup(
        f"<tr><td>{entry_link(entry, here, directory_urls)}</td><td>{pathway}</td><td>{printed(markdown_inline(note))}</td>"
        f"<td><q>{printed(evidence)}</q> {printed(source_ref(entry, source, here, directory_urls))}</td></tr>"
    )
