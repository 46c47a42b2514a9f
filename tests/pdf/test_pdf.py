"""The atlas as one PDF (``python -m generator pdf``): the same content as the site, a cover,
contents with page numbers, an outline, working internal links, legible landscape matrices,
the same bytes for the same entries, and no way for entry text or a broken asset to turn into
an action, a file read or a silent, truncated PDF.

Each atlas is rendered once per module (the shipped one takes about 15 s, the small fixture
about 3 s), in-process through the real command line, into a tmp_path_factory folder. The small
fixture is rendered twice: in one part (laid out in this process) and, with a tiny part size,
in several parts laid out by worker processes and merged; most tests run on every rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import io
import math
import os
import re
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import HOSTILE, REPO_ROOT, SMALL, TODAY_EPOCH, forum_x, write_entries
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from generator.errors import AtlasInvalid
from generator.kinds.declaration import KINDS
from generator.link.atlas import Atlas
from generator.pipeline import build_atlas
from generator.render.text import markdown_inline

CONTENT = REPO_ROOT / "content"
EPOCH = int(TODAY_EPOCH)  # 2026-02-01 00:00:00 UTC
EDITION = dt.datetime.fromtimestamp(EPOCH, dt.UTC).date()
VERSION = "test-edition 1.2.3"
PARTS = "6000"  # a part size (characters of HTML) that cuts the small fixture into a dozen parts, some inside a chapter
FOOTER = re.compile(r"^(\d+) / (\d+)$")
TOC_LINE = re.compile(r"^(?P<title>.*?)(?:\s*\.)*\s+(?P<page>\d+)$")  # a title, dot leaders or not, its page number


# --- rendering ------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_pdf(args: list[str], env: dict[str, str | None]) -> Run:
    """``python -m generator pdf ARGS`` in-process, from the repository root, with ``env`` applied (None unsets)."""
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO_ROOT)
        for name, value in env.items():
            if value is None:
                mp.delenv(name, raising=False)
            else:
                mp.setenv(name, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["pdf", *args])
    return Run(code, out.getvalue(), err.getvalue())


@dataclass
class Pdf:
    path: Path
    data: bytes
    reader: PdfReader
    atlas: Atlas
    run: Run
    raw_pages: list[str] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)  # rendered size (pt) of every text-showing operator

    @property
    def total(self) -> int:
        return len(self.reader.pages)

    @functools.cached_property
    def outline_titles(self) -> set[str]:
        return {item.title for item, _ in outline_items(self.reader)}

    def dest_page(self, name: str) -> int:
        """The 0-based page index of a named destination."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[name])

    def body(self, index: int) -> str:
        """A page's text without its running header and footer."""
        lines = self.raw_pages[index].splitlines()
        if lines and FOOTER.match(lines[-1].strip()):
            lines = lines[:-1]
            if lines and any(lines[-1].startswith(t) for t in self.outline_titles):
                lines = lines[:-1]
        return "\n".join(lines)

    def text(self, start: int = 0, stop: int | None = None) -> str:
        """The text of pages [start, stop), joined, whitespace collapsed."""
        return norm(" ".join(self.body(i) for i in range(start, self.total if stop is None else stop)))


def render(entries: Path, out: Path, env: dict[str, str | None]) -> Pdf:
    run = run_pdf(["--entries", str(entries), "--content", str(CONTENT), "--out", str(out)], env)
    assert run.code == 0, run.stdout + run.stderr
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    pdf = Pdf(out, data, reader, build_atlas(entries, CONTENT), run)
    pdf.raw_pages, pdf.sizes = read_pages(reader)
    return pdf


def read_pages(reader: PdfReader) -> tuple[list[str], list[float]]:
    """Each page's text, and the rendered size (pt) of every text-showing operator, in one pass over the content streams."""
    texts: list[str] = []
    sizes: list[float] = []
    for page in reader.pages:
        state = {"size": 0.0}

        def visit(op: bytes, args: list, cm: list, tm: list, state: dict = state) -> None:
            if op == b"Tf":
                state["size"] = abs(float(args[1]))
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                m = _mul([float(x) for x in tm], [float(x) for x in cm])
                sizes.append(state["size"] * math.hypot(m[2], m[3]))  # Tf size × vertical scale of Tm × CTM

        texts.append(page.extract_text(visitor_operand_before=visit))
    return texts, sizes


def _mul(m: list[float], n: list[float]) -> list[float]:
    ma, mb, mc, md, me, mf = m
    na, nb, nc, nd, ne, nf = n
    return [ma * na + mb * nc, ma * nb + mb * nd, mc * na + md * nc, mc * nb + md * nd, me * na + mf * nc + ne, me * nb + mf * nd + nf]


def shipped_atlas_or_skip() -> None:
    try:
        build_atlas(REPO_ROOT / "entries", CONTENT)
    except AtlasInvalid as exc:
        pytest.skip(f"the shipped entries are invalid (being edited concurrently): {exc}")


@pytest.fixture(scope="module")
def shipped_pdf(tmp_path_factory) -> Pdf:
    """The shipped atlas; no SOURCE_DATE_EPOCH (edition = latest review) and no ATLAS_VERSION (git commit)."""
    shipped_atlas_or_skip()
    out = tmp_path_factory.mktemp("pdf-shipped") / "atlas.pdf"
    return render(REPO_ROOT / "entries", out, {"SOURCE_DATE_EPOCH": None, "ATLAS_VERSION": None, "ATLAS_ENTRIES": None})


