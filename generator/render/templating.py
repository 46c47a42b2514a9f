"""The one Jinja environment of the generated pages, and the globals its templates call.

Templates live in ``generator/render/templates``. Entry text never becomes template source:
it arrives in the context as data and is auto-escaped, or rendered by
:mod:`generator.render.text` into sanitised HTML. Each global is a thin call into
:mod:`generator.render.html_pieces`, given the page the template renders (``here``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator.kinds.declaration import LEVEL_MEANINGS, LEVELS
from generator.kinds.model import Entry, Source
from generator.link.atlas import Coverage
from generator.render.html_pieces import (
    SEARCH_END,
    basis_counts,
    claim_row,
    coverage_legend,
    entry_link,
    level_badge,
    level_cells,
    pathway_cell,
    printed,
    source_html,
    source_ref,
)
from generator.render.paging import Pager
from generator.render.text import markdown_inline, markdown_to_html
from generator.render.urls import entry_page, relative_url

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one compiled Jinja environment: auto-escaping, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printed,
    )
    env.filters["md"] = markdown_to_html
    env.filters["inline"] = markdown_inline
    env.globals.update(
        link=_link,
        level=level_badge,
        level_cells=level_cells,
        links=_links,
        claim_row=_claim_row,
        pages_nav=_pages_nav,
        href=_href,
        source_ref=_source_ref,
        source_html=_source_html,
        search_end=Markup(SEARCH_END),
        levels=LEVELS,
        level_meanings=LEVEL_MEANINGS,
        legend=coverage_legend,
        basis_counts=basis_counts,
        pathway_cell=pathway_cell,
    )
    return env


@jinja2.pass_context
def _href(ctx: jinja2.runtime.Context, target: Entry | str, anchor: str = "") -> str:
    path = entry_page(target.kind, target.id) if isinstance(target, Entry) else target
    return relative_url(ctx["here"], path, ctx["directory_urls"], anchor)


@jinja2.pass_context
def _link(ctx: jinja2.runtime.Context, entry: Entry, text: str | None = None) -> Markup:
    return entry_link(entry, ctx["here"], ctx["directory_urls"], text)


@jinja2.pass_context
def _links(ctx: jinja2.runtime.Context, entries: Sequence[Entry]) -> Markup:
    """Links to entries' pages, separated by commas."""
    return Markup(", ".join(entry_link(e, ctx["here"], ctx["directory_urls"]) for e in entries))


@jinja2.pass_context
def _claim_row(ctx: jinja2.runtime.Context, item: Coverage) -> Markup:
    return claim_row(ctx["atlas"], item, ctx["here"], ctx["directory_urls"], level=True)


@jinja2.pass_context
def _pages_nav(ctx: jinja2.runtime.Context, pager: Pager) -> Markup:
    """Links to the other pages of a list: previous, numbers, next."""
    if pager.count < 2:
        return Markup("")
    here = ctx["here"]

    def href(n: int) -> str:
        return escape(relative_url(here, pager.paths[n - 1], ctx["directory_urls"]))

    parts = [Markup(f'<a href="{href(pager.number - 1)}" rel="prev">← previous</a>')] if pager.number > 1 else []
    for n in range(1, pager.count + 1):
        parts.append(Markup(f'<strong aria-current="page">{n}</strong>') if n == pager.number else Markup(f'<a href="{href(n)}">{n}</a>'))
    if pager.number < pager.count:
        parts.append(Markup(f'<a href="{href(pager.number + 1)}" rel="next">next →</a>'))
    return Markup('<nav class="atlas-pager" aria-label="Pages">Page {} of {}: {}</nav>').format(
        pager.number, pager.count, Markup(" ").join(parts))


@jinja2.pass_context
def _source_ref(ctx: jinja2.runtime.Context, entry: Entry, ref: str | None) -> Markup:
    return source_ref(entry, ref, ctx["here"], ctx["directory_urls"])


@jinja2.pass_context
def _source_html(ctx: jinja2.runtime.Context, source: Source) -> Markup:
    return source_html(source, ctx["here"], ctx["directory_urls"])
