"""Entry files checked in worker processes give exactly what checking them here gives."""

from __future__ import annotations

import multiprocessing
import os
import runpy
import signal
import subprocess
import sys
import textwrap
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from conftest import REPO_ROOT, _cli_env

import generator.workers as parallel

import generator.validate.entries as validate
from generator.errors import WorkersFailed
from generator.workers import Minimum, map_in_processes
from generator.pipeline import gc_paused

write_atlas = runpy.run_path(str(REPO_ROOT / "benchmarks" / "make_atlas.py"))["write_atlas"]

FORCED = Minimum(0, 0)


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


FORUM_ONLY = ("established", "seat", "membership")


def _as_initiative(forum: str) -> str:
    """The forum as an initiative: without the facts only forums have, nor the sources' support for them."""
    lines = [line for line in forum.splitlines() if not line.startswith(("established:", "seat:", "membership:", "  count:", "  as_of:", "  note: members"))]
    for i, line in enumerate(lines):
        if line.startswith("    supports: ["):
            kept = [name for name in line.removeprefix("    supports: [").removesuffix("]").split(", ") if name not in FORUM_ONLY]
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
    monkeypatch.setenv(validate.WORKERS_FROM_VARIABLE, workers_from)
    monkeypatch.chdir(entries.parent)
    with gc_paused():
        return validate.validate_folder(entries, documents={})


def test_workers_give_the_same_entries_and_problems(broken_atlas, monkeypatch, fresh):
    alone = _validate(broken_atlas, "1000000", monkeypatch)
    assert parallel.last_run.start is None
    shared = _validate(broken_atlas, "0", monkeypatch)
    # Forked, or spawned when the test process runs other threads (the browser tests' server).
    assert parallel.last_run.start == parallel.start_method() and parallel.last_run.chunks_in_workers > 0 and parallel.last_run.chunks_here > 0
    assert shared.entries == alone.entries and len(alone.entries) == 300
    assert shared.problems == alone.problems
    messages = "\n".join(p.as_text() for p in alone.errors)
    assert "entries/forums/broken-syntax.yaml:4:1: error: YAML syntax" in messages
    assert "entries/gaps/gap-2.yaml" in messages and "unknown field 'sumary'" in messages
    assert "id 'forum-0' is already used by entries/forums/forum-0.yaml" in messages
    assert "entries/pathways/pathway-5.yaml" in messages and "names 'forum-9999', but there is no entry" in messages


def test_each_file_gives_the_same_result_with_its_positions(broken_atlas, monkeypatch, fresh):
    monkeypatch.chdir(broken_atlas.parent)
    files = validate._entry_files(broken_atlas, [])
    check = partial(validate._check_listed, review=None)
    alone = map_in_processes(check, files, minimum=Minimum(10**6, 10**6))
    shared = map_in_processes(check, files, minimum=FORCED)
    assert parallel.last_run.chunks_in_workers > 0
    assert shared == alone  # entry, problems, positions and references of every file, in order


def test_spawned_workers_give_the_same_results(broken_atlas, monkeypatch, fresh):
    """With another thread running (as under `mkdocs serve`), workers are spawned, not forked."""
    monkeypatch.chdir(broken_atlas.parent)
    files = validate._entry_files(broken_atlas, [])[:60]
    check = partial(validate._check_listed, review=None)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        shared = map_in_processes(check, files, minimum=FORCED)
    finally:
        stop.set()
        thread.join()
    assert parallel.last_run.start == "spawn" and parallel.last_run.chunks_in_workers > 0
    assert shared == [check(file) for file in files]


_SHOW_RUN = textwrap.dedent(
    """
    import runpy, sys
    import generator.workers as parallel
    try:
        runpy.run_module("generator", run_name="__main__", alter_sys=True)
    finally:
        print(f"run: {parallel.last_run}", file=sys.stderr)
    """
)


def test_check_command_prints_the_same_with_workers(broken_atlas):
    """`python -m generator check`, with workers forced on (and seen to be used) and off."""
    def run(workers_from: str, *command: str) -> subprocess.CompletedProcess[str]:
        # The synthetic atlas is dated up to 2026-11-28: checked as of 2026-12-01, no date of it is in the future.
        env = {**_cli_env(), validate.WORKERS_FROM_VARIABLE: workers_from, "SOURCE_DATE_EPOCH": "1796083200"}
        return subprocess.run(
            [sys.executable, *command, "check", "--entries", "entries"],
            cwd=broken_atlas.parent, env=env, capture_output=True, text=True, timeout=60, check=False,
        )

    off = run("1000000", "-m", "generator")
    on = run("0", "-c", _SHOW_RUN)
    *on_stderr, shown = on.stderr.splitlines()
    assert shown.startswith("run: Run(items=302, start='fork', workers=") and "chunks_in_workers=0)" not in shown
    assert (on.returncode, on.stdout, on_stderr) == (off.returncode, off.stdout, off.stderr.splitlines())
    assert off.returncode == 1 and off.stdout.count(": error: ") == 4
    assert off.stderr.splitlines()[-1] == "4 errors in 4 files"


