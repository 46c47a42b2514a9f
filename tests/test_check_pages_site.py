"""The checker CI runs on the Zensical build of the pages output: entry pages, and internal links."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

CHECKER = REPO_ROOT / ".ci" / "check_pages_site.py"


def _write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def _check(site: Path, entries: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECKER), str(site), str(entries), *args], capture_output=True, text=True, timeout=60)


def test_a_whole_site_passes(tmp_path: Path):
    entries = _write(tmp_path / "entries", {"forums/a.yaml": "", "gaps/b.yaml": ""})
    site = _write(tmp_path / "site", {
        "index.html": '<a href="forums/a/">a</a> <a href="gaps/b/#top">b</a> <a href="/atlas/feeds/x.xml">feed</a> <a href="https://e.org/">out</a>',
        "forums/a/index.html": '<img src="../../assets/i.png"><a href="#s">s</a><h2 id="s">S</h2><a href="mailto:x@e.org">m</a>',
        "gaps/b/index.html": '<h1 id="top">B</h1><a href="../../">home</a>',
        "assets/i.png": "", "feeds/x.xml": "",
    })
    done = _check(site, entries, "--site-url", "https://e.org/atlas/", "--anchors")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 HTML files, 2 entries, 6 internal links: 0 entry pages missing, 0 links broken" in done.stderr


def test_every_missing_page_and_broken_link_is_named(tmp_path: Path):
    entries = _write(tmp_path / "entries", {"forums/a.yaml": "", "forums/gone.yaml": ""})
    site = _write(tmp_path / "site", {
        "index.html": '<a href="forums/a/">a</a> <a href="forums/nope/">x</a> <a href="/other/x/">y</a> <a href="../../up/">z</a> <a href="forums/a/#no">w</a>',
        "forums/a/index.html": "<h1>A</h1>",
    })
    done = _check(site, entries, "--site-url", "https://e.org/atlas/", "--anchors")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "forums/gone.yaml: no page",
        "index.html: forums/nope/",
        "index.html: /other/x/ (outside the site's path /atlas/)",
        "index.html: ../../up/ (above the site's root)",
        "index.html: forums/a/#no (no such anchor)",
    ]


def test_a_missing_folder_is_a_usage_error(tmp_path: Path):
    assert _check(tmp_path / "none", tmp_path).returncode == 2
