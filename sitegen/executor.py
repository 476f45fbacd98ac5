"""Run pieces of work in this process or in forked worker processes: the only module that forks.

It knows nothing of what the work is. The caller hands it a function, the pieces, and one shared
object that forked workers inherit (read it with `shared()`); forking shares it for free, where
sending it would mean pickling the whole site. Small jobs stay in-process: starting workers costs
more than they save below a size the caller names.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence, TypeVar

from . import memory

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

_shared: list[Any] = [None]  # what the work reads; forked workers inherit it


def shared() -> Any:
    """Return the object the current work was given to share."""
    return _shared[0]


def default_jobs() -> int:
    """Return how many processes to use: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Pending:
    """Work running in forked workers; `result()` waits for it, `cancel()` abandons it."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future]):
        self._pool, self._futures = pool, futures

    def result(self) -> list[Any]:
        """Return each piece's result, in the order given; a worker's exception is raised here."""
        try:
            return [future.result() for future in self._futures]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the workers (finished, or no longer wanted)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def io_map(work: Callable[[T], R], pieces: Sequence[T], threads: int = 4) -> list[R]:
    """Return `work` of each piece, run on `threads` threads: for work that mostly waits on the
    disk (writing files), which threads overlap without the cost of forking."""
    if len(pieces) < 2:
        return [work(piece) for piece in pieces]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(min(threads, len(pieces))) as pool:
        return list(pool.map(work, pieces))


class Executor:
    """Serial or forked: `jobs` processes for work of at least `forks_from` units."""

    def __init__(self, jobs: Optional[int] = None):
        self.jobs = default_jobs() if jobs is None else max(1, jobs)

    def forks_for(self, size: int, forks_from: int) -> bool:
        """Return True when work of `size` units is worth forking for."""
        if self.jobs < 2 or size < forks_from:
            return False
        import multiprocessing  # only when forking is in question: it takes a while to import
        return "fork" in multiprocessing.get_all_start_methods()

    def start(self, work: Callable[[T], R], pieces: Sequence[T], share: Any,
              workers: Optional[int] = None) -> Pending:
        """Start `work` on each piece in `workers` (default `jobs`) forked workers; idle workers
        take the next piece."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        context = multiprocessing.get_context("fork")
        before, _shared[0] = _shared[0], share
        try:
            with memory.forking():
                pool = ProcessPoolExecutor(workers or self.jobs, mp_context=context,
                                           initializer=memory.in_worker)
                futures = [pool.submit(work, pieces[0])] if pieces else []  # forks every worker
        finally:
            _shared[0] = before
        futures += [pool.submit(work, piece) for piece in pieces[1:]]
        return Pending(pool, futures)

    def map(self, work: Callable[[T], R], pieces: Sequence[T], share: Any, *, size: int,
            forks_from: int) -> list[R]:
        """Return `work` of each piece, in order: forked when `size` is worth it, else in-process."""
        if self.forks_for(size, forks_from):
            return self.start(work, pieces, share).result()
        before, _shared[0] = _shared[0], share
        try:
            return [work(piece) for piece in pieces]
        finally:
            _shared[0] = before
