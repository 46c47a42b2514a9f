"""Shared fixtures: a temporary entries tree built from YAML snippets, and ways to run the checker.

``make_entries`` writes a minimal VALID atlas (one pathway, one gap, one forum,
one initiative) under ``tmp_path/entries``; a test overrides it file by file.
``check`` runs ``python -m generator check`` in-process (fast) from ``tmp_path``,
so problem paths read ``entries/<kind>s/<id>.yaml``; ``run_cli`` runs it as a
real subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
# "Today" for freshness warnings: 2026-02-01 (the fixtures were reviewed 2026-01-15).
TODAY_EPOCH = "1769904000"
SMALL = REPO_ROOT / "tests" / "fixtures" / "small"
# The site's address (mkdocs.yml's site_url): feeds and citations are absolute under it, and `mkdocs serve` serves under its path.
SITE_URL = re.search(r"^site_url: (\S+)$", (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]

# The minimal valid atlas. Paths are relative to the entries folder.
VALID_ATLAS: dict[str, str] = {
    "pathways/universal.yaml": """\
        id: universal
        kind: pathway
        name: Universal forums
        summary: The universal anchor.
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
        last_reviewed: 2026-01-15
        """,
    "gaps/dialogue.yaml": """\
        id: dialogue
        kind: gap
        name: Dialogue gap
        summary: Candid exchanges are hard in formal settings.
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
        last_reviewed: 2026-01-15
        """,
    "forums/alpha-forum.yaml": """\
        id: alpha-forum
        kind: forum
        name: Alpha Forum
        summary: A universal forum.
        pathway: universal
        established: 1959
        website: https://alpha.example.org/
        addresses:
          - gap: dialogue
            level: partial
            basis: named
            note: It meets in closed session only sometimes.
            evidence: "Universal fora are indispensable."
            source: https://example.org/brief
        sources:
          - title: Example brief
            url: https://example.org/brief
            accessed: 2026-01-10
            supports: [pathway, established]
        last_reviewed: 2026-01-15
        """,
    "initiatives/gamma-guidelines.yaml": """\
        id: gamma-guidelines
        kind: initiative
        name: Gamma Guidelines
        summary: Voluntary guidelines.
        status: adopted
        led_by: [alpha-forum]
        pathway: universal
        related: [alpha-forum]
        sources:
          - title: Gamma text
            url: https://alpha.example.org/gamma
            accessed: 2026-01-10
            supports: [status, led_by, pathway]
        last_reviewed: 2026-01-15
        """,
}


# Entry text that tries to be a template, inject markup, or break tables: valid data all the same.
HOSTILE: dict[str, str] = {
    "forums/evil.yaml": """\
        id: evil
        kind: forum
        name: "Evil </title><script>alert('name')</script> Forum"
        acronym: "<b>EV</b>"
        summary: >-
          Typed {{ 7*7 }} and {% raw %}x{% endraw %} and {# c #}.
          <script>alert('summary')</script> <img src=x onerror=alert('img')>
          [js](javascript:alert(1)) [mail](mailto:a@example.org) [web](https://example.org/ok)
        description: |
          Text {{ config }} <iframe src="https://evil.example/"></iframe> and [js](javascript:alert(2)) and
          <a href="javascript:alert(3)">raw</a> and <img src=x onerror=alert(4)>.

              code block with a blank line

              <script>alert('code')</script>

          | a | b |
          |---|---|
          | c | d |
        pathway: universal
        seat: "Pipe | seat"
        addresses:
          - gap: dialogue
            level: strong
            note: "A note with a | pipe\\nand a newline <script>alert('note')</script> [js](javascript:alert(5))"
            basis: named
            evidence: "Evidence | with pipe\\n\\n# not a heading\\n\\n<script>alert('evidence')</script>"
            source: "https://example.org/a?b=1&c=<2>"
        history:
          - date: 2020
            event: "Founded | <script>alert('history')</script>"
        sources:
          - title: "<script>alert('source')</script>"
            url: "https://example.org/a?b=1&c=<2>"
            accessed: 2026-01-10
            supports: [acronym, pathway, seat]
        last_reviewed: 2026-01-15
        """,
}

# A valid forum nobody references, for tests that break one thing in it: errors in
# it cannot cascade into other files. Lines 1-9 as below; ``extra`` starts at line 10.
X = "forums/x.yaml"
XP = "entries/forums/x.yaml"
X_FORUM = """\
id: x
kind: forum
name: X Forum
summary: A forum.
sources:
  - title: Example brief
    url: https://example.org/brief
    accessed: 2026-01-10
last_reviewed: 2026-01-15
"""


def forum_x(extra: str = "", replace: dict[str, str] | None = None) -> str:
    """The text of forums/x.yaml: X_FORUM with ``replace`` applied (each old text must occur) and ``extra`` appended."""
    text = X_FORUM
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return text + textwrap.dedent(extra)


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def write_entries(root: Path, files: dict[str, str | bytes | None], *, base: dict[str, str] | None = None) -> Path:
    """Write ``base`` overridden by ``files`` under ``root`` (None deletes a base file); return ``root``."""
    merged: dict[str, str | bytes | None] = {**(VALID_ATLAS if base is None else base), **files}
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def small_fixture() -> Path:
    return SMALL


@pytest.fixture
def make_entries(tmp_path: Path) -> Callable[..., Path]:
    """``make_entries({"forums/x.yaml": "...", "gaps/dialogue.yaml": None})`` → tmp_path/entries.

    Without arguments it writes the minimal valid atlas. ``base={}`` starts from nothing.
    """

    def make(files: dict[str, str | bytes | None] | None = None, *, base: dict[str, str] | None = None) -> Path:
        return write_entries(tmp_path / "entries", files or {}, base=base)

    return make


@dataclass
class CheckResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


@pytest.fixture
def check(make_entries, tmp_path: Path, monkeypatch, capsys) -> Callable[..., CheckResult]:
    """Write the atlas with overrides, then run ``check --entries entries`` in-process from tmp_path."""
    from generator.cli import main

    def run(files: dict[str, str | bytes | None] | None = None, *args: str, base: dict[str, str] | None = None) -> CheckResult:
        make_entries(files, base=base)
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("ATLAS_ENTRIES", raising=False)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        capsys.readouterr()
        code = main(["check", "--entries", "entries", *args])
        out, err = capsys.readouterr()
        return CheckResult(code, out, err)

    return run


@pytest.fixture
def errors(check) -> Callable[..., list[str]]:
    """The problem lines for an atlas with overrides; asserts the check failed with exit 1."""

    def run(files: dict[str, str | bytes | None], base: dict[str, str] | None = None) -> list[str]:
        result = check(files, base=base)
        assert result.returncode == 1, result
        assert "Traceback" not in result.stdout + result.stderr
        return result.lines

    return run


def _cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_ENTRIES"}
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    return env


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """``run_cli("check", "--entries", "x", cwd=dir)`` → (returncode, stdout, stderr) of a real subprocess."""

    def run(*args: str, cwd: Path | str = REPO_ROOT, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            env={**_cli_env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return proc.returncode, proc.stdout, proc.stderr

    return run


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test reads the environment afresh (as a new process would), after its own ``monkeypatch.setenv``."""
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()


def project_config(folder: Path, **atlas_options: object) -> Path:
    """A copy of mkdocs.yml in ``folder`` whose atlas plugin takes ``atlas_options`` (YAML flow values), with the
    repository's content and overrides; ``mkdocs build -f`` it to build the atlas with other options."""
    import json

    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plugin = re.search(r"^  - atlas:\n(?:      .*\n)*", config, re.M)  # the plugin and its options (and their comments)
    assert plugin and "docs_dir: content\n" in config and "custom_dir: overrides" in config
    options = "".join(f"      {key}: {json.dumps(value)}\n" for key, value in atlas_options.items())
    config = config.replace(plugin.group(0), "  - atlas:\n" + (options or "      entries: entries\n"))
    config = config.replace("docs_dir: content\n", f"docs_dir: {REPO_ROOT / 'content'}\n")
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO_ROOT / 'overrides'}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "CONTRIBUTING.md").write_text((REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path
