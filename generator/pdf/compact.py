"""Print-only rewrites of the site's page HTML: the same text in fewer elements.

WeasyPrint's time grows with the number of elements and inline boxes more than with
the text, and the related-entry lists are most of an entry's elements (an item, a link,
a kind tag and a relation label for each). For paper they become one paragraph each,
links kept, kind and relation as plain text; the facts box becomes one paragraph of
"label: value" pairs; an entry's numbered sources become paragraphs numbered "[1]" as
the references to them are (a list item adds a marker box); quotations get their
quotation marks as text (a ``<q>`` is three boxes). For a forum or initiative this is a
third less work. Each rewrite matches the site templates' markup exactly and leaves
anything else as it was: if a template changes, the PDF only gets slower. The patterns
are linear (an item cannot run past its end tag), and entry text, escaped, cannot
write a tag they match.
"""

from __future__ import annotations

import re

_LIST = re.compile(r'<ul class="(atlas-list(?: atlas-backlinks)?)">\n?((?:<li>(?:(?!</li>).)*</li>\n?)*)</ul>', re.DOTALL)
_ITEM = re.compile(r"<li>(.*?)</li>\n?", re.DOTALL)
_KIND_TAG = re.compile(r'<span class="atlas-kind-tag">([^<]*)</span>')
_RELATION = re.compile(r'<span class="atlas-relation">([^<]*)</span>')
_FACTS = re.compile(r'<table class="atlas-facts">\n?<caption>[^<]*</caption>\n?<tbody>\n?((?:<tr>(?:(?!</tr>).)*</tr>\n?)*)</tbody>\n?</table>', re.DOTALL)
_FACT = re.compile(r'<tr><th scope="row">([^<]*)</th><td>(.*?)</td></tr>\n?', re.DOTALL)
_SOURCES = re.compile(r'<ol class="atlas-sources">\n?((?:<li id="[^"]*">(?:(?!</li>).)*</li>\n?)*)</ol>', re.DOTALL)
_SOURCE = re.compile(r'<li id="([^"]*)">(.*?)</li>\n?', re.DOTALL)
_QUOTE = re.compile(r"<q>([^<]*(?:<(?!/?q\b)[^<]*)*)</q>")
_BADGE = re.compile(r'(<span class="atlas-level atlas-level--\w+") title="[^"]*"><span aria-hidden="true">([^<]*)</span>')


def _list(match: re.Match[str]) -> str:
    items = [_RELATION.sub(r"\1", _KIND_TAG.sub(r"(\1)", item)) for item in _ITEM.findall(match.group(2))]
    return f'<p class="{match.group(1)}">' + " · ".join(items) + "</p>"


def _facts(match: re.Match[str]) -> str:
    facts = [f"{label}: {value}" for label, value in _FACT.findall(match.group(1))]
    return '<p class="atlas-facts">' + " · ".join(facts) + "</p>"


def _sources(match: re.Match[str]) -> str:
    items = [f'<p id="{anchor}">[{number}] {body}</p>' for number, (anchor, body) in enumerate(_SOURCE.findall(match.group(1)), 1)]
    return '<div class="atlas-sources">' + "".join(items) + "</div>"


def compact(html: str) -> str:
    """``html`` with related lists and the facts box as paragraphs, quotations and level badges in fewer elements."""
    html = _LIST.sub(_list, html)
    html = _FACTS.sub(_facts, html)
    html = _SOURCES.sub(_sources, html)
    html = _QUOTE.sub("“\\1”", html)
    return _BADGE.sub(r"\1>\2", html)