class _Collect:
    """Collects WeasyPrint's warnings and errors while the small atlas renders."""

    def __init__(self) -> None:
        import logging

        self.handler = logging.Handler(logging.WARNING)
        self.records: list[str] = []
        self.handler.emit = lambda record: self.records.append(record.getMessage())  # type: ignore[method-assign]
        self.logger = logging.getLogger("weasyprint")

    def __enter__(self) -> _Collect:
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory) -> Pdf:
    """The small fixture, SOURCE_DATE_EPOCH and ATLAS_VERSION fixed, written into a folder that does not exist yet."""
    out = tmp_path_factory.mktemp("pdf-small") / "new-folder" / "x.pdf"
    with _Collect() as logs:
        pdf = render(SMALL, out, {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "ATLAS_VERSION": VERSION, "ATLAS_ENTRIES": None})
    pdf.weasyprint_log = logs.records  # type: ignore[attr-defined]
    return pdf


@pytest.fixture(scope="module")
def parts_pdf(tmp_path_factory) -> Pdf:
    """The small fixture laid out in several parts by worker processes, then merged."""
    out = tmp_path_factory.mktemp("pdf-parts") / "parts.pdf"
    with _Collect() as logs:
        pdf = render(SMALL, out, {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "ATLAS_VERSION": VERSION, "ATLAS_ENTRIES": None, "ATLAS_PDF_PART_SIZE": PARTS})
    pdf.weasyprint_log = logs.records  # type: ignore[attr-defined]
    return pdf


@pytest.fixture(scope="module", params=["shipped", "small", "parts"])
def pdf(request) -> Pdf:
    return request.getfixturevalue(f"{request.param}_pdf")


# --- text helpers ---------------------------------------------------------------------------


def norm(text: str) -> str:
    """Whitespace collapsed; a word broken after a hyphen at a line end joined again."""
    text = re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def squeeze(text: str) -> str:
    """No whitespace at all: the most tolerant comparison of line-broken text."""
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


def plain(markdown: str) -> str:
    """The text a reader sees of an inline Markdown field: rendered, tags stripped, entities unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(markdown_inline(markdown))))


def outline_items(reader: PdfReader, items=None, depth: int = 0):
    """(outline item, depth) for every item, in order."""
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from outline_items(reader, item, depth + 1)
        else:
            yield item, depth


@dataclass
class Node:
    title: str
    page: int
    children: list[Node]


def outline_tree(reader: PdfReader, items=None) -> list[Node]:
    nodes: list[Node] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            assert nodes, "an outline starts with a list of children"
            nodes[-1].children = outline_tree(reader, item)
        else:
            nodes.append(Node(item.title, reader.get_destination_page_number(item), []))
    return nodes


def contents_numbers(pdf: Pdf) -> dict[str, list[int]]:
    """Title → the page numbers the contents give it."""
    numbers: dict[str, list[int]] = {}
    pending = ""
    for index in range(1, pdf.dest_page("p-methodology")):
        for line in pdf.body(index).splitlines():
            match = TOC_LINE.match((pending + " " + line).strip())
            if match:
                numbers.setdefault(norm(match["title"]), []).append(int(match["page"]))
                pending = ""
            elif line.strip() != "Contents":
                pending = (pending + " " + line).strip()
    return numbers


def anchor(kind: str, entry_id: str) -> str:
    return f"p-{kind}s-{entry_id}"


def entry_spans(pdf: Pdf) -> dict[str, tuple[int, int]]:
    """For each entry id, the pages [first, last] its section occupies: up to the page where the next section starts."""
    named = pdf.reader.named_destinations
    sections = sorted(
        (pdf.dest_page(name), -float(named[name].top or 0), name) for name in named if name.startswith("p-") and "--" not in name
    )
    order = [name for _, _, name in sections]
    spans = {}
    for entry in pdf.atlas.entries.values():
        position = order.index(anchor(entry.kind, entry.id))
        last = sections[position + 1][0] if position + 1 < len(sections) else pdf.total - 1
        spans[entry.id] = (sections[position][0], last)
    return spans


def link_annotations(reader: PdfReader):
    """(0-based page index, annotation dictionary) for every /Link annotation."""
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                yield index, annot


def internal_target(annot: DictionaryObject) -> object | None:
    """A link's internal destination (a name or an explicit array), or None for an external one."""
    if "/Dest" in annot:
        return annot["/Dest"]
    action = annot.get("/A")
    if action is not None and action.get_object().get("/S") == "/GoTo":
        return action.get_object()["/D"]
    return None


# --- content parity -------------------------------------------------------------------------


def test_every_entry_name_and_summary_is_in_the_pdf(shipped_pdf):
    text = shipped_pdf.text()
    loose = squeeze(text)
    missing = []
    for entry in shipped_pdf.atlas.entries.values():
        for label, value in (("name", entry.name), ("summary", plain(entry.summary))):
            if norm(value) not in text:
                missing.append(f"{entry.id} {label}: {value[:80]!r}" + (" (found with all whitespace removed)" if squeeze(value) in loose else ""))
    assert not missing, "\n".join(missing)


def test_every_gap_and_source_title_is_in_the_pdf(shipped_pdf):
    text = shipped_pdf.text()
    atlas = shipped_pdf.atlas
    assert atlas.gaps and atlas.citations
    missing = [f"gap {g.id}: {g.name!r}" for g in atlas.gaps if norm(g.name) not in text]
    missing += [f"source {c.source.key}: {c.source.title!r}" for c in atlas.citations if norm(c.source.title) not in text]
    assert not missing, "\n".join(missing)


