"""Share CPU-bound work over forked copies of this process, which inherit what it has built.

Forking copies nothing up front and pickles nothing but the results, so a large
atlas need not be sent to the workers. It is used only where it is safe and
pays: where :func:`generator.workers.start_method` forks (a process with one
thread, not on macOS; ``mkdocs serve`` has several threads), with more than one
CPU, and for enough work (``ATLAS_FORK_FROM`` items; tests
set it low to exercise the workers). Work that can be sent to workers as it is
(a module's function over picklable items) goes to :mod:`generator.workers`,
which also works where forking is not safe.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

from generator import settings
from generator.workers import Minimum, cpus, start_method, start_worker

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_FORK_FROM = 400

_job: Callable[[Sequence], list] | None = None  # the work of the current pool, inherited by its workers
last_workers = 0  # how many forked workers the last map started (0: it ran here); tests read it


def can_fork(items: int) -> bool:
    """Whether ``items`` pieces of work should go to forked workers here."""
    least = Minimum(forked=DEFAULT_FORK_FROM, spawned=0).unless(settings.current().fork_from).forked
    return start_method() == "fork" and cpus() > 1 and items >= max(least, 2)


def _run(chunk: Sequence) -> list:
    assert _job is not None, "a forked worker runs only the job of the pool that made it"
    return _job(chunk)


@contextmanager
def forked_map(job: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> Iterator[Callable[[], list[R]]]:
    """Start ``job`` over ``items`` in forked workers; the body may work meanwhile, then calls the result.

    ``job`` maps a chunk of items to a list of results, one per item, in order;
    the result is the concatenation, in the order of ``items``. Items are sent to
    the workers, so make them small (indexes into what the workers inherit). When forking does
    not pay (:func:`can_fork`), or a worker stops unexpectedly, ``job`` runs here.
    """
    global _job, last_workers
    last_workers = 0
    if not can_fork(len(items)):
        yield lambda: job(items)
        return
    workers = last_workers = cpus()
    size = -(-len(items) // (workers * 4))  # a few chunks a worker, so that a slow chunk does not hold the rest
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _job = job
    # Python 3.11+ forks every worker before the pool starts its manager thread.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=start_worker, initargs=(gc.isenabled(),))
    try:
        futures = [pool.submit(_run, chunk) for chunk in chunks]

        def result() -> list[R]:
            try:
                return [value for future in futures for value in future.result()]
            except BrokenProcessPool:
                return job(items)

        yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None
