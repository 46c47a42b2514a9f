"""The whole site's source as any engine gets it: each page's Markdown, meta and edit path, and the other files.

There is no second way of making pages. The MkDocs plugin hands MkDocs these pages one by
one (:mod:`generator.site.build`); ``python -m generator pages`` writes them all into a
folder for engines without plugins (:mod:`generator.site.pages_output`). Both ask
:meth:`SiteSource.page` for each page. A page's meta is its front matter: the title of a
generated page, ``hide``, ``search`` (the contributor pages are left out of search) and
``atlas_head`` (its feeds and citation tags, written by ``overrides/main.html``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.editions.history import History
from generator.link.atlas import Atlas
from generator.render.content import fill_placeholders
from generator.render.head import HEAD, page_head
from generator.render.page import FIELDS, Page
from generator.render.pages import SiteOutput

GUIDE = "contributing.md"  # the page made of CONTRIBUTING.md, at the repository's root, unless the docs folder has its own
GUIDE_FILE = "CONTRIBUTING.md"
# Pages for those who write entries, left out of the search results: a reader's search finds the atlas itself.
CONTRIBUTOR_PAGES = frozenset({GUIDE, FIELDS})
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # MkDocs' own rule


@dataclass(frozen=True)
class SourcePage:
    """One page as an engine gets it."""

    path: str  # its docs path
    markdown: str  # without front matter
    meta: dict[str, Any]  # its front matter
    edit_path: str | None  # the file it comes from, relative to the repository's root (None: none to edit)
    generated: bool = False  # rendered from the entries (mostly raw HTML), not written by hand


@dataclass(frozen=True)
class Placeholders:
    """What the placeholders of hand-written pages say about this build (:func:`generator.render.content.fill_placeholders`)."""

    downloads: bool = False  # the build makes the PDF, the offline copy and the data files
    offline: bool = False  # this is the offline copy
    pdf: bool = True
    offline_zip: bool = True
    history: History | None = None


@dataclass(frozen=True)
class SiteSource:
    """The site's pages and files, rendered once from ``atlas``; hand-written pages come from ``docs``."""

    atlas: Atlas
    output: SiteOutput
    root: Path  # the repository: the folder of mkdocs.yml
    docs: Path  # the hand-written pages and their assets
    entries: Path
    directory_urls: bool = True
    site_url: str | None = None
    placeholders: Placeholders = field(default_factory=Placeholders)
    _edit_paths: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)  # each is found once

    def page(self, path: str, markdown: str, meta: Mapping[str, Any] | None = None) -> SourcePage:
        """The page at docs ``path``: a generated page as rendered, or a hand-written one whose ``markdown``
        (its text without front matter, ``meta``) gets its placeholders filled."""
        meta = {**(meta or {})}
        if path in CONTRIBUTOR_PAGES:
            meta["search"] = {"exclude": True}
        generated = self.output.pages.get(path)
        if generated is not None:
            return SourcePage(path, generated.markdown, {**meta, **generated.meta, "title": generated.title}, self.edit_path(path), generated=True)
        meta[HEAD] = page_head(None, self.atlas.edition.isoformat(), self.site_url, self.directory_urls)  # the atlas's feeds
        filled = fill_placeholders(
            markdown, self.atlas, here=path, downloads=self.placeholders.downloads, offline=self.placeholders.offline,
            pdf=self.placeholders.pdf, offline_zip=self.placeholders.offline_zip, directory_urls=self.directory_urls,
            history=self.placeholders.history,
        )
        return SourcePage(path, filled, meta, self.edit_path(path))

    def edit_path(self, path: str) -> str | None:
        """The repository's file that the page at docs ``path`` comes from: an entry's YAML file, the hand-written page, CONTRIBUTING.md."""
        if path not in self._edit_paths:
            self._edit_paths[path] = self._find_edit_path(path)
        return self._edit_paths[path]

    def _find_edit_path(self, path: str) -> str | None:
        generated = self.output.pages.get(path)
        if generated is not None:
            entry = generated.entry
            return repo_path(self.entries / f"{entry.kind}s" / f"{entry.id}.yaml", self.root) if entry else None
        if path == GUIDE and not (self.docs / GUIDE).is_file():
            return GUIDE_FILE
        return repo_path(self.docs / path, self.root)

    def guide_text(self) -> str | None:
        """CONTRIBUTING.md, which is the page ``contributing.md`` unless the docs folder has one (None: neither)."""
        guide = self.root / GUIDE_FILE
        return guide.read_text(encoding="utf-8") if guide.is_file() and not (self.docs / GUIDE).is_file() else None

    @property
    def generated(self) -> dict[str, Page]:
        return self.output.pages

    @property
    def files(self) -> dict[str, bytes]:
        """The generated files that are not pages (feeds, citations, the editions' data), by site path."""
        return self.output.files

    def hand_written(self) -> list[str]:
        """The docs paths of the hand-written pages."""
        return [path for path in self._docs_files() if path.endswith(".md")]

    def assets(self) -> list[str]:
        """The docs paths of everything else in the docs folder: style sheets, scripts, images, vendored files."""
        return [path for path in self._docs_files() if not path.endswith(".md")]

    def _docs_files(self) -> list[str]:
        """Every file of the docs folder but hidden ones (``.*``, which MkDocs leaves out too), sorted."""
        found = (p.relative_to(self.docs) for p in self.docs.rglob("*") if p.is_file())
        return sorted(path.as_posix() for path in found if not any(part.startswith(".") for part in path.parts))

    def pages(self) -> Iterator[SourcePage]:
        """Every page of the site: the hand-written pages, the guide, then the generated pages."""
        for path in self.hand_written():
            markdown, meta = split_front_matter((self.docs / path).read_text(encoding="utf-8-sig"))
            yield self.page(path, markdown, meta)
        guide = self.guide_text()
        if guide is not None:
            yield self.page(GUIDE, *split_front_matter(guide))
        for path in self.output.pages:
            yield self.page(path, "")


def split_front_matter(text: str) -> tuple[str, dict[str, Any]]:
    """A page's text without its YAML front matter, and that front matter, as MkDocs reads them."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text, {}
    try:
        meta = yaml.load(match.group(1), Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return text, {}
    return (text[match.end():].lstrip("\n"), meta) if isinstance(meta, dict) else (text, {})


def repo_path(target: Path, root: Path) -> str | None:
    """The path of ``target`` in the repository at ``root`` (None when it lies outside)."""
    try:
        return target.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
