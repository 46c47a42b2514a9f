"""Live numbers from the atlas for the hand-written pages in content/.

A hand-written page may contain ``<!-- atlas:count KIND -->`` (forum, gap,
initiative, pathway, entry, claim, source, uncovered) or ``<!-- atlas:counts -->``
(a small table of all of them); each is replaced by the current number.
"""

from __future__ import annotations

import re

from generator.link import Atlas

_COUNT = re.compile(r"<!--\s*atlas:count\s+([a-z]+)\s*-->")
_COUNTS = re.compile(r"<!--\s*atlas:counts\s*-->")
LABELS = {
    "forum": "Forums",
    "initiative": "Initiatives",
    "gap": "Gaps",
    "pathway": "Pathways",
    "claim": "Coverage claims",
    "uncovered": "Uncovered gaps",
    "source": "Sources cited",
}


def counts(atlas: Atlas) -> dict[str, int]:
    """The atlas's headline numbers."""
    numbers = {kind: len(entries) for kind, entries in atlas.by_kind.items()}
    numbers.update(
        entry=len(atlas.entries),
        claim=atlas.claim_count,
        uncovered=len(atlas.uncovered_gaps),
        source=len(atlas.citations),
    )
    return numbers


def fill_placeholders(markdown: str, atlas: Atlas) -> str:
    """Replace the count placeholders of a hand-written page."""
    numbers = counts(atlas)

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(numbers[name]) if name in numbers else match.group(0)

    def table(_: re.Match[str]) -> str:
        rows = "\n".join(f"| {label} | {numbers[key]} |" for key, label in LABELS.items())
        return f"| In the atlas | Number |\n|---|---:|\n{rows}\n"

    return _COUNT.sub(one, _COUNTS.sub(table, markdown))
