"""The check and the rendering in worker processes give exactly what they give in this process,
and a worker that dies fails the command with exit code 3 and one clear line.

The commands run in a fresh process of their own (one thread, so their workers are forked).
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
import textwrap
from functools import partial
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL, _cli_env

import generator.validate.entries as validate
import generator.workers as workers
from generator import settings
from generator.pipeline import gc_paused
from generator.workers import Minimum, map_in_processes

write_atlas = runpy.run_path(str(REPO_ROOT / "benchmarks" / "make_atlas.py"))["write_atlas"]

forking = pytest.mark.skipif(sys.platform != "linux", reason="forked workers need Linux")
DEATHS = {"exits": "os._exit(3)", "killed": "os.kill(os.getpid(), signal.SIGKILL)"}
# The synthetic atlas is dated up to 2026-11-28: checked as of 2026-12-01, no date of it is in the future.
AFTER_THE_SYNTHETIC_ATLAS = "1796083200"


def _write_broken_atlas(root: Path) -> Path:
    """300 synthetic entries, and broken files spread over the kind folders, so that both
    this process and a worker meet some: a syntax error, an unknown field, an id used
    twice, a reference to an entry that does not exist."""
    entries = root / "entries"
    write_atlas(300, entries, seed=7)
    gap = (entries / "gaps" / "gap-1.yaml").read_text(encoding="utf-8")
    (entries / "gaps" / "gap-2.yaml").write_text(gap.replace("gap-1", "gap-2") + "sumary: typo\n", encoding="utf-8")
    forum = (entries / "forums" / "forum-0.yaml").read_text(encoding="utf-8")
    (entries / "initiatives" / "forum-0.yaml").write_text(_as_initiative(forum), encoding="utf-8")
    pathway = (entries / "pathways" / "pathway-5.yaml").read_text(encoding="utf-8")
    (entries / "pathways" / "pathway-5.yaml").write_text(pathway + "related: [forum-9999, gap-0]\n", encoding="utf-8")
    (entries / "forums" / "broken-syntax.yaml").write_text("id: broken-syntax\nkind: forum\nname: [unclosed\n", encoding="utf-8")
    return entries


def _as_initiative(forum: str) -> str:
    """The forum as an initiative: without the facts only forums have, nor the sources' support for them."""
    lines = [line for line in forum.splitlines() if not line.startswith(("established:", "seat:", "membership:", "  count:", "  as_of:", "  note: members"))]
    for i, line in enumerate(lines):
        if line.startswith("    supports: ["):
            kept = [name for name in line.removeprefix("    supports: [").removesuffix("]").split(", ") if name not in ("established", "seat", "membership")]
            lines[i] = f"    supports: [{', '.join(kept)}]"
    return "\n".join(lines).replace("kind: forum", "kind: initiative") + "\n"


@pytest.fixture(scope="module")
def broken_atlas(tmp_path_factory) -> Path:
    return _write_broken_atlas(tmp_path_factory.mktemp("parallel"))


@pytest.fixture
def fresh(monkeypatch) -> None:
    """No results kept from an earlier check, in this process; none left behind for other tests."""
    monkeypatch.setattr(validate, "_checked", {})


def _validate(entries: Path, workers_from: str, monkeypatch) -> validate.Validated:
    monkeypatch.setattr(validate, "_checked", {})
    monkeypatch.setenv("ATLAS_CHECK_WORKERS_FROM", workers_from)
    settings.current.cache_clear()
    monkeypatch.chdir(entries.parent)
    with gc_paused():
        return validate.validate_folder(entries, documents={})


def test_workers_give_the_same_entries_and_problems(broken_atlas, monkeypatch, fresh):
    alone = _validate(broken_atlas, "1000000", monkeypatch)
    assert workers.last_run is not None
    assert workers.last_run.start is None
    shared = _validate(broken_atlas, "0", monkeypatch)
    # Forked, or spawned when the test process runs other threads (the browser tests' server).
    run = workers.last_run
    assert run is not None
    assert run.start == workers.start_method()
    assert run.chunks_in_workers > 0
    assert run.chunks_here > 0
    assert shared.entries == alone.entries
    assert len(alone.entries) == 300
    assert shared.problems == alone.problems
    messages = "\n".join(p.as_text() for p in alone.errors)
    assert "entries/forums/broken-syntax.yaml:4:1: error: YAML syntax" in messages
    assert "entries/gaps/gap-2.yaml" in messages
    assert "unknown field 'sumary'" in messages
    assert "id 'forum-0' is already used by entries/forums/forum-0.yaml" in messages
    assert "entries/pathways/pathway-5.yaml" in messages
    assert "names 'forum-9999', but there is no entry" in messages


def test_each_file_gives_the_same_result_with_its_positions(broken_atlas, monkeypatch, fresh):
    monkeypatch.chdir(broken_atlas.parent)
    files = validate._entry_files(broken_atlas, [])
    check = partial(validate._check_listed, review=None)
    alone = map_in_processes(check, files, minimum=Minimum(10**6, 10**6))
    shared = map_in_processes(check, files, minimum=Minimum(0, 0))
    assert workers.last_run is not None
    assert workers.last_run.chunks_in_workers > 0
    assert shared == alone  # entry, problems, positions and references of every file, in order


