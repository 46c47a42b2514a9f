"""The PDF is tagged (PDF/UA-1), and its tags survive the merging of the parts laid out apart.

One structure tree in reading order, a parent tree that maps every page's marked content and
every link back to its element, every piece of text on a page either in the tree or an artifact
(the running heads and page numbers laid over the pages), the language, the title shown by
viewers, and the title in the XMP metadata as in the information dictionary. Checked on the
small fixture laid out in several parts by worker processes, and in one part.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO_ROOT, SMALL, TODAY_EPOCH

CONTENT = REPO_ROOT / "content"
PARTS = "6000"  # as tests/pdf/test_pdf.py: cuts the small fixture into a dozen parts, some inside a chapter
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
Key = tuple[int, int]  # an object's (number, generation)


@dataclass
class Tree:
    """What a walk of the structure tree found."""

    elements: dict[Key, pikepdf.Dictionary] = field(default_factory=dict)
    parents: dict[Key, Key | None] = field(default_factory=dict)  # element → the element it was found under (None: the root's kids)
    mcids: dict[tuple[int, int], Key] = field(default_factory=dict)  # (page index, MCID) → the element holding it
    annotations: dict[Key, Key] = field(default_factory=dict)  # annotation → the element holding it (by an OBJR)
    bad_pages: list[str] = field(default_factory=list)  # elements whose /Pg is no page of the document
    duplicates: list[str] = field(default_factory=list)  # MCIDs or annotations held twice


@dataclass
class Tagged:
    pdf: pikepdf.Pdf
    data: bytes
    stderr: str
    tree: Tree
    page_index: dict[Key, int]


def _render(out: Path, part_size: str | None) -> tuple[bytes, str]:
    from generator.cli import main

    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO_ROOT)
        mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        mp.setenv("ATLAS_VERSION", "tags-test 1")
        mp.delenv("ATLAS_ENTRIES", raising=False)
        if part_size:
            mp.setenv("ATLAS_PDF_PART_SIZE", part_size)
        else:
            mp.delenv("ATLAS_PDF_PART_SIZE", raising=False)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(out)])
    assert code == 0, err.getvalue()
    return out.read_bytes(), err.getvalue()


def _is_mcid(kid: object) -> bool:
    return isinstance(kid, int) and not isinstance(kid, bool)


def walk(pdf: pikepdf.Pdf, page_index: dict[Key, int]) -> Tree:
    """Every element reachable from the StructTreeRoot, with the marked content and annotations each holds."""
    tree = Tree()
    root = pdf.Root.StructTreeRoot
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    stack: list[tuple[object, Key | None, pikepdf.Object | None]] = [(kid, None, None) for kid in reversed(list(kids))]
    while stack:
        node, parent, inherited = stack.pop()
        assert isinstance(node, pikepdf.Dictionary), f"a kid of the root or of {parent} is {node!r}"
        key = node.objgen
        assert key not in tree.elements, f"element {key} is reached twice"
        tree.elements[key], tree.parents[key] = node, parent
        page = node.get("/Pg", inherited)
        if "/Pg" in node and node.Pg.objgen not in page_index:
            tree.bad_pages.append(f"{key} /Pg {node.Pg.objgen}")
        children = node.get("/K")
        children = [] if children is None else list(children) if isinstance(children, pikepdf.Array) else [children]
        for kid in reversed(children):
            if _is_mcid(kid) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"):
                mcid_page = kid.get("/Pg", page) if isinstance(kid, pikepdf.Dictionary) else page
                assert mcid_page is not None, f"element {key} holds an MCID and no /Pg says of which page"
                index = page_index.get(mcid_page.objgen)
                if index is None:
                    tree.bad_pages.append(f"{key} MCID on {mcid_page.objgen}")
                    continue
                mcid = int(kid.MCID) if isinstance(kid, pikepdf.Dictionary) else int(kid)
                if (index, mcid) in tree.mcids:
                    tree.duplicates.append(f"page {index + 1} MCID {mcid}")
                tree.mcids[(index, mcid)] = key
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                if kid.Obj.objgen in tree.annotations:
                    tree.duplicates.append(f"annotation {kid.Obj.objgen}")
                tree.annotations[kid.Obj.objgen] = key
                if "/Pg" in kid and kid.Pg.objgen not in page_index:
                    tree.bad_pages.append(f"{key} OBJR /Pg {kid.Pg.objgen}")
            else:
                stack.append((kid, key, page))
    return tree


@pytest.fixture(scope="module", params=["parts", "one"])
def tagged(request, tmp_path_factory) -> Iterator[Tagged]:
    """The small fixture laid out in several parts (worker processes) and merged, or in one part."""
    data, stderr = _render(tmp_path_factory.mktemp(f"pdf-tags-{request.param}") / "atlas.pdf", PARTS if request.param == "parts" else None)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        assert "/StructTreeRoot" in pdf.Root, "the PDF is not tagged"
        yield Tagged(pdf, data, stderr, walk(pdf, page_index), page_index)


def marked_content(stream: pikepdf.Object) -> tuple[list[int], list[str], list[tuple[str, tuple[str, ...]]]]:
    """A content stream's MCIDs, its text-showing operators outside any marked content, and every XObject
    it draws with the marked-content tags around it (outermost first)."""
    mcids: list[int] = []
    unmarked: list[str] = []
    drawn: list[tuple[str, tuple[str, ...]]] = []
    tags: list[str] = []
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            tags.append(str(instruction.operands[0]))
            properties = instruction.operands[1] if operator == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                mcids.append(int(properties.MCID))
        elif operator == "EMC":
            assert tags, "EMC without BDC/BMC"
            tags.pop()
        elif operator in TEXT_SHOWING and not tags:
            unmarked.append(operator)
        elif operator == "Do":
            drawn.append((str(instruction.operands[0]), tuple(tags)))
    assert not tags, f"marked content left open: {tags}"
    return mcids, unmarked, drawn


def _form_text_unmarked(form: pikepdf.Stream) -> int:
    """Text-showing operators outside marked content in a form XObject and the forms it draws."""
    _, unmarked, drawn = marked_content(form)
    resources = form.get("/Resources", {}).get("/XObject", {})
    return len(unmarked) + sum(_form_text_unmarked(resources[name]) for name, tags in drawn if not tags and resources[name].get("/Subtype") == "/Form")


# --- the catalog and metadata ------------------------------------------------------------------


def test_the_pdf_is_marked_with_language_and_title(tagged):
    pdf = tagged.pdf
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    title = str(pdf.docinfo.Title)
    assert title.startswith("Space Governance Atlas — edition ")
    xmp = pdf.open_metadata()  # read only: as a context manager it would write itself back on leaving
    assert xmp["dc:title"] == title
    assert xmp["pdfuaid:part"] == "1"
    assert pdf.pdf_version >= "1.7"


def test_one_document_element_holds_the_whole_tree(tagged):
    root = tagged.pdf.Root.StructTreeRoot
    assert root.Type == "/StructTreeRoot"
    (document,) = list(root.K)
    assert document.S == "/Document" and document.P.objgen == root.objgen
    assert len(document.K) >= len(tagged.pdf.pages)  # each page starts one at least (a block split by a page is two)
    tops = [key for key, parent in tagged.tree.parents.items() if parent is None]
    assert tops == [document.objgen]
    for key, parent in tagged.tree.parents.items():  # each element's /P is the element it is under
        if parent is not None:
            assert tagged.tree.elements[key].P.objgen == parent, key


def test_elements_point_at_pages_of_this_document(tagged):
    assert tagged.tree.bad_pages == []
    assert tagged.tree.duplicates == []
    pages = Counter(tagged.page_index[element.Pg.objgen] for element in tagged.tree.elements.values() if "/Pg" in element)
    assert set(pages) == set(range(len(tagged.pdf.pages))), "every page has elements"


def test_the_tree_follows_the_page_order(tagged):
    """The first page each top-level element (the Document's kids) refers to never goes back."""
    tree = tagged.tree
    below: dict[Key, list[Key]] = defaultdict(list)
    for key, parent in tree.parents.items():
        if parent is not None:
            below[parent].append(key)
    first_page: dict[Key, int] = {}
    for key in reversed(list(tree.elements)):  # children are found after their parents: walk back
        element = tree.elements[key]
        pages = [tagged.page_index[element.Pg.objgen]] if "/Pg" in element else []
        first_page[key] = min(pages + [first_page[kid] for kid in below[key] if kid in first_page], default=10**9)
    document = tagged.pdf.Root.StructTreeRoot.K[0]
    order = [first_page[kid.objgen] for kid in document.K]
    assert order == sorted(order)
    assert order[0] == 0 and order[-1] == len(tagged.pdf.pages) - 1


# --- marked content ----------------------------------------------------------------------------


def test_every_mcid_on_every_page_is_in_the_tree(tagged):
    missing = []
    total = 0
    for index, page in enumerate(tagged.pdf.pages):
        mcids, _, _ = marked_content(page.obj)
        assert len(mcids) == len(set(mcids)), f"page {index + 1}: an MCID used twice"
        total += len(mcids)
        missing += [f"page {index + 1} MCID {mcid}" for mcid in mcids if (index, mcid) not in tagged.tree.mcids]
    assert missing == []
    assert total > 10 * len(tagged.pdf.pages)
    assert total == len(tagged.tree.mcids), "the tree holds only MCIDs that the pages use"


def test_no_text_is_drawn_outside_marked_content(tagged):
    for index, page in enumerate(tagged.pdf.pages):
        _, unmarked, drawn = marked_content(page.obj)
        assert unmarked == [], f"page {index + 1}: text outside marked content"
        xobjects = page.obj.Resources.get("/XObject", {})
        forms = [(name, tags) for name, tags in drawn if xobjects[name].get("/Subtype") == "/Form"]
        for name, tags in forms:
            if not tags:
                assert _form_text_unmarked(xobjects[name]) == 0, f"page {index + 1}: form {name} draws text outside marked content"


def test_running_heads_and_page_numbers_are_artifacts(tagged):
    """The margins laid over every page after the cover are drawn inside an /Artifact sequence, and hold no MCID."""
    from generator.pdf.merge import OVERLAY_NAME

    for index, page in enumerate(tagged.pdf.pages):
        _, _, drawn = marked_content(page.obj)
        overlays = [tags for name, tags in drawn if name == OVERLAY_NAME]
        assert overlays == ([] if index == 0 else [("/Artifact",)]), f"page {index + 1}: {overlays}"
        if index:
            mcids, _, _ = marked_content(page.obj.Resources.XObject[OVERLAY_NAME])
            assert mcids == []


# --- the parent tree ---------------------------------------------------------------------------


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    return dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())


