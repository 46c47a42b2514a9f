"""The PDF's relations chapter: the atlas's graph drawn (its labels are text of the page), its key, and the
list of every node's relations with links within the PDF; entry sections leave out their ego graph and its list."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from conftest import REPO_ROOT, SMALL, TODAY_EPOCH
from pypdf import PdfReader

CONTENT = REPO_ROOT / "content"


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> PdfReader:
    from generator.cli import main

    out = tmp_path_factory.mktemp("pdf-graph") / "atlas.pdf"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO_ROOT)
        mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        mp.delenv("ATLAS_ENTRIES", raising=False)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(out)]) == 0
    return PdfReader(io.BytesIO(out.read_bytes()))


def chapter_pages(reader: PdfReader, start: str, end: str) -> range:
    first = reader.get_destination_page_number(reader.named_destinations[start])
    return range(first, reader.get_destination_page_number(reader.named_destinations[end]))


def test_the_relations_chapter_is_in_the_outline_after_the_timeline(reader):
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Relations" in titles
    assert titles.index("Relations") == titles.index("Timeline") + 1


def test_the_chapter_draws_the_graph_with_its_key_and_lists_every_node(reader):
    pages = chapter_pages(reader, "p-relations", "p-sources")
    text = " ".join(" ".join(reader.pages[i].extract_text().split()) for i in pages)
    assert "Who relates to whom in the atlas" in text
    # The drawing's labels are text (short labels: acronyms where there are some), and its key is there.
    for label in ("ALF", "Dialogue gap", "Universal forums", "Coalitions", "Gamma Guidelines"):
        assert label in text, label
    assert "Member of a pathway" in text and "Addresses a gap, said of it by name" in text
    # Every entry has its item, with its relations in words.
    for name in ("Alpha Forum (ALF)", "Beta Coalition", "Delta Programme", "Orphan gap"):
        assert name in text, name
    assert "Pathway: Universal forums" in text
    assert re.search(r"Addresses: Dialogue gap \(partial, named\)", text)
    assert "No relation in the atlas." in text


def test_the_lists_links_lead_within_the_pdf(reader):
    internal = external = 0
    for i in chapter_pages(reader, "p-relations", "p-sources"):
        for annotation in reader.pages[i].get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            if action is not None and action.get("/S") == "/URI":
                external += 1
            elif "/Dest" in link or (action is not None and action.get("/S") == "/GoTo"):
                internal += 1
    assert internal >= 20 and external == 0


def test_entry_sections_leave_out_their_relations_section(reader):
    pages = chapter_pages(reader, "p-forums-alpha-forum", "p-forums-beta-coalition")
    section = range(pages.start, pages.stop + 1)  # to the page where the next entry starts
    text = " ".join(" ".join(reader.pages[i].extract_text().split()) for i in section)
    text = text[text.index("Alpha Forum (ALF)"):text.index("Beta Coalition", text.index("Sources"))]
    assert "Related entries" in text and "Sources" in text  # the entry's own sections are there
    assert "Its place in the graph of the whole atlas" not in text and "Member of a pathway" not in text