def test_every_coverage_claim_is_on_its_entry_pages_and_its_gap_pages(shipped_pdf):
    """Claim = entry name + gap name + level word + evidence quote, on the claiming entry's pages; entry + level + evidence on the gap's."""
    atlas = shipped_pdf.atlas
    spans = entry_spans(shipped_pdf)
    claims = [(e, c) for e in atlas.actors for c in e.addresses]
    assert claims
    missing = []
    for entry, claim in claims:
        gap = atlas.entries[claim.gap]
        first, last = spans[entry.id]
        on_entry = shipped_pdf.text(first, last + 1)
        for what, value in (("entry name", entry.name), ("gap name", gap.name), ("level", claim.level), ("evidence", claim.evidence)):
            if norm(value) not in on_entry:
                missing.append(f"{entry.id} → {claim.gap}: {what} {value[:60]!r} not on pages {first + 1}-{last + 1}")
        first, last = spans[gap.id]
        on_gap = shipped_pdf.text(first, last + 1)
        for what, value in (("entry label", entry.label), ("level", claim.level), ("evidence", claim.evidence)):
            if norm(value) not in on_gap:
                missing.append(f"gap {gap.id} ← {entry.id}: {what} {value[:60]!r} not on pages {first + 1}-{last + 1}")
    assert not missing, "\n".join(missing)


def test_the_full_matrix_names_every_gap_and_every_forum_and_initiative(pdf):
    first, stop = pdf.dest_page("p-coverage-matrix"), pdf.dest_page("p-entries")
    text = squeeze(pdf.text(first, stop))
    missing = [e.short_label for e in pdf.atlas.actors if squeeze(e.label) not in text]
    missing += [g.name for g in pdf.atlas.gaps if squeeze(g.name) not in text]
    assert not missing


# --- outline, links, contents ---------------------------------------------------------------


def test_outline_has_a_top_level_item_per_chapter(pdf):
    brief_title = re.search(r"^#\s+(.+)$", (CONTENT / "brief.md").read_text(encoding="utf-8"), re.MULTILINE).group(1).strip()
    tree = outline_tree(pdf.reader)
    top = {node.title: node.page for node in tree}
    expected = {
        "Contents": 1,
        "Methodology": pdf.dest_page("p-methodology"),
        "Coverage": pdf.dest_page("p-coverage-index"),
        "Entries": pdf.dest_page("p-entries"),
        "Timeline": pdf.dest_page("p-timeline"),
        "Relations": pdf.dest_page("p-relations"),
        "Sources": pdf.dest_page("p-sources"),
        brief_title: pdf.dest_page("p-brief"),
    }
    if "p-whats-new-this-edition" in pdf.reader.named_destinations:  # an atlas with editions (tests/pdf/test_pdf_changes.py)
        expected["Changes in this edition"] = pdf.dest_page("p-whats-new-this-edition")
    assert top == expected
    assert [n.page for n in tree] == sorted(n.page for n in tree)
    coverage = next(n for n in tree if n.title == "Coverage")
    assert [(c.title, c.page) for c in coverage.children] == [
        ("Pathways × gaps", pdf.dest_page("p-coverage-pathways")),
        ("Full matrix", pdf.dest_page("p-coverage-matrix")),
    ]


def test_the_timeline_is_a_chapter_whose_events_link_to_their_entries_sections(pdf):
    from generator.link.timeline import timeline

    line = timeline(pdf.atlas)
    start, end = pdf.dest_page("p-timeline"), pdf.dest_page("p-sources")
    assert pdf.dest_page("p-entries") < start < end and line.events
    text = squeeze(pdf.text(start, end))
    assert text.startswith(squeeze(f"Timeline Every dated event in the atlas ({len(line.events)})"))
    assert all(squeeze(f"{event.date} {event.label}") in text for event in line.events)
    assert squeeze("Kind of entry") not in text and "Showing" not in text  # the filters are for the screen
    targets = {str(internal_target(a)) for i, a in link_annotations(pdf.reader) if start <= i < end and internal_target(a) is not None}
    assert {anchor(e.entry.kind, e.entry.id) for e in line.events} <= targets
    assert {f"p-timeline--year-{year}" for year, _ in line.years()} <= targets  # the list of years


def test_outline_nests_kind_then_entry_with_one_item_per_entry(pdf):
    entries = next(n for n in outline_tree(pdf.reader) if n.title == "Entries")
    assert [k.title for k in entries.children] == [kind.title for kind in KINDS.values()]
    for kind_node, kind in zip(entries.children, KINDS.values(), strict=True):
        assert kind_node.page == pdf.dest_page(f"p-{kind.folder}-index")
        assert [(c.title, c.page) for c in kind_node.children] == [
            (e.label, pdf.dest_page(anchor(kind.name, e.id))) for e in pdf.atlas.by_kind[kind.name]
        ]
        assert all(not c.children for c in kind_node.children)
    labels = [item.title for item, depth in outline_items(pdf.reader) if depth == 2]
    assert sorted(labels) == sorted(e.label for e in pdf.atlas.entries.values())


def test_internal_links_land_on_existing_destinations(pdf):
    reader = pdf.reader
    named = reader.named_destinations
    internal = 0
    for index, annot in link_annotations(reader):
        target = internal_target(annot)
        if target is None:
            continue
        internal += 1
        if isinstance(target, ArrayObject):
            page = reader.get_page_number(target[0].get_object())  # type: ignore[attr-defined]
        else:
            assert str(target) in named, f"page {index + 1}: link to missing destination {target!r}"
            page = reader.get_destination_page_number(named[str(target)])
        assert 0 <= page < pdf.total, f"page {index + 1}: link {target!r} lands on page {page}"
    assert internal > len(pdf.atlas.entries)


