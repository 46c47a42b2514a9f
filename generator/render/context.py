"""What every page of one rendering shares: the atlas, the settings and the templates."""

from __future__ import annotations

import re
from dataclasses import fields
from functools import cached_property
from typing import Any

from markupsafe import Markup

from generator.editions.history import History
from generator.kinds.model import Entry
from generator.link.atlas import Atlas, sort_key
from generator.link.relations import Relations, relations_of
from generator.render.contexts import MatrixGroup, PageContext
from generator.render.page import FULL_MATRIX, Limits
from generator.render.page_cache import Kept
from generator.render.paging import paginate
from generator.render.templating import environment


class RenderContext:
    """One rendering of an atlas: its settings, its template environment, and where long lists go.

    ``history`` holds the recorded editions (the What's new pages and the feeds read it);
    ``site_url`` is the site's address, which feeds and citations need (None: they go without);
    ``rows`` keeps a preview's rows of index tables across its rebuilds.
    """

    def __init__(
        self, atlas: Atlas, *, directory_urls: bool = True, columns_per_table: int | None = None, limits: Limits = Limits(),
        history: History | None = None, site_url: str | None = None, rows: Kept[Markup] | None = None,
    ) -> None:
        self.atlas = atlas
        self.rows = rows  # a preview's rows of index tables, kept across its rebuilds
        self.history = history or History()
        self.site_url = site_url
        self.directory_urls = directory_urls
        self.columns_per_table = columns_per_table
        self.limits = limits
        self.edition = atlas.edition
        self.env = environment()

    def render(self, template: str, here: str, **context: Any) -> str:
        text = self.env.get_template(template).render(
            here=here, atlas=self.atlas, directory_urls=self.directory_urls, limits=self.limits, **context
        )
        return re.sub(r"\n{3,}", "\n\n", text)

    def render_page(self, here: str, page: PageContext) -> str:
        """The template of ``page`` rendered at ``here``, each field of ``page`` a variable of the same name."""
        return self.render(page.template, here, **{f.name: getattr(page, f.name) for f in fields(page)})

    def gap_coverage_path(self, gap: Entry) -> str | None:
        """Where every claim on a gap is listed, when its own page shows only some of them."""
        shown = self.limits.claims_per_level
        grouped = self.atlas.coverage_by_level(gap.id)
        if shown is None or all(len(items) <= shown for items in grouped.values()):
            return None
        return f"coverage/gaps/{gap.id}.md"

    def members_path(self, pathway: Entry) -> str | None:
        """Where every member of a pathway is listed, when its own page shows only some of them."""
        shown = self.limits.members_shown
        if shown is None or len(self.atlas.members.get(pathway.id, [])) <= shown:
            return None
        return self.matrix_paths[pathway.id][0] if self.matrix_split() else FULL_MATRIX

    def matrix_groups(self) -> list[MatrixGroup]:
        """Forums and initiatives grouped by pathway (those without one last), with their slug."""
        atlas = self.atlas
        groups = [MatrixGroup(p, p.id, atlas.members.get(p.id, [])) for p in atlas.pathways]
        unassigned = sorted((e for e in atlas.actors if not e.pathway), key=sort_key)
        if unassigned:
            groups.append(MatrixGroup(None, "_none", unassigned))  # "_" is never in an id
        return groups

    def matrix_split(self) -> bool:
        """Whether the full matrix is too long for one page and goes one page per pathway (and part)."""
        rows = self.limits.matrix_rows
        return rows is not None and len(self.atlas.actors) > rows

    @cached_property
    def relations(self) -> Relations:
        """Who relates to whom in the atlas, worked out once for every page that draws or lists it."""
        return relations_of(self.atlas)

    @cached_property
    def matrix_paths(self) -> dict[str | None, tuple[str, ...]]:
        """The docs paths of each pathway's pages of the full matrix (key None: no pathway)."""
        paths: dict[str | None, tuple[str, ...]] = {}
        for group in self.matrix_groups():
            pages = paginate(group.entries, self.limits.matrix_rows, group.page_path(1), group.page_path)
            paths[group.key] = pages[0][2].paths
        return paths

