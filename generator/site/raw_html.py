"""A Python-Markdown extension that passes the raw HTML blocks of generated pages through unparsed.

Generated pages are mostly raw HTML: tables and lists between a few Markdown
headings. Python-Markdown (and MkDocs after it) would run an HTML parser over
every tag only to copy the block out unchanged. The renderer guarantees that
every line break of a generated page comes from a template (entry text reaches
a page with its line breaks written as ``&#10;``), so each block of lines
between blank lines that opens with a block-level tag is one complete raw
block, and it can go straight to Markdown's store of raw HTML. The output is
the same as without the extension (a test converts every generated page both
ways); only the time differs.

Call :meth:`RawHtmlBlocks.expect_generated` before converting a generated page;
any other page is converted as usual.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_OPENING_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
# After Markdown's whitespace normalisation (30), before MkDocs' anchor scan (21) and Markdown's HTML parser (20).
PRIORITY = 25


class RawHtmlBlocks(Extension):
    """Stores the raw HTML blocks of the next generated page without parsing them."""

    def __init__(self) -> None:
        super().__init__()
        self.generated_next = False

    def expect_generated(self) -> None:
        """The next page converted by a Markdown instance with this extension is a generated page."""
        self.generated_next = True

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_StashBlocks(md, self), "atlas_raw_html_blocks", PRIORITY)


class _StashBlocks(Preprocessor):
    def __init__(self, md: Markdown, extension: RawHtmlBlocks) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if not self.extension.generated_next:
            return lines
        self.extension.generated_next = False
        return stash_raw_blocks(lines, self.md)


def stash_raw_blocks(lines: list[str], md: Markdown) -> list[str]:
    """Replace each block that opens with a block-level tag by a placeholder for its stored HTML."""
    out: list[str] = []
    start = 0
    count = len(lines)
    while start < count:
        if not lines[start]:
            out.append("")
            start += 1
            continue
        end = start
        while end < count and lines[end]:
            end += 1
        block = lines[start:end]
        if _is_raw(block[0], md):
            out += ["", md.htmlStash.store("\n".join(block) + "\n"), ""]
        else:
            out += block
        start = end
    return out


def _is_raw(first_line: str, md: Markdown) -> bool:
    if first_line.startswith("<!--"):
        return False  # Markdown has its own rules for comments; leave them to it
    match = _OPENING_TAG.match(first_line)
    return match is not None and bool(md.is_block_level(match.group(1).lower()))
