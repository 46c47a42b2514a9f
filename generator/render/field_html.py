"""How a field's value shows on a page, decided by its field type: one small function per type.

The facts box of an entry page and the columns of the kind indexes show fields
the declaration names (:mod:`generator.kinds.declaration`); this says how each
type of value reads: an entry id as a link to the entry, a list as its items
joined by commas, text escaped, Markdown rendered inline, a record as its text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.kinds.fields import Choice, Date, FieldType, Integer, ListOf, LooseDate, Markdown, Record, Ref, Slug, Text, Url
from generator.link.atlas import Atlas
from generator.render.html_pieces import entry_link, external
from generator.render.text import markdown_inline


@dataclass(frozen=True)
class ValueHtml:
    """Shows values on the page at ``here``; ``short_links``: entries linked by acronym where they have one (tables)."""

    atlas: Atlas
    here: str
    directory_urls: bool
    short_links: bool = False

    def html(self, kind: FieldType, value: Any) -> Markup:
        """A value of a field of type ``kind`` as HTML."""
        for cls in type(kind).__mro__:
            show = _SHOWN.get(cls)
            if show is not None:
                return show(self, kind, value)
        raise TypeError(f"no way to show a value of the field type {type(kind).__name__}")


def _entry(show: ValueHtml, kind: Any, value: str) -> Markup:
    target = show.atlas.entries[value]
    return entry_link(target, show.here, show.directory_urls, target.short_label if show.short_links else None)


def _items(show: ValueHtml, kind: Any, value: list[Any]) -> Markup:
    return Markup(", ").join(show.html(kind.item, item) for item in value)


def _text(show: ValueHtml, kind: Any, value: str) -> Markup:
    return escape(value)


def _markdown(show: ValueHtml, kind: Any, value: str) -> Markup:
    return markdown_inline(value)


def _number(show: ValueHtml, kind: Any, value: int) -> Markup:
    return escape(str(value))


def _date(show: ValueHtml, kind: Any, value: Any) -> Markup:
    return escape(value.isoformat())


def _web_address(show: ValueHtml, kind: Any, value: str) -> Markup:
    return external(value, value)


def _record(show: ValueHtml, kind: Any, value: Any) -> Markup:
    return escape(value.text)  # a record shown whole says itself in words: Membership.text


_SHOWN: dict[type, Callable[[ValueHtml, Any, Any], Markup]] = {
    Ref: _entry,
    Slug: _text,
    ListOf: _items,
    Markdown: _markdown,
    Text: _text,
    Choice: _text,
    Integer: _number,
    LooseDate: _text,  # kept as written: 1959, 1959-12 or 1959-12-12
    Date: _date,
    Url: _web_address,
    Record: _record,
}
