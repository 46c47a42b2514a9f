"""Pages a preview keeps from one rebuild to the next, so that ``mkdocs serve`` redoes only what changed.

MkDocs renders every page of every rebuild, and ``--dirty`` only compares file times:
a generated page always counts as changed. Here a generated page whose inputs are the
same as at the last rebuild is not rendered again; its output is copied into the new
site as it was. Its inputs are what the theme turns into its HTML: its Markdown, title,
metadata and edit link (the key), and what every page shares (the signature): mkdocs.yml,
the hand-written pages, assets and theme files, the titles the navigation takes from
pages, and the edition date. The core's page cache
(:class:`generator.render.page_cache.PageCache`) already hands back the very same
Markdown for an entry page whose shown entries did not change, so comparing keys is cheap.

A change to the signature (mkdocs.yml, a hand-written page, a template) renders every
page again. Pages in the navigation are always rendered, since the navigation is built
from them. A kept page stays in the sitemap and in the search index: its page object
carries its address and date, and its search entries are put back where MkDocs would
have put them. Kept outputs are hard links into a folder of the session (a copy where
the file system has no hard links), so they cost no memory and almost no time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

ASIDE = ".atlas-last-rebuild"  # hidden: MkDocs does not empty it with the site folder
SKIPPED_THEME_FOLDERS = frozenset({".icons", "__pycache__"})  # Material's icons, included by name, never edited


class KeptFile(File):
    """A generated file from the last rebuild, the same again: linked into the site rather than written."""

    @classmethod
    def of(cls, file: File, output: Path) -> KeptFile:
        """``file``, now backed by its kept ``output``: the same object, so that MkDocs' lists and lookups keep it.

        Its site path and address are worked out first, while it still counts as what it was (a page, for a kept page).
        """
        _ = file.dest_uri, file.url
        file.__class__ = cls
        file._content = None
        file.abs_src_path = str(output)
        return file  # type: ignore[return-value]  # its class is cls now

    def copy_file(self, dirty: bool = False) -> None:
        """Link the kept output into the site (copy it where links are not possible)."""
        source, target = self.abs_src_path, self.abs_dest_path
        assert source is not None
        if os.path.isfile(target) and os.path.samefile(target, source):
            return  # put back from the last rebuild (:meth:`KeptPages.restore`)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


class KeptPage(KeptFile):
    """A page's output from the last rebuild, copied into the site as it is: MkDocs does not render it."""

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True


@dataclass
class _Kept:
    key: Hashable
    output: Path
    search: list[Any]
    anchors: set[str]


