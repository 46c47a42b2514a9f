"""A preview's rebuilds keep the pages whose inputs did not change, and serve nothing stale.

Each rebuild runs as ``mkdocs serve`` runs one (a fresh configuration, the same process),
and its site must be byte for byte the site a first build of the same files makes: every
page, the search index and the sitemap.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.site.session import SESSION

SERVE_URL = "http://127.0.0.1:8000/atlas/"
COUNTS = re.compile(r"Built (\d+) generated pages again; (\d+) were unchanged")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the repository's site (mkdocs.yml, hand-written pages, overrides) around the small fixture's entries."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("content", "overrides"):
        shutil.copytree(REPO_ROOT / name, root / name)
    shutil.copy(REPO_ROOT / "CONTRIBUTING.md", root)
    shutil.copytree(SMALL, root / "entries")
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^      entries: \S+$", "      entries: entries", config), encoding="utf-8")
    SESSION.__init__()  # type: ignore[misc]
    yield root
    SESSION.__init__()  # type: ignore[misc]


def serve_build(root: Path, site: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """One rebuild of a preview of ``root`` into ``site``: (pages built again, pages kept)."""
    caplog.clear()
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.atlas"):
        build(config, serve_url=SERVE_URL)
    config.plugins.on_shutdown()
    found = COUNTS.search(caplog.text)
    assert found, caplog.text
    return int(found.group(1)), int(found.group(2))


def first_build(root: Path, site: Path, caplog: pytest.LogCaptureFixture) -> None:
    """What a newly started preview builds from the same files."""
    kept = SESSION.outputs, SESSION.pages, SESSION.last_valid, SESSION.editions
    SESSION.__init__()  # type: ignore[misc]
    try:
        serve_build(root, site, caplog)
    finally:
        SESSION.outputs, SESSION.pages, SESSION.last_valid, SESSION.editions = kept


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(rebuilt: Path, fresh: Path) -> None:
    ours, theirs = files_of(rebuilt), files_of(fresh)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_saved_entry_rebuilds_only_the_pages_that_show_it(project, tmp_path, caplog):
    site = tmp_path / "site"
    built, kept = serve_build(project, site, caplog)
    assert kept == 0 and built > 10
    edit(project / "entries/initiatives/delta-programme.yaml", "name: Delta Programme", "name: Delta Programme Renamed")
    rebuilt, kept = serve_build(project, site, caplog)
    assert kept > 0 and rebuilt < built
    assert "Delta Programme Renamed" in (site / "initiatives/delta-programme/index.html").read_text(encoding="utf-8")
    search = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert '"location":"forums/alpha-forum/"' in search.replace(" ", "")  # a kept page is still found
    first_build(project, tmp_path / "fresh", caplog)
    assert_same_site(site, tmp_path / "fresh")


def test_a_changed_gap_reaches_every_page_that_names_it(project, tmp_path, caplog):
    site = tmp_path / "site"
    built, _ = serve_build(project, site, caplog)
    again, kept = serve_build(project, site, caplog)  # a rebuild that changes nothing keeps every page but the navigation's
    assert again + kept == built and 0 < again < built
    edit(project / "entries/gaps/dialogue.yaml", "name: Dialogue gap", "name: Confidential dialogue gap")
    serve_build(project, site, caplog)
    for page in ("forums/alpha-forum", "forums/beta-coalition", "initiatives/gamma-guidelines"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert "Confidential dialogue gap" in html, page
    first_build(project, tmp_path / "fresh", caplog)
    assert_same_site(site, tmp_path / "fresh")


def test_a_changed_hand_written_page_rebuilds_every_page(project, tmp_path, caplog):
    site = tmp_path / "site"
    built, _ = serve_build(project, site, caplog)
    edit(project / "content/about.md", "\n", "\n\nA sentence added to the page.\n")
    rebuilt, kept = serve_build(project, site, caplog)
    assert (rebuilt, kept) == (built, 0)
    assert "A sentence added to the page." in (site / "about/index.html").read_text(encoding="utf-8")
    first_build(project, tmp_path / "fresh", caplog)
    assert_same_site(site, tmp_path / "fresh")


def test_a_removed_entry_leaves_no_page_behind_and_a_reverted_one_comes_back_whole(project, tmp_path, caplog):
    site = tmp_path / "site"
    serve_build(project, site, caplog)
    entry = project / "entries/initiatives/gamma-guidelines.yaml"
    original = entry.read_text(encoding="utf-8")
    edit(entry, "name: Gamma Guidelines", "name: Gamma Guidelines, for a while")
    serve_build(project, site, caplog)
    entry.write_text(original, encoding="utf-8")
    serve_build(project, site, caplog)
    assert "for a while" not in (site / "initiatives/gamma-guidelines/index.html").read_text(encoding="utf-8")
    entry.unlink()  # no other entry of the small fixture refers to it
    serve_build(project, site, caplog)
    assert not (site / "initiatives/gamma-guidelines").exists()
    first_build(project, tmp_path / "fresh", caplog)
    assert_same_site(site, tmp_path / "fresh")


def test_the_navigation_s_pages_and_those_it_leaves_untitled() -> None:
    from generator.site.kept_pages import nav_paths

    nav = [{"Home": "index.md"}, {"Browse": [{"Forums": "forums/index.md"}, "timeline.md"]}, "about.md"]
    assert nav_paths(nav) == {"index.md", "forums/index.md", "timeline.md", "about.md"}
    assert nav_paths(nav, titled=False) == {"timeline.md", "about.md"}  # their titles come from the pages
