"""The table-scopes Markdown extension: header cells of Markdown tables say they head a column; HTML tables keep their own."""

from __future__ import annotations

import markdown


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "generator.render.table_scopes"])


def test_a_markdown_table_s_header_cells_get_a_column_scope() -> None:
    html = _html("| Setting | Does |\n|---|---|\n| `entries` | the folder |\n")
    assert '<th scope="col">Setting</th>' in html and '<th scope="col">Does</th>' in html
    assert "<td" in html and 'td scope' not in html


def test_raw_html_tables_are_left_as_written() -> None:
    raw = '<table><thead><tr><th scope="row">kept</th><th>bare</th></tr></thead></table>'
    assert raw in _html(raw + "\n")


def test_the_site_and_the_pdf_load_it_from_mkdocs_yml() -> None:
    from generator.pdf.markdown_config import site_markdown

    extensions, _ = site_markdown()
    assert "generator.render.table_scopes" in extensions
