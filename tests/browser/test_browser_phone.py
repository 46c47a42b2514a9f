"""Tables on a 375 px phone and on a desktop: nothing cut off without a sign, matrices read down the page.

- Evidence and index tables fit the screen: on a phone each row is a card whose every cell shows its
  column's header; a table that still scrolls sideways shows a hint that it does.
- The full matrix and the pathway matrix scroll sideways in their box and down with the page: the
  header row follows the page below Material's header, the first column stays when scrolled right, the
  totals row is seen at the end, and on a phone a hint says that more gap columns lie to the right.
- Each filled cell of the full matrix opens the gap's page at the row of its claim.
"""

from __future__ import annotations

import urllib.parse

import pytest

pytestmark = pytest.mark.browser

TABLE_PAGES = [
    "",
    "fields/",
    "topics/",
    "topics/space-debris/",
    "forums/",
    "initiatives/",
    "gaps/",
    "pathways/",
    "sources/",
    "coverage/",
    "coverage/pathways/",
    "coverage/matrix/",
    "gaps/docking-gap/",
    "gaps/confidential-dialogue-gap/",
    "forums/espi/",
    "initiatives/artemis-accords/",
    "pathways/universal-multilateral-anchor/",
]
MATRICES = ["coverage/matrix/", "coverage/pathways/"]

# Every table of the page's content, and whether a reader can tell all of it is there: each box that
# scrolls it sideways (the table's own, Material's, the atlas's) shows a visible hint, and a table that
# does not scroll lies within the screen (the page itself never scrolls sideways: Material clips it).
CUT_TABLES = """() => {
    const width = document.documentElement.clientWidth;
    const boxes = table => {
        const out = [];
        for (let n = table; n && !n.classList.contains('md-content'); n = n.parentElement) {
            const overflow = getComputedStyle(n).overflowX;
            if (overflow !== 'visible' && overflow !== 'clip') out.push(n);
        }
        return out;
    };
    const problems = [], tables = [...document.querySelectorAll('.md-content table')];
    for (const [i, table] of tables.entries()) {
        const name = `table ${i + 1} ("${(table.querySelector('th') || table).textContent.trim().slice(0, 30)}")`;
        const scrolling = boxes(table).filter(box => box.scrollWidth > box.clientWidth + 1);
        for (const box of scrolling) {
            const hint = box.querySelector('.atlas-scroll-hint span');
            const shown = hint && hint.getClientRects().length > 0 && getComputedStyle(hint).visibility === 'visible'
                && hint.getBoundingClientRect().right <= width + 1;
            if (!shown) problems.push(`${name} scrolls sideways (${box.scrollWidth} > ${box.clientWidth} px) with no hint`);
        }
        if (scrolling.length) continue;
        for (const cell of table.querySelectorAll('td, th')) {
            const head = cell.closest('thead');
            if (head && head.getBoundingClientRect().width <= 1) continue;  // a stacked table's header, for screen readers
            const r = cell.getBoundingClientRect();
            if (r.width && (r.left < -1 || r.right > width + 1)) {
                const where = `${Math.round(r.left)}..${Math.round(r.right)} px`;
                problems.push(`${name}: "${cell.textContent.trim().slice(0, 30)}" at ${where}, off a ${width} px screen`);
                break;
            }
        }
    }
    if (document.documentElement.scrollWidth > width + 1) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    return {tables: tables.length, problems};
}"""


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_table_is_cut_off_without_a_sign(browse, path):
    page = browse.visit(path)
    result = page.evaluate(CUT_TABLES)
    assert result["tables"], f"{path}: no table"
    assert not result["problems"], f"{path} [{browse.viewport}]:\n" + "\n".join(result["problems"])


