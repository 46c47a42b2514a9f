"""Map a function over many items in worker processes, in order, when there are enough of them.

:func:`map_in_processes` is the one job here. It cuts the items into chunks; worker
processes (one fewer than the CPUs) take chunks from the front while this process
takes them from the back, so that every core works, this process's share is never
pickled, and a worker's start or a core busy with something else balances out. The
results are those of ``[function(item) for item in items]``, in the same order.

- Fewer items than the caller's :class:`Minimum`, or one CPU: all in this process.
  :meth:`Minimum.unless` lets a setting replace the caller's
  numbers, 0 forcing workers even on one CPU; the entry check reads
  ``ATLAS_CHECK_WORKERS_FROM`` (tests set it to 0, see :mod:`generator.validate.entries`).
- Workers are forked (ready in about 10 ms) when this process runs only its main
  thread (``python -m generator``, ``mkdocs build``, the first build of ``mkdocs serve``).
  Beside other threads (``mkdocs serve`` rebuilds, next to its file watcher and server)
  a fork could copy a lock another thread holds, so they are spawned (ready in 0.3 to
  0.6 s, importing the package afresh) and the caller's minimum for spawned workers applies.
- Workers ignore Ctrl-C: this process stops them when it is interrupted (they finish
  the chunks they hold, a fraction of a second), and they end when it is killed. They
  collect garbage as this process does: paused in them too when the caller paused it
  (:func:`generator.pipeline.gc_paused`).
- A worker that dies, or a result or exception that cannot be pickled, raises
  :class:`WorkersFailed` here, never a hang.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator.errors import WorkersFailed

T = TypeVar("T")
R = TypeVar("R")

# The most items sent to a worker at once. Each chunk costs a message each way (about a
# millisecond) and its results are pickled as one; at the end this process may wait for
# the two chunks a worker holds. 50, 100 and 200 differed less than the noise on 10,000 entry files.
CHUNK_ITEMS = 100
CHUNKS_PER_PROCESS = 8  # at the least, so that small inputs balance too
HELD_BY_WORKER = 2  # one in hand, one waiting, so that a worker seldom waits for this process

# What pickling or unpickling raises besides pickle's own errors (a lambda, a lock, an
# exception whose arguments do not rebuild it, a class defined inside a function...).
_PICKLING_ERRORS = (pickle.PickleError, TypeError, AttributeError, ImportError, ValueError, EOFError, RecursionError)


@dataclass(frozen=True)
class Minimum:
    """The fewest items worth worker processes, by how the workers would start."""

    forked: int
    spawned: int

    def unless(self, setting: int | None) -> Minimum:
        """This minimum, or ``setting`` for both ways of starting when it is given."""
        return self if setting is None else Minimum(setting, setting)


@dataclass(frozen=True)
class Run:
    """How the last map ran, in :data:`last_run` (for tests and benchmarks)."""

    items: int
    start: str | None  # "fork" or "spawn"; None when everything ran in this process
    workers: int
    chunks_here: int
    chunks_in_workers: int


last_run: Run | None = None


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def start_method() -> str:
    """``fork`` when this process has only its main thread (and is not on macOS), else ``spawn``."""
    forkable = sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()
    return "fork" if forkable and threading.active_count() == 1 else "spawn"


def map_in_processes(function: Callable[[T], R], items: Sequence[T], *, minimum: Minimum) -> list[R]:
    """``[function(item) for item in items]``, in worker processes too from ``minimum`` items.

    ``function`` must be picklable by reference (a module's top-level function, or a
    ``functools.partial`` of one), and so must the items and the results.
    """
    global last_run
    method = start_method()
    least = minimum.forked if method == "fork" else minimum.spawned
    workers = max(1, cpus() - 1) if least == 0 else cpus() - 1
    if workers < 1 or len(items) < max(least, 2):
        last_run = Run(len(items), None, 0, 1 if items else 0, 0)
        return [function(item) for item in items]
    _check_picklable(function)
    chunks = _chunks(items, workers)
    done, here = _map_chunks(function, chunks, workers, method)
    last_run = Run(len(items), method, workers, here, len(chunks) - here)
    return [result for chunk in done for result in chunk]


def _chunks(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    """At most CHUNK_ITEMS items each, and at least CHUNKS_PER_PROCESS chunks for each process."""
    size = min(CHUNK_ITEMS, math.ceil(len(items) / (CHUNKS_PER_PROCESS * (workers + 1))))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _map_chunks(function: Callable[[T], R], chunks: list[Sequence[T]], workers: int, method: str) -> tuple[list[list[R]], int]:
    """Each chunk's results, and how many chunks this process did itself.

    Workers are sent chunks from the front, HELD_BY_WORKER each at a time; this process
    does chunks from the back, and between two of them receives the workers' and sends more.
    """
    if method == "spawn":
        importable_by_workers()
    done: list[list[R]] = [[] for _ in chunks]
    sent: dict[int, Future[bytes]] = {}
    front, back = 0, len(chunks)  # chunks[front:back] are not taken yet
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(gc.isenabled(),))
    try:
        while True:
            for index in [index for index, future in sent.items() if future.done()]:
                done[index] = _received(sent.pop(index), function)
            while front < back and len(sent) < HELD_BY_WORKER * workers:
                sent[front] = pool.submit(_run_chunk, function, chunks[front])
                front += 1
            if front == back:
                break
            back -= 1
            done[back] = [function(item) for item in chunks[back]]
        for index, future in sent.items():
            done[index] = _received(future, function)
    except BrokenProcessPool:
        raise WorkersFailed(f"a worker process running {_name(function)} stopped unexpectedly (killed, or out of memory?)") from None
    finally:  # on an error or Ctrl-C too: chunks not yet sent are dropped, workers finish theirs and stop
        pool.shutdown(wait=True, cancel_futures=True)
    return done, len(chunks) - back


def importable_by_workers() -> None:
    """Spawned workers import this package by name: under `mkdocs` its folder is on sys.path
    only while MkDocs loads the hook, so put it back for them to inherit."""
    package_root = str(Path(__file__).resolve().parent.parent)
    if package_root not in sys.path:
        sys.path.append(package_root)


def _check_picklable(function: Callable[..., Any]) -> None:
    try:
        pickle.dumps(function)
    except _PICKLING_ERRORS as exc:
        raise WorkersFailed(f"{_name(function)} cannot be sent to worker processes: {exc}") from None


def start_worker(collect_garbage: bool) -> None:
    """In each worker: leave Ctrl-C to the process that started it, and end with it if it is
    killed (a worker waiting for work would wait for ever); collect garbage as it does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    if collect_garbage:
        gc.enable()
    else:
        gc.disable()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _run_chunk(function: Callable[[T], R], chunk: Sequence[T]) -> bytes:
    """In a worker: the chunk's results, pickled here so that a failure to pickle them is named."""
    try:
        results = [function(item) for item in chunk]
    except Exception as exc:
        _check_sendable(exc, function)
        raise
    try:
        return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    except _PICKLING_ERRORS as exc:
        raise WorkersFailed(f"the results of {_name(function)} cannot be sent back from a worker process: {exc}") from None


def _check_sendable(exc: Exception, function: Callable[..., Any]) -> None:
    """An exception that would not survive the way back is replaced by one that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except _PICKLING_ERRORS:
        raise WorkersFailed(f"{_name(function)} raised {type(exc).__name__} in a worker process: {exc}") from None


def _received(future: Future[bytes], function: Callable[..., Any]) -> list[Any]:
    """A chunk's results from a worker (its exception, if the function raised one there)."""
    data = future.result()
    try:
        results: list[Any] = pickle.loads(data)
    except _PICKLING_ERRORS as exc:
        raise WorkersFailed(f"the results of {_name(function)} from a worker process cannot be read: {exc}") from None
    return results


def _name(function: Callable[..., Any]) -> str:
    inner = getattr(function, "func", function)  # a functools.partial: the function it wraps
    return str(getattr(inner, "__qualname__", repr(inner)))
