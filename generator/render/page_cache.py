"""Entry pages kept across the rebuilds of ``mkdocs serve``.

A forum or initiative page shows its own entry and the names of the entries it
links to or is linked from. While serving, the checker hands back the very same
entry object for every file that did not change, so a page can be reused when
every entry it shows is the same object as last time (and the settings it was
rendered with are equal). Gap and pathway pages, which gather many entries, and
the list pages are rendered every time, but for the rows of forums and initiatives in the
index tables, of sources and of timeline events. An entry's citation downloads are kept the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from markupsafe import Markup

    from generator.kinds.model import Entry
    from generator.link.atlas import Atlas
    from generator.render.page import Page


V = TypeVar("V")
KEPT_KINDS = ("forum", "initiative")  # whose pages, and rows in index tables, a preview keeps while the entries they show are the same


def entries_shown(atlas: Atlas, entry: Entry) -> list[Entry]:
    """The entries a forum's or an initiative's page shows: itself, those it names, and those that name it."""
    entries = atlas.entries
    return [
        entry, *(entries[i] for i in (entry.pathway, *entry.led_by, *entry.related) if i),
        *(entries[c.gap] for c in entry.addresses), *(entries[c.gap] for c in entry.illustrates),
        *(entries[t.topic] for t in entry.topics), *(b.entry for b in atlas.backlinks.get(entry.id, [])),
    ]


class Kept(Generic[V]):
    """Values kept across a preview's rebuilds, each with the objects it was made from (compared by identity)
    and the settings it was made with (compared by equality)."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[tuple[object, ...], Hashable, V]] = {}
        self._used: set[Hashable] = set()
        self.reused = 0
        self.made = 0

    def get(self, key: Hashable, shown: Sequence[object], settings: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key`` if it was made from the same objects with equal settings, else a new one."""
        self._used.add(key)
        kept = self._kept.get(key)
        if kept is not None and kept[1] == settings and len(kept[0]) == len(shown) and all(a is b for a, b in zip(kept[0], shown, strict=True)):
            self.reused += 1
            return kept[2]
        value = make()
        self._kept[key] = (tuple(shown), settings, value)
        self.made += 1
        return value

    def keep_used(self) -> None:
        """Forget the values this rendering did not ask for: those of entries that are gone."""
        for key in self._kept.keys() - self._used:
            del self._kept[key]
        self._used = set()


class PageCache:
    """A preview's entry pages by docs path, rows of index tables and citation downloads, each kept while what it shows is the same."""

    def __init__(self) -> None:
        self.pages: Kept[Page] = Kept()
        self.rows: Kept[Markup] = Kept()
        self.citations: Kept[dict[str, bytes]] = Kept()

    @property
    def rendered(self) -> int:
        """Entry pages rendered again in this build."""
        return self.pages.made

    @property
    def reused(self) -> int:
        """Entry pages reused in this build."""
        return self.pages.reused

    def start_build(self) -> None:
        """Reset the counts for a new build."""
        self.pages.reused = self.pages.made = 0

    def keep_used(self) -> None:
        """Forget the pages, rows and citation files this rendering did not ask for: those of entries that are gone."""
        for kept in (self.pages, self.rows, self.citations):
            kept.keep_used()
