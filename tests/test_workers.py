"""The worker pool (:mod:`generator.workers`): the same results, in order, as in this process;
a worker that dies, or anything that cannot be pickled, is a clear :class:`WorkersFailed`.

Workers are forked only by a process with one thread, and the test process may have others
(the browser tests leave some), so the tests of forked maps run their code in a fresh process.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, _cli_env

import generator.workers as workers
from generator.errors import WorkersFailed
from generator.pipeline import gc_paused
from generator.workers import Minimum, Pool, as_completed, forked_map, map_in_processes

FORCED = Minimum(0, 0)
forking = pytest.mark.skipif(sys.platform != "linux", reason="forked workers need Linux")


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None  # a forked or a spawned worker


def _dies_in_worker(n: int) -> int:
    if _in_worker():
        os._exit(3)
    return n


def _killed_in_worker(n: int) -> int:
    if _in_worker():
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def _lock_from_worker(n: int) -> object:
    return threading.Lock() if _in_worker() else n


def _raises_in_worker(n: int) -> int:
    if _in_worker():
        raise ValueError(f"bad item {n}")
    return n


class _UnsendableError(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a} and {b}")


def _raises_unsendable_in_worker(n: int) -> int:
    if _in_worker():
        raise _UnsendableError(n, n)
    return n


def _collects_garbage(n: int) -> bool:
    return gc.isenabled()


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _not_prepared() -> None:
    raise ModuleNotFoundError("No module named 'weasyprint'", name="weasyprint")


# --- map_in_processes ----------------------------------------------------------------------


def test_workers_give_the_same_results_in_order_and_this_process_shares_the_work():
    results = map_in_processes(_pid_and_square, range(2000), minimum=FORCED)
    assert [square for _, square in results] == [n * n for n in range(2000)]
    run = workers.last_run
    assert run is not None
    assert run.items == 2000
    assert run.start == workers.start_method()
    assert run.workers >= 1
    assert run.chunks_in_workers > 0
    assert run.chunks_here + run.chunks_in_workers == len(workers.chunks(range(2000), run.workers))
    assert {pid for pid, _ in results} - {os.getpid()}  # some done by a worker


def test_spawned_workers_give_the_same_results():
    """With another thread running (as under `mkdocs serve`), workers are spawned, not forked."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = map_in_processes(_pid_and_square, range(600), minimum=FORCED)
    finally:
        stop.set()
        thread.join()
    assert workers.last_run is not None
    assert workers.last_run.start == "spawn"
    assert workers.last_run.chunks_in_workers > 0
    assert [square for _, square in results] == [n * n for n in range(600)]


def test_few_items_are_done_here():
    minimum = Minimum(forked=200, spawned=2000)
    assert map_in_processes(str, range(199), minimum=minimum)[:2] == ["0", "1"]
    assert workers.last_run == workers.Run(199, None, 0, 1, 0)
    assert map_in_processes(str, [], minimum=FORCED) == []
    assert workers.last_run == workers.Run(0, None, 0, 0, 0)


def test_a_setting_replaces_the_minimum_for_each_way_the_caller_allows():
    assert Minimum(200, 2000).unless(None) == Minimum(200, 2000)
    assert Minimum(200, 2000).unless(7) == Minimum(7, 7)
    assert Minimum(forked=400).unless(0) == Minimum(0, None)  # a forked map never spawns
    assert workers.workers_for(10**6, Minimum(forked=0), "spawn") == 0
    assert workers.workers_for(1, FORCED, "fork") == 0
    assert workers.workers_for(2, FORCED, "fork") >= 1


def test_chunks_cover_the_items_in_order():
    for count, processes in ((0, 1), (1, 1), (7, 1), (2000, 1), (20_000, 3)):
        parts = workers.chunks(list(range(count)), processes)
        assert [item for part in parts for item in part] == list(range(count))
        assert all(len(part) <= workers.CHUNK_ITEMS for part in parts)
        assert len(parts) >= min(count, workers.CHUNKS_PER_PROCESS * (processes + 1))