def test_every_page_has_its_own_key_in_the_parent_tree(tagged):
    keys = [page.obj.get("/StructParents") for page in tagged.pdf.pages]
    assert None not in keys and len(set(keys)) == len(keys)
    annotation_keys = [annot.StructParent for page in tagged.pdf.pages for annot in page.obj.get("/Annots", ()) if "/StructParent" in annot]
    assert not set(keys) & set(annotation_keys) and len(set(annotation_keys)) == len(annotation_keys)
    parents = _parent_tree(tagged.pdf)
    assert set(parents) == set(keys) | set(annotation_keys), "no key unused, none missing"
    assert int(tagged.pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(parents)


def test_the_parent_tree_maps_each_mcid_to_the_element_holding_it(tagged):
    parents = _parent_tree(tagged.pdf)
    for index, page in enumerate(tagged.pdf.pages):
        mcids, _, _ = marked_content(page.obj)
        array = parents[int(page.obj.StructParents)]
        assert isinstance(array, pikepdf.Array)
        for mcid in mcids:
            assert array[mcid].objgen == tagged.tree.mcids[(index, mcid)], f"page {index + 1} MCID {mcid}"


def _tags_up(tree: Tree, key: Key | None) -> list[str]:
    """The structure types of an element and of the elements above it."""
    tags = []
    while key is not None:
        tags.append(str(tree.elements[key].S))
        key = tree.parents[key]
    return tags


def test_every_link_is_in_the_tree_and_the_parent_tree(tagged):
    parents = _parent_tree(tagged.pdf)
    links = 0
    for index, page in enumerate(tagged.pdf.pages):
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") != "/Link":
                continue
            links += 1
            holder = tagged.tree.annotations.get(annot.objgen)
            assert holder is not None, f"page {index + 1}: a link not in the tree"
            assert parents[int(annot.StructParent)].objgen == holder
            assert "/Link" in _tags_up(tagged.tree, holder)  # WeasyPrint puts some in a /Span inside the /Link
            assert not str(annot.Contents).startswith("atlas-part:"), "a link across parts is described as its target"
    assert links > 50
    live = {annot.objgen for page in tagged.pdf.pages for annot in page.obj.get("/Annots", ())}
    assert set(tagged.tree.annotations) <= live, "the tree holds no annotation that no page shows"


def test_table_header_ids_are_unique_and_in_the_id_tree(tagged):
    ids = Counter(str(element.ID) for element in tagged.tree.elements.values() if "/ID" in element)
    assert ids and max(ids.values()) == 1
    id_tree = dict(pikepdf.NameTree(tagged.pdf.Root.StructTreeRoot.IDTree).items())
    assert set(id_tree) == set(ids)
    assert all(str(tagged.tree.elements[id_tree[name].objgen].ID) == name for name in id_tree)
    headers = {str(h) for e in tagged.tree.elements.values() if isinstance(e.get("/A"), pikepdf.Dictionary) for h in e.A.get("/Headers", ())}
    assert headers and headers <= set(ids)


def test_the_parts_were_laid_out_apart(tagged, request):
    if "parts" in request.node.callspec.id:
        assert len(re.findall(r"^laid out part \d+/\d+", tagged.stderr, re.MULTILINE)) >= 4


# --- the merger on its own ---------------------------------------------------------------------


def _doc(body: str) -> bytes:
    from generator.pdf.layout import lay_out

    return lay_out(f'<!DOCTYPE html><html lang="en"><head><title>Doc</title></head><body>{body}</body></html>').data


def test_a_link_dropped_when_merging_leaves_the_tree():
    """A link to a destination no document has is dropped, as WeasyPrint drops one; its element stays, as a /Span."""
    from generator.pdf.merge import Merger

    blank = _doc("<p></p>")
    with Merger("atlas-part:") as merger:
        merger.append(_doc('<h1 id="here">Here</h1><p><a href="atlas-part:there">there</a> <a href="atlas-part:nowhere">nowhere</a></p>'))
        merger.append(_doc('<h1 id="there">There</h1><table><tr><th>Head</th><td>cell</td></tr></table>'))
        data = merger.finish(_doc('<table><tr><th>Front</th><td>cell</td></tr></table>'), [blank, blank], [])
    pdf = pikepdf.open(io.BytesIO(data))
    page_index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    tree = walk(pdf, page_index)
    (annot,) = pdf.pages[1].obj.Annots
    assert str(annot.Dest) == str(annot.Contents) == "there" and tree.annotations == {annot.objgen: tree.annotations[annot.objgen]}
    kinds = Counter(str(element.S) for element in tree.elements.values())
    assert kinds["/Link"] == 1 and kinds["/Span"] >= 1
    assert int(annot.StructParent) in _parent_tree(pdf)
    assert [page.obj.StructParents for page in pdf.pages] == [0, 1, 2]
    assert len(_parent_tree(pdf)) == 4  # three pages, one link
    ids = sorted(str(element.ID) for element in tree.elements.values() if "/ID" in element)
    assert len(ids) == 2 and ids[0].startswith("1-") and ids[1].startswith("3-")  # the front's, then the second body document's
