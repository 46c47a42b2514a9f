"""The site's configuration, read from mkdocs.yml, and the one the pages output gets.

The pages output's mkdocs.yml is the project's without what only the atlas plugin needs:
no ``atlas`` plugin, no disabled ``offline`` entry (the plugin's offline copy turns it on),
no ``edit_uri`` (each page's front matter gives its ``edit_url``, and the theme override
written beside it shows that). Its docs folder is ``docs/``, its theme's ``custom_dir`` a
copy of the project's, and its navigation names each page's file in the pages output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from generator import settings
from generator.errors import SettingsInvalid, UsageError
from generator.site.offline import PLUGIN
from generator.site.options import AtlasOptions

DOCS = "docs"
OVERRIDES = "overrides"
OFFLINE = "offline"  # Material's offline plugin, as mkdocs.yml names it
DROPPED = ("edit_uri", "edit_uri_template", "site_dir", "docs_dir", "hooks", "watch")


@dataclass(frozen=True)
class SiteConfig:
    """mkdocs.yml as read, with the folders it names and the atlas plugin's options."""

    path: Path
    raw: dict[str, Any]
    options: AtlasOptions

    @classmethod
    def read(cls, path: Path) -> SiteConfig:
        """Read ``path``; a missing or unreadable file, or wrong atlas options, is a usage error."""
        if not path.is_file():
            raise UsageError(f"configuration not found: {path} (give the site's mkdocs.yml with --config-file)")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise UsageError(f"{path} cannot be copied for the pages output: {str(exc).splitlines()[0]}") from None
        if not isinstance(raw, dict):
            raise UsageError(f"{path} is not a MkDocs configuration (a mapping of settings)")
        options = AtlasOptions()
        options.load_dict(_plugin_options(raw.get("plugins"), PLUGIN) or {})
        errors, _ = options.validate()
        if errors:
            key, problem = errors[0]
            raise SettingsInvalid(f"{path}: atlas plugin option '{key}': {problem}")
        return cls(path.resolve(), raw, options)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def docs(self) -> Path:
        return (self.root / self.raw.get("docs_dir", "docs")).resolve()

    @property
    def directory_urls(self) -> bool:
        return bool(self.raw.get("use_directory_urls", True))

    @property
    def site_url(self) -> str | None:
        return self.raw.get("site_url") or None

    @property
    def overrides(self) -> Path | None:
        theme = self.raw.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return (self.root / custom).resolve() if custom else None

    def entries(self, given: Path | None) -> Path:
        """The entries folder: ``given`` (--entries), else ATLAS_ENTRIES or the plugin's option, beside mkdocs.yml (as the plugin reads them)."""
        return given.resolve() if given else (self.root / (settings.current().entries or self.options.entries)).resolve()

    @property
    def editions(self) -> Path | None:
        """The editions folder the plugin's option names (None: the default, beside the entries)."""
        return (self.root / self.options.editions).resolve() if self.options.editions else None

    def edit_url(self, edit_path: str | None) -> str | None:
        """What the site's edit link for the repository's file ``edit_path`` opens (``edit_uri`` + the path)."""
        base = self.raw.get("edit_uri")
        if not edit_path or not base:
            return None
        return urljoin(self.raw.get("repo_url") or "", base.rstrip("/") + "/" + edit_path)

    def for_pages(self, files: Mapping[str, str]) -> dict[str, Any]:
        """The configuration of the pages output, whose pages sit at ``files`` (docs path → file in the output)."""
        config = {key: value for key, value in self.raw.items() if key not in DROPPED}
        config["docs_dir"] = DOCS
        theme = config.get("theme") or {}
        config["theme"] = {**({"name": theme} if isinstance(theme, str) else theme), "custom_dir": OVERRIDES}  # a copy of the project's
        config["plugins"] = _kept_plugins(self.raw.get("plugins"))
        if "nav" in config:
            config["nav"] = _moved_nav(config["nav"], files)
        if isinstance(config.get("not_in_nav"), str) and any(old != new for old, new in files.items()):
            config["not_in_nav"] = "\n".join(_folder_pattern(line) for line in config["not_in_nav"].splitlines()) + "\n"
        return config


def _plugins(plugins: object) -> list[tuple[str, Any]]:
    """mkdocs.yml's ``plugins`` (a list of names and one-key mappings, or a mapping) as (name, options) pairs."""
    if isinstance(plugins, dict):
        return list(plugins.items())
    if not isinstance(plugins, list):
        return []
    return [next(iter(item.items())) if isinstance(item, dict) and item else (str(item), None) for item in plugins]


def _plugin_options(plugins: object, name: str) -> dict[str, Any] | None:
    """The options of plugin ``name`` in mkdocs.yml's ``plugins`` (None: it is not there)."""
    for key, options in _plugins(plugins):
        if key == name:
            return options if isinstance(options, dict) else {}
    return None


def _kept_plugins(plugins: object) -> list[Any]:
    """The plugins but the atlas, and the offline plugin when it is there only for the atlas's offline copy (disabled)."""
    return [
        {name: options} if options is not None else name
        for name, options in _plugins(plugins)
        if name != PLUGIN and not (name in (OFFLINE, "material/offline") and isinstance(options, dict) and options.get("enabled") is False)
    ]


def _moved_nav(nav: Any, files: Mapping[str, str]) -> Any:
    """The navigation with each page's path replaced by its file in the pages output."""
    if isinstance(nav, str):
        return files.get(nav, nav)
    if isinstance(nav, list):
        return [_moved_nav(item, files) for item in nav]
    if isinstance(nav, dict):
        return {title: _moved_nav(value, files) for title, value in nav.items()}
    return nav


def _folder_pattern(line: str) -> str:
    """A ``not_in_nav`` pattern for pages written as folders: ``/forums/*.md`` → ``/forums/*/index.md``."""
    pattern = line.strip()
    if not pattern.endswith(".md") or pattern.endswith("/index.md") or pattern == "index.md":
        return line
    return line.replace(pattern, pattern.removesuffix(".md") + "/index.md")
