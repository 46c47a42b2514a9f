"""Hostile contributions: no pull request, however crafted, can run code, inject script into the
public site, crash the build, or lose data.

1. ``tests/fixtures/hostile/invalid/``: one problem per file, each with the exact ``check`` output it
   must give in its header (see :func:`read_case`). Files that cannot carry a comment (empty, NUL
   bytes, bad encodings, too big, symbolic links) are made here (:data:`GENERATED`).
2. ``tests/fixtures/hostile/valid/``: a complete atlas, valid, with injection payloads in every text
   field; built with ``mkdocs build --strict`` and every built page parsed and scanned.
3. The same entries give the same bytes.
4. A failed build leaves the previous site as it was; ``new`` never overwrites.

Everything runs the real command lines (``python -m generator``, ``python -m mkdocs``) in
subprocesses, from a temporary folder, so paths in problems read ``entries/<kind>s/<file>``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import VALID_ATLAS

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
INVALID = HOSTILE / "invalid"
VALID = HOSTILE / "valid"
MARK = "XSSMARK"  # sits in the would-be executable part of every payload in VALID
TODAY_EPOCH = "1769904000"  # 2026-02-01: the fixtures were reviewed 2026-01-15, so nothing is stale
ERROR_TAIL = re.compile(r"^\d+ errors? in \d+ files?(, \d+ warnings?)?$")

# The small valid atlas every hostile file is dropped into: the shared one of conftest.
BASE_ATLAS: dict[str, str] = {path: textwrap.dedent(text) for path, text in VALID_ATLAS.items()}

# A complete, valid forum (lines 1-17), for the files made by the tests.
FORUM = """\
id: {id}
kind: forum
name: Hostile Forum
summary: A forum.
pathway: universal
addresses:
  - gap: dialogue
    level: partial
    basis: named
    evidence: "Some evidence."
    source: https://example.org/brief
sources:
  - title: Example brief
    url: https://example.org/brief
    accessed: 2026-01-10
    supports: [pathway]
last_reviewed: 2026-01-15
"""


# --- running the command lines ------------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: this checkout importable, no inherited atlas settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES", "SOURCE_DATE_EPOCH", "ATLAS_DOWNLOADS", "ATLAS_OFFLINE")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def generator(*args: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=cli_env(SOURCE_DATE_EPOCH=TODAY_EPOCH),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def mkdocs_build(
    entries: Path, out: Path, *, strict: bool = True, downloads: bool = True, cwd: Path = REPO, **env: str
) -> subprocess.CompletedProcess[str]:
    """``ATLAS_ENTRIES=entries mkdocs build --strict -d out``, run from ``cwd``.

    ``downloads=False`` skips the PDF, open data and offline copy (``ATLAS_DOWNLOADS=0``): faster,
    for the tests about the site folder alone.
    """
    if not downloads:
        env["ATLAS_DOWNLOADS"] = "0"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-d", str(out)],
        cwd=cwd,
        env=cli_env(ATLAS_ENTRIES=str(entries), **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every file and link under ``root`` (not followed): relative path → sha256 (or link target)."""
    found: dict[str, str] = {}
    for top, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(top) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "PWNED" not in both, both  # the payloads that would run a command print PWNED-BY-YAML


# --- 1. hostile files, one problem each ---------------------------------------------


@dataclass
class Case:
    """One hostile file: where it goes, and the problem lines ``check`` must print for it."""

    name: str
    folder: str
    expect: list[tuple[str, str]]  # ("exact" | "re", "LINE:COL: error: MESSAGE")
    data: bytes | None = None  # the file's bytes; None when ``make`` writes it
    make: Callable[[Path, Path], None] | None = None  # make(entries, outside): writes the case
    target: str = ""  # the path problems name, relative to the entries folder
    xfail: str | None = None

    def place(self, entries: Path, outside: Path) -> None:
        if self.make is not None:
            self.make(entries, outside)
        else:
            path = entries / self.target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.data or b"")

    def expected_lines(self) -> list[tuple[str, str, str]]:
        """(how, path prefix, rest) for each expected problem line."""
        return [(how, f"entries/{self.target}:", text) for how, text in self.expect]