# On a phone, a labelled table is one card per row: every cell on its own line, within the screen,
# under its column's header; the header row is out of sight but still read out.
STACKED = """() => {
    const out = [];
    for (const table of document.querySelectorAll('.md-content table')) {
        if (!table.querySelector('td[data-label]')) continue;
        const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
        const rows = [...table.tBodies[0].rows].filter(row => row.getClientRects().length);
        const head = table.tHead.getBoundingClientRect();
        const bad = [];
        for (const row of rows.slice(0, 40)) {
            const cells = [...row.cells];
            const box = row.getBoundingClientRect();
            cells.forEach((cell, i) => {
                const label = getComputedStyle(cell, '::before').content.replace(/^"|"$/g, '');
                if (label !== headers[i]) bad.push(`cell ${i + 1} labelled ${label}, its column is ${headers[i]}`);
                const r = cell.getBoundingClientRect();
                if (r.height && (r.left < box.left - 1 || r.right > box.right + 1)) bad.push(`cell ${i + 1} sticks out of its card`);
                if (i && r.height && r.top < cells[i - 1].getBoundingClientRect().bottom - 1 && cells[i - 1].getBoundingClientRect().height)
                    bad.push(`cell ${i + 1} beside the one before, not under it`);
            });
        }
        out.push({headers, rows: rows.length, headHidden: head.width <= 1 && head.height <= 1,
                  headRead: getComputedStyle(table.tHead).display !== 'none', bad: bad.slice(0, 6)});
    }
    return out;
}"""


@pytest.mark.parametrize("path", ["forums/", "initiatives/", "sources/", "coverage/", "gaps/docking-gap/", "forums/espi/", "fields/", "topics/space-debris/"])
def test_a_phone_shows_each_row_as_a_card_of_labelled_cells(phone, path):
    tables = phone.visit(path).evaluate(STACKED)
    assert tables, f"{path}: no labelled table"
    for table in tables:
        assert table["rows"], table
        assert table["headHidden"] and table["headRead"], f"{path}: the header row of {table['headers']} should be out of sight, not gone"
        assert not table["bad"], f"{path}: {table['headers']}: {table['bad']}"


def test_a_desktop_keeps_the_tables_as_tables(open_browse):
    page = open_browse("desktop").visit("forums/")
    display = page.evaluate("() => getComputedStyle(document.querySelector('.md-content table td[data-label]')).display")
    assert display == "table-cell"


# --------------------------------------------------------------------------- the matrices


def _header_bottom(page) -> float:
    return page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")


