"""Index tables that readers filter by facet and sort by column in the browser.

The build writes everything the browser needs, so that the script
(content/assets/atlas-filters.js) only shows, hides and reorders what is there:

- each row carries its facet values as space-separated tokens, ``data-facet-<key>="…"``;
- each cell whose text does not sort as it should carries its sort key, ``data-sort="…"``;
- above the table, a box that stays ``hidden`` without the script (and in print) lists
  each facet's values with the number of rows of the page that carry each, and holds a
  live region that says how many rows are shown. The script makes each list a labelled
  ``<select>``; no form control is in the page as built.

Entry text never goes into an attribute: tokens are entry ids, fixed words or slugs of
entry text (:func:`token`), sort keys are numbers and ranks, and the names readers see are
escaped text. The filters and the sort act on the rows of one page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from markupsafe import Markup, escape

from generator.kinds.declaration import KINDS, LEVELS, STATUSES, Kind
from generator.kinds.model import Entry
from generator.link.atlas import Atlas, Citation
from generator.render.page import REVIEW_DUE_DAYS, STALE_DAYS, freshness

T = TypeVar("T")
NONE = "_none"  # the token of "no value": "_" is never in an id, nor in a slug (token)


@dataclass(frozen=True)
class Choice:
    """One value of a facet: its token (in the rows and the URL) and its name."""

    token: str
    name: str


@dataclass(frozen=True)
class Facet(Generic[T]):
    """A facet: its URL parameter (``key``), its label, its values in the order shown, and a row's tokens."""

    key: str
    label: str
    choices: Sequence[Choice]
    tokens: Callable[[T], Collection[str]]


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: its name in the URL (``?sort=<key>``), its header, and a row's sort key (None: the cell's text)."""

    key: str
    label: str
    sort: Callable[[T], str | None] | None = None


@dataclass(frozen=True)
class FacetTable(Generic[T]):
    """A table of ``rows`` with its facet controls: what :meth:`lines` writes.

    ``name`` is unique on its page (it names the controls' ids); ``noun`` counts the rows
    ("3 of 48 forums shown"); ``sorted_by`` names the column the rows come sorted by, ascending;
    ``note`` is said above the count (that the filters act on this page of a split list).
    """

    name: str
    noun: str
    columns: Sequence[Column[T]]
    cells: Callable[[T], Sequence[Markup]]
    facets: Sequence[Facet[T]]
    rows: Sequence[T]
    sorted_by: str | None = None
    note: str = ""
    kept_row: Callable[[T, Callable[[], Markup]], Markup] | None = None  # a preview's: a row kept from its last rebuild, or the one made

    def lines(self) -> list[Markup]:
        """The table and its controls, one line each for the box, the header and every row."""
        keys = " ".join(c.key for c in self.columns)
        sorted_by = Markup(' data-sorted="{}"').format(self.sorted_by) if self.sorted_by else ""
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(c.label) for c in self.columns)
        return [
            Markup('<div class="atlas-facet-table" data-table="{}" data-noun="{}" data-columns="{}"{}>').format(self.name, self.noun, keys, sorted_by),
            self.controls(),
            Markup('<div class="atlas-table-wrap">'),
            Markup("<table>"),
            Markup("<thead><tr>{}</tr></thead>").format(head),
            Markup("<tbody>"),
            *(self.row(item) if self.kept_row is None else self.kept_row(item, partial(self.row, item)) for item in self.rows),
            Markup("</tbody>"),
            Markup("</table>"),
            Markup("</div>"),
            Markup("</div>"),
        ]

    def html(self) -> Markup:
        """:meth:`lines` as one piece of HTML, a line each."""
        return Markup("\n").join(self.lines()) + Markup("\n")

    def row(self, item: T) -> Markup:
        """A ``<tr>`` with the row's facet tokens, each cell labelled with its column and given its sort key.

        Written with :func:`escape` rather than ``Markup.format``, the same HTML several times faster: an index has a row per entry.
        """
        facets = "".join(f' data-facet-{escape(f.key)}="{escape(" ".join(sorted(set(f.tokens(item)))))}"' for f in self.facets)
        cells = []
        for column, cell in zip(self.columns, self.cells(item), strict=True):
            key = column.sort(item) if column.sort else None
            sort = f' data-sort="{escape(key)}"' if key is not None else ""
            cells.append(f'<td data-label="{escape(column.label)}"{sort}>{escape(cell)}</td>')
        return Markup(f"<tr{facets}>{''.join(cells)}</tr>")

    def controls(self) -> Markup:
        """The hidden box: each facet's values with their counts, the note, and the live count of rows shown.

        The script turns each facet's list into a labelled ``<select>``, and adds the "Sort by" select
        and the "Show all" button: no control exists without it, and entry text never sits in a
        form control of the page as built.
        """
        total = len(self.rows)
        facets = Markup("").join(self._values(f) for f in self.facets)
        note = Markup('<p class="atlas-facets-note">{}</p>').format(self.note) if self.note else ""
        return Markup(
            '<fieldset class="atlas-facets" hidden><legend>Filter and sort these {noun}</legend>{facets}'
            '<p class="atlas-facets-help">Sort by a column with the button in its header (on a phone, with “Sort by”). '
            'The address of the page keeps the view, to share or to reload.</p>'
            '{note}<p class="atlas-facets-count" aria-live="polite">{total} of {total} {noun} shown</p></fieldset>'
        ).format(noun=self.noun, facets=facets, note=note, total=total)

    def _values(self, facet: Facet[T]) -> Markup:
        """A facet's name and its values on this page, each with the number of rows that carry it ("All" first)."""
        counts = Counter(t for item in self.rows for t in set(facet.tokens(item)))
        values = [_value("", "All", len(self.rows))]
        values += [_value(c.token, c.name, counts[c.token]) for c in facet.choices if counts[c.token]]
        return Markup(
            '<div class="atlas-facet" data-facet="{}" data-control="{}-{}"><span class="atlas-facet-name">{}</span><ul>{}</ul></div>'
        ).format(facet.key, self.name, facet.key, facet.label, Markup("").join(values))


def _value(token: str, name: str, count: int) -> Markup:
    """A facet value and its count: an option of the select the script makes, which rewrites the count as the other filters change.

    Entry text stays out of attributes: the value is a token, the name is the item's text.
    """
    return Markup('<li data-value="{}">{} ({})</li>').format(token, name, count)


# --------------------------------------------------------------------------- values


def token(text: str) -> str:
    """A slug of free text for the rows and the URL: ``UN specialized agency`` → ``un-specialized-agency``.

    Letters of any script are kept; text with none gets a short hash instead, so tokens
    never hold a space, a quote or markup, and never start with ``_``.
    """
    slug = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")
    return slug or "t" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def sort_number(value: int) -> str:
    """A number as a sort key that sorts as text: zero-padded (the sort compares text)."""
    return f"{value:09d}"


def _age_state(day: dt.date, edition: dt.date) -> str:
    """``current``, ``due`` or ``stale``: how long before the edition ``day`` is, as an entry's freshness counts it."""
    age = (edition - day).days
    return "stale" if age > STALE_DAYS else "due" if age > REVIEW_DUE_DAYS else "current"


FRESHNESS = (
    Choice("current", "Reviewed within a year (current)"),
    Choice("due", "Reviewed 1 to 2 years before (review due)"),
    Choice("stale", "Reviewed over 2 years before (stale)"),
)
ACCESSED = (
    Choice("current", "Within a year of the edition"),
    Choice("due", "1 to 2 years before"),
    Choice("stale", "Over 2 years before"),
    Choice(NONE, "Not recorded"),
)


def _choices_of(rows: Sequence[Entry], value: Callable[[Entry], str | None], none: str) -> list[Choice]:
    """The distinct texts of a free-text field among ``rows``, by name, then "none"."""
    names: dict[str, str] = {}
    for entry in rows:
        text = value(entry)
        if text:
            names.setdefault(token(text), text)
    return [*sorted((Choice(t, n) for t, n in names.items()), key=lambda c: (c.name.casefold(), c.token)), Choice(NONE, none)]


def _or_none(tokens: Collection[str]) -> Collection[str]:
    return tokens or (NONE,)


def entry_facet(atlas: Atlas, key: str, rows: Sequence[Entry]) -> Facet[Entry]:
    """The facet ``key`` of a table of entries: kind, pathway, type, status, topic, gap (and level), basis or freshness."""
    if key == "kind":
        return Facet(key, "Kind", [Choice(k.name, k.title) for k in KINDS.values()], lambda e: (e.kind,))
    if key == "pathway":
        choices = [*(Choice(p.id, p.name) for p in atlas.pathways), Choice(NONE, "No pathway")]
        return Facet(key, "Pathway", choices, lambda e: (e.pathway or NONE,))
    if key == "type":
        return Facet(key, "Type", _choices_of(rows, lambda e: e.type, "No type given"), lambda e: (token(e.type) if e.type else NONE,))
    if key == "status":
        statuses = [*(Choice(s, s.replace("-", " ").capitalize()) for s in STATUSES), Choice(NONE, "No status")]
        return Facet(key, "Status", statuses, lambda e: (e.status or NONE,))
    if key == "topic":
        choices = [*(Choice(t.id, t.name) for t in atlas.by_kind["topic"]), Choice(NONE, "No topic")]
        return Facet(key, "Topic", choices, lambda e: _or_none({tag.topic for tag in e.topics}))
    if key == "gap":
        choices = [
            Choice(token_, f"{gap.name}: {level or 'any level'}")
            for gap in atlas.gaps for token_, level in ((gap.id, None), *((f"{gap.id}:{lv}", lv) for lv in LEVELS))
        ]
        choices.append(Choice(NONE, "No gap claimed"))
        return Facet(key, "Gap and level", choices, lambda e: _or_none({t for c in e.addresses for t in (c.gap, f"{c.gap}:{c.level}")}))
    if key == "basis":
        choices = [Choice("named", "Named"), Choice("category", "By category"), Choice(NONE, "No claim")]
        return Facet(key, "Basis of claims", choices, lambda e: _or_none({c.basis for c in e.addresses}))
    if key == "freshness":
        return Facet(key, "Last reviewed", FRESHNESS, lambda e: (freshness(e, atlas.edition).state,))
    raise ValueError(f"no facet '{key}' for entries")


def kind_facet_keys(kind: Kind) -> list[str]:
    """The facets of a kind's index, from the fields it declares: pathway, type, status, topic, gap and basis, freshness."""
    fields = kind.record.by_name
    keys = [key for key, field in (("pathway", "pathway"), ("type", "type"), ("status", "status"), ("topic", "topics")) if field in fields]
    if "addresses" in fields:
        keys += ["gap", "basis"]
    return [*keys, "freshness"]


def entry_facets(atlas: Atlas, keys: Sequence[str], rows: Sequence[Entry]) -> list[Facet[Entry]]:
    return [entry_facet(atlas, key, rows) for key in keys]


# Second-level labels under which a country's domains are registered: press.un.org is on un.org, www.gov.uk on gov.uk.
_SECOND_LEVEL = {"ac", "co", "com", "edu", "gc", "go", "gov", "ne", "net", "or", "org"}


def source_site(citation: Citation) -> str:
    """The site a source is on: its URL's domain (``press.un.org`` → ``un.org``), or "_document" for a document of the atlas."""
    if not citation.source.url:
        return "_document"
    labels = (urllib.parse.urlsplit(citation.source.url).hostname or "").split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return re.sub(r"[^\w.-]+", "-", ".".join(labels[-keep:])).strip(".-") or NONE


def source_facets(atlas: Atlas, rows: Sequence[Citation]) -> list[Facet[Citation]]:
    """The facets of the sources list: the site of the source, the kind of the entries citing it, and when it was read."""
    sites = Counter(source_site(c) for c in rows)
    shown = sorted(set(sites) - {"_document", NONE}, key=lambda s: (-sites[s], s))  # the sites cited most first
    site_choices = [Choice("_document", "Documents shipped with the atlas"), *(Choice(s, s) for s in shown), Choice(NONE, "No site")]
    kinds = [Choice(k.name, k.title) for k in KINDS.values()]

    def accessed(citation: Citation) -> tuple[str]:
        day = citation.source.accessed
        return (_age_state(day, atlas.edition) if day else NONE,)

    return [
        Facet("site", "Site", site_choices, lambda c: (source_site(c),)),
        Facet("cited-by", "Cited by", kinds, lambda c: {e.kind for e in c.entries}),
        Facet("accessed", "Accessed", ACCESSED, accessed),
    ]
