"""Rebuild in a loop: the preview server's builder, which renders only what a change touches."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from jinja2 import Environment, TemplateError

from .assets import Asset, collect_assets
from .compute import compute_results
from .config import Paths
from .depends import affected_outputs
from .errors import ContentErrors
from .load import LoadCache, load_content
from .pipeline import Build, template_error
from .render import RenderMemo, make_environment, render_site
from .validate import collect_warnings, validate
from .verify import verify_output
from .write import sync_site


@dataclass(frozen=True)
class Rebuilt:
    """What one rebuild did."""

    rendered: int      # outputs rendered again
    written: int       # files whose bytes changed on disk
    milliseconds: float
    full: bool


def code_snapshot(paths: Paths) -> tuple:
    """Return a fingerprint of templates/ and static/: names, sizes and modification times."""
    entries = []
    for folder in (paths.templates, paths.static):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class Rebuilder:
    """Keeps the last good build and brings dist/ up to date with as little work as it can."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.cache: LoadCache = {}
        self.last: Optional[Build] = None
        self._code: Optional[tuple] = None
        self._env: Optional[Environment] = None
        self._assets: dict[str, Asset] = {}
        self._scans: dict = {}  # verify.py's page scans, reused while a page's text is unchanged
        self._validated: dict = {}  # validate.py's memo
        self._computed: dict = {}   # compute.py's memo
        self._rendered = RenderMemo()

    def _refresh_code(self) -> bool:
        """Reload templates and static files if they changed; return True when they did."""
        snapshot = code_snapshot(self.paths)
        if snapshot == self._code and self._env is not None:
            return False
        self._env = make_environment(self.paths.templates,
                                     self.paths.cache / "templates" if self.paths.cache else None)
        self._assets = collect_assets(self.paths.static)
        self._code = snapshot
        return True

    def rebuild(self, changed: Optional[set[Path]] = None) -> Rebuilt:
        """Bring dist/ up to date; raise ContentErrors (leaving dist/ as it was) when content is wrong.

        `changed`, when a watcher knows it, lists the only source files that may have changed.
        """
        started = time.perf_counter()
        site = validate(load_content(self.paths, self.cache, changed), self._validated)
        results = compute_results(site, self._computed)
        code_changed = self._refresh_code()
        only = None if self.last is None else affected_outputs(self.last.results, results,
                                                                code_changed=code_changed)
        try:
            fresh = render_site(results, self._env, self._assets, only, self._rendered)  # type: ignore[arg-type]
            files = fresh if only is None else {**self.last.files, **fresh}  # type: ignore[union-attr]
            problems = verify_output(files, self._scans, None if only is None else set(fresh))
            if problems:
                raise ContentErrors(problems)
        except TemplateError as exc:
            self._code = None  # the next successful rebuild renders everything
            raise ContentErrors([template_error(exc, self.paths)]) from None
        except ContentErrors:
            if code_changed:
                self._code = None
            raise
        written = sync_site(fresh, self.paths.dist, keep=set(files) if only is None else None)
        self.last = Build(results, files, collect_warnings(site))
        return Rebuilt(len(fresh), written, (time.perf_counter() - started) * 1000, only is None)


def source_snapshot(paths: Paths) -> dict[Path, tuple[int, int]]:
    """Return (size, modification time) of every source file the preview watches."""
    snapshot = {}
    for folder in (paths.content, paths.templates, paths.static):
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith("~"):
                stat = path.stat()
                snapshot[path] = (stat.st_size, stat.st_mtime_ns)
    return snapshot


def changed_files(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]) -> set[Path]:
    """Return the watched files added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def describe_changes(before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]],
                     paths: Paths) -> list[str]:
    """Return the watched files added, removed or changed between two snapshots, for messages."""
    return sorted(paths.display(p) for p in changed_files(before, after))
