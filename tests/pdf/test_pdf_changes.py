"""The PDF's chapter "Changes in this edition": what the atlas as printed changed since the edition before."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from conftest import REPO_ROOT, SMALL, TODAY_EPOCH
from pypdf import PdfReader

from generator.cli import main
from generator.editions.record import atlas_snapshot, write_edition
from generator.pipeline import build_atlas


def test_the_pdf_has_a_chapter_of_this_edition_s_changes(tmp_path: Path, monkeypatch) -> None:
    entries = tmp_path / "entries"
    shutil.copytree(SMALL, entries)
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 10)), tmp_path / "editions")
    forum = entries / "forums" / "alpha-forum.yaml"
    forum.write_text(forum.read_text(encoding="utf-8").replace("level: partial", "level: strong"), encoding="utf-8")
    write_edition(atlas_snapshot(build_atlas(entries), dt.date(2026, 1, 15)), tmp_path / "editions")
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    out = tmp_path / "atlas.pdf"
    assert main(["pdf", "--entries", str(entries), "--out", str(out)]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Changes in this edition" in titles
    assert titles.index("Changes in this edition") < titles.index("Sources")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    chapter = text[text.index("What changed since the edition of 2026-01-10"):]
    assert "Alpha Forum" in chapter[:2000] and "partial → strong" in chapter[:2000]


def test_without_editions_the_pdf_has_no_changes_chapter(tmp_path: Path, monkeypatch) -> None:
    entries = tmp_path / "entries"
    shutil.copytree(SMALL, entries)
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    out = tmp_path / "atlas.pdf"
    assert main(["pdf", "--entries", str(entries), "--out", str(out)]) == 0
    titles = [item.title for item in PdfReader(io.BytesIO(out.read_bytes())).outline if not isinstance(item, list)]
    assert "Changes in this edition" not in titles and "Sources" in titles