def _check(entries: Path, workers_from: str, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**_cli_env(), "ATLAS_CHECK_WORKERS_FROM": workers_from, "SOURCE_DATE_EPOCH": AFTER_THE_SYNTHETIC_ATLAS}
    return subprocess.run([sys.executable, *command, "check", "--entries", "entries"], cwd=entries.parent, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


_SHOW_RUN = textwrap.dedent(
    """
    import runpy, sys
    import generator.workers as workers
    try:
        runpy.run_module("generator", run_name="__main__", alter_sys=True)
    finally:
        print(f"run: {workers.last_run}", file=sys.stderr)
    """
)


@forking
def test_check_command_prints_the_same_with_workers(broken_atlas):
    """`python -m generator check`, with workers forced on (and seen to be used) and off."""
    off = _check(broken_atlas, "1000000", "-m", "generator")
    on = _check(broken_atlas, "0", "-c", _SHOW_RUN)
    *on_stderr, shown = on.stderr.splitlines()
    assert shown.startswith("run: Run(items=302, start='fork', workers=")
    assert "chunks_in_workers=0)" not in shown
    assert (on.returncode, on.stdout, on_stderr) == (off.returncode, off.stdout, off.stderr.splitlines())
    assert off.returncode == 1
    assert off.stdout.count(": error: ") == 4
    assert off.stderr.splitlines()[-1] == "4 errors in 4 files"


_DIES_IN_CHECK = """
import multiprocessing, os, signal, sys
import generator.validate.entries as validate
from generator.cli import main
check_file = validate._check_file
def dies_in_worker(*args):
    if multiprocessing.parent_process() is not None:
        {death}
    return check_file(*args)
validate._check_file = dies_in_worker  # forked workers inherit it
sys.exit(main(["check", "--entries", "entries"]))
"""


@forking
@pytest.mark.parametrize("death", DEATHS.values(), ids=DEATHS.keys())
def test_check_command_fails_clearly_when_a_worker_dies(broken_atlas, death):
    done = _check(broken_atlas, "0", "-c", _DIES_IN_CHECK.format(death=death))
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "python -m generator check: error: a worker process checking entry files stopped unexpectedly (killed, or out of memory?)\n"


# --- entry pages rendered by forked workers --------------------------------------------------


@forking
def test_entry_pages_rendered_by_workers_equal_those_rendered_here():
    code = f"""
        import json, os
        from pathlib import Path
        import generator.workers as workers
        from generator import settings
        from generator.pipeline import build_atlas
        from generator.render.pages import build_pages
        from generator.render.page import Limits
        atlas = build_atlas(Path({str(SMALL)!r}))
        limits = Limits(index_rows=2, matrix_rows=1, claims_per_level=1, members_shown=1)
        same = []
        for directory_urls in (True, False):
            os.environ["ATLAS_FORK_FROM"] = "1000000"
            settings.current.cache_clear()
            here = build_pages(atlas, directory_urls=directory_urls, limits=limits).pages
            assert workers.last_run.start is None
            os.environ["ATLAS_FORK_FROM"] = "0"
            settings.current.cache_clear()
            shared = build_pages(atlas, directory_urls=directory_urls, limits=limits).pages
            assert workers.last_run.start == "fork" and workers.last_run.chunks_in_workers > 0, workers.last_run
            same.append(list(shared) == list(here) and all(
                (a.markdown, a.title, a.entry, a.meta) == (b.markdown, b.title, b.entry, b.meta)
                for a, b in zip(shared.values(), here.values())))
        print(json.dumps({{"same": same, "pages": len(here)}}))
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO_ROOT, env=_cli_env(),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["same"] == [True, True]
    assert result["pages"] > 20


_DIES_IN_RENDERING = """
import os, signal, sys
from generator.cli import main
from generator.render.entry_pages import EntryPages
parent = os.getpid()
entry_markdown = EntryPages.entry_markdown
def dies_in_worker(self, entries):
    if os.getpid() != parent:
        {death}
    return entry_markdown(self, entries)
EntryPages.entry_markdown = dies_in_worker  # forked workers inherit it
sys.exit(main(["pdf", "--entries", {entries!r}, "--out", sys.argv[1]]))
"""


@forking
@pytest.mark.parametrize("death", DEATHS.values(), ids=DEATHS.keys())
def test_a_rendering_worker_that_dies_fails_the_command_and_writes_nothing(tmp_path, death):
    """Not a silent re-run in this process: exit code 3, one line, no PDF."""
    out = tmp_path / "atlas.pdf"
    code = _DIES_IN_RENDERING.format(death=death, entries=str(SMALL))
    done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=tmp_path, env={**_cli_env(), "ATLAS_FORK_FROM": "0"},
                          capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout) == (3, ""), done.stderr
    assert done.stderr.splitlines()[-1] == (
        "python -m generator pdf: error: a worker process rendering entry pages stopped unexpectedly (killed, or out of memory?)"
    )
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