@pytest.mark.parametrize("dies", [_dies_in_worker, _killed_in_worker], ids=["exits", "killed"])
def test_a_worker_that_dies_is_an_error_not_a_hang(dies):
    with pytest.raises(WorkersFailed) as raised:
        map_in_processes(dies, range(40), minimum=FORCED)
    assert str(raised.value) == f"a worker process running {dies.__name__} stopped unexpectedly (killed, or out of memory?)"


def test_results_that_cannot_be_pickled_are_named():
    with pytest.raises(WorkersFailed) as raised:
        map_in_processes(_lock_from_worker, range(40), minimum=FORCED)
    assert str(raised.value).startswith("a result could not be sent back from a worker process running _lock_from_worker: cannot pickle")


def test_an_exception_in_a_worker_is_raised_here_with_where_it_was_raised():
    with pytest.raises(ValueError, match="bad item") as raised:
        map_in_processes(_raises_in_worker, range(40), minimum=FORCED)
    assert str(raised.value) == "bad item 0"
    note = "\n".join(raised.value.__notes__)
    assert note.startswith("Raised in a worker process running _raises_in_worker:")
    assert "in _raises_in_worker" in note


def test_an_exception_that_cannot_be_pickled_is_named():
    with pytest.raises(WorkersFailed) as raised:
        map_in_processes(_raises_unsendable_in_worker, range(40), minimum=FORCED)
    assert str(raised.value) == "an exception could not be sent back from a worker process running _raises_unsendable_in_worker: _UnsendableError: 0 and 0"


def test_a_function_that_cannot_be_pickled_is_named():
    with pytest.raises(WorkersFailed) as raised:
        map_in_processes(lambda n: n, range(40), minimum=FORCED)
    assert str(raised.value).startswith("test_a_function_that_cannot_be_pickled_is_named.<locals>.<lambda> cannot be sent to a worker process: Can't pickle")


def test_items_that_cannot_be_pickled_are_named():
    with pytest.raises(WorkersFailed) as raised:
        map_in_processes(str, [threading.Lock() for _ in range(40)], minimum=FORCED, doing="checking locks")
    assert str(raised.value).startswith("a job could not be sent to a worker process checking locks: cannot pickle")


def test_workers_collect_garbage_as_this_process_does():
    assert set(map_in_processes(_collects_garbage, range(40), minimum=FORCED)) == {True}
    with gc_paused():
        assert set(map_in_processes(_collects_garbage, range(400), minimum=FORCED)) == {False}
    assert workers.last_run is not None
    assert workers.last_run.chunks_in_workers > 0


# --- Pool ------------------------------------------------------------------------------------


def test_a_pool_runs_jobs_in_workers_or_here():
    for count in (0, 2):
        with Pool(count, start="spawn", doing="squaring") as pool:
            jobs = {pool.submit(_pid_and_square, n): n for n in range(6)}
            done = {jobs[job]: job.result() for job in as_completed(jobs)}
        assert {n: square for n, (_, square) in done.items()} == {n: n * n for n in range(6)}
        pids = {pid for pid, _ in done.values()}
        assert os.getpid() not in pids if count else pids == {os.getpid()}
        assert workers.last_run == workers.Run(6, "spawn" if count else None, count, 6 if count == 0 else 0, 6 if count else 0)


def test_a_failed_preparation_is_the_error_of_every_job():
    with Pool(1, start="spawn", doing="preparing", prepare=_not_prepared) as pool:
        jobs = [pool.submit(_pid_and_square, n) for n in range(2)]
        for job in jobs:
            with pytest.raises(ModuleNotFoundError, match="weasyprint"):
                job.result()


@pytest.mark.parametrize("dies", [_dies_in_worker, _killed_in_worker], ids=["exits", "killed"])
def test_a_pool_worker_that_dies_names_what_the_pool_does(dies):
    with Pool(2, start="spawn", doing="laying out things") as pool:
        jobs = [pool.submit(dies, n) for n in range(4)]
        with pytest.raises(WorkersFailed) as raised:
            [job.result() for job in jobs]
    assert str(raised.value) == "a worker process laying out things stopped unexpectedly (killed, or out of memory?)"


# --- forked_map, in a fresh single-threaded process ------------------------------------------


