"""Worker processes: the one pool the check, the rendering and the PDF share.

Three ways to use it, all in order and with the same results as in this process:

- :func:`map_in_processes`: ``[function(item) for item in items]`` over picklable items,
  by forked or spawned workers (the entry check);
- :func:`forked_map`: a job over a chunk of items (indexes into what this process has
  built), by forked workers that inherit the job, while this process does other work
  (the entry pages);
- :class:`Pool`: long-lived workers to submit jobs to (the PDF's layouts).

How they run:

- Whether workers pay is the caller's :class:`Minimum` (a number of items, by how the
  workers would start; a setting may replace it, 0 forcing workers even on one CPU).
  Below it, or on one CPU, everything runs in this process.
- Workers are forked (ready in about 10 ms) when this process runs only its main thread
  (``python -m generator``, ``mkdocs build``, the first build of ``mkdocs serve``).
  Beside other threads (``mkdocs serve`` rebuilds) a fork could copy a lock another
  thread holds, so they are spawned (ready in 0.3 to 0.6 s, importing the package afresh),
  and a forked map runs in this process.
- The maps cut the items into chunks (:func:`chunks`), sent to the workers from the
  front. :func:`map_in_processes` sends each worker HELD_BY_WORKER at a time and does
  chunks from the back itself meanwhile, so that every core works and this process's
  share is never pickled; :func:`forked_map` sends them all at once, as this process
  does other work meanwhile.
- Workers ignore Ctrl-C (this process stops them when it is interrupted: they finish
  the chunk they hold), end when it is killed, and collect garbage as it does (paused in
  them too when it is paused, :func:`generator.pipeline.gc_paused`).
- A worker that dies, or a job, result or exception that cannot be pickled, raises
  :class:`~generator.errors.WorkersFailed` (exit code 3), never a hang and never a silent
  re-run here. An exception a job raises in a worker is raised here, with the worker's
  traceback in a note.
- :data:`last_run` records how the last map or pool ran, for tests and benchmarks.
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
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from generator.errors import WorkersFailed

T = TypeVar("T")
R = TypeVar("R")

# The most items sent to a worker at once. Each chunk costs a message each way (about a
# millisecond) and its results are pickled as one; at the end this process may wait for
# the chunk a worker holds. 50, 100 and 200 differed less than the noise on 10,000 entry files.
CHUNK_ITEMS = 100
CHUNKS_PER_PROCESS = 8  # at the least, so that small inputs balance too
HELD_BY_WORKER = 2  # one in hand, one waiting, so that a worker seldom waits for this process

# What pickling or unpickling raises besides pickle's own errors (a lambda, a lock, an
# exception whose arguments do not rebuild it, a class defined inside a function...).
_PICKLING_ERRORS = (pickle.PickleError, TypeError, AttributeError, ImportError, ValueError, EOFError, RecursionError)


@dataclass(frozen=True)
class Minimum:
    """The fewest items worth worker processes, by how the workers would start (None: never so)."""

    forked: int
    spawned: int | None = None

    def unless(self, setting: int | None) -> Minimum:
        """This minimum, or ``setting`` for each way of starting workers it allows, when the setting is given."""
        return self if setting is None else Minimum(setting, None if self.spawned is None else setting)


@dataclass(frozen=True)
class Run:
    """How the last map or pool ran, in :data:`last_run`."""

    items: int  # a pool's: the jobs submitted
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


def workers_for(items: int, minimum: Minimum, start: str, *, beside_this: bool = True) -> int:
    """How many workers ``items`` items are worth when workers would ``start`` so (0: none):
    one a CPU, less one for this process when it maps ``beside_this`` them."""
    least = minimum.forked if start == "fork" else minimum.spawned
    if least is None or items < max(least, 2):
        return 0
    count = cpus() - 1 if beside_this else cpus()
    return max(1, count) if least == 0 else count


def chunks(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    """At most CHUNK_ITEMS items each, and at least CHUNKS_PER_PROCESS chunks for each process (the workers and this one)."""
    size = max(1, min(CHUNK_ITEMS, math.ceil(len(items) / (CHUNKS_PER_PROCESS * (workers + 1)))))
    return [items[start : start + size] for start in range(0, len(items), size)]


def map_in_processes(function: Callable[[T], R], items: Sequence[T], *, minimum: Minimum, doing: str | None = None) -> list[R]:
    """``[function(item) for item in items]``, in worker processes too from ``minimum`` items.

    ``function`` must be picklable by reference (a module's top-level function, or a
    ``functools.partial`` of one), and so must the items and the results. ``doing`` says
    what the workers do, in failure messages (default: running the function).
    """
    global last_run
    start = start_method()
    workers = workers_for(len(items), minimum, start)
    if not workers:
        last_run = Run(len(items), None, 0, 1 if items else 0, 0)
        return [function(item) for item in items]
    try:
        pickle.dumps(function)
    except _PICKLING_ERRORS as exc:
        raise WorkersFailed(f"{_name(function)} cannot be sent to a worker process: {exc}") from None
    parts = chunks(items, workers)
    with Pool(workers, start=start, doing=doing or f"running {_name(function)}") as pool:
        results = _Shared(pool, partial(_each, function), parts, partial(_each, function), HELD_BY_WORKER * workers).results()
    last_run = Run(len(items), start, workers, pool.done_here, len(parts) - pool.done_here)
    return results


_job: Callable[[Sequence[Any]], list[Any]] | None = None  # the job of the forked map at work, inherited by its workers


@contextmanager
def forked_map(
    job: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, minimum: Minimum, doing: str
) -> Iterator[Callable[[], list[R]]]:
    """Start ``job`` over ``items`` in forked workers; the body may work meanwhile, then calls the result.

    ``job`` maps a chunk of items to a list of results, one per item, in order; the
    result is the concatenation, in the order of ``items``. Workers inherit ``job`` (it
    need not be picklable); items and results are pickled, so make the items small
    (indexes into what the workers inherit). Below ``minimum.forked`` items, or where
    this process cannot fork, ``job`` runs here. ``doing`` names the work in failure messages.
    """
    global _job, last_run
    start = start_method()
    workers = workers_for(len(items), minimum, start, beside_this=False) if start == "fork" else 0
    if not workers:
        last_run = Run(len(items), None, 0, 1 if items else 0, 0)
        yield lambda: job(items)
        return
    if _job is not None:
        raise RuntimeError("forked maps do not nest")
    parts = chunks(items, workers)
    _job = job
    try:
        with Pool(workers, start="fork", doing=doing) as pool:
            shared = _Shared(pool, _inherited, parts, job, len(parts))  # the first job sent forks the workers
            yield shared.results
    finally:
        _job = None
    last_run = Run(len(items), "fork", workers, pool.done_here, len(parts) - pool.done_here)


@dataclass(frozen=True)
class Job(Generic[R]):
    """A job submitted to a :class:`Pool`."""

    future: Future[Any]  # a worker's job: its pickled outcome; a job run here: its result
    doing: str
    in_worker: bool

    def done(self) -> bool:
        """Whether the job is done (or failed)."""
        return self.future.done()

    def result(self) -> R:
        """The job's result, or the exception it raised, once it is done."""
        try:
            outcome = self.future.result()
        except BrokenProcessPool:
            raise _died(self.doing) from None
        if not self.in_worker:
            return outcome
        try:
            done, value, where = pickle.loads(outcome)
        except _PICKLING_ERRORS as exc:
            raise WorkersFailed(f"a result from a worker process {self.doing} could not be read: {exc}") from None
        if done:
            return value
        if where:
            value.add_note(f"Raised in a worker process {self.doing}:\n{where.rstrip()}")
        raise value


