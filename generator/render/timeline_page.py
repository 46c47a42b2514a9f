"""The timeline page, and the latest events the home page shows.

The filters are checkboxes, one per value of each facet (:mod:`generator.link.timeline`), and
CSS does the filtering: a rule made here for each value hides the events that have no checked
value of that facet, and a rule for each year hides the year (and its link in the list of
years) when every one of its events is hidden. The rules use ``:has()``; a browser without it,
or a reader without CSS, sees every event. The count of events shown is a CSS counter, which
browsers do not pass to screen readers: it is hidden from them, who hear each year's list with
the number of its items shown, and each checkbox with its count and state. Facet
values are slugs (checked in :func:`generator.link.timeline.make_facet`), so they are safe in
ids, attributes and CSS as they are. A small script (content/assets/atlas-timeline.js) keeps the
unchecked values in the page's address (``?topic=space-debris``), so a filtered timeline can be
shared, and a topic's page links to its events.
"""

from __future__ import annotations

import re
from functools import partial
from itertools import product

from markupsafe import Markup, escape

from generator.kinds.model import Source
from generator.link.atlas import Atlas
from generator.link.timeline import Event, Facet, Timeline, facets_of, timeline
from generator.render.context import RenderContext
from generator.render.contexts import TimelineContext
from generator.render.html_pieces import entry_link, external, printed
from generator.render.page import TIMELINE, WIDE, Page
from generator.render.paging import Pager
from generator.render.urls import relative_url

LATEST_SHOWN = 5
TIMELINE_PARTS = "timeline"  # the folder of the timeline's pages after the first: timeline/2.md, …


def timeline_pages(context: RenderContext) -> list[Page]:
    """The timeline: every dated event, grouped by year, oldest first, with its filters.

    A timeline of more than ``limits.timeline_events`` events is split into pages of whole years
    (a year longer than that has a page of its own): each page has the filters of its own events,
    and the list of years links every year on whichever page holds it.
    """
    line = timeline(context.atlas)
    directory_urls = context.directory_urls
    runs = year_runs(line.years(), context.limits.timeline_events)
    paths = tuple(TIMELINE if n == 1 else f"{TIMELINE_PARTS}/{n}.md" for n in range(1, len(runs) + 1))
    page_of_year = {year: paths[n] for n, run in enumerate(runs) for year, _ in run}
    pages = []
    for n, run in enumerate(runs):
        here = paths[n]
        part = line if len(runs) == 1 else Timeline(tuple(e for _, events in run for e in events), facets_of(
            [e for _, events in run for e in events], context.atlas.topics))

        def event_html(event: Event, here: str = here, part: Timeline = part) -> Markup:
            make = partial(event_item, event, part.facets, here, directory_urls)
            if context.rows is None:
                return make()
            # A preview's: kept while its entry and sources are the same objects (an event is made of them alone).
            key = ("event", here, event.entry.id, event.date, event.what, event.text)
            return context.rows.get(key, (event.entry, *event.sources), (directory_urls, tuple(f.name for f in part.facets)), make)

        year_links = [(year, relative_url(here, page_of_year[year], directory_urls, f"year-{year}")) for year, _ in line.years()]
        page = TimelineContext(
            timeline=line, part=part, years=run, year_links=year_links, controls=controls(part), event_html=event_html,
            pager=Pager(n + 1, paths),
        )
        pages.append(Page(here, context.render_page(here, page), "Timeline" + page.pager.title_suffix, meta=WIDE))
    return pages


def year_runs(years: list[tuple[str, list[Event]]], size: int | None) -> list[list[tuple[str, list[Event]]]]:
    """The years in runs of at most ``size`` events, each year whole (a longer year makes a run alone); at least one run."""
    runs: list[list[tuple[str, list[Event]]]] = [[]]
    count = 0
    for year, events in years:
        if size and runs[-1] and count + len(events) > size:
            runs.append([])
            count = 0
        runs[-1].append((year, events))
        count += len(events)
    return runs


def checkbox_id(facet: Facet, value: str) -> str:
    return f"tl-{facet.name}-{value}"


