"""How to cite one entry: in words, as BibTeX, RIS and CSL-JSON, and as ``citation_*`` meta tags.

An entry is cited as a web page of the atlas, by the atlas as its author, dated by the
edition (the date the site was built from) with the entry's last review beside it. Entry
text is untrusted: BibTeX escapes it with pylatexenc, RIS is written by rispy from text
with no line breaks, CSL-JSON is JSON, and the meta tags are escaped by the template.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import rispy
from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from generator.kinds.model import Entry
from generator.render.urls import entry_page, page_url

ATLAS = "Space Governance Atlas"
# LaTeX's special characters and every non-ASCII one as commands; < and > too, which some font encodings print as ¡ and ¿.
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, {ord("<"): r"\textless", ord(">"): r"\textgreater"}), "defaults"],
    replacement_latex_protection="braces-all",
)
FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}
_PLAIN = re.compile(r"[A-Za-z0-9 ,.;:()/'-]*")  # characters the encoder leaves as they are (tests/render/test_citation.py checks)


def latex(text: str) -> str:
    """``text`` for a BibTeX field: as it is when every character is plain, else through the encoder (the same result, sooner)."""
    return text if _PLAIN.fullmatch(text) else _LATEX.unicode_to_latex(text)


def citation_file(entry: Entry, suffix: str) -> str:
    """Where an entry's citation in one format lies in the site: ``cite/forums/iadc.bib``."""
    return f"cite/{entry.kind}s/{entry.id}.{suffix}"


class _RisWriter(rispy.RisWriter):
    """RIS as reference managers write it: no numbered line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Citation:
    """The citation of ``entry`` in the edition of ``edition`` (ISO date) of a site at ``site_url`` (None: no address known)."""

    entry: Entry
    edition: str
    site_url: str | None
    directory_urls: bool = True

    @property
    def title(self) -> str:
        return _one_line(self.entry.label)

    @property
    def url(self) -> str | None:
        if self.site_url is None:
            return None
        return self.site_url.rstrip("/") + "/" + page_url(entry_page(self.entry.kind, self.entry.id), self.directory_urls)

    @property
    def key(self) -> str:
        """The BibTeX key: ``sga-<id>`` (ids are lowercase letters, digits and hyphens)."""
        return f"sga-{self.entry.id}"

    def text(self) -> str:
        """``Space Governance Atlas. "Title". Edition of 2026-12-04; entry last reviewed 2026-11-20. URL``."""
        where = f" {self.url}" if self.url else ""
        return f"{ATLAS}. “{self.title}”. {ATLAS}, edition of {self.edition}; entry last reviewed {self.entry.last_reviewed.isoformat()}.{where}"

    def bibtex(self) -> str:
        year, month, _ = self.edition.split("-")
        fields = [
            ("title", latex(self.title)),
            ("author", f"{{{ATLAS}}}"),  # braces: a body, not a person's first and last name
            ("organization", ATLAS),
            ("year", year),
            ("month", str(int(month))),
            ("date", self.edition),
            ("note", latex(f"Edition of {self.edition}; entry last reviewed {self.entry.last_reviewed.isoformat()}")),
        ]
        if self.url:
            fields += [("url", self.url), ("urldate", self.edition)]
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        return f"@misc{{{self.key},\n{body}}}\n"

    def ris(self) -> str:
        record: dict[str, object] = {
            "type_of_reference": "ELEC",
            "title": self.title,
            "authors": [ATLAS],
            "publisher": ATLAS,
            "year": self.edition[:4],
            "date": self.edition.replace("-", "/"),
            "notes": [f"Edition of {self.edition}; entry last reviewed {self.entry.last_reviewed.isoformat()}"],
            "id": self.key,
        }
        if self.url:
            record["urls"] = [self.url]
        return str(rispy.dumps([record], implementation=_RisWriter))

    def csl(self) -> str:
        year, month, day = (int(part) for part in self.edition.split("-"))
        item: dict[str, object] = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "container-title": ATLAS,
            "author": [{"literal": ATLAS}],
            "issued": {"date-parts": [[year, month, day]]},
            "version": self.edition,
            "note": f"Entry last reviewed {self.entry.last_reviewed.isoformat()}",
        }
        if self.url:
            item["URL"] = self.url
            item["accessed"] = {"date-parts": [[year, month, day]]}
        return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def files(self) -> dict[str, bytes]:
        """The downloads, by their path in the site."""
        texts = {"bib": self.bibtex(), "ris": self.ris(), "json": self.csl()}
        return {citation_file(self.entry, suffix): text.encode() for suffix, text in texts.items()}

    def meta(self) -> list[tuple[str, str]]:
        """The Highwire ``citation_*`` tags Zotero reads, as (name, content); the template escapes them."""
        tags = [
            ("citation_title", self.title),
            ("citation_author", ATLAS),
            ("citation_publisher", ATLAS),
            ("citation_publication_date", self.edition.replace("-", "/")),
            ("citation_language", "en"),
        ]
        if self.url:
            tags.append(("citation_public_url", self.url))
        return tags
