"""The MkDocs plugin ``atlas``: validate the entries, then hand the generated pages to MkDocs.

It stays thin on purpose: each event hands its work to :class:`generator.site.build.SiteBuild`,
and everything a page shows comes from the core, which knows nothing of MkDocs. Its
options are declared in :mod:`generator.site.options`; a failure of the generator
(:class:`generator.errors.AtlasError`) stops the build with its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.link.atlas import Atlas
from generator.site.build import SiteBuild, reported
from generator.site.options import AtlasOptions
from generator.site.session import SESSION


class AtlasPlugin(BasePlugin[AtlasOptions]):
    """Builds the atlas into the site (and, from within a build, its offline copy)."""

    def __init__(self) -> None:
        self.offline_copy_of: Atlas | None = None
        self._build: SiteBuild | None = None

    @contextmanager
    def building_offline_copy(self, atlas: Atlas) -> Iterator[None]:
        """The next build is the offline copy of this one's ``atlas``; this build's state is kept meanwhile."""
        outer, self.offline_copy_of = self._build, atlas
        try:
            yield
        finally:
            self._build, self.offline_copy_of = outer, None

    @property
    def build(self) -> SiteBuild:
        assert self._build is not None, "on_config runs first"
        return self._build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        SESSION.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        with reported():
            self._build = SiteBuild.configure(config, self.config, self.offline_copy_of)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        with reported():
            self.build.prepare(config, self.config)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.build.keep_unchanged(self.build.add_files(files, config), config)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        return self.build.theme_env(env)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.build.page_markdown(markdown, page, config)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.build.page_content(html, page)

    @event_priority(-100)  # after the search plugin has indexed the page (a preview notes its entries)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        self.build.page_context(page, nav)
        return context

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self.build.template_context(context, template_name)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        with reported():
            self.build.finish(config)

    def on_build_error(self, *, error: Exception) -> None:
        if self._build is not None:
            self._build.failed()

    def on_shutdown(self) -> None:
        if self._build is not None:
            self._build.shut_down()