def controls(line: Timeline) -> Markup:
    """The filters, on one line: a group of labelled checkboxes per facet, each value with its count, and their CSS."""
    groups = []
    for facet in line.facets:
        boxes = "".join(
            f'<label><input type="checkbox" id="{checkbox_id(facet, v.name)}" value="{v.name}" checked> {escape(v.label)} '
            f'<span class="atlas-count">({v.count})</span></label>'
            for v in facet.values
        )
        groups.append(f'<fieldset class="atlas-tl-facet" data-facet="{facet.name}"><legend>{escape(facet.label)}</legend>{boxes}</fieldset>')
    return Markup(f'<div class="atlas-filter atlas-tl-filters"><style>{filter_css(line)}</style>{"".join(groups)}</div>')


def without_filters(markdown: str) -> str:
    """The timeline's Markdown without its filters and their rules: for paper, where nothing is unchecked
    (and where WeasyPrint would match every ``:has()`` rule against the whole page, for each element)."""
    return _FILTERS.sub("", markdown)


_FILTERS = re.compile(r'^<div class="atlas-filter atlas-tl-filters">.*</div>\n', re.MULTILINE)  # one line: see controls()


def _unchecked(facet: Facet, value: str) -> str:
    return f"#{checkbox_id(facet, value)}:not(:checked)"


def filter_css(line: Timeline) -> str:
    """The rules that hide unchecked events and emptied years (one rule each, so a browser without ``:has()`` drops them whole).

    An event is hidden when, for some facet, none of its values is checked; a year when all its
    events are: for each combination of one value per facet an event has, one of them is unchecked.
    """
    hide_events = sorted(
        "body" + "".join(f":has({_unchecked(facet, v)})" for v in values) + f' .atlas-tl-event[data-{facet.name}="{" ".join(values)}"]'
        for facet in line.facets
        for values in {facet.of(event) for event in line.events}
    )
    hide_years = []
    for year, events in line.years():
        clauses = sorted({
            ", ".join(sorted(_unchecked(facet, v) for facet, v in choice))
            for event in events
            for choice in product(*([(facet, v) for v in facet.of(event)] for facet in line.facets))
        })
        hide_years.append("body" + "".join(f":has({c})" for c in clauses) + f' [data-year="{year}"]')
    return "".join(f"{selector}{{display:none}}" for selector in hide_events + hide_years)


def source_link(source: Source, here: str, directory_urls: bool) -> Markup:
    """A source by its title, linked to it: a web page, or the page of a document shipped with the atlas."""
    if source.url:
        return printed(external(source.url, source.title))
    href = relative_url(here, f"{source.document}.md", directory_urls)
    return printed(Markup('<a href="{}">{}</a>').format(href, source.title))


def event_body(event: Event, here: str, directory_urls: bool) -> Markup:
    """An event on one line: its date as given, what happened, its entry (linked) and kind, and its sources."""
    sources = Markup("; ").join(source_link(s, here, directory_urls) for s in event.sources)
    cited = Markup(' <span class="atlas-tl-source">{}: {}</span>').format("Sources" if len(event.sources) > 1 else "Source", sources) if sources else ""
    return Markup('<time datetime="{}">{}</time> <span class="atlas-tl-what">{}</span> — {} <span class="atlas-kind-tag">{}</span>{}').format(
        event.date, event.date, printed(event.label), entry_link(event.entry, here, directory_urls), event.entry.kind, cited
    )


def event_item(event: Event, facets: tuple[Facet, ...], here: str, directory_urls: bool) -> Markup:
    """An event as an item of the timeline, carrying its values of each facet for the filters."""
    data = "".join(f' data-{facet.name}="{" ".join(facet.of(event))}"' for facet in facets)
    return Markup(f'<li class="atlas-tl-event"{data}>{event_body(event, here, directory_urls)}</li>')


def latest_events(atlas: Atlas, here: str, directory_urls: bool = True, count: int = LATEST_SHOWN) -> str:
    """The ``count`` latest events of the atlas, newest first, on one line of HTML, and a link to the timeline."""
    events = timeline(atlas).latest(count)
    more = Markup('<p><a href="{}">Every dated event, by year: the timeline</a></p>').format(relative_url(here, TIMELINE, directory_urls))
    if not events:
        return str(Markup("<p>No entry gives a dated event yet.</p>") + more)
    items = "".join(f"<li>{event_body(e, here, directory_urls)}</li>" for e in events)
    return str(Markup(f'<ul class="atlas-latest">{items}</ul>') + more)