def _settle(page) -> None:
    """Two frames: scroll-driven animations and sticky positions are applied after a scroll."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _scroll_page_into_matrix(page, depth: float) -> None:
    """Scroll the page (never the matrix's box) so that the box's top lies ``depth`` px above Material's header."""
    page.evaluate(
        """depth => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            window.scrollTo(0, wrap.getBoundingClientRect().top + window.scrollY - header + depth);
        }""",
        depth,
    )
    _settle(page)


@pytest.mark.parametrize("path", MATRICES)
def test_the_matrix_is_read_down_the_page_not_in_a_box_of_its_own(browse, path):
    page = browse.visit(path)
    sizes = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const style = getComputedStyle(wrap);
            return {overflowY: style.overflowY, maxHeight: style.maxHeight, scrollHeight: wrap.scrollHeight,
                    clientHeight: wrap.clientHeight, tableHeight: wrap.querySelector('table').getBoundingClientRect().height};
        }"""
    )
    assert sizes["maxHeight"] == "none" and sizes["overflowY"] in {"hidden", "clip"}, sizes
    assert sizes["scrollHeight"] <= sizes["clientHeight"] + 1, f"{path}: the matrix scrolls up and down in its box: {sizes}"
    assert sizes["clientHeight"] >= sizes["tableHeight"] - 1, sizes


@pytest.mark.parametrize("path", MATRICES)
def test_the_header_row_stays_in_view_when_the_page_scrolls_down(browse, path):
    page = browse.visit(path)
    top = _header_bottom(page)
    height = page.evaluate("() => document.querySelector('.md-content .atlas-matrix-wrap').getBoundingClientRect().height")
    checked = 0
    for depth in (1, height / 3, height / 2):
        _scroll_page_into_matrix(page, depth)
        result = page.evaluate(
            """top => {
                const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
                const bad = [];
                for (const th of wrap.querySelectorAll('thead th')) {
                    const r = th.getBoundingClientRect();
                    if (r.top < top - 1 || r.top > top + 60) bad.push(`${th.textContent.trim()}: top at ${r.top}, header ends at ${top}`);
                    const x = Math.min(Math.max(r.left + r.width / 2, 1), document.documentElement.clientWidth - 1);
                    const box = wrap.getBoundingClientRect();
                    if (x > box.left && x < box.right && x > r.left && x < r.right) {
                        const hit = document.elementFromPoint(x, r.top + r.height / 2);
                        if (!th.contains(hit)) bad.push(`${th.textContent.trim()}: covered by ${hit && hit.outerHTML.slice(0, 80)}`);
                    }
                }
                return {wrapTop: wrap.getBoundingClientRect().top, scrollY: window.scrollY, bad};
            }""",
            top,
        )
        if result["wrapTop"] > top - depth + 2:
            continue  # the page ends before it scrolls this far
        checked += 1
        assert not result["bad"], f"{path} [{browse.viewport}] {depth:.0f} px into the matrix: {result['bad']}"
    if path == "coverage/matrix/":
        assert checked == 3, f"{path} [{browse.viewport}]: the page should scroll half-way down the matrix"


@pytest.mark.parametrize("path", MATRICES)
def test_the_first_column_stays_when_the_matrix_scrolls_right(browse, path):
    page = browse.visit(path)
    _scroll_page_into_matrix(page, 200)
    result = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
            wrap.scrollLeft = wrap.scrollWidth;
            return {scrollable, scrollLeft: wrap.scrollLeft};
        }"""
    )
    _settle(page)
    if browse.viewport == "phone":
        assert result["scrollable"] and result["scrollLeft"] > 0, f"{path}: the gaps should not all fit a phone: {result}"
    elif not result["scrollable"]:
        return  # the whole matrix fits the desktop: nothing to scroll
    bad = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const box = wrap.getBoundingClientRect(), top = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const bad = [];
            for (const th of wrap.querySelectorAll('thead th:first-child, tbody th[scope="row"], tfoot th')) {
                const r = th.getBoundingClientRect();
                if (Math.abs(r.left - box.left) > 1) bad.push(`${th.textContent.trim().slice(0, 30)}: at ${r.left}, box at ${box.left}`);
                const y = r.top + Math.min(r.height / 2, 10);
                if (y > top + 80 && y < window.innerHeight - 1) {
                    const hit = document.elementFromPoint(r.left + 10, y);
                    if (!th.contains(hit)) bad.push(`${th.textContent.trim().slice(0, 30)}: covered by ${hit && hit.outerHTML.slice(0, 80)}`);
                }
            }
            return bad;
        }"""
    )
    assert not bad, f"{path} [{browse.viewport}]: the first column is lost when scrolled right: {bad}"


@pytest.mark.parametrize("path", MATRICES)
def test_a_phone_says_more_gaps_lie_to_the_right(phone, path):
    page = phone.visit(path)
    _scroll_page_into_matrix(page, 300)
    hint = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const span = wrap.querySelector('.atlas-scroll-hint span');
            const r = span.getBoundingClientRect(), head = wrap.querySelector('thead').getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {text: span.textContent, visible: getComputedStyle(span).visibility === 'visible' && r.width > 0 && span.contains(hit),
                    right: r.right, width: document.documentElement.clientWidth, aboveHeader: r.bottom <= head.top + 1,
                    top: span.parentElement.getBoundingClientRect().top, header: document.querySelector('.md-header').getBoundingClientRect().bottom,
                    scrolledPast: wrap.getBoundingClientRect().top < document.querySelector('.md-header').getBoundingClientRect().bottom - 100};
        }"""
    )
    assert "More gaps" in hint["text"] and hint["visible"], hint
    assert hint["right"] <= hint["width"] and hint["aboveHeader"], hint
    if hint["scrolledPast"]:  # the page is long enough to scroll into the matrix
        assert abs(hint["top"] - hint["header"]) <= 2, f"the hint should follow the page down with the header row: {hint}"
    else:
        assert path != "coverage/matrix/", hint
    page.evaluate("() => { const w = document.querySelector('.md-content .atlas-matrix-wrap'); w.scrollLeft = w.scrollWidth; }")
    _settle(page)
    shown = page.evaluate("() => getComputedStyle(document.querySelector('.md-content .atlas-scroll-hint span')).visibility")
    assert shown == "hidden", "at the last gap column, the hint should say no more"