@dataclass
class KeptPages:
    """The outputs kept across the rebuilds of one preview, with the signature they were made under."""

    signature: Hashable = None
    kept: dict[str, _Kept] = field(default_factory=dict)
    folder: Path | None = None
    written: set[str] = field(default_factory=set)  # the files of the last rebuild, by site path
    _made: int = 0  # kept outputs made, which name their files

    def start(self, signature: Hashable) -> None:
        """Begin a rebuild: forget every output when what all pages share has changed."""
        if signature != self.signature:
            self.forget(list(self.kept))
            self.signature = signature

    def set_aside(self, site_dir: Path) -> None:
        """Before MkDocs empties the site folder: move the last rebuild's files into a hidden folder, which it leaves alone."""
        aside = site_dir / ASIDE
        if aside.exists():
            shutil.rmtree(aside)
        if not self.kept or not site_dir.is_dir():
            return
        aside.mkdir()
        for entry in os.scandir(site_dir):
            if not entry.name.startswith("."):
                os.rename(entry.path, aside / entry.name)

    def restore(self, site_dir: Path, files: Files) -> None:
        """After: put the last rebuild's files back, but for those this rebuild writes afresh or no longer makes.

        Kept files then stay where they are, and MkDocs writes only the others, into new
        files: a kept output is never written over.
        """
        aside = site_dir / ASIDE
        if not aside.is_dir():
            return
        if self.kept:
            for entry in os.scandir(aside):
                if not (site_dir / entry.name).exists():
                    os.rename(entry.path, site_dir / entry.name)
            current = {f.dest_uri for f in files}
            for gone in sorted(self.written - current):
                _remove(site_dir, gone)
            for file in files:
                if not isinstance(file, KeptFile):
                    (site_dir / file.dest_uri).unlink(missing_ok=True)
        shutil.rmtree(aside, ignore_errors=True)

    def abandon(self, site_dir: Path) -> None:
        """Keep nothing: a rebuild that keeps no page builds the whole site afresh."""
        self.forget(list(self.kept))
        shutil.rmtree(site_dir / ASIDE, ignore_errors=True)

    def output_of(self, path: str, key: Hashable, *, keepable: bool = True) -> Path | None:
        """The kept output of the page at docs ``path``, when it was made from an equal ``key`` (never when not ``keepable``)."""
        kept = self.kept.get(path) if keepable else None
        if kept is not None and kept.key == key and os.path.isfile(kept.output):
            return kept.output
        return None

    def keep(self, path: str, key: Hashable, built: Path, search: list[Any], anchors: set[str]) -> None:
        """Keep the output a rebuild just wrote for ``path``."""
        stored = self.kept.get(path)
        if stored is not None:
            output = stored.output
            output.unlink(missing_ok=True)
        else:
            self._made += 1
            output = self._folder() / f"{self._made}.html"
        try:
            os.link(built, output)
        except OSError:
            shutil.copyfile(built, output)
        self.kept[path] = _Kept(key, output, search, anchors)

    def forget(self, paths: Iterable[str]) -> None:
        """Forget these pages and files, and remove their kept outputs."""
        for path in paths:
            kept = self.kept.pop(path, None)
            if kept is not None:
                kept.output.unlink(missing_ok=True)

    def _folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="atlas-preview-"))
            weakref.finalize(self, shutil.rmtree, self.folder, True)
        return self.folder


@dataclass
class Rebuild:
    """One rebuild of a preview: the pages it keeps, and what those it renders leave to keep.

    ``search`` is the search plugin's list of index entries (None without a search plugin):
    entries a page adds while MkDocs builds it are noted, and the kept pages' entries put
    back in the order of a full build.
    """

    kept: KeptPages
    search: list[Any] | None
    leading: list[str] = field(default_factory=list)  # the kept pages before the first page MkDocs builds
    following: dict[str, list[str]] = field(default_factory=dict)  # the kept pages after each page MkDocs builds, up to the next
    to_keep: dict[str, tuple[Hashable, str]] = field(default_factory=dict)  # docs path -> (key, output path in the site)
    noted: dict[str, tuple[list[Any], set[str]]] = field(default_factory=dict)  # docs path -> (search entries, anchors)
    site_pages: list[File] = field(default_factory=list)
    pages_built: int = 0
    pages_kept: int = 0
    _indexed: int = 0

    def select(
        self, files: Files, config: MkDocsConfig, generated: Mapping[str, tuple[Hashable, str]], data: Mapping[str, bytes], date: str
    ) -> Files:
        """The site's files, with each unchanged generated page (docs path -> (key, title)) as its kept output,
        and each generated file (site path -> content) that is the same again as its kept copy."""
        nav = nav_paths(config.nav)
        self.kept.forget(set(self.kept.kept) - set(generated) - set(data))
        chosen: list[File] = []
        for file in files:
            inputs = generated.get(file.src_uri) if file.is_documentation_page() else None
            if inputs is None:
                chosen.append(self._same_file(file, config, data))
                continue
            key, title = inputs
            output = self.kept.output_of(file.src_uri, key, keepable=file.src_uri not in nav)
            if output is None:
                self.to_keep[file.src_uri] = (key, file.dest_uri)
                self.pages_built += 1
                chosen.append(file)
            else:
                self.pages_kept += 1
                kept = self.kept.kept[file.src_uri]
                chosen.append(kept_page(config, file, output, title, kept.anchors, date))
        self._indexed = len(self.search) if self.search is not None else 0
        result = Files(chosen)
        self.kept.restore(Path(config.site_dir), result)
        self.kept.written = {f.dest_uri for f in result}
        self.site_pages = [f for f in result if f.is_documentation_page() or isinstance(f, KeptPage)]
        built: str | None = None
        for page in self.site_pages:
            if isinstance(page, KeptPage):
                (self.following.setdefault(built, []) if built is not None else self.leading).append(page.src_uri)
            else:
                built = page.src_uri
        return result

    def _same_file(self, file: File, config: MkDocsConfig, data: Mapping[str, bytes]) -> File:
        content = data.get(file.src_uri) if not file.is_documentation_page() else None
        if content is None:
            return file
        output = self.kept.output_of(file.src_uri, content)
        if output is None:
            self.to_keep[file.src_uri] = (content, file.dest_uri)
            return file
        return KeptFile.of(file, output)

    def page_built(self, page: MkDocsPage) -> None:
        """Note the search entries and anchors of a page MkDocs has just indexed (on_page_context, after search),
        and put the entries of the kept pages around it where a full build would have them."""
        entries: list[Any] = []
        if self.search is not None:
            entries = self.search[self._indexed:]
            if self.leading:
                self.search[self._indexed:self._indexed] = [e for path in self.leading for e in self.kept.kept[path].search]
                self.leading = []
            self.search.extend(e for path in self.following.pop(page.file.src_uri, []) for e in self.kept.kept[path].search)
            self._indexed = len(self.search)
        self.noted[page.file.src_uri] = (entries, set(page.present_anchor_ids or ()))

    def finish(self, site_dir: str) -> None:
        """Keep the outputs just written."""
        for path, (key, dest) in self.to_keep.items():
            built = Path(site_dir) / dest
            entries, anchors = self.noted.get(path, ([], set()))
            if built.is_file():
                self.kept.keep(path, key, built, entries, anchors)


