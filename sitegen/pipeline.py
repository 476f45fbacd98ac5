"""Gather, then write: load, validate, compute and render everything before touching dist/."""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Callable, Optional

from jinja2 import TemplateError, TemplateSyntaxError

from .assets import collect_assets
from .compute import Results, compute_results
from .config import Paths
from .errors import ContentError, ContentErrors
from .load import load_content
from .render import Output, make_environment, render_site
from .validate import collect_warnings, validate
from .parallel import ReadAhead, default_jobs, read_ahead, render_in_parallel
from .verify import verify_output
from .write import write_site


@dataclass(frozen=True)
class Build:
    """A rendered site held in memory, with the warnings found on the way."""

    results: Results
    files: Output
    warnings: list[ContentError]
    written: int = 0  # files whose bytes changed on disk


def template_error(exc: TemplateError, paths: Paths) -> ContentError:
    """Return a template mistake located at its file and line in templates/."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return ContentError(paths.display(exc.filename), exc.lineno or 0, 0,
                            f"template syntax error: {exc.message}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if str(paths.templates) in f.filename]
    where = (paths.display(frames[-1].filename), frames[-1].lineno or 0) if frames else (
        paths.display(paths.templates), 0)
    return ContentError(where[0], where[1], 0, f"template error: {exc}")


STAGES = ("reading content", "rendering pages", "checking links and figures", "writing dist/")


def render_build(paths: Paths, jobs: Optional[int] = None, progress: Callable[[str], None] = lambda stage: None,
                 reading: Optional[ReadAhead] = None) -> Build:
    """Return the whole site rendered in memory, or raise ContentErrors; writes nothing.

    Large sites are read and rendered on `jobs` processes (default: one per core); the output is
    the same. `reading` is that reading, if the caller started it already (see parallel.py).
    `progress` is told each stage (one of STAGES) as it starts.
    """
    progress(STAGES[0])
    jobs = default_jobs() if jobs is None else jobs
    reading = reading or read_ahead(paths, jobs)
    site = validate(load_content(paths, reading.cache() if reading else None))
    results = compute_results(site)
    progress(STAGES[1])
    scans: dict = {}
    try:
        env = make_environment(paths.templates)
        assets = collect_assets(paths.static)
        shared = render_in_parallel(results, env, assets, jobs)
        if shared is not None:
            files, found = shared
            scans = {name: (files[name], scan) for name, scan in found.items()}
        else:
            files = render_site(results, env, assets)
    except TemplateError as exc:
        raise ContentErrors([template_error(exc, paths)]) from None
    progress(STAGES[2])
    problems = verify_output(files, scans)
    if problems:
        raise ContentErrors(problems)
    return Build(results, files, collect_warnings(site))


def build(paths: Paths, jobs: Optional[int] = None, progress: Callable[[str], None] = lambda stage: None,
          reading: Optional[ReadAhead] = None) -> Build:
    """Render the site and, only if everything rendered, replace dist/ with it."""
    result = render_build(paths, jobs, progress, reading)
    progress(STAGES[3])
    written = write_site(result.files, paths.dist)
    return Build(result.results, result.files, result.warnings, written)
