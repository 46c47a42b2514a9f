"""Entry pages kept across the rebuilds of ``mkdocs serve``.

A forum or initiative page shows its own entry and the names of the entries it
links to or is linked from. While serving, the checker hands back the very same
entry object for every file that did not change, so a page can be reused when
every entry it shows is the same object as last time (and the settings it was
rendered with are equal). Gap and pathway pages, which gather many entries, and
the list pages are rendered every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.render.page import Page


@dataclass(frozen=True)
class _Kept:
    shown: tuple[object, ...]  # compared by identity
    settings: Hashable  # compared by equality
    page: Page


class PageCache:
    """Rendered pages by docs path, each with the entries and settings it was made from."""

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
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

    def start_build(self) -> None:
        """Reset the counts for a new build."""
        self.reused = self.rendered = 0

    def keep_only(self, paths: set[str]) -> None:
        """Forget the pages of entries that are gone."""
        for path in self._kept.keys() - paths:
            del self._kept[path]
