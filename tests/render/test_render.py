"""Rendering: the golden pages, and entry text that tries to be a template, markup or table syntax.

The golden pages are one entry of each kind and the pathway matrix of tests/fixtures/small,
and a gap's own coverage page from tests/fixtures/crowded (rendered with small limits, so the
gap's claims do not all fit on its page). Set ATLAS_UPDATE_GOLDEN=1 to rewrite
tests/golden/*.md from the current output (then read the diff before committing it).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import markdown
import pytest
from conftest import HOSTILE, REPO_ROOT
from html_helpers import counted, dangerous_markup, parse

from generator import settings
from generator.pdf.markdown_config import site_markdown
from generator.pipeline import build_atlas
from generator.render.page import Limits, Page
from generator.render.pages import render_pages

GOLDEN = REPO_ROOT / "tests" / "golden"
# The Markdown extensions mkdocs.yml enables, with their options: used to see the pages as MkDocs will.
_NAMES, _OPTIONS = site_markdown(REPO_ROOT / "mkdocs.yml")
SITE_EXTENSIONS = [markdown.Markdown().build_extension(name, _OPTIONS.get(name, {})) for name in _NAMES]


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch):
    """The edition date is the latest review in the atlas unless SOURCE_DATE_EPOCH says otherwise."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


CROWDED = REPO_ROOT / "tests" / "fixtures" / "crowded"
# Three claims on one gap, two of them partial: one claim per level on the gap's page sends
# readers to its coverage pages, two claims a page.
CROWDED_LIMITS = Limits(claims_per_level=1, matrix_rows=2)


def render_without_epoch(entries: Path, limits: Limits | None = None) -> dict[str, Page]:
    """The pages of ``entries``, their edition date the latest review (whatever SOURCE_DATE_EPOCH says)."""
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    settings.current.cache_clear()
    try:
        return render_pages(build_atlas(entries), limits=limits or Limits())
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
        settings.current.cache_clear()


@pytest.fixture(scope="module")
def small_pages(small_fixture) -> dict[str, Page]:
    return render_without_epoch(small_fixture)


@pytest.fixture(scope="module")
def crowded_pages() -> dict[str, Page]:
    return render_without_epoch(CROWDED, CROWDED_LIMITS)


@pytest.fixture
def hostile_pages(make_entries) -> dict[str, Page]:
    return render_pages(build_atlas(make_entries(HOSTILE)))


# --- golden -------------------------------------------------------------------------


GOLDEN_PAGES = [  # (golden file, the rendering it comes from, docs path)
    ("alpha-forum.md", "small_pages", "forums/alpha-forum.md"),
    ("dialogue.md", "small_pages", "gaps/dialogue.md"),
    ("gamma-guidelines.md", "small_pages", "initiatives/gamma-guidelines.md"),
    ("universal.md", "small_pages", "pathways/universal.md"),
    ("coverage-pathways.md", "small_pages", "coverage/pathways.md"),
    ("coverage-gaps-dialogue.md", "crowded_pages", "coverage/gaps/dialogue.md"),
    ("timeline.md", "small_pages", "timeline.md"),
]


