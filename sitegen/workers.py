"""Where and when the work runs: the home of speed besides the caches (buildcache.py).

- The executor: work in this process or in forked worker processes (the only module that forks).
  It knows nothing of what the work is: the caller hands it a function, the pieces, and one shared
  object that forked workers inherit (read it with `shared()`), which forking shares for free where
  sending it would mean pickling the whole site. Small jobs stay in-process: starting workers costs
  more than they save below a size the caller names.
- The garbage collector's settings (the only module that touches `gc`).
- The build's scheduling: the templates compiled on the spare core while this one reads and checks
  content, share cards drawn meanwhile, and the routes shared out among the cores in pieces.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, Sequence, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from sitegen.config import Paths

T = TypeVar("T")
R = TypeVar("R")

_shared: list[Any] = [None]  # what the work reads; forked workers inherit it


_in_worker = False


def _worker_start() -> None:
    """Set up a forked worker: Ctrl-C is the parent's to handle (it ends the workers itself)."""
    import signal
    global _in_worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # a worker lives for its pieces of work: nothing to collect
    _in_worker = True


def in_worker() -> bool:
    """Return True in a forked worker process."""
    return _in_worker


def shared() -> Any:
    """Return the object the current work was given to share."""
    return _shared[0]


def default_jobs() -> int:
    """Return how many processes to use: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _abandon(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now. Only for a pool that has sent nothing back yet: a worker ended
    while sending a result could leave the pool's reader thread waiting for the rest."""
    # ProcessPoolExecutor keeps its processes by id in `_processes` and offers no public way to
    # end them; without this they would outlive the build, waiting for work.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


