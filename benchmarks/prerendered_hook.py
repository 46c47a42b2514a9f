"""The MkDocs side of the generator's plugin, without the core: for the pre-rendered build of ``run.py``.

Pages written by ``stages.py prerender`` say ``atlas_generated: true`` in their front
matter. They get what the atlas plugin (``generator/site/``) gives generated pages (raw HTML
blocks stored unparsed, search reading them up to the SEARCH_END mark), so the difference
between the two builds is the work of the core alone: load, validate, link, render.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from generator.render.search_scope import NAME as SEARCH_SCOPE
from generator.render.search_scope import searchable_part
from generator.site.raw_html import RawHtmlBlocks

_raw_html = RawHtmlBlocks()
_whole: dict[str, str] = {}


def on_config(config):
    if _raw_html not in config.markdown_extensions:
        config.markdown_extensions.append(_raw_html)
    if SEARCH_SCOPE in config.markdown_extensions:
        config.mdx_configs.setdefault(SEARCH_SCOPE, {})["marks"] = False
    return config


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("atlas_generated"):
        _raw_html.expect_generated()
    return markdown


def on_page_content(html, page, config, files):
    searchable = searchable_part(html) if page.meta.get("atlas_generated") else None
    if searchable is None:
        return html
    _whole[page.file.src_uri] = html
    return searchable


@event_priority(-100)
def on_page_context(context, page, config, nav):
    if page.file.src_uri in _whole:
        page.content = _whole.pop(page.file.src_uri)
    return context
