"""Entry pages kept across preview rebuilds: reused only when nothing they show changed.

The property that matters: with the cache, every page is byte for byte what a
fresh render gives, after any edit; the cache only saves work.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator import settings
from generator.link.atlas import Atlas, link_atlas
from generator.render.page_cache import PageCache
from generator.render.pages import render_pages
from generator.validate.entries import validate_folder


def atlas_of(entries: Path) -> Atlas:
    result = validate_folder(entries)
    assert not result.errors, result.errors
    return link_atlas(result.entries, source_date_epoch=settings.current().source_date_epoch)


def assert_same_as_fresh(pages: dict, atlas: Atlas) -> None:
    fresh = render_pages(atlas)
    assert pages.keys() == fresh.keys()
    for path, page in fresh.items():
        assert pages[path].markdown == page.markdown, path
        assert pages[path].title == page.title, path


@pytest.fixture
def entries(tmp_path) -> Path:
    return Path(shutil.copytree(REPO_ROOT / "entries", tmp_path / "entries"))


def actors(atlas: Atlas) -> int:
    return sum(1 for e in atlas.entries.values() if e.kind in ("forum", "initiative"))


def test_unchanged_entries_are_not_rendered_again(entries):
    cache = PageCache()
    atlas = atlas_of(entries)
    render_pages(atlas, cache=cache)
    assert (cache.rendered, cache.reused) == (actors(atlas), 0)
    cache.start_build()
    again = atlas_of(entries)  # the checker hands back the same entry objects for unchanged files
    pages = render_pages(again, cache=cache)
    assert (cache.rendered, cache.reused) == (0, actors(again))
    assert_same_as_fresh(pages, again)


def test_an_edit_renders_the_entry_and_the_pages_that_name_it(entries):
    cache = PageCache()
    render_pages(atlas_of(entries), cache=cache)
    path = entries / "forums" / "copuos.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nname: " in text
    path.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    cache.start_build()
    atlas = atlas_of(entries)
    pages = render_pages(atlas, cache=cache)
    renamed = atlas.entries["copuos"]
    naming = {b.entry.id for b in atlas.backlinks.get("copuos", [])}  # pages listing it as related or led by it
    naming |= {*renamed.related, *renamed.led_by}  # pages listing it under "Referenced by"
    naming = {i for i in naming if atlas.entries[i].kind in ("forum", "initiative")} | {"copuos"}
    assert cache.rendered == len(naming), naming
    assert cache.reused == actors(atlas) - len(naming)
    assert "Renamed " in pages["forums/copuos.md"].markdown
    assert_same_as_fresh(pages, atlas)


def test_a_removed_entry_and_a_new_edition_date(entries, monkeypatch):
    cache = PageCache()
    render_pages(atlas_of(entries), cache=cache)
    removed = next(p for p in sorted((entries / "initiatives").glob("*.yaml")))
    removed.unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030: every entry's freshness label changes
    settings.current.cache_clear()  # a new process, as far as settings go
    cache.start_build()
    atlas = atlas_of(entries)
    pages = render_pages(atlas, cache=cache)
    assert (cache.rendered, cache.reused) == (actors(atlas), 0)
    assert f"initiatives/{removed.stem}.md" not in pages
    assert_same_as_fresh(pages, atlas)