def test_contents_links_to_every_entry(pdf):
    contents_pages = range(1, pdf.dest_page("p-methodology"))
    targets = {str(internal_target(a)) for i, a in link_annotations(pdf.reader) if i in contents_pages and internal_target(a) is not None}
    missing = [e.id for e in pdf.atlas.entries.values() if anchor(e.kind, e.id) not in targets]
    assert not missing
    every = {str(internal_target(a)) for _, a in link_annotations(pdf.reader) if internal_target(a) is not None}
    assert every >= {anchor(e.kind, e.id) for e in pdf.atlas.entries.values()}


def test_external_links_are_http_https_or_mailto_only(pdf):
    uris = []
    for index, annot in link_annotations(pdf.reader):
        action = annot.get("/A")
        if action is None or action.get_object().get("/S") == "/GoTo":
            continue
        action = action.get_object()
        assert action.get("/S") == "/URI", f"page {index + 1}: action {action}"
        uris.append(str(action["/URI"]))
    assert uris
    assert [u for u in uris if not u.startswith(("http://", "https://", "mailto:"))] == []


def test_contents_shows_the_page_number_of_each_entry(pdf):
    assert pdf.dest_page("p-methodology") > 1, "the contents start on page 2"
    numbers = contents_numbers(pdf)
    for entry in pdf.atlas.entries.values():
        label = norm(entry.label)
        assert label in numbers, f"{entry.label!r} not in the contents: {sorted(numbers)[:10]}"
        assert pdf.dest_page(anchor(entry.kind, entry.id)) + 1 in numbers[label], entry.id
    for kind in KINDS.values():
        assert pdf.dest_page(f"p-{kind.folder}-index") + 1 in numbers[kind.title]


def test_running_footer_on_every_page_after_the_cover(pdf):
    total = pdf.total
    assert total > 5
    assert not FOOTER.search(pdf.raw_pages[0].strip().splitlines()[-1])
    assert f"1 / {total}" not in pdf.raw_pages[0]
    for number in range(2, total + 1):
        assert pdf.raw_pages[number - 1].strip().splitlines()[-1].strip() == f"{number} / {total}", number


def _headers(pdf: Pdf) -> list[tuple[int, str, str]]:
    """(1-based page, running header, chapter title the page belongs to) for every page after the contents."""
    tree = outline_tree(pdf.reader)
    result = []
    for index in range(pdf.dest_page("p-methodology"), pdf.total):
        chapter = [n for n in tree if n.page <= index][-1]
        lines = pdf.raw_pages[index].strip().splitlines()
        result.append((index + 1, lines[-2].strip(), chapter))
    return result


def test_running_header_names_the_chapter(pdf):
    for page, header, chapter in _headers(pdf):
        assert header.startswith(chapter.title), (page, header, chapter.title)


def test_running_header_names_only_sections_of_its_own_chapter(pdf):
    wrong = []
    for page, header, chapter in _headers(pdf):
        rest = header.removeprefix(chapter.title).strip()
        if rest and rest not in {c.title for c in chapter.children}:
            wrong.append(f"page {page}: header {header!r} in chapter {chapter.title!r}")
    assert not wrong, "\n".join(wrong)


# --- cover, metadata, layout ----------------------------------------------------------------


def test_cover_shows_title_edition_count_and_version(small_pdf):
    cover = norm(small_pdf.raw_pages[0])
    atlas = small_pdf.atlas
    assert cover.startswith("Space Governance Atlas")
    assert f"Edition {EDITION.isoformat()}" in cover
    assert f"Entries {len(atlas.entries)}: {len(atlas.by_kind['forum'])} forums," in cover
    assert f"Version {VERSION}" in cover


def test_shipped_cover_dates_the_edition_by_the_latest_review_and_names_the_commit(shipped_pdf):
    cover = norm(shipped_pdf.raw_pages[0])
    latest = max(e.last_reviewed for e in shipped_pdf.atlas.entries.values())
    assert f"Edition {latest.isoformat()}" in cover
    assert f"Entries {len(shipped_pdf.atlas.entries)}:" in cover
    assert re.search(r"Version (commit [0-9a-f]{7,40}|unversioned)$", cover), cover


def test_matrix_pages_are_landscape_and_the_rest_portrait(pdf):
    first, stop = pdf.dest_page("p-coverage-pathways"), pdf.dest_page("p-entries")
    assert stop - first >= 2
    for index, page in enumerate(pdf.reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width > height) == (first <= index < stop), f"page {index + 1}: {width} × {height}"
    assert "Forum or initiative" in pdf.text(pdf.dest_page("p-coverage-matrix"), stop)


def test_no_text_is_smaller_than_7_pt(pdf):
    sizes = pdf.sizes
    assert len(sizes) > 200
    assert max(sizes) >= 29.9  # the cover title: the scale is read correctly
    assert min(sizes) >= 7 - 0.01, sorted({round(s, 2) for s in sizes})[:5]


def test_the_size_reader_sees_small_and_large_text():
    """With the print stylesheet, for its fonts: without them a machine with no fonts installed would crash WeasyPrint."""
    from generator.pdf.layout import lay_out

    body = '<p style="font-size: 6pt">small</p><p style="font-size: 30pt">large</p>'
    page = f'<html><head><link rel="stylesheet" href="print.css"></head><body>{body}</body></html>'
    data = lay_out(page).data
    _, sizes = read_pages(PdfReader(io.BytesIO(data)))
    assert (round(min(sizes), 2), round(max(sizes), 2)) == (6.0, 30.0)


