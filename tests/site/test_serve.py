"""`mkdocs serve`: a rebuild after an entry changes dates the edition afresh.

The edition date (the latest ``last_reviewed``, when SOURCE_DATE_EPOCH is not set) dates
the sitemap and the Data page. A build that set SOURCE_DATE_EPOCH for MkDocs kept the first
build's date for every later rebuild of the same process.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SITE_URL, SMALL

from generator.edition import day_epoch

LATEST_REVIEW = "2026-01-15"  # of tests/fixtures/small
LATER_REVIEW = "2026-02-20"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# `mkdocs serve` serves the site under the path of its site_url, as the published site lies.
SERVED_PATH = urllib.parse.urlsplit(SITE_URL).path


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def lastmods(sitemap: str | None) -> set[str]:
    return set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap or ""))


def wait_for(url: str, wanted: set[str], seconds: float = 90) -> set[str]:
    """The sitemap's dates once they are ``wanted``, or the last ones seen after ``seconds``."""
    deadline = time.monotonic() + seconds
    seen: set[str] = set()
    while time.monotonic() < deadline:
        seen = lastmods(fetch(url))
        if seen == wanted:
            return seen
        time.sleep(0.5)
    return seen


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    entries = tmp_path / "entries"
    shutil.copytree(SMALL, entries)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "ATLAS_DOWNLOADS")}
    env.update(ATLAS_ENTRIES=str(entries), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield entries, f"http://127.0.0.1:{port}{SERVED_PATH}"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        print(output)


def test_a_rebuild_dates_the_edition_by_the_entries_it_has_now(served):
    entries, site = served
    assert wait_for(site + "sitemap.xml", {LATEST_REVIEW}) == {LATEST_REVIEW}
    data_page = fetch(site + "data/") or ""
    assert LATEST_REVIEW in data_page
    forum = entries / "forums" / "alpha-forum.yaml"
    forum.write_text(forum.read_text(encoding="utf-8").replace(f"last_reviewed: {LATEST_REVIEW}", f"last_reviewed: {LATER_REVIEW}"), encoding="utf-8")
    assert wait_for(site + "sitemap.xml", {LATER_REVIEW}) == {LATER_REVIEW}
    assert LATER_REVIEW in (fetch(site + "data/") or "")


def test_a_build_in_this_process_leaves_the_environment_as_it_was(tmp_path: Path):
    """A build used to set SOURCE_DATE_EPOCH for MkDocs in its own process: a later build or test there
    (an offline copy, a rebuild, the next test) was then dated by it, whatever its entries said."""
    from conftest import project_config
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    before = dict(os.environ)
    config = load_config(str(project_config(tmp_path / "project", entries=str(SMALL), downloads=False)), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    material = "NO_MKDOCS_2_WARNING"  # Material's templates module sets it when first imported
    assert {k: v for k, v in os.environ.items() if k != material} == {k: v for k, v in before.items() if k != material}
    gzipped = (tmp_path / "site" / "sitemap.xml.gz").read_bytes()  # its header dates it: the edition, by the pages' dates
    assert int.from_bytes(gzipped[4:8], "little") == day_epoch(dt.date.fromisoformat(LATEST_REVIEW))


def test_the_preview_shows_changes_since_the_latest_edition_as_unreleased(tmp_path: Path):
    """A contributor previewing their change sees it on What's new, in the atlas's terms, before any edition holds it."""
    import datetime as dt

    from generator.editions.record import atlas_snapshot, write_edition
    from generator.pipeline import build_atlas

    entries = tmp_path / "entries"
    shutil.copytree(SMALL, entries)
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 15)), tmp_path / "editions")  # beside the entries: the default
    forum = entries / "forums" / "alpha-forum.yaml"
    forum.write_text(forum.read_text(encoding="utf-8").replace("level: partial", "level: strong"), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "ATLAS_DOWNLOADS", "ATLAS_UNRELEASED")}
    env.update(ATLAS_ENTRIES=str(entries), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        site = f"http://127.0.0.1:{port}{SERVED_PATH}"
        deadline = time.monotonic() + 90
        page = None
        while page is None and time.monotonic() < deadline:
            page = fetch(site + "whats-new/unreleased/")
            time.sleep(0.5)
        assert page is not None, "no unreleased page in the preview"
        assert "since the edition of 2026-01-15" in page and "partial → strong" in page
    finally:
        server.terminate()
        server.communicate(timeout=30)
