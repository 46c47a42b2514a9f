"""The MkDocs hook: validate the entries, then hand the generated pages to MkDocs.

It stays thin on purpose: everything it shows comes from the core, which knows
nothing of MkDocs. Entries come from ``ATLAS_ENTRIES`` or ``entries/`` beside
mkdocs.yml; when they are invalid the build stops before MkDocs writes anything.

With ``extra.atlas.downloads: true`` (and ``ATLAS_DOWNLOADS`` not ``0``), a full
``mkdocs build`` also writes the PDF, the open data and a zipped offline copy of
the site, made by a second build with Material's offline plugin (``ATLAS_OFFLINE=true``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.content import fill_placeholders  # noqa: E402
from generator.pipeline import AtlasInvalid, EntriesFolderMissing, build_atlas, build_pages  # noqa: E402
from generator.problems import format_problems  # noqa: E402
from generator.downloads import DATA_FOLDER, OFFLINE_ZIP, PDF_NAME, write_downloads, zip_folder  # noqa: E402
from generator.output import discard, staging_dir, swap_in  # noqa: E402
from generator.pdf import PdfError, atlas_version  # noqa: E402
from generator.raw_html import RawHtmlBlocks  # noqa: E402
from generator.html_pieces import SEARCH_END  # noqa: E402
from generator.render import Limits, edition_date, edition_epoch  # noqa: E402
from generator.edition import imply_source_date_epoch  # noqa: E402
from generator.session import SESSION  # noqa: E402

log = logging.getLogger("mkdocs.hooks.atlas")
_state: dict[str, object] = {}
_raw_html = RawHtmlBlocks()
_full_content: dict[str, str] = {}  # generated pages' HTML while search indexes their first part


def _entries_dir(config: MkDocsConfig) -> Path:
    root = Path(config.config_file_path or ".").resolve().parent
    return (root / os.environ.get("ATLAS_ENTRIES", "entries")).resolve()


def _limits() -> Limits:
    """Page limits; ATLAS_PAGE_LIMITS="index_rows=50,matrix_rows=40" overrides some (tests, previews)."""
    text = os.environ.get("ATLAS_PAGE_LIMITS", "").strip()
    if not text:
        return Limits()
    try:
        given = {key.strip(): int(value) for key, value in (part.split("=", 1) for part in text.split(","))}
        return replace(Limits(), **given)
    except (ValueError, TypeError) as exc:
        fields = ", ".join(f.name for f in dataclasses.fields(Limits))
        raise Abort(f"ATLAS_PAGE_LIMITS={text!r} is not a list of NAME=NUMBER with names from: {fields} ({exc})") from None


def on_startup(command: str, dirty: bool) -> None:
    SESSION.command = command


def _stage_site(config: MkDocsConfig) -> None:
    """``mkdocs build`` writes into a staging folder; the site folder is replaced only on success."""
    if SESSION.command != "build" or "staged" in _state:
        return
    target = Path(config.site_dir).resolve()
    _state["target"] = target
    _state["staged"] = staging_dir(target)
    config.site_dir = str(_state["staged"])


def on_post_build(config: MkDocsConfig) -> None:
    """Write the downloads into the finished site, when configured."""
    if _downloads(config) and not _offline():
        _write_downloads(config)
    _state["built"] = True


def _write_downloads(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    atlas = _state["atlas"]
    log.info("Writing the PDF and the open data (the PDF takes about a second for every ten entries)")
    try:
        written = write_downloads(atlas, site, content_dir=Path(config.docs_dir), version=atlas_version(_state["root"]))  # type: ignore[arg-type]
    except PdfError as exc:
        raise Abort(f"The PDF could not be made: {exc}") from None
    log.info("Building the offline copy of the site")
    with tempfile.TemporaryDirectory(prefix="atlas-offline-") as tmp:
        offline = Path(tmp) / "site"
        env = {**os.environ, "ATLAS_OFFLINE": "true", "ATLAS_DOWNLOADS": "0", "ATLAS_ENTRIES": str(_state["entries"])}
        env.setdefault("SOURCE_DATE_EPOCH", str(edition_epoch(atlas)))  # type: ignore[arg-type]
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config.config_file_path), "-d", str(offline)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise Abort(f"The offline copy could not be built:\n{done.stderr.strip()}")
        shutil.copy2(site / PDF_NAME, offline / PDF_NAME)
        (offline / DATA_FOLDER).mkdir(exist_ok=True)
        for path in written:  # the data files only: the online Data page (data/index.html) is not for offline use
            if path.parent.name == DATA_FOLDER:
                shutil.copy2(path, offline / DATA_FOLDER / path.name)
        zip_folder(offline, site / OFFLINE_ZIP, edition_date(atlas))  # type: ignore[arg-type]


def on_build_error(error: Exception) -> None:
    _state["built"] = False
    _full_content.clear()


def on_shutdown() -> None:
    staged = _state.pop("staged", None)
    if staged is None:
        return
    if _state.get("built"):
        swap_in(staged, _state["target"])  # type: ignore[arg-type]
    else:
        discard(staged)  # type: ignore[arg-type]


def _offline() -> bool:
    return os.environ.get("ATLAS_OFFLINE") == "true"


def _downloads(config: MkDocsConfig) -> bool:
    """Whether this build offers the downloads (the offline copy links to its parent's)."""
    wanted = bool((config.extra.get("atlas") or {}).get("downloads"))
    return wanted and os.environ.get("ATLAS_DOWNLOADS", "1") != "0" and SESSION.command == "build"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _offline():  # the offline copy loads the worker shim from its own assets, not from a CDN
        config.extra["polyfills"] = ["assets/vendor/iframe-worker-shim.js"]
    if _raw_html not in config.markdown_extensions:
        config.markdown_extensions.append(_raw_html)
    entries = _entries_dir(config)
    _state["entries"] = entries
    _state["root"] = Path(config.config_file_path or ".").resolve().parent
    if entries.is_dir():
        config.watch.append(str(entries))
    _stage_site(config)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Validate and link before MkDocs cleans or writes the site folder.

    Invalid entries stop a build. While serving, they keep the last valid
    preview up instead, so that a typo does not take the server down.
    """
    try:
        atlas = build_atlas(_state["entries"], Path(config.docs_dir))  # type: ignore[arg-type]
    except EntriesFolderMissing as exc:
        raise Abort(str(exc)) from None
    except AtlasInvalid as exc:
        sys.stderr.write(format_problems(exc.problems, "text") + "\n")
        if SESSION.command != "serve" or SESSION.last_valid is None:
            raise Abort(f"{exc}. Run `python -m generator check` for the same list.") from None
        log.error("The entries have errors; the preview shows the last valid entries until they are fixed")
        atlas = SESSION.last_valid
    SESSION.last_valid = atlas
    _full_content.clear()
    # MkDocs dates the sitemap by SOURCE_DATE_EPOCH; the edition date keeps builds reproducible.
    # Implied, not set: a later rebuild while serving still takes today as the latest date an entry may give.
    imply_source_date_epoch(edition_epoch(atlas))
    _state["atlas"] = atlas
    cache = SESSION.pages if SESSION.command == "serve" else None
    if cache is not None:
        cache.start_build()
    _state["pages"] = build_pages(atlas, directory_urls=config.use_directory_urls, limits=_limits(), cache=cache)
    if cache is not None and cache.reused:
        log.info(f"Rendered {cache.rendered} forum and initiative pages again; {cache.reused} were unchanged")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add each generated page as a virtual file; every edit link opens the file a page came from.

    ``edit_uri`` in mkdocs.yml is the repository's root: hand-written pages add
    their path under the docs folder, entry pages the path of their YAML file.
    """
    entries: Path = _state["entries"]  # type: ignore[assignment]
    root: Path = _state["root"]  # type: ignore[assignment]
    docs = Path(config.docs_dir).resolve()
    for file in files.documentation_pages():
        file.edit_uri = _repo_path(docs / file.src_uri, root)
    guide = root / "CONTRIBUTING.md"
    if guide.is_file() and files.get_file_from_path("contributing.md") is None:
        file = File.generated(config, "contributing.md", content=guide.read_text(encoding="utf-8"))
        file.edit_uri = "CONTRIBUTING.md"
        files.append(file)
    for path, page in _state["pages"].items():  # type: ignore[union-attr]
        file = File.generated(config, path, content=page.markdown)
        entry = page.entry
        file.edit_uri = _repo_path(entries / f"{entry.kind}s" / f"{entry.id}.yaml", root) if entry else None
        files.append(file)
    return files


def _repo_path(target: Path, root: Path) -> str | None:
    """The path of ``target`` in the repository (None when it lies outside)."""
    try:
        return target.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def on_page_markdown(markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    """Give generated pages their escaped titles; fill live counts into hand-written pages."""
    generated = _state["pages"].get(page.file.src_uri)  # type: ignore[union-attr]
    if generated is not None:
        page.meta.update(generated.meta, title=generated.title)
        _raw_html.expect_generated()
        return markdown
    return fill_placeholders(
        markdown,
        _state["atlas"],  # type: ignore[arg-type]
        here=page.file.src_uri,
        downloads=_downloads(config),
        offline=_offline(),
        directory_urls=config.use_directory_urls,
    )


_BARE_TH = re.compile(r"<th(?=[\s>])(?![^>]*\sscope=)")


def on_page_content(html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    """Search indexes a generated page up to its SEARCH_END mark; hand-written tables get header scopes.

    The search plugin reads ``page.content`` in ``on_page_context``; the whole
    page is put back by :func:`on_page_context` below, which runs after it.
    """
    if page.file.src_uri in _state.get("pages", {}):  # type: ignore[operator]
        searchable, mark, _ = html.partition(SEARCH_END)
        if not mark:
            return html
        _full_content[page.file.src_uri] = html
        return searchable
    return re.sub(r"<thead>.*?</thead>", lambda m: _BARE_TH.sub('<th scope="col"', m.group(0)), html, flags=re.S)


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context: dict, page: MkDocsPage, config: MkDocsConfig, nav: object) -> dict:
    """Give a generated page its whole content back before the theme renders it."""
    full = _full_content.pop(page.file.src_uri, None)
    if full is not None:
        page.content = full
    return context
