"""The facets of the index tables, as the built pages carry them: each row's values as data attributes,
each facet a labelled select whose options count the rows of the page, sort keys on the cells, the
controls hidden until the script shows them, and entry text escaped wherever it lands."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL, forum_x
from html_helpers import dangerous_markup, parse
from markupsafe import Markup

from generator import settings
from generator.pipeline import build_atlas
from generator.render.list_pages import actor_table
from generator.render.page import Limits
from generator.render.pages import render_pages
from generator.render.table_facets import token

HOSTILE_VALID = REPO_ROOT / "tests" / "fixtures" / "hostile" / "valid"
TOKEN = re.compile(r"[\w.:-]+")  # what a facet token may hold: no space, quote or markup


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch):
    """The edition date is the latest review in the atlas."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()


def pages_of(entries: Path, limits: Limits | None = None):
    return render_pages(build_atlas(entries), limits=limits or Limits())


def box_of(markdown: str) -> str:
    """The HTML of the first filterable table of a page: its controls and its table."""
    start = markdown.index('<div class="atlas-facet-table"')
    return markdown[start : markdown.index("</table>", start)]


def facet_rows(markdown: str) -> list[dict[str, list[str]]]:
    """Each body row's facet tokens, by facet key."""
    rows = []
    for tag in parse(box_of(markdown)).tags:
        if tag.name == "tr" and any(k.startswith("data-facet-") for k in tag.attrs):
            rows.append({k.removeprefix("data-facet-"): v.split(" ") for k, v in tag.attrs.items() if k.startswith("data-facet-")})
    return rows


def options(markdown: str) -> dict[str, list[tuple[str, str]]]:
    """Each facet of the controls by its key: (value, text) of its values, in order (the script makes them a select's options)."""
    html = box_of(markdown).split("</fieldset>", 1)[0]
    found: dict[str, list[tuple[str, str]]] = {}
    for facet, body in re.findall(r'<div class="atlas-facet" data-facet="([^"]+)"[^>]*>(.*?)</div>', html):
        found[facet] = [(v, parse(text).text) for v, text in re.findall(r'<li data-value="([^"]*)">(.*?)</li>', body)]
    return found


@pytest.fixture(scope="module")
def small_pages():
    settings.current.cache_clear()
    return pages_of(SMALL)


def test_each_forum_row_carries_its_facets(small_pages):
    rows = facet_rows(small_pages["forums/index.md"].markdown)
    assert rows == [
        {"pathway": ["universal"], "type": ["_none"], "topic": ["_none"], "gap": ["dialogue", "dialogue:partial"], "basis": ["named"],
         "freshness": ["current"]},
        {"pathway": ["coalitions"], "type": ["_none"], "topic": ["_none"], "gap": ["dialogue", "dialogue:emerging"], "basis": ["category"],
         "freshness": ["due"]},  # last reviewed 2024-06-01, 593 days before the edition (2026-01-15)
    ]


def test_initiatives_have_a_status_facet_and_rows_without_claims_say_so(small_pages):
    rows = facet_rows(small_pages["initiatives/index.md"].markdown)
    statuses = [r["status"] for r in rows]
    assert statuses == [["ongoing"], ["adopted"]]  # Delta Programme, Gamma Guidelines (by name)
    status = options(small_pages["initiatives/index.md"].markdown)["status"]
    assert status == [("", "All (2)"), ("adopted", "Adopted (1)"), ("ongoing", "Ongoing (1)")]  # in the order of their life
    delta, gamma = rows
    assert (delta["gap"], delta["basis"], delta["pathway"]) == (["_none"], ["_none"], ["_none"])  # it only illustrates a gap
    assert (gamma["gap"], gamma["basis"]) == (["dialogue", "dialogue:strong"], ["named"])


def test_each_option_counts_the_rows_that_carry_it(small_pages):
    for path in ("forums/index.md", "initiatives/index.md", "sources.md", "gaps/index.md", "pathways/index.md"):
        markdown = small_pages[path].markdown
        rows = facet_rows(markdown)
        for facet, choices in options(markdown).items():
            counts = Counter(t for row in rows for t in set(row[facet]))
            assert choices[0] == ("", f"All ({len(rows)})"), (path, facet)
            for value, text in choices[1:]:
                assert counts[value] and text.endswith(f" ({counts[value]})"), (path, facet, value, text)
            assert {v for v, _ in choices[1:]} == set(counts), (path, facet)  # no value left out, none with no row


def test_options_name_their_values(small_pages):
    forums = options(small_pages["forums/index.md"].markdown)
    assert forums["pathway"] == [("", "All (2)"), ("coalitions", "Coalitions (1)"), ("universal", "Universal forums (1)")]
    assert forums["gap"] == [
        ("", "All (2)"), ("dialogue", "Dialogue gap: any level (2)"), ("dialogue:partial", "Dialogue gap: partial (1)"),
        ("dialogue:emerging", "Dialogue gap: emerging (1)"),
    ]
    assert forums["basis"] == [("", "All (2)"), ("named", "Named (1)"), ("category", "By category (1)")]

    assert forums["freshness"] == [("", "All (2)"), ("current", "Reviewed within a year (current) (1)"),
                                   ("due", "Reviewed 1 to 2 years before (review due) (1)")]


