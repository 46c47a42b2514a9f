"""Entry text to safe HTML: Markdown with raw HTML turned off, then sanitised by nh3.

Entry text is untrusted. Raw HTML in it is shown as typed, and the HTML that
Markdown makes is passed through an allowlist: a few formatting tags, links
whose address is http, https or mailto, and no other attribute.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "a", "ul", "ol", "li",
    "blockquote", "hr", "h3", "h4", "h5", "h6", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # No raw HTML: without these two processors, tags in the text are escaped as text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


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
    md = _markdown()
    md.reset()
    return Markup(sanitise_html(md.convert(text)))


@lru_cache(maxsize=65536)
def markdown_inline(text: str) -> Markup:
    """Render a one-paragraph Markdown field to sanitised HTML without the <p> wrapper."""
    html = str(markdown_to_html(text)).strip()
    match = _PARAGRAPH.match(html)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else html)
