"""Where the pages output puts each page, and how its Markdown links follow it."""

from __future__ import annotations

import pytest

from generator.render.source_layout import moved_links, page_file

MOVED = {"brief.md": "brief/index.md", "fields.md": "fields/index.md", "forums/x.md": "forums/x/index.md", "data.md": "data/index.md"}


@pytest.mark.parametrize(
    ("path", "directory_urls", "file"),
    [
        ("index.md", True, "index.md"),
        ("forums/index.md", True, "forums/index.md"),
        ("forums/esa.md", True, "forums/esa/index.md"),
        ("coverage/matrix/2.md", True, "coverage/matrix/2/index.md"),
        ("forums/esa.md", False, "forums/esa.md"),  # forums/esa.html: its folder is the file's already
    ],
)
def test_a_page_sits_in_its_urls_folder(path: str, directory_urls: bool, file: str):
    assert page_file(path, directory_urls) == file


def test_links_reach_the_same_files_from_the_new_place():
    markdown = (
        '[a](brief.md) ![i](assets/x.png "t") [b](forums/x.md#checked "T") [c](https://x.org/a.md) [d](#here) [e](mailto:a@b.org)\n'
        "[ref]: fields.md#top\n"
        "[g](<fields.md>) [h](feeds/atlas.xml) [k](/abs.md)"
    )
    assert moved_links(markdown, "data.md", "data/index.md", MOVED) == (
        '[a](../brief/index.md) ![i](../assets/x.png "t") [b](../forums/x/index.md#checked "T") [c](https://x.org/a.md) [d](#here) [e](mailto:a@b.org)\n'
        "[ref]: ../fields/index.md#top\n"
        "[g](<../fields/index.md>) [h](../feeds/atlas.xml) [k](/abs.md)"
    )


def test_a_page_that_stays_follows_the_pages_that_move():
    moved = {"coverage/pathways.md": "coverage/pathways/index.md"}
    assert moved_links("[p](pathways.md) [m](matrix.md#x)", "coverage/index.md", "coverage/index.md", moved) == "[p](pathways/index.md) [m](matrix.md#x)"


def test_code_is_left_as_written():
    markdown = "Run `[x](brief.md)` here.\n```md\n[y](brief.md)\n```\n~~~\n[z](brief.md)\n~~~\n[w](brief.md)"
    assert moved_links(markdown, "about.md", "about/index.md", MOVED) == (
        "Run `[x](brief.md)` here.\n```md\n[y](brief.md)\n```\n~~~\n[z](brief.md)\n~~~\n[w](../brief/index.md)"
    )