def _died(doing: str) -> WorkersFailed:
    return WorkersFailed(f"a worker process {doing} stopped unexpectedly (killed, or out of memory?)")


def as_completed(jobs: Iterable[Job[R]]) -> Iterator[Job[R]]:
    """The jobs, as they are done."""
    by_future = {job.future: job for job in jobs}
    for future in futures.as_completed(by_future):
        yield by_future[future]


class Pool:
    """``workers`` worker processes to submit jobs to until the ``with`` block ends; none when 0, and jobs run here as they are submitted.

    ``start`` is "fork" or "spawn"; ``prepare``, a module's function each worker runs
    first (if it fails, every job raises its exception); ``doing`` says what the workers
    do, in failure messages ("laying out the PDF"). Ending the block, by an error or
    Ctrl-C too, withdraws the jobs no worker has begun and waits for the others.
    """

    def __init__(self, workers: int, *, start: str, doing: str, prepare: Callable[[], None] | None = None) -> None:
        self.workers, self.start, self.doing = workers, start, doing
        self.submitted = self.done_here = 0
        self._executor: ProcessPoolExecutor | None = None
        if workers > 0:
            context = multiprocessing.get_context(start)
            self._executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(gc.isenabled(), prepare))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        global last_run
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        last_run = Run(self.submitted, self.start if self.workers else None, self.workers, self.done_here, self.submitted - self.done_here)

    def submit(self, function: Callable[..., R], *args: Any) -> Job[R]:
        """Run ``function(*args)`` in a worker (both picklable), or here and now when the pool has none."""
        if self._executor is None:
            done: Future[R] = Future()
            done.set_result(function(*args))
            self.submitted, self.done_here = self.submitted + 1, self.done_here + 1
            return Job(done, self.doing, in_worker=False)
        try:  # here, not in the executor's thread, where a failure would leave its queue short of a place (Python 3.11)
            job = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        except _PICKLING_ERRORS as exc:
            raise WorkersFailed(f"a job could not be sent to a worker process {self.doing}: {exc}") from None
        try:
            sent = self._executor.submit(_run_job, job, self.doing)
        except BrokenProcessPool:  # a worker died already
            raise _died(self.doing) from None
        self.submitted += 1
        return Job(sent, self.doing, in_worker=True)


