"""Join the structure trees (the tags) of laid-out documents into the merged PDF's one tree.

Each document WeasyPrint tags has a StructTreeRoot whose one /Document element holds the
document's elements in reading order, and a parent tree: for each page (by its
/StructParents key) the elements of its marked contents by MCID, and for each link
annotation (by its /StructParent key) the element holding it. The merged tree is one
/Document holding every document's elements, the front's first and then the body's parts,
in page order; its parent tree gives the merged pages the keys 0, 1, … in order and the
annotations the keys after them. A link the merger dropped (to no destination) leaves the
tree too. The /ID of table headers, unique only within a document, get the document's
number before them, in the cells' /Headers as well, and go into the tree's /IDTree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf


@dataclass
class Tagged:
    """A document's structure tree, copied into the merged PDF, and the merged PDF's copies of its pages."""

    root: pikepdf.Object
    pages: list[pikepdf.Object]


def copy_tree(out: pikepdf.Pdf, source: pikepdf.Pdf, pages: list[pikepdf.Object]) -> Tagged | None:
    """Copy ``source``'s structure tree into ``out``, whose ``pages`` are the copies of its pages (copied first,
    so that the elements' /Pg and the annotations they hold point at those copies); None if it has no tree."""
    root = source.Root.get("/StructTreeRoot")
    if root is None:
        return None
    return Tagged(out.copy_foreign(root), pages)


def merge_trees(out: pikepdf.Pdf, documents: list[Tagged]) -> None:
    """Give ``out`` one structure tree made of ``documents``' trees, in their order (their pages are ``out``'s,
    in the same order), and mark it as tagged."""
    import pikepdf

    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root))
    kids: list[pikepdf.Object] = []
    nums: list[int | pikepdf.Object] = []
    ids: dict[str, pikepdf.Object] = {}
    live = {annot.objgen for tagged in documents for page in tagged.pages for annot in page.get("/Annots", ())}
    next_key = sum(len(tagged.pages) for tagged in documents)
    page_key = 0
    for number, tagged in enumerate(documents, 1):
        for kid in _top_level(tagged.root):
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = document
            kids.append(kid)
        parents = dict(pikepdf.NumberTree(tagged.root.ParentTree).items()) if "/ParentTree" in tagged.root else {}
        used = set()
        for page in tagged.pages:
            old = page.get("/StructParents")
            if old is not None and int(old) in parents:
                used.add(int(old))
                nums.extend([page_key, parents[int(old)]])
            page.StructParents = page_key
            page_key += 1
        annots: list[tuple[int, pikepdf.Object]] = []
        for page in tagged.pages:
            for annot in page.get("/Annots", ()):
                old = annot.get("/StructParent")
                if old is not None and int(old) in parents:
                    used.add(int(old))
                    annots.append((next_key, parents[int(old)]))
                    annot.StructParent = next_key
                    next_key += 1
        for key, element in annots:
            nums.extend([key, element])
        for key in sorted(set(parents) - used):
            _drop_annotations(parents[key], live)
        ids.update(_prefix_ids(tagged.root, f"{number}-"))
        _merge_maps(root, tagged.root)
    document.K = pikepdf.Array(kids)
    root.K = pikepdf.Array([document])
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = next_key
    if ids:
        root.IDTree = out.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array([x for key in sorted(ids) for x in (pikepdf.String(key), ids[key])])))
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)  # viewers show the title, not the file name


def _top_level(root: pikepdf.Object) -> list[pikepdf.Object]:
    """The elements below a tree's one /Document element (or below its root, when it has another shape)."""
    import pikepdf

    kids = _kids(root)
    if len(kids) == 1 and isinstance(kids[0], pikepdf.Dictionary) and kids[0].get("/S") == "/Document":
        return _kids(kids[0])
    return kids


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    """A node's /K as a list: none, one or many."""
    import pikepdf

    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _drop_annotations(element: pikepdf.Object, live: set[tuple[int, int]]) -> None:
    """Take out of ``element`` the object references to annotations no page holds any more; a /Link
    element left without an annotation becomes a /Span (its text stays in the tree)."""
    import pikepdf

    if not isinstance(element, pikepdf.Dictionary) or not isinstance(element.get("/K"), pikepdf.Array):
        return
    kept = [kid for kid in element.K if not (_is_objr(kid) and kid.Obj.objgen not in live)]
    if len(kept) == len(element.K):
        return
    element.K = pikepdf.Array(kept)
    if element.get("/S") == "/Link" and not any(_is_objr(kid) for kid in kept):
        element.S = pikepdf.Name.Span


def _is_objr(kid: pikepdf.Object) -> bool:
    import pikepdf

    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"


def _prefix_ids(root: pikepdf.Object, prefix: str) -> dict[str, pikepdf.Object]:
    """Put ``prefix`` before every element /ID under ``root`` and in every table cell's /Headers; return ID → element."""
    import pikepdf

    ids: dict[str, pikepdf.Object] = {}
    stack = _top_level(root)
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content or object reference, or an MCID
        if "/ID" in element:
            ids[prefix + str(element.ID)] = element
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array([pikepdf.String(prefix + str(header)) for header in attributes.Headers])
        stack.extend(_kids(element))
    return ids


def _merge_maps(root: pikepdf.Object, source: pikepdf.Object) -> None:
    """Add ``source``'s /RoleMap and /ClassMap entries to ``root``'s (the first document's win)."""
    import pikepdf

    for name in ("/RoleMap", "/ClassMap"):
        entries = source.get(name)
        if entries is None:
            continue
        merged = dict(root[name].items()) if name in root else {}
        root[name] = pikepdf.Dictionary({**dict(entries.items()), **merged})
