"""The home page's live pieces: the counts, each linked to what it counts; the gaps no claim
addresses, said as a finding; the ways in by gap, pathway and name; and coverage at a glance.

Each piece is one block of HTML on one line (a hand-written page gets its line breaks from its own text),
with every name escaped and every link relative to the page at ``here``, so that the
pieces work with and without directory URLs, and in the offline copy opened from disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.kinds.declaration import KINDS, LEVELS
from generator.kinds.model import Entry
from generator.link.atlas import Atlas
from generator.render.html_pieces import BASIS_WORDS, LEVEL_BADGES, NAMED_ONLY, entry_link, pathway_cell
from generator.render.page import COVERAGE_INDEX, PATHWAY_MATRIX, SOURCES
from generator.render.templating import environment
from generator.render.urls import relative_url

NONE = '<span class="atlas-level atlas-level--none">— none</span>'
GLANCE_GAPS = 8  # gap columns of the glance table; the pathway × gap matrix has them all
_KIND_INDEXES = {kind.name: f"{kind.folder}/index.md" for kind in KINDS.values()}
# What each counted number opens: a kind's index; claims, named or by category, the coverage summary;
# cases, the gaps (each gap's page lists its cases); sources, the list of sources.
COUNT_PAGES = {**_KIND_INDEXES, "claim": COVERAGE_INDEX, "named": COVERAGE_INDEX, "category": COVERAGE_INDEX,
               "case": _KIND_INDEXES["gap"], "source": SOURCES}


@dataclass(frozen=True)
class HomePieces:
    """The pieces, for the page at docs path ``here``."""

    atlas: Atlas
    here: str
    directory_urls: bool

    def href(self, target: str) -> str:
        return str(escape(relative_url(self.here, target, self.directory_urls)))

    def link(self, entry: Entry) -> Markup:
        return entry_link(entry, self.here, self.directory_urls, entry.name)

    def names(self, entries: list[Entry]) -> Markup:
        """``A``, ``A and B``, ``A, B and C``: each linked to its page."""
        links = [self.link(e) for e in entries]
        if len(links) < 2:
            return Markup("").join(links)
        return Markup(", ").join(links[:-1]) + Markup(" and ") + links[-1]

    def run(self, entries: list[Entry]) -> Markup:
        """``A · B · C``: each linked to its page."""
        return Markup(" · ").join(self.link(e) for e in entries)

    def counts(self, labels: dict[str, str]) -> Markup:
        """A table of the numbers named in ``labels`` (key → row label), each number a link to what it counts."""
        numbers = self.atlas.counts()
        rows = "".join(
            f'<tr><th scope="row">{escape(label)}</th><td><a href="{self.href(COUNT_PAGES[key])}">{numbers[key]}</a></td></tr>'
            for key, label in labels.items() if key in COUNT_PAGES
        )
        return Markup(f'<div class="atlas-counts"><table><thead><tr><th scope="col">In the atlas</th><th scope="col">Number</th></tr></thead>'
                      f"<tbody>{rows}</tbody></table></div>")

    def finding(self) -> Markup:
        """The gaps that no forum or initiative claims to address, by name; or that every gap has a claim."""
        uncovered = self.atlas.uncovered_gaps
        if not self.atlas.gaps:
            return Markup("")
        if not uncovered:
            return Markup(f'<p class="atlas-finding">Every gap has at least one coverage claim: the <a href="{self.href(COVERAGE_INDEX)}">'
                          "coverage summary</a> shows how strongly each is addressed.</p>")
        one = len(uncovered) == 1
        count = f"{len(uncovered)} gap has" if one else f"{len(uncovered)} gaps have"
        return Markup(f'<p class="atlas-finding atlas-uncovered-finding"><strong>{count} no coverage claim:</strong> {self.names(uncovered)}. '
                      f"No forum or initiative in the atlas claims to address {'it' if one else 'them'}.</p>")

    def ways_in(self) -> Markup:
        """Who handles what: each topic's, gap's and pathway's page by name, and the indexes of forums and initiatives."""
        atlas = self.atlas
        items = []
        if atlas.topics:
            items.append(f"<li><strong>By topic</strong>, the issue you come with: {self.run(atlas.topics)}. "
                         "Each topic’s page lists the forums and initiatives whose sources say they deal with it, with the gaps they address.</li>")
        if atlas.gaps:
            items.append(f"<li><strong>By gap</strong>, where governance falls short: {self.run(atlas.gaps)}. "
                         "Each gap’s page lists who addresses it, strongest first.</li>")
        if atlas.pathways:
            items.append(f"<li><strong>By pathway</strong>, the route governance takes: {self.run(atlas.pathways)}. "
                         "Each pathway’s page lists its forums and initiatives and the gaps they fill.</li>")
        items.append(f'<li><strong>By name</strong>: every <a href="{self.href(_KIND_INDEXES["forum"])}">forum</a> and '
                     f'<a href="{self.href(_KIND_INDEXES["initiative"])}">initiative</a>, with the gaps each addresses; '
                     "or search for a name, an acronym or a word.</li>")
        return Markup(f'<ul class="atlas-ways-in" data-search-exclude>{"".join(items)}</ul>')

    def glance(self) -> Markup:
        """Pathway × gap, as on the pathway matrix: the strongest level, named claims and claims by category counted apart.

        Left out of the search index, as the ways in are: they name every gap and pathway, whose own pages should answer a search.
        """
        atlas = self.atlas
        if not atlas.gaps:
            return Markup("")
        gaps = atlas.gaps[:GLANCE_GAPS]
        rows: list[tuple[Markup, str | None]] = [(self.link(p), p.id) for p in atlas.pathways]
        if any(not e.pathway for e in atlas.actors):
            rows.append((Markup("No pathway"), None))
        head = "".join(f'<th scope="col">{self.link(gap)}</th>' for gap in gaps)
        body = "".join(
            f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{pathway_cell(atlas.pathway_claims(key, gap.id))}</td>" for gap in gaps) + "</tr>"
            for name, key in rows
        )
        hint = environment().get_template("_tables.md.j2").module.scroll_hint("gaps")  # type: ignore[attr-defined]
        table = (f'<div class="atlas-table-wrap atlas-matrix-wrap">{hint}<table class="atlas-matrix">'
                 f'<thead><tr><th scope="col">Pathway</th>{head}</tr></thead><tbody>{body}</tbody></table></div>')
        more = f" The table shows the first {len(gaps)} of the {len(atlas.gaps)} gaps." if len(atlas.gaps) > len(gaps) else ""
        levels = ", ".join(str(LEVEL_BADGES[name]) for name in LEVELS)
        key = (f'<p class="atlas-key">Each cell gives the strongest level at which the pathway’s forums and initiatives address the gap '
               f'({levels}, {NONE}) and how many claims stand behind it, {BASIS_WORDS["named"]} (the source names the entry) and '
               f'{BASIS_WORDS["category"]} (it names a group the entry belongs to) counted apart.{more} '
               f'The <a href="{self.href(PATHWAY_MATRIX)}">pathway × gap matrix</a> has every gap and the full key.</p>')
        return Markup(f'<div class="atlas-glance" data-search-exclude>{table}{key}{NAMED_ONLY}</div>')
