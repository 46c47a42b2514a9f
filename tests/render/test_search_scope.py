"""The search-scope Markdown extension: search stops at a generated page's SEARCH_END mark, in every engine."""

from __future__ import annotations

import markdown

from generator.pdf.markdown_config import site_markdown
from generator.render.html_pieces import SEARCH_END
from generator.render.search_scope import mark_raw_html

EXCLUDE = 'data-search-exclude="true"'


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "toc", "generator.render.search_scope"])


def test_everything_after_the_mark_is_excluded_and_nothing_before() -> None:
    html = _html(f"# Title\n\nThe intro.\n\n{SEARCH_END}\n\n<div class=\"box\"><div>inner</div>after</div>\n\n## Coverage\n\nA *claim*.\n")
    before, _, after = html.partition(SEARCH_END)
    assert "data-search" not in before
    assert '<div data-search-exclude="true" class="box"><div data-search-exclude="true">inner</div>after</div>' in after
    assert f'<h2 {EXCLUDE} id="coverage">' in after or f'<h2 id="coverage" {EXCLUDE}>' in after
    assert f"<p {EXCLUDE}>A <em {EXCLUDE}>claim</em>.</p>" in after


def test_a_page_without_the_mark_is_untouched() -> None:
    text = "# Title\n\n<div class=\"box\">kept</div>\n\n## Section\n\nText.\n"
    assert "data-search" not in _html(text)


def test_raw_html_gets_the_attribute_on_every_start_tag_and_nowhere_else() -> None:
    raw = '<table class="t"><tr><td>a &lt;b</td><td><br/><a href="x">y</a></td></tr></table><!-- note -->'
    marked = mark_raw_html(raw)
    assert marked.count(EXCLUDE) == 6  # table, tr, two td, br, a
    assert "&lt;b" in marked and "<!-- note -->" in marked
    assert marked.replace(f" {EXCLUDE}", "") == raw


def test_the_pdf_leaves_it_out() -> None:
    extensions, _ = site_markdown()
    assert "generator.render.table_scopes" in extensions
    assert "generator.render.search_scope" not in extensions


def test_an_engine_whose_search_stops_at_the_mark_turns_the_marks_off() -> None:
    text = f"# Title\n\n{SEARCH_END}\n\n<div>after</div>\n"
    html = markdown.markdown(text, extensions=["generator.render.search_scope"], extension_configs={"generator.render.search_scope": {"marks": False}})
    assert "data-search" not in html and "<div>after</div>" in html
