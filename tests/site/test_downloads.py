"""The downloads of a full ``mkdocs build``: the PDF, the open data, and a zipped offline copy of the site.

Three builds of tests/fixtures/small run side by side once per module: two full builds (which
must be byte-identical) and one with ATLAS_DOWNLOADS=0. SOURCE_DATE_EPOCH and ATLAS_VERSION are
fixed so that a commit made meanwhile cannot change the PDF's cover between the two builds.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO_ROOT, SMALL, TODAY_EPOCH
from html_helpers import article, parse
from pypdf import PdfReader

from generator.kinds.declaration import KINDS
from generator.pipeline import build_atlas

CONTENT = REPO_ROOT / "content"
EDITION = "2026-02-01"  # TODAY_EPOCH
VERSION = "downloads-test 1"
DOWNLOADS = ("atlas.pdf", "atlas-offline.zip", "data/atlas.json")
DATA_FILES = ["atlas.json", "coverage.csv", *(f"{k.folder}.csv" for k in KINDS.values()), *(f"{k}.schema.json" for k in KINDS)]
FILE_TYPES = (".pdf", ".json", ".csv", ".zip", ".bib", ".ris", ".xml")


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES", "ATLAS_DOWNLOADS", "ATLAS_OFFLINE", "ATLAS_VERSION", "SOURCE_DATE_EPOCH")}
    env.update(ATLAS_ENTRIES=str(SMALL), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=TODAY_EPOCH, ATLAS_VERSION=VERSION, **extra)
    return env


@dataclass
class Build:
    root: Path  # the folder holding site/
    site: Path
    code: int
    output: str

    def files(self) -> dict[str, Path]:
        return {p.relative_to(self.site).as_posix(): p for p in sorted(self.site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Build]:
    """Two full builds, one without downloads, and the `pdf` command on the same entries, run concurrently."""
    procs = {}
    for name, extra in (("full", {}), ("again", {}), ("nodownloads", {"ATLAS_DOWNLOADS": "0"})):
        root = tmp_path_factory.mktemp(f"build-{name}")
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")]
        procs[name] = (root, subprocess.Popen(
            command, cwd=REPO_ROOT, env=build_env(**extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, umask=0o022,
        ))
    cli_root = tmp_path_factory.mktemp("cli-pdf")
    cli = subprocess.Popen(
        [sys.executable, "-m", "generator", "pdf", "--entries", str(SMALL), "--content", str(CONTENT), "--out", str(cli_root / "atlas.pdf")],
        cwd=REPO_ROOT, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    result = {}
    for name, (root, proc) in procs.items():
        output, _ = proc.communicate(timeout=600)
        result[name] = Build(root, root / "site", proc.returncode, output)
    output, _ = cli.communicate(timeout=600)
    assert cli.returncode == 0, output
    result["cli_pdf"] = Build(cli_root, cli_root, 0, output)
    return result


@pytest.fixture(scope="module")
def full(builds) -> Build:
    build = builds["full"]
    assert build.code == 0, build.output
    return build


@pytest.fixture(scope="module")
def offline(full) -> zipfile.ZipFile:
    return zipfile.ZipFile(full.site / "atlas-offline.zip")


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(SMALL, CONTENT)


# --- helpers ---------------------------------------------------------------------------------


def references(page_html: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every link and embedded resource of an HTML page."""
    found = []
    for tag in parse(page_html).tags:
        for attr in ("href", "src"):
            if attr in tag.attrs and tag.name in ("a", "link", "script", "img", "iframe", "source", "embed", "object", "audio", "video"):
                found.append((tag.name, attr, tag.attrs[attr]))
    return found