@pytest.mark.parametrize(("golden_name", "rendering", "path"), GOLDEN_PAGES, ids=[g[0] for g in GOLDEN_PAGES])
def test_golden_page(request: pytest.FixtureRequest, golden_name: str, rendering: str, path: str) -> None:
    pages: dict[str, Page] = request.getfixturevalue(rendering)
    actual = pages[path].markdown
    golden = GOLDEN / golden_name
    if os.environ.get("ATLAS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"tests/golden/{golden_name}", path))
        pytest.fail(
            f"{path} differs from tests/golden/{golden_name}. If the change is meant, rerun with "
            f"ATLAS_UPDATE_GOLDEN=1 to rewrite the golden files, and read their diff before committing it.\n{diff}",
            pytrace=False,
        )


def test_crowded_gap_sends_readers_to_its_coverage_pages(crowded_pages):
    gap_page = crowded_pages["gaps/dialogue.md"].markdown
    assert '<a href="../../coverage/gaps/dialogue/">' in gap_page
    assert [p for p in crowded_pages if p.startswith("coverage/gaps/")] == ["coverage/gaps/dialogue.md", "coverage/gaps/dialogue/2.md"]
    assert crowded_pages["coverage/gaps/dialogue/2.md"].title == "Who addresses Dialogue gap (page 2 of 2)"


def test_page_metadata(small_pages):
    page = small_pages["forums/alpha-forum.md"]
    assert (page.path, page.title, page.entry.id) == ("forums/alpha-forum.md", "Alpha Forum (ALF)", "alpha-forum")
    assert small_pages["forums/index.md"].entry is None
    assert small_pages["forums/index.md"].title == "Forums"


def test_every_entry_and_index_page_is_rendered(small_pages):
    expected = {
        "forums/alpha-forum.md", "forums/beta-coalition.md", "gaps/dialogue.md", "gaps/orphan.md",
        "initiatives/delta-programme.md", "initiatives/gamma-guidelines.md", "pathways/coalitions.md",
        "pathways/universal.md", "forums/index.md", "gaps/index.md", "initiatives/index.md", "pathways/index.md",
        "coverage/index.md", "coverage/pathways.md", "coverage/matrix.md", "sources.md",
    }
    assert expected <= set(small_pages)
    assert list(small_pages) == sorted(small_pages)


def test_rendering_is_deterministic(small_fixture, small_pages):
    again = render_pages(build_atlas(small_fixture))
    assert {p: page.markdown for p, page in again.items()} == {p: page.markdown for p, page in small_pages.items()}


# --- freshness and levels: words, not colour alone ------------------------------------


def test_freshness_is_said_in_words(small_pages):
    # The edition is the latest review (2026-01-15): 593 days is "review due", 1096 days "stale".
    assert "reviewed 2026-01-15 (current)</span>" in small_pages["forums/alpha-forum.md"].markdown
    assert "reviewed 2024-06-01 (review due)</span>" in small_pages["forums/beta-coalition.md"].markdown
    assert (
        'title="last reviewed 1096 days before this edition; its facts may be out of date">reviewed 2023-01-15 (stale)</span>'
        in small_pages["gaps/orphan.md"].markdown
    )


def test_source_date_epoch_sets_the_edition(small_fixture, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1831766400")  # 2028-01-17: alpha-forum is 732 days old
    pages = render_pages(build_atlas(small_fixture))
    assert "reviewed 2026-01-15 (stale)</span>" in pages["forums/alpha-forum.md"].markdown


def test_levels_are_shown_with_words_not_colour_alone(small_pages):
    seen = set()
    for path, page in small_pages.items():
        for level in parse(markdown.markdown(page.markdown, extensions=SITE_EXTENSIONS)).levels:
            seen.add(level.level)
            if level.level == "none":
                assert "none" in level.spoken, (path, level)
            else:
                assert level.level in level.visible.split(), (path, level)
    assert seen == {"strong", "partial", "emerging", "none"}


def test_uncovered_gap_is_flagged_in_words(small_pages):
    assert (
        '<p class="atlas-uncovered"><strong>Uncovered:</strong> no forum or initiative in the atlas claims to address this gap.</p>'
        in small_pages["gaps/orphan.md"].markdown
    )
    rows = {r[0]: r for t in parse(small_pages["gaps/index.md"].markdown).tables for r in t.rows}
    assert rows["Orphan gap"][-1] == "0 — uncovered"
    assert rows["Dialogue gap"][-1] == counted(2, 1)
    summary = {r[0]: r for t in parse(small_pages["coverage/index.md"].markdown).tables for r in t.rows}
    assert summary["Gap"] == ["Gap", "Strong", "Partial", "Emerging", "Total"]
    assert summary["Dialogue gap"] == ["Dialogue gap", counted(1), counted(1), counted(0, 1), counted(2, 1)]
    assert summary["Orphan gap"] == ["Orphan gap", "0", "0", "0", "0 — uncovered"]


def test_data_tables_are_html_not_markdown(small_pages):
    for path, page in small_pages.items():
        pipe_rows = [line for line in page.markdown.splitlines() if re.match(r"^\s*\|.*\|\s*$", line)]
        assert pipe_rows == [], path


# --- entry text is data ---------------------------------------------------------------


def test_entry_text_is_data_not_template(hostile_pages):
    md = hostile_pages["forums/evil.md"].markdown
    assert "Typed {{ 7*7 }} and {% raw %}x{% endraw %} and {# c #}." in md
    assert "Text {{ config }} " in md
    assert "49" not in re.sub(r"<svg\b.*?</svg>", "", md)  # (the relations graph's coordinates are numbers)


def test_raw_html_and_script_links_are_neutralised(hostile_pages):
    for path in ("forums/evil.md", "gaps/dialogue.md", "forums/index.md", "sources.md"):
        html = markdown.markdown(hostile_pages[path].markdown, extensions=SITE_EXTENSIONS)
        assert dangerous_markup(html) == [], path
    text = parse(hostile_pages["forums/evil.md"].markdown).text
    # Shown as typed, not run.
    for typed in (
        "<script>alert('summary')</script>",
        "<img src=x onerror=alert('img')>",
        '<iframe src="https://evil.example/"></iframe>',
        '<a href="javascript:alert(3)">raw</a>',
        "<img src=x onerror=alert(4)>",
        "<script>alert('code')</script>",
        "and a newline <script>alert('note')</script>",
        "<script>alert('evidence')</script>",
        "Founded | <script>alert('history')</script>",
        "<script>alert('source')</script>",
    ):
        assert typed in text, typed


def test_only_web_and_mail_links_survive(hostile_pages):
    tags = parse(hostile_pages["forums/evil.md"].markdown).tags
    external = sorted({t.attrs["href"] for t in tags if t.name == "a" and t.attrs.get("href", "").startswith(("http", "mailto"))})
    assert external == ["https://example.org/a?b=1&c=<2>", "https://example.org/ok", "mailto:a@example.org"]
    # The javascript: links keep their text and lose their address.
    js = [t for t in tags if t.name == "a" and "href" not in t.attrs]
    assert len(js) == 3  # [js](javascript:...) in the summary, the description and the claim's note
    gap_tags = parse(hostile_pages["gaps/dialogue.md"].markdown).tags
    assert not [t for t in gap_tags if t.name == "a" and "javascript" in t.attrs.get("href", "")]


def test_name_with_markup_gives_an_escaped_title(hostile_pages):
    page = hostile_pages["forums/evil.md"]
    assert page.title == (
        "Evil &lt;/title&gt;&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Forum (&lt;b&gt;EV&lt;/b&gt;)"
    )
    assert page.markdown.startswith(
        '<h1 id="evil">Evil &lt;/title&gt;&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Forum '
        "<small>(&lt;b&gt;EV&lt;/b&gt;)</small></h1>\n"
    )


def test_pipe_and_newline_cannot_break_tables(hostile_pages):
    html = markdown.markdown(hostile_pages["forums/evil.md"].markdown, extensions=SITE_EXTENSIONS)
    tables = parse(html).tables
    claims = next(t for t in tables if t.rows and t.rows[0] == ["Gap", "Level", "Basis", "Why this level", "Evidence"])
    assert len(claims.rows) == 2
    row = claims.rows[1]
    assert len(row) == 5
    assert row[2] == "◆ named"
    assert row[3] == "A note with a | pipe\nand a newline <script>alert('note')</script> js"
    assert row[4] == "Evidence | with pipe\n\n# not a heading\n\n<script>alert('evidence')</script> [1]"  # and its source
    facts = next(t for t in tables if "atlas-facts" in t.cls)
    assert ["Seat", ": Pipe | seat [1]"] in facts.rows  # after the hidden ": " of search snippets; and the source that supports it
    history = next(t for t in tables if t.rows and t.rows[0] == ["Date", "Event"])
    assert history.rows[1] == ["2020", "Founded | <script>alert('history')</script>"]
    # The gap page shows the same claim in its own table, whole.
    gap_tables = parse(markdown.markdown(hostile_pages["gaps/dialogue.md"].markdown, extensions=SITE_EXTENSIONS)).tables
    evil_rows = [r for t in gap_tables for r in t.rows if r and r[0].startswith("Evil")]
    assert len(evil_rows) == 1 and len(evil_rows[0]) == 5  # who, basis, pathway, why, evidence
    # Markdown table syntax in a description stays text.
    assert not [t for t in tables if t.rows and t.rows[0] == ["a", "b"]]


def test_hostile_text_does_not_leak_into_headings(hostile_pages):
    html = markdown.markdown(hostile_pages["forums/evil.md"].markdown, extensions=SITE_EXTENSIONS)
    headings = [t for t in parse(html).tags if t.name in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert [(t.name, t.attrs.get("id")) for t in headings] == [
        ("h1", "evil"), ("h2", "description"), ("h2", "gaps-addressed"), ("h2", "relations"), ("h2", "history"), ("h2", "sources"), ("h2", "cite-this-entry"),
    ]