def run_alone(code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh single-threaded Python process; it prints one JSON object last."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO_ROOT, env={**_cli_env(), **(env or {})},
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@forking
def test_forked_map_runs_the_job_in_workers_that_inherit_it_and_keeps_the_order():
    result = run_alone("""
        import json, os, time
        from dataclasses import asdict
        import generator.workers as workers
        offset = 7  # inherited by the workers, never pickled
        job = lambda chunk: [(n * n + offset, os.getpid()) for n in chunk]
        with workers.forked_map(job, range(500), minimum=workers.Minimum(0), doing="squaring") as result:
            time.sleep(0.3)  # this process's other work, while the workers take chunks
            values = result()
        print(json.dumps({"values": values, "here": os.getpid(), "run": asdict(workers.last_run)}))
    """)
    assert [square for square, _ in result["values"]] == [n * n + 7 for n in range(500)]
    assert {pid for _, pid in result["values"]} - {result["here"]}
    run = result["run"]
    assert run["start"] == "fork"
    assert run["workers"] >= 1
    assert run["chunks_in_workers"] > 0
    assert run["items"] == 500


@forking
def test_forked_map_runs_here_below_the_minimum():
    result = run_alone("""
        import json, os
        import generator.workers as workers
        with workers.forked_map(lambda chunk: [os.getpid() for _ in chunk], range(50), minimum=workers.Minimum(51), doing="") as result:
            pids = set(result())
        print(json.dumps({"pids": sorted(pids), "here": os.getpid(), "start": workers.last_run.start}))
    """)
    assert result["pids"] == [result["here"]]
    assert result["start"] is None


def test_forked_map_runs_here_beside_other_threads():
    """`mkdocs serve` runs a server and a watcher: forking then could copy a lock another thread holds."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with forked_map(lambda chunk: [os.getpid() for _ in chunk], range(50), minimum=FORCED, doing="") as result:
            assert set(result()) == {os.getpid()}
        assert workers.last_run is not None
        assert workers.last_run.start is None
    finally:
        stop.set()
        thread.join()


@forking
@pytest.mark.parametrize("death", ["os._exit(1)", "os.kill(os.getpid(), signal.SIGKILL)"], ids=["exits", "killed"])
def test_a_forked_worker_that_dies_is_an_error_not_a_rerun(death):
    result = run_alone(f"""
        import json, os, signal
        import generator.workers as workers
        parent = os.getpid()
        ran_here = []
        def job(chunk):
            if os.getpid() != parent:
                {death}  # a worker killed mid-job, as by the out-of-memory killer
            ran_here.extend(chunk)
            return [n + 1 for n in chunk]
        try:
            with workers.forked_map(job, range(2000), minimum=workers.Minimum(0), doing="adding one") as result:
                result()
        except workers.WorkersFailed as exc:
            print(json.dumps({{"error": str(exc), "ran_here": len(ran_here)}}))
    """)
    assert result["error"] == "a worker process adding one stopped unexpectedly (killed, or out of memory?)"
    assert result["ran_here"] < 2000  # what the workers held was not done again here


@forking
def test_an_error_in_a_forked_worker_reaches_the_caller():
    result = run_alone("""
        import json, os
        import generator.workers as workers
        parent = os.getpid()
        def job(chunk):
            if os.getpid() != parent:
                raise ValueError(f"bad chunk starting at {chunk[0]}")
            return list(chunk)
        try:
            with workers.forked_map(job, range(2000), minimum=workers.Minimum(0), doing="") as result:
                result()
        except ValueError as exc:
            print(json.dumps({"error": str(exc), "start": workers.last_run.start}))
    """)
    assert result["error"] == "bad chunk starting at 0"


# --- stopping this process -----------------------------------------------------------------

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
    assert proc.stdout is not None
    assert proc.stdout.readline() == "started\n"
    while len(list(pids.iterdir())) < 2:  # this process and its worker are at work
        time.sleep(0.02)
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode != 0
    assert stop == signal.SIGKILL or "KeyboardInterrupt" in err
    started = {int(path.name) for path in pids.iterdir()} - {proc.pid}
    deadline = time.monotonic() + 10
    while [pid for pid in started if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started
    assert not [pid for pid in started if _running(pid)]


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"
