"""A new contributor's path, end to end: `new`, fill in, `check`, preview build; and the usual mistakes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL

from generator.kinds.declaration import KINDS
from generator.pipeline import build_atlas
from generator.render.page import FIELDS
from generator.render.pages import render_pages

FILLED = {
    "name: 'TODO: full name'": "name: Test Forum",
    "name: Test Forum": "name: Test Forum",
    "  TODO: what it is, in one paragraph, with its sources below.": "  A forum that a new contributor adds to the atlas.",
    '  - title: "TODO: title of the page"': "  - title: Test Forum home page",
    '    url: "TODO: https://…"': "    url: https://test-forum.example.org/\n    accessed: 2026-01-10\n    supports: [acronym]",
    "last_reviewed: YYYY-MM-DD": "last_reviewed: 2026-01-15",
}
EXTRA = """\
acronym: TF
related: [alpha-forum]
addresses:
  - gap: dialogue
    level: emerging
    basis: named
    note: It could offer a discreet setting.
    evidence: "A forum that a new contributor adds"
    source: https://test-forum.example.org/
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_ENTRIES"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["SOURCE_DATE_EPOCH"] = "1769904000"
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def fill(text: str) -> str:
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    # The skeleton's trailing comment on a line is fine; put the extra fields at the end.
    return text + EXTRA


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small atlas, worked on from a folder that has the schemas (as the repository does)."""
    shutil.copytree(SMALL, tmp_path / "entries")
    shutil.copytree(REPO_ROOT / "schemas", tmp_path / "schemas")
    return tmp_path


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_every_field_of_the_kind(project: Path, kind: str):
    result = cli("new", kind, "brand-new", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "entries" / f"{kind}s" / "brand-new.yaml"
    assert result.stdout.splitlines() == [
        f"wrote entries/{kind}s/brand-new.yaml",
        f"next: fill in every TODO and YYYY-MM-DD in entries/{kind}s/brand-new.yaml, then run: python -m generator check",
    ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n")
    for field in KINDS[kind].record.fields:
        prefix = f"{field.name}:" if field.required else f"# {field.name}:"
        assert any(line.startswith(prefix) for line in text.splitlines()), field.name
    # Placeholders are rejected until replaced, each with a message naming the field.
    checked = cli("check", cwd=project)
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if "brand-new" in line]
    assert lines == [
        f"entries/{kind}s/brand-new.yaml:8:7: error: 'name' still holds the placeholder 'TODO: full name'; replace it (Full name)",
        f"entries/{kind}s/brand-new.yaml:9:10: error: 'summary' still holds the placeholder "
        "'TODO: what it is, in one paragraph, with its sources below.'; replace it (What it is, in one paragraph)",
        f"entries/{kind}s/brand-new.yaml:12:12: error: 'sources[0].title' still holds the placeholder "
        "'TODO: title of the page'; replace it (Title of the page or document)",
        f"entries/{kind}s/brand-new.yaml:13:10: error: 'sources[0].url' still holds the placeholder "
        "'TODO: https://…'; replace it (Web address (http or https) of the page)",
        f"entries/{kind}s/brand-new.yaml:18:16: error: 'last_reviewed' must be a date (YYYY-MM-DD), but is the text 'YYYY-MM-DD'",
    ]


def test_new_contributor_end_to_end(project: Path, tmp_path: Path):
    assert cli("new", "forum", "test-forum", "--name", "Test Forum", cwd=project).returncode == 0
    entry = project / "entries" / "forums" / "test-forum.yaml"
    entry.write_text(fill(entry.read_text(encoding="utf-8")), encoding="utf-8")
    checked = cli("check", cwd=project)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout + checked.stderr

    site = tmp_path / "site"
    env = {**os.environ, "ATLAS_ENTRIES": str(project / "entries"), "ATLAS_DOWNLOADS": "0", "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=REPO_ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    page = (site / "forums" / "test-forum" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="test-forum">Test Forum <small>(TF)</small></h1>' in page
    # Its backlink on the forum it names, and its claim on the gap's page.
    assert 'href="../../forums/test-forum/">Test Forum (TF)</a>' in (site / "forums" / "alpha-forum" / "index.html").read_text(encoding="utf-8")
    assert "Test Forum (TF)" in (site / "gaps" / "dialogue" / "index.html").read_text(encoding="utf-8")

    # Each common mistake: one clear message naming file, line and field.
    good = entry.read_text(encoding="utf-8")
    mistakes = {
        "a typo in a field name": (good.replace("\nacronym: TF", "\nacronim: TF"),
                                   "unknown field 'acronim'; did you mean 'acronym'?"),
        "a reference to a missing gap": (good.replace("  - gap: dialogue", "  - gap: dialog"),
                                         "'addresses[0].gap' names 'dialog', but there is no gap with that id; did you mean 'dialogue'?"),
        "an unquoted no": (good.replace("acronym: TF", "acronym: no"),
                           "'acronym' must be text, but is false (written no); YAML reads an unquoted no as false: write \"no\" in quotes"),
        "a date in the wrong format": (good.replace("last_reviewed: 2026-01-15", "last_reviewed: 15/01/2026"),
                                       "'last_reviewed' must be a date (YYYY-MM-DD), but is the text '15/01/2026'"),
        "a tab in the indentation": (good.replace("    level: emerging", "\tlevel: emerging"),
                                     "YAML syntax: found a tab character that violates indentation (a tab: indent with spaces, not tabs)"),
    }
    for what, (text, message) in mistakes.items():
        entry.write_text(text, encoding="utf-8")
        result = cli("check", cwd=project)
        assert result.returncode == 1, what
        lines = result.stdout.splitlines()
        assert len(lines) == 1, (what, lines)
        where, _, said = lines[0].partition(": error: ")
        path, line, col = where.rsplit(":", 2)
        assert path == "entries/forums/test-forum.yaml" and int(line) >= 1 and int(col) >= 1, what
        assert said == message, what
        assert "Traceback" not in result.stderr
    entry.write_text(good, encoding="utf-8")


def test_fields_page_documents_every_field():
    page = render_pages(build_atlas(SMALL))[FIELDS].markdown
    for kind in KINDS.values():
        assert f"## {kind.title}" in page
        for field in kind.record.fields:
            assert f"<code>{field.name}</code>" in page, (kind.name, field.name)
            sub = getattr(field.type, "item", field.type)
            for nested in getattr(sub, "fields", ()):
                assert f"<code>{nested.name}</code>" in page, (field.name, nested.name)