class KeptTemplates(BytecodeCache):
    """The theme's compiled templates, kept across rebuilds: MkDocs makes a new template environment for each.

    Jinja checks each template's source against the one its code was compiled from, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def kept_page(config: MkDocsConfig, file: File, output: Path, title: str, anchors: set[str], date: str) -> KeptFile:
    """A kept page as a file of the site, with a page object for the sitemap and for links to its anchors."""
    kept = KeptPage.of(file, output)
    page = MkDocsPage(title, kept, config)
    page.update_date = date
    page.present_anchor_ids = anchors
    return kept


def site_signature(config: MkDocsConfig, files: Files, nav_titles: Hashable, date: str) -> Hashable:
    """What every page's HTML depends on besides its own inputs: mkdocs.yml, the source and theme files, the navigation's titles, the date."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    sources = tuple(_stat(f.src_uri, f.abs_src_path) for f in files if f.abs_src_path)
    templates = tuple(_stat(str(p), str(p)) for folder in config.theme.dirs for p in _theme_files(Path(folder)))
    return (config_file.read_bytes() if config_file else b"", sources, templates, nav_titles, date)


def nav_paths(nav: object, *, titled: bool = True) -> set[str]:
    """The docs paths that mkdocs.yml's ``nav`` lists; with ``titled=False``, only those listed without a title
    (whose titles come from the pages)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return {path for item in nav for path in nav_paths(item, titled=titled)}
    if isinstance(nav, dict):
        return {path for value in nav.values() if titled or isinstance(value, list) for path in nav_paths(value, titled=titled)}
    return set()


def _remove(site_dir: Path, path: str) -> None:
    """Remove a file of the site, and the folders it leaves empty."""
    target = site_dir / path
    target.unlink(missing_ok=True)
    for folder in target.parents:
        if folder == site_dir or not folder.is_relative_to(site_dir):
            break
        try:
            folder.rmdir()
        except OSError:
            break


def _theme_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for entry in os.scandir(folder):
        if entry.is_dir():
            if entry.name not in SKIPPED_THEME_FOLDERS:
                found += _theme_files(Path(entry.path))
        elif entry.name.endswith((".html", ".xml", ".j2", ".yml")):
            found.append(Path(entry.path))
    return sorted(found)


def _stat(name: str, path: str) -> tuple[str, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (name, -1, -1)
    return (name, stat.st_mtime_ns, stat.st_size)