def resolve(page: str, href: str) -> tuple[str, str]:
    """A relative href on the page at ``page`` → (path from the site root, fragment)."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return target, parts.fragment


def is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme) or href.startswith("//")


CSS_URL = re.compile(r"""url\(\s*['"]?\s*(?P<url>[^'")\s]+)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+['"]\s*(?P<url>[^'"\s;]+)""", re.IGNORECASE)  # @import url(...) is a url()
JS_LOAD = re.compile(r"""\b(?:src|href)\s*[=:]\s*(?:\\?['"`])(?P<url>(?:https?:)?//[^'"`\\\s]+)""", re.IGNORECASE)


def third_party_loads(name: str, data: bytes) -> list[str]:
    """The http(s) resources a file of the offline copy would load from another host."""
    text = data.decode("utf-8", errors="replace")
    found = []
    if name.endswith(".html"):
        for tag in parse(text).tags:
            rel = tag.attrs.get("rel", "").lower().split()
            if tag.name == "script" and "src" in tag.attrs:
                found.append(("script src", tag.attrs["src"]))
            elif tag.name == "link" and set(rel) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "preconnect", "apple-touch-icon"}:
                found.append((f"link {' '.join(rel)}", tag.attrs.get("href", "")))
            elif tag.name in ("img", "iframe", "source", "embed", "audio", "video") and "src" in tag.attrs:
                found.append((f"{tag.name} src", tag.attrs["src"]))
            if "style" in tag.attrs:
                found += [("style url()", m["url"]) for m in CSS_URL.finditer(tag.attrs["style"])]
        for block in re.findall(r"<style[^>]*>(.*?)</style>", text, re.DOTALL | re.IGNORECASE):
            found += [("css url()", m["url"]) for m in CSS_URL.finditer(block)]
            found += [("css @import", m["url"]) for m in CSS_IMPORT.finditer(block)]
    elif name.endswith(".css"):
        found += [("css url()", m["url"]) for m in CSS_URL.finditer(text)]
        found += [("css @import", m["url"]) for m in CSS_IMPORT.finditer(text)]
    elif name.endswith(".js"):
        found += [("js src/href", m["url"]) for m in JS_LOAD.finditer(text)]
    return [f"{name}: {what} {url}" for what, url in found if re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE)]


def html_pages(archive: zipfile.ZipFile) -> dict[str, str]:
    return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".html")}


def broken_links(archive: zipfile.ZipFile, *, skip_page=lambda page: False, skip_href=lambda href: False) -> list[str]:
    """Every internal href/src in the zip's pages that does not resolve to a file (and, for a link, an id) in the zip."""
    names = set(archive.namelist())
    pages = html_pages(archive)
    ids = {name: parse(text).ids for name, text in pages.items()}
    broken = []
    for page, text in pages.items():
        if skip_page(page):
            continue
        for tag, attr, href in references(text):
            if is_external(href) or skip_href(href):
                continue
            target, fragment = resolve(page, href)
            if target not in names:
                broken.append(f"{page}: <{tag} {attr}={href!r}> → {target} is not in the zip")
            elif tag == "a" and not target.endswith(".html") and not target.endswith(FILE_TYPES):
                broken.append(f"{page}: <a href={href!r}> is not a .html page")
            elif tag == "a" and fragment and target.endswith(".html") and fragment not in ids[target]:
                broken.append(f"{page}: <a href={href!r}> → no id {fragment!r} in {target}")
    return broken


# --- the full build -------------------------------------------------------------------------


def test_full_build_passes_strict_and_leaves_no_staging_folder(full):
    assert "WARNING" not in full.output, full.output
    assert "Traceback" not in full.output
    assert sorted(p.name for p in full.root.iterdir()) == ["site"]