def read_case(path: Path) -> Case:
    """A fixture file of ``invalid/``. Its first comment lines say what ``check`` must print::

        # expect: LINE:COL: error: MESSAGE       (one line per problem, in output order)
        # expect-re: LINE:COL: error: REGEX      (the same, as a regular expression)
        # folder: initiatives                    (default: forums)
        # xfail: REASON                          (a known bug; the expect lines give the safe output)
        # attack: what the file tries
    """
    data = path.read_bytes()
    expect: list[tuple[str, str]] = []
    folder, xfail = "forums", None
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        if key == "expect":
            expect.append(("exact", value))
        elif key == "expect-re":
            expect.append(("re", value))
        elif key == "folder":
            folder = value
        elif key == "xfail":
            xfail = value
    assert expect, f"{path.name} has no '# expect:' line"
    return Case(path.stem, folder, expect, data=data, target=f"{folder}/{path.name}", xfail=xfail)


def _forum(entry_id: str) -> bytes:
    return FORUM.format(id=entry_id).encode("utf-8")


def _symlink_to_outside(entries: Path, outside: Path) -> None:
    (outside / "leak.yaml").write_bytes(_forum("leak"))  # a perfectly valid entry, but outside entries/
    (entries / "forums" / "leak.yaml").symlink_to(outside / "leak.yaml")


def _symlink_to_passwd(entries: Path, outside: Path) -> None:
    (entries / "forums" / "passwd.yaml").symlink_to("/etc/passwd")


def _symlinked_folder(entries: Path, outside: Path) -> None:
    (outside / "more").mkdir()
    (outside / "more" / "smuggled.yaml").write_bytes(_forum("smuggled"))
    (entries / "forums" / "linked").symlink_to(outside / "more", target_is_directory=True)


_BIG = _forum("too-big") + b"description: |\n" + b"  " + b"x" * (1024 * 1024) + b"\n"
_EMPTY = "1:1: error: file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed"

# Files that cannot carry a comment, made by the tests, each with its exact expected output.
GENERATED: list[Case] = [
    Case("empty-file", "forums", [("exact", _EMPTY)], data=b"", target="forums/empty-file.yaml"),
    Case("blank-file", "forums", [("exact", _EMPTY)], data=b"\n  \n\n", target="forums/blank-file.yaml"),
    Case(
        "nul-byte", "forums",
        [("exact", "3:1: error: file contains a NUL byte; entry files are UTF-8 text")],
        data=_forum("nul-byte").replace(b"Hostile Forum", b"Hostile\x00Forum"), target="forums/nul-byte.yaml",
    ),
    Case(
        "invalid-utf8", "forums",
        [("exact", "3:15: error: file is not valid UTF-8 (byte 0xff); save it as UTF-8")],
        data=_forum("invalid-utf8").replace(b"Hostile Forum", b"Hostile \xff\xfeForum"), target="forums/invalid-utf8.yaml",
    ),
    Case(
        "latin-1", "forums",
        [("exact", "3:16: error: file is not valid UTF-8 (byte 0xf3); save it as UTF-8")],
        data=_forum("latin-1").replace(b"Hostile Forum", "Hostile Fórum".encode("latin-1")), target="forums/latin-1.yaml",
    ),
    Case(
        "utf-16", "forums",
        [("exact", "1:1: error: file is UTF-16; save it as UTF-8")],
        data=FORUM.format(id="utf-16").encode("utf-16"), target="forums/utf-16.yaml",
    ),
    Case(
        "too-big", "forums",
        [("exact", f"1:1: error: file is {len(_BIG)} bytes; an entry file may be at most 1048576 bytes")],
        data=_BIG, target="forums/too-big.yaml",
    ),
    Case(
        "symlink-outside", "forums",
        [("exact", "1:1: error: entry files may not be symbolic links; commit the file itself")],
        make=_symlink_to_outside, target="forums/leak.yaml",
    ),
    Case(
        "symlink-passwd", "forums",
        [("exact", "1:1: error: entry files may not be symbolic links; commit the file itself")],
        make=_symlink_to_passwd, target="forums/passwd.yaml",
    ),
    Case(
        "symlinked-folder", "forums",
        [("exact", "1:1: error: folders in entries/ may not be symbolic links")],
        make=_symlinked_folder, target="forums/linked",
    ),
]

FIXTURES: list[Case] = [read_case(path) for path in sorted(INVALID.glob("*.yaml"))]
CASES: list[Case] = FIXTURES + GENERATED


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


