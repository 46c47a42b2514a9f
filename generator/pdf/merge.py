"""Join laid-out documents into one PDF with pikepdf (qpdf).

The documents' pages go in order (the body's parts can be appended as they are laid
out, the front put before them last); their named destinations become one name tree
pointing at the merged pages; links to another document (``atlas-part:NAME`` URIs)
become links to the named destination, or are dropped when it does not exist, as
WeasyPrint drops a link to a missing anchor; one outline is built from headings; the
overlay pages (the margins: running heads and page numbers) are laid over the pages
after the first, marked as artifacts (they are not the document's content); the metadata
(information dictionary and XMP) and language are the first document's. Tagged documents'
structure trees become one (:mod:`generator.pdf.tags`). Saved with a deterministic file id,
so the same documents give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Self

from generator.errors import PdfError
from generator.pdf.tags import Tagged, copy_tree, merge_trees

if TYPE_CHECKING:
    import pikepdf


OVERLAY_NAME = "/AtlasOverlay"
# The overlay (running heads and page numbers) is pagination, not content: an artifact of the page.
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC\n"


@dataclass
class Heading:
    """An outline item: its title, the named destination it opens, and its children."""

    title: str
    anchor: str
    children: list[Heading] = field(default_factory=list)


class Merger:
    """Builds one PDF: body documents appended in order as they come, then the front put before
    them, the links resolved, the outline and the overlays added, and the whole saved."""

    def __init__(self, link_prefix: str) -> None:
        import pikepdf

        self.prefix = link_prefix
        self.stack = ExitStack()
        self.out = self.stack.enter_context(pikepdf.new())
        self.dests: dict[str, pikepdf.Array] = {}
        self.parts: list[int] = []  # the page count of each document appended
        self.trees: list[Tagged | None] = []  # the structure tree of each document appended, if tagged

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()

    def _open(self, data: bytes) -> pikepdf.Pdf:
        import pikepdf

        return self.stack.enter_context(pikepdf.open(io.BytesIO(data)))

    def append(self, data: bytes) -> None:
        """Append a document's pages, named destinations and structure tree."""
        import pikepdf

        before = len(self.out.pages)
        # Not kept (nor closed): what was copied from it reads only its bytes, when saving, and the
        # objects it parsed, its structure tree most of them, are freed at once.
        self.trees.append(_append(self.out, pikepdf.open(io.BytesIO(data)), self.dests))
        self.parts.append(len(self.out.pages) - before)

    def resolve_links(self, *, final: bool = False) -> None:
        """Resolve the links to other documents whose destination is known (all of them, dropping the rest, when ``final``)."""
        _resolve_links(self.out, self.dests, self.prefix, final=final)

    def finish(self, front: bytes, overlays: list[bytes], outline: list[Heading]) -> bytes:
        """Put ``front`` first (its metadata and language are the document's), resolve every link, add
        the outline, lay ``overlays``' pages over all pages but the first and join the structure trees
        (when the documents are tagged); return the saved PDF."""
        import pikepdf

        out = self.out
        first = self._open(front)
        front_tree = _append(out, first, self.dests, at=0)
        self.resolve_links(final=True)
        tree = pikepdf.NameTree.new(out)
        for name in sorted(self.dests):
            tree[name] = self.dests[name]
        out.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
        missing = _set_outline(out, self.dests, outline)
        if missing:
            raise PdfError(f"outline items without a destination: {', '.join(missing[:5])}")
        sheets = [page for data in overlays for page in self._open(data).pages]
        if len(sheets) != len(out.pages) - 1:
            raise PdfError(f"{len(sheets)} margin pages for {len(out.pages) - 1} pages")
        for page, sheet in zip(out.pages[1:], sheets, strict=True):
            _lay_over(page, sheet)
        out.docinfo = out.make_indirect(pikepdf.Dictionary(dict(first.docinfo.items())))
        if "/Lang" in first.Root:
            out.Root.Lang = first.Root.Lang
        if "/Metadata" in first.Root:
            out.Root.Metadata = out.copy_foreign(first.Root.Metadata)
        trees = [tree for tree in (front_tree, *self.trees) if tree is not None]
        if trees:
            if len(trees) != len(self.trees) + 1:
                raise PdfError("some of the documents to merge are tagged, others not")
            merge_trees(out, trees)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version=first.pdf_version)
        return buffer.getvalue()