class Pending:
    """Work running in forked workers; `result()` waits for it, `cancel()` abandons it."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future]):
        self._pool, self._futures = pool, futures

    def result(self, each: Optional[Callable[[Any], None]] = None) -> list[Any]:
        """Return each piece's result, in the order given; a worker's exception is raised here, and a
        worker that died (killed, out of memory) raises BrokenProcessPool instead of hanging.
        `each` is called with every result as soon as it arrives."""
        try:
            if each is not None:
                from concurrent.futures import as_completed
                for future in as_completed(self._futures):
                    each(future.result())
            results = [future.result() for future in self._futures]
        finally:
            self.cancel()
        return results

    def done(self) -> bool:
        """Return True when every piece has finished (or failed)."""
        return all(future.done() for future in self._futures)

    def cancel(self) -> None:
        """Stop the workers: pieces not started are dropped, and each worker finishes the piece in
        hand (a few hundredths of a second; Ctrl-C is ignored in workers for this). Ending them
        mid-piece instead could cut a result off halfway down the pipe, and the pool's reader
        thread would wait for the rest forever."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class Threads:
    """Work handed to a few threads as it comes, for work that mostly waits on the disk (writing
    files), which threads overlap without the cost of forking; `wait()` returns the results."""

    def __init__(self, threads: int = 4):
        self.threads = threads
        self._pool: Any = None
        self._futures: list[Future] = []

    def submit(self, work: Callable[..., R], *args: Any) -> None:
        """Start `work(*args)` on a free thread."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor
            self._pool = ThreadPoolExecutor(self.threads)
        self._futures.append(self._pool.submit(work, *args))

    def wait(self) -> list[Any]:
        """Return every result, in the order submitted; an exception in the work is raised here."""
        try:
            return [future.result() for future in self._futures]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Drop the work not yet started and wait for the rest."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures = []


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
        pool = None
        try:
            with forking():
                pool = ProcessPoolExecutor(workers or self.jobs, mp_context=context,
                                           initializer=_worker_start)
                futures = [pool.submit(work, pieces[0])] if pieces else []  # forks every worker
            futures += [pool.submit(work, piece) for piece in pieces[1:]]
        except BaseException:  # Ctrl-C while forking: no Pending will ever stop these workers
            if pool is not None:
                _abandon(pool)
            raise
        finally:
            _shared[0] = before
        return Pending(pool, futures)

    def map(self, work: Callable[[T], R], pieces: Sequence[T], share: Any, *, size: int,
            forks_from: int, each: Optional[Callable[[R], None]] = None) -> list[R]:
        """Return `work` of each piece, in order: forked when `size` is worth it, else in-process.
        `each` is called with every result as soon as it is ready."""
        if self.forks_for(size, forks_from):
            return self.start(work, pieces, share).result(each)
        before, _shared[0] = _shared[0], share
        try:
            results = []
            for piece in pieces:
                results.append(work(piece))
                if each is not None:
                    each(results[-1])
            return results
        finally:
            _shared[0] = before


# --- the garbage collector ----------------------------------------------------------------------
# A build makes hundreds of thousands of long-lived objects and few reference cycles, so collecting
# while it runs costs more than the memory it gives back.

_settled = False  # the preview has frozen its long-lived objects


@contextmanager
def forking() -> Iterator[None]:
    """Fork worker processes in the body with every object frozen out of the collector's reach, so
    that a worker's collector never writes to (and so copies) the parent's memory."""
    gc.freeze()
    try:
        yield
    finally:
        if not _settled:
            gc.unfreeze()


def settle() -> None:
    """After the preview's full rebuild: collect what the previous one left, then freeze the rest,
    which lives until the next full rebuild (at 650 seats a walk of it took 80 ms mid-rebuild)."""
    global _settled
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _settled = True


def end_children() -> None:
    """End every worker process still running (after a Ctrl-C that caught a pool mid-way)."""
    import sys
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:  # nothing was ever forked
        return
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(timeout=1)


def exiting() -> None:
    """The process is about to end: keep the collector from walking every object on the way out;
    the system frees them."""
    gc.disable()
    gc.freeze()


# --- the build's scheduling ---------------------------------------------------------------------

RENDER_ON_CORES_FROM = 200  # outputs: below this, forking to render costs more than it saves
PIECE = 16                  # outputs handed to an idle worker at a time


def _compile_piece(_: None) -> tuple[dict[str, bytes], list[Path]]:
    """In a worker: compile every template; return the bytecode (see filters.compiled_bytecode) and
    the cached items found damaged on the way."""
    from sitegen.buildcache import take_damaged
    from sitegen.site.filters import compiled_bytecode
    paths = shared()
    return compiled_bytecode(paths.templates, paths.cache / "templates" if paths.cache else None), take_damaged()


class Ahead:
    """Work a one-shot build starts on the spare core before it needs it: the templates compiled
    (about 60 ms, which this process spends importing and checking content meanwhile), and share
    cards drawn here while that runs. A context manager: leaving it stops whatever still runs.
    (Reading content on every core was tried too and saved nothing at 650 seats: bench/README.md.)"""

    def __init__(self, paths: Optional[Paths], executor: Executor):
        self.compiling: Optional[Pending] = None
        if paths is not None and executor.forks_for(1, 1):  # (paths None: nothing ahead, the preview's rebuilds)
            self.compiling = executor.start(_compile_piece, [None], paths, workers=1)

    def __enter__(self) -> "Ahead":
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()

    def compiled(self) -> Optional[dict[str, bytes]]:
        """Return the templates' bytecode compiled on the other core, or None (compile here, where a
        mistake is reported with its line)."""
        if self.compiling is None:
            return None
        from sitegen.buildcache import note_damaged
        try:
            compiled, damaged = self.compiling.result()[0]
        except Exception:  # noqa: BLE001 (compiled again in this process, which reports the mistake)
            return None
        note_damaged(damaged)
        return compiled

    def while_compiling(self, tasks: Sequence[Callable[[], Any]]) -> None:
        """Run `tasks` here while the templates compile on the other core, until they are ready:
        this core would otherwise wait (share cards need no templates)."""
        for task in tasks:
            if self.compiling is None or self.compiling.done():
                return
            task()

    def cancel(self) -> None:
        """Stop what is still running."""
        if self.compiling is not None:
            self.compiling.cancel()


def pieces(names: Sequence[str]) -> list[list[str]]:
    """Return work in the pieces idle workers take in turn. (Costly routes first, one to a piece,
    was tried and saved nothing beyond the noise at 650 seats: bench/README.md.)"""
    return [list(names[i:i + PIECE]) for i in range(0, len(names), PIECE)]
