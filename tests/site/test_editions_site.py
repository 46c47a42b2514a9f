"""The built site's living parts: What's new per edition (and unreleased changes when asked), feeds in the head
and on gap pages, Cite this entry with its downloads, the Data page's editions, and the Review queue.

The small fixture is copied, recorded as an edition, changed (a claim's level, a rename through
``aliases``), recorded again, then changed once more and built: the last change is unreleased.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO_ROOT, SITE_URL, SMALL, project_config

from generator.editions.record import atlas_snapshot, write_edition
from generator.pipeline import build_atlas


@dataclass
class Built:
    root: Path
    entries: Path
    editions: Path
    log: str

    def html(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(project: Path, entries: Path, site: Path, **env: str) -> Built:
    config = project_config(project, downloads=False, entries=str(entries), editions=str(project / "editions"))
    run_env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES", "SOURCE_DATE_EPOCH", "ATLAS_UNRELEASED")}
    run_env.update(NO_MKDOCS_2_WARNING="1", **env)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "--site-dir", str(site)],
        cwd=REPO_ROOT, env=run_env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return Built(site, entries, project / "editions", done.stdout + done.stderr)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    project = tmp_path_factory.mktemp("living")
    entries = project / "entries"
    shutil.copytree(SMALL, entries)
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 10)), project / "editions")
    _replace(entries / "forums" / "alpha-forum.yaml", "level: partial", "level: strong")
    for path in entries.rglob("*.yaml"):  # gamma-guidelines is renamed gamma-code, keeping its old id as an alias
        path.write_text(path.read_text(encoding="utf-8").replace("gamma-guidelines", "gamma-code"), encoding="utf-8")
    gamma = (entries / "initiatives" / "gamma-guidelines.yaml").rename(entries / "initiatives" / "gamma-code.yaml")
    _replace(gamma, "id: gamma-code", "id: gamma-code\naliases: [gamma-guidelines]")
    _replace(gamma, "name: Gamma Guidelines", "name: Gamma Code")
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 15)), project / "editions")
    _replace(entries / "forums" / "beta-coalition.yaml", "name: ", "acronym: BC\nname: ")
    return project, entries


@pytest.fixture(scope="module")
def released(project, tmp_path_factory) -> Built:
    return _build(project[0], project[1], tmp_path_factory.mktemp("released") / "site", ATLAS_UNRELEASED="0")


@pytest.fixture(scope="module")
def preview(project, tmp_path_factory) -> Built:
    return _build(project[0], project[1], tmp_path_factory.mktemp("preview") / "site", ATLAS_UNRELEASED="1")


def _hrefs(html: str) -> list[str]:
    return re.findall(r'<a\b[^>]*\shref="([^"#]+)(?:#[^"]*)?"', html)


def _resolves(built: Built, page: str, href: str) -> bool:
    target = urlsplit(urljoin("https://x/" + page, href)).path.lstrip("/")
    path = built.root / target
    return path.is_file() or (path / "index.html").is_file()


def test_whats_new_lists_editions_newest_first_and_every_item_links_to_its_entry(released: Built) -> None:
    index = released.html("whats-new/index.html")
    assert index.index("2026-01-15") < index.index("2026-01-10")
    page = released.html("whats-new/2026-01-15/index.html")
    assert "Entries renamed" in page and "Gamma Guidelines" in page
    assert re.search(r'Gamma Guidelines \(<code>gamma-guidelines</code>\) → <a href="../../initiatives/gamma-code/">Gamma Code</a>', page)
    claims = page[page.index("Claims added, removed or changed"):]
    assert "partial → strong" in claims and 'href="../../forums/alpha-forum/"' in claims
    for href in _hrefs(page):
        if not href.startswith(("http://", "https://")):
            assert _resolves(released, "whats-new/2026-01-15/", href), href
    assert not (released.root / "whats-new" / "unreleased").exists()
    assert "Unreleased" not in index


def test_changes_not_yet_in_an_edition_show_as_unreleased_when_asked(preview: Built) -> None:
    index = preview.html("whats-new/index.html")
    assert "Unreleased:" in index and "1 fact changed" in index
    unreleased = preview.html("whats-new/unreleased/index.html")
    assert "since the edition of 2026-01-15" in unreleased
    facts = unreleased[unreleased.index('id="facts"'):]
    assert 'href="../../forums/beta-coalition/"' in facts and ">BC<" in facts


def test_every_page_names_the_atlas_feeds_and_a_gap_page_its_own(released: Built) -> None:
    for page in sorted(released.root.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html or page.name == "404.html":
            continue  # a redirect stub, or the theme's own error page
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)
        here = page.relative_to(released.root).as_posix().removesuffix("index.html")
        assert links and all(_resolves(released, here, href) for href in links), page
    gap = released.html("gaps/dialogue/index.html")
    assert 'href="../../feeds/gap-dialogue.xml">' in gap.split("</head>")[0]
    body = gap.split("</head>")[1]
    assert re.search(r'<a href="../../feeds/gap-dialogue.xml" type="application/atom\+xml">Atom feed</a>', body)


def test_an_entry_page_offers_its_citation_in_words_files_and_meta_tags(released: Built) -> None:
    html = released.html("forums/alpha-forum/index.html")
    head = html.split("</head>")[0]
    assert '<meta name="citation_title" content="Alpha Forum (ALF)">' in head
    assert '<meta name="citation_author" content="Space Governance Atlas">' in head
    assert f'<meta name="citation_public_url" content="{SITE_URL}forums/alpha-forum/">' in head
    assert re.search(r'<meta name="citation_publication_date" content="\d{4}/\d{2}/\d{2}">', head)
    cite = html[html.index('id="cite-this-entry"'):]
    assert "Space Governance Atlas. “Alpha Forum (ALF)”. Space Governance Atlas, edition of" in cite and f"{SITE_URL}forums/alpha-forum/" in cite
    downloads = re.findall(r'<a href="([^"]+\.(?:bib|ris|json))" download>', cite)
    assert len(downloads) == 3
    for href in downloads:
        assert _resolves(released, "forums/alpha-forum/", href), href
    assert (released.root / "cite/forums/alpha-forum.bib").read_text(encoding="utf-8").startswith("@misc{sga-alpha-forum,")


def test_entry_text_in_the_head_is_escaped(tmp_path: Path) -> None:
    from conftest import HOSTILE, write_entries

    entries = write_entries(tmp_path / "entries", HOSTILE)
    built = _build(tmp_path, entries, tmp_path / "site")
    head = built.html("forums/evil/index.html").split("</head>")[0]
    assert "<script>alert" not in head and "</title><script" not in head
    assert '<meta name="citation_title" content="Evil &lt;/title&gt;&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; Forum (&lt;b&gt;EV&lt;/b&gt;)">' in head


def test_the_data_page_offers_each_edition_and_its_changes(released: Built) -> None:
    data = released.html("data/index.html")
    table = data[data.index("Editions, newest first"):]
    files = re.findall(r'href="(\.\./data/editions/[^"]+\.json)"', table)
    assert files == ["../data/editions/2026-01-15.json", "../data/editions/2026-01-15.changes.json", "../data/editions/2026-01-10.json"]
    changes = json.loads((released.root / "data/editions/2026-01-15.changes.json").read_text(encoding="utf-8"))
    assert changes["format"] == "space-governance-atlas/edition-changes"
    assert changes["entries"]["renamed"] == [{"from": {"id": "gamma-guidelines", "kind": "initiative", "name": "Gamma Guidelines"},
                                              "to": {"id": "gamma-code", "kind": "initiative", "name": "Gamma Code"}}]
    assert (released.root / "data/editions/2026-01-10.json").read_bytes() == (released.editions / "2026-01-10.json").read_bytes()


def test_the_review_queue_and_check_due_list_the_same_entries_oldest_first(released: Built, run_cli) -> None:
    page = released.html("review/index.html")
    table = page[page.index("due for review</caption>"):]
    listed = re.findall(r'<td data-label="Entry"><a href="\.\./(?:forums|gaps|initiatives|pathways|topics)/([a-z0-9-]+)/"', table)
    assert listed == ["orphan", "beta-coalition"]  # 2023-01-15, then 2024-06-01
    beta = table[table.index("/beta-coalition/"):]
    assert re.search(r'its claims sit on: <a href="\.\./gaps/dialogue/">Dialogue gap</a>', beta)
    assert re.search(r'related to it: <a href="\.\./forums/alpha-forum/">', beta)
    code, out, _ = run_cli("check", "--entries", str(released.entries), "--due", env={"SOURCE_DATE_EPOCH": ""})
    assert code == 0
    named = re.findall(r"^  \S+/([a-z0-9-]+)\.yaml: last reviewed", out, re.M)
    assert named == listed
    assert "      its claims sit on: dialogue\n      related to it: alpha-forum" in out