def _append(out: pikepdf.Pdf, source: pikepdf.Pdf, dests: dict[str, pikepdf.Array], *, at: int | None = None) -> Tagged | None:
    """Add a source's pages to ``out`` (at the end, or from page index ``at``), and its named
    destinations to ``dests``, pointing at the pages of ``out``; return its structure tree, copied, if it has one."""
    import pikepdf

    base = len(out.pages) if at is None else at
    index = {page.obj.objgen: number for number, page in enumerate(source.pages)}
    with warnings.catch_warnings():  # it warns that named destinations are not carried: they are, below
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        if at is None:
            out.pages.extend(source.pages)
        else:
            for number, page in enumerate(source.pages):
                out.pages.insert(at + number, page)
    tree = copy_tree(out, source, [page.obj for page in out.pages[base : base + len(source.pages)]])
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return tree
    for name, dest in pikepdf.NameTree(names.Dests).items():
        found = index.get(dest[0].objgen)
        if found is not None and name not in dests:
            dests[name] = pikepdf.Array([out.pages[base + found].obj, *list(dest)[1:]])
    return tree


def _resolve_links(out: pikepdf.Pdf, dests: dict[str, pikepdf.Array], prefix: str, *, final: bool) -> None:
    """Turn ``prefix``NAME links into links to the named destination NAME; when ``final``, drop those to no destination."""
    import pikepdf

    for page in out.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept, changed = [], False
        for annot in annots:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(prefix):
                name = uri[len(prefix) :]
                if name in dests:
                    del annot["/A"]
                    annot.Dest = pikepdf.String(name)
                    if "/Contents" in annot:  # its description for assistive technology, as WeasyPrint gives a link within a document
                        annot.Contents = pikepdf.String(name)
                elif final:
                    changed = True
                    continue
            kept.append(annot)
        if changed:
            page.obj.Annots = pikepdf.Array(kept)


def _set_outline(out: pikepdf.Pdf, dests: dict[str, pikepdf.Array], headings: list[Heading]) -> list[str]:
    """Write the outline (items below the top level closed); return the anchors that have no destination."""
    import pikepdf

    missing: list[str] = []

    def items(nodes: list[Heading], depth: int) -> list[pikepdf.OutlineItem]:
        result = []
        for node in nodes:
            if node.anchor not in dests:
                missing.append(node.anchor)
                continue
            item = pikepdf.OutlineItem(node.title, destination=pikepdf.Array(list(dests[node.anchor])))
            item.children.extend(items(node.children, depth + 1))
            item.is_closed = depth > 0 and bool(node.children)
            result.append(item)
        return result

    with out.open_outline() as outline:
        outline.root.extend(items(headings, 0))
    return missing


def _lay_over(page: pikepdf.Page, sheet: pikepdf.Page) -> None:
    """Draw ``sheet`` over ``page``, as ``Page.add_overlay`` does but under a fixed resource name (it picks a
    random one), in resources of the page's own (WeasyPrint shares one resource dictionary among pages)."""
    import pikepdf

    form = sheet.as_form_xobject()
    resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", {}).items()))
    xobjects = resources.get("/XObject")
    resources.XObject = pikepdf.Dictionary(dict(xobjects.items()) if xobjects is not None else {})
    page.obj.Resources = resources
    name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(OVERLAY_NAME), replace_existing=False)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n")
    page.contents_add(ARTIFACT + page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox)) + b"\nEMC\n")
