"""Generated pages convert to the same HTML with or without the raw-HTML fast path.

``generator.site.raw_html`` stores the raw HTML blocks of generated pages without
parsing them, relying on the renderer writing every line break of entry text as
``&#10;``. These tests convert every generated page of several atlases both
ways, and throw multi-line Markdown at every text field an entry page shows.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from conftest import REPO_ROOT, SMALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import BASE_ATLAS, write_tree

from generator.link.atlas import link_atlas
from generator.pdf.markdown_config import site_markdown
from generator.pipeline import build_atlas
from generator.render.page import Limits
from generator.render.pages import build_pages, render_pages
from generator.site.raw_html import RawHtmlBlocks
from generator.validate.entries import validate_folder

# The Markdown extensions and settings of mkdocs.yml.
EXTENSIONS, SETTINGS = site_markdown(REPO_ROOT / "mkdocs.yml")
HOSTILE_VALID = REPO_ROOT / "tests" / "fixtures" / "hostile" / "valid"


def plain_html(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=SETTINGS).convert(text)


def fast_html(text: str) -> str:
    fast = RawHtmlBlocks()
    md = markdown.Markdown(extensions=[*EXTENSIONS, fast], extension_configs=SETTINGS)
    fast.expect_generated()
    return md.convert(text)


def assert_same_html(pages: dict) -> None:
    for path, page in pages.items():
        assert fast_html(page.markdown) == plain_html(page.markdown), path


@pytest.mark.parametrize("entries", [REPO_ROOT / "entries", SMALL, HOSTILE_VALID], ids=["shipped", "small", "hostile"])
def test_every_generated_page_converts_the_same(entries: Path):
    atlas = build_atlas(entries, REPO_ROOT / "content")
    assert_same_html(build_pages(atlas).pages)
    assert_same_html(build_pages(atlas, directory_urls=False, limits=Limits(index_rows=2, matrix_rows=1, claims_per_level=1, members_shown=1)).pages)


def test_the_fast_path_stores_blocks_and_is_used_once():
    text = "# Title\n\n<table>\n<tr><td>a</td></tr>\n</table>\n\n## Next\n\nSome *text*.\n"
    fast = RawHtmlBlocks()
    md = markdown.Markdown(extensions=[fast])
    fast.expect_generated()
    assert md.convert(text) == markdown.Markdown().convert(text)
    assert md.htmlStash.html_counter == 1  # the table, stored whole
    assert fast.generated_next is False
    md.reset()
    md.convert(text)  # not announced: Markdown's own HTML parser stores the block
    assert md.htmlStash.html_counter == 1


# Lines that would change how a page splits into blocks if entry text kept its line breaks.
TRICKY_LINES = [
    "", "", "   ", "# Heading", "## Heading", "#no space", "```", "~~~", "    indented code", "\tTabbed", "<div>", "</div>",
    "</table>", "<table>", "<!--", "-->", "- item", "1. item", "> quote", "| a | b |", "|---|---|", "***", "<p>", "</p>",
    "!!! note", "text with <b>tags</b>", "&amp; &#10; &lt;", "[link](https://example.org/)", "*emphasis*", "Plain words.",
]
MULTILINE = st.lists(st.sampled_from(TRICKY_LINES), min_size=1, max_size=12).map("\n".join).filter(lambda s: s.strip())
PARAGRAPH = st.lists(st.sampled_from([line for line in TRICKY_LINES if line.strip()]), min_size=1, max_size=6).map("\n".join)
ONE_LINE = st.lists(st.sampled_from([line.strip() for line in TRICKY_LINES if line.strip()]), min_size=1, max_size=6).map(" ".join)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def base_entries(tmp_path_factory) -> Path:
    return write_tree(tmp_path_factory.mktemp("raw-html") / "entries", BASE_ATLAS)


@FUZZ
@given(description=MULTILINE, note=PARAGRAPH, evidence=MULTILINE, event=ONE_LINE, finding=MULTILINE, title=ONE_LINE)
def test_multi_line_entry_text_converts_the_same(base_entries: Path, description, note, evidence, event, finding, title):
    forum = yaml.safe_load(BASE_ATLAS["forums/alpha-forum.yaml"]) | {"id": "fuzz", "name": "Fuzz Forum"}
    forum["description"] = description
    forum["addresses"] = [{"gap": "dialogue", "level": "partial", "basis": "named", "evidence": evidence, "note": note, "source": "https://example.org/fuzz"}]
    forum["history"] = [{"date": "2020", "event": event}]
    forum["fact_checks"] = [{"claim": "A claim", "finding": finding}]
    forum["sources"] = [{"title": title, "url": "https://example.org/fuzz"}]
    path = base_entries / "forums" / "fuzz.yaml"
    path.write_text(yaml.safe_dump(forum, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        result = validate_folder(base_entries)
    finally:
        path.unlink()
    assert not result.errors, result.errors
    pages = render_pages(link_atlas(result.entries))
    shown = {p: page for p, page in pages.items() if p in ("forums/fuzz.md", "gaps/dialogue.md", "sources.md")}
    assert len(shown) == 3
    for page in shown.values():
        blocks = [b for b in page.markdown.split("\n\n") if b.strip()]
        assert all(not b.startswith((" ", "\t")) for b in blocks), page.path
    assert_same_html(shown)
