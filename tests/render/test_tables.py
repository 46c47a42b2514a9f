"""Tables that work on a phone and in print: labelled cells, and matrix cells that open their claim.

Each filled cell of the full matrix links to the row of its claim, on the gap's page or, when that
page shows only some claims, on the coverage page that lists it; the row's id is there, once. The
browser tests (tests/browser/test_browser_phone.py) read the same pages as a reader does.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator.pdf.book import GAP_COLUMNS_PER_TABLE, PRINT_LIMITS, PageConverter
from generator.pipeline import build_atlas
from generator.render.html_pieces import claim_anchor, label_cells
from generator.render.page import Limits, Page
from generator.render.pages import render_pages
from generator.render.urls import page_url

CROWDED = REPO_ROOT / "tests" / "fixtures" / "crowded"
# One claim per level on a gap's page, two claims a page of its coverage and one row a page of the
# full matrix: the crowded fixture's claims on its gap are spread over the gap's page and its coverage pages.
SMALL_LIMITS = Limits(claims_per_level=1, matrix_rows=2)
_CELL_LINK = re.compile(r'<a class="atlas-cell-link[^"]*" href="([^"]*)">')
_ROW_ID = re.compile(r'<tr id="([^"]*)"')


def _pages(entries: Path, *, directory_urls: bool = True, limits: Limits = Limits()) -> dict[str, Page]:
    return render_pages(build_atlas(entries), directory_urls=directory_urls, limits=limits)


def _target(pages: dict[str, Page], here: str, href: str, directory_urls: bool) -> tuple[str, str]:
    """The docs path and fragment a link on the page at ``here`` opens."""
    url, _, fragment = href.partition("#")
    base = page_url(here, directory_urls)
    folder = base if base.endswith("/") else posixpath.dirname(base) + "/"
    joined = posixpath.normpath(posixpath.join(folder, url))
    by_url = {page_url(path, directory_urls).rstrip("/"): path for path in pages}
    return by_url[joined.rstrip("/")], fragment


def _cell_links(pages: dict[str, Page], directory_urls: bool) -> list[tuple[str, str, str, str]]:
    """(matrix page, href, target page, fragment) of every filled cell of the full matrix."""
    found = []
    for here, page in pages.items():
        if here == "coverage/matrix.md" or here.startswith("coverage/matrix/"):
            for href in _CELL_LINK.findall(page.markdown):
                found.append((here, href, *_target(pages, here, href, directory_urls)))
    return found


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize(("entries", "limits"), [("small", Limits()), ("crowded", SMALL_LIMITS), ("crowded", Limits())])
def test_each_matrix_cell_opens_the_row_of_its_claim(small_fixture, entries, limits, directory_urls):
    pages = _pages(small_fixture if entries == "small" else CROWDED, directory_urls=directory_urls, limits=limits)
    atlas_claims = sum(len(re.findall(r'<td><a class="atlas-cell-link', p.markdown))
                       for path, p in pages.items() if path.startswith("coverage/matrix"))
    links = _cell_links(pages, directory_urls)
    assert links and len(links) == atlas_claims
    for here, href, target, fragment in links:
        ids = _ROW_ID.findall(pages[target].markdown)
        assert ids.count(fragment) == 1, f"{here}: {href} opens {target}, whose claim rows are {ids}"
        assert fragment.startswith("claim-"), href
        assert target.startswith(("gaps/", "coverage/gaps/")), href


def test_a_claim_not_on_its_gap_page_links_to_the_coverage_page_that_lists_it():
    pages = _pages(CROWDED, limits=SMALL_LIMITS)
    targets = {target for _, _, target, _ in _cell_links(pages, True)}
    assert "gaps/dialogue.md" in targets
    assert {t for t in targets if t.startswith("coverage/gaps/dialogue")}, targets  # some claims live only there
    for _, href, target, fragment in _cell_links(pages, True):
        gap_page = pages["gaps/dialogue.md"].markdown
        if target != "gaps/dialogue.md":
            assert f'id="{fragment}"' not in gap_page, f"{href}: the claim is on the gap's page"


def test_claim_rows_have_ids_unlike_every_other_id_of_the_gap_page(small_fixture):
    pages = _pages(small_fixture)
    for path, page in pages.items():
        if not path.startswith("gaps/"):
            continue
        ids = re.findall(r'\sid="([^"]*)"', page.markdown)
        assert len(ids) == len(set(ids)), f"{path}: {ids}"
        rows = _ROW_ID.findall(page.markdown)
        assert all(i.startswith("claim-") for i in rows) and not [i for i in ids if i.startswith("claim-") and i not in rows]


def test_a_gap_whose_id_reads_like_a_claim_row_keeps_its_own_id():
    assert claim_anchor("dialogue", "alpha-forum") == "claim-alpha-forum"
    assert claim_anchor("claim-alpha", "alpha") == "claim--alpha"  # no id has "--": it cannot be anyone's


def test_cells_are_labelled_with_their_column():
    assert label_cells("<tr><td>a</td><td>b &amp; c</td></tr>", ("Who", 'Why "this"')) == (
        '<tr><td data-label="Who">a</td><td data-label="Why &#34;this&#34;">b &amp; c</td></tr>'
    )
    labelled = '<tr><td data-label="Who">a</td></tr>'
    assert label_cells(labelled, ("Who",)) == labelled
    with pytest.raises(ValueError, match="2 cells in a table of 3 columns"):
        label_cells("<tr><td>a</td><td>b</td></tr>", ("A", "B", "C"))


def test_every_cell_of_the_entry_and_index_tables_carries_its_column_header(small_fixture):
    pages = _pages(small_fixture)
    for path in ("forums/alpha-forum.md", "gaps/dialogue.md", "pathways/universal.md", "forums/index.md", "sources.md", "coverage/index.md"):
        markdown = pages[path].markdown
        for table in re.findall(r"<table>.*?</table>", markdown, re.DOTALL):
            headers = re.findall(r'<th scope="col">(.*?)</th>', table)
            for row in re.findall(r"<tr[ >].*?</tr>", table.split("</thead>", 1)[1], re.DOTALL):
                labels = re.findall(r'<t[dh][^>]* data-label="([^"]*)"', row)
                assert labels == headers, f"{path}: {row[:120]}"


def test_the_print_keeps_each_cell_link_to_its_claim(small_fixture):
    pages = render_pages(build_atlas(small_fixture), columns_per_table=GAP_COLUMNS_PER_TABLE, limits=PRINT_LIMITS)
    converter = PageConverter(list(pages), REPO_ROOT / "mkdocs.yml")
    html = {path: converter.convert(path, page.markdown) for path, page in pages.items()}
    matrix = [path for path in html if path == "coverage/matrix.md" or path.startswith("coverage/matrix/")]
    links = [href for path in matrix for href in _CELL_LINK.findall(html[path])]
    ids = {i for text in html.values() for i in re.findall(r'\sid="([^"]*)"', text)}
    assert links and all(re.fullmatch(r"#p-gaps-[a-z0-9-]+--claim-[a-z0-9-]+", href) for href in links), links
    assert not [href for href in links if href[1:] not in ids]
