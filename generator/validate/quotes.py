"""Find a quoted passage in a document shipped with the atlas.

Both sides are compared after the same normalising: white space, quote marks,
dashes and ellipses written one way, footnote marks (``[1]``), editorial marks
(``[sic]``) and Markdown markup (links, emphasis, quote and list markers) left out.
An ellipsis in a quote (``…`` or ``[…]``) skips words: each part must occur, in order.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property

_CHARACTERS = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\u2026|\.\.\.)\s*\]|\u2026|\.\.\.)\s*")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"\[(?:\d{1,3}|sic)\]|\^\d{1,3}\^|[\u00b9\u00b2\u00b3\u2070-\u2079]", re.IGNORECASE)
_LINE_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+\.[ \t]+)?", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"\n[ \t>]*\n")
_HEADING = re.compile(r"^([ \t]*#.*)$", re.MULTILINE)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


def normalise(text: str, *, markdown: bool = False) -> str:
    """Text as compared: one kind of quote mark, dash and space; no footnote or editorial marks."""
    if markdown:
        text = _LINE_MARKERS.sub("", _LINK.sub(r"\1", text))
        text = _EMPHASIS.sub(r"\2", text)
    text = _MARKS.sub("", text.translate(_CHARACTERS))
    return _SPACE.sub(" ", text).strip()


def quote_parts(quote: str) -> list[str]:
    """A quote's parts between ellipses, normalised; empty parts dropped."""
    return [part for part in (normalise(p) for p in _ELLIPSIS.split(quote.translate(_CHARACTERS))) if part]


@dataclass(frozen=True)
class Document:
    """A document's text, normalised once, to find quotes in."""

    name: str
    text: str
    blocks: tuple[str, ...] = ()  # its paragraphs and headings, for the closest passage

    @classmethod
    def from_markdown(cls, name: str, markdown: str) -> Document:
        spaced = _HEADING.sub(r"\n\1\n", markdown)  # a heading is a block of its own
        blocks = tuple(b for b in (normalise(block, markdown=True) for block in _BLOCK_END.split(spaced)) if b)
        return cls(name, normalise(markdown, markdown=True), blocks)

    def contains(self, quote: str) -> bool:
        """Whether every part of ``quote`` occurs in the document, in order (an empty quote never does)."""
        parts = quote_parts(quote)
        start = 0
        for part in parts:
            found = self.text.find(part, start)
            if found < 0:
                return False
            start = found + len(part)
        return bool(parts)

    @cached_property
    def sentences(self) -> list[str]:
        return [s for block in (self.blocks or (self.text,)) for s in _SENTENCE_END.split(block) if s]

    def closest(self, quote: str) -> str:
        """The sentence of the document that shares most words with ``quote`` (the closest in spelling first), cut to 160 characters."""
        wanted = " ".join(quote_parts(quote)).casefold()
        words = set(_WORD.findall(wanted))
        best, score = "", (-1.0, -1.0)
        for sentence in self.sentences:
            shared = len(words & set(_WORD.findall(sentence.casefold()))) / (len(words) or 1)
            if shared < score[0]:
                continue
            candidate = (shared, difflib.SequenceMatcher(None, wanted, sentence.casefold(), autojunk=False).ratio())
            if candidate > score:
                best, score = sentence, candidate
        return best if len(best) <= 160 else best[:157] + "..."
