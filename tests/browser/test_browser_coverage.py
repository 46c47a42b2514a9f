"""The coverage matrices on a phone: the table scrolls in its own box, headers stay, nothing is cut."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MATRICES = ["coverage/matrix/", "coverage/pathways/"]


def _wrap(page):
    wrap = page.locator(".md-content .atlas-matrix-wrap").first
    wrap.wait_for(state="visible")
    return wrap


def _bring_into_view(page) -> None:
    """Scroll the page so the matrix box sits just below Material's fixed header."""
    page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const header = document.querySelector('.md-header').getBoundingClientRect().height;
            window.scrollTo(0, wrap.getBoundingClientRect().top + window.scrollY - header - 4);
        }"""
    )


@pytest.mark.parametrize(
    "path",
    MATRICES,
)
def test_matrix_scrolls_inside_its_box_not_the_page(phone, path):
    page = phone.visit(path)
    _wrap(page)
    sizes = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            return {wrapScroll: wrap.scrollWidth, wrapClient: wrap.clientWidth,
                    overflowX: getComputedStyle(wrap).overflowX,
                    docScroll: document.documentElement.scrollWidth, inner: window.innerWidth};
        }"""
    )
    assert sizes["overflowX"] in {"auto", "scroll"}, sizes
    assert sizes["wrapScroll"] > sizes["wrapClient"], f"the matrix should be wider than a phone and scroll in its box: {sizes}"
    # Mobile Chrome widens the layout viewport to fit overflowing content, so innerWidth must stay the device's.
    assert sizes["inner"] == 375, f"{path}: the page is laid out {sizes['inner']} px wide on a 375 px phone: {sizes}"
    assert sizes["docScroll"] <= sizes["inner"] + 1, f"{path}: the page itself scrolls sideways: {sizes}"


@pytest.mark.parametrize("path", MATRICES)
def test_matrix_column_headers_stay_visible_when_scrolled_down(phone, path):
    page = phone.visit(path)
    _wrap(page)
    _bring_into_view(page)
    result = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            const scrollable = wrap.scrollHeight > wrap.clientHeight + 1;
            if (scrollable) wrap.scrollTop = Math.min(400, wrap.scrollHeight - wrap.clientHeight);
            const box = wrap.getBoundingClientRect();
            const heads = [...wrap.querySelectorAll('thead th')];
            const bad = [];
            for (const th of heads) {
                const r = th.getBoundingClientRect();
                if (getComputedStyle(th).position !== 'sticky') bad.push(`${th.textContent.trim()}: not sticky`);
                if (r.top < box.top - 1 || r.bottom > box.bottom + 1) bad.push(`${th.textContent.trim()}: top ${r.top} outside box ${box.top}..${box.bottom}`);
                // Where a header is on screen, it is what a reader sees there (not covered by cells).
                const x = Math.min(Math.max(r.left + r.width / 2, box.left + 1), box.right - 1);
                const y = r.top + r.height / 2;
                if (x > r.left && x < r.right && y > 0 && y < window.innerHeight) {
                    const hit = document.elementFromPoint(x, y);
                    if (!th.contains(hit)) bad.push(`${th.textContent.trim()}: covered by ${hit && hit.outerHTML.slice(0, 80)}`);
                }
            }
            return {scrollable, scrollTop: wrap.scrollTop, count: heads.length, bad};
        }"""
    )
    assert result["count"] > 1, result
    if result["scrollable"]:
        assert result["scrollTop"] > 0, result
    assert not result["bad"], f"{path}: column headers lost after scrolling down: {result}"


@pytest.mark.parametrize("path", MATRICES)
def test_matrix_row_headers_stay_visible_when_scrolled_sideways(phone, path):
    page = phone.visit(path)
    _wrap(page)
    _bring_into_view(page)
    result = page.evaluate(
        """() => {
            const wrap = document.querySelector('.md-content .atlas-matrix-wrap');
            wrap.scrollLeft = wrap.scrollWidth;  // as far right as it goes
            const box = wrap.getBoundingClientRect();
            const bad = [];
            const rows = [...wrap.querySelectorAll('tbody th[scope="row"]')];
            for (const th of rows) {
                const r = th.getBoundingClientRect();
                if (getComputedStyle(th).position !== 'sticky') bad.push(`${th.textContent.trim()}: not sticky`);
                if (r.left < box.left - 1 || r.right > box.right + 1)
                    bad.push(`${th.textContent.trim()}: ${r.left}..${r.right} outside box ${box.left}..${box.right}`);
                const x = r.left + Math.min(r.width / 2, 20), y = r.top + r.height / 2;
                if (y > box.top && y < Math.min(box.bottom, window.innerHeight)) {
                    const hit = document.elementFromPoint(x, y);
                    if (!th.contains(hit)) bad.push(`${th.textContent.trim()}: covered by ${hit && hit.outerHTML.slice(0, 80)}`);
                }
            }
            return {scrollLeft: wrap.scrollLeft, count: rows.length, bad};
        }"""
    )
    assert result["scrollLeft"] > 0, result
    assert result["count"] > 1, result
    assert not result["bad"], f"{path}: row headers lost after scrolling sideways: {result}"


CUT_CELLS = """() => {
    const cut = [];
    for (const cell of document.querySelectorAll('.md-content table td, .md-content table th')) {
        const style = getComputedStyle(cell);
        const overflows = cell.scrollWidth > cell.clientWidth + 1;
        // Text that wraps is not cut; text that overflows its cell is, unless the cell shows it (overflow visible).
        if (overflows && style.overflowX !== 'visible')
            cut.push(`${cell.tagName} "${cell.textContent.trim().slice(0, 40)}" ${cell.scrollWidth}>${cell.clientWidth}`);
        for (const child of cell.querySelectorAll('a, span:not(.atlas-sr), strong')) {
            if (child.scrollWidth > child.clientWidth + 1 && getComputedStyle(child).overflowX !== 'visible')
                cut.push(`${child.tagName} in ${cell.tagName} "${child.textContent.trim().slice(0, 40)}"`);
            const r = child.getBoundingClientRect(), c = cell.getBoundingClientRect();
            if (r.width && (r.right > c.right + 1 || r.left < c.left - 1))
                cut.push(`${child.tagName} "${child.textContent.trim().slice(0, 40)}" sticks out of its cell`);
        }
    }
    return cut;
}"""


@pytest.mark.parametrize("path", [*MATRICES, "coverage/"])
def test_no_cell_text_is_cut(browse, path):
    page = browse.visit(path)
    cut = page.evaluate(CUT_CELLS)
    assert not cut, f"{path} [{browse.viewport}]: cell text cut:\n" + "\n".join(cut)