@pytest.mark.parametrize("rendering", ["small_pdf", "parts_pdf"])
def test_weasyprint_logs_no_warning(rendering, request):
    """An unsupported property or a failed fetch in print.css shows as a warning (a worker's too): there must be none."""
    assert request.getfixturevalue(rendering).weasyprint_log == []


# --- determinism ----------------------------------------------------------------------------


def test_same_entries_give_the_same_bytes(small_pdf, run_cli, tmp_path):
    """A second render, in another process (another hash seed), is byte-identical."""
    out = tmp_path / "again.pdf"
    code, stdout, stderr = run_cli(
        "pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(out),
        env={"SOURCE_DATE_EPOCH": TODAY_EPOCH, "ATLAS_VERSION": VERSION},
    )
    assert code == 0, stdout + stderr
    assert out.read_bytes() == small_pdf.data


def test_metadata_dates_are_the_source_date_epoch(small_pdf):
    meta = small_pdf.reader.metadata
    stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC)
    assert meta.creation_date == stamp
    assert meta.modification_date == stamp
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260201000000Z"
    assert meta.title == f"Space Governance Atlas — edition {EDITION.isoformat()}"


# --- CLI ------------------------------------------------------------------------------------


def test_cli_reports_pages_and_size(small_pdf):
    assert small_pdf.path.parent.name == "new-folder"  # the folder did not exist: it was made
    match = re.fullmatch(r"wrote (\S+): (\d+) pages, (\d+) KiB, in \d+\.\d s\n", small_pdf.run.stdout)
    assert match, small_pdf.run.stdout
    assert Path(REPO_ROOT, match[1]).resolve() == small_pdf.path.resolve()
    assert int(match[2]) == small_pdf.total
    assert int(match[3]) == len(small_pdf.data) // 1024
    assert "Traceback" not in small_pdf.run.stderr
    assert small_pdf.data.startswith(b"%PDF-") and small_pdf.data.rstrip().endswith(b"%%EOF")
    assert [p.name for p in small_pdf.path.parent.iterdir()] == ["x.pdf"]  # no temporary file left


def test_cli_on_invalid_entries_prints_the_problems_and_writes_nothing(make_entries, run_cli, tmp_path):
    make_entries({"forums/x.yaml": forum_x("established: soon\nwebsite: ftp://example.org/\n")})
    out = tmp_path / "out" / "atlas.pdf"
    code, _stdout, stderr = run_cli("pdf", "--entries", "entries", "--out", str(out), cwd=tmp_path)
    check_code, check_out, _ = run_cli("check", "--entries", "entries", cwd=tmp_path)
    assert code == 1 and check_code == 1
    problems = check_out.splitlines()
    assert len(problems) >= 2 and all(p.startswith("entries/forums/x.yaml:") for p in problems), problems
    for line in problems:
        assert line in stderr.splitlines()
    assert "Traceback" not in stderr
    assert not out.exists() and not out.parent.exists()


# --- laid out in parts -----------------------------------------------------------------------


def test_contents_page_numbers_are_the_outline_targets(pdf):
    numbers = contents_numbers(pdf)
    checked = 0
    for item, _depth in outline_items(pdf.reader):
        if norm(item.title) in numbers:
            assert pdf.reader.get_destination_page_number(item) + 1 in numbers[norm(item.title)], item.title
            checked += 1
    assert checked >= len(pdf.atlas.entries) + len(KINDS)


def test_parts_are_laid_out_by_processes_and_say_so_on_stderr(parts_pdf, small_pdf):
    done = re.findall(r"^laid out part (\d+)/(\d+): (\d+) pages", parts_pdf.run.stderr, re.MULTILINE)
    counts = {int(total) for _, total, _ in done}
    assert len(counts) == 1 and counts.pop() >= 4, parts_pdf.run.stderr
    assert sorted(int(n) for n, _, _ in done) == list(range(1, len(done) + 1))
    assert re.fullmatch(r"wrote (\S+): (\d+) pages, (\d+) KiB, in \d+\.\d s\n", parts_pdf.run.stdout), parts_pdf.run.stdout
    assert "Traceback" not in parts_pdf.run.stderr
    assert "laid out part" not in small_pdf.run.stderr  # one part: no progress to tell
    assert parts_pdf.total > small_pdf.total  # a part inside a chapter starts a page


def test_parts_hold_the_same_text_as_one_document(parts_pdf, small_pdf):
    """Page breaks differ; the text after the contents, running heads and page numbers aside, does not."""
    def body(pdf: Pdf) -> str:
        return squeeze(pdf.text(pdf.dest_page("p-methodology")))

    assert body(parts_pdf) == body(small_pdf)


def test_links_across_parts_land_on_the_page_of_their_target(parts_pdf, small_pdf):
    """Every internal link of the one-part PDF is in the merged one too, and each lands where its target's heading is."""
    def targets(pdf: Pdf) -> list[str]:
        return sorted(str(internal_target(annot)) for _, annot in link_annotations(pdf.reader) if internal_target(annot) is not None)

    assert targets(parts_pdf) == targets(small_pdf)
    headings = {anchor(e.kind, e.id): e.name for e in parts_pdf.atlas.entries.values()}
    headings |= {f"p-{kind.folder}-index": kind.title for kind in KINDS.values()}
    landed = 0
    for index, annot in link_annotations(parts_pdf.reader):
        name = str(internal_target(annot))
        if name in headings:
            page = parts_pdf.dest_page(name)
            assert norm(headings[name]) in parts_pdf.text(page, page + 1), f"page {index + 1}: {name} → page {page + 1}"
            landed += 1
    assert landed > 2 * len(headings)