def hostile_tree(root: Path, cases: list[Case]) -> Path:
    """``root/entries``: the base atlas plus ``cases``; ``root/outside`` for what links point at."""
    entries = write_tree(root / "entries", BASE_ATLAS)
    (root / "outside").mkdir()
    for case in cases:
        case.place(entries, root / "outside")
    return entries


def matches(how: str, prefix: str, rest: str, line: str) -> bool:
    if not line.startswith(prefix):
        return False
    return line[len(prefix):] == rest if how == "exact" else re.fullmatch(rest, line[len(prefix):]) is not None


def test_the_hostile_folder_covers_the_issue():
    names = {case.name for case in CASES}
    assert len(FIXTURES) >= 40
    for wanted in (
        "python-object", "python-name", "python-apply", "binary-tag", "set-tag", "omap-tag", "custom-tag",
        "billion-laughs", "single-alias", "merge-key", "duplicate-key", "duplicate-key-in-source",
        "several-documents", "top-level-list", "top-level-scalar", "deep-flow", "deep-block", "tab-indent",
        "id-with-slash", "id-with-dots", "COPUOS", "соpuos", "trailing-hyphen-", "id-not-stem", "kind-not-folder",
        "bidi-override", "zero-width-space", "control-character", "name-too-long", "two-paragraphs",
        "javascript-url", "data-url", "vbscript-url", "relative-url", "url-without-host", "url-with-space",
        "protocol-relative-url", "document-with-slash", "missing-gap", "claim-on-forum", "led-by-initiative",
        "number-key", "unknown-field", "yes-no-text", "invalid-date",
        "empty-file", "nul-byte", "invalid-utf8", "utf-16", "too-big", "symlink-outside", "symlinked-folder",
    ):
        assert wanted in names, wanted
    for case in FIXTURES:  # the id inside equals the stem, unless that is the point
        if case.name not in ("id-not-stem", "id-with-slash", "id-with-dots", "top-level-list", "top-level-scalar", "only-comments"):
            assert f"\nid: {case.name}\n".encode() in case.data, case.name


@dataclass
class Checked:
    """``check`` run on the base atlas plus one hostile file, and the tree before and after."""

    result: subprocess.CompletedProcess[str]
    before: dict[str, str]
    after: dict[str, str]


def _check_one(case: Case, root: Path) -> Checked:
    hostile_tree(root, [case])
    before = snapshot(root)
    result = generator("check", "--entries", "entries", cwd=root)
    return Checked(result, before, snapshot(root))


