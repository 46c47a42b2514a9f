"""Work shared with forked workers: the same results, in order, as in one process.

Workers are forked only by a process with one thread, and the test process may
have others (the browser tests leave some), so these tests run their code in a
fresh Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from conftest import REPO_ROOT, SMALL, _cli_env
import generator.forked as forked
from generator.forked import forked_map

pytestmark = pytest.mark.skipif(forked.cpus() < 2 or sys.platform != "linux", reason="forked workers need Linux and two CPUs")


def run_alone(code: str, fork_from: str = "0") -> dict:
    """Run ``code`` in a fresh single-threaded Python process; it prints one JSON object."""
    env = {**_cli_env(), "ATLAS_FORK_FROM": fork_from}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_forked_map_runs_the_job_in_other_processes_and_keeps_the_order():
    result = run_alone("""
        import json, os
        import generator.forked as forked
        with forked.forked_map(lambda chunk: [(n * n, os.getpid()) for n in chunk], range(50)) as result:
            values = result()
        print(json.dumps({"values": values, "here": os.getpid(), "workers": forked.last_workers}))
    """)
    assert [square for square, _ in result["values"]] == [n * n for n in range(50)]
    assert result["here"] not in {pid for _, pid in result["values"]}
    assert result["workers"] >= 2


def test_forked_map_runs_here_below_the_threshold():
    result = run_alone("""
        import json, os
        import generator.forked as forked
        with forked.forked_map(lambda chunk: [os.getpid() for _ in chunk], range(50)) as result:
            pids = set(result())
        print(json.dumps({"pids": sorted(pids), "here": os.getpid(), "workers": forked.last_workers}))
    """, fork_from="1000")
    assert result["pids"] == [result["here"]] and result["workers"] == 0


def test_forked_map_runs_here_beside_other_threads(monkeypatch):
    """`mkdocs serve` runs a server and a watcher: forking then could copy a lock another thread holds."""
    monkeypatch.setenv("ATLAS_FORK_FROM", "0")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with forked_map(lambda chunk: [os.getpid() for _ in chunk], range(50)) as result:
            assert set(result()) == {os.getpid()}
        assert forked.last_workers == 0
    finally:
        stop.set()
        thread.join()


def test_a_worker_that_dies_leaves_the_work_to_this_process():
    result = run_alone("""
        import json, os
        import generator.forked as forked
        parent = os.getpid()
        def job(chunk):
            if os.getpid() != parent:
                os._exit(1)  # a worker killed mid-job, as by the out-of-memory killer
            return [n + 1 for n in chunk]
        with forked.forked_map(job, range(20)) as result:
            print(json.dumps({"values": result(), "workers": forked.last_workers}))
    """)
    assert result["values"] == [n + 1 for n in range(20)]
    assert result["workers"] >= 2


def test_an_error_in_a_worker_reaches_the_caller():
    result = run_alone("""
        import json
        import generator.forked as forked
        def job(chunk):
            raise ValueError(f"bad chunk starting at {chunk[0]}")
        try:
            with forked.forked_map(job, range(20)) as result:
                result()
        except ValueError as exc:
            print(json.dumps({"error": str(exc), "workers": forked.last_workers}))
    """)
    assert result["error"].startswith("bad chunk") and result["workers"] >= 2


def test_entry_pages_rendered_by_workers_equal_those_rendered_here():
    result = run_alone(f"""
        import json, os
        from pathlib import Path
        import generator.forked as forked
        from generator.pipeline import build_atlas
        from generator.render.pages import build_pages
        from generator.render.page import Limits
        atlas = build_atlas(Path({str(SMALL)!r}))
        limits = Limits(index_rows=2, matrix_rows=1, claims_per_level=1, members_shown=1)
        same = []
        for directory_urls in (True, False):
            os.environ["ATLAS_FORK_FROM"] = "1000000"
            here = build_pages(atlas, directory_urls=directory_urls, limits=limits)
            os.environ["ATLAS_FORK_FROM"] = "0"
            shared = build_pages(atlas, directory_urls=directory_urls, limits=limits)
            assert forked.last_workers >= 2
            same.append(list(shared) == list(here) and all(
                (a.markdown, a.title, a.entry, a.meta) == (b.markdown, b.title, b.entry, b.meta)
                for a, b in zip(shared.values(), here.values())))
        print(json.dumps({{"same": same, "pages": len(here)}}))
    """)
    assert result["same"] == [True, True] and result["pages"] > 20