def test_parts_give_the_same_bytes_twice(parts_pdf, run_cli, tmp_path):
    out = tmp_path / "again.pdf"
    code, stdout, stderr = run_cli(
        "pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(out),
        env={"SOURCE_DATE_EPOCH": TODAY_EPOCH, "ATLAS_VERSION": VERSION, "ATLAS_PDF_PART_SIZE": PARTS},
    )
    assert code == 0, stdout + stderr
    assert out.read_bytes() == parts_pdf.data


def test_parts_keep_the_metadata(parts_pdf, small_pdf):
    assert parts_pdf.reader.metadata == small_pdf.reader.metadata


def _book(entries: Path = SMALL):
    from generator.pdf.book import PrintBook

    return PrintBook(build_atlas(entries, CONTENT), CONTENT)


def test_the_book_is_cut_into_whole_sections_in_order():
    from generator.pdf.parts import PART_SIZE, split_book

    chapters = _book().chapters()
    sections = [s.anchor for c in chapters for s in c.sections]
    assert len(split_book(chapters, PART_SIZE)) == 1  # a small atlas is one part, laid out in this process
    largest = max(s.size for c in chapters for s in c.sections)
    total = sum(s.size for c in chapters for s in c.sections)
    for size in (8000, 3000, 5000):
        parts = split_book(chapters, size)
        assert [s.anchor for part in parts for s in part.sections] == sections
        assert 1 < len(parts) <= math.ceil(math.ceil(total / size) / 2) * 2  # an even number, unless sections are too long
        assert all(part.sections and part.size <= size + largest for part in parts)


def test_one_part_starts_no_process(monkeypatch, tmp_path):
    import generator.workers
    from generator.pdf.write import write_atlas_pdf

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started for one part")

    monkeypatch.setattr(generator.workers, "ProcessPoolExecutor", refuse)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    lines: list[str] = []
    pages = write_atlas_pdf(build_atlas(SMALL, None), tmp_path / "one.pdf", content_dir=None, version=VERSION, progress=lines.append)
    assert pages == len(PdfReader(tmp_path / "one.pdf").pages) and lines == []
    run = generator.workers.last_run  # the layouts' pool, the last one used
    assert run is not None and run.start is None and run.chunks_here >= 3 and run.chunks_in_workers == 0