def test_facets_follow_the_fields_of_each_kind(small_pages):
    assert list(options(small_pages["forums/index.md"].markdown)) == ["pathway", "type", "topic", "gap", "basis", "freshness"]
    assert list(options(small_pages["initiatives/index.md"].markdown)) == ["pathway", "type", "status", "topic", "gap", "basis", "freshness"]
    assert list(options(small_pages["gaps/index.md"].markdown)) == ["freshness"]
    assert list(options(small_pages["sources.md"].markdown)) == ["site", "cited-by", "accessed"]


def test_each_facet_names_its_control_and_the_count_is_a_live_region(small_pages):
    html = box_of(small_pages["forums/index.md"].markdown)
    facets = re.findall(r'<div class="atlas-facet" data-facet="([^"]+)" data-control="([^"]+)"><span class="atlas-facet-name">([^<]+)</span>', html)
    assert [(key, control) for key, control, _ in facets] == [(key, f"forums-{key}") for key in options(small_pages["forums/index.md"].markdown)]
    assert [name for *_, name in facets] == ["Pathway", "Type", "Topic", "Gap and level", "Basis of claims", "Last reviewed"]
    live = [t for t in parse(html).tags if t.attrs.get("aria-live") == "polite"]
    assert len(live) == 1 and "2 of 2 forums shown" in html
    assert 'data-table="forums" data-noun="forums"' in html


def test_without_the_script_no_control_exists_and_every_row_is_there(small_pages):
    markdown = small_pages["forums/index.md"].markdown
    html = box_of(markdown)
    assert re.search(r'<fieldset class="atlas-facets" hidden>', html) and html.count("<fieldset") == 1
    assert not re.search(r"<(button|select|option|input)", html)  # the script makes every control
    assert len(facet_rows(markdown)) == 2 and " hidden" not in html.split("</fieldset>", 1)[1]


def test_cells_carry_sort_keys_where_their_text_would_sort_wrongly(small_pages):
    markdown = small_pages["forums/index.md"].markdown
    box = box_of(markdown)
    assert 'data-columns="name acronym pathway established seat gaps-addressed"' in box and 'data-sorted="name"' in box
    assert '<td data-label="Established" data-sort="000001959">1959</td>' in box
    assert '<td data-label="Name">' in box  # names sort by their text: entry text stays out of attributes
    assert '<td data-label="Gaps addressed" data-sort="000000001">' in box
    initiatives = box_of(small_pages["initiatives/index.md"].markdown)
    assert '<td data-label="Status" data-sort="1">adopted</td>' in initiatives  # proposed (0), adopted (1), … in order of life
    assert 'data-columns="source cited-by" data-sorted="source"' in box_of(small_pages["sources.md"].markdown)


def test_freshness_is_counted_from_the_edition_not_the_clock(make_entries):
    old = forum_x("").replace("last_reviewed: 2026-01-15", "last_reviewed: 2023-01-01")
    entries = make_entries({"forums/x.yaml": old})
    rows = {tuple(r["pathway"]): r["freshness"] for r in facet_rows(pages_of(entries)["forums/index.md"].markdown)}
    assert sorted(rows.values()) == [["current"], ["stale"]]


def test_sources_facets_name_the_site_the_citing_kinds_and_when_read(small_pages):
    markdown = small_pages["sources.md"].markdown
    rows = facet_rows(markdown)
    sites = options(markdown)["site"]
    assert ("example.org", f"example.org ({sum(r['site'] == ['example.org'] for r in rows)})") in sites
    assert {v for r in rows for v in r["cited-by"]} <= {"forum", "gap", "initiative", "pathway", "topic"}
    assert {v for r in rows for v in r["accessed"]} <= {"current", "due", "stale", "_none"}
    assert ["_none"] in [r["accessed"] for r in rows]  # a source with no accessed date


def test_a_split_index_says_its_filters_act_on_the_page_shown(small_fixture):
    settings.current.cache_clear()
    pages = pages_of(small_fixture, Limits(index_rows=1))
    first, second = pages["forums/index.md"].markdown, pages["forums/index/2.md"].markdown
    for markdown, number in ((first, 1), (second, 2)):
        assert "the filters, their counts and the sort act on the 1 forums of this page" in markdown
        assert f"(page {number})" in markdown and "1 of 1 forums shown" in markdown
        assert len(facet_rows(markdown)) == 1
    assert "act on the" not in pages_of(small_fixture)["forums/index.md"].markdown


