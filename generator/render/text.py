"""Entry text to safe HTML: CommonMark (cmark-gfm) with raw HTML shown as typed, then sanitised by nh3.

Entry text is untrusted. Raw HTML in it is shown as typed, and the HTML that
Markdown makes is passed through an allowlist: a few formatting tags, links
whose address is http, https or mailto, and no other attribute.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cmarkgfm
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "a", "ul", "ol", "li",
    "blockquote", "hr", "h3", "h4", "h5", "h6", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


# A "<" that does not open an autolink (<https://…>, <mailto:…>) is text: escaping it
# before CommonMark shows typed tags as typed instead of dropping them. Code is left
# alone (CommonMark shows it literally already): fenced blocks, indented blocks, `spans`.
_TAG_START = re.compile(r"<(?!(?:https?://|mailto:)[^\s<>]*>)", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


def _escape_tags(text: str) -> str:
    """Escape the "<" of raw HTML outside code, so that CommonMark prints it as typed."""
    out: list[str] = []
    fence: str | None = None
    previous_blank = True
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
            out.append(line)
        elif previous_blank and line.startswith(("    ", "\t")) and line.strip():
            out.append(line)  # an indented code block
            continue
        else:
            out.append(_escape_outside_spans(line))
        previous_blank = not line.strip()
    return "\n".join(out)


def _escape_outside_spans(line: str) -> str:
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [_TAG_START.sub("&lt;", line[last : span.start()]), span.group(0)]
        last = span.end()
    parts.append(_TAG_START.sub("&lt;", line[last:]))
    return "".join(parts)


def sanitise_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "textarea", "iframe", "object", "svg", "math", "template", "noscript", "title"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@lru_cache(maxsize=65536)
def markdown_to_html(text: str) -> Markup:
    """Render entry Markdown (several paragraphs allowed) to sanitised HTML (cached: texts recur across pages)."""
    return Markup(sanitise_html(cmarkgfm.markdown_to_html(_escape_tags(text))).strip())


@lru_cache(maxsize=65536)
def markdown_inline(text: str) -> Markup:
    """Render a one-paragraph Markdown field to sanitised HTML without the <p> wrapper."""
    html = str(markdown_to_html(text)).strip()
    match = _PARAGRAPH.match(html)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else html)