@pytest.fixture(scope="module")
def checked(request, tmp_path_factory) -> dict[str, Checked]:
    """Every selected hostile file checked in its own folder, several subprocesses at a time."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_hostile_file_gives_exactly_its_error" and hasattr(item, "callspec")
    }
    base = tmp_path_factory.mktemp("hostile-files")
    cases = [case for case in CASES if case.name in selected]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {case.name: pool.submit(_check_one, case, base / f"case-{i}") for i, case in enumerate(cases)}
    return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_file_gives_exactly_its_error(case: Case, checked: dict[str, Checked]):
    result = checked[case.name].result
    no_traceback(result)
    assert result.returncode == 1, result
    lines = result.stdout.splitlines()
    expected = case.expected_lines()
    assert len(lines) == len(expected), result.stdout
    for (how, prefix, rest), line in zip(expected, lines, strict=True):
        assert matches(how, prefix, rest, line), f"\nexpected: {prefix}{rest}\n     got: {line}"
    assert ERROR_TAIL.match(result.stderr.splitlines()[-1]), result.stderr
    assert checked[case.name].after == checked[case.name].before  # a check writes nothing


def test_all_hostile_files_at_once(tmp_path: Path):
    """One folder holding every hostile file: each gives its own line, nothing else is blamed."""
    cases = [c for c in CASES if not c.xfail]  # known bugs are covered one by one above
    hostile_tree(tmp_path, cases)
    result = generator("check", "--entries", "entries", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for base in BASE_ATLAS:
        assert not [line for line in lines if line.startswith(f"entries/{base}:")], base
    remaining = list(lines)
    for case in cases:
        for how, prefix, rest in case.expected_lines():
            found = next((line for line in remaining if matches(how, prefix, rest, line)), None)
            assert found is not None, f"missing: {prefix}{rest}"
            remaining.remove(found)
    assert remaining == []  # and nothing else
    files = len({c.target for c in cases})
    assert result.stderr.splitlines()[-1].startswith(f"{len(lines)} errors in {files} files")

    as_json = generator("check", "--entries", "entries", "--format", "json", cwd=tmp_path)
    no_traceback(as_json)
    assert as_json.returncode == 1
    records = json.loads(as_json.stdout)
    # JSON carries each message as it is; the text format writes its control characters as escapes.
    from generator.problems import Problem

    as_text = [Problem(r["path"], r["line"], r["col"], r["message"]).as_text() for r in records]
    assert sorted(as_text) == sorted(lines)
    assert all(r["line"] >= 1 and r["col"] >= 1 for r in records)


def _injecting_names(entries: Path, outside: Path) -> None:
    (entries / "forums" / "a\n::warning file=README.md::spoofed.yaml").write_bytes(_forum("a"))
    (entries / "forums" / "b,line=99.yaml").write_bytes(_forum("b"))
    (entries / "forums" / "key-with-newline.yaml").write_bytes((INVALID / "key-with-newline.yaml").read_bytes())


@pytest.mark.parametrize("style", ["text", "github"])
def test_file_and_field_names_cannot_inject_lines(style: str, tmp_path: Path):
    entries = write_tree(tmp_path / "entries", BASE_ATLAS)
    (tmp_path / "outside").mkdir()
    _injecting_names(entries, tmp_path / "outside")
    as_json = generator("check", "--entries", "entries", "--format", "json", cwd=tmp_path)
    count = len(json.loads(as_json.stdout))
    result = generator("check", "--entries", "entries", "--format", style, cwd=tmp_path)
    no_traceback(result)
    lines = result.stdout.splitlines()
    assert len(lines) == count, result.stdout
    if style == "github":
        assert all(re.match(r"::error file=entries/forums/[^,:\n]+,line=\d+,col=\d+::", line) for line in lines), result.stdout
    else:
        assert all(line.startswith("entries/forums/") for line in lines), result.stdout


# --- 2. a valid atlas full of payloads ----------------------------------------------

# Elements that would run, load or hide something; none may hold the marker (text or attribute).
DANGEROUS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg", "math", "form",
    "input", "button", "select", "textarea", "base", "link", "meta", "template", "noscript", "img", "video",
    "audio", "source", "marquee", "animate", "set", "details", "bdo", "xmp", "plaintext", "noembed",
}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster", "background",
    "cite", "longdesc", "codebase", "manifest", "dynsrc", "lowsrc", "ping", "content",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
GRAPH_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-graph__svg".*?</svg>')  # a drawing of the generator's
KEY_ICON = '<svg width="28" height="16" aria-hidden="true">'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}


def dangerous_url(value: str) -> bool:
    """True when a URL, as a browser reads it, starts with a script or data scheme."""
    value = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", html.unescape(value)).lower()
    if value.startswith(("0;", "0 ;")) or "url=" in value:  # <meta http-equiv=refresh content="0; url=...">
        value = value.split("url=", 1)[-1].strip("'\"")
    return value.startswith(BAD_SCHEMES)


class Scanner(HTMLParser):
    """Everything in one HTML document that could run script, load something, or escape its place."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.titles: list[str] = []
        self.refreshes: list[str] = []
        self._title: list[str] | None = None
        self._graph = False  # inside a relations graph the generator draws (generator/render/graph_svg.py)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._title is not None:
            self.problems.append(f"<{tag}> inside <title>")
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}>")
            citation = tag == "meta" and name == "content" and values.get("name", "").startswith("citation_")  # an entry's name, as text
            if MARK in value and not citation and not (tag == "a" and (name == "title" or (name == "href" and value.startswith(("https://", "http://"))))):
                self.problems.append(f"marker in <{tag} {name}={value!r}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.refreshes.append(values.get("content", ""))
        if tag == "svg" and values.get("class") == "atlas-graph__svg":
            self._graph = True
        if tag == "title" and "svg" not in self.stack:  # a drawing's <title> names a node: not the page's title
            self._title = []
        if not closed:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None
        if tag == "svg":
            self._graph = False
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._title is not None:
            self._title.append(data)
        if MARK in data:
            inside = [t for t in self.stack if t in DANGEROUS]
            if inside == ["svg"] and self._graph and self.stack[-1] in ("text", "title"):
                inside = []  # a node's name or label in a drawing: text, escaped like any other
            if inside:
                self.problems.append(f"marker inside <{inside[-1]}>: {data[:80]!r}")

    def handle_comment(self, data: str) -> None:
        if MARK in data:
            self.problems.append(f"marker inside a comment: {data[:80]!r}")


def scan(markup: str) -> Scanner:
    scanner = Scanner()
    scanner.feed(markup)
    scanner.close()
    return scanner


def valid_entries() -> list[dict]:
    """The entries of the payload atlas, read as plain data (trusted fixtures)."""
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(VALID.glob("*/*.yaml"))]


