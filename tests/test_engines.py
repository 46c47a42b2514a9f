"""Engines: the offline copy is built by the engine that runs the build, and the comparison CI uses ignores only the generator meta tag."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO_ROOT

from generator.site.offline import engine_of

COMPARE = REPO_ROOT / ".ci" / "compare_sites.py"
PAGE = '<html><head><meta name="generator" content="{}"></head><body>{}</body></html>'


def _site(root: Path, generator: str, body: str = "same") -> Path:
    root.mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format(generator, body), encoding="utf-8")
    (root / "sitemap.xml.gz").write_bytes(gzip.compress(b"<urlset/>", mtime=0 if "mkdocs-1" in generator else 1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", PAGE.format(generator, body))
    (root / "atlas-offline.zip").write_bytes(buffer.getvalue())
    return root


def _compare(a: Path, b: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(COMPARE), str(a), str(b)], capture_output=True, text=True, timeout=60)


def test_sites_that_differ_only_in_the_generator_meta_tag_are_the_same(tmp_path: Path) -> None:
    done = _compare(_site(tmp_path / "a", "mkdocs-1.6.1, mkdocs-material-9.8.2"), _site(tmp_path / "b", "mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_any_other_difference_is_named_down_to_the_zip_member(tmp_path: Path) -> None:
    a = _site(tmp_path / "a", "mkdocs-1.6.1")
    b = _site(tmp_path / "b", "mkdocs-ProperDocs 1.6.7", body="changed")
    (b / "extra.txt").write_text("x", encoding="utf-8")
    done = _compare(a, b)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "extra.txt: only in the second",
        "atlas-offline.zip!index.html: differs from line 1",
        "index.html: differs from line 1",
    ]


def test_the_offline_copy_is_built_by_the_engine_of_the_build() -> None:
    from mkdocs.config.defaults import MkDocsConfig

    assert engine_of(MkDocsConfig()) == "mkdocs"
    fork = type("ProperDocsConfig", (), {"__module__": "properdocs.config.defaults"})
    assert engine_of(fork()) == "properdocs"
    assert engine_of(type("Other", (), {"__module__": "elsewhere.config"})()) == "mkdocs"