class _Shared(Generic[T, R]):
    """Chunks mapped by the workers of a pool, sent from the front, ``held`` at a time at
    most, and by this process with ``here``, from the back, while the workers are busy."""

    def __init__(self, pool: Pool, function: Callable[[Sequence[T]], list[R]], parts: Sequence[Sequence[T]],
                 here: Callable[[Sequence[T]], list[R]], held: int) -> None:
        self.pool, self.function, self.parts, self.here, self.held = pool, function, parts, here, held
        self.done: list[list[R]] = [[] for _ in parts]
        self.sent: dict[int, Job[list[R]]] = {}
        self.front, self.back = 0, len(parts)  # parts[front:back] are not taken yet
        self._send()

    def _send(self) -> None:
        while self.front < self.back and len(self.sent) < self.held:
            self.sent[self.front] = self.pool.submit(self.function, self.parts[self.front])
            self.front += 1

    def results(self) -> list[R]:
        """Every part's results, concatenated in order."""
        while True:
            for index in [index for index, job in self.sent.items() if job.done()]:
                self.done[index] = self.sent.pop(index).result()
            self._send()
            if self.front == self.back:
                break
            self.back -= 1
            self.done[self.back] = self.here(self.parts[self.back])
            self.pool.done_here += 1
        for index, job in self.sent.items():
            self.done[index] = job.result()
        return [result for part in self.done for result in part]


# --- in the workers ----------------------------------------------------------------------

_unprepared: Exception | None = None  # why this worker's preparation failed


def _start_worker(collect_garbage: bool, prepare: Callable[[], None] | None) -> None:
    """Leave Ctrl-C to the process that started this worker, and end with it if it is killed
    (a worker waiting for work would wait for ever); collect garbage as it does; prepare."""
    global _unprepared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    if collect_garbage:
        gc.enable()
    else:
        gc.disable()
    if prepare is not None:
        try:
            prepare()
        except Exception as exc:  # reaches the caller with each job, as it is (a missing module, say)
            _unprepared = exc


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _run_job(job: bytes, doing: str) -> bytes:
    """A pickled job's outcome, pickled here so that what cannot be sent back is named:
    (True, result, "") or (False, exception, the worker's traceback)."""
    try:
        if _unprepared is not None:
            raise _unprepared
        function, args = pickle.loads(job)
        outcome: tuple[bool, Any, str] = (True, function(*args), "")
    except Exception as exc:
        outcome = (False, _sendable(exc, doing), "".join(traceback.format_exception(exc)))
    except BaseException as exc:  # SystemExit: the worker lives on, so say it here
        outcome = (False, WorkersFailed(f"a worker process {doing} raised {type(exc).__name__}: {exc}"), "")
    try:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except _PICKLING_ERRORS as exc:
        failed = WorkersFailed(f"a result could not be sent back from a worker process {doing}: {exc}")
        return pickle.dumps((False, failed, ""), protocol=pickle.HIGHEST_PROTOCOL)


def _sendable(exc: Exception, doing: str) -> Exception:
    """``exc``, or if it would not survive the way back, an exception that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except _PICKLING_ERRORS:
        return WorkersFailed(f"an exception could not be sent back from a worker process {doing}: {type(exc).__name__}: {exc}")
    return exc


def _each(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def _inherited(chunk: Sequence[Any]) -> list[Any]:
    assert _job is not None, "a forked worker runs only the job of the map that forked it"
    return _job(chunk)


def _name(function: Callable[..., Any]) -> str:
    inner = getattr(function, "func", function)  # a functools.partial: the function it wraps
    return str(getattr(inner, "__qualname__", repr(inner)))