def test_site_has_a_valid_pdf_of_the_atlas(full, builds, atlas):
    data = (full.site / "atlas.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 5
    assert f"Entries {len(atlas.entries)}:" in re.sub(r"\s+", " ", reader.pages[0].extract_text())
    # the same PDF as `python -m generator pdf` on the same entries
    assert data == (builds["cli_pdf"].site / "atlas.pdf").read_bytes()


def test_site_has_the_open_data(full, tmp_path):
    from generator.cli import main

    data = full.site / "data"
    for name in DATA_FILES:
        assert (data / name).is_file(), name
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        assert main(["export", "--entries", str(SMALL), "--out", str(tmp_path / "export")]) == 0
    for path in (tmp_path / "export").iterdir():
        assert (data / path.name).read_bytes() == path.read_bytes(), path.name


def test_offline_zip_is_a_valid_zip_of_the_offline_site(full, offline, atlas):
    assert offline.testzip() is None
    names = offline.namelist()
    assert names == sorted(names, key=lambda n: n.split("/")) and len(names) == len(set(names))
    assert all(info.date_time == (2026, 2, 1, 0, 0, 0) for info in offline.infolist())
    for required in ("index.html", "search/search_index.js", "atlas.pdf", "data.html", "sources.html", "coverage/matrix.html"):
        assert required in names, required
    for entry in atlas.entries.values():
        assert f"{entry.kind}s/{entry.id}.html" in names, entry.id
        assert f"{entry.kind}s/{entry.id}/index.html" not in names
    assert offline.read("atlas.pdf") == (full.site / "atlas.pdf").read_bytes()
    for name in DATA_FILES:
        assert offline.read(f"data/{name}") == (full.site / "data" / name).read_bytes(), name


def test_offline_search_works_without_a_server(offline, atlas):
    """Opened from file://, Material loads the index as a script (search/search_index.js), not by fetch."""
    index = offline.read("search/search_index.js").decode("utf-8")
    assert index.startswith("var __index = {")
    for entry in atlas.entries.values():
        assert entry.name in index, entry.id
    scripts = [t.attrs["src"] for t in parse(offline.read("index.html").decode("utf-8")).tags if t.name == "script" and "src" in t.attrs]
    bundles = [s for s in scripts if re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", s)]
    assert bundles and b'"search/search_index.js"' in offline.read(bundles[0])


def not_a_page(page: str) -> bool:
    """404.html is only ever served by a web server (its links are absolute, /assets/...): not a page of the offline copy."""
    return page == "404.html"


def test_offline_pages_in_folders_use_html_links_that_resolve_inside_the_zip(offline):
    """Entry pages, kind indexes, coverage pages: every link is a .html page (or a download) in the zip, every anchor exists."""
    pages = [p for p in html_pages(offline) if "/" in p and p != "data/index.html"]
    assert len(pages) >= 15
    broken = broken_links(offline, skip_page=lambda page: page not in pages)
    assert broken == []


def test_offline_top_level_pages_use_links_that_resolve_inside_the_zip(offline):
    pages = [p for p in html_pages(offline) if "/" not in p and not not_a_page(p)]
    assert {"index.html", "data.html", "sources.html", "fields.html"} <= set(pages)
    # links to atlas-offline.zip: a separate bug, see the next test
    broken = broken_links(offline, skip_page=lambda page: page not in pages, skip_href=lambda href: href.endswith("atlas-offline.zip"))
    assert broken == []


def test_offline_copy_does_not_link_to_the_zip_it_is_in(offline):
    links = [
        f"{page}: {href}"
        for page, text in html_pages(offline).items()
        for tag, attr, href in references(text)
        if tag == "a" and not is_external(href) and posixpath.basename(urlsplit(href).path) == "atlas-offline.zip"
    ]
    assert links == []


def test_offline_copy_holds_only_offline_pages(offline):
    directory_links = []
    for page, text in html_pages(offline).items():
        if not_a_page(page):
            continue
        for tag, _attr, href in references(text):
            if tag == "a" and not is_external(href) and (urlsplit(href).path.endswith("/") or urlsplit(href).path in (".", "..")):
                directory_links.append(f"{page}: {href}")
    assert "data/index.html" not in offline.namelist()
    assert directory_links == []


def test_offline_copy_loads_nothing_from_another_host(offline):
    found = []
    for name in offline.namelist():
        if name.endswith((".html", ".css", ".js")):
            found += third_party_loads(name, offline.read(name))
    assert found == []
    for name in offline.namelist():
        if name.endswith((".html", ".css")):
            assert b"unpkg.com" not in offline.read(name), name
    # the worker shim Material's offline mode needs is shipped, not fetched
    home = parse(offline.read("index.html").decode("utf-8"))
    scripts = [t.attrs["src"] for t in home.tags if t.name == "script" and "src" in t.attrs]
    assert "assets/vendor/iframe-worker-shim.js" in scripts
    assert "assets/vendor/iframe-worker-shim.js" in offline.namelist()


def test_the_third_party_scan_finds_what_it_must(tmp_path):
    """The scan above is not blind: it reports each kind of third-party load."""
    page = (
        '<script src="https://unpkg.com/iframe-worker/shim"></script><link rel="stylesheet" href="//cdn.example/x.css">'
        '<img src="http://img.example/a.png"><style>@import url("https://fonts.example/f.css"); b{background:url(https://x.example/b.png)}</style>'
        '<a href="https://example.org/">a plain link is fine</a><script src="assets/local.js"></script>'
    )
    assert len(third_party_loads("p.html", page.encode())) == 5, third_party_loads("p.html", page.encode())
    assert len(third_party_loads("s.css", b'@import "https://a.example/x.css"; p{background:url( "http://b.example/i.png" )}')) == 2
    assert len(third_party_loads("b.js", b's.src="https://unpkg.com/x";e.href=\'//cdn.example/y\'')) == 2


@pytest.mark.parametrize("page", ["index.html", "data/index.html"])
def test_home_and_data_pages_link_to_the_downloads(full, page):
    text = (full.site / page).read_text(encoding="utf-8")
    hrefs = {resolve(page, href)[0]: href for tag, attr, href in references(article(text)) if tag == "a" and not is_external(href)}
    for download in DOWNLOADS:
        assert download in hrefs, f"{page} has no link to {download}: {sorted(hrefs)}"
        assert (full.site / download).is_file()
    for target in hrefs:
        if target.endswith(FILE_TYPES):
            assert (full.site / target).is_file(), target


def test_data_page_shows_the_licence_and_a_citation_of_the_edition(full, atlas):
    page = article((full.site / "data" / "index.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", parse(page).text)
    assert "Licence" in text and "CC BY 4.0" in text
    assert any(t.name == "a" and t.attrs.get("href") == "https://creativecommons.org/licenses/by/4.0/" for t in parse(page).tags)
    n = {kind: len(atlas.by_kind[kind]) for kind in KINDS}
    citation = (
        f"Space Governance Atlas, edition {EDITION}: {len(atlas.entries)} entries ({n['forum']} forums, {n['initiative']} initiatives, "
        f"{n['gap']} gaps, {n['pathway']} pathways, {n['topic']} topics) and {atlas.claim_count} coverage claims."
    )
    assert citation in text


def test_every_file_is_world_readable(full, offline):
    for path in [full.site, *full.site.rglob("*")]:
        mode = path.stat().st_mode
        if path.is_dir():
            assert mode & 0o055 == 0o055, f"{path}: {oct(mode)}"
        else:
            assert mode & 0o044 == 0o044, f"{path}: {oct(mode)}"
    for info in offline.infolist():
        assert (info.external_attr >> 16) & 0o044 == 0o044, info.filename


def test_two_builds_are_byte_identical(full, builds):
    again = builds["again"]
    assert again.code == 0, again.output
    ours, theirs = full.files(), again.files()
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name].read_bytes() != theirs[name].read_bytes()] == []


# --- ATLAS_DOWNLOADS=0 ----------------------------------------------------------------------


def test_without_downloads_none_is_written_and_the_home_page_says_why(builds):
    build = builds["nodownloads"]
    assert build.code == 0, build.output
    files = build.files()
    assert "index.html" in files and "data/index.html" in files
    assert [name for name in DOWNLOADS if name in files] == []
    assert [name for name in files if name.startswith("data/") and name != "data/index.html"] == []
    for page in ("index.html", "data/index.html"):
        text = re.sub(r"\s+", " ", parse(article(files[page].read_text(encoding="utf-8"))).text)
        assert "The PDF, the offline copy and the data files are made by a full build" in text, page
        links = [href for tag, attr, href in references(files[page].read_text(encoding="utf-8")) if tag == "a"]
        assert not any(resolve(page, href)[0] in DOWNLOADS for href in links), page


def test_links_from_top_level_pages_without_directory_urls():
    from generator.render.content import fill_placeholders
    from generator.render.urls import file_href, relative_url

    assert file_href("index.md", "atlas.pdf", False) == "atlas.pdf"
    assert file_href("data.md", "data/atlas.json", False) == "data/atlas.json"
    assert relative_url("sources.md", "forums/esa.md", False) == "forums/esa.html"
    assert relative_url("forums/x.md", "sources.md", False) == "../sources.html"  # one level down is right already
    assert 'href="atlas.pdf"' in fill_placeholders(
        "<!-- atlas:downloads -->", build_atlas(SMALL, CONTENT), here="index.md", downloads=True, directory_urls=False
    )


def test_the_mkdocs_command_lays_out_the_pdf_in_worker_processes(tmp_path):
    """`mkdocs build` as typed (the console script, run from elsewhere): workers must still find the package."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.is_file():
        pytest.skip("no mkdocs console script beside this Python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    env.update(ATLAS_ENTRIES=str(SMALL), NO_MKDOCS_2_WARNING="1", ATLAS_PDF_PART_SIZE="5")
    site = tmp_path / "site"
    done = subprocess.run(
        [str(mkdocs), "build", "-f", str(REPO_ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    parts = re.search(r"laying out the atlas in (\d+) parts", done.stderr)
    assert parts and int(parts.group(1)) >= 2, done.stderr[-2000:]
    assert len(PdfReader(site / "atlas.pdf").pages) > 3
