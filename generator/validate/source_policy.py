"""The source policy: which hosts a published atlas never cites, and which may not stand alone.

Declared once here; ``check`` applies it to every web address an entry cites, and the
Methodology and Contributing pages document the same table (a test holds them together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

ORIGINAL_HINT = "cite the original: the body's own site, the UN, EU or ESA document, or established press"


@dataclass(frozen=True)
class HostRule:
    """Hosts of one kind: by domain (the domain and every host under it) or by a pattern of the host name."""

    what: str
    domains: tuple[str, ...] = ()
    pattern: str | None = None

    def matches(self, host: str) -> bool:
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return self.pattern is not None and re.search(self.pattern, host) is not None


REJECTED: tuple[HostRule, ...] = (
    HostRule(
        "a copy of Wikipedia",
        ("nina.az", "wikimili.com", "h0gkzb4o2.asia", "the-uncensored-wiki.com", "piglix.com", "alchetron.com",
         "wikiwand.com", "zxc.wiki", "qaz.wiki", "wiki.x.io", "gudq.com", "friendlywiki.com", "atozwiki.com",
         "explained.today", "infinitelexicon.pages.dev", "talk.dob.jp", "wikizero.com", "wiki2.org", "everybodywiki.com"),
        # kiwix.* hosts, any host under a .wiki domain, and sites whose own name is a "wiki" other than Wikimedia's
        r"(^|\.)kiwix\.|\.wiki$|(^|\.)(?!wiki(pedia|media|data|source|quote|books|news|versity|voyage|species)\.)[a-z0-9-]*wiki[a-z0-9-]*\.[a-z]{2,}$",
    ),
    HostRule(
        "a proxy",
        ("lescigales.org", "scarabresearch.com", "fastly.net", "translate.goog"),
        r"(^|[.-])proxy[.-]",
    ),
    HostRule(
        "a copy of a document scraped from elsewhere",
        ("docslib.org", "dokumen.tips", "dokumen.pub", "pdfcoffee.com", "readkong.com", "vdocuments.mx", "vdocuments.net",
         "fdocuments.in", "documents.pub", "pdfslide.net", "studylib.net", "kupdf.net", "idoc.pub", "silo.tips", "doczz.net",
         "epdf.pub", "flipbuilder.com"),
    ),
    HostRule(
        "a Model United Nations club page",
        ("houstonareamun.org", "ilerimun.com", "awsmunvja.org", "bestdelegate.com"),
        r"(^|\.)[a-z0-9-]*mun\.[a-z]{2,}$",
    ),
    HostRule(
        "a dictionary",
        ("thefreedictionary.com", "dictionary.com", "merriam-webster.com", "collinsdictionary.com", "wiktionary.org",
         "acronymfinder.com", "abbreviations.com", "allacronyms.com"),
    ),
    HostRule("a content farm", ("bnnbreaking.com",)),
)
"""Hosts never accepted as a source: ``check`` gives an error, with a hint to cite the original."""

NOT_ALONE = HostRule("Wikipedia", ("wikipedia.org",))
"""Hosts that may not be an entry's only web source: ``check`` warns when nothing else is cited beside them."""


def host_of(url: str) -> str:
    """The host of a web address, lower case, without ``www.`` or a port."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


_BY_DOMAIN = {domain: rule for rule in REJECTED for domain in rule.domains}


def rejected(url: str) -> HostRule | None:
    """The rule that rejects ``url``'s host, if one does: by the host or a domain above it, else by a pattern."""
    host = host_of(url)
    labels = host.split(".")
    for i in range(len(labels)):
        rule = _BY_DOMAIN.get(".".join(labels[i:]))
        if rule is not None:
            return rule
    return next((rule for rule in REJECTED if rule.pattern is not None and re.search(rule.pattern, host)), None)


def not_alone(url: str) -> bool:
    """Whether ``url`` is on a host that may not be an entry's only web source."""
    return NOT_ALONE.matches(host_of(url))