def test_a_long_full_matrix_is_replaced_by_a_note(monkeypatch, tmp_path):
    """Past PRINT_MATRIX_MAX_ROWS forums and initiatives, a note stands for the matrix and links every gap's page."""
    import generator.pdf.book
    from generator.pdf.write import write_atlas_pdf

    monkeypatch.setattr(generator.pdf.book, "PRINT_MATRIX_MAX_ROWS", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    atlas = build_atlas(SMALL, CONTENT)
    assert len(atlas.actors) > 2
    write_atlas_pdf(atlas, tmp_path / "note.pdf", content_dir=CONTENT, version=VERSION, progress=None)
    reader = PdfReader(tmp_path / "note.pdf")
    pdf = Pdf(tmp_path / "note.pdf", b"", reader, atlas, Run(0, "", ""))
    pdf.raw_pages, pdf.sizes = read_pages(reader)
    note, entries = pdf.dest_page("p-coverage-matrix"), pdf.dest_page("p-entries")
    text = pdf.text(note, entries)
    assert "too long for paper" in text and "Forum or initiative" not in text
    assert all(norm(g.name) in text for g in atlas.gaps)
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    assert not any(landscape[note:])  # only the pathways × gaps matrix is printed in landscape
    gap_links = {str(internal_target(a)) for i, a in link_annotations(reader) if note <= i < entries}
    assert gap_links >= {anchor("gap", g.id) for g in atlas.gaps}


def test_a_failure_in_a_worker_fails_clearly_and_writes_nothing(assets_without_stylesheet, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_PDF_PART_SIZE", PARTS)
    out = tmp_path / "out" / "atlas.pdf"
    run = _pdf_in_process(out, monkeypatch, capsys)
    assert_failed_cleanly(run, out)


def _exits_in_layout_worker(job: object, assets: str) -> None:
    os._exit(1)


def _killed_in_layout_worker(job: object, assets: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as by the out-of-memory killer


@pytest.mark.parametrize("dies", [_exits_in_layout_worker, _killed_in_layout_worker], ids=["exits", "killed"])
def test_a_layout_worker_that_dies_fails_clearly_and_writes_nothing(dies, tmp_path, monkeypatch, capsys):
    """Exit 3 (an internal failure) and one line saying what failed; no traceback, no PDF."""
    import generator.pdf.parts

    monkeypatch.setattr(generator.pdf.parts, "_lay_out_in_worker", dies)  # sent to the spawned workers by name
    monkeypatch.setenv("ATLAS_PDF_PART_SIZE", PARTS)
    out = tmp_path / "out" / "atlas.pdf"
    run = _pdf_in_process(out, monkeypatch, capsys)
    assert (run.code, run.stdout) == (3, "")
    assert run.stderr.splitlines()[-1] == (
        "python -m generator pdf: error: a worker process laying out the PDF stopped unexpectedly (killed, or out of memory?)"
    )
    assert "Traceback" not in run.stderr
    assert not out.exists() and (not out.parent.exists() or list(out.parent.iterdir()) == [])


# --- hostile text ---------------------------------------------------------------------------

LINKS_FORUM = """\
    id: data-links
    kind: forum
    name: Data Links Forum
    summary: >-
      See [x](javascript:alert(1)) and [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
      and [f](file:///etc/passwd) and <a href="javascript:alert(2)">raw</a> and ![i](data:image/png;base64,AAAA)
      and [v](vbscript:msgbox(1)) and [p](//evil.example/x) and [r](../../../../etc/passwd) and [ok](https://example.org/ok).
    description: |
      <a href="data:text/html,x">raw data</a> <link rel="attachment" href="file:///etc/passwd">
      <img src="file:///etc/passwd"> <object data="file:///etc/passwd"></object> [m](mailto:b@example.org)
    pathway: universal
    addresses:
      - gap: dialogue
        level: emerging
        basis: category
        note: "[n](javascript:alert(3)) and [m](data:text/plain,hi) and <a href='file:///etc/passwd'>f</a>"
        evidence: "[e](javascript:alert(4))"
        source: https://example.org/brief
        category: "[e](javascript:alert(4))"
        category_source: https://example.org/brief
    history:
      - date: 2020
        event: "[h](javascript:alert(5))"
    sources:
      - title: "[t](javascript:alert(6)) <a href='data:,x'>s</a>"
        url: https://example.org/brief
        accessed: 2026-01-10
        supports: [pathway]
    last_reviewed: 2026-01-15
    """

FORBIDDEN_KEYS = {"/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/AA", "/OpenAction", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia"}
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE", "/Rendition", "/Movie", "/Sound", "/Hide"}


def all_objects(reader: PdfReader):
    """Every object of the PDF (objects in object streams too), and the trailer."""
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    yield reader.trailer
    for num, gen in sorted(numbers):
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if obj is not None:
            yield obj


def walk(obj, found: list[tuple[str, str]]) -> None:
    """Record (kind, value) of every dictionary key, action type and URI below ``obj`` (not following references)."""
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            found.append(("key", str(key)))
            # a group's /S is its kind (an SVG's transparency group); a structure element's, its role (/H1, /Span)
            if key == "/S" and isinstance(value, NameObject) and obj.get("/Type") not in ("/Group", "/StructElem"):
                found.append(("action", str(value)))
            if key == "/URI":
                found.append(("uri", str(value.get_object())))
            if not isinstance(value, IndirectObject):
                walk(value, found)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            if not isinstance(item, IndirectObject):
                walk(item, found)


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory) -> tuple[Pdf, list[tuple[str, str]]]:
    entries = write_entries(tmp_path_factory.mktemp("pdf-hostile") / "entries", {**HOSTILE, "forums/data-links.yaml": LINKS_FORUM})
    pdf = render(entries, entries.parent / "hostile.pdf", {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "ATLAS_VERSION": VERSION, "ATLAS_ENTRIES": None})
    found: list[tuple[str, str]] = []
    for obj in all_objects(pdf.reader):
        walk(obj, found)
    return pdf, found


def test_hostile_text_never_becomes_a_pdf_action(hostile_pdf):
    pdf, found = hostile_pdf
    uris = {value for kind, value in found if kind == "uri"}
    # the walk sees the link annotations: the harmless links of the hostile entries are there
    assert {"https://example.org/ok", "mailto:a@example.org", "mailto:b@example.org"} <= uris
    assert {("key", k) for k in FORBIDDEN_KEYS} & set(found) == set()
    assert {v for kind, v in found if kind == "action"} <= {"/URI", "/GoTo"}
    assert {v for kind, v in found if kind == "action"} & FORBIDDEN_ACTIONS == set()
    assert [u for u in uris if not u.startswith(("http://", "https://", "mailto:"))] == []
    assert not any(u.lower().lstrip().startswith(("javascript", "data", "file", "vbscript")) for u in uris)
    assert b"/JavaScript" not in pdf.data and b"/Launch" not in pdf.data


def test_hostile_text_is_shown_as_typed(hostile_pdf):
    pdf, _ = hostile_pdf
    text = pdf.text()
    assert "Typed {{ 7*7 }}" in text  # entry text is data, never a template
    assert "<script>alert('summary')</script>" in text  # raw HTML is shown as typed, not run
    assert "Data Links Forum" in text


# --- failures -------------------------------------------------------------------------------


@pytest.fixture
def assets_without_stylesheet(tmp_path, monkeypatch) -> Path:
    """generator.pdf.book.PRINT_ASSETS pointing at a folder with the templates but no print.css."""
    import generator.pdf.book

    assets = tmp_path / "print-assets"
    assets.mkdir()
    for template in generator.pdf.book.PRINT_ASSETS.glob("*.j2"):
        shutil.copy(template, assets / template.name)
    monkeypatch.setattr(generator.pdf.book, "PRINT_ASSETS", assets)
    return assets


def _pdf_in_process(out: Path, monkeypatch, capsys) -> Run:
    from generator.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    monkeypatch.setenv("ATLAS_VERSION", VERSION)
    capsys.readouterr()
    code = main(["pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    return Run(code, stdout, stderr)


def assert_failed_cleanly(run: Run, out: Path) -> None:
    """Exit 3 (an internal failure), one message naming the stylesheet and saying nothing was written, no PDF."""
    assert run.code == 3
    assert "print.css" in run.stderr and "no PDF was written" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not out.exists()


def test_missing_stylesheet_fails_clearly_and_writes_nothing(assets_without_stylesheet, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out" / "atlas.pdf"
    run = _pdf_in_process(out, monkeypatch, capsys)
    assert_failed_cleanly(run, out)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_missing_stylesheet_leaves_the_previous_pdf_untouched(assets_without_stylesheet, tmp_path, monkeypatch, capsys):
    out = tmp_path / "atlas.pdf"
    previous = b"%PDF-1.7\n% the previous edition\n%%EOF\n"
    out.write_bytes(previous)
    run = _pdf_in_process(out, monkeypatch, capsys)
    assert run.code == 3 and "print.css" in run.stderr
    assert out.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.pdf", "print-assets"]  # no temporary file left


def test_stylesheet_that_loads_another_file_fails(assets_without_stylesheet, tmp_path, monkeypatch, capsys):
    import generator.pdf.book

    (assets_without_stylesheet / "extra.css").write_text("p { color: red; }\n", encoding="utf-8")
    css = (REPO_ROOT / "generator" / "pdf" / "print" / "print.css").read_text(encoding="utf-8")
    (assets_without_stylesheet / "print.css").write_text('@import "extra.css";\n' + css, encoding="utf-8")
    assert assets_without_stylesheet == generator.pdf.book.PRINT_ASSETS
    out = tmp_path / "atlas.pdf"
    run = _pdf_in_process(out, monkeypatch, capsys)
    assert run.code == 3
    assert "extra.css" in run.stderr, run.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<style>@import url("file:///etc/passwd");</style>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<img src="http://127.0.0.1:9/x.png">',
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">',
        '<link rel="stylesheet" href="atlas.html.j2">',
    ],
)
def test_lay_out_refuses_to_load_anything_but_its_stylesheet(markup):
    from generator.errors import PdfError
    from generator.pdf.layout import lay_out

    page = f'<!DOCTYPE html><html><head><link rel="stylesheet" href="print.css"></head><body><p>text</p>{markup}</body></html>'
    with pytest.raises(PdfError) as raised:
        lay_out(page)
    assert "may only load its own stylesheet" in str(raised.value)


def test_lay_out_loads_its_own_stylesheet():
    from generator.pdf.layout import lay_out

    laid = lay_out('<!DOCTYPE html><html><head><link rel="stylesheet" href="print.css"></head><body><p>text</p></body></html>')
    data, pages = laid.data, laid.pages
    assert pages == 1 and data.startswith(b"%PDF-")


# --- the site's Markdown configuration ------------------------------------------------------


def test_pages_convert_with_the_markdown_extensions_mkdocs_loads(monkeypatch):
    from mkdocs.config import load_config

    from generator.pdf.markdown_config import SITE_ONLY, site_markdown

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")  # and Material's setting it is undone afterwards
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"))
    ours = site_markdown(REPO_ROOT / "mkdocs.yml")
    site_only = set(SITE_ONLY)
    assert site_only <= set(config.markdown_extensions)  # the site's search marks: of no use on paper
    assert ours == ([e for e in config.markdown_extensions if e not in site_only], {k: v for k, v in config.mdx_configs.items() if k not in site_only})
    assert ours[1]["toc"]["permalink"] is True


def test_the_print_converts_as_the_site_but_without_permalinks():
    from generator.pdf.book import PageConverter

    html = PageConverter(["a.md"], REPO_ROOT / "mkdocs.yml").convert("a.md", "# Title\n\n!!! note\n    Said.\n\n```\ncode\n```\n")
    assert '<h1 id="p-a--title">Title</h1>' in html  # toc, without its ¶ link
    assert '<div class="admonition note">' in html
    assert "<pre><code>code\n</code></pre>" in html  # fenced_code, one of MkDocs' own


def test_the_markdown_config_needs_no_entries_and_ignores_tags_elsewhere(tmp_path):
    from generator.pdf.markdown_config import site_markdown

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: !ENV [NAME, x]\nplugins:\n  - atlas:\n      entries: nowhere\n"
        "markdown_extensions:\n  - attr_list\n  - toc:\n      permalink: '#'\n",
        encoding="utf-8",
    )
    assert site_markdown(config) == (["toc", "tables", "fenced_code", "attr_list"], {"toc": {"permalink": "#"}})


@pytest.mark.parametrize(
    ("extensions", "complaint"),
    [("  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify\n", "!!python/name"), ("  - no_such_extension\n", "no_such_extension")],
    ids=["tag", "unknown"],
)
def test_a_markdown_config_the_pdf_cannot_use_is_refused(tmp_path, extensions, complaint):
    from generator.errors import SettingsInvalid
    from generator.pdf.markdown_config import site_markdown

    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nmarkdown_extensions:\n{extensions}", encoding="utf-8")
    with pytest.raises(SettingsInvalid) as raised:
        site_markdown(config)
    assert complaint in str(raised.value)


def test_mkdocs_yml_is_found_beside_the_content_folder_first(tmp_path, monkeypatch):
    from generator.pdf.markdown_config import find_mkdocs_yml

    (tmp_path / "site" / "content").mkdir(parents=True)
    (tmp_path / "site" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.chdir(REPO_ROOT)
    assert find_mkdocs_yml(tmp_path / "site" / "content") == tmp_path / "site" / "mkdocs.yml"
    assert find_mkdocs_yml(tmp_path / "elsewhere") == REPO_ROOT / "mkdocs.yml"
    assert find_mkdocs_yml() == REPO_ROOT / "mkdocs.yml"
