"""Long lists split over numbered pages, so that no page grows with the atlas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    """Where one page stands among the pages of a list (docs paths of all of them)."""

    number: int
    paths: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def title_suffix(self) -> str:
        return f" (page {self.number} of {self.count})" if self.count > 1 else ""


def chunks(items: Sequence[T], size: int | None) -> list[list[T]]:
    """``items`` in runs of ``size`` (all in one run when ``size`` is None); at least one run."""
    if not size:
        return [list(items)]
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def paginate(
    items: Sequence[T], size: int | None, first: str, more: Callable[[int], str]
) -> list[tuple[str, list[T], Pager]]:
    """Split ``items`` into pages: the first at docs path ``first``, page n at ``more(n)``."""
    runs = chunks(items, size)
    paths = tuple(first if n == 1 else more(n) for n in range(1, len(runs) + 1))
    return [(paths[n - 1], run, Pager(n, paths)) for n, run in enumerate(runs, 1)]
