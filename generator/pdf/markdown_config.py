"""The site's Markdown configuration, read from mkdocs.yml, so that the PDF converts pages as the site does.

Only the ``markdown_extensions`` key is read, by a safe YAML load: nothing else of mkdocs.yml
(its plugins, the atlas's entries folder) needs to exist or to be valid. MkDocs' own option
turns the key into what MkDocs gives Python-Markdown: its built-in extensions (toc, tables,
fenced_code) first, then those of mkdocs.yml, and each extension's options.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SettingsInvalid

CONFIG_NAME = "mkdocs.yml"
KEY = "markdown_extensions"
SITE_ONLY = frozenset({"generator.render.search_scope"})  # what concerns the site's search, and not paper
GENERATOR_REPOSITORY = Path(__file__).resolve().parents[2]  # the checkout the generator runs from (pip install -e .)


def find_mkdocs_yml(content_dir: Path | None = None) -> Path:
    """The repository's mkdocs.yml: in the folder holding ``content_dir``, or else in the current folder,
    or else in the generator's own checkout.

    A layout worker knows no content folder: it finds the same file when the content folder's
    repository is the current folder or the generator's checkout (as with ``mkdocs build -f
    CHECKOUT/mkdocs.yml`` run from another folder).
    """
    folders = [content_dir.parent] if content_dir is not None else []
    for folder in [*folders, Path.cwd(), GENERATOR_REPOSITORY]:
        if (folder / CONFIG_NAME).is_file():
            return (folder / CONFIG_NAME).resolve()
    where = f"beside {content_dir}, " if content_dir is not None else ""
    raise SettingsInvalid(f"no {CONFIG_NAME} {where}in the current folder or in {GENERATOR_REPOSITORY}: the PDF converts pages with its Markdown extensions")


class _Tagged:
    """A value under a YAML tag a safe load does not know (``!ENV``, ``!!python/name:``…)."""

    def __init__(self, tag: str) -> None:
        self.tag = tag


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads unknown tags as :class:`_Tagged`, so that one elsewhere in the file does no harm."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag.replace("tag:yaml.org,2002:", "!!"))  # as it was written


_TolerantLoader.add_multi_constructor("", _tagged)


def _tags_in(value: object) -> list[str]:
    if isinstance(value, _Tagged):
        return [value.tag]
    if isinstance(value, dict):
        return [tag for item in value.values() for tag in _tags_in(item)]
    if isinstance(value, list):
        return [tag for item in value for tag in _tags_in(item)]
    return []


@lru_cache(maxsize=4)
def _read(config_file: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import MarkdownExtensions
    from mkdocs.config.defaults import MkDocsConfig

    try:
        document = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsInvalid(f"{config_file}: cannot be read: {exc}") from None
    raw = document.get(KEY, []) if isinstance(document, dict) else []
    tags = _tags_in(raw)
    if tags:
        raise SettingsInvalid(f"{config_file}: {KEY} uses the YAML tag {tags[0]}, which the PDF cannot read")
    site_option = MkDocsConfig.markdown_extensions
    option = MarkdownExtensions(builtins=list(site_option.builtins) if isinstance(site_option, MarkdownExtensions) else [])
    try:
        extensions = option.run_validation(raw)
    except ValidationError as exc:
        raise SettingsInvalid(f"{config_file}: {KEY}: {exc}") from None
    return extensions, option.configdata


def site_markdown(config_file: Path | None = None) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """(extensions, extension_configs) of the site whose configuration is ``config_file``
    (default: :func:`find_mkdocs_yml`), as MkDocs passes them to ``markdown.Markdown``, but for those
    that concern the site alone (:data:`SITE_ONLY`); a fresh copy each time."""
    extensions, configs = copy.deepcopy(_read((config_file or find_mkdocs_yml()).resolve()))
    return [e for e in extensions if e not in SITE_ONLY], {k: v for k, v in configs.items() if k not in SITE_ONLY}
