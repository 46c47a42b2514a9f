"""The home page's live pieces (generator/render/home.py), filled into Markdown as the site and its offline copy fill them."""

from __future__ import annotations

import re

import markdown
import pytest
from conftest import HOSTILE, SMALL, write_entries
from html_helpers import dangerous_markup, parse

from generator.pipeline import build_atlas
from generator.render.content import fill_placeholders

COUNTED = {  # row label → the page its number opens, from the home page
    "Forums": "forums/index.md", "Initiatives": "initiatives/index.md", "Gaps": "gaps/index.md", "Pathways": "pathways/index.md", "Topics": "topics/index.md",
    "Coverage claims": "coverage/index.md", "Named claims": "coverage/index.md", "Claims by category": "coverage/index.md",
    "Cases of a gap (not coverage)": "gaps/index.md", "Sources cited": "sources.md",
}


def html_of(text: str, atlas, **options) -> str:
    return markdown.markdown(fill_placeholders(text, atlas, **options), extensions=["tables"])


@pytest.fixture(scope="module")
def small():
    return build_atlas(SMALL)


def _hrefs(html: str) -> list[tuple[str, str]]:
    """(row label, href of the number) of each row of the counts table."""
    return re.findall(r'<tr><th scope="row">([^<]*)</th><td><a href="([^"]*)">\d+</a></td></tr>', html)


@pytest.mark.parametrize(("here", "directory_urls", "prefix", "suffix", "index"), [
    ("index.md", True, "", "/", ""),
    ("index.md", False, "", ".html", "index.html"),
    ("about.md", True, "../", "/", ""),
    ("about.md", False, "", ".html", "index.html"),
])
def test_every_count_links_to_what_it_counts(small, here, directory_urls, prefix, suffix, index):
    html = html_of("<!-- atlas:counts -->", small, here=here, directory_urls=directory_urls)
    rows = [r for t in parse(html).tables for r in t.rows]
    assert rows == [
        ["In the atlas", "Number"], ["Forums", "2"], ["Initiatives", "2"], ["Gaps", "2"], ["Pathways", "2"], ["Topics", "0"],
        ["Coverage claims", "3"], ["Named claims", "2"], ["Claims by category", "1"], ["Cases of a gap (not coverage)", "1"],
        ["Sources cited", "5"],
    ]
    expected = []
    for label, target in COUNTED.items():
        folder = target.removesuffix("index.md").removesuffix(".md")
        href = prefix + (folder + index if target.endswith("index.md") else folder + suffix)
        expected.append((label, href))
    assert _hrefs(html) == expected


def test_one_uncovered_gap_is_a_finding_by_name(small):
    html = html_of("<!-- atlas:uncovered-gaps -->", small)
    text = parse(html).text
    assert text == "1 gap has no coverage claim: Orphan gap. No forum or initiative in the atlas claims to address it."
    assert '<a href="gaps/orphan/">Orphan gap</a>' in html
    assert '<a href="gaps/orphan.html">Orphan gap</a>' in html_of("<!-- atlas:uncovered-gaps -->", small, directory_urls=False)


def test_several_uncovered_gaps_are_named_each(tmp_path):
    gap = "id: {id}\nkind: gap\nname: {name}\nsummary: S.\nsources:\n  - title: T\n    url: https://example.org/t\nlast_reviewed: 2026-01-15\n"
    entries = write_entries(tmp_path / "entries", {
        "gaps/quiet.yaml": gap.format(id="quiet", name="Quiet gap"), "gaps/empty.yaml": gap.format(id="empty", name="Empty gap"),
    })
    text = parse(html_of("<!-- atlas:uncovered-gaps -->", build_atlas(entries))).text
    assert text == "2 gaps have no coverage claim: Empty gap and Quiet gap. No forum or initiative in the atlas claims to address them."


def test_no_uncovered_gap_says_every_gap_has_a_claim(make_entries):
    html = html_of("<!-- atlas:uncovered-gaps -->", build_atlas(make_entries()))
    assert parse(html).text == "Every gap has at least one coverage claim: the coverage summary shows how strongly each is addressed."
    assert '<a href="coverage/">coverage summary</a>' in html
    assert "0" not in parse(html).text


def test_the_ways_in_name_every_gap_and_pathway_and_the_indexes(small):
    html = html_of("<!-- atlas:ways-in -->", small, here="index.md")
    found = {t.attrs["href"] for t in parse(html).tags if t.name == "a"}
    assert found == {"gaps/dialogue/", "gaps/orphan/", "pathways/coalitions/", "pathways/universal/", "forums/", "initiatives/"}
    text = parse(html).text
    assert "Dialogue gap · Orphan gap" in text and "Coalitions · Universal forums" in text
    assert "data-search-exclude" in html


def test_coverage_at_a_glance_counts_named_and_category_claims_apart(small):
    html = html_of("<!-- atlas:coverage-glance -->", small)
    (table,) = parse(html).tables
    assert table.rows == [  # as on coverage/pathways.md: all claims, then (shown with "named claims only") the named ones
        ["Pathway", "Dialogue gap", "Orphan gap"],
        ["Coalitions", "●○○ emerging\n0 named · 1 by category— none", "— none"],
        ["Universal forums", "●●● strong\n2 named", "— none"],
        ["No pathway", "— none", "— none"],
    ]
    # the pathway matrix's hint, shown only while the table scrolls sideways
    hint = '<p class="atlas-scroll-hint" aria-hidden="true"><span>More gaps to the right: scroll →</span></p>'
    assert f'<div class="atlas-table-wrap atlas-matrix-wrap">{hint}<table' in html
    assert '<a href="coverage/pathways/">pathway × gap matrix</a>' in html
    assert 'class="atlas-named-only"' in html  # the "named claims only" switch
    assert html.count("\n") <= 1  # one raw HTML block: a hand-written page's line breaks are its own


def test_pieces_print_entry_text_escaped(tmp_path):
    atlas = build_atlas(write_entries(tmp_path / "entries", HOSTILE))
    text = "<!-- atlas:counts -->\n\n<!-- atlas:uncovered-gaps -->\n\n<!-- atlas:ways-in -->\n\n<!-- atlas:coverage-glance -->\n"
    html = html_of(text, atlas)
    assert dangerous_markup(html) == []
    names = [e.name for e in atlas.gaps + atlas.pathways]
    assert all(name in parse(html).text for name in names)
