"""Work shared with forked workers: the same results, in order, as in one process."""

from __future__ import annotations

import os
import threading

import pytest

from generator import forked
from generator.forked import forked_map
from generator.pipeline import build_atlas, build_pages
from generator.render import Limits


@pytest.fixture
def fork_always(monkeypatch):
    monkeypatch.setenv("ATLAS_FORK_FROM", "0")
    assert threading.active_count() == 1, "forking is only done in a process with one thread"
    if forked.cpus() < 2:
        pytest.skip("forked workers need two CPUs")


def test_forked_map_runs_the_job_in_other_processes_and_keeps_the_order(fork_always):
    with forked_map(lambda chunk: [(n * n, os.getpid()) for n in chunk], range(50)) as result:
        values = result()
    assert [square for square, _ in values] == [n * n for n in range(50)]
    assert os.getpid() not in {pid for _, pid in values}


def test_forked_map_runs_here_below_the_threshold(monkeypatch):
    monkeypatch.setenv("ATLAS_FORK_FROM", "1000")
    with forked_map(lambda chunk: [os.getpid() for _ in chunk], range(50)) as result:
        assert set(result()) == {os.getpid()}


def test_a_worker_that_dies_leaves_the_work_to_this_process(fork_always):
    parent = os.getpid()

    def job(chunk: range) -> list[int]:
        if os.getpid() != parent:
            os._exit(1)  # a worker killed mid-job, as by the out-of-memory killer
        return [n + 1 for n in chunk]

    with forked_map(job, range(20)) as result:
        assert result() == [n + 1 for n in range(20)]


def test_an_error_in_a_worker_reaches_the_caller(fork_always):
    def job(chunk: range) -> list[int]:
        raise ValueError(f"bad chunk starting at {chunk[0]}")

    with forked_map(job, range(20)) as result, pytest.raises(ValueError, match="bad chunk"):
        result()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_entry_pages_rendered_by_workers_equal_those_rendered_here(small_fixture, monkeypatch, directory_urls):
    atlas = build_atlas(small_fixture)
    limits = Limits(index_rows=2, matrix_rows=1, claims_per_level=1, members_shown=1)
    monkeypatch.setenv("ATLAS_FORK_FROM", "1000000")
    here = build_pages(atlas, directory_urls=directory_urls, limits=limits)
    monkeypatch.setenv("ATLAS_FORK_FROM", "0")
    assert forked.can_fork(len(atlas.entries))
    shared = build_pages(atlas, directory_urls=directory_urls, limits=limits)
    assert list(shared) == list(here)
    assert [(p.markdown, p.title, p.entry, p.meta) for p in shared.values()] == [
        (p.markdown, p.title, p.entry, p.meta) for p in here.values()
    ]
