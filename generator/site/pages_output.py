"""``python -m generator pages``: the whole site's source as files, for engines without plugins (Zensical).

The folder holds ``mkdocs.yml`` (:mod:`generator.site.pages_config`), ``docs/`` with every
page of :class:`generator.render.site_source.SiteSource` (the same pages the MkDocs plugin
hands MkDocs), the assets and the generated files, and ``overrides/``. Each page is written
where its folder is its URL's folder (:mod:`generator.render.source_layout`), so that links
work however the engine resolves them. The folder is written beside its place and swapped in
whole; a folder that holds anything but an earlier pages output is refused.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import PagesRefused, UsageError
from generator.output import discard, staging_dir, swap_in
from generator.render.site_source import SiteSource, SourcePage
from generator.render.source_layout import moved_links, page_file
from generator.site.pages_config import DOCS, OVERRIDES, SiteConfig

MARKER = ".atlas-pages"  # names a folder as a pages output, which the next run may replace
ACTIONS = "partials/actions.html"
# Material's edit button, opening the page's own ``edit_url`` (its front matter): neither MkDocs nor Zensical reads that key.
ACTIONS_TEMPLATE = """\
{#- Written by `python -m generator pages`: the edit link opens the file the page came from (its front matter's edit_url). -#}
{%- set edit_url = page.meta.edit_url if page.meta and page.meta.edit_url else none -%}
{% if edit_url and "content.action.edit" in features %}
  <a href="{{ edit_url | e }}" title="{{ lang.t('action.edit') }}" class="md-content__button md-icon" rel="edit">
    {% set icon = config.theme.icon.edit or "material/file-edit-outline" %}
    {% include ".icons/" ~ icon ~ ".svg" %}
  </a>
{% endif %}
"""


@dataclass(frozen=True)
class Written:
    """What one pages output holds."""

    pages: int
    generated: int
    files: int  # assets and generated files


def refuse_unless_replaceable(out: Path) -> None:
    """Stop unless ``out`` is absent, empty, or an earlier pages output (which holds :data:`MARKER`)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PagesRefused(f"{out} is not empty and is not an earlier pages output (it has no {MARKER}); give a new or empty folder")


def write_pages(source: SiteSource, site: SiteConfig, out: Path, *, also: Callable[[Path], list[Path]] | None = None) -> Written:
    """Write the site's source into ``out``, replacing an earlier pages output whole; ``also`` may add files to the docs folder."""
    refuse_unless_replaceable(out)
    pages = list(source.pages())
    files = {page.path: page_file(page.path, source.directory_urls) for page in pages}
    taken = Counter(files.values())
    clash = sorted(path for path, file in files.items() if taken[file] > 1)
    if clash:
        raise UsageError(f"pages at the same address would be written to one file: {', '.join(clash)}")
    moved = {old: new for old, new in files.items() if old != new}
    staged = staging_dir(out.resolve())
    try:
        docs = staged / DOCS
        for page in pages:
            _write(docs / files[page.path], page_text(page, files[page.path], moved, site).encode("utf-8"))
        for path in source.assets():
            _copy(source.docs / path, docs / path)
        for path, data in source.files.items():
            _write(docs / path, data)
        _write_overrides(site.overrides, staged / OVERRIDES)
        added = also(docs) if also is not None else []
        config = yaml.dump(site.for_pages(files), Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False, width=10_000)
        header = f"# Written by `python -m generator pages` from {site.path.name}; build the site here with `zensical build` or `mkdocs build`.\n"
        _write(staged / "mkdocs.yml", (header + config).encode("utf-8"))
        _write(staged / MARKER, b"A pages output of the Space Governance Atlas: the next `python -m generator pages --out` here replaces it whole.\n")
    except BaseException:
        discard(staged)
        raise
    swap_in(staged, out)
    return Written(len(pages), sum(page.generated for page in pages), len(source.assets()) + len(source.files) + len(added))


def page_text(page: SourcePage, file: str, moved: dict[str, str], site: SiteConfig) -> str:
    """A page as a file at docs path ``file``: its front matter (with its edit link), then its Markdown."""
    meta = dict(page.meta)
    edit_url = site.edit_url(page.edit_path)
    if edit_url:
        meta["edit_url"] = edit_url
    markdown = moved_links(page.markdown, page.path, file, moved)
    if not meta:
        return markdown
    front = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{markdown}"


class _ConfigDumper(yaml.SafeDumper):
    """Writes text of several lines (``not_in_nav``) as a block, as mkdocs.yml has it."""


_ConfigDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)
)


def _write_overrides(project: Path | None, target: Path) -> None:
    """The project's theme overrides, and the edit button that reads a page's front matter unless they have their own."""
    if project is not None and project.is_dir():
        shutil.copytree(project, target)
    if not (target / ACTIONS).exists():
        _write(target / ACTIONS, ACTIONS_TEMPLATE.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
