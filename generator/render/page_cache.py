"""Entry pages kept across the rebuilds of ``mkdocs serve``.

A forum or initiative page shows its own entry and the names of the entries it
links to or is linked from. While serving, the checker hands back the very same
entry object for every file that did not change, so a page can be reused when
every entry it shows is the same object as last time (and the settings it was
rendered with are equal). Gap and pathway pages, which gather many entries, and
the list pages are rendered every time, but for the rows of forums and initiatives in the
index tables (:class:`RowCache`). An entry's citation downloads are kept the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markupsafe import Markup

    from generator.kinds.model import Entry
    from generator.link.atlas import Atlas
    from generator.render.page import Page


KEPT_KINDS = ("forum", "initiative")  # whose pages, and rows in index tables, a preview keeps while the entries they show are the same


def entries_shown(atlas: Atlas, entry: Entry) -> list[Entry]:
    """The entries a forum's or an initiative's page shows: itself, those it names, and those that name it."""
    entries = atlas.entries
    return [
        entry, *(entries[i] for i in (entry.pathway, *entry.led_by, *entry.related) if i),
        *(entries[c.gap] for c in entry.addresses), *(entries[c.gap] for c in entry.illustrates),
        *(entries[t.topic] for t in entry.topics), *(b.entry for b in atlas.backlinks.get(entry.id, [])),
    ]


@dataclass(frozen=True)
class _Kept:
    shown: tuple[object, ...]  # compared by identity
    settings: Hashable  # compared by equality
    page: Page


class RowCache:
    """Rows of index tables kept across a preview's rebuilds, each with the entries it was made from (compared by identity)."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[tuple[object, ...], Hashable, Markup]] = {}
        self._used: set[Hashable] = set()

    def row(self, key: Hashable, shown: Sequence[object], settings: Hashable, make: Callable[[], Markup]) -> Markup:
        """The row kept for ``key`` if it showed the same objects with equal settings, else a new one."""
        self._used.add(key)
        kept = self._kept.get(key)
        if kept is not None and kept[1] == settings and len(kept[0]) == len(shown) and all(a is b for a, b in zip(kept[0], shown, strict=True)):
            return kept[2]
        row = make()
        self._kept[key] = (tuple(shown), settings, row)
        return row

    def keep_used(self) -> None:
        """Forget the rows no table of this rendering asked for."""
        for key in self._kept.keys() - self._used:
            del self._kept[key]
        self._used = set()


class PageCache:
    """Rendered pages by docs path, each with the entries and settings it was made from."""

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
        self._files: dict[int, tuple[object, Hashable, dict[str, bytes]]] = {}  # by id of the entry, which the tuple keeps alive
        self.rows = RowCache()
        self.reused = 0
        self.rendered = 0

    def page(self, path: str, shown: Sequence[object], settings: Hashable, render: Callable[[], Page]) -> Page:
        """The page kept for ``path`` if it showed the same objects with equal settings, else a new one."""
        kept = self._kept.get(path)
        if (
            kept is not None
            and kept.settings == settings
            and len(kept.shown) == len(shown)
            and all(old is new for old, new in zip(kept.shown, shown, strict=True))
        ):
            self.reused += 1
            return kept.page
        page = render()
        self._kept[path] = _Kept(tuple(shown), settings, page)
        self.rendered += 1
        return page

    def citation_files(self, entry: object, settings: Hashable, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        """An entry's citation downloads: the same again while it is the same object, with equal settings."""
        key = id(entry)
        kept = self._files.get(key)
        if kept is not None and kept[0] is entry and kept[1] == settings:
            return kept[2]
        files = make()
        self._files[key] = (entry, settings, files)
        return files

    def start_build(self) -> None:
        """Reset the counts for a new build."""
        self.reused = self.rendered = 0

    def keep_only(self, paths: set[str], entries: Iterable[object] = ()) -> None:
        """Forget the pages, and the citation files, of entries that are gone."""
        for path in self._kept.keys() - paths:
            del self._kept[path]
        alive = {id(entry) for entry in entries}
        for key in self._files.keys() - alive:
            del self._files[key]
        self.rows.keep_used()
