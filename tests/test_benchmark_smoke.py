"""The benchmark runs end to end on a small synthetic atlas (a smoke test: nothing here is timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from make_atlas import write_atlas


def test_synthetic_atlas_is_valid_and_deterministic(tmp_path: Path):
    counts = write_atlas(200, tmp_path / "a", seed=3)
    write_atlas(200, tmp_path / "b", seed=3)
    assert sum(counts.values()) == 200 and counts["pathway"] == 6 and 10 <= counts["gap"] <= 40
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len(files_a) == 200
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    check = subprocess.run([sys.executable, "-m", "generator", "check", "--entries", str(tmp_path / "a")],
                           cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert (check.returncode, check.stdout) == (0, ""), check.stdout


def test_runner_writes_a_consistent_table(tmp_path: Path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "run.py"), "--sizes", "200", "--runs", "1",
         "--stages", "floor,check,core", "--out", str(out), "--work", str(tmp_path / "work")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table = out.read_text(encoding="utf-8")
    for stage in ("floor", "check", "core"):
        assert any(line.startswith(f"| {stage} | ") and line.endswith(" MB |") for line in table.splitlines()), stage
    assert "| core ≤ 2× the C-loader floor at N=200 |" in table
    # What the core stage rendered agrees with the atlas it was given.
    core = json.loads(subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "stages.py"), "core", str(tmp_path / "work" / "atlas-200" / "entries")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=True,
    ).stdout)
    assert core["entries"] == 200
    assert core["pages"] >= 200 + 4 + 3  # an entry page each, an index per kind, the coverage pages