@dataclass
class Site:
    out: Path
    result: subprocess.CompletedProcess[str]
    pages: dict[str, str] = field(default_factory=dict)  # relative path → HTML

    def entry_pages(self) -> dict[str, str]:
        return {f"{e['kind']}s/{e['id']}/index.html": self.pages[f"{e['kind']}s/{e['id']}/index.html"] for e in valid_entries()}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    """The payload atlas, built once with ``mkdocs build --strict`` (with the downloads)."""
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    result = mkdocs_build(VALID, out)
    if result.returncode != 0:
        pytest.fail(f"the payload atlas did not build (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}
    return Site(out, result, pages)


def test_payload_atlas_is_valid_and_builds_strictly(hostile_site: Site):
    result = generator("check", "--entries", str(VALID), cwd=REPO)
    no_traceback(result)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    assert hostile_site.result.returncode == 0, hostile_site.result.stderr
    no_traceback(hostile_site.result)
    assert len(hostile_site.pages) >= 15
    for entry in valid_entries():
        assert f"{entry['kind']}s/{entry['id']}/index.html" in hostile_site.pages
        for alias in entry.get("aliases", []):
            assert f"{entry['kind']}s/{alias}/index.html" in hostile_site.pages


def test_no_built_page_holds_executable_markup(hostile_site: Site):
    """No script-capable element holds the marker; no on* attribute; no javascript:/data:/vbscript: URL."""
    problems = [f"{path}: {problem}" for path, page in hostile_site.pages.items() for problem in scan(page).problems]
    assert problems == []


def test_offline_copy_holds_no_executable_markup(hostile_site: Site):
    assert hostile_site.result.returncode == 0
    with zipfile.ZipFile(hostile_site.out / "atlas-offline.zip") as archive:
        pages = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".html")}
        index = archive.read("search/search_index.json").decode("utf-8") if "search/search_index.json" in archive.namelist() else "{}"
    assert "forums/xss-forum.html" in pages
    problems = [f"{path}: {problem}" for path, page in pages.items() for problem in scan(page).problems]
    assert problems == []
    for doc in json.loads(index).get("docs", []):
        assert not scan(doc["title"]).problems and "<" not in doc["title"], doc["title"]


