"""The built site: ``ATLAS_ENTRIES=DIR mkdocs build --strict`` of the small fixture, the shipped entries,
and hostile entry text; and an invalid build that must leave the previous site as it was.

Each site is built once per module into a tmp_path_factory folder.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import HOSTILE, REPO_ROOT, SITE_URL, SMALL, forum_x, project_config, write_entries
from html_helpers import article, counted, dangerous_markup, parse

from generator.link.atlas import Atlas
from generator.pipeline import build_atlas

EDIT_BASE = "https://github.com/space-governance-atlas/atlas/edit/main/"
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: error: .+$")


def mkdocs_build(entries: Path, site_dir: Path, config: Path | None = None, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES", "SOURCE_DATE_EPOCH")}
    env.update(ATLAS_ENTRIES=str(entries), NO_MKDOCS_2_WARNING="1", **extra_env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir), *(["-f", str(config)] if config else [])],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_check(entries: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_ENTRIES"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--entries", str(entries)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@dataclass
class Site:
    name: str
    entries: Path
    root: Path
    result: subprocess.CompletedProcess[str]
    atlas: Atlas

    def html(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def _build(name: str, entries: Path, tmp_path_factory, config: Path | None = None, **extra_env: str) -> Site:
    site_dir = tmp_path_factory.mktemp(f"site-{name}") / "site"
    result = mkdocs_build(entries, site_dir, config, **extra_env)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(name, entries, site_dir, result, build_atlas(entries, REPO_ROOT / "content"))


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Site:
    return _build("small", SMALL, tmp_path_factory)


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Site:
    entries = REPO_ROOT / "entries"
    check = run_check(entries)
    if check.returncode != 0:
        first = "\n".join(check.stdout.splitlines()[:5])
        pytest.skip(f"`python -m generator check` fails on the shipped entries (being written concurrently):\n{first}")
    return _build("shipped", entries, tmp_path_factory)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    entries = write_entries(tmp_path_factory.mktemp("hostile") / "entries", HOSTILE)
    return _build("hostile", entries, tmp_path_factory)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Site:
    """A synthetic atlas of 320 entries with small page limits: every long list is split over pages."""
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    from make_atlas import write_atlas

    entries = tmp_path_factory.mktemp("paged") / "entries"
    write_atlas(320, entries, seed=7)
    limits = {"index_rows": 40, "matrix_rows": 30, "claims_per_level": 4, "members_shown": 10, "names_per_cell": 3, "timeline_events": 60}
    config = project_config(tmp_path_factory.mktemp("paged-project"), downloads=False, page_limits=limits)
    return _build("paged", entries, tmp_path_factory, config)


@pytest.fixture(scope="module", params=["small", "shipped", "hostile", "paged"])
def site(request) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


# --- helpers ------------------------------------------------------------------------

SKIP_SCHEMES = ("http://", "https://", "mailto:")
SITE_PATH = urlsplit(SITE_URL).path


def internal_targets(site: Site, page: Path) -> list[tuple[str, str, str]]:
    """(tag, href, resolved site path + '#fragment') for every internal link and asset of a page."""
    rel_page = page.relative_to(site.root).as_posix()
    base = posixpath.dirname(rel_page)
    found = []
    for tag in parse(page.read_text(encoding="utf-8")).tags:
        attr = "href" if tag.name in ("a", "link") else "src" if tag.name in ("script", "img", "iframe", "source") else None
        if attr is None or attr not in tag.attrs:
            continue
        href = tag.attrs[attr]
        if href.startswith(SKIP_SCHEMES) or href.startswith("//"):
            continue
        parts = urlsplit(href)
        if parts.scheme:
            found.append((tag.name, href, f"!unexpected scheme {parts.scheme}"))
            continue
        if parts.path:
            # A path starting with / is taken from the site's root, under the path of its site_url (MkDocs writes these in 404.html).
            path = parts.path.removeprefix(SITE_PATH) if parts.path.startswith(SITE_PATH) else parts.path
            target = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
            if href.split("#")[0].split("?")[0].endswith("/") or (site.root / target).is_dir():
                target = posixpath.join(target, "index.html")
        else:
            target = rel_page
        found.append((tag.name, href, f"{target}#{parts.fragment}" if parts.fragment else target))
    return found


_ids_cache: dict[Path, set[str]] = {}


def ids_of(path: Path) -> set[str]:
    if path not in _ids_cache:
        _ids_cache[path] = parse(path.read_text(encoding="utf-8")).ids
    return _ids_cache[path]


# --- every site ---------------------------------------------------------------------


def test_build_passes_strict_without_warnings(site):
    assert site.result.returncode == 0
    assert not [line for line in site.result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]


def test_every_entry_has_its_page_with_its_name(site):
    assert site.atlas.entries
    for entry in site.atlas.entries.values():
        page = site.root / f"{entry.kind}s" / entry.id / "index.html"
        assert page.is_file(), page
        content = parse(article(page.read_text(encoding="utf-8")))
        assert entry.name in content.text, entry.id
        assert [t for t in content.tags if t.name == "h1" and t.attrs.get("id") == entry.id], entry.id


def test_kind_index_pages_list_every_entry(site):
    for kind, entries in site.atlas.by_kind.items():
        indexes = [site.root / f"{kind}s" / "index.html", *sorted((site.root / f"{kind}s" / "index").glob("*/index.html"))]
        linked = {target for index in indexes for _, _, target in internal_targets(site, index)}
        missing = [e.id for e in entries if f"{kind}s/{e.id}/index.html" not in linked]
        assert missing == [], kind


def test_coverage_pages_exist(site):
    for rel in ("coverage/index.html", "coverage/pathways/index.html", "coverage/matrix/index.html", "sources/index.html"):
        html = site.html(rel)
        assert "<h1" in article(html), rel


def test_every_internal_link_resolves(site):
    broken = []
    for page in site.pages():
        for tag, href, target in internal_targets(site, page):
            path, _, fragment = target.partition("#")
            rel = page.relative_to(site.root).as_posix()
            if path.startswith("!") or path.startswith("..") or not (site.root / path).is_file():
                broken.append(f"{rel}: <{tag}> {href} -> {path}")
            elif fragment and path.endswith(".html") and fragment not in ids_of(site.root / path):
                broken.append(f"{rel}: <{tag}> {href} -> no id {fragment!r} in {path}")
    assert broken == []


def test_no_third_party_assets(site):
    offenders = []
    for page in site.pages():
        rel = page.relative_to(site.root).as_posix()
        html = page.read_text(encoding="utf-8")
        for tag in parse(html).tags:
            for attr in ("src", "href"):
                value = tag.attrs.get(attr, "")
                canonical = tag.name == "link" and tag.attrs.get("rel") == "canonical" and value.startswith(SITE_URL)  # names the page, loads nothing
                if tag.name in ("script", "link", "img", "iframe", "source", "video", "audio", "embed", "object") and (
                    value.startswith(("http://", "https://", "//"))
                ) and not canonical:
                    offenders.append(f"{rel}: <{tag.name} {attr}={value}>")
        offenders += [f"{rel}: {m}" for m in re.findall(r"@import[^;]*(?:https?:)?//[^;]*", html)]
    for css in site.root.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{css.name}: {m}" for m in re.findall(r"@import[^;]*(?:https?:)?//[^;]*|url\(\s*['\"]?(?:https?:)?//[^)]*\)", text)]
    assert offenders == []


def test_search_index_holds_no_markup_from_entries(site):
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            assert not re.search(r"<(script|img|iframe)\b", doc[key], re.I), (doc["location"], key)


def test_search_indexes_each_entry_by_its_own_words(site):
    """An entry is found by its name, acronym, summary and description, not by the lists on its page."""
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    text_at: dict[str, str] = {}
    sections: set[str] = set()
    for doc in index["docs"]:
        page, _, section = doc["location"].partition("#")
        text_at[page] = text_at.get(page, "") + " " + doc["title"] + " " + doc["text"]
        sections.add(f"{page}#{section}")
    for entry in site.atlas.entries.values():
        page = f"{entry.kind}s/{entry.id}/"
        assert entry.name.split()[0] in html.unescape(text_at.get(page, "")), entry.id
        assert not {f"{page}#sources", f"{page}#related-entries", f"{page}#gaps-addressed"} & sections, entry.id
        built = site.html(f"{page}index.html")
        assert 'id="source-1"' in built and 'id="sources"' in built, entry.id  # the page itself is whole
        assert "data-search-exclude" not in built, entry.id  # the search plugin takes the marks off once it has indexed the page
    for listing in ("sources/", "forums/"):
        assert listing in text_at and "Cited by" not in text_at[listing]


def test_search_labels_facts_and_leaves_out_contributor_pages(small_site):
    docs = json.loads(small_site.html("search/search_index.json"))["docs"]
    assert not [d["location"] for d in docs if d["location"].startswith(("fields/", "contributing/"))]
    assert (small_site.root / "fields" / "index.html").is_file() and (small_site.root / "contributing" / "index.html").is_file()
    text = " ".join(d["text"] for d in docs if d["location"].startswith("initiatives/gamma-guidelines/"))
    assert "Status: adopted" in text and "Statusadopted" not in text
    text = " ".join(d["text"] for d in docs if d["location"].startswith("forums/alpha-forum/"))
    assert "Website: https://alpha.example.org/" in text


# --- the small fixture --------------------------------------------------------------


def test_orphan_gap_is_flagged_uncovered(small_site):
    rows = {r[0]: r for t in parse(article(small_site.html("coverage/index.html"))).tables for r in t.rows}
    assert rows["Orphan gap"] == ["Orphan gap", "0", "0", "0", "0 — uncovered"]
    assert rows["Dialogue gap"] == ["Dialogue gap", counted(1), counted(1), counted(0, 1), counted(2, 1)]
    assert "Uncovered: no forum or initiative in the atlas claims to address this gap." in parse(
        article(small_site.html("gaps/orphan/index.html"))
    ).text
    matrix = parse(article(small_site.html("coverage/matrix/index.html"))).tables
    assert ["Claims per gap", counted(2, 1), "0 — uncovered"] in matrix[0].rows
    pathways = parse(article(small_site.html("coverage/pathways/index.html"))).tables[0].rows
    assert pathways[0] == ["Pathway", "Dialogue gap", "Orphan gap"]
    assert pathways[1:] == [
        # all claims, then (shown with "named claims only") the named ones: Beta Coalition's is by category
        ["Coalitions", "●○○ emerging\n0 named · 1 by category— none", "— none"],
        ["Universal forums", "●●● strong\n2 named", "— none"],
        ["No pathway", "— none", "— none"],
    ]


def test_home_page_counts_are_live(small_site):
    home = article(small_site.html("index.html"))
    counts = parse(home).tables[-1]
    assert counts.rows == [
        ["In the atlas", "Number"], ["Forums", "2"], ["Initiatives", "2"], ["Gaps", "2"], ["Pathways", "2"], ["Topics", "0"],
        ["Coverage claims", "3"], ["Named claims", "2"], ["Claims by category", "1"], ["Cases of a gap (not coverage)", "1"],
        ["Sources cited", "5"],
    ]
    # Each number opens the page of what it counts; the uncovered gap is a finding, by name.
    opened = {label: _title_of(small_site, href) for label, href in re.findall(r'<th scope="row">([^<]*)</th><td><a href="([^"]*)">', home)}
    assert opened == {
        "Forums": "Forums", "Initiatives": "Initiatives", "Gaps": "Gaps", "Pathways": "Pathways", "Topics": "Topics", "Coverage claims": "Coverage",
        "Named claims": "Coverage", "Claims by category": "Coverage", "Cases of a gap (not coverage)": "Gaps", "Sources cited": "Sources",
    }
    assert "1 gap has no coverage claim: Orphan gap." in parse(home).text
    assert '<a href="gaps/orphan/">Orphan gap</a>' in home


def _title_of(site: Site, href: str) -> str:
    """The first heading of the built page a link of the home page opens."""
    page = site.html(posixpath.join(href, "index.html") if href.endswith("/") else href)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", article(page), re.S)
    assert heading is not None, href
    return parse(heading.group(1)).text.replace("¶", "").strip()


def test_backlinks_on_the_built_page(small_site):
    text = parse(article(small_site.html("forums/alpha-forum/index.html"))).text
    assert "Gamma Guidelines initiative (lists it as related, led by it)" in text


def edit_links(html: str) -> list[str]:
    return [t.attrs["href"] for t in parse(html).tags if t.name == "a" and "/edit/" in t.attrs.get("href", "")]


def normalised(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=posixpath.normpath(parts.path)).geturl()


def test_edit_link_opens_the_entry_yaml_file(small_site):
    assert [normalised(u) for u in edit_links(small_site.html("forums/alpha-forum/index.html"))] == [
        EDIT_BASE + "tests/fixtures/small/forums/alpha-forum.yaml",
    ]
    assert [normalised(u) for u in edit_links(small_site.html("gaps/orphan/index.html"))] == [
        EDIT_BASE + "tests/fixtures/small/gaps/orphan.yaml",
    ]
    # Hand-written pages open their Markdown file; computed pages have no source to edit.
    assert [normalised(u) for u in edit_links(small_site.html("methodology/index.html"))] == [EDIT_BASE + "content/methodology.md"]
    assert edit_links(small_site.html("coverage/index.html")) == []


def test_edit_links_of_shipped_entries(shipped_site):
    for entry in shipped_site.atlas.entries.values():
        html = shipped_site.html(f"{entry.kind}s/{entry.id}/index.html")
        assert [normalised(u) for u in edit_links(html)] == [EDIT_BASE + f"entries/{entry.kind}s/{entry.id}.yaml"]


def test_builds_are_reproducible(small_site, tmp_path):
    again = tmp_path / "again"
    assert mkdocs_build(SMALL, again).returncode == 0
    first = {p.relative_to(small_site.root).as_posix(): p.read_bytes() for p in small_site.root.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# --- hostile entry text -------------------------------------------------------------


def test_hostile_text_is_shown_as_typed_and_runs_nothing(hostile_site):
    html = hostile_site.html("forums/evil/index.html")
    content = article(html)
    assert dangerous_markup(content) == []
    text = parse(content).text
    assert "Typed {{ 7*7 }} and {% raw %}x{% endraw %} and {# c #}." in text
    assert "<script>alert('summary')</script> <img src=x onerror=alert('img')>" in text
    assert "</title><script>" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert parse(title).text == "Evil </title><script>alert('name')</script> Forum (<b>EV</b>) - Space Governance Atlas"
    # The only scripts on the page are the theme's own and the site's, which mkdocs.yml names.
    scripts = [t.attrs.get("src", "inline") for t in parse(html).tags if t.name == "script"]
    site_scripts = {f"../../{path}" for path in yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra_javascript"]}
    assert site_scripts and all(src == "inline" or src.startswith("../../assets/javascripts/") or src in site_scripts for src in scripts)
    assert len([s for s in scripts if s == "inline"]) == len(re.findall(r"<script(?: id=\"__config\" type=\"application/json\")?>", html))


def test_hostile_text_cannot_break_tables(hostile_site):
    tables = parse(article(hostile_site.html("forums/evil/index.html"))).tables
    claims = next(t for t in tables if t.rows and t.rows[0] == ["Gap", "Level", "Basis", "Why this level", "Evidence"])
    assert [len(r) for r in claims.rows] == [5, 5]
    assert claims.rows[1][3] == "A note with a | pipe\nand a newline <script>alert('note')</script> js"
    gap_tables = parse(article(hostile_site.html("gaps/dialogue/index.html"))).tables
    rows = [r for t in gap_tables for r in t.rows if r and r[0].startswith("Evil")]
    assert [len(r) for r in rows] == [5]


def test_entries_outside_the_repository_have_no_edit_link(hostile_site):
    assert edit_links(hostile_site.html("forums/evil/index.html")) == []


# --- an invalid build ---------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_invalid_entries_stop_the_build_and_leave_the_previous_site(tmp_path):
    site_dir = tmp_path / "out" / "site"
    assert mkdocs_build(SMALL, site_dir).returncode == 0
    before = snapshot(site_dir)
    index_before = (site_dir / "index.html").read_bytes()

    bad = tmp_path / "bad-entries"
    shutil.copytree(SMALL, bad)
    write_entries(bad, {
        "forums/x.yaml": forum_x(replace={"summary:": "sumary:"}),
        "gaps/orphan.yaml": (SMALL / "gaps" / "orphan.yaml").read_text().replace("2023-01-15", "2023-02-30"),
    }, base={})
    result = mkdocs_build(bad, site_dir)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr

    check = run_check(bad)
    assert check.returncode == 1
    expected = check.stdout.splitlines()
    assert len(expected) == 2 and all(PROBLEM_LINE.match(line) for line in expected)
    printed = [line for line in result.stderr.splitlines() if PROBLEM_LINE.match(line)]
    assert printed == expected

    assert snapshot(site_dir) == before
    assert (site_dir / "index.html").read_bytes() == index_before
    assert sorted(p.name for p in site_dir.parent.iterdir()) == ["site"]


def test_missing_entries_folder_stops_the_build(tmp_path):
    result = mkdocs_build(tmp_path / "nope", tmp_path / "site")
    assert result.returncode != 0
    assert "entries folder not found" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


# --- long lists are split over pages ------------------------------------------------


def test_long_lists_are_split_over_pages(paged_site):
    site, atlas = paged_site, paged_site.atlas
    forum_pages = sorted((site.root / "forums" / "index").glob("*/index.html"))
    assert len(forum_pages) == -(-len(atlas.by_kind["forum"]) // 40) - 1
    assert (site.root / "sources" / "2" / "index.html").is_file()
    overview = site.html("coverage/matrix/index.html")
    for pathway in atlas.pathways:
        assert (site.root / "coverage" / "matrix" / pathway.id / "index.html").is_file(), pathway.id
        assert f'href="../../coverage/matrix/{pathway.id}/"' in overview
    # Every forum and initiative is a row of exactly one part of the full matrix.
    rows: dict[str, int] = {}
    for page in (site.root / "coverage" / "matrix").rglob("index.html"):
        if page.parent.name == "matrix":
            continue
        for _, href, target in internal_targets(site, page):
            match = re.fullmatch(r"(forums|initiatives)/([a-z0-9-]+)/index.html", target)
            if match and f'<th scope="row"><a href="{href}"' in page.read_text(encoding="utf-8"):
                rows[match.group(2)] = rows.get(match.group(2), 0) + 1
    assert rows == {e.id: 1 for e in atlas.actors}


def test_gap_pages_show_some_claims_and_link_to_all(paged_site):
    site, atlas = paged_site, paged_site.atlas
    for gap in atlas.gaps:
        claims = atlas.coverage.get(gap.id, [])
        page = site.html(f"gaps/{gap.id}/index.html")
        if any(len(items) > 4 for items in atlas.coverage_by_level(gap.id).values()):
            assert f'href="../../coverage/gaps/{gap.id}/"' in page
            listed = set()
            for part in [site.root / "coverage" / "gaps" / gap.id / "index.html", *(site.root / "coverage" / "gaps" / gap.id).glob("*/index.html")]:
                listed |= {t for _, _, t in internal_targets(site, part) if t.startswith(("forums/", "initiatives/"))}
            assert {f"{c.entry.kind}s/{c.entry.id}/index.html" for c in claims} <= listed
        else:
            assert "coverage/gaps/" not in page


def test_no_entry_page_grows_with_the_atlas(paged_site, small_site):
    def largest(site: Site) -> int:
        return max(len(article((site.root / f"{e.kind}s" / e.id / "index.html").read_text(encoding="utf-8"))) for e in site.atlas.entries.values())

    # 320 entries against 8: the largest entry page is bounded by the limits, not by the atlas's size.
    assert largest(paged_site) < 42_000


# --- the sidebar of pages left out of the navigation ---------------------------------------------

ACTIVE_TAB = re.compile(r'<li class="md-tabs__item md-tabs__item--active">\s*<a [^>]*>\s*([^<]+?)\s*</a>')
ACTIVE_ITEM = re.compile(
    r'<li class="md-nav__item md-nav__item--active">\s*<a href="[^"]*" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>'
)


def test_every_page_has_its_tab_and_a_page_left_out_of_the_navigation_its_section(site):
    """An entry page opens Browse with its kind's index marked; a later page of a list, the list's first page."""
    expected = {"forums": ("Browse", "Forums"), "initiatives": ("Browse", "Initiatives"), "gaps": ("Browse", "Gaps"),
                "pathways": ("Browse", "Pathways"), "topics": ("Browse", "Topics"), "timeline": ("Browse", "Timeline"),
                "sources": ("Browse", "Sources")}
    seen = set()
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        if rel == "404.html":
            continue
        html = path.read_text(encoding="utf-8")
        assert len(ACTIVE_TAB.findall(html)) == 1, rel
        folder, _, rest = rel.partition("/")
        if folder in expected and rest != "index.html":  # not the list's own first page: an entry's page or a later page
            assert (ACTIVE_TAB.findall(html)[0], ACTIVE_ITEM.findall(html)) == (expected[folder][0], [expected[folder][1]]), rel
            seen.add(folder)
    assert {"forums", "gaps", "initiatives", "pathways"} <= seen
    if site.name == "paged":
        assert {"timeline", "sources"} <= seen  # their later pages