def test_few_items_are_done_here():
    assert map_in_processes(str, range(validate.WORKERS_FROM.forked - 1), minimum=validate.WORKERS_FROM)[:2] == ["0", "1"]
    assert parallel.last_run.start is None


def test_the_variable_sets_the_minimum(monkeypatch):
    monkeypatch.setenv("ATLAS_TEST_MINIMUM", "7")
    assert Minimum.from_environment("ATLAS_TEST_MINIMUM", Minimum(1, 2)) == Minimum(7, 7)
    monkeypatch.setenv("ATLAS_TEST_MINIMUM", "many")
    assert Minimum.from_environment("ATLAS_TEST_MINIMUM", Minimum(1, 2)) == Minimum(1, 2)


# --- workers that fail, and garbage collection in them --------------------------------


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None  # a forked or a spawned worker


def _dies_in_worker(n: int) -> int:
    if _in_worker():
        os._exit(3)
    return n


def _lock_from_worker(n: int) -> object:
    return threading.Lock() if _in_worker() else n


def _raises_in_worker(n: int) -> int:
    if _in_worker():
        raise ValueError(f"bad item {n}")
    return n


class _Unsendable(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a} and {b}")


def _raises_unsendable_in_worker(n: int) -> int:
    if _in_worker():
        raise _Unsendable(n, n)
    return n


def _collects_garbage(n: int) -> bool:
    import gc

    return gc.isenabled()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkersFailed, match="a worker process running _dies_in_worker stopped unexpectedly"):
        map_in_processes(_dies_in_worker, range(40), minimum=FORCED)


_DIES_IN_WORKER = textwrap.dedent(
    """
    import multiprocessing, os, sys
    import generator.validate.entries as validate
    from generator.cli import main
    check_file = validate._check_file
    def dies_in_worker(*args):
        if multiprocessing.parent_process() is not None:
            os._exit(3)
        return check_file(*args)
    validate._check_file = dies_in_worker  # forked workers inherit it
    sys.exit(main(["check", "--entries", sys.argv[1]]))
    """
)


def test_check_command_says_when_a_worker_dies(broken_atlas):
    """In a process of its own, which has one thread and so forks its workers."""
    env = {**_cli_env(), validate.WORKERS_FROM_VARIABLE: "0"}
    done = subprocess.run([sys.executable, "-c", _DIES_IN_WORKER, str(broken_atlas)], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "python -m generator check: error: a worker process running _check_listed stopped unexpectedly (killed, or out of memory?)\n"
    )


def test_results_that_cannot_be_pickled_are_named():
    with pytest.raises(WorkersFailed, match="the results of _lock_from_worker cannot be sent back from a worker process: cannot pickle"):
        map_in_processes(_lock_from_worker, range(40), minimum=FORCED)


def test_an_exception_in_a_worker_is_raised_here():
    with pytest.raises(ValueError, match="bad item 0"):
        map_in_processes(_raises_in_worker, range(40), minimum=FORCED)


def test_an_exception_that_cannot_be_pickled_is_named():
    with pytest.raises(WorkersFailed, match="_raises_unsendable_in_worker raised _Unsendable in a worker process: 0 and 0"):
        map_in_processes(_raises_unsendable_in_worker, range(40), minimum=FORCED)


def test_a_function_that_cannot_be_pickled_is_named():
    with pytest.raises(WorkersFailed, match="cannot be sent to worker processes"):
        map_in_processes(lambda n: n, range(40), minimum=FORCED)


def test_workers_collect_garbage_as_this_process_does():
    assert set(map_in_processes(_collects_garbage, range(40), minimum=FORCED)) == {True}
    with gc_paused():
        assert set(map_in_processes(_collects_garbage, range(40), minimum=FORCED)) == {False}
    assert parallel.last_run.chunks_in_workers > 0


_INTERRUPTED = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from generator.workers import Minimum, map_in_processes

    def slow(n):
        Path(sys.argv[1], str(os.getpid())).touch()
        time.sleep(0.002)
        return n

    if __name__ == "__main__":
        print("started", flush=True)
        map_in_processes(slow, range(2000), minimum=Minimum(0, 0))
    """
)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_stopping_this_process_leaves_no_worker_behind(tmp_path, stop):
    script = tmp_path / "interrupted.py"
    script.write_text(_INTERRUPTED, encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), str(pids)], env=_cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "started\n"
    while len(list(pids.iterdir())) < 2:  # this process and its worker are at work
        time.sleep(0.02)
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode != 0
    assert stop == signal.SIGKILL or "KeyboardInterrupt" in err
    workers = {int(path.name) for path in pids.iterdir()} - {proc.pid}
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not [pid for pid in workers if _running(pid)]


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"
