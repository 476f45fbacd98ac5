"""Read and render a large site on every core, in forked worker processes.

Reading: workers parse a share of the content files each, while the parent imports the renderer.
Rendering: forking shares the computed results with the workers for free; each returns its pages
(and the link-and-figure scans of them, so the parent does not parse them again). The output does
not depend on how the work was shared out: each file is made from the same inputs either way.

This module imports only the loader, so a build can start reading before Jinja is imported.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .config import Paths
from .load import LoadCache, load_markdown, load_yaml
from .write import Staging

if TYPE_CHECKING:
    from .render import Output
    from .verify import PageScan

PARALLEL_FROM_OUTPUTS = 200  # below this, starting workers costs more than it saves
PARALLEL_FROM_FILES = 400     # the same for reading content files

_job: dict[str, Any] = {}  # what the forked workers inherit


def _worker_start() -> None:
    # A worker lives for one build and makes no garbage cycles worth collecting; collecting would
    # also write to every shared object's header and copy the parent's memory page by page.
    gc.disable()


def _pool(jobs: int) -> Any:
    """Return a pool of `jobs` processes forked from this one, with the parent's objects frozen out of
    the garbage collector's reach (see _worker_start)."""
    gc.freeze()
    return multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start)


def default_jobs() -> int:
    """Return how many processes to render with: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _read_share(files: list[Path]) -> LoadCache:
    cache: LoadCache = {}
    for path in files:
        (load_yaml if path.suffix == ".yml" else load_markdown)(path, _job["paths"], [], cache)
    return cache


class ReadAhead:
    """Content files being read and parsed by forked workers while this process gets on with
    something else; `cache()` waits for them and returns what they read."""

    def __init__(self, paths: Paths, files: list[Path], jobs: int):
        size = max(16, len(files) // (jobs * 4))
        _job.update(paths=paths)
        try:
            self._pool = _pool(jobs)  # the workers are forked here, taking _job with them
        finally:
            _job.clear()
            gc.unfreeze()
        self._parts = self._pool.map_async(_read_share, [files[i:i + size] for i in range(0, len(files), size)])

    def cache(self) -> LoadCache:
        """Return the files read, as a loader cache (see load.py) that the build then reads from.

        Only files a worker could read are in it; the loader reads the rest itself and says why not.
        """
        try:
            parts = self._parts.get()
        finally:
            self.close()
        cache: LoadCache = {}
        for part in parts:
            cache.update(part)
        return cache

    def close(self) -> None:
        """Stop the workers (they have finished, or their work is no longer wanted)."""
        self._pool.terminate()
        self._pool.join()


def read_ahead(paths: Paths, jobs: int) -> Optional[ReadAhead]:
    """Start reading the constituency files on `jobs` processes; None when not worth it."""
    folder = paths.content / "constituencies"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".md")) if folder.is_dir() else []
    if jobs < 2 or len(files) < PARALLEL_FROM_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ReadAhead(paths, files, jobs)


def _render_share(names: list[str]) -> tuple[Output, dict[str, PageScan], Optional[str], int]:
    from jinja2 import TemplateError

    from .render import RenderMemo, output_renderers
    from .verify import scan_page
    if "renderers" not in _job:  # once per worker process
        _job["renderers"] = output_renderers(_job["results"], _job["env"], _job["assets"], RenderMemo())
    renderers = _job["renderers"]
    files: Output = {}
    try:
        for name in names:
            files[name] = renderers[name]()
    except TemplateError as exc:  # sent back as text: template errors do not always pickle
        return {}, {}, f"{type(exc).__name__}\0{name}\0{exc}", 0
    scans = {n: scan_page(b) for n, b in files.items() if n.endswith(".html") and isinstance(b, str)}
    staging = _job.get("staging")
    return files, scans, None, staging.write(files) if staging else 0


def work_chunks(names: list[str], jobs: int) -> list[list[str]]:
    """Return the outputs in chunks that idle workers take in turn: the site-wide outputs first, one
    per chunk (the overview alone costs as much as fifty seat pages) except the two data files,
    which share their records, then the seat pages in small runs, so every worker finishes at
    about the same time."""
    seats = [n for n in names if n.endswith("/index.html")]
    data = [n for n in names if n in ("results.json", "results.csv")]  # made from the same records
    chunks = [data] + [[n] for n in names if not n.endswith("/index.html") and n not in data]
    size = max(4, len(seats) // (jobs * 8))
    return chunks + [seats[i:i + size] for i in range(0, len(seats), size)]


def render_in_parallel(results: Any, env: Any, assets: dict, jobs: int, staging: Optional[Staging] = None
                       ) -> Optional[tuple[Output, dict[str, PageScan], int]]:
    """Return every output and the scans of its pages, rendered by `jobs` forked processes, and
    how many files they wrote into `staging`: when given, each worker writes what it rendered
    there while the others render.

    Returns None when forking is not worth it or not available, so the caller renders in-process.
    A template error in a worker is raised again here, in the parent, by rendering that output.
    """
    from .render import RenderMemo, output_renderers
    names = list(output_renderers(results, env, assets, RenderMemo()))
    if jobs < 2 or len(names) < PARALLEL_FROM_OUTPUTS or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _job.update(results=results, env=env, assets=assets, staging=staging)
    try:
        pool = _pool(jobs)
    finally:
        _job.clear()
        gc.unfreeze()
    with pool:
        parts = list(pool.imap_unordered(_render_share, work_chunks(names, jobs)))
    files: Output = {}
    scans: dict[str, PageScan] = {}
    written = 0
    for part_files, part_scans, failure, part_written in parts:
        if failure:
            return None  # render in-process, where the template error surfaces with its traceback
        files.update(part_files)
        scans.update(part_scans)
        written += part_written
    return {name: files[name] for name in names}, scans, written