def test_open_data_cannot_run_as_spreadsheet_formulas(hostile_site: Site):
    """CSV cells a spreadsheet would read as a formula (=, +, -, @, tab, CR first) are defused."""
    import csv

    data = hostile_site.out / "data"
    files = sorted(data.glob("*.csv"))
    assert {p.name for p in files} >= {"forums.csv", "gaps.csv", "initiatives.csv", "pathways.csv", "coverage.csv"}
    cells = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            cells += [(path.name, cell) for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if c[1].startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    assert any(cell.startswith("'=cmd|") for _, cell in cells) and any(cell.startswith("'=HYPERLINK") for _, cell in cells)
    atlas = json.loads((data / "atlas.json").read_text(encoding="utf-8"))  # the JSON keeps the text as typed
    assert any(e["id"] == "xss-forum" and e["name"].startswith("XSS Forum </title><script>") for e in atlas["entries"])


def _pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes and every stream it holds, inflated (links sit in compressed object streams)."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompressobj().decompress(match.group(1)))
    return b"\n".join(chunks)


def test_pdf_holds_no_script_or_foreign_links(hostile_site: Site):
    data = (hostile_site.out / "atlas.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    objects = _pdf_objects(data)
    for key in (rb"/JavaScript", rb"/JS\b", rb"/Launch", rb"/EmbeddedFile", rb"/SubmitForm", rb"/ImportData", rb"/RichMedia", rb"/OpenAction"):
        assert not re.search(key, objects), key
    uris = re.findall(rb"/URI\s*\((.*?)(?<!\\)\)", objects)
    assert uris, "the PDF should keep the entries' web links"
    assert [u for u in uris if not u.startswith((b"https://", b"http://", b"mailto:"))] == []


def test_the_only_refresh_is_the_generated_redirect(hostile_site: Site):
    refreshes = {path: r for path, page in hostile_site.pages.items() if (r := scan(page).refreshes)}
    assert list(refreshes) == ["forums/old-xss-forum/index.html"]
    [content] = refreshes["forums/old-xss-forum/index.html"]
    assert re.fullmatch(r"0; url=(\.\./)*(forums/)?xss-forum/", content), content  # a relative link to the entry


@pytest.mark.skipif(os.environ.get("ATLAS_BROWSER") != "1", reason="opt-in (about 10 s): ATLAS_BROWSER=1 with Playwright and a Chromium")
def test_no_payload_runs_in_a_browser(hostile_site: Site):
    """Open the entry pages in a real browser: no payload may open a dialog (every payload calls alert)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    pages = [f"{e['kind']}s/{e['id']}/index.html" for e in valid_entries()] + ["forums/old-xss-forum/index.html", "sources/index.html"]
    dialogs: list[tuple[str, str]] = []
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Exception as exc:  # no browser installed
            pytest.skip(f"no browser: {exc}")
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
        for rel in pages:
            page.goto((hostile_site.out / rel).as_uri(), wait_until="load")
        page.set_content("<img src=x onerror=alert('probe')>")  # the listener works: a real payload is seen
        page.wait_for_timeout(300)
        browser.close()
    assert dialogs[-1:] and dialogs[-1][1] == "probe", dialogs
    assert dialogs[:-1] == []


def test_titles_are_text(hostile_site: Site):
    for path, page in hostile_site.pages.items():
        raw = re.findall(r"<title>(.*?)</title>", page.partition("</head>")[0], re.DOTALL)  # (the drawings' nodes have titles too)
        assert len(raw) == 1, path
        assert "<" not in raw[0], (path, raw[0])
        assert len(scan(page).titles) == 1, path
    [title] = scan(hostile_site.pages["forums/xss-forum/index.html"]).titles
    assert title.startswith("XSS Forum </title><script>alert('XSSMARK')</script> <img src=x onerror=alert('XSSMARK')>")


def test_search_index_holds_no_markup(hostile_site: Site):
    index = json.loads((hostile_site.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    problems = []
    for doc in index["docs"]:
        assert "<script" not in doc["title"].lower(), doc["title"]
        assert "<" not in doc["title"], doc["title"]
        for key in ("title", "text"):
            problems += [f"{doc['location']} {key}: {p}" for p in scan(doc[key]).problems]
    assert problems == []
    assert any(MARK in doc["text"] for doc in index["docs"])  # the payloads were indexed, as text


TEMPLATE_MARKERS = ("TPLNAME", "TPLSUMMARY", "TPLDESC", "TPLFINDING", "TPLGAP", "TPLINIT")


def test_template_syntax_is_shown_as_typed(hostile_site: Site):
    text = "\n".join("".join(scan(page).text) for page in hostile_site.pages.values())
    for marker in TEMPLATE_MARKERS:
        assert f"{marker} {{{{ 7*7 }}}} {marker}" in text, marker
        assert f"{marker} 49 {marker}" not in text, marker
    assert "{{ config }}" in text and "{% raw %}" in text and "{{ config.site_name }}" in text


def test_no_file_contents_leak(hostile_site: Site):
    leaks = ["root:x:0:0", "hooks:", "markdown_extensions", "not_in_nav"]
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        leaks += [line for line in passwd.read_text(errors="replace").splitlines()[:3] if line.strip()]
    for path, page in hostile_site.pages.items():
        for leak in leaks:
            assert leak not in page, (path, leak)


def _sections(page: str) -> tuple[list[str], int]:
    """The ids of the article's h2 headings, and the number of items of its source list."""
    article = page[page.index("<article") : page.index("</article>")]
    h2 = re.findall(r'<h2 id="([^"]+)"', article)
    sources = re.search(r'<ol class="atlas-sources">(.*?)</ol>', article, re.DOTALL)
    return h2, len(re.findall(r"<li ", sources.group(1))) if sources else -1


def test_nothing_swallows_the_rest_of_a_page(hostile_site: Site):
    for entry in valid_entries():
        page = hostile_site.pages[f"{entry['kind']}s/{entry['id']}/index.html"]
        h2, items = _sections(page)
        assert h2[-2:] == ["sources", "cite-this-entry"], (entry["id"], h2)
        assert items == len(entry["sources"]), entry["id"]
        wanted = {"description": "description", "history": "history", "addresses": "gaps-addressed", "fact_checks": "checked-against-the-sources"}
        for key, section in wanted.items():
            if entry.get(key):
                assert section in h2, (entry["id"], section)
    for path, page in hostile_site.pages.items():
        assert '<footer class="md-footer">' in page, path
        assert page.rstrip().endswith("</html>"), path
        assert page.count("<table") == page.count("</table>"), path
        assert len(re.findall(r"<div[\s>]", page)) == page.count("</div>"), path
        assert len(re.findall(r"<ol[\s>]", page)) == page.count("</ol>"), path
    assert "Text after the unclosed tags must still be on the page." in hostile_site.pages["gaps/xss-gap/index.html"]


PAYLOADS = [
    "<script", "<img", "<svg", "<iframe", "<object", "<embed", "<style", "<textarea", "<!--", "<meta http-equiv",
    "<base", "<form", "<input", "<math", "<template", "<noscript", "<marquee", "<details", "<video", "<bdo",
    "<link", "<button", "<div onclick", '<a href="javascript', "<a href=javascript", "</title>", "</td></tr></table>",
    "<![cdata[", "<animate",
]  # tag openers only: attribute text (onerror=...) legitimately appears in escaped text; the scan checks attributes


def test_generated_markdown_holds_no_payload_unescaped():
    from generator.link.timeline import timeline
    from generator.pipeline import build_atlas
    from generator.render.html_pieces import NAMED_ONLY, SEARCH_END
    from generator.render.pages import render_pages
    from generator.render.timeline_page import controls

    atlas = build_atlas(VALID, REPO / "content")
    pages = render_pages(atlas)
    filters = controls(timeline(atlas))  # the timeline's checkboxes and their CSS: made of kind and event names alone
    redirects = {f"{e['kind']}s/{alias}.md" for e in valid_entries() for alias in e.get("aliases", [])}
    assert {f"{e['kind']}s/{e['id']}.md" for e in valid_entries()} <= set(pages)
    problems = []
    for path, page in pages.items():
        assert page.markdown.count(SEARCH_END) <= 1, path  # the one comment the generator writes itself
        # the generator's own markup: the search-end comment, the "named claims only" checkbox (<input), the timeline's filters
        lowered = page.markdown.replace(SEARCH_END, "").replace(NAMED_ONLY, "").replace(filters, "").lower()
        # The relations graphs (their nodes' names are escaped text; the scan below reads them) and the icons of their key.
        lowered = re.sub(GRAPH_SVG, "", lowered).replace(KEY_ICON, "")
        problems += [f"{path}: {p}" for p in PAYLOADS if p.lower() in lowered and not (p == "<meta http-equiv" and path in redirects)]
        problems += [f"{path}: {p}" for p in scan(page.markdown).problems]
        assert "<" not in page.title, (path, page.title)
        if page.entry is not None and MARK in page.entry.name:
            assert html.unescape(page.title) == page.entry.label
    assert problems == []
    for marker in TEMPLATE_MARKERS:
        assert any(f"{marker} {{{{ 7*7 }}}} {marker}" in html.unescape(p.markdown) for p in pages.values()), marker


# --- 3. reproducible builds ----------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_same_tree(a: Path, b: Path) -> None:
    one, two = _tree(a), _tree(b)
    assert sorted(one) == sorted(two)
    differ = [name for name in one if one[name] != two[name]]
    assert differ == [], differ


def _build_twice(tmp_path: Path, **options) -> None:
    """Build the payload atlas into two folders at once (side by side, so nothing changes in between)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda name: mkdocs_build(VALID, tmp_path / name, **options), ["one", "two"])
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    _assert_same_tree(tmp_path / "one", tmp_path / "two")


def test_builds_are_byte_identical(tmp_path: Path):
    """The whole build: site, search index, sitemap, PDF, open data and the zipped offline copy."""
    _build_twice(tmp_path)
    assert (tmp_path / "one" / "atlas.pdf").is_file() and (tmp_path / "one" / "atlas-offline.zip").is_file()


def test_builds_with_source_date_epoch_are_byte_identical(tmp_path: Path):
    # The site alone (the PDF and offline copy are compared, with the rest, in the test above).
    _build_twice(tmp_path, downloads=False, SOURCE_DATE_EPOCH=TODAY_EPOCH)


# --- 4. nothing lost -----------------------------------------------------------------

SMALL = REPO / "tests" / "fixtures" / "small"


@pytest.fixture(scope="module")
def built_small(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A site built from tests/fixtures/small: its folder and snapshot."""
    out = tmp_path_factory.mktemp("previous") / "site"
    result = mkdocs_build(SMALL, out, downloads=False)
    assert result.returncode == 0, result.stderr
    return out, snapshot(out)


@pytest.mark.parametrize("strict", [False, True], ids=["build", "build-strict"])
def test_failed_build_leaves_the_previous_site(built_small, tmp_path: Path, strict: bool):
    out, before = built_small
    entries = tmp_path / "entries"
    shutil.copytree(SMALL, entries)
    (entries / "forums" / "evil.yaml").write_bytes((INVALID / "python-apply.yaml").read_bytes())
    result = mkdocs_build(entries, out, strict=strict, downloads=False)
    assert result.returncode != 0
    assert "PWNED" not in result.stdout + result.stderr
    assert "evil.yaml:5:7: error: 'name' has the YAML tag" in result.stderr
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]  # no staging folder left behind


def test_failed_strict_build_leaves_the_previous_site(tmp_path: Path):
    """A build that fails only because --strict turns a warning into an error (a broken link)."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")  # the plugin is installed: the project needs no path to it
    out = tmp_path / "out" / "site"
    first = mkdocs_build(SMALL, out, cwd=project, downloads=False)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    (project / "content" / "methodology.md").write_text(
        (project / "content" / "methodology.md").read_text(encoding="utf-8") + "\n[broken](no-such-page.md)\n", encoding="utf-8"
    )
    failed = mkdocs_build(SMALL, out, cwd=project, downloads=False)
    assert failed.returncode != 0
    assert "no-such-page.md" in failed.stderr and "in strict mode" in failed.stdout + failed.stderr
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]


def test_new_never_overwrites(tmp_path: Path):
    first = generator("new", "forum", "x-forum", "--entries", "entries", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "entries" / "forums" / "x-forum.yaml"
    original = path.read_bytes()

    again = generator("new", "forum", "x-forum", "--entries", "entries", "--name", "Other", cwd=tmp_path)
    no_traceback(again)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert path.read_bytes() == original

    edited = original + b"# my work in progress\n"
    path.write_bytes(edited)
    third = generator("new", "forum", "x-forum", "--entries", "entries", cwd=tmp_path)
    assert third.returncode == 1 and "already exists" in third.stderr
    assert path.read_bytes() == edited


def test_new_refuses_an_id_another_kind_holds(tmp_path: Path):
    forum = write_tree(tmp_path / "entries", {"forums/x.yaml": FORUM.format(id="x")}) / "forums" / "x.yaml"
    before = forum.read_bytes()
    result = generator("new", "gap", "x", "--entries", "entries", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert "entries/forums/x.yaml" in result.stderr and "nothing was written" in result.stderr
    assert not (tmp_path / "entries" / "gaps" / "x.yaml").exists()
    assert forum.read_bytes() == before


def test_new_does_not_write_through_a_symbolic_link(tmp_path: Path):
    (tmp_path / "entries" / "forums").mkdir(parents=True)
    outside = tmp_path / "outside.yaml"  # does not exist yet: a dangling link
    (tmp_path / "entries" / "forums" / "x.yaml").symlink_to(outside)
    result = generator("new", "forum", "x", "--entries", "entries", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert not outside.exists()


@pytest.mark.parametrize("bad_id", ["../evil", "Evil", "evil/x", "соpuos", "a--b", "-a", ""])
def test_new_refuses_ids_that_are_not_slugs(tmp_path: Path, bad_id: str):
    result = generator("new", "forum", bad_id, "--entries", "entries", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert not (tmp_path / "entries").exists() and not (tmp_path / "evil.yaml").exists()