def test_topic_tags_become_a_facet(make_entries):
    topic = """\
        id: debris
        kind: topic
        name: Space debris
        synonyms: [space junk]
        summary: Objects in orbit that no longer serve a purpose.
        sources:
          - title: Example brief
            url: https://example.org/brief
        last_reviewed: 2026-01-15
        """
    tag = "topics:\n  - topic: debris\n    evidence: \"Debris.\"\n    source: https://example.org/brief\n"
    entries = make_entries({"topics/debris.yaml": topic, "forums/x.yaml": forum_x(tag)})
    markdown = pages_of(entries)["forums/index.md"].markdown
    assert sorted(r["topic"] for r in facet_rows(markdown)) == [["_none"], ["debris"]]
    assert ("debris", "Space debris (1)") in options(markdown)["topic"]


def test_actor_table_lists_a_topics_forums_and_initiatives_with_their_facets(small_fixture):
    atlas = build_atlas(small_fixture)
    entries = atlas.actors
    evidence = ("Evidence", lambda e: Markup("<q>{}</q>").format(e.summary))
    html = str(actor_table(atlas, "topics/debris.md", entries, directory_urls=True, extra=[evidence], name="debris"))
    assert list(options(html)) == ["kind", "pathway", "status", "gap", "basis"]
    assert options(html)["kind"] == [("", "All (4)"), ("forum", "Forums (2)"), ("initiative", "Initiatives (2)")]
    table = parse(html).tables[0]
    assert table.rows[0] == ["Name", "Kind", "Pathway", "Status", "Evidence", "Gaps addressed"]
    assert [r[1] for r in table.rows[1:]] == ["forum", "forum", "initiative", "initiative"]
    assert 'href="../../forums/alpha-forum/"' in html and 'data-control="debris-kind"' in html
    assert 'data-columns="name kind pathway status evidence gaps-addressed"' in html
    assert "\n\n" not in html and html.endswith("</div>\n")  # one raw HTML block, a line per row


def test_hostile_entry_text_is_escaped_and_kept_out_of_attributes():
    settings.current.cache_clear()
    pages = pages_of(HOSTILE_VALID)
    for path in ("forums/index.md", "initiatives/index.md", "gaps/index.md", "pathways/index.md", "sources.md"):
        html = box_of(pages[path].markdown)
        assert dangerous_markup(html) == [], path
        for tag in parse(html).tags:
            for name, value in tag.attrs.items():
                if name.startswith("data-facet-"):
                    assert all(TOKEN.fullmatch(t) for t in value.split(" ")), (path, name, value)
            if tag.name == "li" and "data-value" in tag.attrs:
                assert TOKEN.fullmatch(tag.attrs["data-value"]) or tag.attrs["data-value"] == "", (path, tag.attrs)
            if tag.name != "a":  # links keep their address, escaped
                assert not any("XSSMARK" in v for v in tag.attrs.values()), (path, tag)  # entry text stays out of attributes
    forums = pages["forums/index.md"].markdown
    slug = "object-data-javascript-alert-xssmark-object-embed-src-javascript-alert-xssmark"
    assert f'<li data-value="{slug}">&lt;object data=&#34;javascript' in box_of(forums)  # the type: a slug, and its text escaped


@pytest.mark.parametrize(
    ("text", "expected"),
    [("UN specialized agency", "un-specialized-agency"), ("Think tank (German civil-law foundation)", "think-tank-german-civil-law-foundation"),
     ("مسار", "مسار"), ('"><script>', "script"), ("_under_", "under")],
)
def test_tokens_are_slugs(text, expected):
    assert token(text) == expected


def test_a_text_without_letters_gets_a_stable_token():
    assert token("—!?") == token("—!?") != token("…") and TOKEN.fullmatch(token("—!?")) and not token("—!?").startswith("_")


def test_the_print_shows_no_control(small_fixture, tmp_path):
    """The PDF prints the index tables in full; the controls, hidden until the script shows them, are not in it."""
    from pypdf import PdfReader

    out = tmp_path / "atlas.pdf"
    command = [sys.executable, "-m", "generator", "pdf", "--entries", str(small_fixture), "--content", str(REPO_ROOT / "content"), "--out", str(out)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Alpha Forum" in text and "Beta Coalition" in text
    for words in ("Filter and sort", "Reviewed within a year", "forums shown", "Sort by", "All ("):
        assert words not in text


def test_the_sorting_library_is_vendored_with_its_licence_and_version():
    vendor = REPO_ROOT / "content" / "assets" / "vendor" / "tablesort"
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("Copyright (c) Tristen Brown")
    assert re.match(r"/\*!\n \* tablesort v5\.7\.1 ", (vendor / "tablesort.min.js").read_text(encoding="utf-8"))
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    scripts = config.split("extra_javascript:", 1)[1].split("\n\n", 1)[0]
    assert scripts.index("assets/vendor/tablesort/tablesort.min.js") < scripts.index("assets/atlas-filters.js")  # the library first
    assert "assets/atlas-filters.css" in config.split("extra_css:", 1)[1].split("\n\n", 1)[0]
