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
from .render import Output, compile_templates, make_environment, render_site
from .validate import collect_warnings, validate
from .parallel import ReadAhead, default_jobs, read_ahead, render_in_parallel
from .verify import verify_output
from .write import Staging, write_site


@dataclass(frozen=True)
class Build:
    """A rendered site held in memory, with the warnings found on the way."""

    results: Results
    files: Output
    warnings: list[ContentError]
    written: int = 0  # files whose bytes changed on disk
    staged: frozenset[str] = frozenset()  # files already written into the staging folder


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
                 reading: Optional[ReadAhead] = None, staging: Optional[Staging] = None) -> Build:
    """Return the whole site rendered in memory, or raise ContentErrors; writes nothing to dist/.

    Large sites are read and rendered on `jobs` processes (default: one per core); the output is
    the same. `reading` is that reading, if the caller started it already (see parallel.py).
    With `staging`, the rendering workers write their files into it as they go (Build.staged).
    `progress` is told each stage (one of STAGES) as it starts.
    """
    progress(STAGES[0])
    jobs = default_jobs() if jobs is None else jobs
    reading = reading or read_ahead(paths, jobs)
    env = make_environment(paths.templates, paths.cache / "templates" if paths.cache else None)
    compile_templates(env)  # while the workers read
    site = validate(load_content(paths, reading.cache() if reading else None))
    results = compute_results(site)
    progress(STAGES[1])
    scans: dict = {}
    written, staged = 0, frozenset()
    try:
        assets = collect_assets(paths.static)
        shared = render_in_parallel(results, env, assets, jobs, staging)
        if shared is not None:
            files, found, written = shared
            scans = {name: (files[name], scan) for name, scan in found.items()}
            staged = frozenset(files) if staging else frozenset()
        else:
            files = render_site(results, env, assets)
    except TemplateError as exc:
        raise ContentErrors([template_error(exc, paths)]) from None
    progress(STAGES[2])
    problems = verify_output(files, scans)
    if problems:
        raise ContentErrors(problems)
    return Build(results, files, collect_warnings(site), written, staged)


def build(paths: Paths, jobs: Optional[int] = None, progress: Callable[[str], None] = lambda stage: None,
          reading: Optional[ReadAhead] = None) -> Build:
    """Render the site and, only if everything rendered and checked, replace dist/ with it."""
    staging = Staging(paths.dist)
    try:
        result = render_build(paths, jobs, progress, reading, staging)
    except BaseException:
        staging.discard()
        raise
    progress(STAGES[3])
    rest = {name: body for name, body in result.files.items() if name not in result.staged}
    written = write_site(rest, paths.dist, staging, result.written)
    return Build(result.results, result.files, result.warnings, written)
