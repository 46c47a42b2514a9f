"""Editions: recording one (and refusing to overwrite), reading it back, and comparing two across schema versions.

The fixture pair (tests/fixtures/edition-pair) is an edition of schema version 1 and one of
version 3: an entry renamed through ``aliases``, one added, one removed, a claim whose level
and basis change, one that gains a basis, a field the schema dropped and one it added.
Set ATLAS_UPDATE_GOLDEN=1 to rewrite tests/golden/edition-changes.json.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, TODAY_EPOCH

from generator.cli import main
from generator.editions.diff import compare
from generator.editions.diff_json import diff_bytes
from generator.editions.history import read_history
from generator.editions.schema_versions import SCHEMA_VERSION
from generator.editions.snapshot import edition_bytes, read_edition, read_editions
from generator.errors import EditionInvalid
from generator.pipeline import build_atlas

PAIR = REPO_ROOT / "tests" / "fixtures" / "edition-pair"
GOLDEN = REPO_ROOT / "tests" / "golden" / "edition-changes.json"


@pytest.fixture
def pair():
    old, new = read_editions(PAIR)
    return compare(old, new)


def test_changes_between_the_fixture_editions_match_the_golden_file(pair) -> None:
    actual = diff_bytes(pair).decode()
    if os.environ.get("ATLAS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "actual"))
        pytest.fail(f"the changes differ from tests/golden/edition-changes.json (ATLAS_UPDATE_GOLDEN=1 rewrites it):\n{diff}", pytrace=False)


def test_a_rename_through_aliases_is_a_rename_not_a_removal_and_an_addition(pair) -> None:
    assert [(r.old.id, r.new.id) for r in pair.renamed] == [("old-forum", "renamed-forum")]
    assert "old-forum" not in {r.id for r in pair.removed}
    assert "renamed-forum" not in {r.id for r in pair.added}
    assert {r.id for r in pair.added} == {"new-initiative", "debris"}
    assert {r.id for r in pair.removed} == {"gone-initiative"}
    renamed_claim = next(c for c in pair.claims if c.entry.id == "renamed-forum")
    assert (renamed_claim.change, renamed_claim.level, renamed_claim.basis) == ("changed", ("emerging", "partial"), (None, "named"))
    assert renamed_claim.evidence_revised


def test_fields_added_and_dropped_by_the_schema_show_as_added_and_removed(pair) -> None:
    changes = {(f.entry.id, f.field): f.change for f in pair.facts}
    assert changes[("renamed-forum", "legacy_note")] == "removed"  # only the version 1 edition has it
    assert changes[("renamed-forum", "topics[debris]")] == "added"  # topics exist from version 3
    assert ("steady", "established") not in changes  # 2015 and "2015" are the same year
    assert changes[("steady", "history[2026-02]")] == "added"
    claim = next(c for c in pair.claims if c.entry.id == "steady")
    assert (claim.change, claim.level, claim.basis) == ("changed", ("emerging", "emerging"), (None, "category"))


def test_an_edition_file_reads_back_to_the_same_bytes() -> None:
    for path in sorted(PAIR.glob("*.json")):
        assert edition_bytes(read_edition(path)) == path.read_bytes()


def test_a_broken_edition_file_is_an_error_naming_its_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "2026-01-10.json"
    broken.write_text('{"format": "space-governance-atlas/edition",\n  "date": }', encoding="utf-8")
    with pytest.raises(EditionInvalid, match=r"2026-01-10\.json:2:\d+: the edition is not valid JSON"):
        read_edition(broken)
    misnamed = tmp_path / "2026-02-02.json"
    shutil.copy(PAIR / "2026-01-10.json", misnamed)
    with pytest.raises(EditionInvalid, match="must be the date in its file name"):
        read_edition(misnamed)


# --- the edition command ----------------------------------------------------------------


def _edition(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    capsys.readouterr()
    code = main(["edition", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_edition_command_records_the_atlas_and_refuses_to_overwrite(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    entries = make_entries()
    folder = tmp_path / "editions"
    code, out, _ = _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-20")
    assert code == 0, out
    written = folder / "2026-01-20.json"
    assert f"{written.name}: " in out and f"schema version {SCHEMA_VERSION}" in out
    recorded = read_edition(written)
    atlas = build_atlas(entries)
    assert set(recorded.entries) == set(atlas.entries)
    assert recorded.schema_version == SCHEMA_VERSION
    claims = [(e.id, c.gap, c.level) for e in atlas.entries.values() for c in e.addresses]
    assert sorted((i, c["gap"], c["level"]) for i, d in recorded.entries.items() for c in d.get("addresses", [])) == sorted(claims)
    before = written.read_bytes()

    code, _, err = _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-20")
    assert code == 1
    assert "exists; an edition is never overwritten" in err and "no edition was written" in err and "Traceback" not in err
    assert written.read_bytes() == before

    code, _, err = _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-19")
    assert code == 1 and "editions are recorded in date order" in err
    assert not (folder / "2026-01-19.json").exists()


def test_the_edition_command_refuses_a_date_after_today(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = _edition(monkeypatch, capsys, "--entries", str(make_entries()), "--editions", str(tmp_path / "e"), "--date", "2027-01-01")
    assert code == 2 and "an edition records what the atlas was" in err
    assert not (tmp_path / "e").exists()


def test_an_edition_is_deterministic(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    entries = make_entries()
    for name in ("a", "b"):
        assert _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(tmp_path / name), "--date", "2026-01-20")[0] == 0
    assert (tmp_path / "a" / "2026-01-20.json").read_bytes() == (tmp_path / "b" / "2026-01-20.json").read_bytes()


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_an_edition_from_a_past_revision_reads_its_entries_as_they_were(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    entries = make_entries()
    repo = tmp_path
    _git(repo, "init", "-q")
    _git(repo, "add", "entries")
    _git(repo, "commit", "-q", "-m", "first")
    first = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    forum = next((entries / "forums").glob("*.yaml"))
    forum.write_text(forum.read_text(encoding="utf-8").replace("name:", "legacy_field: kept as typed\nname:", 1), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "second")
    code, _, err = _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(tmp_path / "eds"), "--git", first, "--date", "2026-01-02")
    assert code == 0, err
    recorded = read_edition(tmp_path / "eds" / "2026-01-02.json")
    assert forum.stem in recorded.entries and "legacy_field" not in recorded.entries[forum.stem]
    assert recorded.schema_version == 1  # this repository's history holds none of the schema's later commits
    code, _, err = _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(tmp_path / "eds"), "--git", "no-such-revision")
    assert code == 1 and "git archive failed" in err and "Traceback" not in err


def test_the_history_shows_changes_since_the_latest_edition_only_when_asked(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    entries = make_entries()
    folder = tmp_path / "editions"
    assert _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-20")[0] == 0
    atlas = build_atlas(entries)
    same = read_history(folder, atlas, show_unreleased=True)
    assert same.since_latest is None and same.unreleased is None
    forum = next((entries / "forums").glob("*.yaml"))
    forum.write_text(forum.read_text(encoding="utf-8").replace("last_reviewed: ", "acronym: NEWACR\nlast_reviewed: ", 1), encoding="utf-8")
    changed = build_atlas(entries)
    hidden = read_history(folder, changed, show_unreleased=False)
    assert hidden.since_latest is not None and hidden.unreleased is None
    shown = read_history(folder, changed, show_unreleased=True)
    assert shown.unreleased is not None
    assert [(f.entry.id, f.field, f.new) for f in shown.unreleased.facts] == [(forum.stem, "acronym", "NEWACR")]


def test_the_shipped_editions_are_the_atlas_before_the_trust_review_and_now() -> None:
    editions = read_editions(REPO_ROOT / "editions")
    assert len(editions) >= 2
    before, now = editions[0], editions[-1]
    assert before.schema_version == 1  # claims without `basis`
    assert all("basis" not in c for d in before.entries.values() for c in d.get("addresses", []))
    assert now.schema_version > before.schema_version
    assert all("basis" in c for d in now.entries.values() for c in d.get("addresses", []))
    assert compare(before, now).claims  # the review changed claims


def test_a_preview_reads_the_editions_again_only_when_one_changed(make_entries, tmp_path: Path, monkeypatch, capsys) -> None:
    from generator.site.session import Session

    entries = make_entries()
    folder = tmp_path / "editions"
    assert _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-16")[0] == 0
    session = Session(command="serve")
    first = session.recorded_history(folder)
    assert session.recorded_history(folder) is first  # nothing changed: the same editions and changes, not read again
    assert _edition(monkeypatch, capsys, "--entries", str(entries), "--editions", str(folder), "--date", "2026-01-20")[0] == 0
    again = session.recorded_history(folder)
    assert [e.name for e in again.editions] == ["2026-01-16", "2026-01-20"] and len(again.changes) == 2