def test_a_desktop_shows_no_hint_when_every_gap_fits(open_browse):
    page = open_browse("desktop").visit("coverage/matrix/")
    fits, display = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            return [wrap.scrollWidth <= wrap.clientWidth + 1, getComputedStyle(wrap.querySelector('.atlas-scroll-hint')).display];
        }"""
    )
    assert fits and display == "none"


def test_the_totals_row_is_seen_at_the_end(browse):
    page = browse.visit("coverage/matrix/")
    page.evaluate("() => document.querySelector('.md-content .atlas-matrix-wrap tfoot').scrollIntoView({block: 'end'})")
    _settle(page)
    result = page.evaluate(
        """() => {
            const foot = document.querySelector('.md-content .atlas-matrix-wrap tfoot th');
            const r = foot.getBoundingClientRect(), top = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);
            return {text: foot.textContent.trim(), top: r.top, bottom: r.bottom, header: top, height: window.innerHeight,
                    seen: foot.contains(hit), hit: hit && hit.outerHTML.slice(0, 80)};
        }"""
    )
    assert result["text"] == "Claims per gap", result
    assert result["header"] <= result["top"] and result["bottom"] <= result["height"] + 1, result
    assert result["seen"], f"[{browse.viewport}] the totals row is covered: {result}"
    # At the very end of the page the totals row is still on screen, below the header row.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    _settle(page)
    seen = page.evaluate(
        """() => {
            const foot = document.querySelector('.md-content .atlas-matrix-wrap tfoot th');
            const head = document.querySelector('.md-content .atlas-matrix-wrap thead').getBoundingClientRect();
            const r = foot.getBoundingClientRect();
            return r.top >= head.bottom - 1 && r.bottom <= window.innerHeight + 1;
        }"""
    )
    assert seen, f"[{browse.viewport}] the totals row is not on screen at the end of the page"


def test_a_matrix_cell_opens_the_gap_page_at_its_claim(browse):
    page = browse.visit("coverage/matrix/")
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.md-content .atlas-cell-link')].map(a => ({
            href: a.href, entry: a.closest('tr').querySelector('th a').href,
            gap: a.closest('table').querySelectorAll('thead th')[a.closest('td').cellIndex].querySelector('a').href}))"""
    )
    assert len(cells) > 5, cells
    for index in (0, len(cells) // 2, len(cells) - 1):
        cell = cells[index]
        page = browse.visit("coverage/matrix/")
        link = page.locator(".md-content .atlas-cell-link").nth(index)
        if browse.viewport == "phone":
            link.scroll_into_view_if_needed()
        browse.reset()
        link.click()
        page.wait_for_url(cell["href"])
        browse.settle(cell["href"])
        assert urllib.parse.urldefrag(page.url).url == urllib.parse.urldefrag(cell["gap"]).url, cell
        target = page.evaluate(
            """() => {
                const row = document.querySelector(':target');
                if (!row) return null;
                const r = row.getBoundingClientRect();
                return {tag: row.tagName, id: row.id, who: row.querySelector('td a').href, top: r.top, bottom: r.bottom,
                        header: document.querySelector('.md-header').getBoundingClientRect().bottom, height: window.innerHeight,
                        outline: getComputedStyle(row).outlineStyle};
            }"""
        )
        assert target is not None, f"{cell['href']}: no row is the :target"
        assert target["tag"] == "TR" and target["id"] == urllib.parse.urlsplit(cell["href"]).fragment, target
        assert target["who"] == cell["entry"], f"{cell['href']} opens the claim of {target['who']}, not {cell['entry']}"
        assert target["header"] <= target["top"] < target["height"], f"the claim row is not in view below the header: {target}"
        assert target["outline"] != "none", "the opened claim is marked"


def test_every_matrix_cell_link_has_its_row(crawl, site):
    """Every cell link of the full matrix, as crawled: its page has a row with its fragment as id."""
    matrix = [page for url, page in crawl.html_pages.items() if site.path_of(url).startswith("coverage/matrix/")]
    links = [link for page in matrix for link in page.links if "#claim-" in link]
    assert len(links) > 5
    for link in links:
        url, fragment = urllib.parse.urldefrag(link)
        assert fragment in crawl.pages[url].ids, f"{link}: no element with id {fragment}"


@pytest.mark.parametrize("path", ["forums/", "coverage/matrix/", "gaps/docking-gap/"])
def test_axe_finds_nothing_serious_in_the_dark_palette(phone, axe_source, path):
    page = phone.visit(path)
    if phone.palette_scheme() != "slate":
        assert phone.toggle_palette() == "slate"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:4]]}" for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, f"{path} [phone, dark]:\n" + "\n".join(serious)
