"""The atlas plugin's options in mkdocs.yml are checked by MkDocs when it loads the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL, project_config


def build(config: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATLAS_")}
    env.update(NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra, "-f", str(config), "-d", str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize(("options", "message"), [
    ({"page_limits": {"index_rows": 0}}, "Expected a whole number of 1 or more, but received: 0"),
    ({"page_limits": {"index_rows": "many"}}, "Expected a whole number of 1 or more, but received: 'many'"),
    ({"downloads": "sometimes"}, "Expected type: <class 'bool'> but received: <class 'str'>"),
    ({"entries": str(SMALL), "entrys": "x"}, "Unrecognised configuration name: entrys"),
])
def test_a_wrong_option_stops_the_build_and_names_it(tmp_path, options, message):
    done = build(project_config(tmp_path / "project", **options), tmp_path / "site", "--strict")
    assert done.returncode == 1
    assert message in done.stderr and "atlas" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_the_entries_option_names_the_entries_folder(tmp_path):
    done = build(project_config(tmp_path / "project", entries=str(SMALL), downloads=False), tmp_path / "site", "--strict")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "forums" / "alpha-forum" / "index.html").is_file()


def test_without_the_offline_plugin_the_downloads_leave_out_the_offline_copy(tmp_path):
    config = project_config(tmp_path / "project", entries=str(SMALL), downloads=True)
    text = config.read_text(encoding="utf-8")
    assert "  - offline:\n      enabled: false\n" in text
    config.write_text(text.replace("  - offline:\n      enabled: false\n", ""), encoding="utf-8")
    site = tmp_path / "site"
    done = build(config, site, "--strict")
    assert done.returncode == 0, done.stderr
    assert "The offline copy is skipped: mkdocs.yml lists no 'material/offline' plugin" in done.stderr
    assert (site / "atlas.pdf").is_file() and (site / "data" / "atlas.json").is_file()
    assert not (site / "atlas-offline.zip").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="atlas.pdf"' in home and "atlas-offline.zip" not in home
